package woocommerce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

func TestSetStockPerSKU(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	if err := e.Sim.SeedCatalog(); err != nil {
		t.Fatal(err)
	}
	qs := []woocommerce.Quantity{
		{SKU: "TSHIRT-ORG-WHT", Available: 77},   // simple
		{SKU: "HOODIE-MER-NVY-M", Available: 4},  // variation with its own stock
		{SKU: "MATCHA-100G", Available: 1},       // superseded by the later entry
		{SKU: "hoodie-mer-hgr-l", Available: 11}, // SKU case differs
		{SKU: "TRS-100-42", Available: 9},        // variation using its parent's stock
		{SKU: "GC-50", Available: 5},             // stock not managed
		{SKU: "NO-SUCH-SKU", Available: 3},       // unknown
		{SKU: "MATCHA-100G", Available: 61},      // wins
		{SKU: "", Available: 1},                  // empty
		{SKU: "bw-3pk", Available: -2},           // negative (oversold) is allowed
	}
	res, err := e.client.SetStock(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		status woocommerce.StockStatus
		msg    string
	}{
		{woocommerce.StockOK, ""},
		{woocommerce.StockOK, ""},
		{woocommerce.StockError, "superseded"},
		{woocommerce.StockOK, ""},
		{woocommerce.StockError, "parent product"},
		{woocommerce.StockError, "does not manage stock"},
		{woocommerce.StockUnknownSKU, ""},
		{woocommerce.StockOK, ""},
		{woocommerce.StockError, "empty SKU"},
		{woocommerce.StockOK, ""},
	}
	for i, w := range want {
		if res[i].SKU != qs[i].SKU || res[i].Status != w.status || !strings.Contains(res[i].Message, w.msg) {
			t.Errorf("result %d = %+v, want %s %q", i, res[i], w.status, w.msg)
		}
	}
	for sku, n := range map[string]int{"TSHIRT-ORG-WHT": 77, "HOODIE-MER-NVY-M": 4, "HOODIE-MER-HGR-L": 11, "MATCHA-100G": 61, "BW-3PK": -2, "TRS-100-42": 25} {
		if got, ok := e.Sim.StockOf(sku); !ok || got != n {
			t.Errorf("stock of %s = %d (%v), want %d", sku, got, ok, n)
		}
	}
	if res[1].VariationID == 0 || res[1].ProductID == 0 {
		t.Errorf("variation result lacks ids: %+v", res[1])
	}
}

func TestSetStockBatchesAndSplits(t *testing.T) {
	e := newEnv(t, woosim.Options{BatchLimit: 40}) // a host that refuses more than 40 items
	var qs []woocommerce.Quantity
	for i := range 130 {
		n := 10
		p, err := e.Sim.AddProduct(woosim.Product{Name: fmt.Sprintf("Bulk %d", i), SKU: fmt.Sprintf("BULK-%03d", i), RegularPrice: "1.00", ManageStock: true, StockQuantity: &n})
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, woocommerce.Quantity{SKU: p.SKU, Available: 100 + i})
	}
	res, err := e.client.SetStock(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Status != woocommerce.StockOK {
			t.Fatalf("result %d = %+v", i, r)
		}
		if got, _ := e.Sim.StockOf(qs[i].SKU); got != qs[i].Available {
			t.Fatalf("stock of %s = %d, want %d", qs[i].SKU, got, qs[i].Available)
		}
	}
	var sizes []int
	for _, r := range e.Sim.Requests() {
		if strings.HasSuffix(r.Path, "/products/batch") {
			sizes = append(sizes, strings.Count(string(r.Body), `"id"`))
			if len(sizes) > 20 {
				break
			}
		}
	}
	// 100 + 30 sent; the 100 is refused (413) and halved until it fits.
	want := []int{100, 50, 25, 25, 50, 25, 25, 30}
	if fmt.Sprint(sizes) != fmt.Sprint(want) {
		t.Errorf("batch sizes %v, want %v", sizes, want)
	}
}

func TestSetStockReadOnlyKey(t *testing.T) {
	e := newEnv(t, woosim.Options{KeyPermissions: "read"})
	if err := e.Sim.SeedCatalog(); err != nil {
		t.Fatal(err)
	}
	res, err := e.client.SetStock(context.Background(), []woocommerce.Quantity{{SKU: "CPD-01", Available: 3}})
	if !errors.Is(err, woocommerce.ErrUnauthorized) || !strings.Contains(err.Error(), "write permissions") || !strings.Contains(err.Error(), "Read/Write") {
		t.Fatalf("err = %v", err)
	}
	if res[0].Status != woocommerce.StockError || !strings.HasPrefix(res[0].Message, "not done") {
		t.Errorf("result = %+v", res[0])
	}
}

func TestVerifyWebhook(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	e.generate(t, 3, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer receiver.Close()
	const secret = "s3cr&amp;t-with-entity"
	if _, err := e.Sim.AddWebhook(woosim.Webhook{Name: "ledgerlink", Topic: "order.updated", DeliveryURL: receiver.URL, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	id := e.Sim.Orders()[0].ID
	if _, err := e.Sim.UpdateOrder(id, func(o *woosim.Order) { o.Status = "completed" }); err != nil {
		t.Fatal(err)
	}
	e.Sim.WaitWebhooks()
	var d *woosim.WebhookDelivery
	for _, x := range e.Sim.WebhookDeliveries() {
		if x.Topic == "order.updated" {
			d = &x
		}
	}
	if d == nil {
		t.Fatal("no order.updated delivery")
	}
	sig := d.Header.Get(woocommerce.SignatureHeader)
	if !woocommerce.VerifyWebhook(d.Body, sig, secret) {
		t.Error("genuine delivery did not verify (secret as stored)")
	}
	if !woocommerce.VerifyWebhook(d.Body, sig, "s3cr&t-with-entity") {
		t.Error("genuine delivery did not verify (secret as typed)")
	}
	tampered := append([]byte(nil), d.Body...)
	tampered[len(tampered)/2] ^= 1
	for name, ok := range map[string]bool{
		"tampered body": woocommerce.VerifyWebhook(tampered, sig, secret),
		"wrong secret":  woocommerce.VerifyWebhook(d.Body, sig, "other"),
		"empty header":  woocommerce.VerifyWebhook(d.Body, "", secret),
		"empty secret":  woocommerce.VerifyWebhook(d.Body, sig, ""),
		"garbage":       woocommerce.VerifyWebhook(d.Body, "not base64!", secret),
	} {
		if ok {
			t.Errorf("%s verified", name)
		}
	}
	hooked, err := woocommerce.Normalize(d.Body)
	if err != nil {
		t.Fatalf("webhook body does not normalize: %v", err)
	}
	f, err := e.client.Order(context.Background(), hooked.ExternalID)
	if err != nil || f.Order.ExternalID != hooked.ExternalID || f.Order.Status != "completed" || f.Order.Total != hooked.Total {
		t.Errorf("Order(%s) = %+v, %v", hooked.ExternalID, f.Order, err)
	}
	if _, err := e.client.Order(context.Background(), "987654"); !errors.Is(err, woocommerce.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
}

// TestStockSaysWhatTheStoreCounts: Stock reports the stock of products and variations whose
// stock WooCommerce manages (a variation using its parent's stock reports the parent's), marks
// products without stock management untracked and virtual ones as not shipped; quantities are
// the seed catalog's (sim generate.go), written here by hand.
func TestStockSaysWhatTheStoreCounts(t *testing.T) {
	e := newEnv(t, woosim.Options{})
	if err := e.Sim.SeedCatalog(); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.Stock(context.Background(), []string{"TSHIRT-ORG-WHT", "HOODIE-MER-NVY-M", "TRS-100-42", "GC-50", "NO-SUCH-SKU"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]orders.StockLevel{
		"TSHIRT-ORG-WHT":   {Quantity: 120, Tracked: true, Shipped: true},
		"HOODIE-MER-NVY-M": {Quantity: 12, Tracked: true, Shipped: true},
		"TRS-100-42":       {Quantity: 25, Tracked: true, Shipped: true}, // the parent's stock
		"GC-50":            {Tracked: false, Shipped: false},             // virtual, stock not managed
	}
	if len(got) != len(want) {
		t.Errorf("got %d SKUs %v, want %d (unknown SKUs absent)", len(got), got, len(want))
	}
	for sku, w := range want {
		if got[sku] != w {
			t.Errorf("%s: %+v, want %+v", sku, got[sku], w)
		}
	}
}
