// Package storenettest holds what the store clients' tests (shopify, woocommerce, shipstation)
// share: a fake clock that the simulator and the client's Now read and the client's Sleep hook
// advances (other tests use it as any fake clock), a log buffer safe for the logger's concurrent writes, and the check that a text
// carries no credential, the comparison with a golden JSON file, and the check of a filtered
// walk's orders. Like net/http/httptest, it is for tests only.
package storenettest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Clock is a fake clock, safe for concurrent use. Its Sleep is a client's Sleep hook: it
// records each wait and moves the clock on instead of sleeping.
type Clock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

// NewClock returns a Clock reading t0.
func NewClock(t0 time.Time) *Clock { return &Clock{t: t0} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Sleep records d, advances the clock by d and returns ctx's error, as a client's Sleep hook.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	c.Advance(d)
	return ctx.Err()
}

// Waits returns a copy of every duration Sleep was asked for, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// Buffer is a bytes.Buffer safe for the logger's concurrent writes.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// NoSecrets fails t when text (what: "error", "logs") contains any of secrets.
func NoSecrets(t testing.TB, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains the credential %q:\n%s", what, s, text)
		}
	}
}

// GoldenJSON compares v, as indented JSON with a final newline, with the golden file at path;
// with update (the test package's -update flag) it rewrites the file first. what names v in
// the failure message.
func GoldenJSON(t testing.TB, what, path string, v any, update bool) {
	t.Helper()
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, '\n')
	if update {
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("%s: not what %s holds (go test -update rewrites it):\n%s", what, path, out)
	}
}

// FilterResult checks one filtered walk over total orders: want holds the external ids the
// filter should keep, which must be some but not all of them (else the test data does not
// exercise the filter), and got must hold exactly those orders.
func FilterResult(t testing.TB, want map[string]bool, total int, got []orders.Fetched) {
	t.Helper()
	if len(want) == 0 || len(want) == total {
		t.Fatalf("test data does not exercise the filter: %d of %d match", len(want), total)
	}
	gotIDs := map[string]bool{}
	for _, f := range got {
		if !want[f.Order.ExternalID] {
			t.Errorf("order %s (%s, created %s, updated %s) should not match", f.Order.ExternalID, f.Order.Status, f.Order.CreatedAt, f.Order.UpdatedAt)
		}
		gotIDs[f.Order.ExternalID] = true
	}
	for id := range want {
		if !gotIDs[id] {
			t.Errorf("order %s missing", id)
		}
	}
}
