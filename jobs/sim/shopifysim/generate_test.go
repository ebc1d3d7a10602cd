package shopifysim

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestGenerateDeterministic(t *testing.T) {
	gen := func(seed int64) []Order {
		c := newClock()
		return New(Options{Clock: c.Now}).Generate(150, seed)
	}
	a, b := gen(42), gen(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed and clock gave different orders")
	}
	if c := gen(43); reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same orders")
	}
}

// TestGenerateMix checks that Generate produces the cases an importer must
// handle.
func TestGenerateMix(t *testing.T) {
	c := newClock()
	s := New(Options{Clock: c.Now})
	orders := s.Generate(300, 9)
	now := c.Now()
	count := map[string]int{}
	for i, o := range orders {
		if o.CreatedAt.Before(now.Add(-30*24*time.Hour)) || o.CreatedAt.After(now) {
			t.Errorf("%s created %v, outside the last 30 days", o.Name, o.CreatedAt)
		}
		if o.UpdatedAt.Before(o.CreatedAt) || o.UpdatedAt.After(now) {
			t.Errorf("%s updated %v, created %v", o.Name, o.UpdatedAt, o.CreatedAt)
		}
		if i > 0 && (o.ID <= orders[i-1].ID || o.CreatedAt.Before(orders[i-1].CreatedAt)) {
			t.Errorf("%s: IDs and creation times do not increase together", o.Name)
		}
		if o.UpdatedAt.After(o.CreatedAt) {
			count["updated later"]++
		}
		if o.Customer == nil {
			count["guest"]++
		}
		if !o.CancelledAt.IsZero() {
			count["cancelled"]++
		}
		count["status "+o.FinancialStatus]++
		if len(o.LineItems) > 1 {
			count["multi-line"]++
		}
		if len(o.DiscountCodes()) > 0 {
			count["discount code"]++
		}
		if len(o.ShippingLines) > 0 {
			count["shipping"]++
		}
		if o.TotalTax() > 0 {
			count["tax"]++
		}
		if o.TaxesIncluded {
			count["taxes included"]++
		}
		if len(o.Name) > 21 {
			count["long name"]++
		}
		for _, l := range o.LineItems {
			if l.Quantity > 1 {
				count["quantity > 1"]++
			}
			if l.SKU == "" {
				count["line without SKU"]++
			}
			for _, d := range l.Discounts {
				if o.DiscountApplications[d.Application].lineLevel() {
					count["line-level discount"]++
				}
			}
		}
		name := ""
		if o.ShippingAddress != nil {
			name = o.ShippingAddress.FirstName + o.ShippingAddress.LastName
		}
		for _, r := range name {
			switch {
			case unicode.Is(unicode.Han, r):
				count["Chinese/Japanese name"]++
			case strings.ContainsRune("ŁłŻżŚśĆćŃńĘęĄąÓó", r):
				count["Polish name"]++
			case r > 0x1F000:
				count["emoji name"]++
			}
		}
	}
	for _, want := range []string{"guest", "cancelled", "updated later", "status PAID", "status PENDING", "status AUTHORIZED",
		"status REFUNDED", "status PARTIALLY_REFUNDED", "status VOIDED", "status PARTIALLY_PAID", "multi-line", "quantity > 1",
		"discount code", "line-level discount", "shipping", "tax", "taxes included", "long name", "line without SKU",
		"Chinese/Japanese name", "Polish name", "emoji name"} {
		if count[want] == 0 {
			t.Errorf("no generated order has %q (counts %v)", want, count)
		}
	}
}
