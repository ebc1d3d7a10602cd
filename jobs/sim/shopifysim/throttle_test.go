package shopifysim

import (
	"strings"
	"testing"
	"time"
)

// TestThrottle drains a small bucket and refills it with the fake clock:
// a query over the available points gets HTTP 200 THROTTLED without data
// and succeeds once restoreRate has refilled enough.
func TestThrottle(t *testing.T) {
	h := newHarness(t, Options{BucketSize: 100, RestoreRate: 10})
	h.sim.Generate(60, 1)
	const q = `{ orders(first: 50) { edges { node { id } } } }` // requested = actual = 52

	steps := []struct {
		advance   time.Duration
		throttled bool
		available int // currentlyAvailable in the response
	}{
		{0, false, 48},
		{0, true, 48},
		{300 * time.Millisecond, true, 51},
		{100 * time.Millisecond, false, 0},
		{5 * time.Second, true, 50},
		{200 * time.Millisecond, false, 0},
	}
	for i, st := range steps {
		h.clock.Advance(st.advance)
		r := h.do(q, nil)
		if r.Status != 200 {
			t.Fatalf("step %d: HTTP %d", i, r.Status)
		}
		cost := get(r.Extensions, "cost")
		if got := num(get(cost, "throttleStatus", "currentlyAvailable")); got != st.available {
			t.Errorf("step %d: currentlyAvailable %d, want %d", i, got, st.available)
		}
		if num(get(cost, "requestedQueryCost")) != 52 {
			t.Errorf("step %d: requestedQueryCost %v", i, get(cost, "requestedQueryCost"))
		}
		if !st.throttled {
			r.ok(t)
			if num(get(cost, "actualQueryCost")) != 52 {
				t.Errorf("step %d: actualQueryCost %v", i, get(cost, "actualQueryCost"))
			}
			continue
		}
		if r.Data != nil || len(r.Errors) != 1 || r.Errors[0]["message"] != "Throttled" || get(r.Errors[0], "extensions", "code") != "THROTTLED" {
			t.Errorf("step %d: want THROTTLED without data, got %s", i, r.Raw)
		}
		if get(cost, "actualQueryCost") != nil {
			t.Errorf("step %d: actualQueryCost %v, want null", i, get(cost, "actualQueryCost"))
		}
	}
	if got := h.sim.Log(); !got[1].Throttled || got[0].Throttled || got[3].Throttled {
		t.Errorf("request log throttle flags wrong: %+v", got)
	}
}

// TestThrottleRefund: the difference between requested and actual cost goes
// back into the bucket.
func TestThrottleRefund(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.Generate(4, 1)
	r := h.do(`{ orders(first: 100) { edges { node { id } } } }`, nil).ok(t)
	cost := get(r.Extensions, "cost")
	if num(get(cost, "requestedQueryCost")) != 102 || num(get(cost, "actualQueryCost")) != 6 {
		t.Fatalf("cost = %v", cost)
	}
	if got := num(get(cost, "throttleStatus", "currentlyAvailable")); got != 1000-6 {
		t.Errorf("currentlyAvailable %d, want 994", got)
	}
}

func TestMaxQueryCost(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do(`{ orders(first: 250) { edges { node { lineItems(first: 10) { edges { node { sku } } } } } } }`, nil)
	if r.Status != 200 || r.Data != nil || len(r.Errors) != 1 {
		t.Fatalf("want a single error without data: %s", r.Raw)
	}
	e := r.Errors[0]
	if get(e, "extensions", "code") != "MAX_COST_EXCEEDED" || num(get(e, "extensions", "cost")) != 2+250*13 || num(get(e, "extensions", "maxCost")) != 1000 {
		t.Errorf("extensions = %v", e["extensions"])
	}
	if msg, _ := e["message"].(string); !strings.HasPrefix(msg, "Query cost is 3252, which exceeds the single query max cost limit (1000).") {
		t.Errorf("message = %q", msg)
	}
	if _, avail, _ := h.sim.ThrottleStatus(); avail != 1000 {
		t.Errorf("a refused query took points: %v left", avail)
	}
}

func TestSetAvailableAndForcedThrottle(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.SetAvailable(0)
	r := h.do(`{ shop { name } }`, nil)
	if len(r.Errors) != 1 || get(r.Errors[0], "extensions", "code") != "THROTTLED" {
		t.Fatalf("empty bucket: %s", r.Raw)
	}
	h.clock.Advance(20 * time.Millisecond) // 1 point
	h.do(`{ shop { name } }`, nil).ok(t)

	h.sim.FailNext(1, Fault{Throttle: true})
	r = h.do(`{ shop { name } }`, nil)
	if r.Status != 200 || len(r.Errors) != 1 || get(r.Errors[0], "extensions", "code") != "THROTTLED" || num(get(r.Extensions, "cost", "requestedQueryCost")) != 1 {
		t.Fatalf("forced throttle: %s", r.Raw)
	}
	h.clock.Advance(time.Second)
	h.do(`{ shop { name } }`, nil).ok(t)
}
