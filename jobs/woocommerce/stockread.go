package woocommerce

import (
	"context"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Stock returns what the store says about each SKU found, keyed by the SKU as given: its stock
// quantity when WooCommerce manages its stock (on the product or variation, or on the parent
// of a variation using the parent's stock), whether it does ("Manage stock?"), and whether the
// product ships (neither virtual nor downloadable). Unknown SKUs are absent.
func (c *Client) Stock(ctx context.Context, skus []string) (map[string]orders.StockLevel, error) {
	found, err := c.productsBySKU(ctx, skus)
	if err != nil {
		return nil, err
	}
	out := map[string]orders.StockLevel{}
	for _, s := range skus {
		p, ok := found[strings.ToLower(s)]
		if !ok {
			continue
		}
		l := orders.StockLevel{Shipped: !p.Virtual && !p.Downloadable}
		switch strings.Trim(string(p.ManageStock), `"`) {
		case "true", "1", "yes", "parent":
			l.Tracked = p.StockQuantity != nil
		}
		if l.Tracked {
			l.Quantity = *p.StockQuantity
		}
		out[s] = l
	}
	return out, nil
}
