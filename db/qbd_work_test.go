package db_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// TestMarkQBDWorkLookedUpLocksInIDOrder: marking items looked up takes their row locks in id
// order, as LockQBDWorkByID does, whatever order the planner reads the rows in. Before, its
// UPDATE … WHERE id IN locked them in heap order: it held the second item while waiting for the
// first, held by a transaction about to lock the second — the deadlock a clean CI run met in
// TestTwoWebConnectorsRace.
func TestMarkQBDWorkLookedUpLocksInIDOrder(t *testing.T) {
	ctx := context.Background()
	d := dbtest.DB(t)
	sqldb := dbtest.SQL(t)
	a := dbtest.Account(t, d)
	c := dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: a.ID})
	var ids []int64
	for i := range 2 {
		w := &db.QBDWorkItem{AccountID: a.ID, ConnectionID: c.ID, DocKey: "order:lock-" + strconv.Itoa(i), Kind: "SalesReceiptAdd",
			Request: "<SalesReceiptAddRq/>", DependsOn: []int64{}, Status: db.WorkInDoubt}
		if _, err := db.InsertQBDWork(ctx, sqldb, w); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, w.ID)
	}
	batch := &db.QBDBatch{ConnectionID: c.ID, Ticket: "t-lock", Kind: "reconcile", RequestCount: 2, ItemIDs: ids}
	if err := db.InsertQBDBatch(ctx, sqldb, batch); err != nil {
		t.Fatal(err)
	}
	// A new version of the first item's row, written after the second's: a sequential scan now
	// meets the second item first.
	if _, err := sqldb.ExecContext(ctx, "UPDATE qbd_work_items SET updated_at = now() WHERE id = ?", ids[0]); err != nil {
		t.Fatal(err)
	}

	holder, err := sqldb.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback() //nolint:errcheck // committed below; a failed test rolls back
	if _, err := db.LockQBDWorkByID(ctx, holder, a.ID, c.ID, ids[:1]); err != nil {
		t.Fatal(err)
	}

	marked := make(chan error, 1)
	go func() {
		marked <- d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			// The plan that reads in heap order (small tables get it anyway).
			if _, err := tx.ExecContext(ctx, "SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off"); err != nil {
				return err
			}
			return db.MarkQBDWorkLookedUp(ctx, tx, a.ID, ids, batch.ID, time.Now())
		})
	}()
	// Wait until the marking transaction waits for the first item's lock.
	for deadline := time.Now().Add(30 * time.Second); ; {
		var waiting int
		if err := sqldb.NewRaw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(ctx, &waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the marking transaction never waited for the held item")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The holder takes the second item, then lets go: with the locks taken in id order the
	// marking transaction holds nothing yet, so neither is failed as a deadlock.
	if _, err := db.LockQBDWorkByID(ctx, holder, a.ID, c.ID, ids[1:]); err != nil {
		t.Fatalf("holder locking the second item: %v", err)
	}
	if err := holder.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-marked; err != nil {
		t.Fatalf("marking looked up: %v", err)
	}
	var batchIDs []int64
	if err := sqldb.NewRaw("SELECT batch_id FROM qbd_work_items WHERE id IN (?) ORDER BY id", bun.List(ids)).Scan(ctx, &batchIDs); err != nil {
		t.Fatal(err)
	}
	if len(batchIDs) != 2 || batchIDs[0] != batch.ID || batchIDs[1] != batch.ID {
		t.Fatalf("batch ids = %v, want both %d", batchIDs, batch.ID)
	}
}
