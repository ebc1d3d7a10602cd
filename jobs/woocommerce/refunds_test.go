package woocommerce_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/internal/specs"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// TestRefundsFromTheDocsSample: order 723 of the REST docs' "List all orders" sample lists
// refunds 726 (-10.00) and 724 (-9.00) and was never paid. Each becomes a refund without lines
// whose whole amount is its adjustment, dated by the order's last change, with nothing sent back.
func TestRefundsFromTheDocsSample(t *testing.T) {
	doc := specs.Files(t, "woocommerce/samples-extracted/orders.list-all-orders.response.json")
	var list []json.RawMessage
	for _, b := range doc {
		if err := json.Unmarshal(b, &list); err != nil {
			t.Fatal(err)
		}
	}
	var got []orders.Refund
	for _, raw := range list {
		o, err := woocommerce.Normalize(raw)
		if err != nil {
			t.Fatal(err)
		}
		if o.ExternalID == "723" {
			got = o.Refunds
		}
	}
	modified := time.Date(2017, 3, 21, 19, 54, 51, 0, time.UTC)
	want := []orders.Refund{
		{ID: "726", CreatedAt: modified, Adjustment: 1000, Total: 1000},
		{ID: "724", CreatedAt: modified, Adjustment: 900, Total: 900},
	}
	if len(got) != len(want) {
		t.Fatalf("refunds %+v, want %+v", got, want)
	}
	for i := range want {
		if g, w := got[i], want[i]; g.ID != w.ID || !g.CreatedAt.Equal(w.CreatedAt) || g.Adjustment != w.Adjustment || g.Total != w.Total ||
			g.Refunded != 0 || len(g.Lines) != 0 {
			t.Errorf("refund %d: %+v, want %+v", i, g, w)
		}
	}
}
