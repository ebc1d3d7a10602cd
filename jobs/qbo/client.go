// Package qbo is Ledgerlink's QuickBooks Online side: the OAuth connection (oauth.go) and the
// Accounting API v3 client (client.go, batch.go, query.go, limit.go) that posts orders exactly
// once. README.md is the wire contract.
package qbo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// MinorVersion is the minorversion every call sends. Since 2025-08-01 Intuit serves no minor
// version below 75 (a missing or lower one is read as 75), so 75 is the oldest behaviour
// still on offer; pinning it keeps field sets and defaults from moving under us when Intuit
// raises the default. Raise it deliberately, with the simulator and tests.
const MinorVersion = "75"

// MaxRequestID is the longest requestid a batch accepts (36; single writes take 50).
// RequestID's ids fit both.
const MaxRequestID = 36

// Refresher is a TokenSource that can replace an access token QuickBooks rejected (401):
// qboconn's ConnectionTokens. rejected is the token that was refused, so that of two workers
// rejected at once only one refreshes.
type Refresher interface {
	Refresh(ctx context.Context, rejected string) (string, error)
}

// Options configure a Client.
type Options struct {
	// APIURL is the Accounting API's base without /v3 (Config.APIURL): Intuit's, or the
	// simulator's in tests and the demo.
	APIURL string
	// Realm is the company's realmId.
	Realm string
	// Tokens gives the access token; when it is also a Refresher, a 401 refreshes once.
	Tokens TokenSource
	// Limiter keeps the calls of every process within the company's limits; nil sends
	// unthrottled (tests of other things only).
	Limiter *Limiter
	// HTTPClient sends the calls (default storenet.HTTPClient(), the one outbound path).
	HTTPClient *http.Client
	Logger     *slog.Logger
	// Sleep waits between tries (default a timer); tests count the waits instead.
	Sleep func(ctx context.Context, d time.Duration) error
	// ThrottleWait is how long a 429 is waited out before the same call is tried again
	// (default 60 s, Intuit's advice); MaxAttempts bounds the tries of one call on 429, 5xx
	// and network errors (default 3). After them the call fails with ErrThrottled or
	// ErrUnavailable and the caller sends it again later.
	ThrottleWait time.Duration
	MaxAttempts  int
}

// Client calls the Accounting API of one company. Safe for concurrent use.
type Client struct {
	realm  string
	base   *url.URL
	tokens TokenSource
	t      *storenet.Transport
}

// NewClient returns a client of company o.Realm.
func NewClient(o Options) (*Client, error) {
	if o.Realm == "" || o.Tokens == nil {
		return nil, errors.New("qbo: a client needs the company's realm and a token source")
	}
	base, err := url.Parse(strings.TrimRight(o.APIURL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("qbo: API URL %q is not an absolute URL", o.APIURL)
	}
	base.Path += "/v3/company/" + url.PathEscape(o.Realm)
	hc := o.HTTPClient
	if hc == nil {
		hc = storenet.HTTPClient()
	}
	if o.Limiter != nil {
		hc = o.Limiter.wrap(hc, o.Realm)
	}
	wait := o.ThrottleWait
	if wait <= 0 {
		wait = time.Minute
	}
	attempts := o.MaxAttempts
	if attempts <= 0 {
		attempts = 3
	}
	t := &storenet.Transport{Service: "quickbooks-online", Peer: "QuickBooks Online", Place: "QuickBooks Online",
		HTTPClient: hc, Logger: o.Logger, Sleep: o.Sleep, MaxAttempts: attempts, LogHeaders: []string{"Intuit-Tid"},
		Describe: describe,
		RetryWait: func(status int, h http.Header) (time.Duration, bool) {
			if status == http.StatusTooManyRequests {
				if d, ok := storenet.RetryAfter(status, h); ok {
					return d, true
				}
				return wait, true
			}
			return 0, false
		}}
	return &Client{realm: o.Realm, base: base, tokens: o.Tokens, t: t}, nil
}

// Realm is the company's realmId.
func (c *Client) Realm() string { return c.realm }

// RequestID is the requestid of a write of document docKey of account accountID in its
// version-th form (a document changed since its last send is a new write): the same document
// always gets the same id, so a write repeated after a lost answer gets QuickBooks' original
// answer instead of making a second record. 34 characters, within the batch limit.
func RequestID(accountID int64, docKey string, version int) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(accountID, 10) + "\x00" + docKey + "\x00" + strconv.Itoa(version)))
	return "ll" + hex.EncodeToString(sum[:16])
}

// Write creates an entity, or updates one (body with Id and SyncToken; "sparse": true to
// change only the fields sent), with requestid requestID, and decodes QuickBooks' copy of it
// into out (may be nil). entity is the API's name (EntitySalesReceipt).
func (c *Client) Write(ctx context.Context, entity string, body any, requestID string, out any) error {
	if requestID == "" || len(requestID) > 50 {
		return fmt.Errorf("qbo: write %s: requestid %q must have 1 to 50 characters", entity, requestID)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("qbo: write %s: %w", entity, err)
	}
	a, err := c.call(ctx, "write "+entity, http.MethodPost, "/"+strings.ToLower(entity), url.Values{"requestid": {requestID}}, raw)
	if err != nil {
		return err
	}
	return c.entityOf(a, "write "+entity, entity, out)
}

// Read reads entity id into out.
func (c *Client) Read(ctx context.Context, entity, id string, out any) error {
	a, err := c.call(ctx, "read "+entity+" "+id, http.MethodGet, "/"+strings.ToLower(entity)+"/"+url.PathEscape(id), nil, nil)
	if err != nil {
		return err
	}
	return c.entityOf(a, "read "+entity, entity, out)
}

// entityOf decodes the entity key of an answer ({"SalesReceipt":{…},"time":…}) into out.
func (c *Client) entityOf(a *storenet.Answer, call, entity string, out any) error {
	var m map[string]json.RawMessage
	if err := c.t.Decode(call, a.Body, &m); err != nil {
		return err
	}
	raw, ok := m[entity]
	if !ok {
		return c.t.Unexpected(call, a.Body, fmt.Errorf("no %s in the answer", entity))
	}
	if out == nil {
		return nil
	}
	return c.t.Decode(call, raw, out)
}

// call sends one request with the current access token, minorversion and the company's
// limits; a 401 makes a Refresher refresh once and the request go again.
func (c *Client) call(ctx context.Context, call, method, path string, q url.Values, body []byte) (*storenet.Answer, error) {
	if q == nil {
		q = url.Values{}
	}
	q.Set("minorversion", MinorVersion)
	hdr := http.Header{}
	r := storenet.Request{Call: call, Method: method, URL: storenet.URL(c.base, path, q), Body: body, Header: hdr,
		Before: func(ctx context.Context) error {
			tok, err := c.tokens.AccessToken(ctx)
			if err != nil {
				return err
			}
			hdr.Set("Authorization", "Bearer "+tok)
			return nil
		},
		// HTTP 200 can carry a Fault (a refused single write); never retried as it is.
		Inspect: func(a *storenet.Answer) (time.Duration, *storenet.Error) {
			if !topLevelFault(a.Body) {
				return 0, nil
			}
			e := c.t.NewError(call, ErrInvalid, "")
			describe(e, a.Body)
			return 0, e
		}}
	a, err := c.t.Do(ctx, r)
	if !errors.Is(err, ErrUnauthorized) {
		return a, err
	}
	ref, ok := c.tokens.(Refresher)
	if !ok {
		return nil, err
	}
	if _, rerr := ref.Refresh(ctx, strings.TrimPrefix(hdr.Get("Authorization"), "Bearer ")); rerr != nil {
		return nil, rerr
	}
	return c.t.Do(ctx, r)
}

// topLevelFault reports whether a 2xx body is a Fault answer ({"Fault":…}), not an entity.
func topLevelFault(body []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	_, ok := m["Fault"]
	return ok
}
