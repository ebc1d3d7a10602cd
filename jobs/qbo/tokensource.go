package qbo

import "context"

// TokenSource gives a valid access token for a QuickBooks Online connection, refreshing (and
// persisting the rotated refresh token in the same transaction as its use) when needed.
type TokenSource interface {
	AccessToken(ctx context.Context) (string, error)
}
