package woocommerce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Quantity is the stock to set for one SKU.
type Quantity struct {
	SKU       string
	Available int
}

// StockStatus is the outcome of one SKU of SetStock.
type StockStatus string

const (
	StockOK         StockStatus = "ok"          // the store now holds Available
	StockError      StockStatus = "error"       // see Message
	StockUnknownSKU StockStatus = "unknown_sku" // no product or variation has the SKU
)

// StockResult is the outcome for one Quantity, in input order.
type StockResult struct {
	SKU         string
	Status      StockStatus
	Message     string
	ProductID   int64 // the product, or the variation's parent
	VariationID int64 // the variation, when the SKU is one
	// NotDone is set (with StockError and a "not done: …" message) when the call failed
	// before this SKU was decided: nothing is known to have changed, and trying again later
	// may succeed (see the returned error's kind).
	NotDone bool
}

// MaxBatch is WooCommerce's default limit of items per batch request.
const MaxBatch = 100

// skuLookupChunk is how many SKUs one GET /products?sku=a,b,… asks for.
const skuLookupChunk = 40

// product is the part of a product or variation SetStock reads.
type product struct {
	ID            int64           `json:"id"`
	ParentID      int64           `json:"parent_id"`
	Type          string          `json:"type"`
	SKU           string          `json:"sku"`
	ManageStock   json.RawMessage `json:"manage_stock"` // true, false or "parent"
	StockQuantity *int            `json:"stock_quantity"`
	Virtual       bool            `json:"virtual"`
	Downloadable  bool            `json:"downloadable"`
}

// SetStock sets stock_quantity by SKU: it finds the products and variations
// (GET /products?sku=…, which matches both, case-insensitively), then
// updates them with POST /products/batch and
// POST /products/{parent}/variations/batch, at most 100 items per request,
// splitting a batch the host refuses with 413. It returns one result per
// Quantity: ok, an unknown SKU, or an error with WooCommerce's per-item
// message. A product whose stock WooCommerce does not manage ("Manage
// stock?" off, or a variation using its parent's stock) is reported as an
// error rather than switched on behind the merchant's back.
//
// Setting an absolute quantity is idempotent, so requests are retried like
// reads. The returned error is for failures of the call itself; the
// results then say which SKUs were done before it; the others have NotDone.
func (c *Client) SetStock(ctx context.Context, qs []Quantity) ([]StockResult, error) {
	res := make([]StockResult, len(qs))
	last := map[string]int{} // lower-cased SKU → index of its last Quantity
	for i, q := range qs {
		res[i] = StockResult{SKU: q.SKU}
		if strings.TrimSpace(q.SKU) == "" {
			res[i].Status, res[i].Message = StockError, "empty SKU"
			continue
		}
		k := strings.ToLower(strings.TrimSpace(q.SKU))
		if j, ok := last[k]; ok {
			res[j].Status, res[j].Message = StockError, fmt.Sprintf("superseded by entry %d for the same SKU", i)
		}
		last[k] = i
	}
	var skus []string
	for _, i := range last {
		skus = append(skus, strings.TrimSpace(qs[i].SKU))
	}
	sort.Strings(skus)
	found, err := c.productsBySKU(ctx, skus)
	if err != nil {
		c.failPending(res, err)
		return res, err
	}

	type target struct {
		idx int
		p   product
	}
	groups := map[int64][]target{} // parent id (0: products) → items
	for k, i := range last {
		p, ok := found[k]
		r := &res[i]
		switch {
		case !ok:
			r.Status, r.Message = StockUnknownSKU, "no product or variation has this SKU"
			continue
		case p.Type == "variation":
			r.ProductID, r.VariationID = p.ParentID, p.ID
		default:
			r.ProductID = p.ID
		}
		switch manage := strings.Trim(string(p.ManageStock), `"`); manage {
		case "true", "1", "yes":
		case "parent":
			r.Status, r.Message = StockError, fmt.Sprintf("this variation uses the stock of its parent product %d; set the stock there", p.ParentID)
			continue
		default:
			r.Status, r.Message = StockError, "WooCommerce does not manage stock for this product (Manage stock? is off)"
			continue
		}
		parent := int64(0)
		if p.Type == "variation" {
			parent = p.ParentID
		}
		groups[parent] = append(groups[parent], target{i, p})
	}
	parents := make([]int64, 0, len(groups))
	for id := range groups {
		parents = append(parents, id)
	}
	sort.Slice(parents, func(a, b int) bool { return parents[a] < parents[b] })
	for _, parent := range parents {
		ts := groups[parent]
		sort.Slice(ts, func(a, b int) bool { return ts[a].p.ID < ts[b].p.ID })
		idx := make([]int, len(ts))
		ids := make([]int64, len(ts))
		for j, t := range ts {
			idx[j], ids[j] = t.idx, t.p.ID
		}
		path := "/products/batch"
		if parent != 0 {
			path = fmt.Sprintf("/products/%d/variations/batch", parent)
		}
		for start := 0; start < len(idx); start += MaxBatch {
			end := min(start+MaxBatch, len(idx))
			if err := c.stockBatch(ctx, path, qs, idx[start:end], ids[start:end], res); err != nil {
				c.failPending(res, err)
				return res, err
			}
		}
	}
	return res, nil
}

// failPending marks results not decided yet as not done because of err.
func (c *Client) failPending(res []StockResult, err error) {
	for i := range res {
		if res[i].Status == "" {
			res[i].Status, res[i].Message, res[i].NotDone = StockError, "not done: "+err.Error(), true
		}
	}
}

// productsBySKU looks the SKUs up, several per request, and returns the
// products and variations by lower-cased SKU.
func (c *Client) productsBySKU(ctx context.Context, skus []string) (map[string]product, error) {
	found := map[string]product{}
	var chunks [][]string
	var cur []string
	for _, s := range skus {
		if strings.Contains(s, ",") { // a comma would split it: ask alone
			chunks = append(chunks, []string{s})
			continue
		}
		cur = append(cur, s)
		if len(cur) == skuLookupChunk {
			chunks, cur = append(chunks, cur), nil
		}
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	for _, chunk := range chunks {
		want := map[string]bool{}
		for _, s := range chunk {
			want[strings.ToLower(s)] = true
		}
		v := url.Values{}
		v.Set("sku", strings.Join(chunk, ","))
		v.Set("per_page", strconv.Itoa(MaxPageSize))
		v.Set("status", "any")
		for page := 1; ; page++ {
			v.Set("page", strconv.Itoa(page))
			var list []product
			h, err := c.getJSON(ctx, fmt.Sprintf("look up %d SKUs", len(chunk)), "/products", v, &list)
			if err != nil {
				return nil, err
			}
			for _, p := range list {
				k := strings.ToLower(strings.TrimSpace(p.SKU))
				if !want[k] {
					continue
				}
				if prev, dup := found[k]; dup && prev.SKU == strings.TrimSpace(p.SKU) {
					continue // keep an exact-case match found first
				}
				found[k] = p
			}
			pages, _ := strconv.Atoi(h.Get("X-WP-TotalPages"))
			if len(list) == 0 || page >= pages {
				break
			}
		}
	}
	return found, nil
}

// batchItem is one element of a batch answer's "update" list: the product,
// or {"id", "error"}.
type batchItem struct {
	ID            json.Number `json:"id"`
	StockQuantity *int        `json:"stock_quantity"`
	Error         *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// stockBatch updates the items at idx (product/variation ids) in one batch
// request, splitting it when the host refuses it with 413.
func (c *Client) stockBatch(ctx context.Context, path string, qs []Quantity, idx []int, ids []int64, res []StockResult) error {
	type update struct {
		ID            int64 `json:"id"`
		StockQuantity int   `json:"stock_quantity"`
	}
	body := struct {
		Update []update `json:"update"`
	}{}
	for j, i := range idx {
		body.Update = append(body.Update, update{ID: ids[j], StockQuantity: qs[i].Available})
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return err
	}
	call := fmt.Sprintf("update stock of %d items", len(idx))
	r, err := c.do(ctx, call, http.MethodPost, path, nil, payload)
	var apiErr *storenet.Error
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusRequestEntityTooLarge {
		if len(idx) == 1 {
			res[idx[0]].Status, res[idx[0]].Message = StockError, apiErr.Error()
			return nil
		}
		half := len(idx) / 2
		c.log.Info("woocommerce: batch too large for the store, splitting", "items", len(idx))
		if err := c.stockBatch(ctx, path, qs, idx[:half], ids[:half], res); err != nil {
			return err
		}
		return c.stockBatch(ctx, path, qs, idx[half:], ids[half:], res)
	}
	if err != nil {
		return err
	}
	var out struct {
		Update []batchItem `json:"update"`
	}
	if err := c.decode(call, r.body, &out); err != nil {
		return err
	}
	byID := map[int64]int{}
	for j, id := range ids {
		byID[id] = j
	}
	for n, item := range out.Update {
		id, _ := item.ID.Int64()
		j, ok := byID[id]
		if !ok && n < len(ids) { // answers come in request order
			j, ok = n, true
		}
		if !ok {
			continue
		}
		delete(byID, ids[j])
		r := &res[idx[j]]
		switch {
		case item.Error != nil:
			r.Status, r.Message = StockError, item.Error.Message+" ("+item.Error.Code+")"
		case item.StockQuantity == nil || *item.StockQuantity != qs[idx[j]].Available:
			got := "null"
			if item.StockQuantity != nil {
				got = strconv.Itoa(*item.StockQuantity)
			}
			r.Status, r.Message = StockError, "the store answered stock_quantity "+got+", not the quantity sent"
		default:
			r.Status = StockOK
		}
	}
	for _, j := range byID {
		r := &res[idx[j]]
		if r.Status == "" {
			r.Status, r.Message = StockError, "the store's answer did not mention this item"
		}
	}
	return nil
}
