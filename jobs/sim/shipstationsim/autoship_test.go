package shipstationsim

import (
	"testing"
	"time"
)

// With AutoShipAfter, an order from a QuickBooks sale is shipped (a label with a tracking
// number and a cost) once it has waited that long and a request arrives; other orders are not.
func TestAutoShipShipsQuickBooksOrdersAfterTheDelay(t *testing.T) {
	now := time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC)
	s := New(Options{Clock: func() time.Time { return now }, AutoShipAfter: 3 * time.Minute})
	street := "1 Main St"
	add := func(key string) Order {
		o, err := s.AddOrder(Order{OrderNumber: key, OrderKey: key, OrderDate: "2026-12-05T09:00:00.0000000", OrderStatus: StatusAwaitingShipment,
			BillTo: &Address{Name: "A"}, ShipTo: &Address{Name: "A", Street1: &street}})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	qb, other := add("llqb-7-SR-1F-1"), add("amazon-1")
	s.shipDue(now.Add(2 * time.Minute))
	if len(s.Shipments()) != 0 {
		t.Fatal("shipped before the delay")
	}
	s.shipDue(now.Add(3 * time.Minute))
	ships := s.Shipments()
	if len(ships) != 1 || ships[0].OrderID != qb.OrderID || ships[0].TrackingNumber == "" || ships[0].ShipmentCost <= 0 {
		t.Fatalf("shipments %+v, want one label for the QuickBooks order", ships)
	}
	if o, _ := s.Order(other.OrderID); o.OrderStatus != StatusAwaitingShipment {
		t.Errorf("an order not from QuickBooks was shipped")
	}
}
