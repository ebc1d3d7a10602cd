package qbo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Limits are QuickBooks Online's throttles per company (realm) and app
// (https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles).
type Limits struct {
	PerMinute      int // requests per minute (500)
	Concurrent     int // requests under way at once (10)
	BatchPerMinute int // batch requests per minute (40)
}

// DefaultLimits are Intuit's.
var DefaultLimits = Limits{PerMinute: 500, Concurrent: 10, BatchPerMinute: 40}

// Limiter keeps every process's calls to one company within its Limits. It lives in Redis, not
// in the process: any number of workers post for the same company (README "Running N
// replicas"), and a limit kept per process would let N of them send N times the allowance and
// turn it into 429s. Each call takes a place in a sliding one-minute window of requests (and of
// batches) and a lease among the concurrent ones; the lease ends when the answer has been read,
// or after LeaseTime should its process die first. A call that finds no room waits until
// there is, so a throttle delays work and never drops it.
type Limiter struct {
	Redis  redis.UniversalClient
	Limits Limits
	// Now and Sleep are the clock (default time.Now and a timer); tests move a fake one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// LeaseTime bounds how long a concurrent place is held by a call whose process vanished
	// (default 150 s: Intuit ends requests after 120 s).
	LeaseTime time.Duration
}

// NewLimiter is a Limiter of Intuit's limits on rdb.
func NewLimiter(rdb redis.UniversalClient) *Limiter {
	return &Limiter{Redis: rdb, Limits: DefaultLimits}
}

// limitScript takes a place for one call if the company has room, and answers 0; otherwise it
// takes nothing and answers how many milliseconds to wait before asking again.
// KEYS: requests window, batches window, concurrent leases (sorted sets scored in ms).
// ARGV: now, window, per minute, batches per minute, concurrent, is batch (1/0), member, lease.
var limitScript = redis.NewScript(`
local now, win = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - win)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - win)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local function oldest(key)
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tonumber(first[2])
end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then
  return math.max(1, math.min(oldest(KEYS[3]) - now, 100))
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return math.max(1, oldest(KEYS[1]) + win - now)
end
if ARGV[6] == '1' and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  return math.max(1, oldest(KEYS[2]) + win - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[7])
redis.call('PEXPIRE', KEYS[1], win * 2)
if ARGV[6] == '1' then
  redis.call('ZADD', KEYS[2], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[2], win * 2)
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[8]), ARGV[7])
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[8]) * 2)
return 0
`)

func limitKeys(realm string) []string {
	p := "ledgerlink:qbo:limit:" + realm + ":"
	return []string{p + "requests", p + "batches", p + "inflight"}
}

// Acquire waits until company realm has room for one more call (a batch when batch is true)
// and takes it; release gives the concurrent place back.
func (l *Limiter) Acquire(ctx context.Context, realm string, batch bool) (release func(), err error) {
	var b [12]byte
	_, _ = rand.Read(b[:])
	member := hex.EncodeToString(b[:])
	keys := limitKeys(realm)
	lease := l.LeaseTime
	if lease <= 0 {
		lease = 150 * time.Second
	}
	isBatch := "0"
	if batch {
		isBatch = "1"
	}
	for {
		wait, err := limitScript.Run(ctx, l.Redis, keys, l.now().UnixMilli(), time.Minute.Milliseconds(),
			l.Limits.PerMinute, l.Limits.BatchPerMinute, l.Limits.Concurrent, isBatch, member, lease.Milliseconds()).Int64()
		if err != nil {
			return nil, fmt.Errorf("qbo: rate limiter: %w", err)
		}
		if wait == 0 {
			return func() { l.Redis.ZRem(context.WithoutCancel(ctx), keys[2], member) }, nil
		}
		if err := l.sleep(ctx, time.Duration(wait)*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func (l *Limiter) sleep(ctx context.Context, d time.Duration) error {
	if l.Sleep != nil {
		return l.Sleep(ctx, d)
	}
	return storenet.Sleep(ctx, d)
}

// wrap returns hc whose every HTTP request to company realm (each try of each call) first
// takes a place from l, given back when its answer's body is closed.
func (l *Limiter) wrap(hc *http.Client, realm string) *http.Client {
	c := *hc
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = limitedTransport{l: l, realm: realm, base: base}
	return &c
}

type limitedTransport struct {
	l     *Limiter
	realm string
	base  http.RoundTripper
}

func (t limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.l.Acquire(req.Context(), t.realm, strings.HasSuffix(req.URL.Path, "/batch"))
	if err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releasingBody gives the concurrent place back once the answer has been read.
type releasingBody struct {
	io.ReadCloser
	release func()
	done    bool
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	if !b.done {
		b.done = true
		b.release()
	}
	return err
}
