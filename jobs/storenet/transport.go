package storenet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Defaults for Transport.
const (
	DefaultMaxAttempts = 5
	// DefaultMaxRateWaits bounds the rate-limit refusals inside a successful answer (Shopify's
	// THROTTLED) that one call sits out.
	DefaultMaxRateWaits = 10
	// maxBody caps how much of an answer is read (a page of 500 orders is a few megabytes).
	maxBody = 64 << 20
)

// Transport is the request/retry/backoff/redaction loop every store client (Shopify,
// WooCommerce, ShipStation) sends its calls through, so that what a call does when the store
// fails — how often it retries, how long it waits, what the error says and what it must never
// say — is decided once. A client keeps only its own wait rule as hooks: RetryWait for how its
// API says when to come back, Observe and Request.Before for a budget it tracks itself, and
// Request.Inspect for a refusal inside a successful answer.
//
// It lives in storenet because storenet is the one outbound path to store APIs: the dialer that
// refuses internal addresses and the loop that turns that refusal into an error without retrying
// belong together.
//
// Set the fields before the first call; a Transport is then safe for concurrent use.
type Transport struct {
	// Service names the client ("shopify"): the first word of every error and log line.
	Service string
	// Peer is who answers, as the merchant calls it ("Shopify", "the store"): "<Peer> answered
	// HTTP 500".
	Peer string
	// Place is where the calls go ("the shop", "the server"): "no answer from <Place>".
	Place string
	// HTTPClient sends the requests (default: a client with a 60 s timeout). Production passes
	// HTTPClient(), which refuses internal addresses.
	HTTPClient *http.Client
	// Header is sent with every request: the credentials.
	Header http.Header
	// Secrets are replaced by "[redacted]" in every error and log text, should a server or the
	// network stack ever echo one. Strings shorter than 4 bytes are ignored.
	Secrets []string
	// Logger gets a debug line per request and a warning per retry (default: discard).
	Logger *slog.Logger
	// LogHeaders are answer headers worth a field in the request's debug line
	// ("X-Request-Id", "X-Rate-Limit-Remaining").
	LogHeaders []string
	// Sleep waits d or until ctx ends (default: a timer). Tests replace it to count waits and
	// move a fake clock instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxAttempts bounds the tries of one call that fails with 429, a 5xx or a network error
	// (default DefaultMaxAttempts).
	MaxAttempts int
	// MaxRateWaits bounds the rate-limit refusals Request.Inspect reports that one call waits
	// out; they do not count as tries (default DefaultMaxRateWaits).
	MaxRateWaits int
	// RetryWait is the client's wait rule for a refusal worth retrying (429, 5xx): the wait
	// and true when the answer says how long, false to back off (Backoff). Nil: always back off.
	RetryWait func(status int, h http.Header) (time.Duration, bool)
	// Observe, when set, sees the status and header of every answer (ShipStation's
	// X-Rate-Limit-Remaining).
	Observe func(status int, h http.Header)
	// Describe, when set, refines the *Error made from a refusal (status ≥ 300 other than a
	// redirect the HTTP client followed) with what the store's error body says: Kind (preset
	// by status: 401/403 ErrUnauthorized, 404 ErrNotFound, 429 ErrRateLimited, 400/413/415
	// ErrInvalid, else ErrServer), What, Code, Message, Hint, Detail. Texts it sets are
	// redacted afterwards.
	Describe func(e *Error, body []byte)
}

// Request is one call.
type Request struct {
	// Call says what is being done ("list orders (page 3)"), for errors and logs.
	Call   string
	Method string
	URL    string
	// Body, when not nil, is sent as application/json.
	Body []byte
	// Header, when set, is sent on top of Transport.Header: a credential that changes between
	// calls (an OAuth access token). It is read again on every try, so Before may replace it.
	Header http.Header
	// Before, when set, runs before every try: the client waits for a budget it tracks
	// (Shopify's cost bucket, ShipStation's window). Its error ends the call as it is.
	Before func(ctx context.Context) error
	// Inspect, when set, reads a 2xx answer for a refusal inside it. It returns nil when the
	// answer is good; an *Error and a wait > 0 when the store refused for its rate limit
	// (the call waits and tries again, at most MaxRateWaits times, then returns that error);
	// an *Error and 0 to end the call with that error.
	Inspect func(a *Answer) (wait time.Duration, refusal *Error)
	// Read, when set, reads the body of a 2xx answer itself, as it streams in (a file too
	// large to hold in memory: a Shopify bulk operation's result), and the Answer's Body is
	// nil. An error it returns is retried as a network error would be, so it must start over
	// on each call (truncate what it wrote).
	Read func(body io.Reader) error
}

// URL is base with path appended to its path and q as its query: where a REST client's call
// goes.
func URL(base *url.URL, path string, q url.Values) string {
	u := *base
	u.Path = base.Path + path
	u.RawQuery = q.Encode()
	return u.String()
}

// Answer is a successful (2xx) answer.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends r, retrying network errors, 429 and 5xx answers up to MaxAttempts tries with
// Backoff or RetryWait between them; every other refusal, and an address refused with
// ErrInternalAddress, ends the call at once. It returns a 2xx answer, ctx's error when ctx
// ended, or an *Error.
func (t *Transport) Do(ctx context.Context, r Request) (*Answer, error) {
	var last *Error
	attempts, rateWaits := 0, 0
	for {
		if r.Before != nil {
			if err := r.Before(ctx); err != nil {
				return nil, err
			}
		}
		attempts++
		a, err := t.send(ctx, r)
		if err == nil && t.Observe != nil {
			t.Observe(a.Status, a.Header)
		}
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, ErrInternalAddress) {
				// Refused before connecting: no retry can change where the address points.
				return nil, t.finish(&Error{Call: r.Call, Attempts: attempts, Kind: ErrUnreachable, Err: ErrInternalAddress})
			}
			last = t.finish(&Error{Call: r.Call, Attempts: attempts, Kind: ErrUnreachable, Err: &netError{text: t.Redact(err.Error()), cause: netCause(err)}})
			wait = Backoff(attempts)
		case a.Status >= 200 && a.Status < 300:
			if r.Inspect == nil {
				return a, nil
			}
			w, refusal := r.Inspect(a)
			if refusal == nil {
				return a, nil
			}
			refusal = t.finish(refusal)
			refusal.Call = r.Call
			if w <= 0 {
				refusal.Attempts = attempts
				return nil, refusal
			}
			// A rate-limit refusal is the limit working, not a failed try.
			attempts--
			rateWaits++
			refusal.Attempts = rateWaits
			if rateWaits > t.maxRateWaits() {
				return nil, refusal
			}
			t.logger().Debug(t.Service+": rate limited, waiting", "call", r.Call, "wait", w)
			if err := t.Wait(ctx, w); err != nil {
				return nil, err
			}
			continue
		default:
			last = t.refusal(r.Call, a.Status, a.Body)
			last.Attempts = attempts
			if !Retryable(a.Status) {
				return nil, last
			}
			wait = Backoff(attempts)
			if t.RetryWait != nil {
				if d, ok := t.RetryWait(a.Status, a.Header); ok {
					wait = d
				}
			}
		}
		if attempts >= t.maxAttempts(ctx) {
			return nil, last
		}
		t.logger().Warn(t.Service+": retrying", "call", r.Call, "attempt", attempts, "status", last.Status, "wait", wait)
		if err := t.Wait(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// send makes one HTTP request and reads the whole answer.
func (t *Transport) send(ctx context.Context, r Request) (*Answer, error) {
	var rd io.Reader
	if r.Body != nil {
		rd = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, rd)
	if err != nil {
		return nil, err
	}
	for _, h := range []http.Header{t.Header, r.Header} {
		for k, v := range h {
			req.Header[k] = slices.Clone(v) // the request may be changed on its way; t.Header is shared
		}
	}
	req.Header.Set("Accept", "application/json")
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := t.HTTPClient
	if hc == nil {
		hc = defaultClient
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body []byte
	if r.Read != nil && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		err = r.Read(resp.Body)
	} else {
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	}
	if log := t.logger(); log.Enabled(ctx, slog.LevelDebug) {
		attrs := []any{"method", r.Method, "path", req.URL.Path, "status", resp.StatusCode, "took", time.Since(start)}
		for _, h := range t.LogHeaders {
			attrs = append(attrs, strings.ToLower(h), t.Redact(resp.Header.Get(h)))
		}
		log.Debug(t.Service+" request", attrs...)
	}
	if err != nil {
		return nil, err
	}
	return &Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

var defaultClient = &http.Client{Timeout: 60 * time.Second, CheckRedirect: keepCredentialsAtHome}

// refusal describes a non-2xx answer.
func (t *Transport) refusal(call string, status int, body []byte) *Error {
	e := &Error{Call: call, Status: status, Kind: kindOf(status), Body: excerpt(t.Redact(string(body)))}
	if t.Describe != nil {
		t.Describe(e, body)
	}
	return t.finish(e)
}

// Unexpected is the error for a 2xx answer that is not what the API answers: kind ErrServer,
// err saying what did not fit.
func (t *Transport) Unexpected(call string, body []byte, err error) *Error {
	return t.finish(&Error{Call: call, Status: http.StatusOK, Kind: ErrServer, Body: excerpt(t.Redact(string(body))), Err: err})
}

// Decode unmarshals a 2xx answer's JSON body into out, or returns Unexpected.
func (t *Transport) Decode(call string, body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return t.Unexpected(call, body, fmt.Errorf("the answer is not the JSON expected: %w", err))
	}
	return nil
}

// NewError is an error of kind for what the client found wrong in a good answer
// (message: "the shop has no order with this id").
func (t *Transport) NewError(call string, kind error, message string) *Error {
	return t.finish(&Error{Call: call, Status: http.StatusOK, Kind: kind, Message: message})
}

// finish names the service on e and redacts every text in it.
func (t *Transport) finish(e *Error) *Error {
	e.Service, e.peer, e.place = t.Service, t.Peer, t.Place
	e.What, e.Message, e.Hint, e.Body = t.Redact(e.What), t.Redact(e.Message), t.Redact(e.Hint), t.Redact(e.Body)
	if e.Err != nil && !errors.Is(e.Err, ErrInternalAddress) {
		if s := t.Redact(e.Err.Error()); s != e.Err.Error() {
			e.Err = errors.New(s)
		}
	}
	return e
}

// Redact replaces every secret in s by "[redacted]".
func (t *Transport) Redact(s string) string {
	for _, secret := range t.Secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// Wait waits d through Sleep.
func (t *Transport) Wait(ctx context.Context, d time.Duration) error {
	if t.Sleep != nil {
		return t.Sleep(ctx, d)
	}
	return Sleep(ctx, d)
}

func (t *Transport) logger() *slog.Logger {
	if t.Logger != nil {
		return t.Logger
	}
	return discard
}

var discard = slog.New(slog.DiscardHandler)

func (t *Transport) maxAttempts(ctx context.Context) int {
	if n, ok := ctx.Value(attemptsKey{}).(int); ok {
		return n
	}
	if t.MaxAttempts > 0 {
		return t.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (t *Transport) maxRateWaits() int {
	if t.MaxRateWaits > 0 {
		return t.MaxRateWaits
	}
	return DefaultMaxRateWaits
}

// Sleep waits d, or until ctx ends (its error then): the default Sleep hook of the clients.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// Backoff is the wait before try attempt+1 when the answer says nothing: 1 s, 2 s, 4 s, …
// capped at 30 s.
func Backoff(attempt int) time.Duration {
	return min(time.Second<<(attempt-1), 30*time.Second)
}

// Retryable reports whether a refusal with status may succeed when tried again: 429 and 5xx.
func Retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// RetryAfter is the wait rule of APIs that say when to come back in Retry-After (seconds —
// Shopify sends "2.0" — or an HTTP date) on 429 and 503; a RetryWait hook.
func RetryAfter(status int, h http.Header) (time.Duration, bool) {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return 0, false
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}
