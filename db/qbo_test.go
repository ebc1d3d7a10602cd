package db_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

func qboTokens(n int, now time.Time) db.QBOTokens {
	return db.QBOTokens{Access: fmt.Sprintf("access-%d-eyJlbmMi", n), Refresh: fmt.Sprintf("AB11570127472refresh%d", n),
		AccessExpiresAt: now.Add(time.Hour).Truncate(time.Microsecond), RefreshExpiresAt: now.Add(101 * 24 * time.Hour).Truncate(time.Microsecond)}
}

// TestQBOConnectionSealedAndScoped: tokens are stored sealed (the raw columns never hold them),
// open only on their own row, and every read or lock is scoped to the account.
func TestQBOConnectionSealedAndScoped(t *testing.T) {
	ctx := context.Background()
	d, sealer := dbtest.DB(t), dbtest.Sealer(t)
	acct, other := dbtest.Account(t, d), dbtest.Account(t, d)
	now := time.Now().UTC().Truncate(time.Microsecond)

	c := &db.QBOConnection{AccountID: acct.ID, Name: "Online books", RealmID: "9130357766012345", CompanyName: "Sandbox Company_US_1"}
	if err := d.SaveQBOConnection(ctx, sealer, c, qboTokens(1, now), now); err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Access  []byte `bun:"access_token"`
		Refresh []byte `bun:"refresh_token"`
	}
	if err := dbtest.SQL(t).NewRaw(`SELECT access_token, refresh_token FROM qbo_connections WHERE id = ?`, c.ID).Scan(ctx, &raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw.Access, []byte("access-1")) || bytes.Contains(raw.Refresh, []byte("refresh1")) || len(raw.Refresh) == 0 {
		t.Fatalf("tokens stored in the clear: %q %q", raw.Access, raw.Refresh)
	}
	got, err := d.GetQBOConnection(ctx, acct.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	toks, err := got.OpenTokens(sealer)
	if err != nil || toks != qboTokens(1, now) {
		t.Fatalf("opened %+v %v", toks, err)
	}
	if got.Status != db.QBOStatusConnected || got.LastRefreshAt == nil {
		t.Fatalf("status %q last refresh %v", got.Status, got.LastRefreshAt)
	}

	// A sealed token copied onto another company's row does not open there.
	c2 := &db.QBOConnection{AccountID: acct.ID, Name: "Second", RealmID: "4620816365000000"}
	if err := d.SaveQBOConnection(ctx, sealer, c2, qboTokens(2, now), now); err != nil {
		t.Fatal(err)
	}
	if _, err := dbtest.SQL(t).NewRaw(`UPDATE qbo_connections SET refresh_token = ? WHERE id = ?`, raw.Refresh, c2.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	swapped, _ := d.GetQBOConnection(ctx, acct.ID, c2.ID)
	if _, err := swapped.OpenTokens(sealer); !errors.Is(err, db.ErrSealed) {
		t.Fatalf("swapped token opened: %v", err)
	}

	// Another account sees nothing of it.
	if _, err := d.GetQBOConnection(ctx, other.ID, c.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("other account read it: %v", err)
	}
	err = d.LockQBOConnection(ctx, other.ID, c.ID, func(context.Context, bun.Tx, *db.QBOConnection) error { return nil })
	if !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("other account locked it: %v", err)
	}
	if list, err := d.ListQBOConnections(ctx, other.ID, db.Page{Limit: 10}); err != nil || list.TotalCount != 0 {
		t.Fatalf("other account lists %d, %v", list.TotalCount, err)
	}
	if list, err := d.ListQBOConnections(ctx, acct.ID, db.Page{Limit: 10}); err != nil || list.TotalCount != 2 {
		t.Fatalf("account lists %d, %v", list.TotalCount, err)
	}

	// The same company connected again is the same row, with the new tokens and connected again.
	if err := d.LockQBOConnection(ctx, acct.ID, c.ID, func(ctx context.Context, tx bun.Tx, c *db.QBOConnection) error {
		return db.SetQBOStatus(ctx, tx, c, db.QBOStatusReconnect, "refused", now)
	}); err != nil {
		t.Fatal(err)
	}
	again := &db.QBOConnection{AccountID: acct.ID, Name: "ignored on conflict", RealmID: c.RealmID}
	if err := d.SaveQBOConnection(ctx, sealer, again, qboTokens(3, now), now); err != nil {
		t.Fatal(err)
	}
	if again.ID != c.ID || again.Name != "Online books" || again.Status != db.QBOStatusConnected || again.LastError != "" ||
		again.CompanyName != "Sandbox Company_US_1" {
		t.Fatalf("reconnected row %+v", again)
	}
	if toks, _ := again.OpenTokens(sealer); toks.Refresh != qboTokens(3, now).Refresh {
		t.Fatalf("reconnect kept refresh %q", toks.Refresh)
	}

	// Disconnected: no tokens left.
	if err := db.DisconnectQBOConnection(ctx, dbtest.SQL(t), again, "", now); err != nil {
		t.Fatal(err)
	}
	gone, _ := d.GetQBOConnection(ctx, acct.ID, c.ID)
	if gone.AccessToken != nil || gone.RefreshToken != nil || gone.Status != db.QBOStatusDisconnected {
		t.Fatalf("after disconnect %+v", gone)
	}
	if _, err := gone.OpenTokens(sealer); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("open after disconnect: %v", err)
	}
}

// TestQBOOAuthStateSingleUse: a state is taken once, and not at all once expired.
func TestQBOOAuthStateSingleUse(t *testing.T) {
	ctx := context.Background()
	d := dbtest.DB(t)
	acct := dbtest.Account(t, d)
	now := time.Now()
	s := dbtest.Session(t, d, acct.ID)
	live := &db.QBOOAuthState{StateHash: []byte("live-" + t.Name()), AccountID: acct.ID, SessionID: s.ID, Name: "Books", ExpiresAt: now.Add(10 * time.Minute)}
	old := &db.QBOOAuthState{StateHash: []byte("old-" + t.Name()), AccountID: acct.ID, SessionID: s.ID, ExpiresAt: now.Add(time.Minute)}
	for _, st := range []*db.QBOOAuthState{live, old} {
		if err := d.CreateQBOOAuthState(ctx, st, now); err != nil {
			t.Fatal(err)
		}
	}
	got, err := d.TakeQBOOAuthState(ctx, live.StateHash, now)
	if err != nil || got.SessionID != s.ID || got.Name != "Books" || got.AccountID != acct.ID {
		t.Fatalf("take: %+v %v", got, err)
	}
	if _, err := d.TakeQBOOAuthState(ctx, live.StateHash, now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("second take: %v", err)
	}
	if _, err := d.TakeQBOOAuthState(ctx, old.StateHash, now.Add(2*time.Minute)); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("expired take: %v", err)
	}
}

// TestStoreConnectionOneCompany: a store posts to a Desktop or an Online company, not both.
func TestStoreConnectionOneCompany(t *testing.T) {
	ctx := context.Background()
	d, sealer := dbtest.DB(t), dbtest.Sealer(t)
	acct := dbtest.Account(t, d)
	qbd := dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: acct.ID})
	qbo := &db.QBOConnection{AccountID: acct.ID, Name: "Online", RealmID: "123145"}
	if err := d.SaveQBOConnection(ctx, sealer, qbo, qboTokens(1, time.Now()), time.Now()); err != nil {
		t.Fatal(err)
	}
	sc := &db.StoreConnection{AccountID: acct.ID, Channel: "shopify", Name: "Shop", BaseURL: "https://x.myshopify.com", QBOConnectionID: &qbo.ID}
	if err := d.CreateStoreConnection(ctx, sc, sealer, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	sc.QBDConnectionID = &qbd.ID
	if err := d.UpdateStoreConnection(ctx, sc, "qbd_connection_id"); err == nil {
		t.Fatal("a store was set to post to both a Desktop and an Online company")
	}
}
