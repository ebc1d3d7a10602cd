package ordersync

import (
	"context"
	"fmt"

	"github.com/ledgerlink/ledgerlink/db"
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
	for _, m := range maps {
		r := rules.MapSKU(m.StoreValue, m.ItemName)
		if m.Kind == MapShippingMethod {
			r = rules.MapShippingMethod(m.StoreValue, m.ItemName)
		}
		valid, err := rules.Validate(r)
		if err != nil {
			return res, fmt.Errorf("ordersync: mapping %q → %q: %w", m.StoreValue, m.ItemName, err)
		}
		if err := p.DB.CreateRule(ctx, rules.ToDB(accountID, valid), by); err != nil {
			return res, err
		}
		if err := p.DB.DeleteProductMapping(ctx, accountID, m.Kind, m.StoreValue); err != nil {
			return res, err
		}
		res.RulesCreated++
	}
	ids, err := p.DB.OrderIDsInState(ctx, accountID, db.OrderNeedsMapping)
	if err != nil {
		return res, err
	}
	if len(ids) > 0 {
		if res.Resynced, err = p.Resync(ctx, accountID, ids); err != nil {
			return res, err
		}
	}
	return res, nil
}
