// Package woocommerce is Ledgerlink's client for the WooCommerce REST API
// (wc/v3): it pulls orders and normalizes them into orders.Order, pushes
// stock quantities by SKU through the batch endpoints, and verifies webhook
// signatures.
//
// WooCommerce itself has no rate limit, but the hosts in front of it do.
// Every call goes through storenet.Transport with WooCommerce's wait rule:
// 429 and 503 answers are retried after their Retry-After, other 5xx answers
// and network errors with a growing backoff, a bounded number of times;
// failures are *storenet.Error (test the kinds below with errors.Is) with
// WordPress's code and message and a hint. A batch refused with 413 is
// split. Every wait goes through Config.Sleep. README.md has the field
// mapping.
package woocommerce

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Defaults for Config.
const (
	DefaultMaxAttempts = storenet.DefaultMaxAttempts
	// apiPath is where the wc/v3 namespace lives under the store URL
	// (pretty permalinks, which WooCommerce requires for its REST API).
	apiPath = "/wp-json/wc/v3"
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
	// The storenet.Transport every call goes through gets these (zero: its
	// defaults — a client with a 60 s timeout, no logging, a timer, 5
	// tries). Tests replace Sleep to count waits instead of sleeping.
	HTTPClient  *http.Client
	Logger      *slog.Logger
	Sleep       func(ctx context.Context, d time.Duration) error
	MaxAttempts int
}

// Client talks to one WooCommerce store. It is safe for concurrent use.
type Client struct {
	api *url.URL
	log *slog.Logger
	// net sends every call: retries, backoff, redaction and errors are
	// storenet's; Retry-After and WordPress's error body are WooCommerce's.
	net *storenet.Transport
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
	basic := base64.StdEncoding.EncodeToString([]byte(cfg.ConsumerKey + ":" + cfg.ConsumerSecret))
	c := &Client{api: &api, log: cfg.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	plainHTTP := u.Scheme == "http"
	c.net = &storenet.Transport{
		Service:     "woocommerce",
		Peer:        "the store",
		Place:       "the store",
		HTTPClient:  cfg.HTTPClient,
		Header:      http.Header{"Authorization": {"Basic " + basic}},
		Secrets:     []string{cfg.ConsumerSecret, cfg.ConsumerKey, basic},
		Logger:      c.log,
		Sleep:       cfg.Sleep,
		MaxAttempts: cfg.MaxAttempts,
		RetryWait:   storenet.RetryAfter,
		Describe:    func(e *storenet.Error, body []byte) { describe(e, body, plainHTTP) },
	}
	return c, nil
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
	return c.net.Decode(call, body, out)
}

// do sends one API call through storenet.Transport (429 and 503 are retried
// after their Retry-After). It returns a 2xx answer or a *storenet.Error.
func (c *Client) do(ctx context.Context, call, method, path string, q url.Values, payload []byte) (*response, error) {
	a, err := c.net.Do(ctx, storenet.Request{Call: call, Method: method, URL: storenet.URL(c.api, path, q), Body: payload})
	if err != nil {
		return nil, err
	}
	return &response{header: a.Header, body: a.Body}, nil
}
