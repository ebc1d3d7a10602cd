package jobs

import (
	"context"
	"fmt"
	"testing"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// TestScheduleSweepsQuickBooksOnlineWork: the schedule enqueues a qbo:post for a company with
// work still waiting (its own task may have given up), none for a company whose work is done.
func TestScheduleSweepsQuickBooksOnlineWork(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	acct := dbtest.Account(t, d)
	sealer := dbtest.Sealer(t)
	waiting, done := testQBOCompany(t, d, sealer, acct.ID, "waiting"), testQBOCompany(t, d, sealer, acct.ID, "done")
	store := &db.StoreConnection{AccountID: acct.ID, Channel: "shopify", Name: "shop", BaseURL: "https://shop.example", Enabled: true, Settings: []byte(`{}`)}
	if err := d.CreateStoreConnection(ctx, store, sealer, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		rows, err := db.InsertStoreOrders(ctx, tx, []*db.Order{
			{AccountID: acct.ID, ConnectionID: store.ID, Channel: "shopify", ExternalID: "1", Number: "1", State: db.OrderReady, Raw: []byte(`{}`), Normalized: []byte(`{}`), MissingSKUs: []string{}},
			{AccountID: acct.ID, ConnectionID: store.ID, Channel: "shopify", ExternalID: "2", Number: "2", State: db.OrderPosted, Raw: []byte(`{}`), Normalized: []byte(`{}`), MissingSKUs: []string{}}})
		if err != nil {
			return err
		}
		for i, c := range []*db.QBOConnection{waiting, done} {
			w := &db.QBOWork{AccountID: acct.ID, QBOConnectionID: c.ID, OrderID: rows[i].ID, DocKey: fmt.Sprintf("order:%d", rows[i].ID), Kind: db.QBOWorkSale, Decision: []byte(`{}`)}
			if _, _, err := db.InsertQBOWork(ctx, tx, w); err != nil {
				return err
			}
			if c == done {
				w.Status = db.QBOWorkDone
				if err := db.UpdateQBOWork(ctx, tx, w, "status"); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	opt, client := testTaskClient(t)
	h := &Handlers{DB: d, Client: client}
	for range 2 { // the second run adds nothing: one post per company per sweep period
		if err := h.HandleSchedule(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	posts := pendingPayloads(t, opt, TypeQBOPost)
	want := fmt.Sprintf(`{"account_id":%d,"qbo_connection_id":%d}`, acct.ID, waiting.ID)
	if len(posts) != 1 || posts[want] != 1 {
		t.Fatalf("qbo:post tasks %v, want one %s", posts, want)
	}
}
