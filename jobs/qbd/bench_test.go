package qbd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	latency := 50 * time.Millisecond
	if v, err := time.ParseDuration(os.Getenv("LEDGERLINK_BENCH_LATENCY")); err == nil {
		latency = v
	}
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
		counts, err := w.d.CountQBDWork(context.Background(), w.conn.ID)
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
