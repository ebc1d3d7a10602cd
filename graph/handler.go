package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// ComplexityLimit bounds how much work one operation may ask for. A connection costs its page
// size times its children, so two nested 100-row lists exceed it.
const ComplexityLimit = 2500

// Authenticator resolves the caller of a request (auth.Service in production).
type Authenticator interface {
	Authenticate(r *http.Request) (*auth.Identity, error)
}

// Options configure the handler.
type Options struct {
	// Dev enables introspection, the GraphiQL playground and "Did you mean …" suggestions.
	Dev bool
	// MaxRequestBytes and MaxResponseBytes override the package limits of the same names
	// (0 keeps them); tests lower them.
	MaxRequestBytes  int64
	MaxResponseBytes int
}

// NewHandler returns the /graphql handler: it authenticates the caller (401 UNAUTHENTICATED
// without valid credentials, 403 FORBIDDEN for a cookie request without its CSRF token), then
// runs the operation with the caller's identity in the context.
func NewHandler(res *Resolver, authn Authenticator, opts Options) http.Handler {
	if res.Log == nil {
		res.Log = slog.Default()
	}
	cfg := Config{Resolvers: res}
	cfg.Directives.HasRole = hasRole
	cfg.Complexity.Query.Accounts = func(child int, first *int, _ *string, _ *string) int { return connectionComplexity(child, first) }
	cfg.Complexity.Query.APIKeys = func(child int, first *int, _ *string, _ *bool) int { return connectionComplexity(child, first) }
	cfg.Complexity.Query.ShipStationExports = func(child int, _ int64, _ *string, _ *string, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.Logs = func(child int, _ *model.LogFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.Rules = func(child int, _ *model.RuleFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.RuleHistory = func(child int, _ int64, first *int, _ *string) int { return connectionComplexity(child, first) }
	cfg.Complexity.Query.QuickBooksItems = func(child int, _ int64, _ *string, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.Orders = func(child int, _ *model.OrderFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.InventoryUpdates = func(child int, _ *model.InventoryUpdateFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.InventoryPushLog = func(child int, _ *model.InventoryPushLogFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.QuickBooksDesktopConnections = func(child int, first *int, _ *string) int { return connectionComplexity(child, first) }
	cfg.Complexity.QuickBooksDesktopConnection.WorkItems = func(child int, _ *model.WorkItemStatus, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}

	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(ParserTokenLimit)
	srv.SetDisableSuggestion(!opts.Dev) // suggestions map the schema for whoever probes it
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit))
	srv.Use(operationGuard{introspection: opts.Dev})
	if opts.Dev {
		srv.Use(extension.Introspection{})
	}
	maxResponse := opts.MaxResponseBytes
	if maxResponse <= 0 {
		maxResponse = MaxResponseBytes
	}
	srv.AroundResponses(capResponse(maxResponse))
	maxRequest := opts.MaxRequestBytes
	if maxRequest <= 0 {
		maxRequest = MaxRequestBytes
	}
	srv.SetErrorPresenter(presentError(res.Log))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		res.Log.ErrorContext(ctx, "graphql: panic", "panic", p)
		return &Error{Code: CodeInternal, Message: "internal error"}
	})
	// Support staff are read-only everywhere: refuse any mutation before a resolver runs.
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
			if id := auth.FromContext(ctx); id == nil || !id.CanWrite() {
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
					Message:    "Support access is read-only.",
					Extensions: map[string]any{"code": CodeForbidden},
				}}})
			}
		}
		return next(ctx)
	})

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := authn.Authenticate(r)
		switch {
		case errors.Is(err, auth.ErrNoCredentials):
			writeError(w, http.StatusUnauthorized, CodeUnauthenticated, "Sign in, or send an API key as 'Authorization: Bearer <key>'.")
			return
		case errors.Is(err, auth.ErrInvalidCredentials):
			writeError(w, http.StatusUnauthorized, CodeUnauthenticated, "The session has expired or the API key is wrong or revoked.")
			return
		case errors.Is(err, auth.ErrForbiddenAccount):
			writeError(w, http.StatusForbidden, CodeForbidden, "You may not read that account.")
			return
		case err != nil:
			res.Log.ErrorContext(r.Context(), "graphql: authenticate", "err", err)
			writeError(w, http.StatusInternalServerError, CodeInternal, "internal error")
			return
		}
		if !auth.CheckCSRF(r, id) {
			writeError(w, http.StatusForbidden, CodeForbidden, "Missing or wrong "+auth.CSRFHeader+" header.")
			return
		}
		if r.Method == http.MethodGet && opts.Dev && id.Method == auth.MethodSession {
			playground.Handler("Ledgerlink GraphQL", "/graphql",
				playground.WithGraphiqlFetcherHeaders(map[string]string{auth.CSRFHeader: id.CSRFToken}),
			).ServeHTTP(w, r)
			return
		}
		body, ok := readBody(w, r, maxRequest, res.Log)
		if !ok {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		srv.ServeHTTP(w, r.WithContext(withLoaders(auth.WithIdentity(r.Context(), id))))
	})
}

// writeError answers with a GraphQL-shaped error body so clients handle it like any other.
func writeError(w http.ResponseWriter, status int, code Code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}

// hasRole implements @hasRole: OWNER needs owner, MEMBER needs owner or member, SUPPORT needs support.
func hasRole(ctx context.Context, _ any, next graphql.Resolver, role model.Role) (any, error) {
	id := auth.FromContext(ctx)
	if id == nil {
		return nil, &Error{Code: CodeUnauthenticated, Message: "not signed in"}
	}
	ok := false
	switch role {
	case model.RoleOwner:
		ok = id.Role == db.RoleOwner
	case model.RoleMember:
		ok = id.Role == db.RoleOwner || id.Role == db.RoleMember
	case model.RoleSupport:
		ok = id.Role == db.RoleSupport
	}
	if !ok {
		return nil, forbidden("This needs the " + string(role) + " role.")
	}
	return next(ctx)
}

// identity returns the caller; NewHandler guarantees one is present.
func identity(ctx context.Context) *auth.Identity {
	if id := auth.FromContext(ctx); id != nil {
		return id
	}
	panic("graph: resolver called without an identity")
}
