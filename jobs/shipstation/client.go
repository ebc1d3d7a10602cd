// Package shipstation is Ledgerlink's client for the ShipStation API V1
// (https://ssapi.shipstation.com): it pulls orders and normalizes them into
// orders.Order, pushes QuickBooks sales as ShipStation orders (an upsert by
// orderKey), and reads shipments, fulfillments and stores back.
//
// The client is a good citizen of ShipStation's 40-requests-per-minute limit:
// it reads X-Rate-Limit-Remaining and X-Rate-Limit-Reset on every answer and
// waits for the window to reset before it would be refused, and it retries
// 429s, 5xx answers and network errors a bounded number of times. Every wait
// goes through Config.Sleep. README.md has the field mapping.
package shipstation

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// DefaultBaseURL is ShipStation's V1 API.
const DefaultBaseURL = "https://ssapi.shipstation.com"

// Defaults for Config.
const (
	DefaultMaxAttempts = 5
	DefaultCurrency    = "USD"
	// maxBody caps how much of a response is read (a page of 500 orders is
	// a few megabytes).
	maxBody = 64 << 20
)

// Config configures a Client. APIKey and APISecret are required; the zero
// value of every other field gets the default documented on it.
type Config struct {
	// BaseURL is the API root (default DefaultBaseURL). Tests point it at
	// the simulator.
	BaseURL string
	// APIKey and APISecret are the account's V1 API credentials (HTTP Basic:
	// key as user name). They never appear in errors or logs.
	APIKey    string
	APISecret string
	// Currency is put on normalized orders: V1 orders carry no currency
	// (default "USD").
	Currency string
	// HTTPClient sends the requests (default: a client with a 60 s timeout).
	HTTPClient *http.Client
	// Logger gets one debug line per request and a warning per retry
	// (default: discard).
	Logger *slog.Logger
	// Sleep waits d or until ctx ends (default: a timer). Tests replace it
	// to count waits and move a fake clock instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used to remember when the rate-limit window resets
	// (default time.Now). Tests pass the fake clock Sleep advances.
	Now func() time.Time
	// MaxAttempts bounds the tries of one call that fails with a 5xx, a
	// 429 or a network error (default 5).
	MaxAttempts int
}

// Client talks to one ShipStation account. It is safe for concurrent use;
// concurrent calls share the rate-limit budget.
type Client struct {
	base        *url.URL
	auth        string
	key, secret string
	currency    string
	hc          *http.Client
	log         *slog.Logger
	sleep       func(ctx context.Context, d time.Duration) error
	now         func() time.Time
	attempts    int

	mu           sync.Mutex
	blockedUntil time.Time // the window is used up until then
}

// New checks cfg and returns a Client. It does not contact ShipStation; use
// Check for that.
func New(cfg Config) (*Client, error) {
	if cfg.APIKey == "" || cfg.APISecret == "" {
		return nil, errors.New("shipstation: the API key and API secret are both required")
	}
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("shipstation: base URL %q is not an http(s) URL", raw)
	}
	u.User = nil // credentials go in the Authorization header only
	c := &Client{
		base:     u,
		auth:     "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.APIKey+":"+cfg.APISecret)),
		key:      cfg.APIKey,
		secret:   cfg.APISecret,
		currency: cfg.Currency,
		hc:       cfg.HTTPClient,
		log:      cfg.Logger,
		sleep:    cfg.Sleep,
		now:      cfg.Now,
		attempts: cfg.MaxAttempts,
	}
	if c.currency == "" {
		c.currency = DefaultCurrency
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: 60 * time.Second}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.sleep == nil {
		c.sleep = sleepTimer
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.attempts <= 0 {
		c.attempts = DefaultMaxAttempts
	}
	return c, nil
}

// sleepTimer waits d or until ctx ends.
func sleepTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Check makes one cheap authenticated call (GET /stores), as done when a
// merchant saves a connection. The error says in plain words what is wrong:
// errors.Is(err, ErrUnauthorized) for rejected credentials, ErrNotFound for
// a URL that is not the ShipStation API, ErrUnreachable when nothing
// answers, ErrStore when ShipStation failed.
func (c *Client) Check(ctx context.Context) error {
	var stores []Store
	return c.getJSON(ctx, "check connection", "/stores", nil, &stores)
}

// getJSON GETs path?query and decodes the JSON answer into out.
func (c *Client) getJSON(ctx context.Context, call, path string, query url.Values, out any) error {
	body, err := c.do(ctx, call, http.MethodGet, path, query, nil)
	if err != nil {
		return err
	}
	return c.decode(call, body, out)
}

func (c *Client) decode(call string, body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return &Error{Call: call, Status: http.StatusOK, Body: excerpt(c.redact(string(body))), kind: ErrStore,
			Err: fmt.Errorf("the answer is not the JSON expected: %w", err)}
	}
	return nil
}

// do sends one API call, honouring the rate limit and retrying 429s, 5xx
// answers and network errors up to Config.MaxAttempts times. It returns the
// body of a 2xx answer, or an *Error.
func (c *Client) do(ctx context.Context, call, method, path string, query url.Values, payload []byte) ([]byte, error) {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	var last *Error
	for attempt := 1; attempt <= c.attempts; attempt++ {
		if err := c.waitForWindow(ctx); err != nil {
			return nil, err
		}
		status, header, body, err := c.send(ctx, method, u.String(), payload)
		c.noteLimit(status, header)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, storenet.ErrInternalAddress) {
				// Refused before connecting: no retry can change where the address points.
				return nil, &Error{Call: call, Attempts: attempt, kind: ErrUnreachable, Err: storenet.ErrInternalAddress}
			}
			last = &Error{Call: call, Attempts: attempt, kind: ErrUnreachable,
				Err: errors.New(c.redact(err.Error()))}
		} else if status >= 200 && status < 300 {
			return body, nil
		} else {
			last = c.statusError(call, status, body)
			last.Attempts = attempt
			if !retryable(status) {
				return nil, last
			}
		}
		if attempt == c.attempts {
			break
		}
		wait := backoff(attempt)
		if last.Status == http.StatusTooManyRequests {
			wait = resetAfter(header, time.Minute)
		}
		c.log.Warn("shipstation: retrying", "call", call, "attempt", attempt, "status", last.Status, "wait", wait)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
	return nil, last
}

// send makes one HTTP request and reads the whole answer.
func (c *Client) send(ctx context.Context, method, u string, payload []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.log.Debug("shipstation request", "method", method, "path", req.URL.Path, "status", resp.StatusCode,
		"remaining", resp.Header.Get("X-Rate-Limit-Remaining"), "took", time.Since(start))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, body, nil
}

// waitForWindow sleeps until the rate-limit window that the last answer
// said was used up has reset.
func (c *Client) waitForWindow(ctx context.Context) error {
	c.mu.Lock()
	wait := c.blockedUntil.Sub(c.now())
	c.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	c.log.Debug("shipstation: rate limit used up, waiting for the window to reset", "wait", wait)
	return c.sleep(ctx, wait)
}

// noteLimit remembers when the window resets if this answer used it up
// (X-Rate-Limit-Remaining 0) or was refused for it (429).
func (c *Client) noteLimit(status int, h http.Header) {
	if h == nil {
		return
	}
	rem, err := strconv.Atoi(h.Get("X-Rate-Limit-Remaining"))
	if status != http.StatusTooManyRequests && (err != nil || rem > 0) {
		return
	}
	until := c.now().Add(resetAfter(h, time.Minute))
	c.mu.Lock()
	if until.After(c.blockedUntil) {
		c.blockedUntil = until
	}
	c.mu.Unlock()
}

// resetAfter reads X-Rate-Limit-Reset (seconds until the window resets),
// falling back to Retry-After and then to def.
func resetAfter(h http.Header, def time.Duration) time.Duration {
	for _, name := range []string{"X-Rate-Limit-Reset", "Retry-After"} {
		if v, err := strconv.ParseFloat(strings.TrimSpace(h.Get(name)), 64); err == nil && v >= 0 {
			return time.Duration(v * float64(time.Second))
		}
	}
	return def
}

// backoff is the wait before try attempt+1 after a 5xx or network error:
// 1 s, 2 s, 4 s, … capped at 30 s.
func backoff(attempt int) time.Duration {
	return min(time.Second<<(attempt-1), 30*time.Second)
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// redact removes the credentials from s, should a server or transport error
// ever echo them.
func (c *Client) redact(s string) string {
	for _, secret := range []string{c.secret, c.key, c.auth, strings.TrimPrefix(c.auth, "Basic ")} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}
