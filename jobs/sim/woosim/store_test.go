package woosim

import (
	"errors"
	"strconv"
	"testing"
)

func TestStoreAccessors(t *testing.T) {
	st := seeded(t)
	if _, err := st.AddProduct(Product{Name: "Copy", SKU: "cpd-01"}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate SKU: %v", err)
	}
	if err := st.SetStock("NOPE", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown SKU: %v", err)
	}
	if _, err := st.UpdateOrder(12345, func(*Order) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
	if err := st.SetStock("GC-50", 3); err != nil {
		t.Fatal(err)
	}
	if q, ok := st.StockOf("gc-50"); !ok || q != 3 {
		t.Errorf("StockOf after SetStock: %d %v", q, ok)
	}
	if _, ok := st.StockOf("Handmade Stoneware Mug"); ok {
		t.Error("a name is not a SKU")
	}
	o, err := st.AddOrder(Order{Status: "processing", LineItems: []LineItem{{Name: "x", Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Number != strconv.Itoa(o.ID) || o.LineItems[0].ID == 0 || o.Modified != o.Created || o.Currency != "USD" {
		t.Errorf("defaults %+v", o)
	}
	if _, err := st.AddOrder(Order{ID: o.ID}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate order id: %v", err)
	}
	// Returned orders are copies.
	got := st.Orders()
	got[0].LineItems[0].Name = "changed"
	if again, _ := st.Order(o.ID); again.LineItems[0].Name != "x" {
		t.Error("Orders() shares memory with the store")
	}
}
