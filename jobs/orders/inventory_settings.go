package orders

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/inventory"
)

// Limits of the inventory settings, so one connection's settings stay a small JSON document.
const (
	// MaxSafetyStock bounds InventorySettings.SafetyStock (a billion units is no real stock).
	MaxSafetyStock = 1_000_000_000
	// MaxExcludedSKUs bounds InventorySettings.ExcludeSKUs; longer lists belong in an
	// INVENTORY rule.
	MaxExcludedSKUs = 1000
	// maxSettingText bounds the location and each excluded SKU (Shopify SKUs and location
	// names are at most 255 characters).
	maxSettingText = 255
)

// InventorySettings say whether and how one store connection gets QuickBooks' quantities. The
// zero value is "off"; WithDefaults fills the basis.
type InventorySettings struct {
	// Enabled turns inventory sync on for the connection: its QuickBooks company's quantities
	// are read after every order sync and on a schedule and pushed to the store.
	Enabled bool `json:"enabled"`
	// Basis is which QuickBooks quantity the store gets: inventory.OnHand (default) or
	// inventory.Available (on hand minus open sales orders).
	Basis inventory.Basis `json:"basis,omitempty"`
	// Location is the Shopify location whose quantities are set: its id (a number or
	// gid://shopify/Location/N) or its name (case-insensitive). Empty means the shop's primary
	// location. Other channels have one stock level per product and ignore it.
	Location string `json:"location,omitempty"`
	// ExcludeSKUs are store SKUs that never get a quantity from QuickBooks (compared
	// case-insensitively, like the update queue's SKUs).
	ExcludeSKUs []string `json:"excludeSkus,omitempty"`
	// SafetyStock is held back from every quantity: the store gets the basis quantity minus
	// SafetyStock, never below zero.
	SafetyStock int64 `json:"safetyStock,omitempty"`
}

// WithDefaults fills an empty basis with inventory.OnHand and trims the text fields; excluded
// SKUs that are blank after trimming are dropped and duplicates (case-insensitive) kept once.
func (s InventorySettings) WithDefaults() InventorySettings {
	s.Basis = inventory.Basis(strings.ToLower(strings.TrimSpace(string(s.Basis))))
	if s.Basis == "" {
		s.Basis = inventory.OnHand
	}
	s.Location = strings.TrimSpace(s.Location)
	if len(s.ExcludeSKUs) > 0 {
		seen := map[string]bool{}
		out := make([]string, 0, len(s.ExcludeSKUs))
		for _, sku := range s.ExcludeSKUs {
			sku = strings.TrimSpace(sku)
			if sku == "" || seen[strings.ToLower(sku)] {
				continue
			}
			seen[strings.ToLower(sku)] = true
			out = append(out, sku)
		}
		s.ExcludeSKUs = out
	}
	return s
}

// Validate names every inventory setting that is out of range, prefixed "inventory.".
func (s InventorySettings) Validate() error {
	s = s.WithDefaults()
	var errs []error
	if s.Basis != inventory.OnHand && s.Basis != inventory.Available {
		errs = append(errs, fmt.Errorf("inventory.basis must be one of %s, %s, not %q", inventory.OnHand, inventory.Available, s.Basis))
	}
	if s.SafetyStock < 0 {
		errs = append(errs, fmt.Errorf("inventory.safetyStock must be 0 or more, not %d", s.SafetyStock))
	} else if s.SafetyStock > MaxSafetyStock {
		errs = append(errs, fmt.Errorf("inventory.safetyStock must be at most %d, not %d", MaxSafetyStock, s.SafetyStock))
	}
	if len([]rune(s.Location)) > maxSettingText {
		errs = append(errs, fmt.Errorf("inventory.location must be at most %d characters", maxSettingText))
	}
	if len(s.ExcludeSKUs) > MaxExcludedSKUs {
		errs = append(errs, fmt.Errorf("inventory.excludeSkus may list at most %d SKUs, not %d", MaxExcludedSKUs, len(s.ExcludeSKUs)))
	}
	for _, sku := range s.ExcludeSKUs {
		if len([]rune(sku)) > maxSettingText {
			errs = append(errs, fmt.Errorf("inventory.excludeSkus: %q… is longer than %d characters", string([]rune(sku)[:40]), maxSettingText))
			break
		}
	}
	return errors.Join(errs...)
}

// Excluded reports whether sku is one of ExcludeSKUs (case-insensitive, surrounding spaces
// ignored).
func (s InventorySettings) Excluded(sku string) bool {
	sku = strings.TrimSpace(sku)
	for _, x := range s.ExcludeSKUs {
		if strings.EqualFold(strings.TrimSpace(x), sku) {
			return true
		}
	}
	return false
}

// Quantity is the quantity the store gets for it: inventory.StoreQuantity on the basis (whole
// units, floored, ≥ 0) minus SafetyStock, never below zero.
func (s InventorySettings) Quantity(it inventory.Item) int64 {
	basis := s.Basis
	if basis == "" {
		basis = inventory.OnHand
	}
	return max(inventory.StoreQuantity(it, basis)-max(s.SafetyStock, 0), 0)
}
