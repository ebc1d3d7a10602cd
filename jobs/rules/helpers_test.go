package rules

import (
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// sampleOrder is a Shopify order with three lines, two payments, a discount code and tags.
func sampleOrder() *orders.Order {
	return &orders.Order{
		Channel: "shopify", ExternalID: "4501", Number: "1001", Status: "paid",
		CreatedAt: time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC),
		UpdatedAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC),
		Currency:  "USD",
		Customer:  orders.Customer{ID: "c1", Email: "ann@example.com", FirstName: "Ann", LastName: "Lee", Company: "Target"},
		BillTo:    orders.Address{Name: "Ann Lee", Company: "Target", Line1: "1 Main St", City: "Minneapolis", State: "MN", PostalCode: "55403", Country: "US"},
		ShipTo:    orders.Address{Name: "Ann Lee", Line1: "1 Main St", City: "Minneapolis", State: "MN", PostalCode: "55403", Country: "US"},
		Lines: []orders.Line{
			{ID: "l1", SKU: "ABC-123", Name: "Blue widget", Quantity: 2, UnitPrice: 1250, Total: 2500, Taxable: true},
			{ID: "l2", SKU: "xyz-9", Name: "Red gadget", Quantity: 10, UnitPrice: 99, Discount: 90, Total: 900},
			{ID: "l3", SKU: "", Name: "Gift wrap", Quantity: 1, UnitPrice: 500, Total: 500},
		},
		Shipping:      orders.Shipping{Method: "UPS Ground", Carrier: "ups", Service: "ups_ground", Amount: 895},
		Discounts:     []orders.Discount{{Code: "FALL10", Amount: 390}},
		Taxes:         []orders.TaxLine{{Name: "MN State Tax", Rate: "0.06875", Amount: 268}},
		Payments:      []orders.Payment{{Method: "gift_card", Amount: 1000}, {Method: "credit_card", Gateway: "shopify_payments", Amount: 3173, PaidAt: time.Date(2026, 11, 23, 15, 5, 0, 0, time.UTC)}},
		Subtotal:      3900,
		DiscountTotal: 390,
		ShippingTotal: 895,
		TaxTotal:      268,
		Total:         4673,
		Note:          "Leave at the back door",
		Tags:          []string{"VIP", "wholesale-2026"},
		Custom:        map[string]string{"gift_message": "Happy birthday"},
	}
}

// rule builds a valid rule for the orders-to-QuickBooks pipeline.
func rule(id int64, name string, match Match, conds []Condition, acts ...Action) Rule {
	return Rule{ID: id, Name: name, Enabled: true, Version: 1, Position: int(id), Pipelines: []Pipeline{OrdersToQuickBooks},
		Match: match, Conditions: conds, Actions: acts}
}

// run validates and compiles rs for orders-to-QuickBooks and applies them to o.
func run(t *testing.T, o *orders.Order, rs ...Rule) Result {
	t.Helper()
	for i := range rs {
		v, err := Validate(rs[i])
		if err != nil {
			t.Fatalf("rule %q does not validate: %v", rs[i].Name, err)
		}
		rs[i] = v
	}
	ev, err := Compile(rs, OrdersToQuickBooks)
	if err != nil {
		t.Fatal(err)
	}
	return ev.Apply(o)
}

func set(field, value string) Action { return Action{Type: ActSet, Field: field, Value: value} }
