package shipstationsim

import (
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"
)

type shipmentList struct {
	Shipments []Shipment `json:"shipments"`
	Total     int        `json:"total"`
	Page      int        `json:"page"`
	Pages     int        `json:"pages"`
}

type fulfillmentList struct {
	Fulfillments []Fulfillment `json:"fulfillments"`
	Total        int           `json:"total"`
}

func TestShipCreatesShipment(t *testing.T) {
	e := start(t, Options{})
	o := e.createOne(newOrder("S-1", "s-1", StatusAwaitingShipment))
	other := e.createOne(newOrder("S-2", "s-2", StatusAwaitingShipment))
	e.clock.Advance(2 * time.Hour)
	sh, err := e.sim.Ship(o.OrderID, "stamps_com", "usps_priority_mail", "", 7.91)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.TrackingNumber) != 22 {
		t.Fatalf("generated USPS tracking number %q", sh.TrackingNumber)
	}

	var l shipmentList
	e.must("GET", fmt.Sprintf("/shipments?orderId=%d&includeShipmentItems=true", o.OrderID), nil, &l)
	if l.Total != 1 || len(l.Shipments) != 1 {
		t.Fatalf("shipments for order: %+v", l)
	}
	got := l.Shipments[0]
	if got.TrackingNumber != sh.TrackingNumber || got.ShipmentCost != 7.91 || got.CarrierCode != "stamps_com" ||
		got.ServiceCode != "usps_priority_mail" || got.Voided || got.OrderKey != "s-1" || got.OrderNumber != "S-1" || got.InsuranceCost != 0 {
		t.Fatalf("shipment = %+v", got)
	}
	if len(got.ShipmentItems) != 1 || deref(got.ShipmentItems[0].SKU) != "WID-1" || got.ShipmentItems[0].Quantity != 2 {
		t.Fatalf("shipmentItems = %+v", got.ShipmentItems)
	}
	if got.AdvancedOptions == nil || deref(got.AdvancedOptions.StoreID) != ManualStoreID {
		t.Fatalf("shipment advancedOptions = %+v", got.AdvancedOptions)
	}
	e.must("GET", fmt.Sprintf("/shipments?orderId=%d", o.OrderID), nil, &l)
	if l.Shipments[0].ShipmentItems != nil {
		t.Fatal("shipmentItems without includeShipmentItems=true")
	}

	order, _ := e.sim.Order(o.OrderID)
	if order.OrderStatus != StatusShipped || deref(order.ShipDate) != "2026-03-10" || deref(order.CarrierCode) != "stamps_com" || order.ModifyDate == o.ModifyDate {
		t.Fatalf("order after label: %s shipDate %v carrier %v", order.OrderStatus, deref(order.ShipDate), deref(order.CarrierCode))
	}

	// Filters.
	if _, err := e.sim.Ship(other.OrderID, "ups", "ups_ground", "1ZTEST", 11); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  int
	}{
		{"", 2},
		{"orderNumber=S-2", 1},
		{"orderNumber=S", 0}, // shipments match the order number exactly
		{"trackingNumber=1ZTEST", 1},
		{"carrierCode=ups", 1},
		{fmt.Sprintf("storeId=%d", ManualStoreID), 2},
		{"storeId=1", 0},
		{"shipDateStart=2026-03-10&shipDateEnd=2026-03-10", 2},
		{"shipDateStart=2026-03-11", 0},
		{"createDateStart=" + url.QueryEscape("2026-03-10 11:30:00"), 2},
		{"createDateEnd=" + url.QueryEscape("2026-03-10 11:29:59"), 0},
		{"recipientName=ada", 2},
		{"recipientCountryCode=GB", 2},
	}
	for _, tc := range tests {
		var l shipmentList
		e.must("GET", "/shipments?"+tc.query, nil, &l)
		if l.Total != tc.want {
			t.Errorf("/shipments?%s: total %d, want %d", tc.query, l.Total, tc.want)
		}
	}
	if r := e.do("GET", "/fulfillments?orderId="+fmt.Sprint(o.OrderID), nil); r.status != 200 || string(r.body) != `{"fulfillments":[],"total":0,"page":1,"pages":0}` {
		t.Fatalf("a label must not appear as a fulfillment: %s", r.body)
	}

	// Void: the shipment is marked voided and the order goes back to the queue.
	e.clock.Advance(time.Minute)
	var void struct {
		Approved bool   `json:"approved"`
		Message  string `json:"message"`
	}
	e.must("POST", "/shipments/voidlabel", map[string]int64{"shipmentId": sh.ShipmentID}, &void)
	if !void.Approved {
		t.Fatalf("void: %+v", void)
	}
	e.must("GET", fmt.Sprintf("/shipments?orderId=%d", o.OrderID), nil, &l)
	if !l.Shipments[0].Voided || l.Shipments[0].VoidDate == nil {
		t.Fatalf("voided shipment = %+v", l.Shipments[0])
	}
	if order, _ := e.sim.Order(o.OrderID); order.OrderStatus != StatusAwaitingShipment {
		t.Fatalf("order after void: %s", order.OrderStatus)
	}
	e.must("GET", "/shipments?voidDateStart="+url.QueryEscape("2026-03-10 11:31:00"), nil, &l)
	if l.Total != 1 {
		t.Fatalf("voidDate filter: %d", l.Total)
	}
	if _, err := e.sim.Ship(999, "ups", "ups_ground", "", 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Ship unknown order: %v", err)
	}
}

func TestMarkAsShipped(t *testing.T) {
	e := start(t, Options{})
	o := e.createOne(newOrder("M-1", "m-1", StatusAwaitingShipment))
	var resp struct {
		OrderID     int64  `json:"orderId"`
		OrderNumber string `json:"orderNumber"`
	}
	e.must("POST", "/orders/markasshipped", map[string]any{
		"orderId": o.OrderID, "carrierCode": "usps", "shipDate": "2026-03-09",
		"trackingNumber": "913492493294329421", "notifyCustomer": true, "notifySalesChannel": true,
	}, &resp)
	if resp.OrderID != o.OrderID || resp.OrderNumber != "M-1" {
		t.Fatalf("response %+v", resp)
	}
	var fl fulfillmentList
	e.must("GET", fmt.Sprintf("/fulfillments?orderId=%d", o.OrderID), nil, &fl)
	if fl.Total != 1 {
		t.Fatalf("fulfillments: %+v", fl)
	}
	f := fl.Fulfillments[0]
	if deref(f.TrackingNumber) != "913492493294329421" || f.CarrierCode != "usps" || f.ShipDate != "2026-03-09T00:00:00" ||
		!f.MarketplaceNotified || f.Voided || f.ShipTo == nil || f.ShipTo.Name != "Ada Lovelace" {
		t.Fatalf("fulfillment = %+v", f)
	}
	var sl shipmentList
	e.must("GET", fmt.Sprintf("/shipments?orderId=%d", o.OrderID), nil, &sl)
	if sl.Total != 0 {
		t.Fatal("marked-as-shipped orders must not appear in /shipments")
	}
	got, _ := e.sim.Order(o.OrderID)
	if got.OrderStatus != StatusShipped || deref(got.ShipDate) != "2026-03-09" {
		t.Fatalf("order: %s %v", got.OrderStatus, deref(got.ShipDate))
	}
	// Now locked against createorder.
	if r := e.do("POST", "/orders/createorder", newOrder("M-1", "m-1", StatusAwaitingShipment)); r.status != 400 {
		t.Fatalf("update after markasshipped: %d", r.status)
	}

	// The Go-side knob does the same.
	o2 := e.createOne(newOrder("M-2", "m-2", StatusAwaitingShipment))
	if _, err := e.sim.MarkShippedExternally(o2.OrderID, "fedex", "783408231234"); err != nil {
		t.Fatal(err)
	}
	e.must("GET", "/fulfillments?trackingNumber=783408231234", nil, &fl)
	if fl.Total != 1 || fl.Fulfillments[0].OrderID != o2.OrderID {
		t.Fatalf("fulfillment by tracking: %+v", fl)
	}

	tests := []struct {
		name string
		body string
		want int
	}{
		{"unknown order", `{"orderId":1,"carrierCode":"usps"}`, 404},
		{"no carrier", fmt.Sprintf(`{"orderId":%d}`, o.OrderID), 400},
		{"no order id", `{"carrierCode":"usps"}`, 400},
		{"bad date", fmt.Sprintf(`{"orderId":%d,"carrierCode":"usps","shipDate":"later"}`, o.OrderID), 400},
	}
	for _, tc := range tests {
		if r := e.do("POST", "/orders/markasshipped", tc.body); r.status != tc.want {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	cancelled := e.createOne(newOrder("M-3", "m-3", StatusCancelled))
	if r := e.do("POST", "/orders/markasshipped", map[string]any{"orderId": cancelled.OrderID, "carrierCode": "usps"}); r.status != 400 {
		t.Errorf("cancelled order marked shipped: %d", r.status)
	}
}

func TestDeleteOrder(t *testing.T) {
	e := start(t, Options{})
	o := e.createOne(newOrder("X-1", "x-1", StatusAwaitingShipment))
	r := e.do("DELETE", fmt.Sprintf("/orders/%d", o.OrderID), nil)
	if r.status != 200 || string(r.body) != `{"success":true,"message":"The requested order has been deleted."}` {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := e.do("GET", fmt.Sprintf("/orders/%d", o.OrderID), nil); r.status != 404 {
		t.Fatalf("get deleted: %d", r.status)
	}
	var l orderList
	e.must("GET", "/orders", nil, &l)
	if l.Total != 0 {
		t.Fatal("deleted order listed")
	}
	back := e.createOne(newOrder("X-1", "x-1", StatusAwaitingShipment))
	if back.OrderID != o.OrderID {
		t.Fatalf("createorder with a deleted order's key made order %d, want %d back", back.OrderID, o.OrderID)
	}
}
