// Package shopify is Ledgerlink's client for the Shopify Admin GraphQL API,
// pinned to version 2025-01: it pulls orders and normalizes them into
// orders.Order, pushes available quantities by SKU with
// inventorySetQuantities, and verifies webhook signatures.
//
// Shopify limits GraphQL by query cost (a leaky bucket per app and shop).
// The client reads extensions.cost.throttleStatus from every answer, waits
// before a query the bucket could not pay for yet, and when Shopify still
// answers THROTTLED it waits (requested − currentlyAvailable) / restoreRate
// seconds and retries, a bounded number of times. Those are this package's
// own rules, hooked into storenet.Transport, which sends every call: it
// retries 429s (after Retry-After), 5xx answers and network errors with
// backoff, redacts the access token and returns failures as
// *storenet.Error (test the kinds below with errors.Is). Every wait goes
// through Config.Sleep. README.md has the field mapping.
package shopify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// APIVersion is the Admin API version every request is pinned to. Its
// contracts (inventorySetQuantities with compareQuantity, no @idempotent)
// are what this package implements.
const APIVersion = "2025-01"

// Defaults for Config.
const (
	DefaultMaxAttempts = storenet.DefaultMaxAttempts
	// maxThrottleWaits bounds the THROTTLED answers one call sits out.
	maxThrottleWaits = 10
	// maxQueryCost is Shopify's single-query cost limit.
	maxQueryCost = 1000
)

// Config configures a Client. BaseURL and AccessToken are required; the
// zero value of every other field gets the default documented on it.
type Config struct {
	// BaseURL is the shop: "https://my-shop.myshopify.com" (a bare
	// "my-shop.myshopify.com" gets https://). Requests go to
	// BaseURL + "/admin/api/2025-01/graphql.json".
	BaseURL string
	// AccessToken is sent as X-Shopify-Access-Token. It never appears in
	// errors or logs.
	AccessToken string
	// LocationID is the location (gid://shopify/Location/…) SetInventory
	// sets quantities at (default: the shop's primary location).
	LocationID string
	// InventoryReference is the referenceDocumentUri of SetInventory's
	// changes, e.g. "ledgerlink://inventory-push/12/345" naming the push run
	// (default ReferenceDocumentURI). Shopify requires a URI with a scheme.
	InventoryReference string
	// Now is the clock the bucket estimate refills by (default time.Now).
	// Tests pass the fake clock Sleep advances.
	Now func() time.Time
	// The storenet.Transport every call goes through gets these (zero: its
	// defaults — a client with a 60 s timeout, no logging, a timer, 5
	// tries). Tests replace Sleep to count waits and move the fake clock.
	// THROTTLED answers are not tries: they have a budget of 10 waits.
	HTTPClient  *http.Client
	Logger      *slog.Logger
	Sleep       func(ctx context.Context, d time.Duration) error
	MaxAttempts int
}

// Client talks to one shop. It is safe for concurrent use; concurrent calls
// share the bucket estimate.
type Client struct {
	endpoint  string
	location  string
	reference string
	log       *slog.Logger
	now       func() time.Time
	// net sends every call: retries, backoff, redaction and errors are
	// storenet's; the cost bucket and THROTTLED rule are Shopify's own.
	net *storenet.Transport

	mu     sync.Mutex
	bucket bucketState
}

// bucketState is the last throttleStatus Shopify reported.
type bucketState struct {
	known              bool
	maximum, available float64
	restoreRate        float64 // points per second
	at                 time.Time
}

// New checks cfg and returns a Client. It does not contact Shopify; use
// Check for that.
func New(cfg Config) (*Client, error) {
	if cfg.AccessToken == "" {
		return nil, errors.New("shopify: the access token is required")
	}
	raw := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("shopify: shop URL %q is not an http(s) URL", cfg.BaseURL)
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	u.Path = strings.TrimSuffix(u.Path, "/admin") + "/admin/api/" + APIVersion + "/graphql.json"
	c := &Client{endpoint: u.String(), location: cfg.LocationID, reference: cfg.InventoryReference, log: cfg.Logger, now: cfg.Now}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.net = &storenet.Transport{
		Service:     "shopify",
		Peer:        "Shopify",
		Place:       "the shop",
		HTTPClient:  cfg.HTTPClient,
		Header:      http.Header{"X-Shopify-Access-Token": {cfg.AccessToken}},
		Secrets:     []string{cfg.AccessToken},
		Logger:      c.log,
		LogHeaders:  []string{"X-Request-Id"},
		Sleep:       cfg.Sleep,
		MaxAttempts: cfg.MaxAttempts,
		// THROTTLED answers have their own budget: they are the limit working.
		MaxRateWaits: maxThrottleWaits,
		RetryWait:    storenet.RetryAfter,
		Describe:     describe,
	}
	return c, nil
}

// Check makes one cheap authenticated query ({ shop { name } }), as done
// when a merchant saves a connection. The error says in plain words what is
// wrong: errors.Is(err, ErrUnauthorized) for a rejected access token,
// ErrNotFound for a URL that is not a shop's Admin API, ErrUnreachable when
// nothing answers, ErrStore when Shopify failed.
func (c *Client) Check(ctx context.Context) error {
	var out struct {
		Shop struct {
			Name string `json:"name"`
		} `json:"shop"`
	}
	return c.query(ctx, "check connection", `query Check { shop { name } }`, nil, 2, &out)
}

// gqlResponse is a GraphQL answer.
type gqlResponse struct {
	Data       json.RawMessage `json:"data"`
	Errors     json.RawMessage `json:"errors"`
	Extensions struct {
		Cost *costExtension `json:"cost"`
	} `json:"extensions"`
}

type costExtension struct {
	RequestedQueryCost float64  `json:"requestedQueryCost"`
	ActualQueryCost    *float64 `json:"actualQueryCost"`
	ThrottleStatus     struct {
		MaximumAvailable   float64 `json:"maximumAvailable"`
		CurrentlyAvailable float64 `json:"currentlyAvailable"`
		RestoreRate        float64 `json:"restoreRate"`
	} `json:"throttleStatus"`
}

// gqlError is one element of a GraphQL errors array.
type gqlError struct {
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Extensions struct {
		Code    string  `json:"code"`
		Cost    float64 `json:"cost"`
		MaxCost float64 `json:"maxCost"`
	} `json:"extensions"`
}

// query runs one GraphQL operation and decodes data into out. estimate is
// the requested cost the query is expected to have (0: unknown); the
// client waits until the bucket should hold that much before sending.
func (c *Client) query(ctx context.Context, call, q string, vars map[string]any, estimate float64, out any) error {
	_, err := c.queryCost(ctx, call, q, vars, estimate, out)
	return err
}

// queryCost is query that also returns the answer's cost extension (nil
// when there was none).
//
// Every answer's cost is noted for pacing. A THROTTLED answer is Shopify's
// rate limit working: the transport waits throttleWait and asks again, at
// most maxThrottleWaits times, without counting a failed try; a query
// costlier than the whole bucket is refused at once (ErrTooCostly).
func (c *Client) queryCost(ctx context.Context, call, q string, vars map[string]any, estimate float64, out any) (*costExtension, error) {
	payload, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		return nil, fmt.Errorf("shopify: encode %s: %w", call, err)
	}
	var resp gqlResponse
	inspect := func(a *storenet.Answer) (time.Duration, *storenet.Error) {
		resp = gqlResponse{}
		if err := json.Unmarshal(a.Body, &resp); err != nil {
			return 0, c.net.Unexpected(call, a.Body, fmt.Errorf("the answer is not GraphQL JSON: %w", err))
		}
		cost := resp.Extensions.Cost
		c.noteCost(cost)
		errs := parseErrors(resp.Errors)
		if len(errs) == 0 {
			return 0, nil
		}
		if !isThrottled(errs) {
			return 0, graphQLError(errs, cost)
		}
		if cost != nil && cost.RequestedQueryCost > cost.ThrottleStatus.MaximumAvailable && cost.ThrottleStatus.MaximumAvailable > 0 {
			return 0, &storenet.Error{Status: a.Status, Code: "THROTTLED", Kind: ErrTooCostly, What: tooCostly,
				Message: fmt.Sprintf("the query costs %.0f points but the shop's bucket holds only %.0f", cost.RequestedQueryCost, cost.ThrottleStatus.MaximumAvailable),
				Detail:  queryCost{cost: cost.RequestedQueryCost, maxCost: cost.ThrottleStatus.MaximumAvailable}}
		}
		return throttleWait(cost), &storenet.Error{Status: a.Status, Code: "THROTTLED", Message: "Throttled", Kind: ErrThrottled, What: stillThrottled}
	}
	pace := func(ctx context.Context) error { return c.pace(ctx, estimate) }
	if _, err := c.net.Do(ctx, storenet.Request{Call: call, Method: http.MethodPost, URL: c.endpoint, Body: payload, Before: pace, Inspect: inspect}); err != nil {
		return nil, err
	}
	cost := resp.Extensions.Cost
	if out != nil {
		if err := json.Unmarshal(resp.Data, out); err != nil {
			return cost, c.net.Unexpected(call, resp.Data, fmt.Errorf("the data is not the shape expected: %w", err))
		}
	}
	return cost, nil
}

// noteCost remembers the bucket as the answer reported it.
func (c *Client) noteCost(cost *costExtension) {
	if cost == nil || cost.ThrottleStatus.RestoreRate <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bucket = bucketState{
		known:       true,
		maximum:     cost.ThrottleStatus.MaximumAvailable,
		available:   cost.ThrottleStatus.CurrentlyAvailable,
		restoreRate: cost.ThrottleStatus.RestoreRate,
		at:          c.now(),
	}
}

// pace waits until the bucket, as last reported and refilled since at the
// restore rate, holds estimate points, so the query is not throttled.
func (c *Client) pace(ctx context.Context, estimate float64) error {
	c.mu.Lock()
	b := c.bucket
	c.mu.Unlock()
	if !b.known || estimate <= 0 {
		return nil
	}
	estimate = math.Min(estimate, b.maximum)
	have := math.Min(b.maximum, b.available+c.now().Sub(b.at).Seconds()*b.restoreRate)
	if have >= estimate {
		return nil
	}
	wait := time.Duration((estimate - have) / b.restoreRate * float64(time.Second))
	wait = wait.Round(time.Millisecond) + time.Millisecond
	c.log.Debug("shopify: pacing to stay within the cost bucket", "need", estimate, "have", have, "wait", wait)
	return c.net.Wait(ctx, wait)
}

// throttleWait is (requested − currentlyAvailable) / restoreRate, at least
// the time one point takes to restore.
func throttleWait(cost *costExtension) time.Duration {
	if cost == nil || cost.ThrottleStatus.RestoreRate <= 0 {
		return time.Second
	}
	ts := cost.ThrottleStatus
	need := math.Max(cost.RequestedQueryCost-ts.CurrentlyAvailable, 1)
	return time.Duration(math.Ceil(need/ts.RestoreRate*1000)) * time.Millisecond
}

func parseErrors(raw json.RawMessage) []gqlError {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var errs []gqlError
	if json.Unmarshal(raw, &errs) == nil {
		return errs
	}
	return []gqlError{{Message: string(raw)}}
}

func isThrottled(errs []gqlError) bool {
	for _, e := range errs {
		if e.Extensions.Code == "THROTTLED" {
			return true
		}
	}
	return false
}
