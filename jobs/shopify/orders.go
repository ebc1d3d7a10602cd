package shopify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Query selects the orders Orders walks. Zero fields do not filter.
// Time ranges are [From, To): From inclusive, To exclusive; Shopify keeps
// whole seconds.
type Query struct {
	UpdatedFrom, UpdatedTo time.Time // updatedAt
	CreatedFrom, CreatedTo time.Time // createdAt
	// Statuses are Order.Status values: Shopify's financial status in lower
	// case (paid, pending, authorized, partially_paid, refunded,
	// partially_refunded, voided, expired). Searched as financial_status.
	Statuses []string
	// PageSize is the number of orders per request. 0 lets the client pick
	// the largest page whose query cost fits Shopify's limit of 1000 points
	// (and the shop's bucket); a larger PageSize is lowered the same way.
	PageSize int
	// Bulk reads the orders with one bulk operation (BulkOrders) instead of
	// paged queries; UseBulk says when a pull should.
	Bulk bool
}

// Page is one page of orders, as fn receives it. GraphQL pages carry no
// totals.
type Page struct {
	Number int // 1-based page number
	Orders []Fetched
}

// Fetched is one order as Shopify sent it and as normalized; Orders delivers
// an order Normalize refused with Err set instead of ending the walk.
//
// Its Raw is the order node exactly as Shopify sent it, except that when an
// order has more line items, shipping lines or discount applications than
// the first request reads (10, 5, 10), the further pages are fetched and
// appended to that connection's nodes (object keys then come out sorted), and
// that "refunds" holds every refund with all of its lines (readRefunds), or is
// left out when the order has none.
type Fetched = orders.Fetched

// Nested connection sizes of the orders query and of the follow-ups that
// complete longer orders.
const (
	firstLines     = 10
	firstShipping  = 5
	firstDiscounts = 10
	// maxRefunds is the size of the list of refund ids refundsQuery asks for: Order.refunds is
	// a list field, not a connection, so it cannot be paged. An order that fills it may have
	// more refunds than can be read: Normalize marks its last refund Unread.
	maxRefunds = 250
	// detailedRefunds is how many refunds refundsQuery reads whole, with the first
	// firstRefundLines lines of each; the others are read one by one through refund(id:), and
	// a refund with more lines has the rest read by pages of followUpRefundLines. The bounds
	// keep refundsQuery under Shopify's 1 000-point single-query limit even if a list field
	// were charged per element like a connection (1 + 4 × 155 + 250 = 871 points), not only
	// as one object (157): the documentation names the cost of objects and connections, not
	// of lists.
	detailedRefunds     = 4
	firstRefundLines    = 25
	followUpRefundLines = 100
	followUpFirst       = 25
	defaultFirst        = 4 // before the cost of one order is known
	maxFirst            = 250
)

const moneyFields = `shopMoney { amount }`

const lineFields = `fragment Line on LineItem {
  id sku name variantTitle quantity taxable
  originalUnitPriceSet { ` + moneyFields + ` }
  discountAllocations { allocatedAmountSet { ` + moneyFields + ` } discountApplication { index } }
  taxLines { priceSet { ` + moneyFields + ` } }
  variant { id sku }
}`

const shippingFields = `fragment Shipping on ShippingLine {
  title code source carrierIdentifier
  originalPriceSet { ` + moneyFields + ` }
  taxLines { priceSet { ` + moneyFields + ` } }
  discountAllocations { allocatedAmountSet { ` + moneyFields + ` } discountApplication { index } }
}`

const discountFields = `fragment Discount on DiscountApplication {
  __typename index
  ... on DiscountCodeApplication { code }
  ... on AutomaticDiscountApplication { title }
  ... on ManualDiscountApplication { title }
  ... on ScriptDiscountApplication { title }
}`

const addressFields = `fragment Address on MailingAddress { firstName lastName company address1 address2 city province provinceCode zip countryCodeV2 phone }`

// refundsSelection tells which orders have refunds, at the cost of one id; refundsQuery reads
// an order's refunds once it has any (completeOrder): each line's quantity, restock and
// amounts, and the money sent back. Reading them with every order would multiply into every
// order's query cost.
const refundsSelection = `refunds(first: 1) { legacyResourceId }`

const refundLineFields = `fragment RefundLine on RefundLineItem {
  quantity restockType lineItem { id sku name } subtotalSet { ` + moneyFields + ` } totalTaxSet { ` + moneyFields + ` }
}`

// refundFields is one refund as refundsQuery and refundQuery read it.
var refundFields = fmt.Sprintf(`id legacyResourceId createdAt note totalRefundedSet { %s }
    refundLineItems(first: %d) { pageInfo { hasNextPage endCursor } nodes { ...RefundLine } }`, moneyFields, firstRefundLines)

var refundsQuery = fmt.Sprintf(`query OrderRefunds($id: ID!) {
  order(id: $id) { refunds(first: %d) { %s }
    allRefunds: refunds(first: %d) { id } }
}
%s`, detailedRefunds, refundFields, maxRefunds, refundLineFields)

var refundQuery = fmt.Sprintf(`query Refund($id: ID!) {
  refund(id: $id) { %s }
}
%s`, refundFields, refundLineFields)

var refundLinesQuery = fmt.Sprintf(`query RefundLines($id: ID!, $after: String) {
  refund(id: $id) { refundLineItems(first: %d, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...RefundLine } } }
}
%s`, followUpRefundLines, refundLineFields)

// orderFields is the selection of one order.
var orderFields = fmt.Sprintf(`fragment OrderFields on Order {
  id legacyResourceId name createdAt updatedAt cancelledAt cancelReason
  displayFinancialStatus displayFulfillmentStatus email phone currencyCode taxesIncluded test sourceName poNumber note tags
  customAttributes { key value }
  customer { legacyResourceId firstName lastName email phone }
  billingAddress { ...Address }
  shippingAddress { ...Address }
  lineItems(first: %d) { pageInfo { hasNextPage endCursor } nodes { ...Line } }
  shippingLines(first: %d) { pageInfo { hasNextPage endCursor } nodes { ...Shipping } }
  discountApplications(first: %d) { pageInfo { hasNextPage endCursor } nodes { ...Discount } }
  taxLines { title rate priceSet { %s } }
  subtotalPriceSet { %[4]s }
  totalDiscountsSet { %[4]s }
  totalShippingPriceSet { %[4]s }
  totalTaxSet { %[4]s }
  totalPriceSet { %[4]s }
  transactions { id kind status gateway processedAt amountSet { %[4]s } }
  %[9]s
}
%[5]s
%[6]s
%[7]s
%[8]s`, firstLines, firstShipping, firstDiscounts, moneyFields, addressFields, lineFields, shippingFields, discountFields, refundsSelection)

var ordersQuery = `query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ...OrderFields }
  }
}
` + orderFields

var orderQuery = `query Order($id: ID!) { order(id: $id) { ...OrderFields } }
` + orderFields

// followUps complete one nested connection of one order.
var followUps = map[string]struct{ query, fragment string }{
	"lineItems":            {"OrderLineItems", lineFields},
	"shippingLines":        {"OrderShippingLines", shippingFields},
	"discountApplications": {"OrderDiscountApplications", discountFields},
}

func followUpQuery(conn string) string {
	f := followUps[conn]
	frag := strings.Fields(f.fragment)[1] // "Line", "Shipping", "Discount"
	return fmt.Sprintf(`query %s($id: ID!, $after: String) {
  order(id: $id) { %s(first: %d, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...%s } } }
}
%s`, f.query, conn, followUpFirst, frag, f.fragment)
}

// connection is a nested connection as received.
type connection struct {
	PageInfo pageInfo          `json:"pageInfo"`
	Nodes    []json.RawMessage `json:"nodes"`
}

type pageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

// Orders walks every order matching q, newest update last (sortKey
// UPDATED_AT, cursor paging), calling fn once per page, and stops at fn's
// first error, which it returns. An order Normalize refuses is delivered
// with its Err set; the walk goes on.
//
// Shopify's cursors are keyset cursors: an order updated during the walk
// moves behind the cursor and is delivered again at the end with its new
// updatedAt (an order already delivered with the same updatedAt is not
// delivered twice); nothing is skipped.
func (c *Client) Orders(ctx context.Context, q Query, fn func(Page) error) error {
	if q.Bulk {
		return c.BulkOrders(ctx, q, fn)
	}
	search := searchQuery(q)
	first := q.PageSize
	if first <= 0 {
		first = defaultFirst
	}
	first = min(first, maxFirst)
	perOrder := 0.0 // requested cost of one order, once known
	after := ""
	seen := orders.Delivered{}
	for page := 1; ; {
		vars := map[string]any{"first": first, "query": search}
		if after != "" {
			vars["after"] = after
		}
		estimate := 0.0
		if perOrder > 0 {
			estimate = 2 + perOrder*float64(first)
		}
		var data struct {
			Orders connection `json:"orders"`
		}
		call := fmt.Sprintf("list orders (page %d)", page)
		cost, err := c.queryCost(ctx, call, ordersQuery, vars, estimate, &data)
		var apiErr *storenet.Error
		var tc queryCost
		if errors.As(err, &apiErr) && errors.Is(err, ErrTooCostly) {
			tc, _ = apiErr.Detail.(queryCost)
		}
		if first > 1 && tc.cost > 2 && tc.maxCost > 2 {
			per := (tc.cost - 2) / float64(first)
			smaller := min(first-1, int(math.Floor((tc.maxCost-2)/per)))
			c.log.Info("shopify: orders page too costly, asking for fewer orders", "from", first, "to", max(smaller, 1))
			first = max(smaller, 1)
			perOrder = per
			continue
		}
		if err != nil {
			return err
		}
		if cost != nil && cost.RequestedQueryCost > 2 {
			perOrder = (cost.RequestedQueryCost - 2) / float64(first)
			if q.PageSize <= 0 || q.PageSize > first {
				limit := float64(maxQueryCost)
				if m := cost.ThrottleStatus.MaximumAvailable; m > 0 && m < limit {
					limit = m
				}
				fit := int(math.Floor((limit - 2) / perOrder))
				want := maxFirst
				if q.PageSize > 0 {
					want = min(q.PageSize, maxFirst)
				}
				first = max(1, min(fit, want))
			}
		}

		out := Page{Number: page}
		for _, raw := range data.Orders.Nodes {
			full, err := c.completeOrder(ctx, raw)
			if err != nil {
				return err
			}
			if f := orders.Fetch(full, Normalize, identify); seen.Deliver(f) {
				out.Orders = append(out.Orders, f)
			}
		}
		if len(out.Orders) > 0 {
			if err := fn(out); err != nil {
				return err
			}
		}
		if !data.Orders.PageInfo.HasNextPage || data.Orders.PageInfo.EndCursor == "" {
			return nil
		}
		after = data.Orders.PageInfo.EndCursor
		page++
	}
}

// identify reads the legacy id and number of an order node Normalize refused.
func identify(raw json.RawMessage) orders.Order {
	id := orders.RawField(raw, "legacyResourceId")
	if id == "" {
		id = legacyID(orders.RawField(raw, "id"))
	}
	return orders.Order{ExternalID: id, Number: strings.TrimPrefix(orders.RawField(raw, "name"), "#")}
}

// Order fetches one order by id (the number, e.g. "5712000000001" from a
// webhook's "id", or its gid). It returns an error matching ErrNotFound when
// the shop has no such order.
func (c *Client) Order(ctx context.Context, id string) (Fetched, error) {
	gid := id
	if !strings.HasPrefix(gid, "gid://") {
		gid = "gid://shopify/Order/" + id
	}
	call := "read order " + legacyID(gid)
	var data struct {
		Order json.RawMessage `json:"order"`
	}
	if err := c.query(ctx, call, orderQuery, map[string]any{"id": gid}, 0, &data); err != nil {
		return Fetched{}, err
	}
	if len(data.Order) == 0 || string(data.Order) == "null" {
		return Fetched{}, c.net.NewError(call, ErrNotFound, "the shop has no order with this id")
	}
	full, err := c.completeOrder(ctx, data.Order)
	if err != nil {
		return Fetched{}, err
	}
	o, err := Normalize(full)
	if err != nil {
		return Fetched{}, fmt.Errorf("shopify: %s: %w", call, err)
	}
	return Fetched{Raw: full, Order: o}, nil
}

// completeOrder fetches the further pages of an order's nested connections
// that have more than the first request read, and appends them to raw; an
// order with refunds gets them all, read by readRefunds.
func (c *Client) completeOrder(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
	var node map[string]json.RawMessage
	if err := json.Unmarshal(raw, &node); err != nil {
		return nil, fmt.Errorf("shopify: order node: %w", err)
	}
	var id string
	_ = json.Unmarshal(node["id"], &id)
	changed := false
	for _, name := range []string{"lineItems", "shippingLines", "discountApplications"} {
		var conn connection
		if len(node[name]) == 0 || json.Unmarshal(node[name], &conn) != nil || !conn.PageInfo.HasNextPage {
			continue
		}
		for conn.PageInfo.HasNextPage {
			var data struct {
				Order map[string]connection `json:"order"`
			}
			vars := map[string]any{"id": id, "after": conn.PageInfo.EndCursor}
			if err := c.query(ctx, "read more "+name+" of order "+legacyID(id), followUpQuery(name), vars, 0, &data); err != nil {
				return nil, err
			}
			more, ok := data.Order[name]
			if !ok {
				return nil, fmt.Errorf("shopify: order %s disappeared while reading its %s", legacyID(id), name)
			}
			conn.Nodes = append(conn.Nodes, more.Nodes...)
			conn.PageInfo = more.PageInfo
		}
		b, err := json.Marshal(conn)
		if err != nil {
			return nil, err
		}
		node[name] = b
		changed = true
	}
	if refunds, ok := node["refunds"]; ok {
		var ids []json.RawMessage
		_ = json.Unmarshal(refunds, &ids)
		if len(ids) == 0 {
			// Most orders have none: the key is left out, so Raw holds refunds only once read.
			delete(node, "refunds")
		} else {
			all, err := c.readRefunds(ctx, id)
			if err != nil {
				return nil, err
			}
			node["refunds"] = all
		}
		changed = true
	}
	if !changed {
		return raw, nil
	}
	return json.Marshal(node)
}

// readRefunds reads every refund of order id (up to maxRefunds) with all of its lines: one
// refundsQuery (the first detailedRefunds refunds whole, and the ids of all), one refundQuery
// for each further refund, then, for each refund with more than firstRefundLines lines, its
// further lines through refund(id:) page by page. It returns the order's refunds list in
// Shopify's order, each refund's refundLineItems holding all its nodes (object keys then come
// out sorted).
func (c *Client) readRefunds(ctx context.Context, id string) (json.RawMessage, error) {
	var data struct {
		Order *struct {
			Refunds []map[string]json.RawMessage `json:"refunds"`
			All     []struct {
				ID string `json:"id"`
			} `json:"allRefunds"`
		} `json:"order"`
	}
	if err := c.query(ctx, "read the refunds of order "+legacyID(id), refundsQuery, map[string]any{"id": id}, 0, &data); err != nil {
		return nil, err
	}
	if data.Order == nil {
		return nil, fmt.Errorf("shopify: order %s disappeared while reading its refunds", legacyID(id))
	}
	read := map[string]map[string]json.RawMessage{}
	for _, r := range data.Order.Refunds {
		var rid string
		_ = json.Unmarshal(r["id"], &rid)
		read[rid] = r
	}
	refunds := data.Order.Refunds
	if len(data.Order.All) > len(data.Order.Refunds) {
		refunds = make([]map[string]json.RawMessage, 0, len(data.Order.All))
		for _, a := range data.Order.All {
			r, ok := read[a.ID]
			if !ok {
				var one struct {
					Refund map[string]json.RawMessage `json:"refund"`
				}
				call := "read refund " + legacyID(a.ID) + " of order " + legacyID(id)
				if err := c.query(ctx, call, refundQuery, map[string]any{"id": a.ID}, 0, &one); err != nil {
					return nil, err
				}
				if one.Refund == nil {
					return nil, fmt.Errorf("shopify: refund %s of order %s disappeared while reading it", legacyID(a.ID), legacyID(id))
				}
				r = one.Refund
			}
			refunds = append(refunds, r)
		}
	}
	for _, r := range refunds {
		var lines connection
		if json.Unmarshal(r["refundLineItems"], &lines) != nil || !lines.PageInfo.HasNextPage {
			continue
		}
		var rid string
		_ = json.Unmarshal(r["id"], &rid)
		for lines.PageInfo.HasNextPage {
			var more struct {
				Refund *struct {
					RefundLineItems connection `json:"refundLineItems"`
				} `json:"refund"`
			}
			vars := map[string]any{"id": rid, "after": lines.PageInfo.EndCursor}
			call := "read more lines of refund " + legacyID(rid) + " of order " + legacyID(id)
			if err := c.query(ctx, call, refundLinesQuery, vars, 0, &more); err != nil {
				return nil, err
			}
			if more.Refund == nil {
				return nil, fmt.Errorf("shopify: refund %s of order %s disappeared while reading its lines", legacyID(rid), legacyID(id))
			}
			lines.Nodes = append(lines.Nodes, more.Refund.RefundLineItems.Nodes...)
			lines.PageInfo = more.Refund.RefundLineItems.PageInfo
		}
		b, err := json.Marshal(lines)
		if err != nil {
			return nil, fmt.Errorf("shopify: refund %s of order %s: %w", legacyID(rid), legacyID(id), err)
		}
		r["refundLineItems"] = b
	}
	b, err := json.Marshal(refunds)
	if err != nil {
		return nil, fmt.Errorf("shopify: refunds of order %s: %w", legacyID(id), err)
	}
	return b, nil
}

// searchQuery renders q in Shopify's search syntax.
func searchQuery(q Query) string {
	var terms []string
	bound := func(field, op string, t time.Time) {
		if !t.IsZero() {
			terms = append(terms, fmt.Sprintf("%s:%s'%s'", field, op, ceilSecond(t).UTC().Format(time.RFC3339)))
		}
	}
	bound("updated_at", ">=", q.UpdatedFrom)
	bound("updated_at", "<", q.UpdatedTo)
	bound("created_at", ">=", q.CreatedFrom)
	bound("created_at", "<", q.CreatedTo)
	if len(q.Statuses) > 0 {
		var or []string
		for _, s := range q.Statuses {
			or = append(or, "financial_status:"+quoteSearch(strings.ToLower(s)))
		}
		terms = append(terms, "("+strings.Join(or, " OR ")+")")
	}
	return strings.Join(terms, " AND ")
}

// ceilSecond rounds t up to a whole second: Shopify compares whole seconds,
// so t ≤ x ⇔ ceil(t) ≤ x for a timestamp x.
func ceilSecond(t time.Time) time.Time {
	if f := t.Truncate(time.Second); !f.Equal(t) {
		return f.Add(time.Second)
	}
	return t
}

// skuSearch is the search query for any of skus: sku:"A" OR sku:"B" ….
func skuSearch(skus []string) string {
	terms := make([]string, len(skus))
	for i, s := range skus {
		terms[i] = "sku:" + quoteSearch(s)
	}
	return strings.Join(terms, " OR ")
}

// quoteSearch quotes a search value: in double quotes unless it has one,
// then in single quotes, else double quotes with backslash escapes.
func quoteSearch(v string) string {
	switch {
	case !strings.Contains(v, `"`):
		return `"` + v + `"`
	case !strings.Contains(v, `'`):
		return `'` + v + `'`
	default:
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
	}
}

// legacyID is the number at the end of a gid.
func legacyID(gid string) string {
	if i := strings.LastIndexByte(gid, '/'); i >= 0 {
		gid = gid[i+1:]
	}
	if i := strings.IndexByte(gid, '?'); i >= 0 {
		gid = gid[:i]
	}
	return gid
}
