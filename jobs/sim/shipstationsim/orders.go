package shipstationsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound is returned (wrapped) by the Go-side methods when no order,
// shipment or store has the given id.
var ErrNotFound = errors.New("shipstation: not found")

// ErrLocked is returned (wrapped) when an order in shipped or cancelled
// status would have to change.
var ErrLocked = errors.New("shipstation: order is locked")

// orderRec is one order with the parsed times the filters compare.
type orderRec struct {
	o                                 Order
	orderDate, createDate, modifyDate time.Time
	paymentDate                       *time.Time
	deleted                           bool
	importBatch                       string
}

// orderInput is an order from a createorder(s) body, validated, with its
// dates parsed.
type orderInput struct {
	in                      *Order
	orderDate               time.Time
	paymentDate, shipByDate *time.Time
	shipDate, holdUntil     *time.Time
}

// validateOrder applies the checks ASP.NET model binding makes before the
// action runs. prefix is "apiOrder" or "apiOrders[i]".
func validateOrder(in *Order, prefix string) (orderInput, *badRequest) {
	v := orderInput{in: in}
	if strings.TrimSpace(in.OrderNumber) == "" {
		return v, &badRequest{prefix + ".orderNumber", "The orderNumber field is required."}
	}
	if in.OrderDate == "" {
		return v, &badRequest{prefix + ".orderDate", "The orderDate field is required."}
	}
	t, err := parseTime(in.OrderDate)
	if err != nil {
		return v, &badRequest{prefix + ".orderDate", fmt.Sprintf("Could not convert string to DateTime: %s. Path 'orderDate'.", in.OrderDate)}
	}
	v.orderDate = t
	if in.OrderStatus == "" {
		return v, &badRequest{prefix + ".orderStatus", "The orderStatus field is required."}
	}
	in.OrderStatus = strings.ToLower(in.OrderStatus) // Json.NET reads enum names case-insensitively
	if !validStatuses[in.OrderStatus] {
		return v, &badRequest{prefix + ".orderStatus", fmt.Sprintf("Error converting value \"%s\" to type 'SS.OpenApi.Models.Orders.OrderStatus'. Path 'orderStatus'.", in.OrderStatus)}
	}
	if in.BillTo == nil {
		return v, &badRequest{prefix + ".billTo", "The billTo field is required."}
	}
	if in.ShipTo == nil {
		return v, &badRequest{prefix + ".shipTo", "The shipTo field is required."}
	}
	for _, d := range []struct {
		name string
		src  *string
		dst  **time.Time
	}{
		{"paymentDate", in.PaymentDate, &v.paymentDate},
		{"shipByDate", in.ShipByDate, &v.shipByDate},
		{"shipDate", in.ShipDate, &v.shipDate},
		{"holdUntilDate", in.HoldUntilDate, &v.holdUntil},
	} {
		if d.src == nil || *d.src == "" {
			continue
		}
		t, err := parseTime(*d.src)
		if err != nil {
			return v, &badRequest{prefix + "." + d.name, fmt.Sprintf("Could not convert string to DateTime: %s. Path '%s'.", *d.src, d.name)}
		}
		*d.dst = &t
	}
	for i, it := range in.Items {
		if it.Quantity < 0 {
			return v, &badRequest{fmt.Sprintf("%s.items[%d].quantity", prefix, i), "The field quantity must be between 0 and 2147483647."}
		}
	}
	return v, nil
}

// upsert creates or updates the order keyed by v.in.orderKey. Callers hold
// s.mu. A non-nil error is a per-order failure (ErrLocked, ErrNotFound for
// an unknown store) whose text is the errorMessage ShipStation would give.
func (s *Server) upsert(v orderInput, now time.Time, batch string) (*orderRec, error) {
	in := v.in
	rec := s.byKey[in.OrderKey]
	if in.OrderKey != "" && rec != nil && !rec.deleted && !updatable[rec.o.OrderStatus] {
		return rec, fmt.Errorf("%w: the order with orderKey %q is %s; only awaiting_payment, awaiting_shipment and on_hold orders can be updated", ErrLocked, in.OrderKey, rec.o.OrderStatus)
	}
	isNew := rec == nil
	storeID := int64(ManualStoreID)
	if isNew {
		if in.AdvancedOptions != nil && in.AdvancedOptions.StoreID != nil {
			storeID = *in.AdvancedOptions.StoreID
			if _, ok := s.storeMap[storeID]; !ok {
				return nil, fmt.Errorf("%w: store %d does not exist on this account", ErrNotFound, storeID)
			}
		}
		key := in.OrderKey
		if key == "" {
			key = s.newKey()
		}
		s.seq.order += 1 + s.rng.Int64N(3)
		rec = &orderRec{createDate: now, importBatch: batch}
		rec.o.OrderID = s.seq.order
		rec.o.OrderKey = key
		rec.o.CreateDate = fmtOrderTime(now)
		s.orders = append(s.orders, rec)
		s.byID[rec.o.OrderID] = rec
		s.byKey[key] = rec
	} else {
		storeID = rec.o.StoreID() // storeId can only be set at creation
		rec.deleted = false
	}
	s.fill(rec, v, storeID, now)
	return rec, nil
}

// fill copies the caller-settable fields of v onto rec and recomputes the
// read-only ones (orderTotal, weight, customerId, item and product ids).
func (s *Server) fill(rec *orderRec, v orderInput, storeID int64, now time.Time) {
	in, o := v.in, &rec.o
	rec.orderDate, rec.modifyDate, rec.paymentDate = v.orderDate, now, v.paymentDate
	o.OrderNumber = in.OrderNumber
	o.OrderDate = fmtOrderTime(v.orderDate)
	o.ModifyDate = fmtOrderTime(now)
	o.PaymentDate = fmtOrderTimePtr(v.paymentDate)
	o.ShipByDate = fmtOrderTimePtr(v.shipByDate)
	o.OrderStatus = in.OrderStatus
	o.CustomerUsername, o.CustomerEmail = in.CustomerUsername, in.CustomerEmail
	o.CustomerID = s.customerID(in)

	bill, ship := *in.BillTo, *in.ShipTo
	bill.AddressVerified = nil
	ship.AddressVerified = ptr("Address not yet validated")
	o.BillTo, o.ShipTo = &bill, &ship

	old := map[string]Item{}
	for _, it := range o.Items {
		if k := deref(it.LineItemKey); k != "" {
			old[k] = it
		}
	}
	items := make([]Item, 0, len(in.Items))
	var subtotal, ounces float64
	for _, it := range in.Items {
		if prev, ok := old[deref(it.LineItemKey)]; ok {
			it.OrderItemID, it.CreateDate = prev.OrderItemID, prev.CreateDate
		} else {
			s.seq.item++
			it.OrderItemID, it.CreateDate = s.seq.item, fmtNetTime(now)
		}
		it.ModifyDate = fmtNetTime(now)
		if it.Weight == nil {
			it.Weight = &Weight{Value: 0, Units: "ounces"}
		}
		if it.Options == nil {
			it.Options = []ItemOption{}
		}
		it.ProductID = nil
		if !it.Adjustment && deref(it.SKU) != "" {
			it.ProductID = &s.product(it, now).ProductID
		}
		subtotal += float64(it.Quantity) * it.UnitPrice
		ounces += float64(it.Quantity) * it.Weight.Ounces()
		items = append(items, it)
	}
	o.Items = items
	o.AmountPaid, o.TaxAmount, o.ShippingAmount = in.AmountPaid, in.TaxAmount, in.ShippingAmount
	o.OrderTotal = round2(subtotal + in.TaxAmount + in.ShippingAmount)
	o.CustomerNotes, o.InternalNotes = in.CustomerNotes, in.InternalNotes
	o.Gift, o.GiftMessage, o.PaymentMethod = in.Gift, in.GiftMessage, in.PaymentMethod
	o.RequestedShippingService = in.RequestedShippingService
	o.CarrierCode, o.ServiceCode, o.PackageCode, o.Confirmation = in.CarrierCode, in.ServiceCode, in.PackageCode, in.Confirmation
	o.ShipDate, o.HoldUntilDate = nil, nil
	if v.shipDate != nil {
		o.ShipDate = ptr(fmtDate(*v.shipDate))
	}
	if v.holdUntil != nil {
		o.HoldUntilDate = ptr(fmtDate(*v.holdUntil))
	}
	// An order weight the caller gave wins; otherwise ShipStation sums the
	// items (the docs sample: 2 × 24 oz + 0 oz = 48 oz).
	if in.Weight != nil && in.Weight.Value > 0 {
		o.Weight = &Weight{Value: in.Weight.Value, Units: in.Weight.Units}
	} else {
		o.Weight = &Weight{Value: round2(ounces), Units: "ounces"}
	}
	o.Dimensions = in.Dimensions
	o.InsuranceOptions = &InsuranceOptions{}
	if in.InsuranceOptions != nil {
		o.InsuranceOptions = in.InsuranceOptions
	}
	o.InternationalOptions = &InternationalOptions{}
	if in.InternationalOptions != nil {
		o.InternationalOptions = in.InternationalOptions
	}
	ao := AdvancedOptions{WarehouseID: ptr(int64(DefaultWarehouseID)), MergedIDs: []int64{}}
	if a := in.AdvancedOptions; a != nil {
		if a.WarehouseID != nil {
			ao.WarehouseID = a.WarehouseID
		}
		ao.NonMachinable, ao.SaturdayDelivery, ao.ContainsAlcohol = a.NonMachinable, a.SaturdayDelivery, a.ContainsAlcohol
		ao.CustomField1, ao.CustomField2, ao.CustomField3, ao.Source = a.CustomField1, a.CustomField2, a.CustomField3, a.Source
		ao.BillToParty, ao.BillToAccount, ao.BillToPostalCode, ao.BillToCountryCode = a.BillToParty, a.BillToAccount, a.BillToPostalCode, a.BillToCountryCode
		ao.BillToMyOtherAccount = a.BillToMyOtherAccount
	}
	if prev := o.AdvancedOptions; prev != nil { // read-only, survive updates
		ao.MergedOrSplit, ao.MergedIDs, ao.ParentID = prev.MergedOrSplit, prev.MergedIDs, prev.ParentID
	}
	ao.StoreID = ptr(storeID)
	o.AdvancedOptions = &ao
	o.TagIDs = in.TagIDs
}

// customerID returns the id of the customer profile the order belongs to,
// keyed by customerUsername, else customerEmail, else the ship-to name.
func (s *Server) customerID(in *Order) *int64 {
	key := strings.ToLower(deref(in.CustomerUsername))
	if key == "" {
		key = strings.ToLower(deref(in.CustomerEmail))
	}
	if key == "" && in.ShipTo != nil {
		key = "name:" + strings.ToLower(in.ShipTo.Name)
	}
	if key == "" || key == "name:" {
		return nil
	}
	id, ok := s.custIDs[key]
	if !ok {
		s.seq.customer += 1 + s.rng.Int64N(5)
		id = s.seq.customer
		s.custIDs[key] = id
	}
	return &id
}

// newKey makes an orderKey the way ShipStation does when none is given:
// 32 lower-case hex digits (the shipments sample shows one).
func (s *Server) newKey() string {
	return fmt.Sprintf("%016x%016x", s.rng.Uint64(), s.rng.Uint64())
}

// createOrder is POST /orders/createorder.
func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) {
	if !checkJSON(w, r, "SS.OpenApi.Models.Orders.Order") {
		return
	}
	body := readBody(r)
	var in Order
	if bad := decodeBody(body, &in, "apiOrder", "SS.OpenApi.Models.Orders.Order"); bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	v, bad := validateOrder(&in, "apiOrder")
	if bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	s.mu.Lock()
	rec, err := s.upsert(v, tick(s.now()), "")
	var out []byte
	if err == nil {
		out, err = marshal(&rec.o)
	}
	s.mu.Unlock()
	if err != nil {
		writeInvalid(w, "apiOrder", userMessage(err))
		return
	}
	writeRaw(w, http.StatusOK, out)
}

// createOrders is POST /orders/createorders: at most 100 orders, each
// upserted on its own; failures are reported per order inside a 200.
func (s *Server) createOrders(w http.ResponseWriter, r *http.Request) {
	if !checkJSON(w, r, "SS.OpenApi.Models.Orders.Order[]") {
		return
	}
	body := readBody(r)
	var ins []Order
	if bad := decodeBody(body, &ins, "apiOrders", "SS.OpenApi.Models.Orders.Order[]"); bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	if len(ins) > 100 {
		writeInvalid(w, "apiOrders", fmt.Sprintf("A maximum of 100 orders can be created or updated per request; %d were sent.", len(ins)))
		return
	}
	vs := make([]orderInput, len(ins))
	for i := range ins {
		v, bad := validateOrder(&ins[i], fmt.Sprintf("apiOrders[%d]", i))
		if bad != nil {
			writeInvalid(w, bad.key, bad.msg)
			return
		}
		vs[i] = v
	}
	resp := CreateOrdersResponse{Results: make([]CreateOrdersResult, 0, len(vs))}
	s.mu.Lock()
	now := tick(s.now())
	for _, v := range vs {
		res := CreateOrdersResult{OrderNumber: v.in.OrderNumber, OrderKey: v.in.OrderKey}
		rec, err := s.upsert(v, now, "")
		if rec != nil {
			res.OrderID, res.OrderKey = rec.o.OrderID, rec.o.OrderKey
		}
		if err != nil {
			resp.HasErrors = true
			res.ErrorMessage = ptr(userMessage(err))
		} else {
			res.Success = true
		}
		resp.Results = append(resp.Results, res)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, resp)
}

// userMessage strips the package prefix from a per-order error.
func userMessage(err error) string {
	msg := err.Error()
	for _, sentinel := range []error{ErrLocked, ErrNotFound} {
		msg = strings.TrimPrefix(msg, sentinel.Error()+": ")
	}
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// orderFilter is the query of GET /orders.
type orderFilter struct {
	customerName, itemKeyword, orderNumber, status, importBatch string
	storeID                                                     int64
	hasStore                                                    bool
	created, modified, ordered, paid                            timeRange
}

func parseOrderFilter(q query) (orderFilter, *badRequest) {
	f := orderFilter{
		customerName: q.get("customerName"), itemKeyword: q.get("itemKeyword"),
		orderNumber: q.get("orderNumber"), status: q.get("orderStatus"), importBatch: q.get("importBatch"),
	}
	if f.status != "" && !validStatuses[strings.ToLower(f.status)] {
		return f, &badRequest{"orderStatus", fmt.Sprintf("The value '%s' is not valid for Nullable`1.", f.status)}
	}
	f.status = strings.ToLower(f.status)
	var bad *badRequest
	if f.storeID, f.hasStore, bad = intParam(q, "storeId"); bad != nil {
		return f, bad
	}
	for _, p := range []struct {
		name string
		dst  *timeRange
	}{{"createDate", &f.created}, {"modifyDate", &f.modified}, {"orderDate", &f.ordered}, {"paymentDate", &f.paid}} {
		if *p.dst, bad = rangeParam(q, p.name, false); bad != nil {
			return f, bad
		}
	}
	return f, nil
}

func (f *orderFilter) match(rec *orderRec) bool {
	o := &rec.o
	switch {
	case rec.deleted:
		return false
	case f.status != "" && o.OrderStatus != f.status:
		return false
	case f.hasStore && o.StoreID() != f.storeID:
		return false
	case f.orderNumber != "" && !strings.HasPrefix(strings.ToLower(o.OrderNumber), strings.ToLower(f.orderNumber)):
		return false
	case f.importBatch != "" && rec.importBatch != f.importBatch:
		return false
	case !f.created.contains(rec.createDate), !f.modified.contains(rec.modifyDate),
		!f.ordered.contains(rec.orderDate), !f.paid.containsPtr(rec.paymentDate):
		return false
	}
	if f.customerName != "" {
		name := func(a *Address) string {
			if a == nil {
				return ""
			}
			return a.Name
		}
		if !containsFold(name(o.BillTo), f.customerName) && !containsFold(name(o.ShipTo), f.customerName) {
			return false
		}
	}
	if f.itemKeyword != "" {
		found := false
		for _, it := range o.Items {
			if containsFold(deref(it.SKU), f.itemKeyword) || containsFold(it.Name, f.itemKeyword) {
				found = true
			}
			for _, op := range it.Options {
				if containsFold(op.Value, f.itemKeyword) {
					found = true
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// listOrders is GET /orders: filtered, sorted (default: ascending
// orderId) and paged {orders, total, page, pages}.
func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL)
	f, bad := parseOrderFilter(q)
	if bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	page, size, bad := paging(q)
	if bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	by, desc, bad := sortSpec(q, "OrderDate", "ModifyDate", "CreateDate")
	if bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	var key func(*orderRec) time.Time
	switch by {
	case "OrderDate":
		key = func(r *orderRec) time.Time { return r.orderDate }
	case "ModifyDate":
		key = func(r *orderRec) time.Time { return r.modifyDate }
	case "CreateDate":
		key = func(r *orderRec) time.Time { return r.createDate }
	}
	s.mu.Lock()
	var rows []*orderRec
	for _, rec := range s.orders {
		if f.match(rec) {
			rows = append(rows, rec)
		}
	}
	sortRows(rows, desc, key, func(r *orderRec) int64 { return r.o.OrderID })
	lo, hi, pages := pageOf(len(rows), page, size)
	list := make([]*Order, 0, hi-lo)
	for _, rec := range rows[lo:hi] {
		list = append(list, &rec.o)
	}
	out, err := marshal(struct {
		Orders []*Order `json:"orders"`
		Total  int      `json:"total"`
		Page   int      `json:"page"`
		Pages  int      `json:"pages"`
	}{list, len(rows), page, pages})
	s.mu.Unlock()
	if err != nil {
		writeServerError(w, err)
		return
	}
	writeRaw(w, http.StatusOK, out)
}

// getOrder is GET /orders/{orderId}.
func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	s.withOrder(w, r, func(rec *orderRec) (any, int) { return &rec.o, http.StatusOK })
}

// deleteOrder is DELETE /orders/{orderId}: a soft delete; the order drops
// out of lists and lookups but its orderKey stays known, and a createorder
// with that key brings it back.
func (s *Server) deleteOrder(w http.ResponseWriter, r *http.Request) {
	s.withOrder(w, r, func(rec *orderRec) (any, int) {
		rec.deleted = true
		rec.modifyDate = tick(s.now())
		rec.o.ModifyDate = fmtOrderTime(rec.modifyDate)
		return struct {
			Success bool   `json:"success"`
			Message string `json:"message"`
		}{true, "The requested order has been deleted."}, http.StatusOK
	})
}

// withOrder resolves {orderId} and runs fn under s.mu.
func (s *Server) withOrder(w http.ResponseWriter, r *http.Request, fn func(*orderRec) (any, int)) {
	raw := r.PathValue("orderId")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		writeInvalid(w, "orderId", fmt.Sprintf("The value '%s' is not valid for Int32.", raw))
		return
	}
	s.mu.Lock()
	rec := s.byID[id]
	if rec == nil || rec.deleted {
		s.mu.Unlock()
		writeMessage(w, http.StatusNotFound, fmt.Sprintf("Order %d was not found.", id))
		return
	}
	v, status := fn(rec)
	out, err := marshal(v)
	s.mu.Unlock()
	if err != nil {
		writeServerError(w, err)
		return
	}
	writeRaw(w, status, out)
}

// markAsShippedRequest is the body of POST /orders/markasshipped.
type markAsShippedRequest struct {
	OrderID            int64  `json:"orderId"`
	CarrierCode        string `json:"carrierCode"`
	ShipDate           string `json:"shipDate"`
	TrackingNumber     string `json:"trackingNumber"`
	NotifyCustomer     bool   `json:"notifyCustomer"`
	NotifySalesChannel bool   `json:"notifySalesChannel"`
}

// markAsShipped is POST /orders/markasshipped: the order becomes shipped
// and a fulfillment (not a shipment) records the tracking number.
func (s *Server) markAsShipped(w http.ResponseWriter, r *http.Request) {
	if !checkJSON(w, r, "SS.OpenApi.Models.Orders.MarkAsShippedRequest") {
		return
	}
	var req markAsShippedRequest
	if bad := decodeBody(readBody(r), &req, "model", "SS.OpenApi.Models.Orders.MarkAsShippedRequest"); bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	if req.OrderID == 0 {
		writeInvalid(w, "model.orderId", "The orderId field is required.")
		return
	}
	if req.CarrierCode == "" {
		writeInvalid(w, "model.carrierCode", "The carrierCode field is required.")
		return
	}
	now := tick(s.now())
	shipDate := now
	if req.ShipDate != "" {
		t, err := parseDate(req.ShipDate)
		if err != nil {
			writeInvalid(w, "model.shipDate", fmt.Sprintf("Could not convert string to DateTime: %s. Path 'shipDate'.", req.ShipDate))
			return
		}
		shipDate = t
	}
	s.mu.Lock()
	f, err := s.markShipped(req.OrderID, req.CarrierCode, req.TrackingNumber, shipDate, req.NotifySalesChannel, now)
	s.mu.Unlock()
	switch {
	case errors.Is(err, ErrNotFound):
		writeMessage(w, http.StatusNotFound, fmt.Sprintf("Order %d was not found.", req.OrderID))
	case err != nil:
		writeInvalid(w, "model", userMessage(err))
	default:
		writeJSON(w, http.StatusOK, map[string]any{"orderId": f.OrderID, "orderNumber": f.OrderNumber})
	}
}

// readBody returns the request body; ServeHTTP has already buffered it,
// so this cannot fail short of a broken handler chain.
func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(r.Body)
	return b
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// cloneOrder deep-copies o for callers outside the lock.
func cloneOrder(o *Order) Order {
	b, err := json.Marshal(o)
	if err != nil {
		panic(fmt.Sprintf("shipstation: clone order: %v", err))
	}
	var c Order
	if err := json.Unmarshal(b, &c); err != nil {
		panic(fmt.Sprintf("shipstation: clone order: %v", err))
	}
	return c
}

// Orders returns a copy of every order that is not deleted, by ascending
// orderId.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.orders))
	for _, rec := range s.orders {
		if !rec.deleted {
			out = append(out, cloneOrder(&rec.o))
		}
	}
	return out
}

// Order returns a copy of the order with orderId id; ok is false when there
// is none (or it was deleted).
func (s *Server) Order(id int64) (o Order, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.byID[id]
	if rec == nil || rec.deleted {
		return Order{}, false
	}
	return cloneOrder(&rec.o), true
}

// OrderByKey returns a copy of the order with that orderKey; ok is false
// when there is none (or it was deleted).
func (s *Server) OrderByKey(key string) (o Order, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.byKey[key]
	if rec == nil || rec.deleted {
		return Order{}, false
	}
	return cloneOrder(&rec.o), true
}

// AddOrder imports o as if a marketplace store had delivered it: it is
// created (or updated by orderKey, under the same lock rules as
// createorder) in the store named by o.AdvancedOptions.StoreID (default
// Manual Orders), and ORDER_NOTIFY webhooks fire. It returns the stored
// order, or an error wrapping ErrLocked, ErrNotFound or describing an
// invalid field.
func (s *Server) AddOrder(o Order) (Order, error) {
	v, bad := validateOrder(&o, "order")
	if bad != nil {
		return Order{}, fmt.Errorf("shipstation: add order %q: %s", o.OrderNumber, bad.msg)
	}
	s.mu.Lock()
	s.seq.batch++
	batch := fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", s.rng.Uint32(), s.rng.Uint32N(1<<16), s.rng.Uint32N(1<<12), s.rng.Uint32N(1<<12), s.rng.Uint64N(1<<48))
	rec, err := s.upsert(v, tick(s.now()), batch)
	if err != nil {
		s.mu.Unlock()
		return Order{}, fmt.Errorf("shipstation: add order %q: %w", o.OrderNumber, err)
	}
	out := cloneOrder(&rec.o)
	s.mu.Unlock()
	s.notifyOrders(map[int64]string{out.StoreID(): batch})
	return out, nil
}

// UpdateOrder applies fn to the stored order with orderId id, like an edit
// in the ShipStation UI (no lock rules), and bumps modifyDate. fn edits the
// wire fields; orderDate and paymentDate are re-read from their strings.
// orderId, orderKey, createDate and modifyDate changes are undone, and
// orderTotal is not recomputed.
func (s *Server) UpdateOrder(id int64, fn func(*Order)) (Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.byID[id]
	if rec == nil || rec.deleted {
		return Order{}, fmt.Errorf("shipstation: update order %d: %w", id, ErrNotFound)
	}
	keep := rec.o
	fn(&rec.o)
	rec.o.OrderID, rec.o.OrderKey, rec.o.CreateDate = keep.OrderID, keep.OrderKey, keep.CreateDate
	if t, err := parseTime(rec.o.OrderDate); err == nil {
		rec.orderDate = t
		rec.o.OrderDate = fmtOrderTime(t)
	} else {
		rec.o.OrderDate = keep.OrderDate
	}
	rec.paymentDate = nil
	if p := rec.o.PaymentDate; p != nil {
		if t, err := parseTime(*p); err == nil {
			rec.paymentDate = &t
			rec.o.PaymentDate = ptr(fmtOrderTime(t))
		}
	}
	s.touch(rec, tick(s.now()))
	return cloneOrder(&rec.o), nil
}

func (s *Server) touch(rec *orderRec, now time.Time) {
	rec.modifyDate = now
	rec.o.ModifyDate = fmtOrderTime(now)
}
