package qbo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/oauth2"

	"github.com/ledgerlink/ledgerlink/db"
)

// Intuit's production endpoints (discovery document, OAuth 2.0 guide step 6); Config's defaults.
const (
	DefaultAuthURL   = "https://appcenter.intuit.com/connect/oauth2"
	DefaultTokenURL  = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
	DefaultRevokeURL = "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
	DefaultAPIURL    = "https://quickbooks.api.intuit.com"
	// Scope is the one scope Ledgerlink asks for: the Accounting API.
	Scope = "com.intuit.quickbooks.accounting"
	// RefreshBefore is how long before its expiry an access token is replaced: a token handed
	// out has at least this long to live, so a batch that starts with it does not die halfway.
	RefreshBefore = 5 * time.Minute
	// RefreshWarning is how close the refresh token's hard expiry may come before the merchant
	// is warned to reconnect.
	RefreshWarning = 14 * 24 * time.Hour
)

// ErrReconnectNeeded means the connection cannot get an access token until the merchant
// connects the company again (Intuit refused the refresh token, or it was disconnected). The
// connection's status already says so; retrying does not help.
var ErrReconnectNeeded = errors.New("QuickBooks Online needs to be connected again")

// ErrNotConfigured means LEDGERLINK_QBO_CLIENT_ID / _SECRET are not set.
var ErrNotConfigured = errors.New("QuickBooks Online is not set up on this server: set LEDGERLINK_QBO_CLIENT_ID and LEDGERLINK_QBO_CLIENT_SECRET (an app on developer.intuit.com)")

// Config is who Ledgerlink is at Intuit and where Intuit (or the simulator) answers.
type Config struct {
	ClientID, ClientSecret string
	AuthURL                string // authorization (consent) page
	TokenURL               string // token endpoint: code exchange and refresh
	RevokeURL              string
	// APIURL is the Accounting API's base, without /v3 (e.g. https://quickbooks.api.intuit.com).
	APIURL string
	// RedirectURL is our callback, registered with the app at Intuit: <public URL>/qbo/callback.
	RedirectURL string
}

// Configured reports whether the app credentials are set.
func (c Config) Configured() bool { return c.ClientID != "" && c.ClientSecret != "" }

func (c Config) oauth2() *oauth2.Config {
	return &oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL, Scopes: []string{Scope},
		Endpoint: oauth2.Endpoint{AuthURL: c.AuthURL, TokenURL: c.TokenURL, AuthStyle: oauth2.AuthStyleInHeader}}
}

// Tokens obtains, refreshes and revokes the tokens of an account's QuickBooks Online companies.
// Safe for concurrent use, across processes too: refreshes are serialised by the connection's
// row lock.
type Tokens struct {
	DB     *db.DB
	Sealer *db.Sealer
	Config Config
	// HTTP carries the calls to Intuit (default: 30 s timeout).
	HTTP *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (t *Tokens) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

func (t *Tokens) client() *http.Client {
	if t.HTTP != nil {
		return t.HTTP
	}
	return defaultHTTP
}

// ctx gives x/oauth2 our HTTP client.
func (t *Tokens) ctx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, t.client())
}

// AuthorizeURL is Intuit's consent page for state.
func (t *Tokens) AuthorizeURL(state string) string { return t.Config.oauth2().AuthCodeURL(state) }

// Exchange trades the authorization code the callback received for tokens.
func (t *Tokens) Exchange(ctx context.Context, code string) (db.QBOTokens, error) {
	now := t.now()
	tok, err := t.Config.oauth2().Exchange(t.ctx(ctx), code)
	if err != nil {
		return db.QBOTokens{}, fmt.Errorf("qbo: exchange code: %w", err)
	}
	return tokens(tok, db.QBOTokens{}, now)
}

// tokens reads Intuit's token response; prev fills in what it leaves out (a refresh that does
// not rotate the refresh token, or omits its expiry).
func tokens(tok *oauth2.Token, prev db.QBOTokens, now time.Time) (db.QBOTokens, error) {
	out := db.QBOTokens{Access: tok.AccessToken, Refresh: tok.RefreshToken, AccessExpiresAt: tok.Expiry, RefreshExpiresAt: prev.RefreshExpiresAt}
	if out.Access == "" {
		return out, errors.New("qbo: Intuit's token answer has no access_token")
	}
	if out.Refresh == "" {
		out.Refresh = prev.Refresh
	}
	switch {
	case tok.ExpiresIn > 0: // on our clock, not x/oauth2's
		out.AccessExpiresAt = now.Add(time.Duration(tok.ExpiresIn) * time.Second)
	case out.AccessExpiresAt.IsZero():
		out.AccessExpiresAt = now.Add(time.Hour) // Intuit's documented lifetime
	}
	if secs, ok := tok.Extra("x_refresh_token_expires_in").(float64); ok && secs > 0 {
		out.RefreshExpiresAt = now.Add(time.Duration(secs) * time.Second)
	}
	if out.Refresh == "" {
		return out, errors.New("qbo: Intuit's token answer has no refresh_token")
	}
	return out, nil
}

// For returns the token source of connection id in accountID.
func (t *Tokens) For(accountID, id int64) *ConnectionTokens {
	return &ConnectionTokens{t: t, accountID: accountID, id: id}
}

// ConnectionTokens is the TokenSource of one connection.
type ConnectionTokens struct {
	t         *Tokens
	accountID int64
	id        int64
}

// AccessToken returns the stored access token while it has more than RefreshBefore to live, and
// otherwise refreshes it first (see Refresh). ErrReconnectNeeded when the connection needs the
// merchant.
func (c *ConnectionTokens) AccessToken(ctx context.Context) (string, error) {
	conn, err := c.t.DB.GetQBOConnection(ctx, c.accountID, c.id)
	if err != nil {
		return "", fmt.Errorf("qbo: tokens: %w", err)
	}
	if err := usable(conn); err != nil {
		return "", err
	}
	toks, err := conn.OpenTokens(c.t.Sealer)
	if err != nil {
		return "", fmt.Errorf("qbo: tokens of %q: %w", conn.Name, err)
	}
	if toks.AccessExpiresAt.Sub(c.t.now()) > RefreshBefore {
		return toks.Access, nil
	}
	return c.Refresh(ctx, "")
}

// Refresh gets a new access token with the refresh token, under the connection's row lock, and
// stores the rotated refresh token in the same transaction: of two workers refreshing at once
// the second waits for the first and then uses its fresh token instead of spending the refresh
// token the first already rotated. rejected is an access token the API refused (401), to be
// replaced even if it looks unexpired; "" refreshes only when the stored one is about to expire.
//
// Intuit refusing the refresh token (invalid_grant) marks the connection "reconnect needed" and
// returns ErrReconnectNeeded; other failures are recorded as its last error and returned, to be
// retried.
func (c *ConnectionTokens) Refresh(ctx context.Context, rejected string) (string, error) {
	var access string
	var failure error
	err := c.t.DB.LockQBOConnection(ctx, c.accountID, c.id, func(ctx context.Context, tx bun.Tx, conn *db.QBOConnection) error {
		if failure = usable(conn); failure != nil {
			return nil
		}
		toks, err := conn.OpenTokens(c.t.Sealer)
		if err != nil {
			return fmt.Errorf("qbo: tokens of %q: %w", conn.Name, err)
		}
		now := c.t.now()
		if toks.AccessExpiresAt.Sub(now) > RefreshBefore && toks.Access != rejected {
			access = toks.Access // another worker refreshed while this one waited for the lock
			return nil
		}
		src := c.t.Config.oauth2().TokenSource(c.t.ctx(ctx), &oauth2.Token{RefreshToken: toks.Refresh, Expiry: now.Add(-time.Minute)})
		tok, err := src.Token()
		if err == nil {
			var fresh db.QBOTokens
			if fresh, err = tokens(tok, toks, now); err == nil {
				access = fresh.Access
				return db.SetQBOTokens(ctx, tx, c.t.Sealer, conn, fresh, now)
			}
		}
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			failure = fmt.Errorf("qbo: refresh %q: %w", conn.Name, ErrReconnectNeeded)
			const what = "QuickBooks Online refused the saved authorization (it expired or was revoked in QuickBooks)."
			const todo = "Click Reconnect on the Connections page and sign in to QuickBooks again; orders for this company wait until then."
			if err := db.SetQBOStatus(ctx, tx, conn, db.QBOStatusReconnect, what+" "+todo, now); err != nil {
				return err
			}
			// The account's log too, so the Logs page and the dashboard's errors show it.
			hint := todo
			return db.InsertSyncLog(ctx, tx, &db.SyncLog{AccountID: conn.AccountID, Level: db.LevelError, Source: "quickbooks-online",
				Message: "QuickBooks Online company “" + conn.Name + "” needs to be connected again: " + what, Hint: &hint})
		}
		failure = fmt.Errorf("qbo: refresh %q: %w", conn.Name, err)
		return db.SetQBOStatus(ctx, tx, conn, conn.Status, "Refreshing the QuickBooks Online access token failed ("+plainError(err)+"); Ledgerlink tries again with the next request.", now)
	})
	if err != nil {
		return "", err
	}
	if failure != nil {
		return "", failure
	}
	return access, nil
}

// usable says why conn cannot hand out tokens, if it cannot.
func usable(conn *db.QBOConnection) error {
	if conn.Status != db.QBOStatusConnected {
		return fmt.Errorf("qbo: connection %q is %s: %w", conn.Name, strings.ReplaceAll(conn.Status, "_", " "), ErrReconnectNeeded)
	}
	return nil
}

// plainError is err's message for a person: Intuit's error code when it gave one, never a body
// that could echo a token.
func plainError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode != "" {
			return "Intuit answered " + re.ErrorCode
		}
		if re.Response != nil {
			return "Intuit answered HTTP " + re.Response.Status
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return "Intuit could not be reached: " + ue.Err.Error()
	}
	return err.Error()
}

// Revoke revokes the connection's grant at Intuit (the refresh token, and with it every access
// token), as the merchant disconnecting asks.
func (t *Tokens) Revoke(ctx context.Context, refreshToken string) error {
	body, _ := json.Marshal(map[string]string{"token": refreshToken})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.Config.RevokeURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("qbo: revoke: %w", err)
	}
	req.SetBasicAuth(url.QueryEscape(t.Config.ClientID), url.QueryEscape(t.Config.ClientSecret))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := t.client().Do(req)
	if err != nil {
		return fmt.Errorf("qbo: revoke: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("qbo: revoke: Intuit answered HTTP %s", resp.Status)
	}
	return nil
}

// Disconnect revokes connection id's grant at Intuit and deletes its tokens. A revoke Intuit
// refuses or cannot be reached for still deletes them (the merchant asked to disconnect; the
// grant then expires unused at Intuit) and is recorded as the connection's last error.
func (t *Tokens) Disconnect(ctx context.Context, accountID, id int64) (*db.QBOConnection, error) {
	var out *db.QBOConnection
	err := t.DB.LockQBOConnection(ctx, accountID, id, func(ctx context.Context, tx bun.Tx, conn *db.QBOConnection) error {
		lastErr := ""
		if toks, err := conn.OpenTokens(t.Sealer); err == nil {
			if err := t.Revoke(ctx, toks.Refresh); err != nil {
				lastErr = "Disconnected, but Intuit did not confirm the revocation (" + plainError(err) + "); you can also remove Ledgerlink under Apps in QuickBooks Online."
			}
		}
		out = conn
		return db.DisconnectQBOConnection(ctx, tx, conn, lastErr, t.now())
	})
	return out, err
}

// CompanyName reads the company's name from the Accounting API (CompanyInfo), for the card that
// shows the connection; "" when it cannot be read (the connection works without it).
func (t *Tokens) CompanyName(ctx context.Context, realmID, access string) string {
	u := strings.TrimRight(t.Config.APIURL, "/") + "/v3/company/" + url.PathEscape(realmID) + "/companyinfo/" + url.PathEscape(realmID) + "?minorversion=75"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return ""
	}
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Accept", "application/json")
	resp, err := t.client().Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var body struct {
		CompanyInfo struct {
			CompanyName string `json:"CompanyName"`
		} `json:"CompanyInfo"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body) != nil {
		return ""
	}
	return body.CompanyInfo.CompanyName
}
