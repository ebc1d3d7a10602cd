package shopifysim

import (
	"testing"
	"time"
)

// TestOrdersTakeStockOffTrackedVariants: a new order takes its quantities off the available stock
// of tracked variants, as a Shopify checkout does; an untracked variant (a gift card) has no
// stock to take from, and a cancelled order leaves the stock as it was (placed, then restocked).
func TestOrdersTakeStockOffTrackedVariants(t *testing.T) {
	s := New(Options{})
	if _, err := s.AddProduct(Product{Title: "Mug", Variants: []Variant{{SKU: "MUG-1", Price: 1200}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddProduct(Product{Title: "Gift card", Variants: []Variant{{SKU: "GIFT-25", Price: 2500, Untracked: true, NoShipping: true}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetInventory("MUG-1", 10); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddOrder(Order{LineItems: []LineItem{{SKU: "MUG-1", Quantity: 3}, {SKU: "GIFT-25", Quantity: 2}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.InventoryOf("MUG-1"); got != 7 {
		t.Errorf("MUG-1 after selling 3 of 10: %d available, want 7", got)
	}
	if _, err := s.AddOrder(Order{LineItems: []LineItem{{SKU: "MUG-1", Quantity: 4}}, CancelledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.InventoryOf("MUG-1"); got != 7 {
		t.Errorf("MUG-1 after a cancelled order: %d available, want 7", got)
	}
	if got, _ := s.InventoryOf("GIFT-25"); got != 0 {
		t.Errorf("untracked GIFT-25: %d available, want 0 (never counted)", got)
	}
}
