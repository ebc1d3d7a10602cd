package orders

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestQuickBooksToShipStationDefaults(t *testing.T) {
	// A connection stored before the setting existed: off, with seed 004's defaults.
	var s Settings
	if err := json.Unmarshal([]byte(`{"transactionType":"invoice"}`), &s); err != nil {
		t.Fatal(err)
	}
	q := s.WithDefaults().QuickBooksToShipStation
	if q.Enabled || q.ClassFilter != "ShipStation" || q.OrderStatus != "awaiting_shipment" || q.StoreID != 0 ||
		q.ShippingCostAs != "line" || !slices.Equal(q.ShippedStatuses, []string{"shipped"}) ||
		!slices.Equal(q.TxnTypes, []string{"invoice", "salesReceipt", "salesOrder"}) {
		t.Fatalf("defaults: %+v", q)
	}
	// Stored under "quickbooksToShipStation".
	s.QuickBooksToShipStation = QuickBooksToShipStationSettings{Enabled: true, TxnTypes: []string{"sales_receipt", "SalesReceipt", " invoice "},
		TestOrderNumbers: []string{" 1001", "", "1001", "1002"}, ShippedStatuses: []string{"Shipped"}}
	raw, _ := json.Marshal(s.WithDefaults())
	var back map[string]json.RawMessage
	_ = json.Unmarshal(raw, &back)
	if !strings.Contains(string(back["quickbooksToShipStation"]), `"txnTypes":["salesReceipt","invoice"]`) ||
		!strings.Contains(string(back["quickbooksToShipStation"]), `"testOrderNumbers":["1001","1002"]`) ||
		!strings.Contains(string(back["quickbooksToShipStation"]), `"shippedStatuses":["shipped"]`) {
		t.Fatalf("stored: %s", back["quickbooksToShipStation"])
	}
}

func TestQuickBooksToShipStationValidate(t *testing.T) {
	bad := QuickBooksToShipStationSettings{TxnTypes: []string{"estimate"}, StoreID: -1, OrderStatus: "packed",
		ShippingCostAs: "fee", ShippedStatuses: []string{"delivered"}, TestOrderNumbers: []string{"123456789012"}}
	err := bad.Validate()
	for _, want := range []string{"txnTypes", "storeId", "orderStatus", "shippingCostAs", "shippedStatuses", "testOrderNumbers"} {
		if err == nil || !strings.Contains(err.Error(), "quickbooksToShipStation."+want) {
			t.Errorf("Validate() = %v, want it to name %s", err, want)
		}
	}
	if err := (QuickBooksToShipStationSettings{Enabled: true, OrderStatus: "on_hold"}).Validate(); err != nil {
		t.Fatalf("valid settings refused: %v", err)
	}
}

func TestQuickBooksToShipStationFilters(t *testing.T) {
	s := QuickBooksToShipStationSettings{TxnTypes: []string{"invoice"}}
	for class, want := range map[string]bool{"ShipStation": true, "shipstation": true, "ShipStation:East": true, "ShipStationX": false, "": false, "Retail": false} {
		if got := s.ClassMatches(class); got != want {
			t.Errorf("ClassMatches(%q) = %v, want %v", class, got, want)
		}
	}
	if !(QuickBooksToShipStationSettings{AllSales: true}).ClassMatches("") {
		t.Error("all sales: a sale without class is not sent")
	}
	if !s.Sends("invoice") || s.Sends("salesReceipt") {
		t.Error("Sends ignores TxnTypes")
	}
	if !s.Shipped("SHIPPED") || s.Shipped("awaiting_shipment") {
		t.Error("Shipped ignores the default")
	}
}
