package woocommerce

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
	// ErrUnauthorized: the store did not accept the API key (401/403),
	// including a key without the permission the call needs.
	ErrUnauthorized = errors.New("woocommerce: the API key was not accepted")
	// ErrNotFound: no WooCommerce REST API at the URL (404), or the
	// object does not exist.
	ErrNotFound = errors.New("woocommerce: not found")
	// ErrUnreachable: no HTTP answer at all (DNS, connection, timeout).
	ErrUnreachable = errors.New("woocommerce: cannot reach the store")
	// ErrRateLimited: still refused with 429 after every retry.
	ErrRateLimited = errors.New("woocommerce: rate limited")
	// ErrInvalid: the store refused the request as invalid (400, 413).
	ErrInvalid = errors.New("woocommerce: request refused as invalid")
	// ErrStore: the store or its host failed (5xx) or answered something
	// unexpected.
	ErrStore = errors.New("woocommerce: store error")
)

// Error is a failed call, described in plain words. It never contains the
// consumer key or secret.
type Error struct {
	Call     string // what was being done, e.g. "list orders (page 3)"
	Status   int    // HTTP status; 0 when no answer came
	Code     string // WordPress error code, e.g. "woocommerce_rest_authentication_error"
	Message  string // WordPress error message
	Body     string // the start of the body when it was not a WordPress error (e.g. a host's HTML page)
	Attempts int    // how many tries were made
	Hint     string // what to do about it, when known
	Err      error  // the transport error, if any
	kind     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("woocommerce: ")
	b.WriteString(e.Call)
	b.WriteString(": ")
	switch {
	case e.kind == ErrUnreachable:
		fmt.Fprintf(&b, "no answer from the store (%v)", e.Err)
	case e.kind == ErrUnauthorized:
		fmt.Fprintf(&b, "the store did not accept the API key (HTTP %d)", e.Status)
	case e.kind == ErrNotFound:
		fmt.Fprintf(&b, "not found (HTTP %d)", e.Status)
	case e.kind == ErrRateLimited:
		fmt.Fprintf(&b, "still rate limited by the store's host (HTTP %d)", e.Status)
	case e.Status != 0:
		fmt.Fprintf(&b, "the store answered HTTP %d %s", e.Status, http.StatusText(e.Status))
	default:
		b.WriteString("failed")
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
	}
	// e.Body is never part of the message: it is shown to users, and the answering server may
	// not be the store at all (a misconfigured address) — its page is none of their business.
	if e.Err != nil && e.kind != ErrUnreachable {
		fmt.Fprintf(&b, " (%v)", e.Err)
	}
	if e.Hint != "" {
		b.WriteString(" — ")
		b.WriteString(e.Hint)
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

// wpError is WordPress's REST error body.
type wpError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Status int `json:"status"`
	} `json:"data"`
}

// statusError describes a non-2xx answer.
func (c *Client) statusError(call string, status int, body []byte) *Error {
	e := &Error{Call: call, Status: status}
	var wp wpError
	if json.Unmarshal(body, &wp) == nil && wp.Code != "" {
		e.Code, e.Message = wp.Code, c.redact(wp.Message)
	} else {
		e.Body = excerpt(c.redact(string(body)))
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.kind = ErrUnauthorized
		switch {
		case strings.HasSuffix(e.Code, "_cannot_view") || strings.HasSuffix(e.Code, "_cannot_list"):
			// Anonymous: the credentials were not read at all.
			if c.store.Scheme == "http" {
				e.Hint = "the consumer key is unknown to the store, or the store ignores Basic-auth keys on plain http:// (use its https:// URL)"
			} else {
				e.Hint = "the consumer key is unknown, or the web server strips the Authorization header"
			}
		case strings.Contains(e.Message, "permissions"):
			e.Hint = "give the key Read/Write permission in WooCommerce → Settings → Advanced → REST API"
		default:
			e.Hint = "check the consumer key and secret in WooCommerce → Settings → Advanced → REST API"
		}
	case status == http.StatusNotFound:
		e.kind = ErrNotFound
		if e.Code == "" {
			e.Hint = "there is no WordPress REST API at this URL; check the store URL (pretty permalinks must be on)"
		} else if e.Code == "rest_no_route" {
			e.Hint = "WordPress answers but the WooCommerce REST API (wc/v3) is missing; is WooCommerce active?"
		}
	case status == http.StatusTooManyRequests:
		e.kind = ErrRateLimited
	case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge:
		e.kind = ErrInvalid
	default:
		e.kind = ErrStore
	}
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
