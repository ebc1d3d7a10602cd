package storenet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"unicode/utf8"
)

// Kinds of failure of a store API call; callers test them with errors.Is. Every *Error matches
// exactly one kind: one of these, or a kind a client defines for what only its API can say
// (Shopify's query cost, its GraphQL errors). The clients re-export the ones they return under
// their own names (shopify.ErrUnauthorized is ErrUnauthorized), so errors.Is works with either.
var (
	// ErrUnauthorized: the store did not accept the credentials (401), or they lack the
	// permission the call needs (403).
	ErrUnauthorized = errors.New("the store did not accept the credentials")
	// ErrNotFound: nothing at that address (404) — the URL is not the store's API, or the
	// object does not exist.
	ErrNotFound = errors.New("not found at the store")
	// ErrUnreachable: no HTTP answer at all (DNS, connection refused, timeout, or an address
	// refused with ErrInternalAddress, which the *Error then wraps).
	ErrUnreachable = errors.New("cannot reach the store")
	// ErrRateLimited: still refused for the rate limit (429, Shopify's THROTTLED) after every
	// wait the client allows itself.
	ErrRateLimited = errors.New("rate limited by the store")
	// ErrInvalid: the store refused the request as invalid (400, 413, 415).
	ErrInvalid = errors.New("request refused as invalid by the store")
	// ErrServer: the store failed (5xx and every other refusal not named above) or answered
	// something that is not what its API answers.
	ErrServer = errors.New("store error")
)

// Why no answer came, for an ErrUnreachable *Error: errors.Is(err, ErrNoSuchHost) tells a
// mistyped address from a server that is down, so a form can say which.
var (
	// ErrNoSuchHost: the address's host name does not resolve (DNS).
	ErrNoSuchHost = errors.New("no server has that name")
	// ErrRefused: the host exists but nothing listens there.
	ErrRefused = errors.New("the server refused the connection")
	// ErrTimeout: the host did not answer in time.
	ErrTimeout = errors.New("the server did not answer in time")
)

// netError is a transport error as an *Error keeps it: its text redacted, and only its cause
// (ErrNoSuchHost, ErrRefused, ErrTimeout or nil) left to unwrap, never the original error,
// whose text may name a credential.
type netError struct {
	text  string
	cause error
}

func (e *netError) Error() string { return e.text }
func (e *netError) Unwrap() error { return e.cause }

// netCause is which of the network causes err is, or nil.
func netCause(err error) error {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return ErrNoSuchHost
	case errors.Is(err, syscall.ECONNREFUSED):
		return ErrRefused
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return ErrTimeout
	}
	return nil
}

type attemptsKey struct{}

// WithMaxAttempts returns a ctx under which every Transport tries a call at most n times
// (n ≥ 1), whatever its MaxAttempts. A connection test the merchant waits for uses 1: a
// mistyped address is reported at once, not after half a minute of backoff.
func WithMaxAttempts(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, attemptsKey{}, max(n, 1))
}

// Error is a failed store API call, described in plain words for the merchant who set the
// connection up. It never contains a credential (Transport redacts them) and never the reply's
// body: the server that answered may not be the store at all (a mistyped address), and its page
// is none of the merchant's business.
type Error struct {
	Service  string // the client, e.g. "shopify": the first word of the message
	Call     string // what was being done, e.g. "list orders (page 3)"
	Status   int    // HTTP status; 0 when no answer came
	What     string // what went wrong, when the client has better words than the default
	Code     string // the store's error code, e.g. "MAX_COST_EXCEEDED"
	Message  string // the store's own message, redacted
	Hint     string // what to do about it, when known
	Body     string // the start of the reply's body, redacted; for debugging, never in Error()
	Attempts int    // how many tries were made
	Err      error  // the transport or decoding error, if any
	Kind     error  // ErrUnauthorized, … or a client's own kind
	// Detail is what the client kept from the reply for its own use (ShipStation's ModelState,
	// Shopify's query cost); never part of Error().
	Detail any

	peer, place string // see Transport.Peer and Transport.Place
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Service)
	b.WriteString(": ")
	b.WriteString(e.Call)
	b.WriteString(": ")
	switch {
	case e.What != "":
		b.WriteString(e.What)
	case errors.Is(e.Kind, ErrUnreachable):
		fmt.Fprintf(&b, "no answer from %s (%v)", e.place, e.Err)
	case e.Status >= 300:
		fmt.Fprintf(&b, "%s answered HTTP %d %s", e.peer, e.Status, http.StatusText(e.Status))
	case errors.Is(e.Kind, ErrNotFound):
		b.WriteString("not found")
	default:
		b.WriteString("failed")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil && !errors.Is(e.Kind, ErrUnreachable) {
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

// Is reports whether target is the kind of e.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the transport or decoding error, if any (ErrInternalAddress among them).
func (e *Error) Unwrap() error { return e.Err }

// kindOf is the kind of a refusal by its status; a client's Describe hook may refine it.
func kindOf(status int) error {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return ErrUnauthorized
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusTooManyRequests:
		return ErrRateLimited
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return ErrInvalid
	default:
		return ErrServer
	}
}

// excerpt shortens a body kept in Error.Body.
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
