package shopify

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Quantity is the available quantity to set for one SKU.
type Quantity struct {
	SKU       string
	Available int
}

// InventoryStatus is the outcome of one SKU of SetInventory.
type InventoryStatus string

const (
	InventoryOK         InventoryStatus = "ok"          // Shopify now shows Available
	InventoryError      InventoryStatus = "error"       // see Message
	InventoryUnknownSKU InventoryStatus = "unknown_sku" // no variant has the SKU
)

// InventoryResult is the outcome for one Quantity, in input order.
type InventoryResult struct {
	SKU              string
	Status           InventoryStatus
	Message          string
	InventoryItemIDs []string // the inventory items set (several when variants share the SKU)
}

// Batch sizes of SetInventory.
const (
	skusPerLookup      = 25  // SKUs per productVariants search
	variantsPerLookup  = 50  // variants per productVariants page
	quantitiesPerWrite = 100 // quantities per inventorySetQuantities call
)

// ReferenceDocumentURI is sent with every inventorySetQuantities call; it
// shows in Shopify's inventory history as the reason's source.
const ReferenceDocumentURI = "ledgerlink://quickbooks/inventory-sync"

const primaryLocationQuery = `query PrimaryLocation { location { id } }`

const variantsBySKUQuery = `query VariantsBySKU($query: String!, $after: String, $location: ID!) {
  productVariants(first: 50, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku inventoryItem { id tracked inventoryLevel(locationId: $location) { id } } }
  }
}`

const setQuantitiesMutation = `mutation SetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`

type variantNode struct {
	ID            string `json:"id"`
	SKU           string `json:"sku"`
	InventoryItem *struct {
		ID             string `json:"id"`
		Tracked        bool   `json:"tracked"`
		InventoryLevel *struct {
			ID string `json:"id"`
		} `json:"inventoryLevel"`
	} `json:"inventoryItem"`
}

// SetInventory sets the "available" quantity of each SKU at the location
// (Config.LocationID, default the primary location): it resolves SKUs to
// inventory items with productVariants(query: "sku:…"), 25 SKUs per search,
// and calls inventorySetQuantities with up to 100 quantities per call. It
// returns one result per Quantity: ok, an unknown SKU, or an error with
// Shopify's userError message.
//
// A SKU that several variants share sets all of them. Items Shopify does
// not track, or that are not stocked at the location, are reported without
// being sent: inventorySetQuantities refuses a whole call for one such item.
// Should Shopify still answer a userError naming one quantity, that SKU gets
// the message and the rest of the call is sent again.
//
// QuickBooks is the source of truth for these quantities, so the call sets
// absolute values with ignoreCompareQuantity (2025-01's compare-and-set
// would only make a concurrent sale lose against the QuickBooks figure
// anyway), which also makes a retried call harmless. The returned error is
// for failures of the call itself; the results then say which SKUs were
// done before it.
func (c *Client) SetInventory(ctx context.Context, qs []Quantity) ([]InventoryResult, error) {
	res := make([]InventoryResult, len(qs))
	last := map[string]int{}
	for i, q := range qs {
		res[i] = InventoryResult{SKU: q.SKU}
		if strings.TrimSpace(q.SKU) == "" {
			res[i].Status, res[i].Message = InventoryError, "empty SKU"
			continue
		}
		if j, ok := last[q.SKU]; ok {
			res[j].Status, res[j].Message = InventoryError, fmt.Sprintf("superseded by entry %d for the same SKU", i)
		}
		last[q.SKU] = i
	}
	fail := func(err error) ([]InventoryResult, error) {
		for i := range res {
			if res[i].Status == "" {
				res[i].Status, res[i].Message = InventoryError, "not done: "+err.Error()
			}
		}
		return res, err
	}
	if len(last) == 0 {
		return res, nil
	}
	location, err := c.locationID(ctx)
	if err != nil {
		return fail(err)
	}
	skus := make([]string, 0, len(last))
	for s := range last {
		skus = append(skus, s)
	}
	sort.Strings(skus)
	variants, err := c.variantsBySKU(ctx, skus, location)
	if err != nil {
		return fail(err)
	}

	type entry struct {
		idx  int // into qs / res
		item string
	}
	var todo []entry
	for _, sku := range skus {
		i := last[sku]
		r := &res[i]
		vs := variants[sku]
		if len(vs) == 0 {
			r.Status, r.Message = InventoryUnknownSKU, "no variant has this SKU"
			continue
		}
		var skipped []string
		for _, v := range vs {
			switch it := v.InventoryItem; {
			case it == nil:
				skipped = append(skipped, fmt.Sprintf("variant %s has no inventory item", legacyID(v.ID)))
			case !it.Tracked:
				skipped = append(skipped, fmt.Sprintf("Shopify does not track inventory for variant %s", legacyID(v.ID)))
			case it.InventoryLevel == nil:
				skipped = append(skipped, fmt.Sprintf("variant %s is not stocked at location %s", legacyID(v.ID), legacyID(location)))
			default:
				todo = append(todo, entry{i, it.ID})
				r.InventoryItemIDs = append(r.InventoryItemIDs, it.ID)
			}
		}
		if len(skipped) > 0 {
			r.Message = strings.Join(skipped, "; ")
			if len(r.InventoryItemIDs) == 0 {
				r.Status = InventoryError
			}
		}
	}

	for start := 0; start < len(todo); start += quantitiesPerWrite {
		batch := todo[start:min(start+quantitiesPerWrite, len(todo))]
		failed := map[int]string{} // res index → message
		for len(batch) > 0 {
			quantities := make([]map[string]any, len(batch))
			for j, e := range batch {
				quantities[j] = map[string]any{"inventoryItemId": e.item, "locationId": location, "quantity": qs[e.idx].Available}
			}
			input := map[string]any{
				"name":                  "available",
				"reason":                "correction",
				"referenceDocumentUri":  ReferenceDocumentURI,
				"ignoreCompareQuantity": true,
				"quantities":            quantities,
			}
			var data struct {
				Set *struct {
					UserErrors []struct {
						Code    string   `json:"code"`
						Field   []string `json:"field"`
						Message string   `json:"message"`
					} `json:"userErrors"`
				} `json:"inventorySetQuantities"`
			}
			call := fmt.Sprintf("set inventory of %d items", len(batch))
			if err := c.query(ctx, call, setQuantitiesMutation, map[string]any{"input": input}, 10, &data); err != nil {
				for _, e := range batch {
					failed[e.idx] = "not done: " + err.Error()
				}
				for idx, msg := range failed {
					res[idx].Status, res[idx].Message = InventoryError, msg
				}
				return fail(err)
			}
			if data.Set == nil || len(data.Set.UserErrors) == 0 {
				break // the whole batch was applied
			}
			// Any userError means nothing changed. Drop the quantities named
			// and send the rest again; an error naming none fails the batch.
			drop := map[int]bool{}
			for _, ue := range data.Set.UserErrors {
				j, ok := quantityIndex(ue.Field)
				msg := ue.Message
				if ue.Code != "" {
					msg += " (" + ue.Code + ")"
				}
				if !ok || j >= len(batch) {
					for _, e := range batch {
						failed[e.idx] = msg
					}
					drop = nil
					break
				}
				drop[j] = true
				failed[batch[j].idx] = msg
			}
			if drop == nil {
				batch = nil
				break
			}
			keep := batch[:0:0]
			for j, e := range batch {
				if !drop[j] {
					keep = append(keep, e)
				}
			}
			batch = keep
		}
		for idx, msg := range failed {
			res[idx].Status = InventoryError
			res[idx].Message = strings.TrimPrefix(strings.Join([]string{res[idx].Message, msg}, "; "), "; ")
		}
	}
	for i := range res {
		if res[i].Status == "" {
			res[i].Status = InventoryOK
		}
	}
	return res, nil
}

// quantityIndex reads i from a userError field ["input","quantities","i",…].
func quantityIndex(field []string) (int, bool) {
	for k := 0; k+1 < len(field); k++ {
		if field[k] == "quantities" {
			n, err := strconv.Atoi(field[k+1])
			return n, err == nil
		}
	}
	return 0, false
}

// locationID is Config.LocationID or the shop's primary location.
func (c *Client) locationID(ctx context.Context) (string, error) {
	c.mu.Lock()
	loc := c.location
	c.mu.Unlock()
	if loc != "" {
		return loc, nil
	}
	var data struct {
		Location *struct {
			ID string `json:"id"`
		} `json:"location"`
	}
	if err := c.query(ctx, "find the primary location", primaryLocationQuery, nil, 2, &data); err != nil {
		return "", err
	}
	if data.Location == nil || data.Location.ID == "" {
		return "", c.net.NewError("find the primary location", ErrStore, "the shop has no primary location")
	}
	c.mu.Lock()
	c.location = data.Location.ID
	c.mu.Unlock()
	return data.Location.ID, nil
}

// variantsBySKU finds the variants of each SKU (exact match; a match
// differing only in case counts when there is no exact one).
func (c *Client) variantsBySKU(ctx context.Context, skus []string, location string) (map[string][]variantNode, error) {
	out := map[string][]variantNode{}
	for start := 0; start < len(skus); start += skusPerLookup {
		chunk := skus[start:min(start+skusPerLookup, len(skus))]
		terms := make([]string, len(chunk))
		for i, s := range chunk {
			terms[i] = "sku:" + quoteSearch(s)
		}
		vars := map[string]any{"query": strings.Join(terms, " OR "), "location": location}
		folded := map[string][]variantNode{}
		for page := 1; ; page++ {
			var data struct {
				Variants struct {
					PageInfo pageInfo      `json:"pageInfo"`
					Nodes    []variantNode `json:"nodes"`
				} `json:"productVariants"`
			}
			call := fmt.Sprintf("look up %d SKUs (page %d)", len(chunk), page)
			if err := c.query(ctx, call, variantsBySKUQuery, vars, 2+variantsPerLookup*3, &data); err != nil {
				return nil, err
			}
			for _, v := range data.Variants.Nodes {
				folded[strings.ToLower(v.SKU)] = append(folded[strings.ToLower(v.SKU)], v)
			}
			if !data.Variants.PageInfo.HasNextPage {
				break
			}
			vars["after"] = data.Variants.PageInfo.EndCursor
		}
		for _, s := range chunk {
			var exact []variantNode
			for _, v := range folded[strings.ToLower(s)] {
				if v.SKU == s {
					exact = append(exact, v)
				}
			}
			if len(exact) == 0 {
				exact = folded[strings.ToLower(s)]
			}
			if len(exact) > 0 {
				out[s] = exact
			}
		}
	}
	return out, nil
}
