package qbd

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// TestEnqueueBatchIsEnqueueForEach (issue 15 goal 3): one batch gives each item what Enqueue
// would have, in order: a new document stored, one already queued found (Existing), one the
// ledger holds refused (ErrAlreadyPosted), one done found refused too, an invalid request
// refused with the qbXML error and not stored, and a document named twice stored once (the
// second finds the first). The expected outcomes are written per item by hand.
func TestEnqueueBatchIsEnqueueForEach(t *testing.T) {
	e, c, _ := fixture(t)
	ctx := context.Background()
	item := func(key, ref string) Item {
		return Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: key, Request: receipt(ref, "Web Store"),
			Lookup: &Lookup{Type: LookupSalesReceipt, Value: ref}}
	}
	queued, err := e.Enqueue(ctx, item("order:1", "1"))
	if err != nil {
		t.Fatal(err)
	}
	done, err := e.Enqueue(ctx, item("order:2", "2"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dbtest.SQL(t).NewUpdate().Model((*db.QBDWorkItem)(nil)).Set("status = ?", db.WorkDone).Where("id = ?", done.Item.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := dbtest.SQL(t).NewInsert().Model(&db.QBDLedgerEntry{ConnectionID: c.ID, DocKey: "order:3", QBType: "SalesReceipt", QBID: "3-1"}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	customerItem := Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "customer:jane", Request: customer("Jane Doe"),
		Lookup: &Lookup{Type: LookupCustomer, Value: "Jane Doe"}}
	batch := []Item{
		item("order:4", "4"),
		item("order:1", "1"),
		item("order:3", "3"),
		item("order:2", "2"),
		{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "customer:", Request: qbxml.CustomerAdd{}},
		customerItem,
		customerItem,
	}
	var out []Queued
	if err := e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = e.EnqueueBatchTx(ctx, tx, batch)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(batch) {
		t.Fatalf("%d outcomes for %d items", len(out), len(batch))
	}
	if r := out[0]; r.Err != nil || r.Res.Existing || r.Res.Item.ID == 0 || r.Res.Item.Kind != "SalesReceiptAdd" || r.Res.Item.LookupType == nil {
		t.Errorf("new document: %+v %v", r.Res, r.Err)
	}
	if r := out[1]; r.Err != nil || !r.Res.Existing || r.Res.Item.ID != queued.Item.ID {
		t.Errorf("queued document: %+v %v", r.Res, r.Err)
	}
	if r := out[2]; !errors.Is(r.Err, ErrAlreadyPosted) {
		t.Errorf("document in the ledger: %+v %v", r.Res, r.Err)
	}
	if r := out[3]; !errors.Is(r.Err, ErrAlreadyPosted) {
		t.Errorf("document done: %+v %v", r.Res, r.Err)
	}
	if r := out[4]; !errors.Is(r.Err, qbxml.ErrInvalidRequest) {
		t.Errorf("invalid request: %+v %v", r.Res, r.Err)
	}
	if a, b := out[5], out[6]; a.Err != nil || b.Err != nil || a.Res.Existing || !b.Res.Existing || a.Res.Item.ID == 0 || b.Res.Item.ID != a.Res.Item.ID {
		t.Errorf("one document twice: %+v %v / %+v %v", a.Res, a.Err, b.Res, b.Err)
	}
	// Queued before: order:1; stored now: order:4 and the customer once.
	if n, _ := e.Pending(ctx, c.AccountID, c.ID); n != 3 {
		t.Errorf("pending = %d, want 3", n)
	}
}
