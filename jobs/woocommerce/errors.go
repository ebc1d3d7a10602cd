package woocommerce

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Kinds of failure; test with errors.Is. Every error the Client returns for
// a failed call is a *storenet.Error that matches exactly one of them; they
// are storenet's kinds under this package's names.
var (
	// ErrUnauthorized: the store did not accept the API key (401/403),
	// including a key without the permission the call needs.
	ErrUnauthorized = storenet.ErrUnauthorized
	// ErrNotFound: no WooCommerce REST API at the URL (404), or the
	// object does not exist.
	ErrNotFound = storenet.ErrNotFound
	// ErrUnreachable: no HTTP answer at all (DNS, connection, timeout, an
	// internal address refused: errors.Is(err, storenet.ErrInternalAddress)).
	ErrUnreachable = storenet.ErrUnreachable
	// ErrRateLimited: still refused with 429 after every retry.
	ErrRateLimited = storenet.ErrRateLimited
	// ErrInvalid: the store refused the request as invalid (400, 413).
	ErrInvalid = storenet.ErrInvalid
	// ErrStore: the store or its host failed (5xx) or answered something
	// unexpected.
	ErrStore = storenet.ErrServer
)

// wpError is WordPress's REST error body.
type wpError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Status int `json:"status"`
	} `json:"data"`
}

// describe is storenet.Transport's Describe hook: WordPress's error code
// and message, and a hint at what to do about a refused key or a missing API.
// plainHTTP: the store URL is http://, where WooCommerce ignores Basic auth.
func describe(e *storenet.Error, body []byte, plainHTTP bool) {
	var wp wpError
	if json.Unmarshal(body, &wp) == nil && wp.Code != "" {
		e.Code, e.Message = wp.Code, wp.Message
	}
	switch {
	case errors.Is(e.Kind, ErrUnauthorized):
		e.What = fmt.Sprintf("the store did not accept the API key (HTTP %d)", e.Status)
		switch {
		case strings.HasSuffix(e.Code, "_cannot_view") || strings.HasSuffix(e.Code, "_cannot_list"):
			// Anonymous: the credentials were not read at all.
			if plainHTTP {
				e.Hint = "the consumer key is unknown to the store, or the store ignores Basic-auth keys on plain http:// (use its https:// URL)"
			} else {
				e.Hint = "the consumer key is unknown, or the web server strips the Authorization header"
			}
		case strings.Contains(e.Message, "permissions"):
			e.Hint = "give the key Read/Write permission in WooCommerce → Settings → Advanced → REST API"
		default:
			e.Hint = "check the consumer key and secret in WooCommerce → Settings → Advanced → REST API"
		}
	case errors.Is(e.Kind, ErrNotFound):
		e.What = fmt.Sprintf("not found (HTTP %d)", e.Status)
		switch e.Code {
		case "":
			e.Hint = "there is no WordPress REST API at this URL; check the store URL (pretty permalinks must be on)"
		case "rest_no_route":
			e.Hint = "WordPress answers but the WooCommerce REST API (wc/v3) is missing; is WooCommerce active?"
		}
	case errors.Is(e.Kind, ErrRateLimited):
		e.What = fmt.Sprintf("still rate limited by the store's host (HTTP %d)", e.Status)
	}
	if e.Message != "" && e.Code != "" {
		// WordPress's code goes with its message: "Sorry, you cannot list resources. (woocommerce_rest_cannot_view)".
		e.Message += " (" + e.Code + ")"
	}
}
