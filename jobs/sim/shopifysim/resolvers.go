package shopifysim

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// View types: what resolvers hand to the resolvers of the child type.
type (
	moneyBag struct {
		amt Money
		cur string
	}
	moneyV2 struct {
		amt Money
		cur string
	}
	pctValue struct{ p float64 }
	lineView struct {
		o *Order
		i int
	}
	shipView struct {
		o *Order
		i int
	}
	discountView struct {
		o *Order
		i int
	}
	allocView struct {
		o *Order
		d DiscountAllocation
	}
	taxView struct {
		t   TaxLine
		cur string
	}
	addrView struct {
		a  *Address
		id int64
	}
	txView struct {
		o *Order
		i int
	}
	refundView struct {
		o *Order
		r *Refund
	}
	refundLineView struct {
		o *Order
		l *RefundLine
	}
	itemView  struct{ v *Variant } // InventoryItem
	levelView struct {
		v   *Variant
		loc *Location
		l   *level
	}
	quantityView struct {
		lv   levelView
		name string
		qty  int
	}
	shopView   struct{}
	setPayload struct {
		group *adjustmentGroup
		errs  []any
	}
	userError struct {
		field []string
		msg   string
		code  string
	}
	adjustmentGroup struct {
		id        int64
		createdAt time.Time
		reason    string
		uri       string
		changes   []change
	}
	change struct {
		name         string
		delta, after int
		v            *Variant
		loc          *Location
	}
)

func (moneyV2) gqlType() string  { return "MoneyV2" }
func (pctValue) gqlType() string { return "PricingPercentageValue" }
func (d discountView) gqlType() string {
	return d.o.DiscountApplications[d.i].kind()
}

func (lv lineView) l() *LineItem     { return &lv.o.LineItems[lv.i] }
func (sv shipView) s() *ShippingLine { return &sv.o.ShippingLines[sv.i] }
func (d discountView) d() *DiscountApplication {
	return &d.o.DiscountApplications[d.i]
}
func (t txView) t() *Transaction { return &t.o.Transactions[t.i] }

func (s *Server) bag(o *Order, m Money) moneyBag { return moneyBag{m, s.orderCurrency(o)} }

func (s *Server) orderCurrency(o *Order) string {
	if o != nil && o.Currency != "" {
		return o.Currency
	}
	return s.opts.Currency
}

func attrs(as []Attribute) []any {
	out := make([]any, len(as))
	for i, a := range as {
		out[i] = a
	}
	return out
}

func taxes(ts []TaxLine, cur string, first any) []any {
	out := []any{}
	for i, t := range ts {
		if n, ok := first.(int); ok && i >= n {
			break
		}
		out = append(out, taxView{t, cur})
	}
	return out
}

// idKey sorts nested connections in their natural order.
func idKey(id int64) sortKey { return sortKey{id: id, kind: 'i'} }

func (s *Server) resolvers() map[string]map[string]resolver {
	r := map[string]map[string]resolver{}
	reg := func(typ string, fields map[string]resolver) {
		if r[typ] == nil {
			r[typ] = map[string]resolver{}
		}
		for k, v := range fields {
			r[typ][k] = v
		}
	}

	// Generic connection plumbing.
	connFields := map[string]resolver{
		"edges":    func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*connection).edges(), nil },
		"nodes":    func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*connection).nodes, nil },
		"pageInfo": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*connection).pageInfo(), nil },
	}
	edgeFields := map[string]resolver{
		"cursor": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(edge).cursor, nil },
		"node":   func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(edge).node, nil },
	}
	for _, t := range []string{"Order", "LineItem", "ShippingLine", "DiscountApplication", "ProductVariant", "InventoryItem", "Location", "InventoryLevel", "RefundLineItem"} {
		reg(t+"Connection", connFields)
		reg(t+"Edge", edgeFields)
	}
	reg("PageInfo", map[string]resolver{
		"hasNextPage":     func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(pageInfo).hasNext, nil },
		"hasPreviousPage": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(pageInfo).hasPrev, nil },
		"startCursor":     func(_ *execCtx, src any, _ map[string]any) (any, error) { return strPtr(src.(pageInfo).start), nil },
		"endCursor":       func(_ *execCtx, src any, _ map[string]any) (any, error) { return strPtr(src.(pageInfo).end), nil },
	})

	reg("QueryRoot", map[string]resolver{
		"shop":            func(*execCtx, any, map[string]any) (any, error) { return shopView{}, nil },
		"orders":          s.resolveOrders,
		"order":           s.resolveOrder,
		"refund":          s.resolveRefund,
		"productVariants": s.resolveProductVariants,
		"productVariant": func(x *execCtx, _ any, args map[string]any) (any, error) {
			id, err := globalID("ProductVariant", args["id"])
			if err != nil {
				return nil, err
			}
			if v := s.variants[id]; v != nil {
				return v, nil
			}
			return nil, nil
		},
		"inventoryItem": func(x *execCtx, _ any, args map[string]any) (any, error) {
			id, err := globalID("InventoryItem", args["id"])
			if err != nil {
				return nil, err
			}
			if v := s.items[id]; v != nil {
				return itemView{v}, nil
			}
			return nil, nil
		},
		"inventoryItems": func(x *execCtx, _ any, args map[string]any) (any, error) {
			vs := s.allVariants()
			if q, _ := args["query"].(string); q != "" {
				vs = filterSearch(x, "inventoryItems", q, vs, itemDoc, inventoryItemSearchFields)
			}
			c, err := paginate(vs, func(v *Variant) sortKey { return idKey(v.InventoryItemID) }, 'i', args)
			if err != nil {
				return nil, err
			}
			for i, n := range c.nodes {
				c.nodes[i] = itemView{n.(*Variant)}
			}
			return c, nil
		},
		"location": func(x *execCtx, _ any, args map[string]any) (any, error) {
			if args["id"] == nil { // the shop's primary location
				if len(s.locations) > 0 {
					return s.locations[0], nil
				}
				return nil, nil
			}
			id, err := globalID("Location", args["id"])
			if err != nil {
				return nil, err
			}
			if l := s.location(id); l != nil {
				return l, nil
			}
			return nil, nil
		},
		"locations": func(x *execCtx, _ any, args map[string]any) (any, error) {
			inactive, _ := args["includeInactive"].(bool)
			var locs []*Location
			for _, l := range s.locations {
				if l.Active || inactive {
					locs = append(locs, l)
				}
			}
			if q, _ := args["query"].(string); q != "" {
				locs = filterSearch(x, "locations", q, locs, locationDoc, map[string]bool{"name": true, "id": true, "active": true})
			}
			kind := byte('n')
			key := func(l *Location) sortKey { return sortKey{id: l.ID, n: int64(nameRank(locs, l)), kind: 'n'} }
			if sk, _ := args["sortKey"].(string); sk == "ID" {
				kind = 'i'
				key = func(l *Location) sortKey { return idKey(l.ID) }
			}
			return paginate(locs, key, kind, args)
		},
	})

	reg("Mutation", map[string]resolver{
		"inventorySetQuantities":    s.resolveInventorySetQuantities,
		"bulkOperationRunQuery":     s.runBulkQuery,
		"webhookSubscriptionCreate": s.resolveWebhookSubscriptionCreate,
		"webhookSubscriptionDelete": s.resolveWebhookSubscriptionDelete,
	})
	reg("QueryRoot", map[string]resolver{
		"currentBulkOperation": s.resolveCurrentBulkOperation,
		"node":                 s.resolveNode,
	})
	s.bulkResolvers(reg)
	s.webhookResolvers(reg)

	reg("Shop", map[string]resolver{
		"id":              func(*execCtx, any, map[string]any) (any, error) { return gid("Shop", 68_731_000_001), nil },
		"name":            func(*execCtx, any, map[string]any) (any, error) { return s.opts.ShopName, nil },
		"email":           func(*execCtx, any, map[string]any) (any, error) { return "owner@" + s.opts.ShopDomain, nil },
		"contactEmail":    func(*execCtx, any, map[string]any) (any, error) { return "support@" + s.opts.ShopDomain, nil },
		"myshopifyDomain": func(*execCtx, any, map[string]any) (any, error) { return s.opts.ShopDomain, nil },
		"url":             func(*execCtx, any, map[string]any) (any, error) { return "https://" + s.opts.ShopDomain, nil },
		"currencyCode":    func(*execCtx, any, map[string]any) (any, error) { return s.opts.Currency, nil },
		"ianaTimezone":    func(*execCtx, any, map[string]any) (any, error) { return s.opts.Timezone.String(), nil },
		"weightUnit":      func(*execCtx, any, map[string]any) (any, error) { return "KILOGRAMS", nil },
		"timezoneAbbreviation": func(x *execCtx, _ any, _ map[string]any) (any, error) {
			n, _ := x.now.In(s.opts.Timezone).Zone()
			return n, nil
		},
		"timezoneOffset": func(x *execCtx, _ any, _ map[string]any) (any, error) {
			_, off := x.now.In(s.opts.Timezone).Zone()
			sign := "+"
			if off < 0 {
				sign, off = "-", -off
			}
			return fmt.Sprintf("%s%02d%02d", sign, off/3600, off%3600/60), nil
		},
	})

	s.orderResolvers(reg)
	s.catalogResolvers(reg)
	return r
}

func (s *Server) location(id int64) *Location {
	for _, l := range s.locations {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// nameRank is a location's position when sorted by name (sortKey NAME).
func nameRank(locs []*Location, l *Location) int {
	names := make([]string, 0, len(locs))
	for _, o := range locs {
		names = append(names, strings.ToLower(o.Name))
	}
	slices.Sort(names)
	return slices.Index(names, strings.ToLower(l.Name))
}

// globalID parses an ID argument, answering Shopify's error for IDs that
// are not global IDs of the expected type.
func globalID(typ string, v any) (int64, error) {
	s, _ := v.(string)
	if id, ok := parseGID(typ, s); ok {
		return id, nil
	}
	if strings.HasPrefix(s, "gid://shopify/") {
		return 0, nil // a gid of another type: not found
	}
	return 0, &fieldError{msg: fmt.Sprintf("Invalid global id '%s'", s), ext: map[string]any{"code": "argumentLiteralsIncompatible", "typeName": "CoercionError"}}
}

// filterSearch applies a query: string and records warnings for fields the
// resource cannot be searched by, as Shopify does in extensions.search.
func filterSearch[T any](x *execCtx, root, q string, items []T, doc func(*Server, T) searchDoc, known map[string]bool) []T {
	node, terms, err := parseSearch(q)
	var warnings []any
	if err != nil {
		warnings = append(warnings, map[string]any{"field": nil, "message": "Invalid search query: " + err.Error()})
		node = nil
	}
	for _, t := range terms {
		if t.field != "" && !known[t.field] {
			warnings = append(warnings, map[string]any{"field": t.field, "message": "Invalid search field for this query."})
		}
	}
	if len(warnings) > 0 {
		x.search = append(x.search, map[string]any{"path": []any{root}, "query": q, "warnings": warnings})
	}
	var out []T
	for _, it := range items {
		if matchSearch(node, doc(x.srv, it), x.srv.opts.Timezone) {
			out = append(out, it)
		}
	}
	return out
}

// ----- Orders -----

var orderSearchFields = map[string]bool{
	"created_at": true, "updated_at": true, "processed_at": true, "status": true, "financial_status": true,
	"fulfillment_status": true, "name": true, "id": true, "email": true, "tag": true, "tag_not": true,
	"sku": true, "customer_id": true, "test": true, "source_name": true, "discount_code": true,
}

type orderSearch struct {
	s *Server
	o *Order
}

func orderDoc(s *Server, o *Order) searchDoc { return orderSearch{s, o} }

func (d orderSearch) text() []string {
	o := d.o
	out := []string{o.Name, o.Email, o.Note}
	out = append(out, o.Tags...)
	if o.Customer != nil {
		out = append(out, o.Customer.FirstName, o.Customer.LastName, o.Customer.Email)
	}
	for _, l := range o.LineItems {
		out = append(out, l.SKU, l.Title)
	}
	return out
}

func (d orderSearch) field(name string) (fieldValue, bool) {
	o := d.o
	switch name {
	case "created_at":
		return fieldValue{times: []time.Time{o.CreatedAt}}, true
	case "updated_at":
		return fieldValue{times: []time.Time{o.UpdatedAt}}, true
	case "processed_at":
		return fieldValue{times: []time.Time{o.ProcessedAt}}, true
	case "id":
		return fieldValue{nums: []int64{o.ID}}, true
	case "customer_id":
		if o.Customer == nil {
			return fieldValue{nums: []int64{}}, true
		}
		return fieldValue{nums: []int64{o.Customer.ID}}, true
	case "name":
		return fieldValue{strs: []string{o.Name, strings.TrimPrefix(o.Name, "#")}}, true
	case "email":
		return fieldValue{strs: []string{o.Email}}, true
	case "tag":
		return fieldValue{strs: append([]string{}, o.Tags...)}, true
	case "tag_not":
		return fieldValue{fn: func(_, v string) bool {
			return !slices.ContainsFunc(o.Tags, func(t string) bool { return strings.EqualFold(t, v) })
		}}, true
	case "sku":
		var skus []string
		for _, l := range o.LineItems {
			skus = append(skus, l.SKU)
		}
		return fieldValue{strs: skus}, true
	case "test":
		return fieldValue{strs: []string{strconv.FormatBool(o.Test)}}, true
	case "source_name":
		return fieldValue{strs: []string{o.SourceName}}, true
	case "discount_code":
		return fieldValue{strs: o.DiscountCodes()}, true
	case "financial_status":
		return fieldValue{fn: func(_, v string) bool {
			v = strings.ToLower(v)
			fs := strings.ToLower(o.FinancialStatus)
			if v == "unpaid" {
				return fs == "pending" || fs == "authorized" || fs == "partially_paid" || fs == "expired"
			}
			return v == "any" || fs == v
		}}, true
	case "fulfillment_status":
		return fieldValue{fn: func(_, v string) bool {
			fs := o.FulfillmentStatus
			switch strings.ToLower(v) {
			case "any":
				return true
			case "shipped", "fulfilled":
				return fs == "FULFILLED"
			case "partial":
				return fs == "PARTIALLY_FULFILLED"
			case "unshipped", "unfulfilled":
				return fs == "UNFULFILLED"
			}
			return strings.EqualFold(fs, v)
		}}, true
	case "status":
		return fieldValue{fn: func(_, v string) bool {
			cancelled, closed := !o.CancelledAt.IsZero(), !o.ClosedAt.IsZero()
			switch strings.ToLower(v) {
			case "any":
				return true
			case "open":
				return !cancelled && !closed
			case "closed":
				return closed
			case "cancelled":
				return cancelled
			case "not_closed":
				return !closed
			}
			return false
		}}, true
	}
	return fieldValue{}, false
}

func (s *Server) visibleOrders(now time.Time) []*Order {
	if s.opts.OrderWindow <= 0 {
		return s.orders
	}
	cut := now.Add(-s.opts.OrderWindow)
	var out []*Order
	for _, o := range s.orders {
		if !o.CreatedAt.Before(cut) {
			out = append(out, o)
		}
	}
	return out
}

func (s *Server) resolveOrders(x *execCtx, _ any, args map[string]any) (any, error) {
	orders := s.visibleOrders(x.now)
	if q, _ := args["query"].(string); q != "" {
		orders = filterSearch(x, "orders", q, orders, orderDoc, orderSearchFields)
	}
	sk, _ := args["sortKey"].(string)
	var key func(*Order) sortKey
	kind := byte('t')
	switch sk {
	case "PROCESSED_AT", "":
		key = func(o *Order) sortKey { return sortKey{id: o.ID, t: o.ProcessedAt, kind: 't'} }
	case "CREATED_AT":
		key = func(o *Order) sortKey { return sortKey{id: o.ID, t: o.CreatedAt, kind: 't'} }
	case "UPDATED_AT":
		key = func(o *Order) sortKey { return sortKey{id: o.ID, t: o.UpdatedAt, kind: 't'} }
	case "ID", "RELEVANCE":
		kind = 'i'
		key = func(o *Order) sortKey { return idKey(o.ID) }
	case "ORDER_NUMBER":
		kind = 'n'
		key = func(o *Order) sortKey { return sortKey{id: o.ID, n: int64(o.Number), kind: 'n'} }
	case "TOTAL_PRICE":
		kind = 'n'
		key = func(o *Order) sortKey { return sortKey{id: o.ID, n: int64(o.Total()), kind: 'n'} }
	default:
		return nil, &fieldError{msg: "sortKey " + sk + " is not simulated", ext: map[string]any{"code": "NOT_SIMULATED"}}
	}
	return paginate(orders, key, kind, args)
}

func (s *Server) resolveOrder(x *execCtx, _ any, args map[string]any) (any, error) {
	id, err := globalID("Order", args["id"])
	if err != nil {
		return nil, err
	}
	o := s.orderByID[id]
	if o == nil || s.opts.OrderWindow > 0 && o.CreatedAt.Before(x.now.Add(-s.opts.OrderWindow)) {
		return nil, nil
	}
	return o, nil
}

// resolveRefund finds a refund by its gid among the orders the app may read (as order(id:)
// does); null when there is none.
func (s *Server) resolveRefund(x *execCtx, _ any, args map[string]any) (any, error) {
	id, err := globalID("Refund", args["id"])
	if err != nil {
		return nil, err
	}
	for _, o := range s.orderByID {
		if s.opts.OrderWindow > 0 && o.CreatedAt.Before(x.now.Add(-s.opts.OrderWindow)) {
			continue
		}
		for i := range o.Refunds {
			if o.Refunds[i].ID == id {
				return refundView{o, &o.Refunds[i]}, nil
			}
		}
	}
	return nil, nil
}

func (s *Server) orderResolvers(reg func(string, map[string]resolver)) {
	type R = map[string]resolver
	ord := func(f func(o *Order) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(*Order)), nil }
	}
	money := func(f func(o *Order) Money) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) {
			o := src.(*Order)
			return s.bag(o, f(o)), nil
		}
	}
	orderConn := func(n func(o *Order) int, mk func(o *Order, i int) any, id func(o *Order, i int) int64) resolver {
		return func(_ *execCtx, src any, args map[string]any) (any, error) {
			o := src.(*Order)
			idx := make([]int, n(o))
			for i := range idx {
				idx[i] = i
			}
			c, err := paginate(idx, func(i int) sortKey { return idKey(id(o, i)) }, 'i', args)
			if err != nil {
				return nil, err
			}
			for k, i := range c.nodes {
				c.nodes[k] = mk(o, i.(int))
			}
			return c, nil
		}
	}
	reg("Order", R{
		"id":               ord(func(o *Order) any { return gid("Order", o.ID) }),
		"legacyResourceId": ord(func(o *Order) any { return o.ID }),
		"name":             ord(func(o *Order) any { return o.Name }),
		"confirmationNumber": ord(func(o *Order) any {
			return strPtr(strings.ToUpper(strconv.FormatInt(o.ID*7919%2176782336, 36)))
		}),
		"createdAt":                ord(func(o *Order) any { return o.CreatedAt }),
		"updatedAt":                ord(func(o *Order) any { return o.UpdatedAt }),
		"processedAt":              ord(func(o *Order) any { return o.ProcessedAt }),
		"cancelledAt":              ord(func(o *Order) any { return o.CancelledAt }),
		"cancelReason":             ord(func(o *Order) any { return strPtr(o.CancelReason) }),
		"closed":                   ord(func(o *Order) any { return !o.ClosedAt.IsZero() }),
		"closedAt":                 ord(func(o *Order) any { return o.ClosedAt }),
		"confirmed":                ord(func(o *Order) any { return true }),
		"test":                     ord(func(o *Order) any { return o.Test }),
		"edited":                   ord(func(o *Order) any { return false }),
		"taxesIncluded":            ord(func(o *Order) any { return o.TaxesIncluded }),
		"displayFinancialStatus":   ord(func(o *Order) any { return strPtr(o.FinancialStatus) }),
		"displayFulfillmentStatus": ord(func(o *Order) any { return o.FulfillmentStatus }),
		"email":                    ord(func(o *Order) any { return strPtr(o.Email) }),
		"phone":                    ord(func(o *Order) any { return strPtr(o.Phone) }),
		"note":                     ord(func(o *Order) any { return strPtr(o.Note) }),
		"poNumber":                 ord(func(o *Order) any { return strPtr(o.PONumber) }),
		"sourceName":               ord(func(o *Order) any { return strPtr(o.SourceName) }),
		"currencyCode":             ord(func(o *Order) any { return s.orderCurrency(o) }),
		"presentmentCurrencyCode":  ord(func(o *Order) any { return s.orderCurrency(o) }),
		"statusPageUrl": ord(func(o *Order) any {
			return fmt.Sprintf("https://%s/%d/orders/%x/authenticate?key=%x", s.opts.ShopDomain, 68_731_000_001, o.ID*2654435761, o.ID*40503)
		}),
		"tags":                ord(func(o *Order) any { return append([]string{}, o.Tags...) }),
		"customAttributes":    ord(func(o *Order) any { return attrs(o.CustomAttributes) }),
		"discountCodes":       ord(func(o *Order) any { return o.DiscountCodes() }),
		"paymentGatewayNames": ord(func(o *Order) any { return gatewayNames(o) }),
		"discountCode": ord(func(o *Order) any {
			if c := o.DiscountCodes(); len(c) > 0 {
				return c[0]
			}
			return nil
		}),
		"customer": ord(func(o *Order) any {
			if o.Customer == nil {
				return nil
			}
			return o.Customer
		}),
		"billingAddress": ord(func(o *Order) any {
			if o.BillingAddress == nil {
				return nil
			}
			return addrView{o.BillingAddress, baseAddressID + 2*(o.ID-baseOrderID)}
		}),
		"shippingAddress": ord(func(o *Order) any {
			if o.ShippingAddress == nil {
				return nil
			}
			return addrView{o.ShippingAddress, baseAddressID + 2*(o.ID-baseOrderID) + 1}
		}),
		"requiresShipping": ord(func(o *Order) any {
			return slices.ContainsFunc(o.LineItems, func(l LineItem) bool { return l.RequiresShipping })
		}),
		"subtotalLineItemsQuantity": ord(func(o *Order) any {
			n := 0
			for _, l := range o.LineItems {
				n += l.Quantity
			}
			return n
		}),
		"currentSubtotalLineItemsQuantity": ord(func(o *Order) any {
			n := 0
			for _, l := range o.LineItems {
				n += l.Quantity - l.RefundedQuantity
			}
			return n
		}),
		"fullyPaid":     ord(func(o *Order) any { return o.TotalReceived() >= o.Total()-o.TotalRefunded() && o.Total() > 0 }),
		"unpaid":        ord(func(o *Order) any { return o.TotalReceived() <= 0 && o.TotalRefunded() == 0 }),
		"refundable":    ord(func(o *Order) any { return o.TotalReceived() > 0 }),
		"capturable":    ord(func(o *Order) any { return o.FinancialStatus == "AUTHORIZED" }),
		"canMarkAsPaid": ord(func(o *Order) any { return o.FinancialStatus == "PENDING" }),
		"taxLines": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			o := src.(*Order)
			return taxes(o.TaxLines(), s.orderCurrency(o), nil), nil
		},
		"subtotalPriceSet":         money(func(o *Order) Money { return o.Subtotal() }),
		"currentSubtotalPriceSet":  money(func(o *Order) Money { return currentSubtotal(o) }),
		"totalDiscountsSet":        money(func(o *Order) Money { return o.TotalDiscounts() }),
		"currentTotalDiscountsSet": money(func(o *Order) Money { return o.TotalDiscounts() }),
		"totalShippingPriceSet":    money(func(o *Order) Money { return o.TotalShipping() }),
		"totalTaxSet":              money(func(o *Order) Money { return o.TotalTax() }),
		"currentTotalTaxSet":       money(func(o *Order) Money { return o.TotalTax() }),
		"totalPriceSet":            money(func(o *Order) Money { return o.Total() }),
		"originalTotalPriceSet":    money(func(o *Order) Money { return o.Total() }),
		"currentTotalPriceSet":     money(func(o *Order) Money { return o.Total() - o.TotalRefunded() }),
		"totalRefundedSet":         money(func(o *Order) Money { return o.TotalRefunded() }),
		"totalReceivedSet":         money(func(o *Order) Money { return o.TotalReceived() }),
		"netPaymentSet":            money(func(o *Order) Money { return o.TotalReceived() }),
		"totalOutstandingSet": money(func(o *Order) Money {
			if !o.CancelledAt.IsZero() {
				return 0
			}
			return max(0, o.Total()-o.TotalRefunded()-o.TotalReceived())
		}),
		"lineItems": orderConn(func(o *Order) int { return len(o.LineItems) },
			func(o *Order, i int) any { return lineView{o, i} },
			func(o *Order, i int) int64 { return o.LineItems[i].ID }),
		"shippingLines": orderConn(func(o *Order) int { return len(o.ShippingLines) },
			func(o *Order, i int) any { return shipView{o, i} },
			func(o *Order, i int) int64 { return o.ShippingLines[i].ID }),
		"discountApplications": orderConn(func(o *Order) int { return len(o.DiscountApplications) },
			func(o *Order, i int) any { return discountView{o, i} },
			func(_ *Order, i int) int64 { return int64(i) }),
		"shippingLine": ord(func(o *Order) any {
			if len(o.ShippingLines) == 0 {
				return nil
			}
			return shipView{o, 0}
		}),
		"refunds": func(_ *execCtx, src any, args map[string]any) (any, error) {
			o := src.(*Order)
			out := []any{}
			for i := range o.Refunds {
				if n, ok := args["first"].(int); ok && i >= n {
					break
				}
				out = append(out, refundView{o, &o.Refunds[i]})
			}
			return out, nil
		},
		"transactions": func(_ *execCtx, src any, args map[string]any) (any, error) {
			o := src.(*Order)
			out := []any{}
			for i := range o.Transactions {
				if n, ok := args["first"].(int); ok && i >= n {
					break
				}
				out = append(out, txView{o, i})
			}
			return out, nil
		},
	})

	rf := func(f func(v refundView) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(refundView)), nil }
	}
	reg("Refund", R{
		"id":               rf(func(v refundView) any { return gid("Refund", v.r.ID) }),
		"legacyResourceId": rf(func(v refundView) any { return v.r.ID }),
		"createdAt":        rf(func(v refundView) any { return v.r.CreatedAt }),
		"updatedAt":        rf(func(v refundView) any { return v.r.CreatedAt }),
		"note":             rf(func(v refundView) any { return strPtr(v.r.Note) }),
		"totalRefundedSet": rf(func(v refundView) any { return s.bag(v.o, v.r.Amount) }),
		"totalRefunded":    rf(func(v refundView) any { return moneyV2{v.r.Amount, s.orderCurrency(v.o)} }),
		"refundLineItems": func(_ *execCtx, src any, args map[string]any) (any, error) {
			v := src.(refundView)
			c, err := paginate(v.r.Lines, func(l RefundLine) sortKey { return idKey(l.ID) }, 'i', args)
			if err != nil {
				return nil, err
			}
			for k, n := range c.nodes {
				l := n.(RefundLine)
				c.nodes[k] = refundLineView{v.o, &l}
			}
			return c, nil
		},
	})
	rl := func(f func(v refundLineView) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(refundLineView)), nil }
	}
	reg("RefundLineItem", R{
		"id":          rl(func(v refundLineView) any { return gid("RefundLineItem", v.l.ID) }),
		"quantity":    rl(func(v refundLineView) any { return v.l.Quantity }),
		"restockType": rl(func(v refundLineView) any { return v.l.RestockType }),
		"restocked":   rl(func(v refundLineView) any { return v.l.Restocked() }),
		"subtotalSet": rl(func(v refundLineView) any { return s.bag(v.o, v.l.Subtotal) }),
		"totalTaxSet": rl(func(v refundLineView) any { return s.bag(v.o, v.l.Tax) }),
		"priceSet": rl(func(v refundLineView) any {
			return s.bag(v.o, v.l.Subtotal/Money(max(1, v.l.Quantity)))
		}),
		"lineItem": rl(func(v refundLineView) any {
			for i := range v.o.LineItems {
				if v.o.LineItems[i].ID == v.l.LineItemID {
					return lineView{v.o, i}
				}
			}
			return nil
		}),
	})

	reg("Customer", R{
		"id":               cust(func(c *Customer) any { return gid("Customer", c.ID) }),
		"legacyResourceId": cust(func(c *Customer) any { return c.ID }),
		"firstName":        cust(func(c *Customer) any { return strPtr(c.FirstName) }),
		"lastName":         cust(func(c *Customer) any { return strPtr(c.LastName) }),
		"displayName": cust(func(c *Customer) any {
			if n := strings.TrimSpace(c.FirstName + " " + c.LastName); n != "" {
				return n
			}
			if c.Email != "" {
				return c.Email
			}
			return c.Phone
		}),
		"email": cust(func(c *Customer) any { return strPtr(c.Email) }),
		"phone": cust(func(c *Customer) any { return strPtr(c.Phone) }),
	})

	reg("MailingAddress", R{
		"id":                   addr(func(a addrView) any { return gid("MailingAddress", a.id) + "?model_name=Address" }),
		"firstName":            addr(func(a addrView) any { return strPtr(a.a.FirstName) }),
		"lastName":             addr(func(a addrView) any { return strPtr(a.a.LastName) }),
		"name":                 addr(func(a addrView) any { return strPtr(a.a.Name()) }),
		"company":              addr(func(a addrView) any { return strPtr(a.a.Company) }),
		"address1":             addr(func(a addrView) any { return strPtr(a.a.Address1) }),
		"address2":             addr(func(a addrView) any { return strPtr(a.a.Address2) }),
		"city":                 addr(func(a addrView) any { return strPtr(a.a.City) }),
		"province":             addr(func(a addrView) any { return strPtr(a.a.Province) }),
		"provinceCode":         addr(func(a addrView) any { return strPtr(a.a.ProvinceCode) }),
		"zip":                  addr(func(a addrView) any { return strPtr(a.a.Zip) }),
		"country":              addr(func(a addrView) any { return strPtr(a.a.Country) }),
		"countryCodeV2":        addr(func(a addrView) any { return strPtr(a.a.CountryCode) }),
		"countryCode":          addr(func(a addrView) any { return strPtr(a.a.CountryCode) }),
		"phone":                addr(func(a addrView) any { return strPtr(a.a.Phone) }),
		"latitude":             addr(func(addrView) any { return nil }),
		"longitude":            addr(func(addrView) any { return nil }),
		"coordinatesValidated": addr(func(addrView) any { return false }),
		"formattedArea": addr(func(a addrView) any {
			parts := []string{}
			for _, p := range []string{a.a.City, strings.TrimSpace(a.a.ProvinceCode + " " + a.a.Zip), a.a.Country} {
				if p != "" {
					parts = append(parts, p)
				}
			}
			return strPtr(strings.Join(parts, ", "))
		}),
		"formatted": func(_ *execCtx, src any, args map[string]any) (any, error) {
			a := src.(addrView).a
			withName, _ := args["withName"].(bool)
			withCompany, _ := args["withCompany"].(bool)
			var lines []string
			add := func(s string) {
				if s = strings.TrimSpace(s); s != "" {
					lines = append(lines, s)
				}
			}
			if withName {
				add(a.Name())
			}
			if withCompany {
				add(a.Company)
			}
			add(a.Address1)
			add(a.Address2)
			add(strings.TrimSpace(a.City + " " + a.ProvinceCode + " " + a.Zip))
			add(a.Country)
			if lines == nil {
				lines = []string{}
			}
			return lines, nil
		},
	})

	reg("Attribute", R{
		"key":   func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(Attribute).Key, nil },
		"value": func(_ *execCtx, src any, _ map[string]any) (any, error) { return strPtr(src.(Attribute).Value), nil },
	})
	reg("MoneyBag", R{
		"shopMoney":        func(_ *execCtx, src any, _ map[string]any) (any, error) { b := src.(moneyBag); return moneyV2(b), nil },
		"presentmentMoney": func(_ *execCtx, src any, _ map[string]any) (any, error) { b := src.(moneyBag); return moneyV2(b), nil },
	})
	reg("MoneyV2", R{
		"amount":       func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(moneyV2).amt, nil },
		"currencyCode": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(moneyV2).cur, nil },
	})
	reg("PricingPercentageValue", R{
		"percentage": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(pctValue).p, nil },
	})
	reg("TaxLine", R{
		"title":          tax(func(t taxView) any { return t.t.Title }),
		"rate":           tax(func(t taxView) any { return t.t.Rate }),
		"ratePercentage": tax(func(t taxView) any { return math.Round(t.t.Rate*1e6) / 1e4 }),
		"priceSet":       tax(func(t taxView) any { return moneyBag{t.t.Amount, t.cur} }),
		"price":          tax(func(t taxView) any { return t.t.Amount }),
		"channelLiable":  tax(func(taxView) any { return false }),
		"source":         tax(func(taxView) any { return nil }),
	})

	line := func(f func(o *Order, l *LineItem) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) {
			lv := src.(lineView)
			return f(lv.o, lv.l()), nil
		}
	}
	lmoney := func(f func(o *Order, l *LineItem) Money) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) {
			lv := src.(lineView)
			return s.bag(lv.o, f(lv.o, lv.l())), nil
		}
	}
	reg("LineItem", R{
		"id":                   line(func(_ *Order, l *LineItem) any { return gid("LineItem", l.ID) }),
		"sku":                  line(func(_ *Order, l *LineItem) any { return strPtr(l.SKU) }),
		"name":                 line(func(_ *Order, l *LineItem) any { return l.Name() }),
		"title":                line(func(_ *Order, l *LineItem) any { return l.Title }),
		"variantTitle":         line(func(_ *Order, l *LineItem) any { return strPtr(l.VariantTitle) }),
		"vendor":               line(func(_ *Order, l *LineItem) any { return strPtr(l.Vendor) }),
		"quantity":             line(func(_ *Order, l *LineItem) any { return l.Quantity }),
		"currentQuantity":      line(func(_ *Order, l *LineItem) any { return l.Quantity - l.RefundedQuantity }),
		"refundableQuantity":   line(func(_ *Order, l *LineItem) any { return l.Quantity - l.RefundedQuantity }),
		"unfulfilledQuantity":  line(func(_ *Order, l *LineItem) any { return max(0, l.Quantity-l.RefundedQuantity-l.FulfilledQuantity) }),
		"fulfillableQuantity":  line(func(_ *Order, l *LineItem) any { return max(0, l.Quantity-l.RefundedQuantity-l.FulfilledQuantity) }),
		"taxable":              line(func(_ *Order, l *LineItem) any { return l.Taxable }),
		"requiresShipping":     line(func(_ *Order, l *LineItem) any { return l.RequiresShipping }),
		"isGiftCard":           line(func(_ *Order, l *LineItem) any { return l.GiftCard }),
		"customAttributes":     line(func(_ *Order, l *LineItem) any { return attrs(l.Properties) }),
		"originalUnitPriceSet": lmoney(func(_ *Order, l *LineItem) Money { return l.UnitPrice }),
		"originalTotalSet":     lmoney(func(_ *Order, l *LineItem) Money { return l.UnitPrice * Money(l.Quantity) }),
		"totalDiscountSet": lmoney(func(o *Order, l *LineItem) Money {
			return l.lineLevelDiscount(o.DiscountApplications)
		}),
		"discountedUnitPriceSet": lmoney(func(o *Order, l *LineItem) Money {
			return unitAfter(l, l.lineLevelDiscount(o.DiscountApplications))
		}),
		"discountedUnitPriceAfterAllDiscountsSet": lmoney(func(o *Order, l *LineItem) Money {
			return unitAfter(l, l.allDiscounts())
		}),
		"discountedTotalSet": func(_ *execCtx, src any, args map[string]any) (any, error) {
			lv := src.(lineView)
			l := lv.l()
			d := l.lineLevelDiscount(lv.o.DiscountApplications)
			if with, _ := args["withCodeDiscounts"].(bool); with {
				d = l.allDiscounts()
			}
			return s.bag(lv.o, l.UnitPrice*Money(l.Quantity)-d), nil
		},
		"discountAllocations": line(func(o *Order, l *LineItem) any {
			out := []any{}
			for _, d := range l.Discounts {
				out = append(out, allocView{o, d})
			}
			return out
		}),
		"taxLines": func(_ *execCtx, src any, args map[string]any) (any, error) {
			lv := src.(lineView)
			return taxes(lv.l().TaxLines, s.orderCurrency(lv.o), args["first"]), nil
		},
		"variant": line(func(_ *Order, l *LineItem) any {
			if v := s.variants[l.VariantID]; v != nil {
				return v
			}
			return nil
		}),
		"product": line(func(_ *Order, l *LineItem) any {
			if p := s.product(l.ProductID); p != nil {
				return p
			}
			return nil
		}),
	})

	ship := func(f func(o *Order, sl *ShippingLine) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) {
			sv := src.(shipView)
			return f(sv.o, sv.s()), nil
		}
	}
	reg("ShippingLine", R{
		"id":                 ship(func(_ *Order, sl *ShippingLine) any { return gid("ShippingLine", sl.ID) }),
		"title":              ship(func(_ *Order, sl *ShippingLine) any { return sl.Title }),
		"code":               ship(func(_ *Order, sl *ShippingLine) any { return strPtr(sl.Code) }),
		"source":             ship(func(_ *Order, sl *ShippingLine) any { return strPtr(sl.Source) }),
		"carrierIdentifier":  ship(func(_ *Order, sl *ShippingLine) any { return strPtr(sl.CarrierIdentifier) }),
		"custom":             ship(func(_ *Order, sl *ShippingLine) any { return sl.Source == "" }),
		"isRemoved":          ship(func(*Order, *ShippingLine) any { return false }),
		"deliveryCategory":   ship(func(*Order, *ShippingLine) any { return nil }),
		"phone":              ship(func(*Order, *ShippingLine) any { return nil }),
		"shippingRateHandle": ship(func(*Order, *ShippingLine) any { return nil }),
		"originalPriceSet":   ship(func(o *Order, sl *ShippingLine) any { return s.bag(o, sl.Price) }),
		"discountedPriceSet": ship(func(o *Order, sl *ShippingLine) any { return s.bag(o, sl.Price-sl.Discount) }),
		"currentDiscountedPriceSet": ship(func(o *Order, sl *ShippingLine) any {
			return s.bag(o, sl.Price-sl.Discount)
		}),
		"discountAllocations": ship(func(*Order, *ShippingLine) any { return []any{} }),
		"taxLines":            ship(func(o *Order, sl *ShippingLine) any { return taxes(sl.TaxLines, s.orderCurrency(o), nil) }),
	})

	disc := func(f func(o *Order, d *DiscountApplication, i int) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) {
			dv := src.(discountView)
			return f(dv.o, dv.d(), dv.i), nil
		}
	}
	common := R{
		"index": disc(func(_ *Order, _ *DiscountApplication, i int) any { return i }),
		"allocationMethod": disc(func(_ *Order, d *DiscountApplication, _ int) any {
			return orDefault(d.AllocationMethod, "ACROSS")
		}),
		"targetSelection": disc(func(_ *Order, d *DiscountApplication, _ int) any {
			return orDefault(d.TargetSelection, "ALL")
		}),
		"targetType": disc(func(_ *Order, d *DiscountApplication, _ int) any {
			return orDefault(d.TargetType, "LINE_ITEM")
		}),
		"value": disc(func(o *Order, d *DiscountApplication, _ int) any {
			if d.Percentage > 0 {
				return pctValue{d.Percentage}
			}
			return moneyV2{d.Amount, s.orderCurrency(o)}
		}),
	}
	reg("DiscountApplication", common)
	for _, t := range []string{DiscountCode, DiscountAutomatic, DiscountManual, DiscountScript} {
		reg(t, common)
	}
	reg(DiscountCode, R{"code": disc(func(_ *Order, d *DiscountApplication, _ int) any { return d.Code })})
	title := disc(func(_ *Order, d *DiscountApplication, _ int) any { return d.Title })
	reg(DiscountAutomatic, R{"title": title})
	reg(DiscountScript, R{"title": title, "description": title})
	reg(DiscountManual, R{"title": title, "description": disc(func(_ *Order, d *DiscountApplication, _ int) any {
		return strPtr(d.Description)
	})})
	reg("DiscountAllocation", R{
		"allocatedAmountSet": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			a := src.(allocView)
			return s.bag(a.o, a.d.Amount), nil
		},
		"allocatedAmount": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			a := src.(allocView)
			return moneyV2{a.d.Amount, s.orderCurrency(a.o)}, nil
		},
		"discountApplication": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			a := src.(allocView)
			if a.d.Application < 0 || a.d.Application >= len(a.o.DiscountApplications) {
				return nil, nil
			}
			return discountView{a.o, a.d.Application}, nil
		},
	})

	tx := func(f func(o *Order, t *Transaction, i int) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) {
			tv := src.(txView)
			return f(tv.o, tv.t(), tv.i), nil
		}
	}
	reg("OrderTransaction", R{
		"id":               tx(func(_ *Order, t *Transaction, _ int) any { return gid("OrderTransaction", t.ID) }),
		"kind":             tx(func(_ *Order, t *Transaction, _ int) any { return t.Kind }),
		"status":           tx(func(_ *Order, t *Transaction, _ int) any { return t.Status }),
		"gateway":          tx(func(_ *Order, t *Transaction, _ int) any { return strPtr(t.Gateway) }),
		"formattedGateway": tx(func(_ *Order, t *Transaction, _ int) any { return strPtr(formatGateway(t.Gateway)) }),
		"manualPaymentGateway": tx(func(_ *Order, t *Transaction, _ int) any {
			return t.Gateway == "manual" || strings.Contains(t.Gateway, "(")
		}),
		"test":              tx(func(_ *Order, t *Transaction, _ int) any { return t.Test }),
		"processedAt":       tx(func(_ *Order, t *Transaction, _ int) any { return t.ProcessedAt }),
		"createdAt":         tx(func(_ *Order, t *Transaction, _ int) any { return t.ProcessedAt }),
		"errorCode":         tx(func(*Order, *Transaction, int) any { return nil }),
		"authorizationCode": tx(func(*Order, *Transaction, int) any { return nil }),
		"amountSet":         tx(func(o *Order, t *Transaction, _ int) any { return s.bag(o, t.Amount) }),
		"amount":            tx(func(_ *Order, t *Transaction, _ int) any { return t.Amount }),
		"amountV2":          tx(func(o *Order, t *Transaction, _ int) any { return moneyV2{t.Amount, s.orderCurrency(o)} }),
		"parentTransaction": tx(func(o *Order, t *Transaction, i int) any {
			if t.Kind == "SALE" || t.Kind == "AUTHORIZATION" {
				return nil
			}
			for j := i - 1; j >= 0; j-- {
				if k := o.Transactions[j].Kind; k == "SALE" || k == "AUTHORIZATION" || k == "CAPTURE" {
					return txView{o, j}
				}
			}
			return nil
		}),
	})
}

func cust(f func(c *Customer) any) resolver {
	return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(*Customer)), nil }
}

func addr(f func(a addrView) any) resolver {
	return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(addrView)), nil }
}

func tax(f func(t taxView) any) resolver {
	return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(taxView)), nil }
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// unitAfter is the approximate unit price after a line's discount d.
func unitAfter(l *LineItem, d Money) Money {
	if l.Quantity == 0 {
		return l.UnitPrice
	}
	total := l.UnitPrice*Money(l.Quantity) - d
	return Money(math.Round(float64(total) / float64(l.Quantity)))
}

func currentSubtotal(o *Order) Money {
	var sum Money
	for _, l := range o.LineItems {
		if l.Quantity == 0 {
			continue
		}
		cur := l.Quantity - l.RefundedQuantity
		sum += Money(math.Round(float64(l.UnitPrice*Money(l.Quantity)-l.allDiscounts()) * float64(cur) / float64(l.Quantity)))
	}
	return sum
}

func gatewayNames(o *Order) []string {
	out := []string{}
	for _, t := range o.Transactions {
		if t.Gateway != "" && !slices.Contains(out, t.Gateway) {
			out = append(out, t.Gateway)
		}
	}
	return out
}

func formatGateway(g string) string {
	switch g {
	case "shopify_payments":
		return "Shopify Payments"
	case "paypal":
		return "PayPal Express Checkout"
	case "manual":
		return "Manual"
	case "gift_card":
		return "Gift card"
	}
	return g
}

// ----- Catalog and inventory -----

func (s *Server) product(id int64) *Product {
	for _, p := range s.products {
		if p.ID == id {
			return p
		}
	}
	return nil
}

var variantSearchFields = map[string]bool{
	"sku": true, "id": true, "product_id": true, "title": true, "barcode": true,
	"updated_at": true, "created_at": true, "inventory_quantity": true,
}

// inventoryItems searches the same records as productVariants, by the
// fields an inventory item has.
var inventoryItemSearchFields = map[string]bool{"sku": true, "id": true, "created_at": true, "updated_at": true}

type itemSearch struct{ variantSearch }

func itemDoc(s *Server, v *Variant) searchDoc { return itemSearch{variantSearch{s, v}} }

func (d itemSearch) field(name string) (fieldValue, bool) {
	if name == "id" {
		return fieldValue{nums: []int64{d.v.InventoryItemID}}, true
	}
	return d.variantSearch.field(name)
}

type variantSearch struct {
	s *Server
	v *Variant
}

func variantDoc(s *Server, v *Variant) searchDoc { return variantSearch{s, v} }

func (d variantSearch) text() []string {
	out := []string{d.v.SKU, d.v.Title, d.v.Barcode}
	if p := d.s.product(d.v.ProductID); p != nil {
		out = append(out, p.Title)
	}
	return out
}

func (d variantSearch) field(name string) (fieldValue, bool) {
	v := d.v
	switch name {
	case "sku":
		return fieldValue{strs: []string{v.SKU}}, true
	case "barcode":
		return fieldValue{strs: []string{v.Barcode}}, true
	case "title":
		return fieldValue{strs: []string{v.Title}}, true
	case "id":
		return fieldValue{nums: []int64{v.ID}}, true
	case "product_id":
		return fieldValue{nums: []int64{v.ProductID}}, true
	case "inventory_quantity":
		return fieldValue{nums: []int64{int64(d.s.totalAvailable(v.InventoryItemID))}}, true
	case "created_at":
		return fieldValue{times: []time.Time{v.CreatedAt}}, true
	case "updated_at":
		return fieldValue{times: []time.Time{v.UpdatedAt}}, true
	}
	return fieldValue{}, false
}

type locationSearch struct{ l *Location }

func locationDoc(_ *Server, l *Location) searchDoc { return locationSearch{l} }
func (d locationSearch) text() []string            { return []string{d.l.Name} }
func (d locationSearch) field(name string) (fieldValue, bool) {
	switch name {
	case "name":
		return fieldValue{strs: []string{d.l.Name}}, true
	case "id":
		return fieldValue{nums: []int64{d.l.ID}}, true
	case "active":
		return fieldValue{strs: []string{strconv.FormatBool(d.l.Active)}}, true
	}
	return fieldValue{}, false
}

func (s *Server) allVariants() []*Variant {
	var out []*Variant
	for _, p := range s.products {
		for i := range p.Variants {
			out = append(out, &p.Variants[i])
		}
	}
	return out
}

func (s *Server) totalAvailable(itemID int64) int {
	n := 0
	for _, l := range s.levels[itemID] {
		n += l.available
	}
	return n
}

func (s *Server) resolveProductVariants(x *execCtx, _ any, args map[string]any) (any, error) {
	vs := s.allVariants()
	if q, _ := args["query"].(string); q != "" {
		vs = filterSearch(x, "productVariants", q, vs, variantDoc, variantSearchFields)
	}
	return s.paginateVariants(vs, args)
}

func (s *Server) paginateVariants(vs []*Variant, args map[string]any) (any, error) {
	sk, _ := args["sortKey"].(string)
	switch sk {
	case "ID", "", "RELEVANCE":
		return paginate(vs, func(v *Variant) sortKey { return idKey(v.ID) }, 'i', args)
	case "POSITION":
		return paginate(vs, func(v *Variant) sortKey { return idKey(v.ID) }, 'i', args)
	case "INVENTORY_QUANTITY":
		return paginate(vs, func(v *Variant) sortKey {
			return sortKey{id: v.ID, n: int64(s.totalAvailable(v.InventoryItemID)), kind: 'n'}
		}, 'n', args)
	}
	return nil, &fieldError{msg: "sortKey " + sk + " is not simulated", ext: map[string]any{"code": "NOT_SIMULATED"}}
}

func (s *Server) catalogResolvers(reg func(string, map[string]resolver)) {
	type R = map[string]resolver
	prod := func(f func(p *Product) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(*Product)), nil }
	}
	reg("Product", R{
		"id":               prod(func(p *Product) any { return gid("Product", p.ID) }),
		"legacyResourceId": prod(func(p *Product) any { return p.ID }),
		"title":            prod(func(p *Product) any { return p.Title }),
		"handle":           prod(func(p *Product) any { return p.Handle }),
		"vendor":           prod(func(p *Product) any { return p.Vendor }),
		"productType":      prod(func(p *Product) any { return p.ProductType }),
		"status":           prod(func(*Product) any { return "ACTIVE" }),
		"totalInventory": prod(func(p *Product) any {
			n := 0
			for _, v := range p.Variants {
				n += s.totalAvailable(v.InventoryItemID)
			}
			return n
		}),
		"variants": func(_ *execCtx, src any, args map[string]any) (any, error) {
			p := src.(*Product)
			vs := make([]*Variant, len(p.Variants))
			for i := range p.Variants {
				vs[i] = &p.Variants[i]
			}
			return s.paginateVariants(vs, args)
		},
	})
	vr := func(f func(v *Variant) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(*Variant)), nil }
	}
	reg("ProductVariant", R{
		"id":               vr(func(v *Variant) any { return gid("ProductVariant", v.ID) }),
		"legacyResourceId": vr(func(v *Variant) any { return v.ID }),
		"sku":              vr(func(v *Variant) any { return strPtr(v.SKU) }),
		"title":            vr(func(v *Variant) any { return v.Title }),
		"barcode":          vr(func(v *Variant) any { return strPtr(v.Barcode) }),
		"price":            vr(func(v *Variant) any { return v.Price }),
		"taxable":          vr(func(*Variant) any { return true }),
		"inventoryPolicy":  vr(func(*Variant) any { return "DENY" }),
		"availableForSale": vr(func(v *Variant) any { return s.totalAvailable(v.InventoryItemID) > 0 || v.Untracked }),
		"createdAt":        vr(func(v *Variant) any { return v.CreatedAt }),
		"updatedAt":        vr(func(v *Variant) any { return v.UpdatedAt }),
		"displayName": vr(func(v *Variant) any {
			p := s.product(v.ProductID)
			if v.Title == "Default Title" || v.Title == "" {
				return p.Title
			}
			return p.Title + " - " + v.Title
		}),
		"position": vr(func(v *Variant) any {
			p := s.product(v.ProductID)
			for i := range p.Variants {
				if p.Variants[i].ID == v.ID {
					return i + 1
				}
			}
			return 1
		}),
		"inventoryQuantity": vr(func(v *Variant) any {
			if v.Untracked {
				return nil
			}
			return s.totalAvailable(v.InventoryItemID)
		}),
		"inventoryItem": vr(func(v *Variant) any { return itemView{v} }),
		"product":       vr(func(v *Variant) any { return s.product(v.ProductID) }),
	})
	item := func(f func(v *Variant) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(itemView).v), nil }
	}
	reg("InventoryItem", R{
		"id":               item(func(v *Variant) any { return gid("InventoryItem", v.InventoryItemID) }),
		"legacyResourceId": item(func(v *Variant) any { return v.InventoryItemID }),
		"sku":              item(func(v *Variant) any { return strPtr(v.SKU) }),
		"tracked":          item(func(v *Variant) any { return !v.Untracked }),
		"requiresShipping": item(func(v *Variant) any { return !v.NoShipping }),
		"createdAt":        item(func(v *Variant) any { return v.CreatedAt }),
		"updatedAt":        item(func(v *Variant) any { return v.UpdatedAt }),
		"variant":          item(func(v *Variant) any { return v }),
		"duplicateSkuCount": item(func(v *Variant) any {
			n := 0
			for _, o := range s.allVariants() {
				if o.ID != v.ID && o.SKU != "" && o.SKU == v.SKU {
					n++
				}
			}
			return n
		}),
		"inventoryLevel": func(_ *execCtx, src any, args map[string]any) (any, error) {
			v := src.(itemView).v
			id, err := globalID("Location", args["locationId"])
			if err != nil {
				return nil, err
			}
			loc := s.location(id)
			if l := s.levels[v.InventoryItemID][id]; l != nil && loc != nil {
				return levelView{v, loc, l}, nil
			}
			return nil, nil
		},
		"inventoryLevels": func(_ *execCtx, src any, args map[string]any) (any, error) {
			v := src.(itemView).v
			var lvs []levelView
			for _, loc := range s.locations {
				if l := s.levels[v.InventoryItemID][loc.ID]; l != nil {
					lvs = append(lvs, levelView{v, loc, l})
				}
			}
			return paginate(lvs, func(lv levelView) sortKey { return idKey(lv.loc.ID) }, 'i', args)
		},
	})
	reg("InventoryLevel", R{
		"id": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			lv := src.(levelView)
			return levelGID(lv), nil
		},
		"item":          func(_ *execCtx, src any, _ map[string]any) (any, error) { return itemView{src.(levelView).v}, nil },
		"location":      func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(levelView).loc, nil },
		"createdAt":     func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(levelView).v.CreatedAt, nil },
		"updatedAt":     func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(levelView).l.updatedAt, nil },
		"canDeactivate": func(*execCtx, any, map[string]any) (any, error) { return true, nil },
		"quantities": func(_ *execCtx, src any, args map[string]any) (any, error) {
			lv := src.(levelView)
			out := []any{}
			names, _ := args["names"].([]any)
			for _, n := range names {
				name, _ := n.(string)
				q, ok := quantityNamed(lv.l, name)
				if !ok {
					return nil, &fieldError{msg: fmt.Sprintf("The quantity name '%s' is invalid.", name)}
				}
				out = append(out, quantityView{lv, name, q})
			}
			return out, nil
		},
	})
	reg("InventoryQuantity", R{
		"id": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			q := src.(quantityView)
			return levelGID(q.lv) + "&name=" + q.name, nil
		},
		"name":     func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(quantityView).name, nil },
		"quantity": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(quantityView).qty, nil },
		"updatedAt": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			return src.(quantityView).lv.l.updatedAt, nil
		},
	})
	loc := func(f func(l *Location) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(*Location)), nil }
	}
	reg("Location", R{
		"id":                   loc(func(l *Location) any { return gid("Location", l.ID) }),
		"legacyResourceId":     loc(func(l *Location) any { return l.ID }),
		"name":                 loc(func(l *Location) any { return l.Name }),
		"isActive":             loc(func(l *Location) any { return l.Active }),
		"fulfillsOnlineOrders": loc(func(l *Location) any { return l.FulfillsOnlineOrders }),
		"shipsInventory":       loc(func(l *Location) any { return l.FulfillsOnlineOrders }),
		"hasActiveInventory":   loc(func(l *Location) any { return true }),
		"deletable":            loc(func(l *Location) any { return false }),
		"inventoryLevel": func(_ *execCtx, src any, args map[string]any) (any, error) {
			l := src.(*Location)
			id, err := globalID("InventoryItem", args["inventoryItemId"])
			if err != nil {
				return nil, err
			}
			v := s.items[id]
			if v == nil || s.levels[id][l.ID] == nil {
				return nil, nil
			}
			return levelView{v, l, s.levels[id][l.ID]}, nil
		},
		"inventoryLevels": func(_ *execCtx, src any, args map[string]any) (any, error) {
			l := src.(*Location)
			var lvs []levelView
			for _, v := range s.allVariants() {
				if lvl := s.levels[v.InventoryItemID][l.ID]; lvl != nil {
					lvs = append(lvs, levelView{v, l, lvl})
				}
			}
			return paginate(lvs, func(lv levelView) sortKey { return idKey(lv.v.InventoryItemID) }, 'i', args)
		},
	})

	reg("InventorySetQuantitiesPayload", R{
		"inventoryAdjustmentGroup": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			if g := src.(setPayload).group; g != nil {
				return g, nil
			}
			return nil, nil
		},
		"userErrors": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(setPayload).errs, nil },
	})
	reg("InventorySetQuantitiesUserError", R{
		"field":   func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(userError).field, nil },
		"message": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(userError).msg, nil },
		"code":    func(_ *execCtx, src any, _ map[string]any) (any, error) { return strPtr(src.(userError).code), nil },
	})
	reg("InventoryAdjustmentGroup", R{
		"id": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			return gid("InventoryAdjustmentGroup", src.(*adjustmentGroup).id), nil
		},
		"createdAt": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*adjustmentGroup).createdAt, nil },
		"reason":    func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*adjustmentGroup).reason, nil },
		"referenceDocumentUri": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			return strPtr(src.(*adjustmentGroup).uri), nil
		},
		"changes": func(_ *execCtx, src any, args map[string]any) (any, error) {
			g := src.(*adjustmentGroup)
			out := []any{}
			for _, c := range g.changes {
				if !filterIDs(args["inventoryItemIds"], gid("InventoryItem", c.v.InventoryItemID)) ||
					!filterIDs(args["locationIds"], gid("Location", c.loc.ID)) || !filterIDs(args["quantityNames"], c.name) {
					continue
				}
				out = append(out, c)
			}
			return out, nil
		},
	})
	reg("InventoryChange", R{
		"name":                func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(change).name, nil },
		"delta":               func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(change).delta, nil },
		"quantityAfterChange": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(change).after, nil },
		"ledgerDocumentUri":   func(*execCtx, any, map[string]any) (any, error) { return nil, nil },
		"item":                func(_ *execCtx, src any, _ map[string]any) (any, error) { return itemView{src.(change).v}, nil },
		"location":            func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(change).loc, nil },
	})
}

func levelGID(lv levelView) string {
	return gid("InventoryLevel", lv.loc.ID) + "?inventory_item_id=" + strconv.FormatInt(lv.v.InventoryItemID, 10)
}

func filterIDs(list any, id string) bool {
	ids, ok := list.([]any)
	if !ok || ids == nil {
		return true
	}
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// quantityNamed returns one of the inventory states of a level.
func quantityNamed(l *level, name string) (int, bool) {
	switch name {
	case "available":
		return l.available, true
	case "on_hand":
		return l.onHand(), true
	case "committed":
		return l.committed, true
	case "incoming", "reserved", "damaged", "quality_control", "safety_stock":
		return 0, true
	}
	return 0, false
}

// inventoryReasons are the reasons inventorySetQuantities accepts
// (https://shopify.dev/docs/apps/fulfillment/inventory-management-apps/quantities-states).
var inventoryReasons = map[string]bool{
	"correction": true, "cycle_count_available": true, "damaged": true, "movement_created": true,
	"movement_updated": true, "movement_received": true, "movement_canceled": true, "other": true,
	"promotion": true, "quality_control": true, "received": true, "reservation_created": true,
	"reservation_deleted": true, "reservation_updated": true, "restock": true, "safety_stock": true,
	"shrinkage": true,
}

const maxInventoryQuantity = 1_000_000_000

// resolveInventorySetQuantities implements the 2025-01 contract: all
// quantities are checked first and nothing changes when any check fails.
func (s *Server) resolveInventorySetQuantities(x *execCtx, _ any, args map[string]any) (any, error) {
	in, _ := args["input"].(map[string]any)
	name, _ := in["name"].(string)
	reason, _ := in["reason"].(string)
	uri, _ := in["referenceDocumentUri"].(string)
	ignore, _ := in["ignoreCompareQuantity"].(bool)
	qs, _ := in["quantities"].([]any)
	var errs []any
	fail := func(code string, field ...string) {
		errs = append(errs, userError{field: append([]string{"input"}, field...), msg: setQuantitiesMessages[code], code: code})
	}
	if name != "available" && name != "on_hand" {
		fail("INVALID_NAME", "name")
	}
	if !inventoryReasons[reason] {
		fail("INVALID_REASON", "reason")
	}
	if uri != "" {
		if u, err := url.Parse(uri); err != nil || u.Scheme == "" {
			fail("INVALID_REFERENCE_DOCUMENT", "referenceDocumentUri")
		}
	}
	type target struct {
		v   *Variant
		loc *Location
		l   *level
		qty int
	}
	var targets []target
	seen := map[[2]int64]bool{}
	for i, raw := range qs {
		q, _ := raw.(map[string]any)
		idx := strconv.Itoa(i)
		itemID, _ := parseGID("InventoryItem", fmt.Sprint(q["inventoryItemId"]))
		locID, _ := parseGID("Location", fmt.Sprint(q["locationId"]))
		qty, _ := q["quantity"].(int)
		v := s.items[itemID]
		loc := s.location(locID)
		switch {
		case v == nil:
			fail("INVALID_INVENTORY_ITEM", "quantities", idx, "inventoryItemId")
			continue
		case loc == nil:
			fail("INVALID_LOCATION", "quantities", idx, "locationId")
			continue
		case s.levels[itemID][locID] == nil:
			fail("ITEM_NOT_STOCKED_AT_LOCATION", "quantities", idx, "locationId")
			continue
		case v.Untracked:
			fail("NON_MUTABLE_INVENTORY_ITEM", "quantities", idx, "inventoryItemId")
			continue
		}
		pair := [2]int64{itemID, locID}
		if seen[pair] {
			fail("NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR", "quantities", idx)
			continue
		}
		seen[pair] = true
		l := s.levels[itemID][locID]
		switch {
		case qty > maxInventoryQuantity:
			fail("INVALID_QUANTITY_TOO_HIGH", "quantities", idx, "quantity")
			continue
		case qty < -maxInventoryQuantity:
			fail("INVALID_QUANTITY_TOO_LOW", "quantities", idx, "quantity")
			continue
		case name == "on_hand" && qty < 0:
			fail("INVALID_QUANTITY_NEGATIVE", "quantities", idx, "quantity")
			continue
		}
		if !ignore {
			cq, has := q["compareQuantity"].(int)
			cur, _ := quantityNamed(l, name)
			if !has {
				fail("COMPARE_QUANTITY_REQUIRED", "quantities", idx, "compareQuantity")
				continue
			}
			if cq != cur {
				fail("COMPARE_QUANTITY_STALE", "quantities", idx, "compareQuantity")
				continue
			}
		}
		targets = append(targets, target{v, loc, l, qty})
	}
	if len(errs) > 0 {
		return setPayload{errs: errs}, nil
	}
	g := &adjustmentGroup{id: s.nextID("adjustment", baseAdjustmentID), createdAt: x.now, reason: reason, uri: uri}
	for _, t := range targets {
		var delta int
		if name == "available" {
			delta = t.qty - t.l.available
		} else {
			delta = t.qty - t.l.onHand()
		}
		if delta == 0 {
			continue
		}
		t.l.available += delta
		t.l.updatedAt = x.now
		g.changes = append(g.changes,
			change{name: "available", delta: delta, after: t.l.available, v: t.v, loc: t.loc},
			change{name: "on_hand", delta: delta, after: t.l.onHand(), v: t.v, loc: t.loc})
	}
	return setPayload{group: g, errs: []any{}}, nil
}

// setQuantitiesMessages are the schema's descriptions of each code.
var setQuantitiesMessages = map[string]string{
	"INVALID_INVENTORY_ITEM":                       "The specified inventory item could not be found.",
	"INVALID_LOCATION":                             "The specified location could not be found.",
	"INVALID_QUANTITY_NEGATIVE":                    "The quantity can't be negative.",
	"INVALID_REASON":                               "The specified reason is invalid.",
	"INVALID_REFERENCE_DOCUMENT":                   "The specified reference document is invalid.",
	"ITEM_NOT_STOCKED_AT_LOCATION":                 "The specified inventory item is not stocked at the location.",
	"INVALID_QUANTITY_TOO_HIGH":                    "The total quantity can't be higher than 1,000,000,000.",
	"INVALID_QUANTITY_TOO_LOW":                     "The total quantity can't be lower than -1,000,000,000.",
	"COMPARE_QUANTITY_REQUIRED":                    "The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.",
	"COMPARE_QUANTITY_STALE":                       "The compareQuantity value does not match persisted value.",
	"INVALID_NAME":                                 "The quantity name must be either 'available' or 'on_hand'.",
	"NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR": "The combination of inventoryItemId and locationId must be unique.",
	"NON_MUTABLE_INVENTORY_ITEM":                   "The specified inventory item is not allowed to be adjusted via API. Example: if the inventory item is a parent bundle.",
}
