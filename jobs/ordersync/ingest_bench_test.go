package ordersync_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/internal/benchtab"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
)

// statementCounter counts the SQL statements bun runs while on, BEGIN and COMMIT included.
type statementCounter struct {
	on atomic.Bool
	n  atomic.Int64
}

func (c *statementCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	if c.on.Load() {
		c.n.Add(1)
	}
	return ctx
}

func (c *statementCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

var countStatements statementCounter

// counting points the flow's pipeline (and its rules) at a handle that counts statements.
func (f *flow) counting() {
	d := f.d.WithQueryHook(&countStatements)
	f.pipeline.DB, f.pipeline.Rules = d, rules.NewLoader(d)
}

// BenchmarkIngest (issue 15 goal 3) measures storing N new orders as a pull does — raw and
// normalized, decided (status, rules, matching, posting build), queued for QuickBooks, with
// their audit trails — page by page as the ShipStation client delivers them, batched (one
// transaction of a few statements per page) against the one-by-one path it replaced
// (ordersync.Pipeline.IngestOneByOne, kept in a _test.go file as the baseline), in the same run
// on the same orders, read from the simulated store once beforehand. Both must end with the
// same counts. It prints the statements per order (target ≤ 1.5) and the time.
//
//	LEDGERLINK_BENCH_INGEST_ORDERS (default 2000, 5000 with BENCH_FULL=1)
func BenchmarkIngest(b *testing.B) {
	n := benchtab.Size("LEDGERLINK_BENCH_INGEST_ORDERS", 2000, 5000)
	ctx := context.Background()
	type result struct {
		name       string
		took       time.Duration
		statements int64
		st         ordersync.Stats
		states     map[string]int
	}
	for range b.N {
		f := newFlowTB(b, n, orders.DefaultSettings(), 0)
		f.counting()
		src, err := channels.Sources(f.conn.Channel, f.conn.BaseURL, ordersync.Credentials{APIKey: "key", APISecret: "secret"})
		if err != nil {
			b.Fatal(err)
		}
		var pages [][]ordersync.Fetched
		if err := src.Orders(ctx, ordersync.Query{UpdatedFrom: time.Now().AddDate(0, -2, 0), UpdatedTo: time.Now().Add(time.Hour)},
			func(p []ordersync.Fetched) error { pages = append(pages, p); return nil }); err != nil {
			b.Fatal(err)
		}
		run := func(name string, fl *flow, ingest func(context.Context, *db.StoreConnection, []ordersync.Fetched) (ordersync.Stats, error)) result {
			r := result{name: name}
			countStatements.n.Store(0)
			countStatements.on.Store(true)
			start := time.Now()
			for _, p := range pages {
				st, err := ingest(ctx, fl.conn, p)
				if err != nil {
					b.Fatalf("%s: %v", name, err)
				}
				r.st.Add(st)
			}
			r.took = time.Since(start)
			countStatements.on.Store(false)
			r.statements = countStatements.n.Load()
			r.states = fl.states()
			return r
		}
		ours := run("batched (ledgerlink)", f, f.pipeline.Ingest)
		g := newFlowTB(b, 1, orders.DefaultSettings(), 0)
		g.counting()
		base := run("one by one (baseline)", g, g.pipeline.IngestOneByOne)
		for _, r := range []result{ours, base} {
			if r.st.New != n || r.st.Queued != ours.st.Queued || r.states[db.OrderReady] != ours.states[db.OrderReady] {
				b.Fatalf("%s: %+v, states %v; batched: %+v %v", r.name, r.st, r.states, ours.st, ours.states)
			}
		}
		per := func(r result) float64 { return float64(r.statements) / float64(n) }
		fmt.Printf("\nIngest: %d new ShipStation orders in %d pages, stored, decided and queued for QuickBooks (%d queued)\n", n, len(pages), ours.st.Queued)
		fmt.Printf("%-24s %12s %18s %12s\n", "", "time", "statements/order", "orders/s")
		for _, r := range []result{ours, base} {
			fmt.Printf("%-24s %12s %18.2f %12.0f\n", r.name, r.took.Round(time.Millisecond), per(r), float64(n)/r.took.Seconds())
		}
		fmt.Printf("%-24s %11.2fx %17.1fx fewer\n", "ratio", base.took.Seconds()/ours.took.Seconds(), per(base)/per(ours))
		fmt.Printf("BENCH ingest_%d_orders %.3f s vs %.3f s\n", n, ours.took.Seconds(), base.took.Seconds())
		fmt.Printf("BENCH ingest_statements_per_order %.2f statements vs %.2f statements\n", per(ours), per(base))
		name := fmt.Sprintf("Ingest, %s new ShipStation orders", benchtab.Count(n))
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "store, decide and queue", Unit: "s", Value: ours.took.Seconds(), Baseline: base.took.Seconds(),
			Better: benchtab.Lower, Note: "baseline: one order at a time"})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "statements per order", Unit: "statements", Value: per(ours), Baseline: per(base), Better: benchtab.Lower})
		b.ReportMetric(per(ours), "statements/order")
		b.ReportMetric(base.took.Seconds()/ours.took.Seconds(), "x-vs-baseline")
	}
}
