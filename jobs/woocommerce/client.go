// Package woocommerce is Ledgerlink's client for the WooCommerce REST API
// (wc/v3): it pulls orders and normalizes them into orders.Order, pushes
// stock quantities by SKU through the batch endpoints, and verifies webhook
// signatures.
//
// WooCommerce itself has no rate limit, but the hosts in front of it do:
// 429 and 503 answers are retried after their Retry-After, other 5xx answers
// and network errors with a growing backoff, a bounded number of times, and
// a batch refused with 413 is split. Every wait goes through Config.Sleep.
// README.md has the field mapping.
package woocommerce

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
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Defaults for Config.
const (
	DefaultMaxAttempts = 5
	// apiPath is where the wc/v3 namespace lives under the store URL
	// (pretty permalinks, which WooCommerce requires for its REST API).
	apiPath = "/wp-json/wc/v3"
	maxBody = 64 << 20
)

// Config configures a Client. BaseURL, ConsumerKey and ConsumerSecret are
// required; the zero value of every other field gets the default documented
// on it.
type Config struct {
	// BaseURL is the store: the WordPress site URL, e.g. "https://shop.example.com"
	// (a path is kept: "https://example.com/shop").
	BaseURL string
	// ConsumerKey and ConsumerSecret are a WooCommerce REST API key
	// ("ck_…", "cs_…"), sent with HTTP Basic auth. They never appear in
	// errors or logs.
	//
	// WooCommerce only reads Basic credentials on requests that reach it
	// over HTTPS (or that a TLS-terminating proxy marks as such); at a plain
	// http:// URL it expects OAuth 1.0a. The client sends Basic auth on
	// http:// too — local and proxied stores (and the simulator) accept it —
	// and when a store ignores it, Check says to use the https:// URL. Basic
	// over plain HTTP exposes the key on the network: use https:// for real
	// stores.
	ConsumerKey    string
	ConsumerSecret string
	// HTTPClient sends the requests (default: a client with a 60 s timeout).
	HTTPClient *http.Client
	// Logger gets one debug line per request and a warning per retry
	// (default: discard).
	Logger *slog.Logger
	// Sleep waits d or until ctx ends (default: a timer). Tests replace it
	// to count waits instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxAttempts bounds the tries of one call that fails with 429, a 5xx
	// or a network error (default 5).
	MaxAttempts int
}

// Client talks to one WooCommerce store. It is safe for concurrent use.
type Client struct {
	store       *url.URL
	api         *url.URL
	auth        string
	key, secret string
	hc          *http.Client
	log         *slog.Logger
	sleep       func(ctx context.Context, d time.Duration) error
	attempts    int
}

// New checks cfg and returns a Client. It does not contact the store; use
// Check for that.
func New(cfg Config) (*Client, error) {
	if cfg.ConsumerKey == "" || cfg.ConsumerSecret == "" {
		return nil, errors.New("woocommerce: the consumer key and consumer secret are both required")
	}
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("woocommerce: store URL %q is not an http(s) URL", cfg.BaseURL)
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	api := *u
	api.Path = u.Path + apiPath
	c := &Client{
		store:    u,
		api:      &api,
		auth:     "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.ConsumerKey+":"+cfg.ConsumerSecret)),
		key:      cfg.ConsumerKey,
		secret:   cfg.ConsumerSecret,
		hc:       cfg.HTTPClient,
		log:      cfg.Logger,
		sleep:    cfg.Sleep,
		attempts: cfg.MaxAttempts,
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
	if c.attempts <= 0 {
		c.attempts = DefaultMaxAttempts
	}
	return c, nil
}

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

// Check makes one cheap authenticated call (GET /orders?per_page=1), as
// done when a merchant saves a connection. The error says in plain words
// what is wrong: errors.Is(err, ErrUnauthorized) for a key the store does
// not accept, ErrNotFound for a URL without the WooCommerce REST API,
// ErrUnreachable when nothing answers, ErrStore when the store failed.
func (c *Client) Check(ctx context.Context) error {
	q := url.Values{}
	q.Set("per_page", "1")
	var list []json.RawMessage
	_, err := c.getJSON(ctx, "check connection", "/orders", q, &list)
	return err
}

// response is a successful answer.
type response struct {
	header http.Header
	body   []byte
}

func (c *Client) getJSON(ctx context.Context, call, path string, q url.Values, out any) (http.Header, error) {
	r, err := c.do(ctx, call, http.MethodGet, path, q, nil)
	if err != nil {
		return nil, err
	}
	return r.header, c.decode(call, r.body, out)
}

func (c *Client) decode(call string, body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return &Error{Call: call, Status: http.StatusOK, Body: excerpt(c.redact(string(body))), kind: ErrStore,
			Err: fmt.Errorf("the answer is not the JSON expected: %w", err)}
	}
	return nil
}

// do sends one API call, retrying 429, 5xx and network errors up to
// Config.MaxAttempts times (429 and 503 after their Retry-After). It returns
// a 2xx answer or an *Error.
func (c *Client) do(ctx context.Context, call, method, path string, q url.Values, payload []byte) (*response, error) {
	u := *c.api
	u.Path = c.api.Path + path
	u.RawQuery = q.Encode()
	var last *Error
	for attempt := 1; attempt <= c.attempts; attempt++ {
		status, header, body, err := c.send(ctx, method, u.String(), payload)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, storenet.ErrInternalAddress) {
				// Refused before connecting: no retry can change where the address points.
				return nil, &Error{Call: call, Attempts: attempt, kind: ErrUnreachable, Err: storenet.ErrInternalAddress}
			}
			last = &Error{Call: call, Attempts: attempt, kind: ErrUnreachable, Err: errors.New(c.redact(err.Error()))}
			wait = backoff(attempt)
		case status >= 200 && status < 300:
			return &response{header: header, body: body}, nil
		default:
			last = c.statusError(call, status, body)
			last.Attempts = attempt
			if !retryable(status) {
				return nil, last
			}
			wait = backoff(attempt)
			if ra, ok := retryAfter(header); ok && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
				wait = ra
			}
		}
		if attempt == c.attempts {
			break
		}
		c.log.Warn("woocommerce: retrying", "call", call, "attempt", attempt, "status", last.Status, "wait", wait)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
	return nil, last
}

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
	c.log.Debug("woocommerce request", "method", method, "path", req.URL.Path, "status", resp.StatusCode, "took", time.Since(start))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, body, nil
}

// retryAfter reads Retry-After: seconds or an HTTP date.
func retryAfter(h http.Header) (time.Duration, bool) {
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

// backoff is the wait before try attempt+1: 1 s, 2 s, 4 s, … capped at 30 s.
func backoff(attempt int) time.Duration {
	return min(time.Second<<(attempt-1), 30*time.Second)
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// redact removes the credentials from s.
func (c *Client) redact(s string) string {
	for _, secret := range []string{c.secret, c.key, strings.TrimPrefix(c.auth, "Basic ")} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}
