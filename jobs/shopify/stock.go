package shopify

import (
	"context"
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

const variantStockQuery = `query VariantStock($query: String!, $after: String) {
  productVariants(first: 50, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { sku inventoryQuantity inventoryItem { tracked requiresShipping } }
  }
}`

// Stock returns what the store says about each SKU found, keyed by the SKU as given: the
// available quantity (summed over locations, as Shopify's inventoryQuantity, and over variants
// sharing the SKU), whether Shopify tracks it (InventoryItem.tracked) and whether it ships
// (InventoryItem.requiresShipping). SKUs are matched exactly, else ignoring case; unknown SKUs
// are absent.
func (c *Client) Stock(ctx context.Context, skus []string) (map[string]orders.StockLevel, error) {
	out := map[string]orders.StockLevel{}
	add := func(m map[string]orders.StockLevel, k string, qty *int, tracked, shipped bool) {
		l := m[k]
		if qty != nil && tracked {
			l.Quantity += *qty
		}
		l.Tracked = l.Tracked || tracked
		l.Shipped = l.Shipped || shipped
		m[k] = l
	}
	for start := 0; start < len(skus); start += skusPerLookup {
		chunk := skus[start:min(start+skusPerLookup, len(skus))]
		vars := map[string]any{"query": skuSearch(chunk)}
		exact, folded := map[string]orders.StockLevel{}, map[string]orders.StockLevel{}
		for page := 1; ; page++ {
			var data struct {
				Variants struct {
					PageInfo pageInfo `json:"pageInfo"`
					Nodes    []struct {
						SKU               string `json:"sku"`
						InventoryQuantity *int   `json:"inventoryQuantity"`
						InventoryItem     struct {
							Tracked          bool `json:"tracked"`
							RequiresShipping bool `json:"requiresShipping"`
						} `json:"inventoryItem"`
					} `json:"nodes"`
				} `json:"productVariants"`
			}
			call := fmt.Sprintf("read the stock of %d SKUs (page %d)", len(chunk), page)
			if err := c.query(ctx, call, variantStockQuery, vars, 2+2*variantsPerLookup, &data); err != nil {
				return nil, err
			}
			for _, v := range data.Variants.Nodes {
				// An untracked variant's inventoryQuantity means nothing (often 0 or null).
				tracked := v.InventoryItem.Tracked && v.InventoryQuantity != nil
				add(exact, v.SKU, v.InventoryQuantity, tracked, v.InventoryItem.RequiresShipping)
				add(folded, strings.ToLower(v.SKU), v.InventoryQuantity, tracked, v.InventoryItem.RequiresShipping)
			}
			if !data.Variants.PageInfo.HasNextPage {
				break
			}
			vars["after"] = data.Variants.PageInfo.EndCursor
		}
		for _, s := range chunk {
			if l, ok := exact[s]; ok {
				out[s] = l
			} else if l, ok := folded[strings.ToLower(s)]; ok {
				out[s] = l
			}
		}
	}
	return out, nil
}
