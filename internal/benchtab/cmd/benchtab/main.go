// Command benchtab prints the summary table of `make bench`: every row benchmarks appended with
// benchtab.Report to the file named on the command line, grouped by benchmark in the order they
// arrived, each figure next to its baseline and the ratio (above 1: ours is better).
//
//	go run ./internal/benchtab/cmd/benchtab rows.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/ledgerlink/ledgerlink/internal/benchtab"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtab rows.jsonl")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtab:", err)
		os.Exit(1)
	}
	defer f.Close()
	rows, err := read(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtab:", err)
		os.Exit(1)
	}
	write(os.Stdout, rows)
}

// read parses one JSON row per line; blank lines are skipped, a bad line is an error.
func read(r io.Reader) ([]benchtab.Row, error) {
	var rows []benchtab.Row
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var row benchtab.Row
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		rows = append(rows, row)
	}
	return rows, sc.Err()
}

// write prints rows grouped by benchmark (first appearance order), one line per figure.
func write(w io.Writer, rows []benchtab.Row) {
	var order []string
	byBench := map[string][]benchtab.Row{}
	for _, r := range rows {
		if _, ok := byBench[r.Bench]; !ok {
			order = append(order, r.Bench)
		}
		byBench[r.Bench] = append(byBench[r.Bench], r)
	}
	const format = "%-44s %14s %14s %-12s %9s  %s\n"
	fmt.Fprintf(w, "\nSummary (ratio above 1x: ours is better than the baseline of the same run)\n")
	fmt.Fprintf(w, format, "figure", "ours", "baseline", "unit", "ratio", "note")
	for _, b := range order {
		fmt.Fprintf(w, "%s\n", b)
		for _, r := range byBench[b] {
			base, ratio := "-", "-"
			if r.Baseline != 0 {
				base = num(r.Baseline)
			}
			if x := r.Ratio(); x != 0 {
				ratio = strconv.FormatFloat(x, 'f', ratioDigits(x), 64) + "x"
			}
			fmt.Fprintf(w, format, "  "+r.Figure, num(r.Value), base, r.Unit, ratio, r.Note)
		}
	}
	if len(rows) == 0 {
		fmt.Fprintln(w, "(no figures: did the benchmarks run?)")
	}
}

// num prints a figure with as many decimals as its size needs.
func num(v float64) string {
	switch {
	case v >= 1000:
		return benchtab.Count(int(v + 0.5))
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func ratioDigits(x float64) int {
	if x >= 10 {
		return 0
	}
	return 1
}
