package shopify

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Kinds of failure; test with errors.Is. Every error the Client returns for
// a failed call is a *storenet.Error that matches exactly one of them: the
// first five are storenet's kinds under this package's names, ErrTooCostly
// and ErrQuery are Shopify's own.
var (
	// ErrUnauthorized: Shopify rejected the access token (401), or the app
	// lacks the scope the call needs (403, ACCESS_DENIED).
	ErrUnauthorized = storenet.ErrUnauthorized
	// ErrNotFound: no Admin API of version 2025-01 at the URL (404).
	ErrNotFound = storenet.ErrNotFound
	// ErrUnreachable: no HTTP answer at all (DNS, connection, timeout, an
	// internal address refused: errors.Is(err, storenet.ErrInternalAddress)).
	ErrUnreachable = storenet.ErrUnreachable
	// ErrThrottled: still THROTTLED (or 429) after every wait.
	ErrThrottled = storenet.ErrRateLimited
	// ErrStore: Shopify failed (5xx, 402 frozen shop, 423 locked shop, any
	// other refusal) or answered something unexpected.
	ErrStore = storenet.ErrServer
	// ErrTooCostly: the query costs more than Shopify lets one query cost
	// (MAX_COST_EXCEEDED) or than the shop's bucket holds. The error's
	// Detail is a queryCost.
	ErrTooCostly = errors.New("shopify: query too costly")
	// ErrQuery: Shopify refused or failed the GraphQL operation (an error
	// in the errors array other than THROTTLED).
	ErrQuery = errors.New("shopify: GraphQL error")
)

// queryCost is the Detail of an ErrTooCostly error: what the query asked
// for and the most Shopify allows (0 when unknown).
type queryCost struct{ cost, maxCost float64 }

// Shopify's words for what went wrong (storenet.Error.What).
const (
	stillThrottled = "still throttled by Shopify's rate limit"
	tooCostly      = "the query is too costly for Shopify's rate limit"
	missingScope   = "the app is not allowed to do this (missing access scope)"
)

// describe is storenet.Transport's Describe hook for a non-200 answer.
// Shopify's REST-style bodies are {"errors": "text"} or {"errors": {"field":
// "text"}}; edge errors are HTML.
func describe(e *storenet.Error, body []byte) {
	var rest struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &rest) == nil && len(rest.Errors) > 0 {
		var s string
		if json.Unmarshal(rest.Errors, &s) == nil {
			e.Message = s
		} else {
			e.Message = string(rest.Errors)
		}
	}
	switch {
	case errors.Is(e.Kind, storenet.ErrInvalid):
		// Shopify answers a bad query with 200 and GraphQL errors; a 400,
		// 413 or 415 is its edge failing, as it always was here.
		e.Kind = ErrStore
	case errors.Is(e.Kind, ErrUnauthorized) && e.Status == http.StatusUnauthorized:
		e.What = "Shopify rejected the access token (HTTP 401); reinstall the app or paste a new token"
	case errors.Is(e.Kind, ErrUnauthorized):
		e.What = missingScope
	case errors.Is(e.Kind, ErrNotFound):
		e.What = fmt.Sprintf("no Shopify Admin API (version %s) at this shop URL (HTTP %d); check the shop address", APIVersion, e.Status)
	case errors.Is(e.Kind, ErrThrottled):
		e.What = stillThrottled
	}
	switch e.Status {
	case http.StatusPaymentRequired:
		e.What = "the shop is frozen (HTTP 402: unpaid Shopify bill)"
	case http.StatusLocked:
		e.What = "the shop is locked (HTTP 423)"
	}
	if errors.Is(e.Kind, ErrUnauthorized) && e.Message != "" {
		// Shopify's own words only qualify ours here: "… (Invalid API key or access token)".
		e.What += " (" + e.Message + ")"
		e.Message = ""
	}
}

// graphQLError describes a 200 answer carrying errors.
func graphQLError(errs []gqlError, cost *costExtension) *storenet.Error {
	e := &storenet.Error{Status: http.StatusOK, Kind: ErrQuery}
	var msgs []string
	var tc queryCost
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
			e.Kind, tc = ErrTooCostly, queryCost{cost: ge.Extensions.Cost, maxCost: ge.Extensions.MaxCost}
		case "ACCESS_DENIED":
			e.Kind = ErrUnauthorized
		case "INTERNAL_SERVER_ERROR":
			e.Kind = ErrStore
		}
	}
	e.Message = strings.Join(msgs, "; ")
	switch {
	case errors.Is(e.Kind, ErrTooCostly):
		if tc.cost == 0 && cost != nil {
			tc.cost = cost.RequestedQueryCost
		}
		e.What, e.Detail = tooCostly, tc
	case errors.Is(e.Kind, ErrUnauthorized):
		e.What, e.Message = missingScope+" ("+e.Message+")", ""
	case errors.Is(e.Kind, ErrQuery), errors.Is(e.Kind, ErrStore):
		if e.Code != "" {
			e.What = fmt.Sprintf("Shopify refused the query (%s)", e.Code)
		}
	}
	return e
}
