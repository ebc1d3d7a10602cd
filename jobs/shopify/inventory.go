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
	// NotDone is set (with InventoryError and a "not done: …" message) when the call failed
	// before this SKU was decided: nothing is known to have changed, and trying again later
	// may succeed (see the returned error's kind).
	NotDone bool
}

// Batch sizes of SetInventory and Stock.
const (
	skusPerLookup      = 25  // SKUs per productVariants search (Stock)
	variantsPerLookup  = 50  // variants per productVariants page (Stock)
	skusPerItemLookup  = 50  // SKUs per inventoryItems search (SetInventory)
	itemsPerLookup     = 100 // inventory items per inventoryItems page: room for shared SKUs
	quantitiesPerWrite = 100 // quantities per inventorySetQuantities call
)

// ReferenceDocumentURI is the referenceDocumentUri sent with
// inventorySetQuantities when Config.InventoryReference is empty; it shows
// in Shopify's inventory history as the change's source.
const ReferenceDocumentURI = "ledgerlink://quickbooks/inventory-sync"

const primaryLocationQuery = `query PrimaryLocation { location { id } }`

// itemsBySKUQuery costs 2 + itemsPerLookup points requested (one per inventory
// item: sku and tracked are scalars), refunded to what came back. Whether an
// item is stocked at the location is not asked here (that would double the
// cost of every look-up): inventorySetQuantities names such items in a
// userError, and SetInventory resends the rest.
const itemsBySKUQuery = `query ItemsBySKU($query: String!, $after: String) {
  inventoryItems(first: 100, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku tracked }
  }
}`

const setQuantitiesMutation = `mutation SetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`

type itemNode struct {
	ID      string `json:"id"`
	SKU     string `json:"sku"`
	Tracked bool   `json:"tracked"`
}

// SetInventory sets the "available" quantity of each SKU at the location
// (Config.LocationID, default the primary location): it resolves SKUs to
// inventory items with inventoryItems(query: "sku:…"), 50 SKUs per search at
// one cost point per item found, and calls inventorySetQuantities with up to
// 100 quantities per call. It returns one result per Quantity: ok, an unknown
// SKU, or an error with Shopify's userError message.
//
// A SKU that several variants share sets all of them. Items Shopify does not
// track are reported without being sent: inventorySetQuantities refuses a
// whole call for one such item. When Shopify answers a userError naming
// quantities (an item not stocked at the location, a quantity out of range),
// those SKUs get the message and the rest of the call is sent again.
//
// QuickBooks is the source of truth for these quantities, so the call sets
// absolute values with ignoreCompareQuantity — the documented alternative to
// 2025-01's compareQuantity, which would only make a concurrent sale lose
// against the QuickBooks figure anyway (the sale reaches QuickBooks, and its
// new quantity the store, on the next order sync). Absolute values also make
// a retried call harmless: 2025-01 has no @idempotent, and
// referenceDocumentUri (Config.InventoryReference) names the push in the
// shop's inventory history. The returned error is for failures of the call
// itself; results of SKUs not decided by then have NotDone set, those of
// calls applied before it are ok.
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
				res[i].Status, res[i].Message, res[i].NotDone = InventoryError, "not done: "+err.Error(), true
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
	items, err := c.itemsBySKU(ctx, skus)
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
		its := items[sku]
		if len(its) == 0 {
			r.Status, r.Message = InventoryUnknownSKU, "no variant has this SKU"
			continue
		}
		var skipped []string
		for _, it := range its {
			if !it.Tracked {
				skipped = append(skipped, fmt.Sprintf("Shopify does not track inventory for inventory item %s", legacyID(it.ID)))
				continue
			}
			todo = append(todo, entry{i, it.ID})
			r.InventoryItemIDs = append(r.InventoryItemIDs, it.ID)
		}
		if len(skipped) > 0 {
			r.Message = strings.Join(skipped, "; ")
			if len(r.InventoryItemIDs) == 0 {
				r.Status = InventoryError
			}
		}
	}
	reference := c.reference
	if reference == "" {
		reference = ReferenceDocumentURI
	}
	// unsent counts each SKU's items not yet in an applied call: a SKU is ok
	// once all of them were, so a later failed call leaves it alone.
	unsent := map[int]int{}
	for _, e := range todo {
		unsent[e.idx]++
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
				"referenceDocumentUri":  reference,
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
		for _, e := range todo[start:min(start+quantitiesPerWrite, len(todo))] {
			if unsent[e.idx]--; unsent[e.idx] == 0 && res[e.idx].Status == "" {
				res[e.idx].Status = InventoryOK
			}
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

// itemsBySKU finds the inventory items of each SKU (exact match; a match
// differing only in case counts when there is no exact one), skusPerItemLookup
// SKUs per search.
func (c *Client) itemsBySKU(ctx context.Context, skus []string) (map[string][]itemNode, error) {
	out := map[string][]itemNode{}
	for start := 0; start < len(skus); start += skusPerItemLookup {
		chunk := skus[start:min(start+skusPerItemLookup, len(skus))]
		vars := map[string]any{"query": skuSearch(chunk)}
		folded := map[string][]itemNode{}
		for page := 1; ; page++ {
			var data struct {
				Items struct {
					PageInfo pageInfo   `json:"pageInfo"`
					Nodes    []itemNode `json:"nodes"`
				} `json:"inventoryItems"`
			}
			call := fmt.Sprintf("look up %d SKUs (page %d)", len(chunk), page)
			if err := c.query(ctx, call, itemsBySKUQuery, vars, 2+itemsPerLookup, &data); err != nil {
				return nil, err
			}
			for _, it := range data.Items.Nodes {
				folded[strings.ToLower(it.SKU)] = append(folded[strings.ToLower(it.SKU)], it)
			}
			if !data.Items.PageInfo.HasNextPage {
				break
			}
			vars["after"] = data.Items.PageInfo.EndCursor
		}
		for _, s := range chunk {
			var exact []itemNode
			for _, it := range folded[strings.ToLower(s)] {
				if it.SKU == s {
					exact = append(exact, it)
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

const locationsQuery = `query Locations($after: String) {
  locations(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name }
  }
}`

// SelectLocation sets the location SetInventory sets quantities at, as a merchant names it in
// a connection's settings: a location id (a number, or gid://shopify/Location/N, taken as it
// is) or a location's name (compared case-insensitively among the shop's active locations,
// read with one query per 100 locations). Empty keeps Config.LocationID, or the primary
// location. A name no location has is an error of kind ErrNotFound that names it.
func (c *Client) SelectLocation(ctx context.Context, nameOrID string) error {
	s := strings.TrimSpace(nameOrID)
	var id string
	switch {
	case s == "":
		return nil
	case strings.HasPrefix(s, "gid://shopify/Location/"):
		id = s
	case strings.Trim(s, "0123456789") == "":
		id = "gid://shopify/Location/" + s
	default:
		vars := map[string]any{}
		var names []string
		for page := 1; id == ""; page++ {
			var data struct {
				Locations struct {
					PageInfo pageInfo `json:"pageInfo"`
					Nodes    []struct {
						ID   string `json:"id"`
						Name string `json:"name"`
					} `json:"nodes"`
				} `json:"locations"`
			}
			call := fmt.Sprintf("find location %q (page %d)", s, page)
			if err := c.query(ctx, call, locationsQuery, vars, 2+100, &data); err != nil {
				return err
			}
			for _, l := range data.Locations.Nodes {
				names = append(names, l.Name)
				if strings.EqualFold(strings.TrimSpace(l.Name), s) {
					id = l.ID
					break
				}
			}
			if id != "" || !data.Locations.PageInfo.HasNextPage {
				break
			}
			vars["after"] = data.Locations.PageInfo.EndCursor
		}
		if id == "" {
			return c.net.NewError(fmt.Sprintf("find location %q", s), ErrNotFound,
				fmt.Sprintf("the shop has no active location named %q (its locations: %s)", s, strings.Join(names, ", ")))
		}
	}
	c.mu.Lock()
	c.location = id
	c.mu.Unlock()
	return nil
}
