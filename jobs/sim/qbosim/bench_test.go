package qbosim

import (
	"fmt"
	"net/url"
	"testing"
)

// BenchmarkSaleWithDuplicateCheck is what a poster does per order: a query by DocNumber, then
// the sales receipt with a requestid. The company grows with b.N, so it shows whether the
// simulator stays usable for a bench of thousands of orders.
func BenchmarkSaleWithDuplicateCheck(b *testing.B) {
	c := startConnected(b, Options{RequestsPerMinute: -1})
	item := c.inventoryItem("Widget", "W", 1e9)
	b.ResetTimer()
	for i := range b.N {
		doc := fmt.Sprintf("B-%d", i)
		c.call("GET", "/query?query="+url.QueryEscape("select * from SalesReceipt where DocNumber = '"+doc+"'"), nil)
		r := c.call("POST", "/salesreceipt?requestid=r-"+doc, map[string]any{"DocNumber": doc, "Line": []any{saleLine(item, 1, 9.99)}})
		if r.status != 200 {
			b.Fatalf("%d %s", r.status, r.body)
		}
	}
}
