package ordersync_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
)

// shipped is a hand-written order shipped with method for amount cents.
func shipped(number, method string, amount orders.Money) ordersync.Fetched {
	f := handOrder(number, "Widget")
	f.Order.Shipping = orders.Shipping{Method: method, Amount: amount}
	f.Order.ShippingTotal = amount
	f.Order.Total += amount
	return f
}

// TestShippingMethodsWithoutAnItemAreListedAndMappedIntoARule (issue 9 item 5): every store
// shipping method that posts a shipping line and that no rule maps to a QuickBooks item is
// listed with its orders; a mapping made for it shows on it, becomes a "Map shipping method"
// rule on resync and leaves the list, and the next order shipped that way posts its shipping
// line to the mapped item.
func TestShippingMethodsWithoutAnItemAreListedAndMappedIntoARule(t *testing.T) {
	f := newFlow(t, 0, orders.DefaultSettings())
	ctx := context.Background()
	acct := f.conn.AccountID
	// "FedEx 2Day" is mapped by a rule already; "Local Pickup" charges nothing, so it posts no
	// shipping line and needs no item.
	r, err := rules.Validate(rules.MapShippingMethod("FedEx 2Day", "Shipping"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.d.CreateRule(ctx, rules.ToDB(acct, r), db.RuleActor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{
		shipped("7001", "UPS Ground", 500), shipped("7002", "UPS Ground", 650), shipped("7003", "FedEx 2Day", 1200),
		shipped("7004", "Local Pickup", 0), shipped("7005", "USPS Priority", 895),
	}); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Method string
		Orders int
		Mapped string
	}
	list := func() []row {
		t.Helper()
		got, err := f.pipeline.MissingShippingMethods(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		var out []row
		for _, m := range got {
			r := row{Method: m.Method, Orders: m.Orders}
			if m.Mapping != nil {
				r.Mapped = m.Mapping.ItemName
			}
			if o, err := f.d.GetOrder(ctx, acct, m.ExampleOrderID); err != nil || o.Normalized == nil {
				t.Fatalf("example order of %s: %v", m.Method, err)
			}
			out = append(out, r)
		}
		return out
	}
	if got, want := list(), []row{{"UPS Ground", 2, ""}, {"USPS Priority", 1, ""}}; !slices.Equal(got, want) {
		t.Fatalf("missing shipping methods %+v, want %+v", got, want)
	}

	f.addCompanyItem(`<ItemOtherChargeAddRq><ItemOtherChargeAdd><Name>UPS Shipping</Name><SalesOrPurchase><Desc>UPS</Desc><Price>0.00</Price><AccountRef><FullName>Shipping and Delivery Income</FullName></AccountRef></SalesOrPurchase></ItemOtherChargeAdd></ItemOtherChargeAddRq>`)
	if err := f.d.SaveProductMapping(ctx, &db.ProductMapping{AccountID: acct, Kind: ordersync.MapShippingMethod, StoreValue: "UPS Ground", ItemName: "UPS Shipping"}); err != nil {
		t.Fatal(err)
	}
	if got, want := list(), []row{{"UPS Ground", 2, "UPS Shipping"}, {"USPS Priority", 1, ""}}; !slices.Equal(got, want) {
		t.Fatalf("after mapping: %+v, want %+v", got, want)
	}
	res, err := f.pipeline.ApplyMappings(ctx, acct, db.RuleActor{Name: "test"})
	if err != nil || res.RulesCreated != 1 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if got, want := list(), []row{{"USPS Priority", 1, ""}}; !slices.Equal(got, want) {
		t.Fatalf("after resync: %+v, want %+v", got, want)
	}
	var names []string
	if err := dbtest.SQL(t).NewSelect().Table("rules").Column("name").Where("account_id = ?", acct).OrderExpr("id").Scan(ctx, &names); err != nil {
		t.Fatal(err)
	}
	if want := []string{"Map shipping method FedEx 2Day", "Map shipping method UPS Ground"}; !slices.Equal(names, want) {
		t.Fatalf("rules %v, want %v", names, want)
	}

	if _, err := f.pipeline.Ingest(ctx, f.conn, []ordersync.Fetched{shipped("7006", "UPS Ground", 725)}); err != nil {
		t.Fatal(err)
	}
	f.runWebConnector()
	sale := f.company.Txns("SalesReceipt", "7006")
	if len(sale) != 1 {
		t.Fatalf("QuickBooks holds %d sales receipts 7006", len(sale))
	}
	var shipLine []string
	for _, l := range sale[0].Lines {
		if l.Amount == 7.25 {
			shipLine = append(shipLine, l.ItemFullName)
		}
	}
	if !slices.Equal(shipLine, []string{"UPS Shipping"}) {
		t.Fatalf("the 7.25 shipping line posted to %v, want [UPS Shipping]: %+v", shipLine, sale[0].Lines)
	}
}
