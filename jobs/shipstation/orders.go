package shipstation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Query selects the orders Orders walks. Zero fields do not filter.
// Time ranges are [From, To): From inclusive, To exclusive.
type Query struct {
	UpdatedFrom, UpdatedTo time.Time // modifyDate
	CreatedFrom, CreatedTo time.Time // orderDate (when the customer ordered; Order.CreatedAt)
	// Statuses are ShipStation orderStatus values (awaiting_shipment, …).
	// V1 filters one status per request, so each status is walked in turn.
	Statuses []string
	// StoreID limits the walk to one ShipStation store (0: all stores).
	StoreID int64
	// ImportBatch limits the walk to the orders of one import (what an
	// ORDER_NOTIFY webhook's resource_url names; see ResourceQuery).
	ImportBatch string
	// PageSize is the number of orders per request (default and maximum 500).
	PageSize int
}

// MaxPageSize is the largest pageSize V1 honours.
const MaxPageSize = 500

// Page is one page of orders, as fn receives it.
type Page struct {
	Status string // the status filter this page belongs to ("" when none)
	Number int    // 1-based page number within the walk of Status
	Pages  int    // page count ShipStation reported
	Total  int    // order count ShipStation reported
	Orders []Fetched
}

// Fetched is one order as ShipStation sent it and as normalized; Orders delivers
// an order Normalize refused with Err set instead of ending the walk.
type Fetched = orders.Fetched

// Orders walks every page of orders matching q, calling fn once per page, and
// stops at fn's first error, which it returns. An order Normalize refuses is
// delivered with its Err set; the walk goes on. Orders Ledgerlink created from
// QuickBooks sales (CreatedFromQuickBooks) are never delivered: they are those
// sales, already in QuickBooks; the walk logs how many it left out.
//
// Pages are requested by ascending orderId, which orders that change while
// the walk runs do not reorder. V1 pages by offset, so an order that drops
// out of the filter mid-walk (e.g. modified past UpdatedTo) would shift the
// next one onto a page already read; when the reported total changes during
// a walk the walk is repeated (at most 3 passes) and orders already
// delivered, with the same modifyDate, are not delivered again.
//
// V1 filters on whole seconds in Pacific time, both ends inclusive; the
// client asks for a range one second wider and drops orders outside
// [From, To) itself, so the bounds are exact.
func (c *Client) Orders(ctx context.Context, q Query, fn func(Page) error) error {
	size := q.PageSize
	if size <= 0 || size > MaxPageSize {
		size = MaxPageSize
	}
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []string{""}
	}
	seen := orders.Delivered{}
	for _, status := range statuses {
		settled, err := orders.Repeat(func(total func(int)) error { return c.walkOrders(ctx, q, status, size, seen, total, fn) })
		if err != nil {
			return err
		}
		if !settled {
			c.log.Warn("shipstation: orders kept changing while paging; stopping after the last pass", "passes", orders.MaxPasses)
		}
	}
	return nil
}

// Order fetches one order by orderId (GET /orders/{orderId}). It returns an
// error matching ErrNotFound when there is no such order (or it was
// deleted).
func (c *Client) Order(ctx context.Context, id string) (Fetched, error) {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return Fetched{}, fmt.Errorf("shipstation: order id %q is not a number", id)
	}
	call := "read order " + id
	body, err := c.do(ctx, call, http.MethodGet, "/orders/"+id, nil, nil)
	if err != nil {
		return Fetched{}, err
	}
	if key := orders.RawField(body, "orderKey"); CreatedFromQuickBooks(key) {
		return Fetched{}, fmt.Errorf("shipstation: %s: Ledgerlink created it from QuickBooks sale %s, so it is not read as a store order: %w", call, key, ErrNotFound)
	}
	o, err := c.normalize(body)
	if err != nil {
		return Fetched{}, fmt.Errorf("shipstation: %s: %w", call, err)
	}
	return Fetched{Raw: json.RawMessage(body), Order: o}, nil
}

// walkOrders makes one pass over the pages for one status, telling note each
// page's total.
func (c *Client) walkOrders(ctx context.Context, q Query, status string, size int, seen orders.Delivered, note func(int), fn func(Page) error) error {
	v := url.Values{}
	// No sortBy: V1's default order is ascending orderId.
	v.Set("pageSize", strconv.Itoa(size))
	if status != "" {
		v.Set("orderStatus", status)
	}
	if q.StoreID != 0 {
		v.Set("storeId", strconv.FormatInt(q.StoreID, 10))
	}
	if q.ImportBatch != "" {
		v.Set("importBatch", q.ImportBatch)
	}
	setRange(v, "modifyDate", q.UpdatedFrom, q.UpdatedTo)
	setRange(v, "orderDate", q.CreatedFrom, q.CreatedTo)
	for page := 1; ; page++ {
		v.Set("page", strconv.Itoa(page))
		var resp struct {
			Orders []json.RawMessage `json:"orders"`
			Total  int               `json:"total"`
			Page   int               `json:"page"`
			Pages  int               `json:"pages"`
		}
		call := fmt.Sprintf("list orders (page %d)", page)
		if err := c.getJSON(ctx, call, "/orders", v, &resp); err != nil {
			return err
		}
		note(resp.Total)
		out := Page{Status: status, Number: page, Pages: resp.Pages, Total: resp.Total}
		fromQuickBooks := 0
		for _, raw := range resp.Orders {
			if CreatedFromQuickBooks(orders.RawField(raw, "orderKey")) {
				// Posting it would put the sale into QuickBooks a second time (or, when
				// the duplicate check finds it, tie the sale to this connection).
				fromQuickBooks++
				continue
			}
			f := orders.Fetch(raw, c.normalize, identify)
			// A refused order's dates are unknown, so it is delivered whatever the range.
			if f.Err == nil && (!inRange(f.Order.UpdatedAt, q.UpdatedFrom, q.UpdatedTo) || !inRange(f.Order.CreatedAt, q.CreatedFrom, q.CreatedTo)) {
				continue
			}
			if seen.Deliver(f) {
				out.Orders = append(out.Orders, f)
			}
		}
		if fromQuickBooks > 0 {
			c.log.Info("shipstation: left out orders Ledgerlink created from QuickBooks sales", "page", page, "status", status, "orders", fromQuickBooks)
		}
		if len(out.Orders) > 0 {
			if err := fn(out); err != nil {
				return err
			}
		}
		if len(resp.Orders) == 0 || page >= resp.Pages {
			return nil
		}
	}
}

// normalize is Normalize with the client's currency.
func (c *Client) normalize(raw json.RawMessage) (orders.Order, error) {
	return Normalize(raw, c.currency)
}

// identify reads the orderId and orderNumber of an order Normalize refused (orderId 0 is no id).
func identify(raw json.RawMessage) orders.Order {
	id := orders.RawField(raw, "orderId")
	if id == "0" {
		id = ""
	}
	return orders.Order{ExternalID: id, Number: orders.RawField(raw, "orderNumber")}
}

// setRange sets <name>Start/<name>End one second wider than [from, to).
func setRange(v url.Values, name string, from, to time.Time) {
	if !from.IsZero() {
		v.Set(name+"Start", filterTime(from.Truncate(time.Second)))
	}
	if !to.IsZero() {
		v.Set(name+"End", filterTime(to.Truncate(time.Second).Add(time.Second)))
	}
}

func inRange(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
}
