package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits on one /graphql request. Every one of them is answered with a BAD_USER_INPUT error
// that says which limit was hit; none of them is logged above DEBUG.
const (
	// MaxRequestBytes caps a request body. The largest legitimate bodies are an item-list upload
	// (a CSV of at most 10 MB) and a rules import (a document of at most rules.MaxDocumentBytes),
	// each grown by JSON escaping; anything larger is refused with 413 before it is parsed.
	MaxRequestBytes = 16 << 20
	// MaxResponseBytes caps the data of one response. An export of rules.MaxImportRules typical
	// rules is a few MB; a response past the cap is replaced by an error naming it.
	MaxResponseBytes = 16 << 20
	// ParserTokenLimit caps the tokens of one query document. The SPA's largest query has a few
	// hundred; the limit stops documents built to make the parser and validator work hard.
	ParserTokenLimit = 10000
)

// costlyFields cost work or a response in proportion to the account's data (every rule, every
// parked SKU, a whole item list, every SKU of a store pushed again, …) rather than to a page
// size the caller chooses, or run a password hash or a call to a store. The complexity check
// cannot bound them, so an operation may select each of them once: aliases cannot multiply an export of 2 000 rules by a hundred.
// Different ones may share a request (the Missing products page reads two lists at once).
var costlyFields = map[string]bool{
	"Query.exportRules":                          true,
	"Query.previewRules":                         true,
	"Query.missingProducts":                      true,
	"Query.overview":                             true,
	"Query.missingShippingMethods":               true,
	"Query.productMappings":                      true,
	"Mutation.importRules":                       true,
	"Mutation.reorderRules":                      true,
	"Mutation.uploadItemList":                    true,
	"Mutation.applyProductMappings":              true,
	"Mutation.resyncOrders":                      true,
	"Mutation.syncStoreConnection":               true,
	"Mutation.createStoreConnection":             true,
	"Mutation.checkStoreCredentials":             true,
	"Mutation.updateStoreConnection":             true,
	"Mutation.createQuickBooksDesktopConnection": true,
	"Mutation.resetWebConnectorPassword":         true,
	"Mutation.pushInventoryNow":                  true,
	"Mutation.disconnectQuickBooksOnline":        true, // a call to Intuit
}

func init() {
	// Operation-level refusals (one costly field, introspection off) are the caller's
	// mistake: gqlgen answers errors of a protocol kind with a 4xx status instead of 200.
	errcode.RegisterErrorType(string(CodeBadUserInput), errcode.KindProtocol)
}

// operationGuard refuses, before anything runs, operations that select a costly field more
// than once and, in production, introspection.
type operationGuard struct{ introspection bool }

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = operationGuard{}

func (operationGuard) ExtensionName() string                   { return "OperationGuard" }
func (operationGuard) Validate(graphql.ExecutableSchema) error { return nil }

func (g operationGuard) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := &rootWalker{costly: map[string]string{}, expanded: map[string]bool{}}
	w.walk(oc.Operation.SelectionSet)
	if !g.introspection && w.introspection {
		return refusal("Introspection is off on this server; the schema is in the repository's graph/schema folder.")
	}
	var repeated []string
	perField := map[string]int{}
	for _, f := range w.costly {
		if perField[f]++; perField[f] == 2 {
			repeated = append(repeated, f)
		}
	}
	if len(repeated) > 0 {
		sort.Strings(repeated)
		return refusal(fmt.Sprintf("%s may be asked for once per request; send separate requests.", strings.Join(repeated, ", ")))
	}
	return nil
}

// rootWalker collects what an operation runs at its root, through fragments. Fields of one
// response key (alias) merge into one execution, so costly fields are counted by response key:
// the number of keys is the number of times a resolver runs. Costly fields and introspection
// only exist at the root, so the walk does not descend into fields, and a fragment spread twice
// adds nothing the first spread did not: each is expanded once, which keeps the walk linear.
type rootWalker struct {
	costly        map[string]string // response key -> field name
	introspection bool
	expanded      map[string]bool
}

func (w *rootWalker) walk(set ast.SelectionSet) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				w.introspection = true
			} else if s.ObjectDefinition != nil && costlyFields[s.ObjectDefinition.Name+"."+s.Name] {
				w.costly[s.Alias] = s.Name
			}
		case *ast.InlineFragment:
			w.walk(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil && !w.expanded[s.Name] {
				w.expanded[s.Name] = true
				w.walk(s.Definition.SelectionSet)
			}
		}
	}
}

func refusal(msg string) *gqlerror.Error {
	// A plain string: gqlgen looks the code up by string to choose the HTTP status.
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(CodeBadUserInput)}}
}

// capResponse replaces a response whose data is larger than max by an error saying so.
func capResponse(max int) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp != nil && len(resp.Data) > max {
			return &graphql.Response{Errors: gqlerror.List{refusal(fmt.Sprintf(
				"The response would be larger than %d MB; ask for fewer fields or smaller pages.", max>>20))}}
		}
		return resp
	}
}

// readBody reads the request body up to max bytes and checks that it is one JSON object (a
// single operation). It answers the refusals itself and returns ok=false after doing so. The
// body is never logged: it may hold store tokens and passwords.
func readBody(w http.ResponseWriter, r *http.Request, max int64, log *slog.Logger) (body []byte, ok bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		log.DebugContext(r.Context(), "graphql: refused body", "kind", "too_large", "limit", max)
		writeError(w, http.StatusRequestEntityTooLarge, CodeBadUserInput, fmt.Sprintf("The request is larger than %d MB.", max>>20))
		return nil, false
	case err != nil:
		log.DebugContext(r.Context(), "graphql: refused body", "kind", "unreadable", "bytes", len(body))
		writeError(w, http.StatusBadRequest, CodeBadUserInput, "The request body could not be read.")
		return nil, false
	}
	kind, msg := "", ""
	switch trimmed := bytes.TrimLeft(body, " \t\r\n"); {
	case len(trimmed) > 0 && trimmed[0] == '[':
		kind, msg = "batch", "Send one operation per request; batched arrays are not supported."
	case !json.Valid(body):
		kind, msg = "invalid_json", "The request body is not valid JSON."
	case len(trimmed) == 0 || trimmed[0] != '{':
		kind, msg = "not_object", `Send a JSON object: {"query": "…", "variables": {…}}.`
	}
	if kind != "" {
		log.DebugContext(r.Context(), "graphql: refused body", "kind", kind, "bytes", len(body))
		writeError(w, http.StatusBadRequest, CodeBadUserInput, msg)
		return nil, false
	}
	return body, true
}
