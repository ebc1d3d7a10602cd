package shipstationsim

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// simUserID is the ShipStation user that buys labels and marks orders shipped.
const simUserID = "5a1d3c9e-7b2f-4e61-9a0d-3c4b5e6f7a81"

type shipmentRec struct {
	s                    Shipment
	items                []ShipmentItem
	createDate, shipDate time.Time
	voidDate             *time.Time
	storeID              int64
	batch                string
}

type fulfillmentRec struct {
	f                    Fulfillment
	createDate, shipDate time.Time
}

// Ship buys a label for the order with orderId id, as a user would in the
// ShipStation UI: a shipment with the tracking number (generated for the
// carrier when empty) and cost appears in GET /shipments, the order becomes
// shipped with that carrier and service, and SHIP_NOTIFY webhooks fire. An
// order can be shipped more than once (several packages). It fails with
// ErrNotFound for an unknown order and ErrLocked for a cancelled one.
func (s *Server) Ship(id int64, carrier, service, trackingNumber string, cost float64) (Shipment, error) {
	s.mu.Lock()
	rec := s.byID[id]
	if rec == nil || rec.deleted {
		s.mu.Unlock()
		return Shipment{}, fmt.Errorf("shipstation: ship order %d: %w", id, ErrNotFound)
	}
	if rec.o.OrderStatus == StatusCancelled {
		s.mu.Unlock()
		return Shipment{}, fmt.Errorf("shipstation: ship order %d: %w: it is cancelled", id, ErrLocked)
	}
	now := tick(s.now())
	if trackingNumber == "" {
		trackingNumber = trackingFor(carrier, s.rng)
	}
	sh := s.ship(rec, carrier, service, trackingNumber, cost, now, now)
	out := sh.s
	store, batch := sh.storeID, sh.batch
	s.mu.Unlock()
	s.notifyShipments(store, batch)
	return out, nil
}

// ship records a label for rec bought at created for shipDate. Callers hold s.mu.
func (s *Server) ship(rec *orderRec, carrier, service, tracking string, cost float64, created, shipDate time.Time) *shipmentRec {
	o := &rec.o
	s.seq.shipment += 1 + s.rng.Int64N(4)
	s.seq.batch++
	batch := strconv.FormatInt(s.seq.batch, 10)
	var shipTo *ShipmentAddress
	if a := o.ShipTo; a != nil {
		shipTo = &ShipmentAddress{Name: a.Name, Company: a.Company, Street1: a.Street1, Street2: a.Street2, Street3: a.Street3,
			City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country, Phone: a.Phone, Residential: a.Residential}
	}
	pkg := o.PackageCode
	if pkg == nil {
		pkg = ptr("package")
	}
	conf := o.Confirmation
	if conf == nil {
		conf = ptr("none")
	}
	storeID := o.StoreID()
	ao := &ShipmentAdvancedOptions{StoreID: ptr(storeID)}
	if a := o.AdvancedOptions; a != nil {
		ao.BillToParty, ao.BillToAccount, ao.BillToPostalCode, ao.BillToCountryCode = a.BillToParty, a.BillToAccount, a.BillToPostalCode, a.BillToCountryCode
	}
	var wh *int64
	if o.AdvancedOptions != nil {
		wh = o.AdvancedOptions.WarehouseID
	}
	sh := &shipmentRec{
		s: Shipment{
			ShipmentID: s.seq.shipment, OrderID: o.OrderID, OrderKey: o.OrderKey, UserID: simUserID,
			CustomerEmail: o.CustomerEmail, OrderNumber: o.OrderNumber,
			CreateDate: fmtNetTime(created), ShipDate: fmtDate(shipDate),
			ShipmentCost: round2(cost), TrackingNumber: tracking, BatchNumber: ptr(batch),
			CarrierCode: carrier, ServiceCode: service, PackageCode: pkg, Confirmation: conf, WarehouseID: wh,
			MarketplaceNotified: storeID != ManualStoreID,
			ShipTo:              shipTo, Weight: o.Weight, Dimensions: o.Dimensions,
			InsuranceOptions: &InsuranceOptions{}, AdvancedOptions: ao,
		},
		createDate: created, shipDate: shipDate, storeID: storeID, batch: batch,
	}
	if o.InsuranceOptions != nil {
		ins := *o.InsuranceOptions
		sh.s.InsuranceOptions = &ins
	}
	for _, it := range o.Items {
		if it.Adjustment {
			continue
		}
		sh.items = append(sh.items, ShipmentItem{
			OrderItemID: it.OrderItemID, LineItemKey: it.LineItemKey, SKU: it.SKU, Name: it.Name, ImageURL: it.ImageURL,
			Weight: it.Weight, Quantity: it.Quantity, UnitPrice: it.UnitPrice, WarehouseLocation: it.WarehouseLocation,
			Options: it.Options, ProductID: it.ProductID, FulfillmentSKU: it.FulfillmentSKU,
		})
	}
	s.shipments = append(s.shipments, sh)
	o.OrderStatus = StatusShipped
	o.ShipDate = ptr(fmtDate(shipDate))
	o.CarrierCode, o.ServiceCode = ptr(carrier), ptr(service)
	s.touch(rec, created)
	return sh
}

// VoidShipment voids the label with that shipmentId, as the UI's "Void
// Label" does: the shipment shows voided with a voidDate, and the order
// returns to awaiting_shipment unless another label of it is still valid.
func (s *Server) VoidShipment(shipmentID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.void(shipmentID)
	return err
}

func (s *Server) void(shipmentID int64) (alreadyVoided bool, err error) {
	var sh *shipmentRec
	for _, x := range s.shipments {
		if x.s.ShipmentID == shipmentID {
			sh = x
		}
	}
	if sh == nil {
		return false, fmt.Errorf("shipstation: void shipment %d: %w", shipmentID, ErrNotFound)
	}
	if sh.s.Voided {
		return true, nil
	}
	now := tick(s.now())
	sh.s.Voided, sh.voidDate, sh.s.VoidDate = true, &now, ptr(fmtNetTime(now))
	rec := s.byID[sh.s.OrderID]
	if rec == nil {
		return false, nil
	}
	for _, x := range s.shipments {
		if x.s.OrderID == rec.o.OrderID && !x.s.Voided {
			return false, nil
		}
	}
	rec.o.OrderStatus = StatusAwaitingShipment
	rec.o.ShipDate = nil
	s.touch(rec, now)
	return false, nil
}

// voidLabel is POST /shipments/voidlabel {shipmentId}.
func (s *Server) voidLabel(w http.ResponseWriter, r *http.Request) {
	if !checkJSON(w, r, "SS.OpenApi.Models.Shipments.VoidLabelRequest") {
		return
	}
	var req struct {
		ShipmentID int64 `json:"shipmentId"`
	}
	if bad := decodeBody(readBody(r), &req, "model", "SS.OpenApi.Models.Shipments.VoidLabelRequest"); bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	s.mu.Lock()
	already, err := s.void(req.ShipmentID)
	s.mu.Unlock()
	switch {
	case err != nil:
		writeMessage(w, http.StatusNotFound, fmt.Sprintf("Shipment %d was not found.", req.ShipmentID))
	case already:
		writeJSON(w, http.StatusOK, map[string]any{"approved": false, "message": "Label has already been voided."})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"approved": true, "message": "Label voided successfully"})
	}
}

// MarkShippedExternally marks the order with orderId id as shipped outside
// ShipStation (what POST /orders/markasshipped does): the order becomes
// shipped and a fulfillment with the tracking number appears in
// GET /fulfillments, never in GET /shipments. It fails with ErrNotFound for
// an unknown order and ErrLocked for a cancelled one.
func (s *Server) MarkShippedExternally(id int64, carrier, trackingNumber string) (Fulfillment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := tick(s.now())
	f, err := s.markShipped(id, carrier, trackingNumber, now, true, now)
	if err != nil {
		return Fulfillment{}, fmt.Errorf("shipstation: mark order %d shipped: %w", id, err)
	}
	return *f, nil
}

// markShipped records a fulfillment. Callers hold s.mu.
func (s *Server) markShipped(id int64, carrier, tracking string, shipDate time.Time, notify bool, now time.Time) (*Fulfillment, error) {
	rec := s.byID[id]
	if rec == nil || rec.deleted {
		return nil, ErrNotFound
	}
	if rec.o.OrderStatus == StatusCancelled {
		return nil, fmt.Errorf("%w: order %d is cancelled and cannot be marked as shipped", ErrLocked, id)
	}
	o := &rec.o
	y, m, d := shipDate.In(pacific).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, pacific)
	s.seq.fulfillment += 1 + s.rng.Int64N(4)
	var shipTo *Address
	if o.ShipTo != nil {
		a := *o.ShipTo
		shipTo = &a
	}
	fr := &fulfillmentRec{
		f: Fulfillment{
			FulfillmentID: s.seq.fulfillment, OrderID: o.OrderID, OrderNumber: o.OrderNumber, UserID: simUserID,
			CustomerEmail: o.CustomerEmail, TrackingNumber: strp(tracking),
			CreateDate: fmtNetTime(now), ShipDate: fmtNetTime(day), CarrierCode: carrier,
			MarketplaceNotified: notify, ShipTo: shipTo,
		},
		createDate: now, shipDate: day,
	}
	s.fulfil = append(s.fulfil, fr)
	o.OrderStatus = StatusShipped
	o.ShipDate = ptr(fmtDate(day))
	s.touch(rec, now)
	return &fr.f, nil
}

// Shipments returns a copy of every shipment (label), oldest first, with
// shipmentItems filled in.
func (s *Server) Shipments() []Shipment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Shipment, 0, len(s.shipments))
	for _, sh := range s.shipments {
		x := sh.s
		x.ShipmentItems = append([]ShipmentItem(nil), sh.items...)
		out = append(out, x)
	}
	return out
}

// Fulfillments returns a copy of every fulfillment, oldest first.
func (s *Server) Fulfillments() []Fulfillment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fulfillment, 0, len(s.fulfil))
	for _, f := range s.fulfil {
		out = append(out, f.f)
	}
	return out
}

// listShipments is GET /shipments.
func (s *Server) listShipments(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL)
	var bads []*badRequest
	note := func(b *badRequest) {
		if b != nil {
			bads = append(bads, b)
		}
	}
	orderID, hasOrder, bad := intParam(q, "orderId")
	note(bad)
	storeID, hasStore, bad := intParam(q, "storeId")
	note(bad)
	created, bad := rangeParam(q, "createDate", false)
	note(bad)
	shipped, bad := rangeParam(q, "shipDate", true)
	note(bad)
	voided, bad := rangeParam(q, "voidDate", false)
	note(bad)
	withItems, bad := boolParam(q, "includeShipmentItems")
	note(bad)
	by, desc, bad := sortSpec(q, "ShipDate", "CreateDate")
	note(bad)
	page, size, bad := paging(q)
	note(bad)
	if len(bads) > 0 {
		writeInvalid(w, bads[0].key, bads[0].msg)
		return
	}
	recipient, country := q.get("recipientName"), q.get("recipientCountryCode")
	number, tracking, batch := q.get("orderNumber"), q.get("trackingNumber"), q.get("batchId")
	carrier, service := q.get("carrierCode"), q.get("serviceCode")

	s.mu.Lock()
	var rows []*shipmentRec
	for _, sh := range s.shipments {
		x := &sh.s
		name, cc := "", ""
		if x.ShipTo != nil {
			name, cc = x.ShipTo.Name, deref(x.ShipTo.Country)
		}
		switch {
		case hasOrder && x.OrderID != orderID,
			hasStore && sh.storeID != storeID,
			number != "" && !strings.EqualFold(x.OrderNumber, number),
			tracking != "" && x.TrackingNumber != tracking,
			batch != "" && sh.batch != batch,
			carrier != "" && !strings.EqualFold(x.CarrierCode, carrier),
			service != "" && !strings.EqualFold(x.ServiceCode, service),
			recipient != "" && !containsFold(name, recipient),
			country != "" && !strings.EqualFold(cc, country),
			!created.contains(sh.createDate), !shipped.contains(sh.shipDate), !voided.containsPtr(sh.voidDate):
			continue
		}
		rows = append(rows, sh)
	}
	key := func(x *shipmentRec) time.Time { return x.createDate }
	if by == "ShipDate" {
		key = func(x *shipmentRec) time.Time { return x.shipDate }
	}
	sortRows(rows, desc, key, func(x *shipmentRec) int64 { return x.s.ShipmentID })
	lo, hi, pages := pageOf(len(rows), page, size)
	list := make([]Shipment, 0, hi-lo)
	for _, sh := range rows[lo:hi] {
		x := sh.s
		if withItems {
			x.ShipmentItems = append([]ShipmentItem{}, sh.items...)
		}
		list = append(list, x)
	}
	out, err := marshal(struct {
		Shipments []Shipment `json:"shipments"`
		Total     int        `json:"total"`
		Page      int        `json:"page"`
		Pages     int        `json:"pages"`
	}{list, len(rows), page, pages})
	s.mu.Unlock()
	if err != nil {
		writeServerError(w, err)
		return
	}
	writeRaw(w, http.StatusOK, out)
}

// listFulfillments is GET /fulfillments.
func (s *Server) listFulfillments(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL)
	var bads []*badRequest
	note := func(b *badRequest) {
		if b != nil {
			bads = append(bads, b)
		}
	}
	fid, hasFID, bad := intParam(q, "fulfillmentId")
	note(bad)
	orderID, hasOrder, bad := intParam(q, "orderId")
	note(bad)
	created, bad := rangeParam(q, "createDate", false)
	note(bad)
	shipped, bad := rangeParam(q, "shipDate", true)
	note(bad)
	by, desc, bad := sortSpec(q, "ShipDate", "CreateDate")
	note(bad)
	page, size, bad := paging(q)
	note(bad)
	if len(bads) > 0 {
		writeInvalid(w, bads[0].key, bads[0].msg)
		return
	}
	number, tracking, recipient := q.get("orderNumber"), q.get("trackingNumber"), q.get("recipientName")

	s.mu.Lock()
	var rows []*fulfillmentRec
	for _, fr := range s.fulfil {
		x := &fr.f
		name := ""
		if x.ShipTo != nil {
			name = x.ShipTo.Name
		}
		switch {
		case hasFID && x.FulfillmentID != fid,
			hasOrder && x.OrderID != orderID,
			number != "" && !strings.EqualFold(x.OrderNumber, number),
			tracking != "" && deref(x.TrackingNumber) != tracking,
			recipient != "" && !containsFold(name, recipient),
			!created.contains(fr.createDate), !shipped.contains(fr.shipDate):
			continue
		}
		rows = append(rows, fr)
	}
	key := func(x *fulfillmentRec) time.Time { return x.createDate }
	if by == "ShipDate" {
		key = func(x *fulfillmentRec) time.Time { return x.shipDate }
	}
	sortRows(rows, desc, key, func(x *fulfillmentRec) int64 { return x.f.FulfillmentID })
	lo, hi, pages := pageOf(len(rows), page, size)
	list := make([]Fulfillment, 0, hi-lo)
	for _, fr := range rows[lo:hi] {
		list = append(list, fr.f)
	}
	out, err := marshal(struct {
		Fulfillments []Fulfillment `json:"fulfillments"`
		Total        int           `json:"total"`
		Page         int           `json:"page"`
		Pages        int           `json:"pages"`
	}{list, len(rows), page, pages})
	s.mu.Unlock()
	if err != nil {
		writeServerError(w, err)
		return
	}
	writeRaw(w, http.StatusOK, out)
}

// trackingFor makes a plausible tracking number for carrier.
func trackingFor(carrier string, rng *rand.Rand) string {
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		return b.String()
	}
	switch strings.ToLower(carrier) {
	case "ups":
		const alnum = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
		var b strings.Builder
		b.WriteString("1Z")
		for range 6 {
			b.WriteByte(alnum[rng.IntN(len(alnum))])
		}
		b.WriteString("03")
		b.WriteString(digits(8))
		return b.String()
	case "fedex":
		return digits(12)
	default: // stamps_com, usps, endicia
		return "94001118995" + digits(11)
	}
}
