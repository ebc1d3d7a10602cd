package shipstation

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Kinds of failure; test with errors.Is. Every error the Client returns for
// a failed call is a *storenet.Error that matches exactly one of them; they
// are storenet's kinds under this package's names.
var (
	// ErrUnauthorized: ShipStation rejected the API key and secret (401/403).
	ErrUnauthorized = storenet.ErrUnauthorized
	// ErrNotFound: nothing at that path (404) — the base URL is not the
	// ShipStation API, or the order/store does not exist.
	ErrNotFound = storenet.ErrNotFound
	// ErrUnreachable: no HTTP answer at all (DNS, connection, timeout, an
	// internal address refused: errors.Is(err, storenet.ErrInternalAddress)).
	ErrUnreachable = storenet.ErrUnreachable
	// ErrRateLimited: still refused with 429 after every retry.
	ErrRateLimited = storenet.ErrRateLimited
	// ErrInvalid: ShipStation refused the request as invalid (400, 415).
	ErrInvalid = storenet.ErrInvalid
	// ErrStore: ShipStation failed (5xx) or answered something unexpected.
	ErrStore = storenet.ErrServer
)

// describe is storenet.Transport's Describe hook: ShipStation's words for a
// refusal, and the ASP.NET error body's Message, ExceptionMessage and
// ModelState (kept as Detail, a map[string][]string, for UpsertOrders).
func describe(e *storenet.Error, body []byte) {
	e.Message = aspMessage(body)
	var asp aspError
	if json.Unmarshal(body, &asp) == nil && asp.ModelState != nil {
		e.Detail = asp.ModelState
	}
	switch {
	case errors.Is(e.Kind, ErrUnauthorized):
		e.What = "ShipStation rejected the API key and secret (HTTP 401); check both in ShipStation under Settings → API Settings"
	case errors.Is(e.Kind, ErrNotFound):
		e.What = fmt.Sprintf("not found (HTTP %d) — check the base URL, or the id does not exist", e.Status)
	case errors.Is(e.Kind, ErrRateLimited):
		e.What = fmt.Sprintf("still over ShipStation's rate limit (HTTP %d)", e.Status)
	}
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
