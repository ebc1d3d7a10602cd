package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
)

// Code is the machine-readable error kind in extensions.code.
type Code string

const (
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeBadUserInput    Code = "BAD_USER_INPUT"
	CodeConflict        Code = "CONFLICT"
	CodeInternal        Code = "INTERNAL"
)

// Error is an error whose message is safe to show to the caller.
type Error struct {
	Code    Code
	Message string
	// Field names the input field at fault, for BAD_USER_INPUT.
	Field string
}

func (e *Error) Error() string { return e.Message }

func badInput(field, format string, args ...any) error {
	return &Error{Code: CodeBadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

func forbidden(msg string) error { return &Error{Code: CodeForbidden, Message: msg} }

// presentError turns resolver errors into GraphQL errors. Only *Error and the store's sentinels
// reach the client in words; anything else is logged with its path and shown as "internal error".
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Extensions != nil && ge.Extensions["code"] != nil {
			return gerr // parse/validation errors from gqlgen already carry a code
		}
		var e *Error
		var in *model.InputError
		switch {
		case errors.As(err, &in):
			gerr.Message = in.Message
			gerr.Extensions = map[string]any{"code": CodeBadUserInput}
		case ge != nil && len(ge.Path) == 0 && ge.Unwrap() == nil:
			// An error of the request itself (gqlgen could not read or decode it), not of a
			// resolver: the caller's mistake. Its text may quote the body, which can hold
			// secrets, so it is neither shown nor logged.
			log.DebugContext(ctx, "graphql: refused request", "kind", "undecodable")
			gerr.Message = "The request could not be read as a GraphQL request."
			gerr.Extensions = map[string]any{"code": CodeBadUserInput}
		case errors.As(err, &e):
			gerr.Message = e.Message
			gerr.Extensions = map[string]any{"code": e.Code}
			if e.Field != "" {
				gerr.Extensions["field"] = e.Field
			}
		case errors.Is(err, db.ErrNotFound):
			gerr.Message = "not found"
			gerr.Extensions = map[string]any{"code": CodeNotFound}
		case errors.Is(err, db.ErrAlreadyExists):
			gerr.Message = "already exists"
			gerr.Extensions = map[string]any{"code": CodeConflict}
		case errors.Is(err, context.Canceled):
			gerr.Message = "request cancelled"
			gerr.Extensions = map[string]any{"code": CodeInternal}
		default:
			path := ""
			if fc := graphql.GetFieldContext(ctx); fc != nil {
				path = fc.Path().String()
			}
			log.ErrorContext(ctx, "graphql: resolver failed", "path", path, "err", err)
			gerr.Message = "internal error"
			gerr.Extensions = map[string]any{"code": CodeInternal}
		}
		return gerr
	}
}
