// Package storenettest holds what the store clients' tests (shopify, woocommerce, shipstation)
// share: the simulator a client's tests run against (Env), a fake clock that the simulator and
// the client's Now read and the client's Sleep hook advances (other tests use it as any fake
// clock), a log buffer safe for the logger's concurrent writes, the check that a text carries
// no credential, that an error is of its kind and says enough, the comparison with a golden
// JSON file (of a normalized sample), the money identities of a normalized order, a whole walk
// of a client's orders and the checks of a whole walk, of filtered walks and of a walk over
// broken orders. Like net/http/httptest, it is for tests only.
package storenettest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// AllowPrivateAddresses lets the store clients of the calling test binary reach the
// simulators, which listen on 127.0.0.1: production's HTTP client refuses private addresses
// unless the operator allows them (storenet.AllowPrivateEnv). Call it from TestMain.
func AllowPrivateAddresses() {
	os.Setenv(storenet.AllowPrivateEnv, "1")
}

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

// Env is what a store client's tests run against: a store simulator served on a real listener,
// the fake clock both the simulator and the client read, and the buffer the client logs into.
type Env[S http.Handler] struct {
	Sim   S
	Srv   *httptest.Server
	Clock *Clock
	Logs  *Buffer
}

// NewEnv makes the simulator with newSim, handing it the Now of a clock reading t0, and serves
// it until t ends; then the server is closed, and the simulator too when it has a Close (its
// webhook deliveries).
func NewEnv[S http.Handler](t testing.TB, t0 time.Time, newSim func(now func() time.Time) S) *Env[S] {
	t.Helper()
	e := &Env[S]{Clock: NewClock(t0), Logs: &Buffer{}}
	e.Sim = newSim(e.Clock.Now)
	e.Srv = httptest.NewServer(e.Sim)
	t.Cleanup(func() {
		e.Srv.Close()
		if c, ok := any(e.Sim).(interface{ Close() }); ok {
			c.Close()
		}
	})
	return e
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

// Logger returns a logger writing every level, debug included, as text into s: what a client
// under test logs, for checks such as NoSecrets.
func (s *Buffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(s, &slog.HandlerOptions{Level: slog.LevelDebug}))
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

// NormalizedGolden reads testdata/<name>.sample.json, normalizes it with normalize (into one
// order, or the orders of a page), checks each order's money with check (see CheckAmounts) and
// compares the result with testdata/<name>.golden.json as GoldenJSON does.
func NormalizedGolden[V orders.Order | []orders.Order](t testing.TB, name string, normalize func(json.RawMessage) (V, error), check func(orders.Order) string, update bool) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name+".sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := normalize(raw)
	if err != nil {
		t.Fatal(err)
	}
	what := "normalized orders"
	switch v := any(v).(type) {
	case orders.Order:
		what = "normalized order"
		if msg := check(v); msg != "" {
			t.Error(msg)
		}
	case []orders.Order:
		for _, o := range v {
			if msg := check(o); msg != "" {
				t.Errorf("order %s: %s", o.Number, msg)
			}
		}
	}
	GoldenJSON(t, what, filepath.Join("testdata", name+".golden.json"), v, update)
}

// Amounts says which of CheckAmounts' identities a store's orders hold beyond the common ones.
type Amounts struct {
	// GrossFlag is the Custom key set to "true" on a tax-inclusive order, whose TaxTotal is
	// not added to make Total ("" when the store has none).
	GrossFlag string
	// LineTax: the lines' tax plus the shipping tax make TaxTotal.
	LineTax bool
	// LineDiscounts: the lines' discounts do not exceed DiscountTotal.
	LineDiscounts bool
	// TaxesOptional: Taxes may be empty (the store gave only a total); when not empty they
	// make TaxTotal.
	TaxesOptional bool
}

// CheckAmounts returns a description of the first money identity a normalized order breaks
// ("" when none): Total = Subtotal − DiscountTotal + ShippingTotal (+ TaxTotal unless
// gross), every line's UnitPrice × Quantity − Discount = Total, the lines make Subtotal, the
// discounts DiscountTotal, the taxes TaxTotal, the shipping ShippingTotal, and what a holds.
func CheckAmounts(o orders.Order, a Amounts) string {
	tax := o.TaxTotal
	if a.GrossFlag != "" && o.Custom[a.GrossFlag] == "true" {
		tax = 0
	}
	if got := o.Subtotal - o.DiscountTotal + o.ShippingTotal + tax; got != o.Total {
		return "Subtotal − DiscountTotal + ShippingTotal (+ TaxTotal) = " + got.String() + ", Total = " + o.Total.String()
	}
	var sub, ldisc, disc, taxes, ltax orders.Money
	for _, l := range o.Lines {
		if l.UnitPrice*orders.Money(l.Quantity)-l.Discount != l.Total {
			return "line " + l.SKU + ": UnitPrice × Quantity − Discount ≠ Total"
		}
		sub += l.UnitPrice * orders.Money(l.Quantity)
		ldisc += l.Discount
		ltax += l.Tax
	}
	for _, d := range o.Discounts {
		disc += d.Amount
	}
	for _, x := range o.Taxes {
		taxes += x.Amount
	}
	switch {
	case sub != o.Subtotal:
		return "Σ line UnitPrice × Quantity = " + sub.String() + ", Subtotal = " + o.Subtotal.String()
	case disc != o.DiscountTotal:
		return "Σ Discounts = " + disc.String() + ", DiscountTotal = " + o.DiscountTotal.String()
	case a.LineDiscounts && ldisc > o.DiscountTotal:
		return "Σ line discounts exceed DiscountTotal"
	case (!a.TaxesOptional || len(o.Taxes) > 0) && taxes != o.TaxTotal:
		return "Σ Taxes = " + taxes.String() + ", TaxTotal = " + o.TaxTotal.String()
	case a.LineTax && ltax+o.Shipping.Tax != o.TaxTotal:
		return "Σ line tax + shipping tax = " + (ltax + o.Shipping.Tax).String() + ", TaxTotal = " + o.TaxTotal.String()
	case o.Shipping.Amount != o.ShippingTotal:
		return "Shipping.Amount ≠ ShippingTotal"
	}
	return ""
}

// Walk runs one walk of a client's Orders over q and returns every order delivered, in order,
// and the number of pages; an error of the walk fails t. fetched reads a page's orders.
func Walk[Q, P any](t testing.TB, walk func(context.Context, Q, func(P) error) error, q Q, fetched func(P) []orders.Fetched) ([]orders.Fetched, int) {
	t.Helper()
	var out []orders.Fetched
	pages := 0
	err := walk(context.Background(), q, func(p P) error {
		pages++
		out = append(out, fetched(p)...)
		return nil
	})
	if err != nil {
		t.Fatalf("Orders: %v", err)
	}
	return out, pages
}

// ErrorSays fails t unless err is of kind (errors.Is) and its message names each of says and
// never shows the reply body (which is logged, not shown to users). what names the call.
func ErrorSays(t testing.TB, what string, err, kind error, says ...string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s: got %v, want %v", what, err, kind)
	}
	if strings.Contains(err.Error(), "body:") {
		t.Errorf("%q echoes the reply body", err)
	}
	for _, s := range says {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q does not mention %q", err, s)
		}
	}
}

// Broken is what a walk must deliver for an order a test broke: an error (matching Is when
// set), and the order's id and number as far as they could be read (Number "": not checked).
type Broken struct {
	Is         error
	ID, Number string
}

// MalformedWalk checks got, a walk in wantPages pages over the orders of clean (the same walk
// without tampering) of which those at the indexes of broken were broken: each broken order
// comes with its error, the others normalized, all in clean's order.
func MalformedWalk(t testing.TB, clean, got []orders.Fetched, pages, wantPages int, broken map[int]Broken) {
	t.Helper()
	if pages != wantPages || len(got) != len(clean) {
		t.Fatalf("%d orders in %d pages, want %d in %d", len(got), pages, len(clean), wantPages)
	}
	for i, f := range got {
		b, ok := broken[i]
		if !ok {
			if f.Err != nil || f.Order.ExternalID != clean[i].Order.ExternalID {
				t.Errorf("order %d: %q err %v, want %q", i, f.Order.ExternalID, f.Err, clean[i].Order.ExternalID)
			}
			continue
		}
		if f.Err == nil || (b.Is != nil && !errors.Is(f.Err, b.Is)) || f.Order.ExternalID != b.ID || (b.Number != "" && f.Order.Number != b.Number) {
			t.Errorf("malformed order %d: err %v, id %q, number %q; want %v, %q, %q", i, f.Err, f.Order.ExternalID, f.Order.Number, b.Is, b.ID, b.Number)
		}
	}
}

// AllOnce checks got, a whole walk, against want, every order the store holds: each comes
// exactly once (id is an order's external id) and nothing else does.
func AllOnce[O any](t testing.TB, got []orders.Fetched, want []O, id func(O) string) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range got {
		if seen[f.Order.ExternalID] {
			t.Errorf("order %s delivered twice", f.Order.ExternalID)
		}
		seen[f.Order.ExternalID] = true
	}
	if len(got) != len(want) {
		t.Fatalf("got %d orders, want %d", len(got), len(want))
	}
	for _, o := range want {
		if !seen[id(o)] {
			t.Errorf("order %s missing", id(o))
		}
	}
}

// Filter is one case of Filters: a client's query and which of the store's orders it keeps.
type Filter[Q, O any] struct {
	Query Q
	Keep  func(O) bool
}

// Filters runs one subtest per case: it walks the case's query (walk: a whole walk, as Walk)
// and checks with FilterResult that exactly the orders of all, the store's orders, that the
// case keeps came back (id is an order's external id).
func Filters[Q, O any](t *testing.T, all []O, id func(O) string, walk func(*testing.T, Q) ([]orders.Fetched, int), cases map[string]Filter[Q, O]) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			want := map[string]bool{}
			for _, o := range all {
				if tc.Keep(o) {
					want[id(o)] = true
				}
			}
			got, _ := walk(t, tc.Query)
			FilterResult(t, want, len(all), got)
		})
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
