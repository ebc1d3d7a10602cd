package woocommerce

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Query selects the orders Orders walks. Zero fields do not filter.
// Time ranges are [From, To): From inclusive, To exclusive; WooCommerce
// keeps whole seconds.
type Query struct {
	UpdatedFrom, UpdatedTo time.Time // date_modified_gmt
	CreatedFrom, CreatedTo time.Time // date_created_gmt
	// Statuses are WooCommerce order statuses (processing, completed,
	// on-hold, pending, cancelled, refunded, failed, or a plugin's own).
	Statuses []string
	// PageSize is the number of orders per request (default and maximum 100).
	PageSize int
}

// MaxPageSize is WordPress's per_page cap.
const MaxPageSize = 100

// Page is one page of orders, as fn receives it.
type Page struct {
	Number int // 1-based page number
	Pages  int // X-WP-TotalPages
	Total  int // X-WP-Total
	Orders []Fetched
}

// Fetched is one order as the store sent it and as normalized; Orders delivers
// an order Normalize refused with Err set instead of ending the walk.
type Fetched = orders.Fetched

// Orders walks every page of orders matching q (GET /orders, by ascending
// id), calling fn once per page, and stops at fn's first error, which it
// returns. An order Normalize refuses is delivered with its Err set; the walk
// goes on.
//
// The walk counts pages with X-WP-TotalPages (and the Link header's
// rel="next"); it never follows the Link URL itself, which WordPress builds
// from its own home URL and which could point at another host than the one
// the credentials are meant for. WordPress pages by offset, so an order that
// leaves the filter mid-walk (modified past UpdatedTo) would shift the next
// one onto a page already read; when X-WP-Total changes during a walk, the
// walk is repeated (at most 3 passes) and orders already delivered with the
// same date_modified_gmt are not delivered again.
func (c *Client) Orders(ctx context.Context, q Query, fn func(Page) error) error {
	size := q.PageSize
	if size <= 0 || size > MaxPageSize {
		size = MaxPageSize
	}
	v := url.Values{}
	v.Set("per_page", strconv.Itoa(size))
	v.Set("orderby", "id")
	v.Set("order", "asc")
	v.Set("dates_are_gmt", "true")
	if len(q.Statuses) > 0 {
		v.Set("status", strings.Join(q.Statuses, ","))
	}
	setRange(v, "modified_after", "modified_before", q.UpdatedFrom, q.UpdatedTo)
	setRange(v, "after", "before", q.CreatedFrom, q.CreatedTo)

	seen := orders.Delivered{}
	settled, err := orders.Repeat(func(total func(int)) error { return c.walkOrders(ctx, v, seen, total, fn) })
	if err == nil && !settled {
		c.log.Warn("woocommerce: orders kept changing while paging; stopping after the last pass", "passes", orders.MaxPasses)
	}
	return err
}

// Order fetches one order by id (GET /orders/{id}). It returns an error
// matching ErrNotFound when the store has no such order.
func (c *Client) Order(ctx context.Context, id string) (Fetched, error) {
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return Fetched{}, fmt.Errorf("woocommerce: order id %q is not a number", id)
	}
	call := "read order " + id
	r, err := c.do(ctx, call, http.MethodGet, "/orders/"+id, nil, nil)
	if err != nil {
		return Fetched{}, err
	}
	o, err := Normalize(r.body)
	if err != nil {
		return Fetched{}, fmt.Errorf("woocommerce: %s: %w", call, err)
	}
	return Fetched{Raw: json.RawMessage(r.body), Order: o}, nil
}

// walkOrders makes one pass over the pages, telling note each page's X-WP-Total.
func (c *Client) walkOrders(ctx context.Context, v url.Values, seen orders.Delivered, note func(int), fn func(Page) error) error {
	for page := 1; ; page++ {
		v.Set("page", strconv.Itoa(page))
		call := fmt.Sprintf("list orders (page %d)", page)
		var list []json.RawMessage
		h, err := c.getJSON(ctx, call, "/orders", v, &list)
		if err != nil {
			return err
		}
		total, _ := strconv.Atoi(h.Get("X-WP-Total"))
		pages, pagesErr := strconv.Atoi(h.Get("X-WP-TotalPages"))
		note(total)
		out := Page{Number: page, Pages: pages, Total: total}
		for _, raw := range list {
			if f := orders.Fetch(raw, Normalize, identify); seen.Deliver(f) {
				out.Orders = append(out.Orders, f)
			}
		}
		if len(out.Orders) > 0 {
			if err := fn(out); err != nil {
				return err
			}
		}
		more := hasNext(h)
		if pagesErr == nil {
			more = more || page < pages
		}
		if len(list) == 0 || !more {
			return nil
		}
	}
}

// identify reads the id and number of an order Normalize refused (id 0 is no id).
func identify(raw json.RawMessage) orders.Order {
	id := orders.RawField(raw, "id")
	if id == "0" {
		id = ""
	}
	return orders.Order{ExternalID: id, Number: cmp.Or(orders.RawField(raw, "number"), id)}
}

var nextLink = regexp.MustCompile(`rel="?next"?`)

// hasNext reports a Link header with rel="next".
func hasNext(h http.Header) bool {
	for _, l := range h.Values("Link") {
		for _, part := range strings.Split(l, ",") {
			if nextLink.MatchString(part) {
				return true
			}
		}
	}
	return false
}

// setRange sets WordPress's exclusive after/before bounds (whole seconds,
// GMT) for [from, to).
func setRange(v url.Values, afterName, beforeName string, from, to time.Time) {
	const layout = "2006-01-02T15:04:05"
	if !from.IsZero() {
		v.Set(afterName, ceilSecond(from).Add(-time.Second).UTC().Format(layout))
	}
	if !to.IsZero() {
		v.Set(beforeName, ceilSecond(to).UTC().Format(layout))
	}
}

func ceilSecond(t time.Time) time.Time {
	if f := t.Truncate(time.Second); !f.Equal(t) {
		return f.Add(time.Second)
	}
	return t
}
