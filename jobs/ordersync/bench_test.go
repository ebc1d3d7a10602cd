package ordersync_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/internal/benchtab"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// BenchmarkPullToPosted measures orders from a simulated store (ShipStation) to posted in a
// simulated QuickBooks company through the real client, pipeline, engine and SOAP route: the
// pull (fetch + store + rules + matching + queueing) and the posting (Web Connector sessions).
// The baseline, run in the same process, posts one request per Web Connector round trip.
//
//	LEDGERLINK_BENCH_ORDERS (default 500, 5000 with BENCH_FULL=1)
func BenchmarkPullToPosted(b *testing.B) {
	n := benchtab.Size("LEDGERLINK_BENCH_ORDERS", 500, 5000)
	type result struct {
		name                string
		pull, post          time.Duration
		cpu                 time.Duration
		messageSets, posted int
	}
	run := func(name string, maxBatch int) result {
		f := newFlowTB(b, n, orders.DefaultSettings(), maxBatch)
		var before, after syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		start := time.Now()
		st := f.pull()
		pulled := time.Since(start)
		sets := f.runWebConnector()
		total := time.Since(start)
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		states := f.states()
		if st.New != n || states[db.OrderPosted] != n {
			b.Fatalf("%s: pulled %+v, states %v", name, st, states)
		}
		cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond
		return result{name, pulled, total - pulled, cpu, sets, n}
	}
	for range b.N {
		ours := run("ledgerlink (batched)", 0)
		base := run("baseline (1 request per round trip)", 1)
		perHour := func(r result) float64 { return float64(r.posted) / (r.pull + r.post).Hours() }
		fmt.Printf("\nPull to posted: %d simulated ShipStation orders into a simulated QuickBooks company (no QuickBooks latency)\n", n)
		fmt.Printf("%-38s %12s %12s %14s %14s %16s\n", "", "pull", "post", "orders/hour", "message sets", "CPU/order (all)")
		for _, r := range []result{ours, base} {
			fmt.Printf("%-38s %12s %12s %14.0f %14d %16s\n", r.name, r.pull.Round(time.Millisecond), r.post.Round(time.Millisecond),
				perHour(r), r.messageSets, r.cpu/time.Duration(r.posted))
		}
		fmt.Printf("%-38s %12s %11.2fx %13.2fx %13.1fx fewer\n", "ratio (ledgerlink vs baseline)", "",
			float64(base.post)/float64(ours.post), perHour(ours)/perHour(base), float64(base.messageSets)/float64(ours.messageSets))
		name := fmt.Sprintf("Pull to posted, %s ShipStation orders", benchtab.Count(n))
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "pull + post", Unit: "orders/hour", Value: perHour(ours), Baseline: perHour(base),
			Better: benchtab.Higher, Note: "baseline: 1 request per round trip"})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "pull (fetch, store, rules, queue)", Unit: "s", Value: ours.pull.Seconds(), Better: benchtab.Lower})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "post (Web Connector)", Unit: "s", Value: ours.post.Seconds(), Baseline: base.post.Seconds(), Better: benchtab.Lower})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "message sets", Unit: "sets", Value: float64(ours.messageSets), Baseline: float64(base.messageSets), Better: benchtab.Lower})
	}
}
