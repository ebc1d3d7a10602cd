package woosim

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// listOrders is GET /orders (WC_REST_Orders_Controller::get_items).
func (s *Server) listOrders(c *call) (*reply, *wpError) {
	p := c.params
	statuses := p["status"].([]string)
	include, exclude := p["include"].([]int), p["exclude"].([]int)
	parents, parentExclude := p["parent"].([]int), p["parent_exclude"].([]int)
	search, _ := p["search"].(string)
	dp := p["dp"].(int)

	s.mu.Lock()
	defer s.mu.Unlock()
	var matches []*Order
	for _, id := range sortedKeys(s.orders) {
		o := s.orders[id]
		switch {
		case slices.Contains(statuses, "any"):
			if o.Status == "trash" {
				continue
			}
		case !slices.Contains(statuses, o.Status):
			continue
		}
		if !c.inDateRange(o.Created, o.Modified) ||
			len(include) > 0 && !slices.Contains(include, o.ID) ||
			slices.Contains(exclude, o.ID) ||
			len(parents) > 0 && !slices.Contains(parents, o.ParentID) ||
			slices.Contains(parentExclude, o.ParentID) {
			continue
		}
		if cust, ok := p["customer"].(int); ok && o.CustomerID != cust {
			continue
		}
		if prod, ok := p["product"].(int); ok && prod != 0 && !slices.ContainsFunc(o.LineItems, func(li LineItem) bool { return li.ProductID == prod }) {
			continue
		}
		if search != "" && !orderMatches(o, search) {
			continue
		}
		matches = append(matches, o)
	}
	sortPosts(matches, p, func(o *Order) sortKey { return sortKey{id: o.ID, created: o.Created, modified: o.Modified} })
	page, total, pages := pageOf(matches, p)
	body := make([]any, 0, len(page))
	for _, o := range page {
		body = append(body, s.orderJSON(c, o, dp))
	}

	// WC_REST_Orders_Controller::prepare_objects_query takes "status" out
	// of the request and puts the sanitized array back (at the end), and
	// prepare_object_for_response sets "dp" and "context" on it; all three
	// therefore show up in the Link URLs.
	q := linkQuery(c.query, orderListArgs, p).without("status")
	q = append(q, phpParam{Key: "status", Values: statuses, IsArray: true})
	if len(page) > 0 {
		q = q.replaceOrAppend(phpParam{Key: "dp", Values: []string{strconv.Itoa(dp)}})
		q = q.replaceOrAppend(phpParam{Key: "context", Values: []string{p["context"].(string)}})
	}
	h := collectionHeaders(c.restURL("/wc/v3/orders"), q, p["page"].(int), total, pages)
	return &reply{status: http.StatusOK, body: body, headers: h}, nil
}

// inDateRange applies after/before/modified_after/modified_before the way
// WP_Date_Query does: the argument is read in the store's time zone (or
// its own offset) and converted to the store's wall-clock time, then
// compared, exclusively and to the second, with the local column — or with
// the GMT column when dates_are_gmt is true. (So with dates_are_gmt=true an
// argument carrying an offset is shifted by the store's offset, as on a
// real store.)
func (c *call) inDateRange(created, modified time.Time) bool {
	loc := c.s.loc
	gmt, _ := c.params["dates_are_gmt"].(bool)
	wall := func(t time.Time) time.Time {
		if gmt {
			t = t.UTC()
		} else {
			t = t.In(loc)
		}
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	}
	bound := func(name string) (time.Time, bool) {
		s, ok := c.params[name].(string)
		if !ok {
			return time.Time{}, false
		}
		t, _ := parseRESTDate(s, loc)
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC), true
	}
	if b, ok := bound("after"); ok && !wall(created).After(b) {
		return false
	}
	if b, ok := bound("before"); ok && !wall(created).Before(b) {
		return false
	}
	if b, ok := bound("modified_after"); ok && !wall(modified).After(b) {
		return false
	}
	if b, ok := bound("modified_before"); ok && !wall(modified).Before(b) {
		return false
	}
	return true
}

// sortKey is what a collection can be sorted by.
type sortKey struct {
	id                int
	created, modified time.Time
	title             string // products only; orders sort by date instead
	price             cents
}

// sortPosts orders a WP_Query result: date and modified sort by that date
// then ID (WooCommerce adds "ID" for stable paging), id by ID, include by
// position in the include list, title and slug by name, price by price;
// order applies to both keys. Orders have no title, so title, slug and
// the product-only keys (popularity, rating, menu_order) sort by date.
func sortPosts[T any](items []T, p map[string]any, key func(T) sortKey) {
	desc := p["order"] == "desc"
	include, _ := p["include"].([]int)
	orderby := p["orderby"].(string)
	slices.SortStableFunc(items, func(x, y T) int {
		a, b := key(x), key(y)
		if orderby == "include" && len(include) > 0 {
			return cmp.Compare(slices.Index(include, a.id), slices.Index(include, b.id))
		}
		var r int
		switch {
		case orderby == "id":
			r = cmp.Compare(a.id, b.id)
		case orderby == "modified":
			r = cmp.Or(a.modified.Truncate(time.Second).Compare(b.modified.Truncate(time.Second)), cmp.Compare(a.id, b.id))
		case (orderby == "title" || orderby == "slug") && a.title != "":
			r = cmp.Or(strings.Compare(strings.ToLower(a.title), strings.ToLower(b.title)), cmp.Compare(a.id, b.id))
		case orderby == "price" && a.title != "":
			r = cmp.Or(cmp.Compare(a.price, b.price), cmp.Compare(a.id, b.id))
		default:
			r = cmp.Or(a.created.Truncate(time.Second).Compare(b.created.Truncate(time.Second)), cmp.Compare(a.id, b.id))
		}
		if desc {
			return -r
		}
		return r
	})
}

// orderMatches is the order search: the ID, billing and shipping address
// fields (email and phone included) and line item names, case-insensitive.
func orderMatches(o *Order, term string) bool {
	if strconv.Itoa(o.ID) == term {
		return true
	}
	term = strings.ToLower(term)
	fields := []string{o.Number}
	for _, a := range []Address{o.Billing, o.Shipping} {
		fields = append(fields, a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City, a.State, a.Postcode, a.Country, a.Email, a.Phone)
	}
	for _, li := range o.LineItems {
		fields = append(fields, li.Name)
	}
	for _, f := range fields {
		if f != "" && strings.Contains(strings.ToLower(f), term) {
			return true
		}
	}
	return false
}

// getOrder is GET /orders/{id}.
func (s *Server) getOrder(c *call) (*reply, *wpError) {
	id, _ := strconv.Atoi(c.vars["id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return nil, newError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", http.StatusNotFound)
	}
	return &reply{status: http.StatusOK, body: s.orderJSON(c, o, queryDP(c))}, nil
}

// queryDP is the dp query parameter of a single-order request: not a
// registered argument there, but prepare_object_for_response reads it
// (absint) all the same. Default: 2, the store's price decimals.
func queryDP(c *call) int {
	p, ok := c.query.get("dp")
	if !ok {
		return 2
	}
	n, _ := strconv.Atoi(strings.TrimSpace(p.Value()))
	return min(max(n, -n), 10)
}

// updateOrder is PUT /orders/{id}: status (with WooCommerce's side effects
// — paid and completed dates, a status-change note, stock reduced on
// pending→processing/completed/on-hold and restored on cancel), meta_data
// (update by id, else by key, else add), customer_note, transaction_id,
// payment method, billing and shipping fields and set_paid. Other fields,
// line items included, are ignored. date_modified becomes now.
func (s *Server) updateOrder(c *call) (*reply, *wpError) {
	id, _ := strconv.Atoi(c.vars["id"])
	s.mu.Lock()
	o, ok := s.orders[id]
	if !ok {
		s.mu.Unlock()
		return nil, newError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", http.StatusBadRequest)
	}
	now := s.now()
	p := c.params
	for _, f := range []struct {
		name string
		dst  *string
	}{{"customer_note", &o.CustomerNote}, {"transaction_id", &o.TransactionID}, {"payment_method", &o.PaymentMethod}, {"payment_method_title", &o.PaymentMethodTitle}} {
		if v, ok := p[f.name].(string); ok {
			*f.dst = v
		}
	}
	for name, addr := range map[string]*Address{"billing": &o.Billing, "shipping": &o.Shipping} {
		if m, ok := c.json[name].(map[string]any); ok {
			updateAddress(addr, m)
		}
	}
	if list, ok := p["meta_data"].([]any); ok {
		for _, item := range list {
			m := item.(map[string]any)
			key, _ := m["key"].(string)
			metaID, _ := asInteger(m["id"])
			o.MetaData = upsertMeta(o.MetaData, metaID, key, m["value"])
		}
		s.fillMetaIDs(o.MetaData)
	}
	if status, ok := p["status"].(string); ok && status != o.Status {
		s.transition(o, status, now)
	}
	if paid, _ := p["set_paid"].(bool); paid && (o.Status == "pending" || o.Status == "failed" || o.Status == "on-hold") {
		if tx, ok := p["transaction_id"].(string); ok {
			o.TransactionID = tx
		}
		s.transition(o, "processing", now)
	}
	o.Modified = now
	body := s.orderJSON(c, o, queryDP(c))
	s.mu.Unlock()
	s.fireOrderWebhooks("order.updated", id)
	return &reply{status: http.StatusOK, body: body}, nil
}

// transition is WC_Order::set_status followed by status_transition.
func (s *Server) transition(o *Order, to string, now time.Time) {
	from := o.Status
	o.Status = to
	paid := to == "processing" || to == "completed"
	if paid && o.Paid.IsZero() {
		o.Paid = now
	}
	if to == "completed" && o.Completed.IsZero() {
		o.Completed = now
	}
	s.addNote(o, fmt.Sprintf("Order status changed from %s to %s.", statusNames[from], statusNames[to]), false, now)
	switch {
	case (paid || to == "on-hold") && !o.stockReduced:
		s.adjustStock(o, -1, now)
		o.stockReduced = true
	case to == "cancelled" && o.stockReduced:
		s.adjustStock(o, +1, now)
		o.stockReduced = false
	}
}

// adjustStock is wc_reduce_stock_levels (sign -1) and
// wc_increase_stock_levels (+1), with their order notes.
func (s *Server) adjustStock(o *Order, sign int, now time.Time) {
	var changes []string
	for _, li := range o.LineItems {
		pid := li.ProductID
		if li.VariationID != 0 {
			pid = li.VariationID
		}
		p, ok := s.products[pid]
		if !ok {
			continue
		}
		holder := s.stockHolder(p)
		if holder == nil {
			continue
		}
		before := *holder.StockQuantity
		after := before + sign*li.Quantity
		holder.StockQuantity = &after
		holder.Modified = now
		label := p.Name
		if p.SKU != "" {
			label += " (" + p.SKU + ")"
		}
		changes = append(changes, fmt.Sprintf("%s %d&rarr;%d", label, before, after))
	}
	if len(changes) == 0 {
		return
	}
	verb := "Stock levels reduced: "
	if sign > 0 {
		verb = "Stock levels increased: "
	}
	s.addNote(o, verb+strings.Join(changes, ", "), false, now)
}

func (s *Server) addNote(o *Order, text string, customer bool, now time.Time) Note {
	n := Note{ID: s.nextNoteID, Author: "system", Created: now, Note: text, CustomerNote: customer}
	s.nextNoteID++
	o.Notes = append(o.Notes, n)
	return n
}

func updateAddress(a *Address, m map[string]any) {
	set := func(key string, dst *string) {
		if v, ok := m[key].(string); ok {
			*dst = v
		}
	}
	set("first_name", &a.FirstName)
	set("last_name", &a.LastName)
	set("company", &a.Company)
	set("address_1", &a.Address1)
	set("address_2", &a.Address2)
	set("city", &a.City)
	set("state", &a.State)
	set("postcode", &a.Postcode)
	set("country", &a.Country)
	set("email", &a.Email)
	set("phone", &a.Phone)
}

// upsertMeta is WC_Data::update_meta_data: by meta ID when given, else the
// first entry with the key, else a new entry.
func upsertMeta(list []Meta, id int, key string, value any) []Meta {
	if n, ok := value.(json.Number); ok {
		value = n.String()
	}
	for i := range list {
		if id != 0 && list[i].ID == id || id == 0 && list[i].Key == key {
			if key != "" {
				list[i].Key = key
			}
			list[i].Value = value
			return list
		}
	}
	return append(list, Meta{Key: key, Value: value})
}

// listNotes is GET /orders/{id}/notes, newest first.
func (s *Server) listNotes(c *call) (*reply, *wpError) {
	id, _ := strconv.Atoi(c.vars["order_id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return nil, newError("woocommerce_rest_order_invalid_id", "Invalid order ID.", http.StatusNotFound)
	}
	typ := c.params["type"].(string)
	body := []any{}
	for i := len(o.Notes) - 1; i >= 0; i-- {
		n := o.Notes[i]
		if typ == "customer" && !n.CustomerNote || typ == "internal" && n.CustomerNote {
			continue
		}
		body = append(body, s.noteJSON(c, o.ID, n))
	}
	return &reply{status: http.StatusOK, body: body}, nil
}

// createNote is POST /orders/{id}/notes: 201 with the note and a Location
// header. With added_by_user the author is the API key's user.
func (s *Server) createNote(c *call) (*reply, *wpError) {
	id, _ := strconv.Atoi(c.vars["order_id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return nil, newError("woocommerce_rest_order_invalid_id", "Invalid order ID.", http.StatusNotFound)
	}
	text := c.params["note"].(string)
	if text == "" {
		return nil, newError("woocommerce_rest_shop_order_note_not_created", "Cannot create order note, please try again.", http.StatusInternalServerError)
	}
	n := s.addNote(o, text, c.params["customer_note"].(bool), s.now())
	if c.params["added_by_user"].(bool) {
		o.Notes[len(o.Notes)-1].Author = "shopmanager"
		n.Author = "shopmanager"
	}
	h := http.Header{}
	h.Set("Location", c.restURL(fmt.Sprintf("/wc/v3/orders/%d/notes/%d", o.ID, n.ID)))
	return &reply{status: http.StatusCreated, body: s.noteJSON(c, o.ID, n), headers: h}, nil
}

type href struct {
	Href string `json:"href"`
}

type noteJSON struct {
	ID             int     `json:"id"`
	Author         string  `json:"author"`
	DateCreated    *string `json:"date_created"`
	DateCreatedGMT *string `json:"date_created_gmt"`
	Note           string  `json:"note"`
	CustomerNote   bool    `json:"customer_note"`
	Links          obj     `json:"_links"`
}

func (s *Server) noteJSON(c *call, orderID int, n Note) noteJSON {
	base := fmt.Sprintf("/wc/v3/orders/%d", orderID)
	return noteJSON{
		ID: n.ID, Author: n.Author, Note: n.Note, CustomerNote: n.CustomerNote,
		DateCreated: wpDate(n.Created, s.loc), DateCreatedGMT: wpDate(n.Created, time.UTC),
		Links: obj{
			{"self", []href{{c.restURL(fmt.Sprintf("%s/notes/%d", base, n.ID))}}},
			{"collection", []href{{c.restURL(base + "/notes")}}},
			{"up", []href{{c.restURL(base)}}},
		},
	}
}

// Wire shapes. Field order follows WooCommerce's responses.

type orderJSON struct {
	ID                 int                `json:"id"`
	ParentID           int                `json:"parent_id"`
	Number             string             `json:"number"`
	OrderKey           string             `json:"order_key"`
	CreatedVia         string             `json:"created_via"`
	Version            string             `json:"version"`
	Status             string             `json:"status"`
	Currency           string             `json:"currency"`
	DateCreated        *string            `json:"date_created"`
	DateCreatedGMT     *string            `json:"date_created_gmt"`
	DateModified       *string            `json:"date_modified"`
	DateModifiedGMT    *string            `json:"date_modified_gmt"`
	DiscountTotal      string             `json:"discount_total"`
	DiscountTax        string             `json:"discount_tax"`
	ShippingTotal      string             `json:"shipping_total"`
	ShippingTax        string             `json:"shipping_tax"`
	CartTax            string             `json:"cart_tax"`
	Total              string             `json:"total"`
	TotalTax           string             `json:"total_tax"`
	PricesIncludeTax   bool               `json:"prices_include_tax"`
	CustomerID         int                `json:"customer_id"`
	CustomerIPAddress  string             `json:"customer_ip_address"`
	CustomerUserAgent  string             `json:"customer_user_agent"`
	CustomerNote       string             `json:"customer_note"`
	Billing            billingJSON        `json:"billing"`
	Shipping           shippingJSON       `json:"shipping"`
	PaymentMethod      string             `json:"payment_method"`
	PaymentMethodTitle string             `json:"payment_method_title"`
	TransactionID      string             `json:"transaction_id"`
	DatePaid           *string            `json:"date_paid"`
	DatePaidGMT        *string            `json:"date_paid_gmt"`
	DateCompleted      *string            `json:"date_completed"`
	DateCompletedGMT   *string            `json:"date_completed_gmt"`
	CartHash           string             `json:"cart_hash"`
	MetaData           []metaJSON         `json:"meta_data"`
	LineItems          []lineItemJSON     `json:"line_items"`
	TaxLines           []taxLineJSON      `json:"tax_lines"`
	ShippingLines      []shippingLineJSON `json:"shipping_lines"`
	FeeLines           []feeLineJSON      `json:"fee_lines"`
	CouponLines        []couponLineJSON   `json:"coupon_lines"`
	Refunds            []refundJSON       `json:"refunds"`
	PaymentURL         string             `json:"payment_url"`
	IsEditable         bool               `json:"is_editable"`
	NeedsPayment       bool               `json:"needs_payment"`
	NeedsProcessing    bool               `json:"needs_processing"`
	Links              obj                `json:"_links"`
}

type billingJSON struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

type shippingJSON struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Phone     string `json:"phone"`
}

type metaJSON struct {
	ID    int    `json:"id"`
	Key   string `json:"key"`
	Value any    `json:"value"`
}

type itemMetaJSON struct {
	ID           int    `json:"id"`
	Key          string `json:"key"`
	Value        any    `json:"value"`
	DisplayKey   string `json:"display_key"`
	DisplayValue any    `json:"display_value"`
}

type taxJSON struct {
	ID       int    `json:"id"`
	Total    string `json:"total"`
	Subtotal string `json:"subtotal"`
}

type imageJSON struct {
	ID  any    `json:"id"`
	Src string `json:"src"`
}

type lineItemJSON struct {
	ID          int            `json:"id"`
	Name        string         `json:"name"`
	ProductID   int            `json:"product_id"`
	VariationID int            `json:"variation_id"`
	Quantity    int            `json:"quantity"`
	TaxClass    string         `json:"tax_class"`
	Subtotal    string         `json:"subtotal"`
	SubtotalTax string         `json:"subtotal_tax"`
	Total       string         `json:"total"`
	TotalTax    string         `json:"total_tax"`
	Taxes       []taxJSON      `json:"taxes"`
	MetaData    []itemMetaJSON `json:"meta_data"`
	SKU         *string        `json:"sku"`
	Price       phpFloat       `json:"price"`
	Image       imageJSON      `json:"image"`
	ParentName  *string        `json:"parent_name"`
}

type taxLineJSON struct {
	ID               int        `json:"id"`
	RateCode         string     `json:"rate_code"`
	RateID           int        `json:"rate_id"`
	Label            string     `json:"label"`
	Compound         bool       `json:"compound"`
	TaxTotal         string     `json:"tax_total"`
	ShippingTaxTotal string     `json:"shipping_tax_total"`
	RatePercent      phpFloat   `json:"rate_percent"`
	MetaData         []metaJSON `json:"meta_data"`
}

type shippingLineJSON struct {
	ID          int            `json:"id"`
	MethodTitle string         `json:"method_title"`
	MethodID    string         `json:"method_id"`
	InstanceID  string         `json:"instance_id"`
	Total       string         `json:"total"`
	TotalTax    string         `json:"total_tax"`
	Taxes       []taxJSON      `json:"taxes"`
	MetaData    []itemMetaJSON `json:"meta_data"`
}

type feeLineJSON struct {
	ID        int        `json:"id"`
	Name      string     `json:"name"`
	TaxClass  string     `json:"tax_class"`
	TaxStatus string     `json:"tax_status"`
	Amount    string     `json:"amount"`
	Total     string     `json:"total"`
	TotalTax  string     `json:"total_tax"`
	Taxes     []taxJSON  `json:"taxes"`
	MetaData  []metaJSON `json:"meta_data"`
}

type couponLineJSON struct {
	ID            int        `json:"id"`
	Code          string     `json:"code"`
	Discount      string     `json:"discount"`
	DiscountTax   string     `json:"discount_tax"`
	DiscountType  string     `json:"discount_type"`
	NominalAmount phpFloat   `json:"nominal_amount"`
	FreeShipping  bool       `json:"free_shipping"`
	MetaData      []metaJSON `json:"meta_data"`
}

type refundJSON struct {
	ID     int    `json:"id"`
	Reason string `json:"reason"`
	Total  string `json:"total"`
}

// orderJSON is WC_REST_Orders_Controller::prepare_object_for_response.
// dp is the number of decimals for formatted amounts. s.mu must be held.
func (s *Server) orderJSON(c *call, o *Order, dp int) orderJSON {
	f := func(v string) string { return formatDecimal(v, dp) }
	j := orderJSON{
		ID: o.ID, ParentID: o.ParentID, Number: o.Number, OrderKey: o.OrderKey, CreatedVia: o.CreatedVia,
		Version: o.Version, Status: o.Status, Currency: o.Currency,
		DateCreated: wpDate(o.Created, s.loc), DateCreatedGMT: wpDate(o.Created, time.UTC),
		DateModified: wpDate(o.Modified, s.loc), DateModifiedGMT: wpDate(o.Modified, time.UTC),
		DiscountTotal: f(o.DiscountTotal), DiscountTax: f(o.DiscountTax), ShippingTotal: f(o.ShippingTotal),
		ShippingTax: f(o.ShippingTax), CartTax: f(o.CartTax), Total: f(o.Total), TotalTax: f(o.TotalTax),
		PricesIncludeTax: o.PricesIncludeTax, CustomerID: o.CustomerID, CustomerIPAddress: o.CustomerIPAddress,
		CustomerUserAgent: o.CustomerUserAgent, CustomerNote: o.CustomerNote,
		Billing:       billingJSON(o.Billing),
		Shipping:      shippingJSON{o.Shipping.FirstName, o.Shipping.LastName, o.Shipping.Company, o.Shipping.Address1, o.Shipping.Address2, o.Shipping.City, o.Shipping.State, o.Shipping.Postcode, o.Shipping.Country, o.Shipping.Phone},
		PaymentMethod: o.PaymentMethod, PaymentMethodTitle: o.PaymentMethodTitle, TransactionID: o.TransactionID,
		DatePaid: wpDate(o.Paid, s.loc), DatePaidGMT: wpDate(o.Paid, time.UTC),
		DateCompleted: wpDate(o.Completed, s.loc), DateCompletedGMT: wpDate(o.Completed, time.UTC),
		CartHash: o.CartHash, MetaData: metaList(o.MetaData),
		LineItems: []lineItemJSON{}, TaxLines: []taxLineJSON{}, ShippingLines: []shippingLineJSON{},
		FeeLines: []feeLineJSON{}, CouponLines: []couponLineJSON{}, Refunds: []refundJSON{},
		PaymentURL:      fmt.Sprintf("%s/checkout/order-pay/%d/?pay_for_order=true&key=%s", c.home, o.ID, o.OrderKey),
		IsEditable:      o.Status == "pending" || o.Status == "on-hold" || o.Status == "checkout-draft",
		NeedsPayment:    (o.Status == "pending" || o.Status == "failed") && mustCents(o.Total) > 0,
		NeedsProcessing: len(o.LineItems) > 0,
	}
	for _, li := range o.LineItems {
		j.LineItems = append(j.LineItems, s.lineItemJSON(li, dp))
	}
	for _, t := range o.TaxLines {
		j.TaxLines = append(j.TaxLines, taxLineJSON{ID: t.ID, RateCode: t.RateCode, RateID: t.RateID, Label: t.Label, Compound: t.Compound,
			TaxTotal: f(t.TaxTotal), ShippingTaxTotal: f(t.ShippingTaxTotal), RatePercent: phpFloat(t.RatePercent), MetaData: []metaJSON{}})
	}
	for _, sl := range o.ShippingLines {
		j.ShippingLines = append(j.ShippingLines, shippingLineJSON{ID: sl.ID, MethodTitle: sl.MethodTitle, MethodID: sl.MethodID,
			InstanceID: sl.InstanceID, Total: f(sl.Total), TotalTax: f(sl.TotalTax), Taxes: taxList(sl.Taxes), MetaData: itemMetaList(sl.MetaData)})
	}
	for _, fl := range o.FeeLines {
		j.FeeLines = append(j.FeeLines, feeLineJSON{ID: fl.ID, Name: fl.Name, TaxClass: fl.TaxClass, TaxStatus: fl.TaxStatus,
			Amount: fl.Amount, Total: f(fl.Total), TotalTax: f(fl.TotalTax), Taxes: taxList(fl.Taxes), MetaData: []metaJSON{}})
	}
	for _, cl := range o.CouponLines {
		j.CouponLines = append(j.CouponLines, couponLineJSON{ID: cl.ID, Code: cl.Code, Discount: cl.Discount, DiscountTax: cl.DiscountTax,
			DiscountType: cl.DiscountType, NominalAmount: phpFloat(cl.NominalAmount), FreeShipping: cl.FreeShipping, MetaData: []metaJSON{}})
	}
	for _, r := range o.Refunds {
		j.Refunds = append(j.Refunds, refundJSON{ID: r.ID, Reason: r.Reason, Total: "-" + formatDecimal(strings.TrimPrefix(r.Total, "-"), dp)})
	}
	links := obj{
		{"self", []href{{c.restURL(fmt.Sprintf("/wc/v3/orders/%d", o.ID))}}},
		{"collection", []href{{c.restURL("/wc/v3/orders")}}},
	}
	if o.CustomerID != 0 {
		links = append(links, kv{"customer", []href{{c.restURL(fmt.Sprintf("/wc/v3/customers/%d", o.CustomerID))}}})
	}
	if o.ParentID != 0 {
		links = append(links, kv{"up", []href{{c.restURL(fmt.Sprintf("/wc/v3/orders/%d", o.ParentID))}}})
	}
	j.Links = links
	return j
}

// lineItemJSON is get_order_item_data for a product line: the SKU and
// image are the product's current ones (null SKU once the product is
// gone), price is total/quantity as a PHP float.
func (s *Server) lineItemJSON(li LineItem, dp int) lineItemJSON {
	j := lineItemJSON{
		ID: li.ID, Name: li.Name, ProductID: li.ProductID, VariationID: li.VariationID, Quantity: li.Quantity,
		TaxClass: li.TaxClass, Subtotal: formatDecimal(li.Subtotal, dp), SubtotalTax: formatDecimal(li.SubtotalTax, dp),
		Total: formatDecimal(li.Total, dp), TotalTax: formatDecimal(li.TotalTax, dp),
		Taxes: taxList(li.Taxes), MetaData: itemMetaList(li.MetaData), Image: imageJSON{ID: 0, Src: ""},
	}
	if li.Quantity != 0 {
		j.Price = phpFloat(mustCents(li.Total).float() / float64(li.Quantity))
	}
	pid := li.ProductID
	if li.VariationID != 0 {
		pid = li.VariationID
	}
	if p, ok := s.products[pid]; ok {
		sku := p.SKU
		j.SKU = &sku
		j.Image = imageJSON{ID: "", Src: ""} // get_image_id() of a product without image
		if p.Type == "variation" {
			if parent, ok := s.products[p.ParentID]; ok {
				name := parent.Name
				j.ParentName = &name
			}
		}
	} else if li.SKU != "" {
		sku := li.SKU
		j.SKU = &sku
		if li.ParentName != "" {
			name := li.ParentName
			j.ParentName = &name
		}
	}
	return j
}

func metaList(m []Meta) []metaJSON {
	out := make([]metaJSON, 0, len(m))
	for _, e := range m {
		out = append(out, metaJSON{ID: e.ID, Key: e.Key, Value: e.Value})
	}
	return out
}

func itemMetaList(m []Meta) []itemMetaJSON {
	out := make([]itemMetaJSON, 0, len(m))
	for _, e := range m {
		j := itemMetaJSON{ID: e.ID, Key: e.Key, Value: e.Value, DisplayKey: e.DisplayKey, DisplayValue: e.DisplayValue}
		if j.DisplayKey == "" {
			j.DisplayKey = e.Key
		}
		if e.DisplayValue == "" {
			j.DisplayValue = e.Value
		}
		out = append(out, j)
	}
	return out
}

func taxList(t []Tax) []taxJSON {
	out := make([]taxJSON, 0, len(t))
	for _, e := range t {
		out = append(out, taxJSON{ID: e.RateID, Total: e.Total, Subtotal: e.Subtotal})
	}
	return out
}

// formatDecimal is wc_format_decimal($v, $dp): number_format with dp
// decimals (rounding half away from zero).
func formatDecimal(v string, dp int) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		f = 0
	}
	p := math.Pow10(dp)
	f = math.Round(f*p) / p
	if f == 0 {
		f = 0 // no "-0.00"
	}
	return strconv.FormatFloat(f, 'f', dp, 64)
}
