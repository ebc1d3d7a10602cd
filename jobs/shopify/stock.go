package shopify

import (
	"context"
	"fmt"
	"strings"
)

const variantStockQuery = `query VariantStock($query: String!, $after: String) {
  productVariants(first: 50, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { sku inventoryQuantity }
  }
}`

// Stock returns the available quantity (summed over locations, as Shopify's
// inventoryQuantity) of each SKU found, keyed by the SKU as given. SKUs are
// matched exactly, else ignoring case; unknown SKUs are absent.
func (c *Client) Stock(ctx context.Context, skus []string) (map[string]int, error) {
	out := map[string]int{}
	for start := 0; start < len(skus); start += skusPerLookup {
		chunk := skus[start:min(start+skusPerLookup, len(skus))]
		terms := make([]string, len(chunk))
		for i, s := range chunk {
			terms[i] = "sku:" + quoteSearch(s)
		}
		vars := map[string]any{"query": strings.Join(terms, " OR ")}
		exact, folded := map[string]int{}, map[string]int{}
		for page := 1; ; page++ {
			var data struct {
				Variants struct {
					PageInfo pageInfo `json:"pageInfo"`
					Nodes    []struct {
						SKU               string `json:"sku"`
						InventoryQuantity *int   `json:"inventoryQuantity"`
					} `json:"nodes"`
				} `json:"productVariants"`
			}
			call := fmt.Sprintf("read the stock of %d SKUs (page %d)", len(chunk), page)
			if err := c.query(ctx, call, variantStockQuery, vars, 2+variantsPerLookup, &data); err != nil {
				return nil, err
			}
			for _, v := range data.Variants.Nodes {
				if v.InventoryQuantity == nil {
					continue
				}
				exact[v.SKU] += *v.InventoryQuantity
				folded[strings.ToLower(v.SKU)] += *v.InventoryQuantity
			}
			if !data.Variants.PageInfo.HasNextPage {
				break
			}
			vars["after"] = data.Variants.PageInfo.EndCursor
		}
		for _, s := range chunk {
			if q, ok := exact[s]; ok {
				out[s] = q
			} else if q, ok := folded[strings.ToLower(s)]; ok {
				out[s] = q
			}
		}
	}
	return out, nil
}
