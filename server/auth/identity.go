// Package auth signs people in (password + cookie session, with CSRF and login rate limiting),
// authenticates API keys, and carries the resulting Identity through request contexts.
package auth

import (
	"context"

	"github.com/ledgerlink/ledgerlink/db"
)

// Method says how a request proved who it is.
type Method string

const (
	MethodSession Method = "session"
	MethodAPIKey  Method = "api_key"
)

// Identity is who is calling and which account their request reads. AccountID is the
// effective account: the caller's own, or for support staff the one they chose to inspect.
type Identity struct {
	User          *db.User // nil for API keys
	AccountID     int64
	HomeAccountID int64
	Role          db.Role
	Method        Method
	SessionID     int64
	APIKeyID      int64
	CSRFToken     string
}

// CanWrite reports whether the identity may change data. Support staff are read-only.
func (id *Identity) CanWrite() bool { return id.Role == db.RoleOwner || id.Role == db.RoleMember }

type ctxKey struct{}

// WithIdentity returns a context carrying id.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the caller's identity, or nil for an anonymous request.
func FromContext(ctx context.Context) *Identity {
	id, _ := ctx.Value(ctxKey{}).(*Identity)
	return id
}
