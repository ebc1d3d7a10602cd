package qbo

import "context"

// TokenSource gives a valid access token for a QuickBooks Online connection, refreshing (and
// persisting the rotated refresh token in the same transaction as its use) when needed.
type TokenSource interface {
	AccessToken(ctx context.Context) (string, error)
}

// TokenSourceFunc adapts a function to TokenSource.
type TokenSourceFunc func(ctx context.Context) (string, error)

// AccessToken calls f.
func (f TokenSourceFunc) AccessToken(ctx context.Context) (string, error) { return f(ctx) }
