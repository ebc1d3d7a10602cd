package demo

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestSeedIsIdempotentAndFollowsTheEnvironment(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	key := "llk_demo-key-0123456789abcdefghij"
	o := Options{Email: "demo@ledgerlink.local", Password: "ledgerlink-demo", APIKey: key,
		QBWCUsername: "demo-qbwc", QBWCPassword: "ledgerlink-demo-qbwc"}
	a1, err := Seed(ctx, d, o)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := Seed(ctx, d, o)
	if err != nil {
		t.Fatal(err)
	}
	if a1.ID != a2.ID || a1.Name != AccountName {
		t.Fatalf("second seed made account %d, first %d", a2.ID, a1.ID)
	}
	keys, err := d.ListAPIKeys(ctx, a1.ID, true, db.Page{})
	if err != nil || keys.TotalCount != 1 {
		t.Fatalf("api keys after two seeds = %d, %v", keys.TotalCount, err)
	}
	sum := sha256.Sum256([]byte(key))
	if k, err := d.GetActiveAPIKeyByHash(ctx, sum[:]); err != nil || k.AccountID != a1.ID {
		t.Fatalf("demo key not usable: %v", err)
	}

	conns, err := d.ListQBDConnections(ctx, a1.ID, db.Page{})
	if err != nil || conns.TotalCount != 1 || conns.Items[0].WCUsername != "demo-qbwc" {
		t.Fatalf("demo QuickBooks Desktop connections: %+v %v", conns, err)
	}
	if ok, _ := auth.VerifyPassword(conns.Items[0].WCPasswordHash, "ledgerlink-demo-qbwc"); !ok {
		t.Fatal("the demo Web Connector password does not match")
	}

	// A changed LEDGERLINK_DEMO_PASSWORD takes effect on the next seed.
	o.Password = "a-new-demo-password"
	if _, err := Seed(ctx, d, o); err != nil {
		t.Fatal(err)
	}
	u, err := d.GetUserByEmail(ctx, o.Email)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.VerifyPassword(u.PasswordHash, "a-new-demo-password"); !ok || u.Role != db.RoleOwner {
		t.Fatalf("password not updated or role %q", u.Role)
	}

	if _, err := Seed(ctx, d, Options{Email: "x@y.z", Password: "long-enough", APIKey: "llk_short"}); err == nil {
		t.Fatal("a short demo API key was accepted")
	}
}
