package dbtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
)

// SealerKey is the tests' sealing key (db.NewSealer): credentials sealed with it in one test
// can be opened by the code under test.
const SealerKey = "0123456789abcdef0123456789abcdef"

// fixtureSeq makes fixture names unique within a test binary's run (the database is the
// package's own, but a test may run more than once with -count).
var fixtureSeq atomic.Int64

// Account creates an account named after t.
func Account(t testing.TB, d *db.DB) *db.Account {
	t.Helper()
	a := &db.Account{Name: t.Name()}
	if err := d.CreateAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// QBDConnection creates c, a QuickBooks Desktop connection, filling in what the test left
// empty: the name "Company", a Web Connector username unique within the run (they are unique
// across accounts), the password hash "x" (no Web Connector signs in with it) and fixed
// QuickBooks owner and file ids.
func QBDConnection(t testing.TB, d *db.DB, c *db.QBDConnection) *db.QBDConnection {
	t.Helper()
	if c.Name == "" {
		c.Name = "Company"
	}
	if c.WCUsername == "" {
		c.WCUsername = fmt.Sprintf("wc-%s-%d", t.Name(), fixtureSeq.Add(1))
	}
	if c.WCPasswordHash == "" {
		c.WCPasswordHash = "x"
	}
	if c.OwnerID == "" {
		c.OwnerID = "11111111-1111-4111-8111-111111111111"
	}
	if c.FileID == "" {
		c.FileID = "22222222-2222-4222-8222-222222222222"
	}
	if err := d.CreateQBDConnection(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// WooConnection creates an account named after t with an enabled WooCommerce connection,
// "Corner shop" at https://corner.example, whose credentials are creds (their JSON) sealed by
// Sealer.
func WooConnection(t testing.TB, d *db.DB, creds string) *db.StoreConnection {
	t.Helper()
	c := &db.StoreConnection{AccountID: Account(t, d).ID, Channel: "woocommerce", Name: "Corner shop", BaseURL: "https://corner.example", Enabled: true}
	if err := d.CreateStoreConnection(context.Background(), c, Sealer(t), []byte(creds)); err != nil {
		t.Fatal(err)
	}
	return c
}

// Sealer returns a sealer with SealerKey.
func Sealer(t testing.TB) *db.Sealer {
	t.Helper()
	s, err := db.NewSealer(SealerKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Session signs a new owner of accountID in: a user named after t and a session of it (no
// cookie: the token hash is random bytes nobody holds).
func Session(t testing.TB, d *db.DB, accountID int64) *db.Session {
	t.Helper()
	ctx := context.Background()
	n := fixtureSeq.Add(1)
	u := &db.User{AccountID: accountID, Email: fmt.Sprintf("owner-%d-%d@example.com", accountID, n), Role: db.RoleOwner, PasswordHash: "x"}
	if err := d.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	s := &db.Session{TokenHash: []byte(fmt.Sprintf("%s-%d", t.Name(), n)), UserID: u.ID, CSRFToken: "csrf", ExpiresAt: time.Now().Add(time.Hour)}
	if err := d.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	return s
}
