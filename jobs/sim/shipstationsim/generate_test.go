package shipstationsim

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
	"unicode"
)

func TestGenerateDeterministic(t *testing.T) {
	snapshot := func(seed int64, serverSeed int64) []byte {
		c := newClock(t0)
		s := New(Options{Clock: c.Now, Seed: serverSeed})
		s.Generate(300, seed)
		b, err := json.Marshal(struct {
			O []Order
			S []Shipment
			F []Fulfillment
		}{s.Orders(), s.Shipments(), s.Fulfillments()})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := snapshot(11, 1), snapshot(11, 99)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, different accounts (the server's own Seed must not leak into Generate)")
	}
	if bytes.Equal(a, snapshot(12, 1)) {
		t.Fatal("different seeds, same accounts")
	}
}

func TestGenerateRealism(t *testing.T) {
	c := newClock(t0)
	s := New(Options{Clock: c.Now})
	orders := s.Generate(500, 3)
	if len(orders) != 500 || len(s.Orders()) != 500 {
		t.Fatalf("generated %d, stored %d", len(orders), len(s.Orders()))
	}
	statuses := map[string]int{}
	stores := map[int64]int{}
	var multiLine, multiQty, nonLatin, longNumber, discount, intl, taxed, shippingCharged bool
	now := t0.In(Pacific())
	for i, o := range orders {
		statuses[o.OrderStatus]++
		stores[o.StoreID()]++
		if i > 0 && o.OrderID <= orders[i-1].OrderID {
			t.Fatal("orders not in ascending orderId")
		}
		od, err := time.ParseInLocation(OrderTimeLayout, o.OrderDate, Pacific())
		if err != nil || od.Before(now.Add(-30*24*time.Hour)) || od.After(now) {
			t.Fatalf("orderDate %q outside the last 30 days (%v)", o.OrderDate, err)
		}
		cd, _ := time.ParseInLocation(OrderTimeLayout, o.CreateDate, Pacific())
		md, _ := time.ParseInLocation(OrderTimeLayout, o.ModifyDate, Pacific())
		if cd.Before(od) || md.Before(cd) || md.After(now) {
			t.Fatalf("order %s: orderDate %s createDate %s modifyDate %s", o.OrderNumber, o.OrderDate, o.CreateDate, o.ModifyDate)
		}
		var sum float64
		for _, it := range o.Items {
			sum += float64(it.Quantity) * it.UnitPrice
			multiQty = multiQty || it.Quantity > 1
			discount = discount || it.Adjustment
		}
		if got := round2(sum + o.TaxAmount + o.ShippingAmount); got != o.OrderTotal {
			t.Fatalf("order %s: orderTotal %v, items+tax+shipping %v", o.OrderNumber, o.OrderTotal, got)
		}
		multiLine = multiLine || len(o.Items) > 1
		longNumber = longNumber || len(o.OrderNumber) > 40
		taxed = taxed || o.TaxAmount > 0
		shippingCharged = shippingCharged || o.ShippingAmount > 0
		intl = intl || deref(o.ShipTo.Country) != "US"
		for _, r := range o.ShipTo.Name {
			if r > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, r) {
				nonLatin = true
			}
		}
		if o.OrderStatus == StatusAwaitingPayment && (o.PaymentDate != nil || o.AmountPaid != 0) {
			t.Fatalf("unpaid order %s has a payment", o.OrderNumber)
		}
	}
	for _, st := range []string{StatusAwaitingShipment, StatusShipped, StatusAwaitingPayment, StatusOnHold, StatusCancelled} {
		if statuses[st] == 0 {
			t.Errorf("no %s orders: %v", st, statuses)
		}
	}
	if len(stores) != len(s.Stores()) {
		t.Errorf("orders in %d of %d stores", len(stores), len(s.Stores()))
	}
	for name, ok := range map[string]bool{"multi-line": multiLine, "quantity > 1": multiQty, "non-Latin name": nonLatin,
		"long order number": longNumber, "discount line": discount, "international": intl, "tax": taxed, "shipping": shippingCharged} {
		if !ok {
			t.Errorf("no %s order", name)
		}
	}
	ships, fuls := s.Shipments(), s.Fulfillments()
	if len(ships) == 0 || len(fuls) == 0 || len(ships)+len(fuls) != statuses[StatusShipped] {
		t.Fatalf("%d shipments + %d fulfillments for %d shipped orders", len(ships), len(fuls), statuses[StatusShipped])
	}
	for _, sh := range ships {
		if sh.TrackingNumber == "" || sh.ShipmentCost <= 0 {
			t.Fatalf("shipment %+v", sh)
		}
	}
	// A second batch continues the id sequence without colliding.
	more := s.Generate(50, 4)
	if len(more) != 50 || len(s.Orders()) != 550 || more[0].OrderID <= orders[len(orders)-1].OrderID {
		t.Fatalf("second Generate: %d new, %d total", len(more), len(s.Orders()))
	}
}
