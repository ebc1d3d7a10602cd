package shipstation_test

import (
	"encoding/json"
	"flag"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// TestGolden normalizes ShipStation's documented List Orders example
// (testdata/list-orders.sample.json, from the V1 docs via the simulator's
// spec folder) and compares with the checked-in orders.Order JSON.
func TestGolden(t *testing.T) {
	storenettest.NormalizedGolden(t, "list-orders", func(raw json.RawMessage) ([]orders.Order, error) {
		var page struct {
			Orders []json.RawMessage `json:"orders"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, err
		}
		var got []orders.Order
		for _, r := range page.Orders {
			o, err := shipstation.Normalize(r, "USD")
			if err != nil {
				return nil, err
			}
			got = append(got, o)
		}
		return got, nil
	}, checkAmounts, *update)
}

// TestNormalizeEveryGeneratedOrder pulls a generated account through the
// client and checks every order's money to the cent against the
// simulator's own numbers, plus names, numbers and custom fields.
func TestNormalizeEveryGeneratedOrder(t *testing.T) {
	e := newEnv(t, shipstationsim.Options{})
	e.Sim.Generate(600, 21)
	byID := map[string]shipstationsim.Order{}
	for _, o := range e.Sim.Orders() {
		byID[itoa(o.OrderID)] = o
	}
	got, _ := e.all(t, shipstation.Query{})
	if len(got) != len(byID) {
		t.Fatalf("got %d orders, want %d", len(got), len(byID))
	}
	var discounted, nonLatin, custom int
	for _, f := range got {
		o, w := f.Order, byID[f.Order.ExternalID]
		if msg := checkAmounts(o); msg != "" {
			t.Errorf("order %s: %s", o.Number, msg)
			continue
		}
		if o.Total != cents(w.OrderTotal) || o.TaxTotal != cents(w.TaxAmount) || o.ShippingTotal != cents(w.ShippingAmount) {
			t.Errorf("order %s: total/tax/shipping %v/%v/%v, simulator %v/%v/%v", o.Number, o.Total, o.TaxTotal, o.ShippingTotal, w.OrderTotal, w.TaxAmount, w.ShippingAmount)
		}
		if o.Channel != "shipstation" || o.Number != w.OrderNumber || o.Status != w.OrderStatus || o.Currency != "USD" {
			t.Errorf("order %s: header %q %q %q %q", o.ExternalID, o.Channel, o.Number, o.Status, o.Currency)
		}
		if o.BillTo.Name != w.BillTo.Name || o.ShipTo.Name != w.ShipTo.Name || !utf8.ValidString(o.BillTo.Name+o.ShipTo.City) {
			t.Errorf("order %s: names %q / %q, want %q / %q", o.Number, o.BillTo.Name, o.ShipTo.Name, w.BillTo.Name, w.ShipTo.Name)
		}
		for _, r := range o.BillTo.Name {
			if r > 0x24F {
				nonLatin++
				break
			}
		}
		if o.DiscountTotal > 0 {
			discounted++
		}
		var items int
		for _, it := range w.Items {
			if !it.Adjustment {
				items++
			}
		}
		if len(o.Lines) != items {
			t.Errorf("order %s: %d lines, want %d product items", o.Number, len(o.Lines), items)
		}
		if w.AdvancedOptions != nil && w.AdvancedOptions.CustomField1 != nil {
			custom++
			if o.Custom["customField1"] != *w.AdvancedOptions.CustomField1 {
				t.Errorf("order %s: customField1 %q", o.Number, o.Custom["customField1"])
			}
		}
		if o.Custom["storeId"] == "" || o.UpdatedAt.IsZero() || o.CreatedAt.IsZero() || o.CreatedAt.Location() != time.UTC {
			t.Errorf("order %s: storeId %q, dates %v %v", o.Number, o.Custom["storeId"], o.CreatedAt, o.UpdatedAt)
		}
		var back struct {
			OrderID int64 `json:"orderId"`
		}
		if err := json.Unmarshal(f.Raw, &back); err != nil || itoa(back.OrderID) != o.ExternalID {
			t.Errorf("order %s: Raw is not the order as sent (%v)", o.Number, err)
		}
	}
	if discounted == 0 || nonLatin == 0 || custom == 0 {
		t.Errorf("generated data lacks cases: %d discounted, %d non-Latin, %d with custom fields", discounted, nonLatin, custom)
	}
}

func TestOrderDatesArePacific(t *testing.T) {
	raw := json.RawMessage(`{"orderId":1,"orderNumber":"A","orderDate":"2026-07-04T09:15:00.0000000","modifyDate":"2026-01-02T23:30:00.1230000","orderStatus":"awaiting_shipment","billTo":{"name":"x"},"shipTo":{"name":"x"},"items":[],"orderTotal":0}`)
	o, err := shipstation.Normalize(raw, "USD")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 7, 4, 16, 15, 0, 0, time.UTC); !o.CreatedAt.Equal(want) { // PDT = UTC−7
		t.Errorf("orderDate = %v, want %v", o.CreatedAt, want)
	}
	if want := time.Date(2026, 1, 3, 7, 30, 0, 123e6, time.UTC); !o.UpdatedAt.Equal(want) { // PST = UTC−8
		t.Errorf("modifyDate = %v, want %v", o.UpdatedAt, want)
	}
}

func TestMoneyIsExact(t *testing.T) {
	for in, want := range map[string]shipstation.Money{
		"19.99": 1999, "0.1": 10, "-20.55": -2055, "59.970000000000006": 5997, "1e2": 10000, "null": 0, "7": 700, "0.005": 1, "-0.005": -1,
	} {
		var m shipstation.Money
		if err := json.Unmarshal([]byte(in), &m); err != nil || m != want {
			t.Errorf("%s → %d (%v), want %d", in, m, err, want)
		}
	}
	b, _ := json.Marshal(struct{ A shipstation.Money }{-2055})
	if string(b) != `{"A":-20.55}` {
		t.Errorf("marshal = %s", b)
	}
}
