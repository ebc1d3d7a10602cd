package shipstationsim

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateLimiter is ShipStation V1's limit: a fixed window per API key pair
// that opens with the first request after the previous one closed.
// Observed behaviour (laravel-shipstation PR #19) is a countdown of
// X-Rate-Limit-Reset and a Remaining that only goes down within a window,
// which a fixed window reproduces and a sliding one would not.
type rateLimiter struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	buckets map[string]*bucket
}

type bucket struct {
	start time.Time
	count int
}

type limitResult struct {
	ok               bool
	limit, remaining int
	reset            int // whole seconds until the window closes
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, buckets: map[string]*bucket{}}
}

// take counts one request for key at now.
func (l *rateLimiter) take(key string, now time.Time) limitResult {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil || !now.Before(b.start.Add(l.window)) {
		b = &bucket{start: now}
		l.buckets[key] = b
	}
	b.count++
	res := limitResult{ok: true, limit: l.limit, reset: ceilSeconds(b.start.Add(l.window).Sub(now))}
	if l.limit < 0 { // disabled
		res.limit = DefaultRateLimit
		res.remaining = DefaultRateLimit
		return res
	}
	res.remaining = max(l.limit-b.count, 0)
	res.ok = b.count <= l.limit
	return res
}

func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

func (r limitResult) setHeaders(h http.Header) {
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(r.limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(r.remaining))
	h.Set("X-Rate-Limit-Reset", strconv.Itoa(r.reset))
}

// writeTooMany writes the 429. ShipStation does not document its body;
// clients must rely on the status and the X-Rate-Limit-Reset header.
func writeTooMany(w http.ResponseWriter) {
	writeMessage(w, http.StatusTooManyRequests, "Too Many Requests")
}
