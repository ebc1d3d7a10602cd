package invpush_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/internal/benchtab"
	"github.com/ledgerlink/ledgerlink/jobs/invpush"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// BenchmarkInventoryPush measures N changed SKUs (default 800, the figure Connex documents as
// taking 30–60 minutes "one by one") from detection — a simulated QuickBooks company read
// through our Web Connector route by invsync (no QuickBooks latency), queueing a target per
// store — to both simulated stores updated,
// through the real clients and the real HTTP stack, under the simulators' real rate limits
// (Shopify: a 1000-point bucket refilled at 50 points/s, waited out in real time; WooCommerce
// has none). Both stores are pushed at once, as two inventory:push tasks would. The baseline,
// in the same run on fresh stores, sends the same quantities one update per request: per SKU a
// look-up and a write, as a one-by-one sync does (its detection is not timed).
//
//	LEDGERLINK_BENCH_SKUS (default 100, 800 with BENCH_FULL=1)
func BenchmarkInventoryPush(b *testing.B) {
	n := benchtab.Size("LEDGERLINK_BENCH_SKUS", 100, 800)
	skus := make([]string, n)
	qty := map[string]int64{}
	for i := range n {
		skus[i] = fmt.Sprintf("WINE-%04d", i)
		qty[skus[i]] = int64(i%50 + 1)
	}
	creds := ordersync.Credentials{AccessToken: "shpat_test", ConsumerKey: "ck_test", ConsumerSecret: "cs_test"}
	type result struct {
		name              string
		wall, detect      time.Duration
		shopReqs, wooReqs int
		shopWall, wooWall time.Duration
	}
	check := func(e *env, name string) {
		for i, s := range skus {
			if shopQty(b, e.shop, s) != i%50+1 || wooQty(b, e.woo, s) != i%50+1 {
				b.Fatalf("%s: %s is Shopify %d, WooCommerce %d, want %d", name, s, shopQty(b, e.shop, s), wooQty(b, e.woo, s), i%50+1)
			}
		}
	}
	shopCount := func(e *env) int {
		t := 0
		for _, c := range e.shop.Requests() {
			t += c
		}
		return t
	}
	ours := func() result {
		e := newEnv(b, shopifysim.Options{}) // the simulator's default bucket: 1000 points, 50/s
		e.addSKUs(b, skus...)
		e.woo.ResetRequests()
		r := result{name: "ledgerlink (batched)"}
		r.detect = detectInto(b, e, qty)
		var wg sync.WaitGroup
		start := time.Now().Add(-r.detect) // the wall runs from the start of detection
		for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
			wg.Go(func() {
				st, err := invpush.Open(c, creds, invpush.StoreOptions{})
				if err != nil {
					b.Error(err)
					return
				}
				t0 := time.Now()
				run, err := invpush.Drain(context.Background(), e.d, e.account, c, st, invpush.Options{})
				if err != nil || run.Pushed != n+3 { // + the seed's three items
					b.Errorf("%s: run %+v, %v", c.Channel, run, err)
				}
				if c.Channel == "shopify" {
					r.shopWall = time.Since(t0)
				} else {
					r.wooWall = time.Since(t0)
				}
			})
		}
		wg.Wait()
		r.wall = time.Since(start)
		r.shopReqs, r.wooReqs = shopCount(e), len(e.woo.Requests())
		check(e, r.name)
		return r
	}
	baseline := func() result {
		e := newEnv(b, shopifysim.Options{})
		e.addSKUs(b, skus...)
		e.woo.ResetRequests()
		r := result{name: "baseline (1 update per request)"}
		sc, err := shopify.New(shopify.Config{BaseURL: e.shopC.BaseURL, AccessToken: creds.AccessToken})
		if err != nil {
			b.Fatal(err)
		}
		wc, err := woocommerce.New(woocommerce.Config{BaseURL: e.wooC.BaseURL, ConsumerKey: creds.ConsumerKey, ConsumerSecret: creds.ConsumerSecret})
		if err != nil {
			b.Fatal(err)
		}
		// oneByOne sets every SKU in a request of its own; set reports whether the store took it.
		oneByOne := func(store string, wall *time.Duration, set func(ctx context.Context, sku string) (ok bool, res any, err error)) {
			t0 := time.Now()
			for _, s := range skus {
				if ok, res, err := set(context.Background(), s); !ok {
					b.Errorf("baseline %s %s: %+v %v", store, s, res, err)
					return
				}
			}
			*wall = time.Since(t0)
		}
		var wg sync.WaitGroup
		start := time.Now()
		wg.Go(func() {
			oneByOne("Shopify", &r.shopWall, func(ctx context.Context, s string) (bool, any, error) {
				res, err := sc.SetInventory(ctx, []shopify.Quantity{{SKU: s, Available: int(qty[s])}})
				return err == nil && res[0].Status == shopify.InventoryOK, res, err
			})
		})
		wg.Go(func() {
			oneByOne("WooCommerce", &r.wooWall, func(ctx context.Context, s string) (bool, any, error) {
				res, err := wc.SetStock(ctx, []woocommerce.Quantity{{SKU: s, Available: int(qty[s])}})
				return err == nil && res[0].Status == woocommerce.StockOK, res, err
			})
		})
		wg.Wait()
		r.wall = time.Since(start)
		r.shopReqs, r.wooReqs = shopCount(e), len(e.woo.Requests())
		check(e, r.name)
		return r
	}
	for range b.N {
		o := ours()
		base := baseline()
		fmt.Printf("\nInventory: %d changed SKUs from detection in a simulated QuickBooks company to a simulated Shopify shop and WooCommerce store\n", n)
		fmt.Printf("(ledgerlink's wall includes detection: %s of Web Connector sessions)\n", o.detect.Round(time.Millisecond))
		fmt.Printf("(real HTTP, Shopify's cost bucket 1000 points at 50/s in real time; Connex documents 30–60 minutes for 800)\n")
		fmt.Printf("%-34s %10s %12s %12s %14s %14s\n", "", "wall", "Shopify", "WooCommerce", "Shopify reqs", "Woo reqs")
		for _, r := range []result{o, base} {
			fmt.Printf("%-34s %10s %12s %12s %14d %14d\n", r.name, r.wall.Round(time.Millisecond), r.shopWall.Round(time.Millisecond),
				r.wooWall.Round(time.Millisecond), r.shopReqs, r.wooReqs)
		}
		fmt.Printf("%-34s %9.1fx %11.1fx %11.1fx %13.1fx %13.1fx fewer\n", "ratio (baseline / ledgerlink)",
			float64(base.wall)/float64(o.wall), float64(base.shopWall)/float64(o.shopWall), float64(base.wooWall)/float64(o.wooWall),
			float64(base.shopReqs)/float64(o.shopReqs), float64(base.wooReqs)/float64(o.wooReqs))
		name := fmt.Sprintf("Inventory push, %s changed SKUs to Shopify and WooCommerce", benchtab.Count(n))
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "wall (ours from detection)", Unit: "s", Value: o.wall.Seconds(), Baseline: base.wall.Seconds(),
			Better: benchtab.Lower, Note: "baseline: one update per request"})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "Shopify requests", Unit: "requests", Value: float64(o.shopReqs), Baseline: float64(base.shopReqs), Better: benchtab.Lower})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "WooCommerce requests", Unit: "requests", Value: float64(o.wooReqs), Baseline: float64(base.wooReqs), Better: benchtab.Lower})
	}
}
