// Package benchtab collects the figures of `make bench` into one summary table. A benchmark
// calls Report for each figure it wants in the table (ours next to the baseline measured in the
// same run); `make bench` points LEDGERLINK_BENCH_SUMMARY at a file, runs the benchmarks, and
// prints the file with cmd/benchtab. Sizes come from Size: small by default, so that `make
// bench` stays within minutes, the long ones with BENCH_FULL=1.
package benchtab

import (
	"encoding/json"
	"os"
	"strconv"
	"sync"
	"testing"
)

// EnvFile names the file Report appends to; unset, Report only reports the metric to b.
const EnvFile = "LEDGERLINK_BENCH_SUMMARY"

// Better says which way a figure improves.
type Better string

const (
	Higher Better = "higher" // throughput: orders/hour
	Lower  Better = "lower"  // a duration, a count of requests or statements
)

// Row is one figure of the summary: Value is ours, Baseline the same figure of the old or naive
// path measured in the same run (0 when there is none), Unit what both are in.
type Row struct {
	Bench    string  `json:"bench"`  // the benchmark, e.g. "GraphQL 200 000 orders"
	Figure   string  `json:"figure"` // what was measured, e.g. "orders first page p99"
	Unit     string  `json:"unit"`   // e.g. "ms", "orders/hour"
	Value    float64 `json:"value"`
	Baseline float64 `json:"baseline,omitempty"`
	Better   Better  `json:"better"`
	Note     string  `json:"note,omitempty"` // e.g. the size, "BENCH_FULL=1 for 1 000 000"
}

// Ratio is how many times better Value is than Baseline (above 1: better), 0 without a baseline.
func (r Row) Ratio() float64 {
	switch {
	case r.Baseline == 0 || r.Value == 0:
		return 0
	case r.Better == Lower:
		return r.Baseline / r.Value
	default:
		return r.Value / r.Baseline
	}
}

var mu sync.Mutex

// Report adds r to the summary file (when `make bench` set one) and reports Value as a metric
// of b (unit "<unit>:<figure>", so go test's own line shows it too).
func Report(b testing.TB, r Row) {
	b.Helper()
	if bb, ok := b.(*testing.B); ok {
		bb.ReportMetric(r.Value, metricUnit(r))
	}
	path := os.Getenv(EnvFile)
	if path == "" {
		return
	}
	line, err := json.Marshal(r)
	if err != nil {
		b.Fatalf("benchtab: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	// One write per row with O_APPEND: packages run in parallel and append to the same file.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		b.Fatalf("benchtab: %v", err)
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		b.Fatalf("benchtab: %v", err)
	}
}

func metricUnit(r Row) string {
	u := r.Unit + ":" + r.Figure
	out := make([]rune, 0, len(u))
	for _, c := range u { // go test's metric units may not hold white space
		if c == ' ' || c == '\t' {
			c = '_'
		}
		out = append(out, c)
	}
	return string(out)
}

// Full reports whether BENCH_FULL=1 asks for the long sizes.
func Full() bool { return os.Getenv("BENCH_FULL") == "1" }

// Size returns the size a benchmark runs at: env's value when set to a positive number (a
// benchmark's own knob, e.g. LEDGERLINK_BENCH_ORDERS), else full under BENCH_FULL=1, else small.
func Size(env string, small, full int) int {
	if v, err := strconv.Atoi(os.Getenv(env)); env != "" && err == nil && v > 0 {
		return v
	}
	if Full() {
		return full
	}
	return small
}

// Count formats n with a space between thousands ("200 000"), for figures' names.
func Count(n int) string {
	s := strconv.Itoa(n)
	out := ""
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out += " "
		}
		out += string(c)
	}
	return out
}
