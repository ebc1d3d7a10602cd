package qbosim

import (
	"sync"
	"time"
)

// Throttling defaults ("Limits and throttles"): per realm and app.
const (
	DefaultRequestsPerMinute = 500
	DefaultMaxConcurrent     = 10
	DefaultBatchesPerMinute  = 40
)

// throttle counts a company's requests in a sliding minute (Options.Clock)
// and its requests in flight. A refused request does not count.
type throttle struct {
	mu                    sync.Mutex
	perMin, batches, conc int // limits; negative: off
	recent, recentBatches []time.Time
	inflight              int
	stormUntil            time.Time
}

func newThrottle(perMin, batches, conc int) *throttle {
	return &throttle{perMin: perMin, batches: batches, conc: conc}
}

// admit counts one request at now; release must be called when it is answered.
func (t *throttle) admit(now time.Time, isBatch bool) (release func(), ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Before(t.stormUntil) {
		return nil, false
	}
	cut := now.Add(-time.Minute)
	t.recent = dropBefore(t.recent, cut)
	t.recentBatches = dropBefore(t.recentBatches, cut)
	if t.perMin >= 0 && len(t.recent) >= t.perMin {
		return nil, false
	}
	if isBatch && t.batches >= 0 && len(t.recentBatches) >= t.batches {
		return nil, false
	}
	if t.conc >= 0 && t.inflight >= t.conc {
		return nil, false
	}
	t.recent = append(t.recent, now)
	if isBatch {
		t.recentBatches = append(t.recentBatches, now)
	}
	t.inflight++
	var once sync.Once
	return func() {
		once.Do(func() {
			t.mu.Lock()
			t.inflight--
			t.mu.Unlock()
		})
	}, true
}

func dropBefore(ts []time.Time, cut time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	return ts[i:]
}

// ThrottleFor answers every API request with the 429 until Options.Clock
// passes now+d: a throttling storm.
func (s *Server) ThrottleFor(d time.Duration) {
	s.throttle.mu.Lock()
	defer s.throttle.mu.Unlock()
	s.throttle.stormUntil = s.now().Add(d)
}
