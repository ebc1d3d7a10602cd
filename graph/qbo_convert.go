package graph

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

const qboNotConfigured = "QuickBooks Online is not set up on this server: its administrator sets LEDGERLINK_QBO_CLIENT_ID and LEDGERLINK_QBO_CLIENT_SECRET (an app on developer.intuit.com)."

// startQBOConnect makes the authorization for the caller's signed-in browser session: the
// state is bound to it, so only this browser can finish the connection.
func (r *mutationResolver) startQBOConnect(ctx context.Context, name string, reconnectID *int64) (*model.QuickBooksOnlineAuthorization, error) {
	who := identity(ctx)
	if who.Method != auth.MethodSession || who.AccountID != who.HomeAccountID {
		return nil, forbidden("Connecting QuickBooks Online needs you signed in to your own account in a browser: Intuit's sign-in comes back to that browser.")
	}
	if r.QBO == nil {
		return nil, badInput("", "%s", qboNotConfigured)
	}
	u, err := r.QBO.StartConnect(ctx, who.AccountID, who.SessionID, name, reconnectID)
	if errors.Is(err, qbo.ErrNotConfigured) {
		return nil, badInput("", "%s", qboNotConfigured)
	} else if err != nil {
		return nil, err
	}
	return &model.QuickBooksOnlineAuthorization{AuthorizeURL: u}, nil
}

// toQBOConnection shows c's health as of now; its tokens never leave the server.
func toQBOConnection(c *db.QBOConnection, now time.Time) *model.QuickBooksOnlineConnection {
	m := &model.QuickBooksOnlineConnection{ID: c.ID, Name: c.Name, RealmID: c.RealmID, CompanyName: c.CompanyName,
		Status: model.QuickBooksOnlineStatus(strings.ToUpper(c.Status)), AccessTokenExpiresAt: c.AccessExpiresAt,
		RefreshTokenExpiresAt: c.RefreshExpiresAt, LastRefreshAt: c.LastRefreshAt, LastError: c.LastError,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if c.Status == db.QBOStatusConnected && c.RefreshExpiresAt != nil && c.RefreshExpiresAt.Sub(now) < qbo.RefreshWarning {
		days := int(c.RefreshExpiresAt.Sub(now).Hours() / 24)
		when := "in " + pluralDays(days)
		if days < 1 {
			when = "within a day"
		}
		m.Warning = "The QuickBooks Online authorization expires " + when + " and cannot be renewed automatically: click Reconnect and sign in to QuickBooks again before then, or orders stop posting."
	}
	return m
}

func pluralDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
