package shipstation

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"
)

// Kinds of failure; test with errors.Is. Every error the Client returns for
// a failed call is an *Error that matches exactly one of them.
var (
	// ErrUnauthorized: ShipStation rejected the API key and secret (401).
	ErrUnauthorized = errors.New("shipstation: the API key or secret is wrong")
	// ErrNotFound: nothing at that path (404) — the base URL is not the
	// ShipStation API, or the order/store does not exist.
	ErrNotFound = errors.New("shipstation: not found")
	// ErrUnreachable: no HTTP answer at all (DNS, connection, timeout).
	ErrUnreachable = errors.New("shipstation: cannot reach the server")
	// ErrRateLimited: still refused with 429 after every retry.
	ErrRateLimited = errors.New("shipstation: rate limit")
	// ErrInvalid: ShipStation refused the request as invalid (400, 415).
	ErrInvalid = errors.New("shipstation: request refused as invalid")
	// ErrStore: ShipStation failed (5xx) or answered something unexpected.
	ErrStore = errors.New("shipstation: server error")
)

// Error is a failed call, described in plain words. It never contains the
// API key or secret.
type Error struct {
	Call     string // what was being done, e.g. "list orders (page 3)"
	Status   int    // HTTP status; 0 when no answer came
	Message  string // ShipStation's Message / ExceptionMessage / ModelState, if any
	Body     string // the start of the answer's body
	Attempts int    // how many tries were made
	Err      error  // the transport error, if any
	kind     error
	// modelState is the 400 body's ModelState (field → messages).
	modelState map[string][]string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("shipstation: ")
	b.WriteString(e.Call)
	b.WriteString(": ")
	switch {
	case e.kind == ErrUnauthorized:
		b.WriteString("ShipStation rejected the API key and secret (HTTP 401); check both in ShipStation under Settings → API Settings")
	case e.kind == ErrUnreachable:
		fmt.Fprintf(&b, "no answer from the server (%v)", e.Err)
	case e.kind == ErrNotFound:
		fmt.Fprintf(&b, "not found (HTTP %d) — check the base URL, or the id does not exist", e.Status)
	case e.kind == ErrRateLimited:
		fmt.Fprintf(&b, "still over ShipStation's rate limit (HTTP %d)", e.Status)
	case e.Status != 0:
		fmt.Fprintf(&b, "ShipStation answered HTTP %d %s", e.Status, http.StatusText(e.Status))
	default:
		b.WriteString("failed")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
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

// statusError describes a non-2xx answer.
func (c *Client) statusError(call string, status int, body []byte) *Error {
	e := &Error{Call: call, Status: status, Body: excerpt(c.redact(string(body))), Message: c.redact(aspMessage(body))}
	var asp aspError
	if json.Unmarshal(body, &asp) == nil {
		e.modelState = asp.ModelState
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.kind = ErrUnauthorized
	case status == http.StatusNotFound:
		e.kind = ErrNotFound
	case status == http.StatusTooManyRequests:
		e.kind = ErrRateLimited
	case status == http.StatusBadRequest || status == http.StatusUnsupportedMediaType:
		e.kind = ErrInvalid
	default:
		e.kind = ErrStore
	}
	return e
}

// aspError is ASP.NET Web API's error body: {"Message", "ModelState"} for
// 400s, {"Message", "ExceptionMessage", "ExceptionType", "StackTrace"} for
// 500s.
type aspError struct {
	Message          string              `json:"Message"`
	ExceptionMessage string              `json:"ExceptionMessage"`
	ModelState       map[string][]string `json:"ModelState"`
}

// aspMessage extracts the readable part of an ASP.NET error body.
func aspMessage(body []byte) string {
	var e aspError
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	parts := []string{}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	if e.ExceptionMessage != "" {
		parts = append(parts, e.ExceptionMessage)
	}
	keys := make([]string, 0, len(e.ModelState))
	for k := range e.ModelState {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+strings.Join(e.ModelState[k], " "))
	}
	return strings.Join(parts, " ")
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
