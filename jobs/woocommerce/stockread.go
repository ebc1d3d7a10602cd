package woocommerce

import (
	"context"
	"strings"
)

// Stock returns the stock quantity of each SKU whose product or variation
// manages stock, keyed by the SKU as given; unknown SKUs and products that do
// not manage stock are absent.
func (c *Client) Stock(ctx context.Context, skus []string) (map[string]int, error) {
	found, err := c.productsBySKU(ctx, skus)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, s := range skus {
		if p, ok := found[strings.ToLower(s)]; ok && p.StockQuantity != nil {
			out[s] = *p.StockQuantity
		}
	}
	return out, nil
}
