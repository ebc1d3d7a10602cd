package rules

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/internal/benchtab"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

const (
	benchGeneralRules = 200
	benchSKUMap       = 10000
	benchOrders       = 10000
)

// benchRules is an account with 200 everyday rules (half before, half after the SKU map) and a
// 10 000-entry SKU map made of Map SKU rules, as the product-mapping tool leaves it.
func benchRules() []Rule {
	r := rand.New(rand.NewPCG(1, 2))
	var rs []Rule
	add := func(x Rule) {
		x.ID, x.Version, x.Position = int64(len(rs)+1), 1, len(rs)+1
		rs = append(rs, x)
	}
	general := func(i int) Rule {
		n := fmt.Sprint(i)
		switch i % 10 {
		case 0:
			return rule(0, "company "+n, MatchAll, []Condition{{Field: "billTo.company", Op: OpEquals, Value: "Company " + n}}, set("store", "Store "+n))
		case 1:
			return rule(0, "tag "+n, MatchAll, []Condition{{Field: "tags[]", Op: OpContains, Value: "wholesale-" + n}}, Action{Type: ActExclude, Reason: "wholesale"})
		case 2:
			return rule(0, "state "+n, MatchAll, []Condition{{Field: "shipTo.state", Op: OpInList, Values: []string{"CA", "NV", "OR"}}, {Field: "total", Op: OpGreater, Value: fmt.Sprint(100 + i)}},
				set("class", "West "+n))
		case 3:
			return rule(0, "deposit "+n, MatchAll, nil, Action{Type: ActLookup, Field: "depositAccount", From: "payments[].method",
				Table: []LookupEntry{{Key: "credit_card", Value: "Clearing"}, {Key: "paypal", Value: "PayPal"}}, Default: strp("Undeposited Funds")})
		case 4:
			return rule(0, "number "+n, MatchAll, []Condition{{Field: "number", Op: OpMatches, Value: fmt.Sprintf(`^%d\d+$`, i%9+1)}},
				Action{Type: ActAddPrefix, Field: "refPrefix", Value: "W-"})
		case 5:
			return rule(0, "bulk "+n, MatchAll, []Condition{{Field: "lines[].quantity", Op: OpGreater, Value: fmt.Sprint(20 + i%7)}}, set("lines[].name", "Bulk"))
		case 6:
			return rule(0, "email "+n, MatchAny, []Condition{{Field: "customer.email", Op: OpEndsWith, Value: fmt.Sprintf("@corp%d.example", i)},
				{Field: "billTo.company", Op: OpStartsWith, Value: "ACME " + n}}, set("qbCustomer", "Corporate "+n))
		case 7:
			return rule(0, "item "+n, MatchAll, []Condition{{Field: "lines[].itemName", Op: OpEquals, Value: fmt.Sprintf("Item %d", i*37)}}, set("class", "Featured"))
		case 8:
			return rule(0, "date "+n, MatchAll, []Condition{{Field: "createdAt", Op: OpLess, Value: "2026-01-01"}, {Field: "channel", Op: OpEquals, Value: "woocommerce"}},
				Action{Type: ActAddSuffix, Field: "note", Value: " (old)"})
		default:
			return rule(0, "custom "+n, MatchAll, []Condition{{Field: "custom.gift", Op: OpNotEmpty}, {Field: "shipping.method", Op: OpContains, Value: "express " + n}},
				Action{Type: ActSetFromField, Field: "class", From: "custom.gift"})
		}
	}
	for i := range benchGeneralRules / 2 {
		add(general(i))
	}
	for _, i := range r.Perm(benchSKUMap) {
		add(MapSKU(fmt.Sprintf("SKU-%05d", i), fmt.Sprintf("Item %d", i)))
	}
	for i := benchGeneralRules / 2; i < benchGeneralRules; i++ {
		add(general(i))
	}
	return rs
}

// benchOrdersList draws orders with 1 to 5 lines whose SKUs are mapped five times out of six.
func benchOrdersList() []*orders.Order {
	r := rand.New(rand.NewPCG(3, 4))
	states := []string{"CA", "NY", "TX", "MN", "OR"}
	methods := []string{"credit_card", "paypal", "gift_card"}
	out := make([]*orders.Order, benchOrders)
	for i := range out {
		o := &orders.Order{Channel: "shopify", Number: fmt.Sprint(1000 + i), CreatedAt: time.Date(2026, 1+time.Month(r.IntN(11)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC),
			Customer: orders.Customer{Email: fmt.Sprintf("buyer%d@example.com", r.IntN(5000))},
			BillTo:   orders.Address{Company: fmt.Sprintf("Company %d", r.IntN(400))},
			ShipTo:   orders.Address{State: states[r.IntN(len(states))]},
			Shipping: orders.Shipping{Method: "UPS Ground"},
			Payments: []orders.Payment{{Method: methods[r.IntN(len(methods))], Amount: 5000}},
			Tags:     []string{fmt.Sprintf("wholesale-%d", r.IntN(1000))},
			Total:    orders.Money(r.IntN(50000))}
		for range 1 + r.IntN(5) {
			o.Lines = append(o.Lines, orders.Line{SKU: fmt.Sprintf("SKU-%05d", r.IntN(benchSKUMap*6/5)), Quantity: int64(1 + r.IntN(30)), Name: "Product"})
		}
		out[i] = o
	}
	return out
}

// BenchmarkRules evaluates 200 rules plus a 10 000-entry SKU map over 10 000 orders with the
// compiled evaluator, after timing the naive linear evaluator once over the same orders as
// the baseline. One op is the whole batch of orders.
func BenchmarkRules(b *testing.B) {
	rs, batch := benchRules(), benchOrdersList()
	compiled, naive := compileBoth(b, rs, OrdersToQuickBooks)

	start := time.Now()
	naiveResults := make([]Result, len(batch))
	for i, o := range batch {
		naiveResults[i] = naive.Apply(Clone(o))
	}
	naivePerOrder := float64(time.Since(start)) / float64(len(batch))
	for i, o := range batch { // the two must agree before their speeds mean anything
		if got := compiled.Apply(Clone(o)); !reflect.DeepEqual(got, naiveResults[i]) {
			b.Fatalf("order %d: compiled %+v, naive %+v", i, got, naiveResults[i])
		}
	}

	for b.Loop() {
		for _, o := range batch {
			compiled.Apply(Clone(o))
		}
	}
	evaluated := float64(b.N) * float64(len(batch))
	compiledPerOrder := float64(b.Elapsed()) / evaluated
	b.ReportMetric(naivePerOrder/compiledPerOrder, "x-faster-than-naive")
	benchtab.Report(b, benchtab.Row{Bench: fmt.Sprintf("Rules, %d rules + %s-entry SKU map", benchGeneralRules, benchtab.Count(benchSKUMap)),
		Figure: "evaluation per order", Unit: "µs", Value: compiledPerOrder / 1000, Baseline: naivePerOrder / 1000, Better: benchtab.Lower,
		Note: fmt.Sprintf("%s orders; baseline: naive linear evaluator", benchtab.Count(benchOrders))})
	b.ReportMetric(evaluated/b.Elapsed().Seconds(), "orders/s")
	b.ReportMetric(naivePerOrder, "naive-ns/order")
	b.ReportMetric(compiledPerOrder, "ns/order")
	b.ReportMetric(float64(compiled.Len()), "rules")
}
