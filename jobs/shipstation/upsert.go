package shipstation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// MaxUpsertBatch is the most orders POST /orders/createorders takes.
const MaxUpsertBatch = 100

// UpsertOrders creates or updates orders through POST /orders/createorders,
// at most 100 per request, and returns one result per order in input order.
//
// ShipStation upserts by orderKey: an order whose key exists is updated
// (unless it is shipped or cancelled: that order's result says so), any
// other is created. Every order must carry an OrderKey — that is what makes
// a retried request (after a timeout or a 5xx) update instead of creating a
// duplicate — and a key may appear only once per call; orders breaking
// either rule get an error result and are not sent. When ShipStation
// refuses a whole request because of one invalid order (a 400 naming
// apiOrders[i]), that order gets the error and the rest are sent again.
//
// The returned error is for failures of the call itself (credentials,
// network, ShipStation down after every retry); the results then say which
// orders were stored before it happened.
func (c *Client) UpsertOrders(ctx context.Context, in []Order) ([]UpsertResult, error) {
	results := make([]UpsertResult, len(in))
	var todo []int
	keys := map[string]int{}
	for i, o := range in {
		results[i] = UpsertResult{OrderKey: o.OrderKey, OrderNumber: o.OrderNumber}
		switch first, dup := keys[o.OrderKey]; {
		case o.OrderKey == "":
			results[i].Error = "orderKey is required: without it a retry could create the order twice"
		case dup:
			results[i].Error = fmt.Sprintf("orderKey %q is also used by order %d of this call", o.OrderKey, first)
		default:
			keys[o.OrderKey] = i
			todo = append(todo, i)
		}
	}
	for start := 0; start < len(todo); start += MaxUpsertBatch {
		chunk := todo[start:min(start+MaxUpsertBatch, len(todo))]
		if err := c.upsertChunk(ctx, in, chunk, results); err != nil {
			for _, i := range todo[start:] {
				if !results[i].OK && results[i].Error == "" {
					results[i].Error = "not sent: " + err.Error()
				}
			}
			return results, err
		}
	}
	return results, nil
}

// modelStateIndex matches the order index in a createorders ModelState key
// ("apiOrders[3].orderDate").
var modelStateIndex = regexp.MustCompile(`^apiOrders\[(\d+)\]`)

// upsertChunk sends the orders at idx (≤ 100), dropping orders ShipStation
// names as invalid and resending the rest.
func (c *Client) upsertChunk(ctx context.Context, in []Order, idx []int, results []UpsertResult) error {
	for len(idx) > 0 {
		batch := make([]Order, len(idx))
		for j, i := range idx {
			batch[j] = in[i]
		}
		payload, err := json.Marshal(batch)
		if err != nil {
			return fmt.Errorf("shipstation: encode orders: %w", err)
		}
		call := fmt.Sprintf("create/update %d orders", len(batch))
		body, err := c.do(ctx, call, http.MethodPost, "/orders/createorders", nil, payload)
		var apiErr *storenet.Error
		if errors.As(err, &apiErr) && errors.Is(err, ErrInvalid) {
			modelState, _ := apiErr.Detail.(map[string][]string)
			bad := invalidOrders(modelState, len(idx))
			if len(bad) == 0 { // the request as a whole was refused
				for _, i := range idx {
					results[i].Error = apiErr.Error()
				}
				return nil
			}
			keep := idx[:0:0]
			for j, i := range idx {
				if msg, ok := bad[j]; ok {
					results[i].Error = msg
				} else {
					keep = append(keep, i)
				}
			}
			idx = keep
			continue
		}
		if err != nil {
			return err
		}
		var resp struct {
			HasErrors bool `json:"hasErrors"`
			Results   []struct {
				OrderID      int64   `json:"orderId"`
				OrderNumber  string  `json:"orderNumber"`
				OrderKey     string  `json:"orderKey"`
				Success      bool    `json:"success"`
				ErrorMessage *string `json:"errorMessage"`
			} `json:"results"`
		}
		if err := c.decode(call, body, &resp); err != nil {
			return err
		}
		byKey := map[string]int{}
		for _, i := range idx {
			byKey[in[i].OrderKey] = i
		}
		for n, r := range resp.Results {
			i, ok := byKey[r.OrderKey]
			if !ok && n < len(idx) { // results come in request order
				i, ok = idx[n], true
			}
			if !ok {
				continue
			}
			results[i].OrderID = r.OrderID
			results[i].OK = r.Success
			if r.ErrorMessage != nil {
				results[i].Error = *r.ErrorMessage
			}
			if !r.Success && results[i].Error == "" {
				results[i].Error = "ShipStation did not store the order and gave no reason"
			}
			delete(byKey, r.OrderKey)
		}
		for _, i := range byKey {
			if !results[i].OK && results[i].Error == "" {
				results[i].Error = "ShipStation's answer did not mention this order"
			}
		}
		return nil
	}
	return nil
}

// invalidOrders maps the batch positions a 400's ModelState names to their
// messages.
func invalidOrders(ms map[string][]string, n int) map[int]string {
	out := map[int]string{}
	keys := make([]string, 0, len(ms))
	for k := range ms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := modelStateIndex.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		j, err := strconv.Atoi(m[1])
		if err != nil || j >= n {
			continue
		}
		msg := "ShipStation refused the order: " + k + ": " + strings.Join(ms[k], " ")
		if prev, ok := out[j]; ok {
			msg = prev + "; " + k + ": " + strings.Join(ms[k], " ")
		}
		out[j] = msg
	}
	return out
}

// Shipments returns the labels created in ShipStation since since
// (createDate ≥ since, whole seconds), voided ones included, with their
// items. Orders marked as shipped outside ShipStation are not here; see
// Fulfillments.
func (c *Client) Shipments(ctx context.Context, since time.Time) ([]Shipment, error) {
	v := url.Values{}
	v.Set("includeShipmentItems", "true")
	v.Set("sortBy", "CreateDate")
	v.Set("sortDir", "ASC")
	if !since.IsZero() {
		v.Set("createDateStart", filterTime(since.Truncate(time.Second)))
	}
	return walkItems[Shipment](ctx, c, "list shipments", "/shipments", "shipments", v)
}

// Fulfillments returns the orders marked as shipped outside ShipStation's
// label flow (POST /orders/markasshipped, marketplace fulfilment) since
// since (createDate ≥ since, whole seconds).
func (c *Client) Fulfillments(ctx context.Context, since time.Time) ([]Fulfillment, error) {
	v := url.Values{}
	if !since.IsZero() {
		v.Set("createDateStart", filterTime(since.Truncate(time.Second)))
	}
	return walkItems[Fulfillment](ctx, c, "list fulfillments", "/fulfillments", "fulfillments", v)
}

// walkItems walks every page of a V1 list (see walk) and returns the items each page holds
// under key ("shipments", "fulfillments"), in order.
func walkItems[T any](ctx context.Context, c *Client, call, path, key string, v url.Values) ([]T, error) {
	var out []T
	err := c.walk(ctx, call, path, v, func(raw json.RawMessage) error {
		var page map[string]json.RawMessage
		if err := json.Unmarshal(raw, &page); err != nil {
			return err
		}
		var items []T
		if list, ok := page[key]; ok {
			if err := json.Unmarshal(list, &items); err != nil {
				return err
			}
		}
		out = append(out, items...)
		return nil
	})
	return out, err
}

// walk GETs every page of a V1 list ({…, page, pages}) and hands each body
// to each.
func (c *Client) walk(ctx context.Context, what, path string, v url.Values, each func(json.RawMessage) error) error {
	v.Set("pageSize", strconv.Itoa(MaxPageSize))
	for page := 1; ; page++ {
		v.Set("page", strconv.Itoa(page))
		call := fmt.Sprintf("%s (page %d)", what, page)
		body, err := c.do(ctx, call, http.MethodGet, path, v, nil)
		if err != nil {
			return err
		}
		var p struct {
			Page  int `json:"page"`
			Pages int `json:"pages"`
		}
		if err := c.decode(call, body, &p); err != nil {
			return err
		}
		if err := each(body); err != nil {
			return c.net.Unexpected(call, body, fmt.Errorf("the answer is not the JSON expected: %w", err))
		}
		if page >= p.Pages {
			return nil
		}
	}
}

// Stores returns the account's stores, inactive ones included. Their
// StoreID is what AdvancedOptions.StoreID routes a new order to.
func (c *Client) Stores(ctx context.Context) ([]Store, error) {
	v := url.Values{}
	v.Set("showInactive", "true")
	var out []Store
	err := c.getJSON(ctx, "list stores", "/stores", v, &out)
	return out, err
}
