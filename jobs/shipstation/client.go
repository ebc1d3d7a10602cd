// Package shipstation is Ledgerlink's client for the ShipStation API V1
// (https://ssapi.shipstation.com): it pulls orders and normalizes them into
// orders.Order, pushes QuickBooks sales as ShipStation orders (an upsert by
// orderKey), and reads shipments, fulfillments and stores back.
//
// The client is a good citizen of ShipStation's 40-requests-per-minute limit:
// it reads X-Rate-Limit-Remaining and X-Rate-Limit-Reset on every answer and
// waits for the window to reset before it would be refused. That is this
// package's own rule, hooked into storenet.Transport, which sends every call:
// it retries 429s (after X-Rate-Limit-Reset), 5xx answers and network errors
// a bounded number of times, redacts the credentials and returns failures as
// *storenet.Error (test the kinds below with errors.Is). Every wait goes
// through Config.Sleep. README.md has the field mapping.
package shipstation

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
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
	DefaultMaxAttempts = storenet.DefaultMaxAttempts
	DefaultCurrency    = "USD"
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
	// Now is the clock used to remember when the rate-limit window resets
	// (default time.Now). Tests pass the fake clock Sleep advances.
	Now func() time.Time
	// The storenet.Transport every call goes through gets these (zero: its
	// defaults — a client with a 60 s timeout, no logging, a timer, 5
	// tries). Tests replace Sleep to count waits and move the fake clock.
	HTTPClient  *http.Client
	Logger      *slog.Logger
	Sleep       func(ctx context.Context, d time.Duration) error
	MaxAttempts int
}

// Client talks to one ShipStation account. It is safe for concurrent use;
// concurrent calls share the rate-limit budget.
type Client struct {
	base     *url.URL
	currency string
	log      *slog.Logger
	now      func() time.Time
	// net sends every call: retries, backoff, redaction and errors are
	// storenet's; the window rule below is ShipStation's own.
	net *storenet.Transport

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
	basic := base64.StdEncoding.EncodeToString([]byte(cfg.APIKey + ":" + cfg.APISecret))
	c := &Client{base: u, currency: cfg.Currency, log: cfg.Logger, now: cfg.Now}
	if c.currency == "" {
		c.currency = DefaultCurrency
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.net = &storenet.Transport{
		Service:     "shipstation",
		Peer:        "ShipStation",
		Place:       "the server",
		HTTPClient:  cfg.HTTPClient,
		Header:      http.Header{"Authorization": {"Basic " + basic}},
		Secrets:     []string{cfg.APISecret, cfg.APIKey, basic},
		Logger:      c.log,
		LogHeaders:  []string{"X-Rate-Limit-Remaining"},
		Sleep:       cfg.Sleep,
		MaxAttempts: cfg.MaxAttempts,
		RetryWait:   retryWait,
		Observe:     c.noteLimit,
		Describe:    describe,
	}
	return c, nil
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
	return c.net.Decode(call, body, out)
}

// do sends one API call through storenet.Transport, first waiting for the
// rate-limit window when the last answer used it up. It returns the body of
// a 2xx answer, or a *storenet.Error.
func (c *Client) do(ctx context.Context, call, method, path string, query url.Values, payload []byte) ([]byte, error) {
	a, err := c.net.Do(ctx, storenet.Request{Call: call, Method: method, URL: storenet.URL(c.base, path, query), Body: payload, Before: c.waitForWindow})
	if err != nil {
		return nil, err
	}
	return a.Body, nil
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
	return c.net.Wait(ctx, wait)
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

// retryWait is ShipStation's wait rule: a 429 waits until the window
// resets (resetAfter); other refusals back off.
func retryWait(status int, h http.Header) (time.Duration, bool) {
	if status != http.StatusTooManyRequests {
		return 0, false
	}
	return resetAfter(h, time.Minute), true
}
