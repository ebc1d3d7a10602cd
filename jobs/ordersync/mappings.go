package ordersync

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
)

// Mapping kinds of the Missing Product Mapping page.
const (
	MapProduct        = "product"
	MapShippingMethod = "shipping_method"
)

// MappingResult says what ApplyMappings did.
type MappingResult struct {
	RulesCreated int
	Resynced     Stats
	// OrderIDs are the orders processed again, for a link to them.
	OrderIDs []int64
}

// ApplyMappings turns every pending mapping of accountID into a rule ("Map SKU …" or "Map
// shipping method …"), clears it from the mapping list, and resyncs the orders parked in needs
// mapping (seed 000: "once you resync the sales, the mappings are exported to rules and cleared
// from the product mapping area"). Editing that rule later changes future mappings.
func (p *Pipeline) ApplyMappings(ctx context.Context, accountID int64, by db.RuleActor) (MappingResult, error) {
	var res MappingResult
	maps, err := p.DB.ListProductMappings(ctx, accountID)
	if err != nil {
		return res, err
	}
	for i := range maps {
		if err := p.mappingToRule(ctx, accountID, &maps[i], by); err != nil {
			return res, err
		}
		res.RulesCreated++
	}
	ids, err := p.DB.OrderIDsInState(ctx, accountID, db.OrderNeedsMapping)
	if err != nil {
		return res, err
	}
	return res, p.resyncMapped(ctx, accountID, ids, &res)
}

// ApplyMapping is ApplyMappings for one pending mapping (kind and store value, in any case):
// it becomes a rule and, for a SKU, the orders waiting in needs mapping for that SKU are
// resynced; the other mappings wait. db.ErrNotFound when there is no such mapping.
func (p *Pipeline) ApplyMapping(ctx context.Context, accountID int64, kind, storeValue string, by db.RuleActor) (MappingResult, error) {
	var res MappingResult
	maps, err := p.DB.ListProductMappings(ctx, accountID)
	if err != nil {
		return res, err
	}
	i := slices.IndexFunc(maps, func(m db.ProductMapping) bool { return m.Kind == kind && strings.EqualFold(m.StoreValue, storeValue) })
	if i < 0 {
		return res, fmt.Errorf("ordersync: mapping of %q: %w", storeValue, db.ErrNotFound)
	}
	m := &maps[i]
	if err := p.mappingToRule(ctx, accountID, m, by); err != nil {
		return res, err
	}
	res.RulesCreated = 1
	if m.Kind != MapProduct {
		return res, nil // shipping methods park nothing: their orders posted to the default shipping item
	}
	ids, err := p.DB.OrderIDsParkedBySKU(ctx, accountID, m.StoreValue)
	if err != nil {
		return res, err
	}
	return res, p.resyncMapped(ctx, accountID, ids, &res)
}

// mappingToRule saves m as a rule and clears it from the mapping list.
func (p *Pipeline) mappingToRule(ctx context.Context, accountID int64, m *db.ProductMapping, by db.RuleActor) error {
	r := rules.MapSKU(m.StoreValue, m.ItemName)
	if m.Kind == MapShippingMethod {
		r = rules.MapShippingMethod(m.StoreValue, m.ItemName)
	}
	valid, err := rules.Validate(r)
	if err != nil {
		return fmt.Errorf("ordersync: mapping %q → %q: %w", m.StoreValue, m.ItemName, err)
	}
	if err := p.DB.CreateRule(ctx, rules.ToDB(accountID, valid), by); err != nil {
		return err
	}
	return p.DB.DeleteProductMapping(ctx, accountID, m.Kind, m.StoreValue)
}

// resyncMapped resyncs the parked orders ids and records them in res.
func (p *Pipeline) resyncMapped(ctx context.Context, accountID int64, ids []int64, res *MappingResult) error {
	if len(ids) == 0 {
		return nil
	}
	var err error
	res.Resynced, err = p.Resync(ctx, accountID, ids)
	res.OrderIDs = ids
	return err
}

// MissingShippingMethod is a store shipping method no rule maps to a QuickBooks item: its
// orders post their shipping line to the connection's shipping item.
type MissingShippingMethod struct {
	Method         string
	Orders         int
	ExampleOrderID int64
	// Mapping is the mapping made for it, waiting for the resync that turns it into a rule.
	Mapping *db.ProductMapping
}

// MissingShippingMethods lists the shipping methods of accountID's orders that charge for
// shipping and that the rules do not map to a QuickBooks item (seed 000 step 10: the mapping
// page maps shipping methods as well as SKUs). Whether a method is mapped is decided by running
// the account's rules on the newest order shipped that way, so a rule written by hand in the
// rules grid counts as much as one the mapping page made.
func (p *Pipeline) MissingShippingMethods(ctx context.Context, accountID int64) ([]MissingShippingMethod, error) {
	uses, err := p.DB.ListShippingMethods(ctx, accountID)
	if err != nil {
		return nil, err
	}
	pending, err := p.DB.ProductMappingsByValue(ctx, accountID, MapShippingMethod)
	if err != nil {
		return nil, err
	}
	var ev *rules.Evaluator
	if p.Rules != nil {
		if ev, err = p.Rules.Evaluator(ctx, accountID, rules.OrdersToQuickBooks); err != nil {
			return nil, fmt.Errorf("ordersync: shipping methods: %w", err)
		}
	}
	out := []MissingShippingMethod{}
	for _, u := range uses {
		if ev != nil {
			row, err := p.DB.GetOrder(ctx, accountID, u.ExampleOrderID)
			if err != nil {
				return nil, err
			}
			var o orders.Order
			if err := json.Unmarshal(row.Normalized, &o); err != nil {
				return nil, fmt.Errorf("ordersync: order %d: %w", row.ID, err)
			}
			if ev.Apply(&o); strings.TrimSpace(o.ShippingItem) != "" {
				continue // a rule maps it
			}
		}
		out = append(out, MissingShippingMethod{Method: u.Method, Orders: u.Orders, ExampleOrderID: u.ExampleOrderID,
			Mapping: pending[strings.ToLower(u.Method)]})
	}
	return out, nil
}
