package qbd

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// waitForLockWaiter returns once a session of the test database waits for a row lock.
func waitForLockWaiter(t *testing.T, e *Engine) {
	t.Helper()
	for range 2000 {
		var n int
		if err := dbtest.SQL(t).NewRaw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("nothing ever waited for the lock")
}

// TestWithdrawWaitsForTheWebConnectorsClaim (issue 9 item 7): a Web Connector session claiming
// the sale (Engine.Next, mid-transaction) and a rebuild withdrawing it race; the rebuild waits
// for the claim, then sees the work handed over and leaves it: exactly one version is sent.
func TestWithdrawWaitsForTheWebConnectorsClaim(t *testing.T) {
	e, c, s := fixture(t)
	ctx := context.Background()
	if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:1", Request: receipt("1001", "Web Store"),
		Lookup: &Lookup{Type: LookupSalesReceipt, Value: "1001"}}); err != nil {
		t.Fatal(err)
	}
	claimed, release := make(chan struct{}), make(chan struct{})
	e.Handle(KindOrder, Hooks{OnSending: func(context.Context, bun.Tx, []db.QBDWorkItem) error {
		close(claimed)
		<-release // the claim's transaction stays open, its rows locked
		return nil
	}})
	sent := make(chan string, 1)
	go func() {
		msg, err := e.Next(ctx, s)
		if err != nil {
			t.Error(err)
		}
		sent <- msg
	}()
	<-claimed
	withdrawn := make(chan error, 1)
	go func() {
		withdrawn <- e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			_, err := e.Withdraw(ctx, tx, c.AccountID, "order:1")
			return err
		})
	}()
	waitForLockWaiter(t, e)
	close(release)
	if msg := <-sent; !strings.Contains(msg, "<RefNumber>1001</RefNumber>") {
		t.Fatalf("the Web Connector got %q", msg)
	}
	if err := <-withdrawn; !errors.Is(err, ErrHandedOver) {
		t.Fatalf("withdraw after the claim: %v, want ErrHandedOver", err)
	}
	var items []db.QBDWorkItem
	if err := dbtest.SQL(t).NewSelect().Model(&items).Where("connection_id = ?", c.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Status != db.WorkInFlight {
		t.Fatalf("work items after the race: %+v", items)
	}
}

// TestClaimSkipsWorkBeingWithdrawn (issue 9 item 7): while a rebuild holds the old sale
// (withdrawn, not committed), the Web Connector does not get it; once the rebuild has queued
// the new version and committed, it gets the new version only.
func TestClaimSkipsWorkBeingWithdrawn(t *testing.T) {
	e, c, s := fixture(t)
	ctx := context.Background()
	old, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:1", Request: receipt("1001", "Web Store"),
		Lookup: &Lookup{Type: LookupSalesReceipt, Value: "1001"}})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := dbtest.SQL(t).BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	w, err := e.Withdraw(ctx, tx, c.AccountID, "order:1")
	if err != nil || w == nil || w.ID != old.Item.ID {
		t.Fatalf("withdraw: %+v %v", w, err)
	}
	// The withdrawn row stays locked until the rebuild commits: a claim skips it.
	if msg, err := e.Next(ctx, s); err != nil || msg != "" {
		t.Fatalf("claim during the rebuild: %q %v, want nothing", msg, err)
	}
	newer := receipt("1001", "Web Store").(qbxml.SalesReceiptAdd)
	newer.Memo = "second version"
	if _, err := e.EnqueueTx(ctx, tx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:1", Request: newer,
		Lookup: &Lookup{Type: LookupSalesReceipt, Value: "1001"}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	msg, err := e.Next(ctx, s)
	if err != nil || !strings.Contains(msg, "second version") || strings.Count(msg, "<SalesReceiptAddRq") != 1 {
		t.Fatalf("claim after the rebuild: %q %v", msg, err)
	}
}

// TestWithdrawLeavesWhatQuickBooksMayHave: settled, in-doubt and posted documents are not
// withdrawn; a document with no work at all is nothing to withdraw.
func TestWithdrawLeavesWhatQuickBooksMayHave(t *testing.T) {
	e, c, _ := fixture(t)
	ctx := context.Background()
	for i, status := range []string{db.WorkInDoubt, db.WorkDone} {
		res, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:" + status, Request: receipt("10"+string(rune('0'+i)), "Web Store"),
			Lookup: &Lookup{Type: LookupSalesReceipt, Value: "10" + string(rune('0'+i))}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dbtest.SQL(t).NewUpdate().Model(res.Item).Set("status = ?", status).WherePK().Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := dbtest.SQL(t).NewInsert().Model(&db.QBDLedgerEntry{ConnectionID: c.ID, DocKey: "order:posted", QBType: "SalesReceipt", QBID: "1-1"}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]error{"order:" + db.WorkInDoubt: ErrHandedOver, "order:" + db.WorkDone: ErrHandedOver, "order:posted": ErrAlreadyPosted, "order:none": nil} {
		err := e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			w, err := e.Withdraw(ctx, tx, c.AccountID, key)
			if err == nil && w != nil {
				t.Errorf("%s: withdrew %+v", key, w)
			}
			return err
		})
		if !errors.Is(err, want) || (want == nil && err != nil) {
			t.Errorf("%s: %v, want %v", key, err, want)
		}
	}
}
