// Package specs finds the reference material tests check against: shared/specs, the published
// samples, schemas and docs of the systems Ledgerlink talks to (checked out beside the
// repository, as in CI). Tests only; nothing here runs in the server.
package specs

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Dir returns the shared/specs directory: $LEDGERLINK_SPECS_DIR when set, else the first
// shared/specs found walking up from the working directory (a package directory under
// go test). It fails tb when neither exists: a test meant to check against the specs must not
// pass silently without them.
func Dir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("LEDGERLINK_SPECS_DIR"); d != "" {
		if isDir(d) {
			return d
		}
		tb.Fatalf("LEDGERLINK_SPECS_DIR=%s is not a directory", d)
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if d := filepath.Join(dir, "shared", "specs"); isDir(d) {
			return d
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	tb.Fatalf("shared/specs not found above %s: check out shared/ beside the repository or set LEDGERLINK_SPECS_DIR", wd)
	return ""
}

// Files returns the contents of the spec files matching each glob pattern (relative to
// shared/specs, e.g. "shopify/rest-fixtures-*/order*.json"), keyed by relative path. A pattern
// matching nothing fails tb, so a moved sample is noticed rather than fuzzed without.
func Files(tb testing.TB, patterns ...string) map[string][]byte {
	tb.Helper()
	dir := Dir(tb)
	out := map[string][]byte{}
	for _, p := range patterns {
		matches, err := filepath.Glob(filepath.Join(dir, p))
		if err != nil {
			tb.Fatalf("spec pattern %q: %v", p, err)
		}
		if len(matches) == 0 {
			tb.Fatalf("spec pattern %q matches no file under %s", p, dir)
		}
		for _, m := range matches {
			b, err := os.ReadFile(m)
			if err != nil {
				tb.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, m)
			out[rel] = b
		}
	}
	return out
}

// Sorted returns m's values ordered by key, so seeds are added in a stable order.
func Sorted(m map[string][]byte) [][]byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Objects returns, re-encoded, every JSON object nested anywhere in doc (doc itself included)
// that has at least one of the keys: e.g. the orders inside a list or batch response, or an
// {"order": {…}} wrapper. Text that is not JSON gives nothing.
func Objects(doc []byte, keys ...string) [][]byte {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber() // keep numbers' text: ids and amounts re-encode exactly
	var v any
	if d.Decode(&v) != nil {
		return nil
	}
	var out [][]byte
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range keys {
				if _, ok := x[k]; ok {
					b, _ := json.Marshal(x)
					out = append(out, b)
					break
				}
			}
			names := make([]string, 0, len(x))
			for k := range x {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}
