package woosim

import "testing"

// TestCheckoutOrdersReduceStock: an order that reached processing, completed or on-hold through
// checkout has had its stock reduced, as WooCommerce does at checkout; a pending order has not,
// and a product without stock management (a virtual gift card) has no stock to reduce.
func TestCheckoutOrdersReduceStock(t *testing.T) {
	s := New(Options{})
	mug, err := s.AddProduct(Product{Name: "Mug", SKU: "MUG-1", RegularPrice: "12.00", ManageStock: true, StockQuantity: new(10)})
	if err != nil {
		t.Fatal(err)
	}
	gift, err := s.AddProduct(Product{Name: "Gift Card", SKU: "GC-25", RegularPrice: "25.00", Virtual: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []struct {
		status string
		n      int
	}{{"processing", 3}, {"pending", 5}, {"completed", 1}, {"on-hold", 2}} {
		if _, err := s.AddOrder(Order{Status: o.status, LineItems: []LineItem{{Name: "Mug", ProductID: mug.ID, Quantity: o.n},
			{Name: "Gift Card", ProductID: gift.ID, Quantity: 1}}}); err != nil {
			t.Fatal(err)
		}
	}
	// 10 − 3 (processing) − 1 (completed) − 2 (on-hold); the pending order's 5 are not taken.
	if got, ok := s.StockOf("MUG-1"); !ok || got != 4 {
		t.Errorf("MUG-1: %d in stock (%v), want 4", got, ok)
	}
	if _, ok := s.StockOf("GC-25"); ok {
		t.Error("GC-25 does not manage stock, yet has a stock quantity")
	}
}
