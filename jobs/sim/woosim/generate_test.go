package woosim

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestGenerateDeterministic(t *testing.T) {
	page := func(seed int64) ([]byte, []Order) {
		st := newStore(t, Options{HomeURL: "https://shop.example.com"})
		orders := st.generate(60, seed)
		r := st.do("GET", "/wp-json/wc/v3/orders?per_page=100&orderby=id&order=asc", nil)
		mustStatus(t, r, 200)
		return r.body, orders
	}
	a, oa := page(42)
	b, ob := page(42)
	if !bytes.Equal(a, b) || !reflect.DeepEqual(oa, ob) {
		t.Fatal("same seed and clock gave different orders")
	}
	c, _ := page(43)
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same orders")
	}
}

var longNumber = regexp.MustCompile(`^WC-\d{4}-\d{9}$`)

func TestGenerateRealism(t *testing.T) {
	st := newStore(t, Options{})
	orders := st.generate(300, 7)
	if len(orders) != 300 {
		t.Fatalf("%d orders", len(orders))
	}
	has := map[string]bool{}
	for _, o := range orders {
		has["status "+o.Status] = true
		if o.CustomerID == 0 {
			has["guest"] = true
		} else {
			has["registered"] = true
		}
		if longNumber.MatchString(o.Number) {
			has["long number"] = true
		}
		if len(o.LineItems) > 1 {
			has["multi-line"] = true
		}
		if len(o.CouponLines) > 0 {
			has["coupon"] = true
		}
		if len(o.FeeLines) > 0 {
			has["fee"] = true
		}
		if len(o.Refunds) > 0 && o.Status == "refunded" {
			has["refund"] = true
		}
		if mustCents(o.ShippingTax) > 0 {
			has["shipping tax"] = true
		}
		if o.PaymentMethod == "cod" && o.Status == "processing" && o.Paid.IsZero() {
			has["unpaid COD in processing"] = true
		}
		text := o.Billing.FirstName + o.Billing.LastName + o.Billing.Company + o.Billing.City + o.CustomerNote
		for _, r := range text {
			switch {
			case unicode.Is(unicode.Han, r):
				has["chinese"] = true
			case strings.ContainsRune("ąćęłńóśźżŁŻŹŚ", r):
				has["polish"] = true
			case r >= 0x1F300:
				has["emoji"] = true
			}
		}
		var lines, tax cents
		for _, li := range o.LineItems {
			if li.VariationID != 0 {
				has["variation"] = true
			}
			if li.Quantity > 1 {
				has["quantity > 1"] = true
			}
			if strings.Contains(li.Name, "&amp;") {
				has["html entity in name"] = true
			}
			lines += mustCents(li.Total)
			tax += mustCents(li.TotalTax)
		}
		var fees cents
		for _, f := range o.FeeLines {
			fees += mustCents(f.Total)
			tax += mustCents(f.TotalTax)
		}
		if tax != mustCents(o.CartTax) || mustCents(o.TotalTax) != tax+mustCents(o.ShippingTax) {
			t.Errorf("order %d: taxes %s/%s do not add up", o.ID, o.CartTax, o.TotalTax)
		}
		if total := lines + fees + mustCents(o.ShippingTotal) + mustCents(o.TotalTax); total != mustCents(o.Total) {
			t.Errorf("order %d: total %s, lines add up to %s", o.ID, o.Total, total)
		}
		if o.Created.Before(testNow.Add(-30*24*time.Hour)) || o.Created.After(testNow) || o.Modified.Before(o.Created) || o.Modified.After(testNow) {
			t.Errorf("order %d: created %v modified %v", o.ID, o.Created, o.Modified)
		}
	}
	for _, want := range []string{"status processing", "status completed", "status on-hold", "status pending", "status cancelled", "status refunded",
		"guest", "registered", "long number", "multi-line", "coupon", "fee", "refund", "shipping tax", "unpaid COD in processing",
		"chinese", "polish", "emoji", "variation", "quantity > 1", "html entity in name"} {
		if !has[want] {
			t.Errorf("no generated order has %s", want)
		}
	}
	// IDs grow with creation time, as post IDs do.
	for i := 1; i < len(orders); i++ {
		if orders[i].Created.Before(orders[i-1].Created) {
			t.Fatalf("order %d created before order %d", orders[i].ID, orders[i-1].ID)
		}
	}
}
