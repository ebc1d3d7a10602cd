package orders_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/inventory"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// A connection stored before inventory settings existed reads as "sync off, on hand".
func TestInventorySettingsOldConnectionIsOff(t *testing.T) {
	var s orders.Settings
	if err := json.Unmarshal([]byte(`{"transactionType":"invoice"}`), &s); err != nil {
		t.Fatal(err)
	}
	s = s.WithDefaults()
	if s.Inventory.Enabled || s.Inventory.Basis != inventory.OnHand || s.Inventory.SafetyStock != 0 || s.Inventory.Location != "" {
		t.Fatalf("defaults: %+v", s.Inventory)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestInventorySettingsJSONAndNormalising(t *testing.T) {
	var s orders.Settings
	raw := `{"inventory":{"enabled":true,"basis":" Available ","location":" Warehouse ","excludeSkus":["GIFT-CARD"," gift-card ","", "Sample"],"safetyStock":3}}`
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	inv := s.WithDefaults().Inventory
	want := orders.InventorySettings{Enabled: true, Basis: inventory.Available, Location: "Warehouse", ExcludeSKUs: []string{"GIFT-CARD", "Sample"}, SafetyStock: 3}
	if inv.Enabled != want.Enabled || inv.Basis != want.Basis || inv.Location != want.Location || inv.SafetyStock != want.SafetyStock ||
		strings.Join(inv.ExcludeSKUs, "|") != strings.Join(want.ExcludeSKUs, "|") {
		t.Fatalf("got %+v, want %+v", inv, want)
	}
	if !inv.Excluded("gift-card") || !inv.Excluded(" SAMPLE") || inv.Excluded("Widget") {
		t.Fatal("Excluded is not case-insensitive over the list")
	}
	b, _ := json.Marshal(s.WithDefaults())
	if !strings.Contains(string(b), `"inventory":{"enabled":true,"basis":"available","location":"Warehouse","excludeSkus":["GIFT-CARD","Sample"],"safetyStock":3}`) {
		t.Fatalf("stored form: %s", b)
	}
}

func TestInventorySettingsValidate(t *testing.T) {
	long := strings.Repeat("x", 256)
	for _, tc := range []struct {
		name string
		in   orders.InventorySettings
		want string // "" = valid
	}{
		{"defaults", orders.InventorySettings{}, ""},
		{"available", orders.InventorySettings{Enabled: true, Basis: inventory.Available, SafetyStock: 5}, ""},
		{"bad basis", orders.InventorySettings{Basis: "committed"}, `inventory.basis must be one of on_hand, available, not "committed"`},
		{"negative safety", orders.InventorySettings{SafetyStock: -1}, "inventory.safetyStock must be 0 or more, not -1"},
		{"huge safety", orders.InventorySettings{SafetyStock: 2_000_000_000}, "inventory.safetyStock must be at most 1000000000, not 2000000000"},
		{"long location", orders.InventorySettings{Location: long}, "inventory.location must be at most 255 characters"},
		{"long sku", orders.InventorySettings{ExcludeSKUs: []string{long}}, "is longer than 255 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			s := orders.DefaultSettings()
			s.Inventory = tc.in
			if err := s.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Settings.Validate: %v, want %q", err, tc.want)
			}
		})
	}
}

func TestInventorySettingsQuantity(t *testing.T) {
	q := func(n float64) qbxml.Quantity { return qbxml.Quantity(n * qbxml.QuantityScale) }
	it := inventory.Item{OnHand: q(20.5), OnSalesOrder: q(4)}
	for _, tc := range []struct {
		s    orders.InventorySettings
		want int64
	}{
		{orders.InventorySettings{}, 20},                                           // floor of 20.5
		{orders.InventorySettings{Basis: inventory.Available}, 16},                 // 20.5 − 4 = 16.5 → 16
		{orders.InventorySettings{SafetyStock: 5}, 15},                             // 20 − 5
		{orders.InventorySettings{Basis: inventory.Available, SafetyStock: 3}, 13}, // 16 − 3
		{orders.InventorySettings{SafetyStock: 25}, 0},                             // never below zero
	} {
		if got := tc.s.Quantity(it); got != tc.want {
			t.Errorf("%+v: got %d, want %d", tc.s, got, tc.want)
		}
	}
}
