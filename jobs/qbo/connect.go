package qbo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ledgerlink/ledgerlink/db"
)

// StateLifetime is how long a "Connect to QuickBooks" click may take to come back.
const StateLifetime = 15 * time.Minute

// Why a connection attempt failed, as the callback reports it to the SPA (?qbo_error=…).
const (
	ConnectDenied   = "denied"   // the merchant clicked Cancel at Intuit (or Intuit sent another error)
	ConnectState    = "state"    // the state is unknown, used, expired or another session's
	ConnectExchange = "exchange" // Intuit did not give tokens for the code
	ConnectRealm    = "realm"    // reconnecting one company, the merchant chose another
)

// ConnectError is a failed connection attempt; Code is one of the Connect… constants.
type ConnectError struct {
	Code string
	Err  error
}

func (e *ConnectError) Error() string { return "qbo: connect: " + e.Code + ": " + e.Err.Error() }
func (e *ConnectError) Unwrap() error { return e.Err }

// StartConnect begins an authorization for the signed-in session sessionID of accountID: a
// random state (only its hash is stored, bound to the session, for StateLifetime, usable once)
// and Intuit's consent page URL carrying it. reconnectID names the company being reconnected;
// name is the new company's name in Ledgerlink (empty: the company's own name).
func (t *Tokens) StartConnect(ctx context.Context, accountID, sessionID int64, name string, reconnectID *int64) (string, error) {
	if !t.Config.Configured() {
		return "", ErrNotConfigured
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("qbo: state: %w", err)
	}
	state := base64.RawURLEncoding.EncodeToString(raw)
	now := t.now()
	st := &db.QBOOAuthState{StateHash: hashState(state), AccountID: accountID, SessionID: sessionID, Name: name,
		ConnectionID: reconnectID, ExpiresAt: now.Add(StateLifetime)}
	if err := t.DB.CreateQBOOAuthState(ctx, st, now); err != nil {
		return "", err
	}
	return t.AuthorizeURL(state), nil
}

func hashState(state string) []byte {
	h := sha256.Sum256([]byte(state))
	return h[:]
}

// FinishConnect completes the authorization Intuit redirected back with (query q of the
// callback) for the signed-in session sessionID (0: none): the state must be one StartConnect
// made for that session, then the code is exchanged and the company stored with its tokens,
// sealed. Failures are *ConnectError.
func (t *Tokens) FinishConnect(ctx context.Context, sessionID int64, q url.Values) (*db.QBOConnection, error) {
	state := q.Get("state")
	if state == "" || len(state) > 200 {
		return nil, &ConnectError{Code: ConnectState, Err: errors.New("no state")}
	}
	st, err := t.DB.TakeQBOOAuthState(ctx, hashState(state), t.now())
	if errors.Is(err, db.ErrNotFound) {
		return nil, &ConnectError{Code: ConnectState, Err: err}
	} else if err != nil {
		return nil, err
	}
	if st.SessionID != sessionID {
		return nil, &ConnectError{Code: ConnectState, Err: errors.New("state of another session")}
	}
	if e := q.Get("error"); e != "" {
		return nil, &ConnectError{Code: ConnectDenied, Err: fmt.Errorf("intuit: %.100s", e)}
	}
	code, realm := q.Get("code"), q.Get("realmId")
	if code == "" || realm == "" || len(realm) > 64 {
		return nil, &ConnectError{Code: ConnectExchange, Err: errors.New("no code or realmId")}
	}
	c := &db.QBOConnection{AccountID: st.AccountID, RealmID: realm, Name: st.Name}
	if st.ConnectionID != nil {
		prev, err := t.DB.GetQBOConnection(ctx, st.AccountID, *st.ConnectionID)
		if err != nil {
			return nil, err
		}
		if prev.RealmID != realm {
			return nil, &ConnectError{Code: ConnectRealm, Err: fmt.Errorf("reconnecting realm %s, got %s", prev.RealmID, realm)}
		}
		c.Name = prev.Name
	}
	toks, err := t.Exchange(ctx, code)
	if err != nil {
		return nil, &ConnectError{Code: ConnectExchange, Err: errors.New(plainError(err))}
	}
	c.CompanyName = t.CompanyName(ctx, realm, toks.Access)
	if c.Name == "" {
		c.Name = c.CompanyName
	}
	if c.Name == "" {
		c.Name = "QuickBooks Online " + realm
	}
	if utf8.RuneCountInString(c.Name) > 100 {
		c.Name = string([]rune(c.Name)[:100])
	}
	c.Name = strings.TrimSpace(c.Name)
	if err := t.DB.SaveQBOConnection(ctx, t.Sealer, c, toks, t.now()); err != nil {
		return nil, err
	}
	return c, nil
}
