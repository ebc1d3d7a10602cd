package qbo

import (
	"context"
	"fmt"
)

// Client returns the Accounting API client of company connectionID of accountID: its realm,
// its tokens (For), Config.APIURL, and limiter lim shared by the process's companies.
func (t *Tokens) Client(ctx context.Context, accountID, connectionID int64, lim *Limiter) (*Client, error) {
	conn, err := t.DB.GetQBOConnection(ctx, accountID, connectionID)
	if err != nil {
		return nil, fmt.Errorf("qbo: company %d: %w", connectionID, err)
	}
	return NewClient(Options{APIURL: t.Config.APIURL, Realm: conn.RealmID, Tokens: t.For(accountID, connectionID), Limiter: lim})
}
