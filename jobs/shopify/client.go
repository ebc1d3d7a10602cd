// Package shopify is Ledgerlink's client for the Shopify Admin GraphQL API,
// pinned to version 2025-01: it pulls orders and normalizes them into
// orders.Order, pushes available quantities by SKU with
// inventorySetQuantities, and verifies webhook signatures.
//
// Shopify limits GraphQL by query cost (a leaky bucket per app and shop).
// The client reads extensions.cost.throttleStatus from every answer, waits
// before a query the bucket could not pay for yet, and when Shopify still
// answers THROTTLED it waits (requested − currentlyAvailable) / restoreRate
// seconds and retries, a bounded number of times. 429s, 5xx answers and
// network errors are retried with backoff. Every wait goes through
// Config.Sleep. README.md has the field mapping.
package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
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
	DefaultMaxAttempts = 5
	// maxThrottleWaits bounds the THROTTLED answers one call sits out.
	maxThrottleWaits = 10
	// maxQueryCost is Shopify's single-query cost limit.
	maxQueryCost = 1000
	maxBody      = 64 << 20
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
	// HTTPClient sends the requests (default: a client with a 60 s timeout).
	HTTPClient *http.Client
	// Logger gets one debug line per request and a line per wait
	// (default: discard).
	Logger *slog.Logger
	// Sleep waits d or until ctx ends (default: a timer). Tests replace it
	// to count waits and move a fake clock instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock the bucket estimate refills by (default time.Now).
	// Tests pass the fake clock Sleep advances.
	Now func() time.Time
	// MaxAttempts bounds the tries of one call that fails with 429, a 5xx
	// or a network error (default 5). THROTTLED answers have their own
	// budget of 10 waits.
	MaxAttempts int
}

// Client talks to one shop. It is safe for concurrent use; concurrent calls
// share the bucket estimate.
type Client struct {
	endpoint string
	host     string
	token    string
	location string
	hc       *http.Client
	log      *slog.Logger
	sleep    func(ctx context.Context, d time.Duration) error
	now      func() time.Time
	attempts int

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
	c := &Client{
		endpoint: u.String(),
		host:     u.Host,
		token:    cfg.AccessToken,
		location: cfg.LocationID,
		hc:       cfg.HTTPClient,
		log:      cfg.Logger,
		sleep:    cfg.Sleep,
		now:      cfg.Now,
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
	if c.now == nil {
		c.now = time.Now
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
func (c *Client) queryCost(ctx context.Context, call, q string, vars map[string]any, estimate float64, out any) (*costExtension, error) {
	payload, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		return nil, fmt.Errorf("shopify: encode %s: %w", call, err)
	}
	var last *Error
	attempts, throttles := 0, 0
	for {
		if err := c.pace(ctx, estimate); err != nil {
			return nil, err
		}
		attempts++
		status, header, body, err := c.send(ctx, payload)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, storenet.ErrInternalAddress) {
				// Refused before connecting: no retry can change where the address points.
				return nil, &Error{Call: call, Attempts: attempts, kind: ErrUnreachable, Err: storenet.ErrInternalAddress}
			}
			last = &Error{Call: call, Attempts: attempts, kind: ErrUnreachable, Err: errors.New(c.redact(err.Error()))}
			wait = backoff(attempts)
		case status == http.StatusOK:
			var resp gqlResponse
			if err := json.Unmarshal(body, &resp); err != nil {
				return nil, &Error{Call: call, Status: status, Body: excerpt(c.redact(string(body))), Attempts: attempts, kind: ErrStore,
					Err: fmt.Errorf("the answer is not GraphQL JSON: %w", err)}
			}
			cost := resp.Extensions.Cost
			c.noteCost(cost)
			errs := parseErrors(resp.Errors)
			if len(errs) == 0 {
				if out != nil {
					if err := json.Unmarshal(resp.Data, out); err != nil {
						return cost, &Error{Call: call, Status: status, Body: excerpt(c.redact(string(resp.Data))), Attempts: attempts, kind: ErrStore,
							Err: fmt.Errorf("the data is not the shape expected: %w", err)}
					}
				}
				return cost, nil
			}
			if !isThrottled(errs) {
				return cost, c.graphQLError(call, errs, cost, attempts)
			}
			throttles++
			attempts-- // a THROTTLED answer is the rate limit working, not a failed try
			if cost != nil && cost.RequestedQueryCost > cost.ThrottleStatus.MaximumAvailable && cost.ThrottleStatus.MaximumAvailable > 0 {
				return cost, &Error{Call: call, Status: status, Code: "THROTTLED", Attempts: attempts + 1, kind: ErrTooCostly,
					Message: fmt.Sprintf("the query costs %.0f points but the shop's bucket holds only %.0f", cost.RequestedQueryCost, cost.ThrottleStatus.MaximumAvailable),
					cost:    cost.RequestedQueryCost, maxCost: cost.ThrottleStatus.MaximumAvailable}
			}
			last = &Error{Call: call, Status: status, Code: "THROTTLED", Message: "Throttled", Attempts: throttles, kind: ErrThrottled}
			if throttles > maxThrottleWaits {
				return cost, last
			}
			wait = throttleWait(cost)
			c.log.Debug("shopify: throttled, waiting for the bucket to refill", "call", call, "wait", wait)
			if err := c.sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		default:
			last = c.statusError(call, status, body)
			last.Attempts = attempts
			if !retryable(status) {
				return nil, last
			}
			wait = backoff(attempts)
			if ra, ok := retryAfter(header); ok && status == http.StatusTooManyRequests || ok && status == http.StatusServiceUnavailable {
				wait = ra
			}
		}
		if attempts >= c.attempts {
			return nil, last
		}
		c.log.Warn("shopify: retrying", "call", call, "attempt", attempts, "status", last.Status, "wait", wait)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (c *Client) send(ctx context.Context, payload []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(payload))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("X-Shopify-Access-Token", c.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.log.Debug("shopify request", "status", resp.StatusCode, "took", time.Since(start), "request_id", resp.Header.Get("X-Request-Id"))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, body, nil
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
	return c.sleep(ctx, wait)
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

// retryAfter reads Retry-After: seconds (Shopify sends "2.0") or an HTTP date.
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

// redact removes the access token from s.
func (c *Client) redact(s string) string {
	if len(c.token) >= 4 {
		s = strings.ReplaceAll(s, c.token, "[redacted]")
	}
	return s
}
