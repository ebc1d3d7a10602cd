package shopify_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/internal/benchtab"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

// BenchmarkShopifyBackfill (issue 15 goal 2) pulls the same N orders of a simulated shop
// (Shopify's standard bucket: 1 000 points, 50 restored per second) through the real client
// twice in one run: with one bulk operation (bulkOperationRunQuery, status polls, the JSONL
// file) and with the paged query, which Shopify's 1 000-point limit holds to a few orders per
// request. Shopify's waits — the cost bucket's for the paged walk, the status polls' for the
// bulk operation (the simulated operation answers RUNNING to 3 status reads: 250 ms + 500 ms
// + 1 s of polling) — are counted on a simulated clock rather than slept; the time printed is the
// measured work plus those waits.
//
//	BENCH_FULL=1: 10 000 orders (default 2 000)
func BenchmarkShopifyBackfill(b *testing.B) {
	n := 2000
	if os.Getenv("BENCH_FULL") == "1" {
		n = 10000
	}
	type result struct {
		name     string
		orders   int
		requests int
		work     time.Duration
		waits    time.Duration
	}
	run := func(name string, bulk bool) result {
		clock := storenettest.NewClock(time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC))
		sim := shopifysim.New(shopifysim.Options{Clock: clock.Now, BulkRunningReads: 3})
		defer sim.Close()
		sim.Generate(n, 42)
		srv := httptest.NewServer(sim)
		defer srv.Close()
		c, err := shopify.New(shopify.Config{BaseURL: srv.URL, AccessToken: sim.AccessToken(), HTTPClient: srv.Client(),
			Sleep: clock.Sleep, Now: clock.Now})
		if err != nil {
			b.Fatal(err)
		}
		r := result{name: name}
		start := time.Now()
		err = c.Orders(context.Background(), shopify.Query{Bulk: bulk}, func(p shopify.Page) error { r.orders += len(p.Orders); return nil })
		r.work = time.Since(start)
		if err != nil || r.orders != n {
			b.Fatalf("%s: %d orders, %v", name, r.orders, err)
		}
		for _, w := range clock.Waits() {
			r.waits += w
		}
		r.requests = len(sim.Log())
		return r
	}
	for range b.N {
		bulk := run("bulk operation", true)
		paged := run("paged query (baseline)", false)
		total := func(r result) time.Duration { return r.work + r.waits }
		fmt.Printf("\nShopify backfill: %d orders from a simulated shop (bucket 1000 points, 50/s)\n", n)
		fmt.Printf("%-24s %10s %14s %14s %14s %12s\n", "", "requests", "work", "Shopify waits", "total", "orders/s")
		for _, r := range []result{bulk, paged} {
			fmt.Printf("%-24s %10d %14s %14s %14s %12.0f\n", r.name, r.requests, r.work.Round(time.Millisecond), r.waits.Round(time.Millisecond),
				total(r).Round(time.Millisecond), float64(r.orders)/total(r).Seconds())
		}
		ratio := total(paged).Seconds() / total(bulk).Seconds()
		fmt.Printf("%-24s %9.1fx fewer %39.1fx faster\n", "ratio", float64(paged.requests)/float64(bulk.requests), ratio)
		fmt.Printf("BENCH shopify_backfill_%d_orders %.2f s vs %.2f s\n", n, total(bulk).Seconds(), total(paged).Seconds())
		b.ReportMetric(ratio, "x-vs-paged")
		name := fmt.Sprintf("Shopify backfill, %s orders", benchtab.Count(n))
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "bulk operation (work + Shopify's waits)", Unit: "s", Value: total(bulk).Seconds(),
			Baseline: total(paged).Seconds(), Better: benchtab.Lower, Note: "baseline: the paged query"})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "requests", Unit: "requests", Value: float64(bulk.requests), Baseline: float64(paged.requests), Better: benchtab.Lower})
	}
}
