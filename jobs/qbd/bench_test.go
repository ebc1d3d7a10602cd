package qbd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/internal/benchtab"
)

// TestMain gives the package its database (dbtest) and removes the benchmarks' binary after.
func TestMain(m *testing.M) { dbtest.Main(m, removeSimBinary) }

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchLatency is the simulated QuickBooks' answer latency of the benchmarks:
// LEDGERLINK_BENCH_LATENCY, 50ms by default.
func benchLatency() time.Duration {
	if v, err := time.ParseDuration(os.Getenv("LEDGERLINK_BENCH_LATENCY")); err == nil {
		return v
	}
	return 50 * time.Millisecond
}

var (
	simBinOnce sync.Once
	simBinDir  string
	simBinPath string
	simBinErr  error
)

// simBinary builds the ledgerlink binary the benchmarks run `sim qbd` from, once per test
// process (TestMain removes it): on a loaded machine a link costs tens of seconds, and both
// benchmarks need it.
func simBinary(b *testing.B) string {
	b.Helper()
	simBinOnce.Do(func() {
		simBinDir, simBinErr = os.MkdirTemp("", "ledgerlink-bench-")
		if simBinErr != nil {
			return
		}
		simBinPath = filepath.Join(simBinDir, "ledgerlink")
		if out, err := exec.Command("go", "build", "-o", simBinPath, "github.com/ledgerlink/ledgerlink").CombinedOutput(); err != nil {
			simBinErr = fmt.Errorf("build ledgerlink: %w\n%s", err, out)
		}
	})
	if simBinErr != nil {
		b.Fatal(simBinErr)
	}
	return simBinPath
}

func removeSimBinary() {
	if simBinDir != "" {
		_ = os.RemoveAll(simBinDir)
	}
}

// BenchmarkWebConnector posts queued sales through the real SOAP route to the QuickBooks
// Desktop simulator, which runs as a separate process (`ledgerlink sim qbd`) so this process's
// CPU time is the server's alone. It runs Ledgerlink's batching and, in the same run, the
// baseline of one request per round trip (what common open-source Web Connector servers do),
// and prints both with their ratio.
//
//	LEDGERLINK_BENCH_ORDERS (default 150, 2000 with BENCH_FULL=1), LEDGERLINK_BENCH_LATENCY (default 50ms)
func BenchmarkWebConnector(b *testing.B) {
	orders := benchtab.Size("LEDGERLINK_BENCH_ORDERS", 150, 2000)
	latency := benchLatency()
	bin := simBinary(b)

	type result struct {
		name                                 string
		elapsed, cpu                         time.Duration
		soapCalls, messageSets, posted, docs int
	}
	run := func(name string, maxBatch int) result {
		w := newWorld(b, maxBatch, time.Second)
		w.enqueue(orders)
		docs := orders + 5 + 3 // sales, customers, items
		var before syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		start := time.Now()
		cmd := exec.Command(bin, "sim", "qbd", "-url", w.srv.URL, "-user", w.conn.WCUsername, "-password", w.password,
			"-latency", latency.String(), "-until-done", "-json")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s: sim qbd: %v\n%s", name, err, stderr.String())
		}
		elapsed := time.Since(start)
		var after syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		var rep struct {
			SOAPCalls, MessageSets, RequestsApplied, Transactions int
		}
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			b.Fatalf("%s: report %q: %v", name, stdout.String(), err)
		}
		counts, err := w.d.CountQBDWork(context.Background(), w.conn.AccountID, w.conn.ID)
		if err != nil {
			b.Fatal(err)
		}
		if counts[db.WorkDone] != docs || rep.Transactions != orders {
			b.Fatalf("%s: %d of %d documents done, %d sales in QuickBooks (want %d)", name, counts[db.WorkDone], docs, rep.Transactions, orders)
		}
		cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond
		return result{name, elapsed, cpu, rep.SOAPCalls, rep.MessageSets, orders, docs}
	}

	for range b.N {
		ours := run("ledgerlink (batched)", 0)
		base := run("baseline (1 request per round trip)", 1)
		perHour := func(r result) float64 { return float64(r.posted) / r.elapsed.Hours() }
		trips := func(r result) float64 { return float64(r.soapCalls) / float64(r.posted) }
		cpuPer := func(r result) time.Duration { return r.cpu / time.Duration(r.posted) }
		fmt.Printf("\nWeb Connector: %d orders, QuickBooks latency %s per request\n", orders, latency)
		fmt.Printf("%-38s %14s %18s %16s %12s\n", "", "orders/hour", "round trips/order", "server CPU/order", "wall time")
		for _, r := range []result{ours, base} {
			fmt.Printf("%-38s %14.0f %18.3f %16s %12s\n", r.name, perHour(r), trips(r), cpuPer(r), r.elapsed.Round(time.Millisecond))
		}
		fmt.Printf("%-38s %13.2fx %17.1fx fewer %10.2fx less\n", "ratio (ledgerlink vs baseline)",
			perHour(ours)/perHour(base), trips(base)/trips(ours), float64(cpuPer(base))/float64(cpuPer(ours)))
		name := fmt.Sprintf("Web Connector, %s orders at %s QuickBooks latency", benchtab.Count(orders), latency)
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "throughput", Unit: "orders/hour", Value: perHour(ours), Baseline: perHour(base),
			Better: benchtab.Higher, Note: "baseline: 1 request per round trip"})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "round trips per order", Unit: "trips", Value: trips(ours), Baseline: trips(base), Better: benchtab.Lower})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "server CPU per order", Unit: "ms", Value: msOf(cpuPer(ours)), Baseline: msOf(cpuPer(base)), Better: benchtab.Lower})
	}
}

// BenchmarkWebConnectorDrops posts queued sales through the real SOAP route to the QuickBooks
// Desktop simulator (a separate `ledgerlink sim qbd` process, running sessions back to back)
// while 10 % and 30 % of the answers are lost after QuickBooks applied their message set, and
// prints orders/hour next to the same workload without drops, from the same run. A lost answer
// ends the Web Connector's session; the next one starts at once and reconciles the lost set
// first. The engine's grace is production's (3 minutes), so any wait for it would show.
//
//	LEDGERLINK_BENCH_DROP_ORDERS (default 200, 400 with BENCH_FULL=1), LEDGERLINK_BENCH_LATENCY (default 50ms);
//	message sets of at most 25 requests, so a run has some 10 answers to lose (20 at 400).
func BenchmarkWebConnectorDrops(b *testing.B) {
	orders := benchtab.Size("LEDGERLINK_BENCH_DROP_ORDERS", 200, 400)
	latency := benchLatency()
	bin := simBinary(b)
	type result struct {
		drop                           float64
		elapsed                        time.Duration
		sessions, inDoubt, reconciling int
	}
	run := func(drop float64) result {
		w := newWorld(b, 25, 0)
		w.enqueue(orders)
		start := time.Now()
		cmd := exec.Command(bin, "sim", "qbd", "-url", w.srv.URL, "-user", w.conn.WCUsername, "-password", w.password,
			"-latency", latency.String(), "-until-done", "-json", "-drop", strconv.FormatFloat(drop, 'f', -1, 64))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("drop %.0f%%: sim qbd: %v\n%s", drop*100, err, stderr.String())
		}
		elapsed := time.Since(start)
		var rep struct{ Sessions, InDoubt, Transactions int }
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			b.Fatalf("report %q: %v", stdout.String(), err)
		}
		counts, err := w.d.CountQBDWork(context.Background(), w.conn.AccountID, w.conn.ID)
		if err != nil {
			b.Fatal(err)
		}
		// Exactly once, checked in the simulated company as well as in our queue.
		if rep.Transactions != orders || counts[db.WorkDone] != orders+5+3 {
			b.Fatalf("drop %.0f%%: %d sales in QuickBooks, work %v (want %d sales, all done)", drop*100, rep.Transactions, counts, orders)
		}
		var reconciling int
		if err := dbtest.SQL(b).NewSelect().Model((*db.QBDBatch)(nil)).ColumnExpr("count(*)").
			Where("connection_id = ? AND kind = 'reconcile'", w.conn.ID).Scan(context.Background(), &reconciling); err != nil {
			b.Fatal(err)
		}
		return result{drop, elapsed, rep.Sessions, rep.InDoubt, reconciling}
	}
	for range b.N {
		rows := []result{run(0), run(0.1), run(0.3)}
		base := rows[0]
		perHour := func(r result) float64 { return float64(orders) / r.elapsed.Hours() }
		fmt.Printf("\nWeb Connector with lost answers: %d orders, QuickBooks latency %s per request, sessions back to back\n", orders, latency)
		fmt.Printf("%-22s %12s %10s %14s %16s %10s\n", "answers lost", "orders/hour", "sessions", "answers lost", "reconciliations", "wall time")
		for _, r := range rows {
			fmt.Printf("%-22s %12.0f %10d %14d %16d %10s\n", fmt.Sprintf("%.0f %%", r.drop*100), perHour(r), r.sessions, r.inDoubt, r.reconciling,
				r.elapsed.Round(time.Millisecond))
		}
		for _, r := range rows[1:] {
			fmt.Printf("BENCH wc-drop-%.0f %.0f orders/hour vs %.0f (no drops): %.2fx\n", r.drop*100, perHour(r), perHour(base), perHour(r)/perHour(base))
			b.ReportMetric(perHour(r)/perHour(base), fmt.Sprintf("x-throughput-at-%.0f%%-drops", r.drop*100))
			benchtab.Report(b, benchtab.Row{Bench: fmt.Sprintf("Web Connector with lost answers, %s orders", benchtab.Count(orders)),
				Figure: fmt.Sprintf("throughput, %.0f %% of answers lost", r.drop*100), Unit: "orders/hour", Value: perHour(r), Baseline: perHour(base),
				Better: benchtab.Higher, Note: "baseline: no answer lost"})
		}
	}
}
