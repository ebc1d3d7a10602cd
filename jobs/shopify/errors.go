package shopify

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Kinds of failure; test with errors.Is. Every error the Client returns for
// a failed call is an *Error that matches exactly one of them.
var (
	// ErrUnauthorized: Shopify rejected the access token (401), or the app
	// lacks the scope the call needs (403, ACCESS_DENIED).
	ErrUnauthorized = errors.New("shopify: the access token was rejected")
	// ErrNotFound: no Admin API of version 2025-01 at the URL (404).
	ErrNotFound = errors.New("shopify: not found")
	// ErrUnreachable: no HTTP answer at all (DNS, connection, timeout).
	ErrUnreachable = errors.New("shopify: cannot reach the shop")
	// ErrThrottled: still THROTTLED (or 429) after every wait.
	ErrThrottled = errors.New("shopify: throttled")
	// ErrTooCostly: the query costs more than Shopify lets one query cost
	// (MAX_COST_EXCEEDED) or than the shop's bucket holds.
	ErrTooCostly = errors.New("shopify: query too costly")
	// ErrQuery: Shopify refused or failed the GraphQL operation (an error
	// in the errors array other than THROTTLED).
	ErrQuery = errors.New("shopify: GraphQL error")
	// ErrStore: Shopify failed (5xx, 402 frozen shop, 423 locked shop) or
	// answered something unexpected.
	ErrStore = errors.New("shopify: shop error")
)

// Error is a failed call, described in plain words. It never contains the
// access token.
type Error struct {
	Call     string // what was being done, e.g. "list orders (page 3)"
	Status   int    // HTTP status; 0 when no answer came
	Code     string // GraphQL extensions.code, e.g. "MAX_COST_EXCEEDED"
	Message  string // Shopify's message(s)
	Body     string // the start of a non-JSON body
	Attempts int    // how many tries were made
	Err      error  // the transport error, if any
	kind     error
	maxCost  float64 // MAX_COST_EXCEEDED: the limit; cost: what was asked
	cost     float64
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("shopify: ")
	b.WriteString(e.Call)
	b.WriteString(": ")
	switch {
	case e.kind == ErrUnreachable:
		fmt.Fprintf(&b, "no answer from the shop (%v)", e.Err)
	case e.kind == ErrUnauthorized && e.Status == http.StatusUnauthorized:
		b.WriteString("Shopify rejected the access token (HTTP 401); reinstall the app or paste a new token")
	case e.kind == ErrUnauthorized:
		b.WriteString("the app is not allowed to do this (missing access scope)")
	case e.kind == ErrNotFound && e.Status == http.StatusNotFound:
		fmt.Fprintf(&b, "no Shopify Admin API (version %s) at this shop URL (HTTP %d); check the shop address", APIVersion, e.Status)
	case e.kind == ErrNotFound:
		b.WriteString("not found")
	case e.kind == ErrThrottled:
		fmt.Fprintf(&b, "still throttled by Shopify's rate limit")
	case e.kind == ErrTooCostly:
		b.WriteString("the query is too costly for Shopify's rate limit")
	case e.Status == http.StatusPaymentRequired:
		b.WriteString("the shop is frozen (HTTP 402: unpaid Shopify bill)")
	case e.Status == http.StatusLocked:
		b.WriteString("the shop is locked (HTTP 423)")
	case e.Status != 0 && e.Status != http.StatusOK:
		fmt.Fprintf(&b, "Shopify answered HTTP %d %s", e.Status, http.StatusText(e.Status))
	case e.Code != "":
		fmt.Fprintf(&b, "Shopify refused the query (%s)", e.Code)
	default:
		b.WriteString("failed")
	}
	if e.Message != "" && e.kind != ErrUnauthorized {
		b.WriteString(": ")
		b.WriteString(e.Message)
	} else if e.Message != "" {
		fmt.Fprintf(&b, " (%s)", e.Message)
	}
	// e.Body is never part of the message: it is shown to users, and the answering server may
	// not be the store at all (a misconfigured address) — its page is none of their business.
	if e.Err != nil && e.kind != ErrUnreachable {
		fmt.Fprintf(&b, " (%v)", e.Err)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " [after %d attempts]", e.Attempts)
	}
	return b.String()
}

// Is reports whether target is the kind of e (ErrUnauthorized, …).
func (e *Error) Is(target error) bool { return target == e.kind }

// Unwrap returns the transport error, if any.
func (e *Error) Unwrap() error { return e.Err }

// statusError describes a non-200 answer. Shopify's REST-style bodies are
// {"errors": "text"} or {"errors": {"field": "text"}}; edge errors are HTML.
func (c *Client) statusError(call string, status int, body []byte) *Error {
	e := &Error{Call: call, Status: status}
	var rest struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &rest) == nil && len(rest.Errors) > 0 {
		var s string
		if json.Unmarshal(rest.Errors, &s) == nil {
			e.Message = c.redact(s)
		} else {
			e.Message = c.redact(string(rest.Errors))
		}
	} else {
		e.Body = excerpt(c.redact(string(body)))
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.kind = ErrUnauthorized
	case status == http.StatusNotFound:
		e.kind = ErrNotFound
	case status == http.StatusTooManyRequests:
		e.kind = ErrThrottled
	default:
		e.kind = ErrStore
	}
	return e
}

// graphQLError describes a 200 answer carrying errors.
func (c *Client) graphQLError(call string, errs []gqlError, cost *costExtension, attempts int) *Error {
	e := &Error{Call: call, Status: http.StatusOK, Attempts: attempts, kind: ErrQuery}
	var msgs []string
	for _, ge := range errs {
		m := strings.TrimSpace(strings.SplitN(ge.Message, "\n", 2)[0])
		if len(ge.Path) > 0 {
			m += fmt.Sprintf(" (at %v)", ge.Path)
		}
		msgs = append(msgs, m)
		if e.Code == "" {
			e.Code = ge.Extensions.Code
		}
		switch ge.Extensions.Code {
		case "MAX_COST_EXCEEDED":
			e.kind, e.maxCost, e.cost = ErrTooCostly, ge.Extensions.MaxCost, ge.Extensions.Cost
		case "ACCESS_DENIED":
			e.kind = ErrUnauthorized
		case "INTERNAL_SERVER_ERROR":
			e.kind = ErrStore
		}
	}
	if e.kind == ErrTooCostly && e.cost == 0 && cost != nil {
		e.cost = cost.RequestedQueryCost
	}
	e.Message = c.redact(strings.Join(msgs, "; "))
	return e
}

// excerpt shortens a body for an error message.
func excerpt(s string) string {
	s = strings.TrimSpace(s)
	const n = 300
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
