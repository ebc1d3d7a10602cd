package qbd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/internal/benchtab"
)

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
	latency := 50 * time.Millisecond
	if v, err := time.ParseDuration(os.Getenv("LEDGERLINK_BENCH_LATENCY")); err == nil {
		latency = v
	}
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
		counts, err := w.d.CountQBDWork(context.Background(), w.conn.ID)
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
