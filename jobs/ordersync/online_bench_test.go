package ordersync_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/internal/benchtab"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

// BenchmarkQuickBooksOnlinePosting measures orders per hour into QuickBooks Online under its
// limits (500 requests a minute, 10 at once, 40 batches a minute, enforced by the simulator and
// kept by our Redis limiter): pulled ShipStation orders posted by the real poster, client and
// limiter into the QuickBooks Online simulator. Time is the run's own plus every wait the
// limits imposed (on the shared fake clock, so the limits cost what they would, without
// sleeping). The baseline, in the same run, sends one request per sale (POST /salesreceipt,
// its look-ups per sale too) instead of batches of 30.
//
//	LEDGERLINK_BENCH_QBO_ORDERS (default 1500, 6000 with BENCH_FULL=1): more than one minute of the batch allowance (40 × 30), so the limit shows
func BenchmarkQuickBooksOnlinePosting(b *testing.B) {
	n := benchtab.Size("LEDGERLINK_BENCH_QBO_ORDERS", 1500, 6000)
	type result struct {
		name             string
		took, waited     time.Duration
		requests, posted int
	}
	run := func(name string, batch int) result {
		f := newOnlineFlow(b, orders.DefaultSettings())
		f.pipeline.OnlineBatch = batch
		store := shipstationsim.New(shipstationsim.Options{APIKey: "key", APISecret: "secret", RateLimit: -1, Seed: 21})
		store.Generate(n, 21)
		srv := httptest.NewServer(store)
		defer srv.Close()
		if st := f.pullChannel("shipstation", srv.URL, ordersync.Credentials{APIKey: "key", APISecret: "secret"}); st.New != n {
			b.Fatalf("%s: pulled %+v", name, st)
		}
		before, fake0, start := f.sim.Counts(), f.clock.Now(), time.Now()
		if errs := f.post(); len(errs) > 0 {
			b.Fatalf("%s: %v", name, errs)
		}
		took, waited := time.Since(start), f.clock.Now().Sub(fake0)
		states := f.states()
		after := f.sim.Counts()
		if states[db.OrderPosted] != n || after.Throttled != before.Throttled {
			b.Fatalf("%s: states %v, %d throttled", name, states, after.Throttled-before.Throttled)
		}
		return result{name, took, waited, after.Requests - before.Requests, n}
	}
	for range b.N {
		ours := run("ledgerlink (batches of 30)", 0)
		base := run("baseline (1 request per sale)", 1)
		perHour := func(r result) float64 { return float64(r.posted) / (r.took + r.waited).Hours() }
		fmt.Printf("\nInto QuickBooks Online: %d simulated ShipStation orders, under 500 requests/min, 10 concurrent, 40 batches/min\n", n)
		fmt.Printf("%-32s %10s %14s %14s %12s\n", "", "run", "limit waits", "orders/hour", "requests")
		for _, r := range []result{ours, base} {
			fmt.Printf("%-32s %10s %14s %14.0f %12d\n", r.name, r.took.Round(time.Millisecond), r.waited.Round(time.Second), perHour(r), r.requests)
		}
		name := fmt.Sprintf("Into QuickBooks Online, %s ShipStation orders", benchtab.Count(n))
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "post under Intuit's limits", Unit: "orders/hour", Value: perHour(ours), Baseline: perHour(base),
			Better: benchtab.Higher, Note: "baseline: 1 request per sale"})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "requests to QuickBooks Online", Unit: "requests", Value: float64(ours.requests),
			Baseline: float64(base.requests), Better: benchtab.Lower})
	}
}
