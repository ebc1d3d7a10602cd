package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// scopeFixture is account A's rows the engine-internal queries are asked about, and account
// B, which has a QuickBooks connection of its own but none of A's rows.
type scopeFixture struct {
	a, b    int64 // account ids
	conn    int64 // A's QuickBooks Desktop connection
	ticket  string
	batch   int64           // a message set handed to the session
	queued  *db.QBDWorkItem // queued, no dependencies: ready to claim
	waiting *db.QBDWorkItem // queued, depends on queued
	inDoubt *db.QBDWorkItem // in doubt, with a lookup
}

func newScopeFixture(t *testing.T) *scopeFixture {
	t.Helper()
	ctx := context.Background()
	d, sqldb := dbtest.DB(t), dbtest.SQL(t)
	a, b := dbtest.Account(t, d), dbtest.Account(t, d)
	c := dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: a.ID, MsPerRequest: 250})
	dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: b.ID})
	f := &scopeFixture{a: a.ID, b: b.ID, conn: c.ID, ticket: "t-scope-" + t.Name()}
	item := func(docKey, status string, dependsOn []int64, lookup bool) *db.QBDWorkItem {
		w := &db.QBDWorkItem{AccountID: a.ID, ConnectionID: c.ID, DocKey: docKey, Kind: "SalesReceiptAdd",
			Request: "<SalesReceiptAddRq/>", DependsOn: dependsOn, Status: status}
		if lookup {
			typ := "SalesReceipt"
			w.LookupType, w.LookupValue = &typ, "S-1"
		}
		if _, err := db.InsertQBDWork(ctx, sqldb, w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	f.queued = item("order:scope:1", db.WorkQueued, []int64{}, false)
	f.waiting = item("order:scope:2", db.WorkQueued, []int64{f.queued.ID}, false)
	f.inDoubt = item("order:scope:3", db.WorkInDoubt, []int64{}, true)
	if err := d.CreateQBWCSession(ctx, &db.QBWCSession{Ticket: f.ticket, ConnectionID: c.ID, AccountID: a.ID,
		State: db.SessionOpen}); err != nil {
		t.Fatal(err)
	}
	batch := &db.QBDBatch{ConnectionID: c.ID, Ticket: f.ticket, Kind: "work", RequestCount: 1, ItemIDs: []int64{f.queued.ID}}
	if err := db.InsertQBDBatch(ctx, sqldb, batch); err != nil {
		t.Fatal(err)
	}
	f.batch = batch.ID
	readKey := "read-1"
	if _, err := db.UpsertQBItem(ctx, sqldb, &db.QBItem{AccountID: a.ID, QBDConnectionID: c.ID, FullName: "Widget",
		ItemType: "Inventory", Source: db.ItemSourceQuickBooks, Active: true, ReadKey: &readKey}); err != nil {
		t.Fatal(err)
	}
	return f
}

// found is 1 for a row found, 0 for ErrNotFound, and err otherwise.
func found(err error) (int, error) {
	switch {
	case err == nil:
		return 1, nil
	case errors.Is(err, db.ErrNotFound):
		return 0, nil
	}
	return 0, err
}

// countRows counts the rows of table that where (with args) matches.
func countRows(ctx context.Context, tx bun.IDB, table, where string, args ...any) (int, error) {
	n, err := tx.NewSelect().Table(table).Where(where, args...).Count(ctx)
	return int(n), err
}

// TestEngineQueriesScopedToAccount: every engine-internal query is scoped to its account (rule
// 6). Each case runs once with account A, whose rows the ids name, and once with account B
// holding the same ids: A finds or changes what the case's own count says, B nothing. Each run
// is rolled back, so the cases see the same rows.
func TestEngineQueriesScopedToAccount(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	sqldb := dbtest.SQL(t)
	now := time.Now()
	cases := []struct {
		name string
		// run asks about A's rows as account, returning how many rows it found or changed.
		run func(tx bun.Tx, account int64) (int, error)
		own int // what account A finds or changes
	}{
		{"ReadyQBDWork claims", func(tx bun.Tx, account int64) (int, error) {
			items, err := db.ReadyQBDWork(ctx, tx, account, f.conn, 10)
			return len(items), err
		}, 1},
		{"PrecheckQBDWork", func(tx bun.Tx, account int64) (int, error) {
			if _, err := tx.NewUpdate().Table("qbd_work_items").Set("check_first = true").Where("id = ?", f.queued.ID).Exec(ctx); err != nil {
				return 0, err
			}
			items, err := db.PrecheckQBDWork(ctx, tx, account, f.conn, 10)
			return len(items), err
		}, 1},
		{"InDoubtQBDWork", func(tx bun.Tx, account int64) (int, error) {
			items, err := db.InDoubtQBDWork(ctx, tx, account, f.conn, now, 10)
			return len(items), err
		}, 1},
		{"UnfinishedQBDWork", func(tx bun.Tx, account int64) (int, error) {
			_, err := db.UnfinishedQBDWork(ctx, tx, account, f.conn, f.queued.DocKey)
			return found(err)
		}, 1},
		{"UnfinishedQBDWorkFor", func(tx bun.Tx, account int64) (int, error) {
			m, err := db.UnfinishedQBDWorkFor(ctx, tx, account, []db.WorkKey{{ConnectionID: f.conn, DocKey: f.queued.DocKey},
				{ConnectionID: f.conn, DocKey: f.inDoubt.DocKey}})
			return len(m), err
		}, 2},
		{"CountQBDWorkIn", func(tx bun.Tx, account int64) (int, error) {
			return db.CountQBDWorkIn(ctx, tx, account, f.conn, db.WorkQueued, db.WorkInDoubt)
		}, 3},
		{"UnfinishedWork", func(tx bun.Tx, account int64) (int, error) {
			busy, err := db.UnfinishedWork(ctx, tx, account, f.conn, "order:scope:")
			if busy {
				return 1, err
			}
			return 0, err
		}, 1},
		{"LockQBDWorkByID", func(tx bun.Tx, account int64) (int, error) {
			items, err := db.LockQBDWorkByID(ctx, tx, account, f.conn, []int64{f.queued.ID, f.inDoubt.ID})
			return len(items), err
		}, 2},
		{"MarkQBDWorkInFlight", func(tx bun.Tx, account int64) (int, error) {
			if err := db.MarkQBDWorkInFlight(ctx, tx, account, []int64{f.queued.ID}, f.batch, now); err != nil {
				return 0, err
			}
			return countRows(ctx, tx, "qbd_work_items", "id = ? AND status = ?", f.queued.ID, db.WorkInFlight)
		}, 1},
		{"SaveQBDWorkOutcome of a row held", func(tx bun.Tx, account int64) (int, error) {
			it := *f.queued
			it.AccountID, it.Status = account, db.WorkDone
			if err := db.SaveQBDWorkOutcome(ctx, tx, &it); err != nil {
				return 0, err
			}
			return countRows(ctx, tx, "qbd_work_items", "id = ? AND status = ?", f.queued.ID, db.WorkDone)
		}, 1},
		{"DeleteQBDWork of a row held", func(tx bun.Tx, account int64) (int, error) {
			it := *f.inDoubt
			it.AccountID = account
			if err := db.DeleteQBDWork(ctx, tx, &it); err != nil {
				return 0, err
			}
			n, err := countRows(ctx, tx, "qbd_work_items", "id = ?", f.inDoubt.ID)
			return 1 - n, err
		}, 1},
		{"FailQBDDependents", func(tx bun.Tx, account int64) (int, error) {
			deps, err := db.FailQBDDependents(ctx, tx, account, f.queued.ID, "failed first", now)
			return len(deps), err
		}, 1},
		{"LockQBDConnection", func(tx bun.Tx, account int64) (int, error) {
			_, err := db.LockQBDConnection(ctx, tx, account, f.conn)
			return found(err)
		}, 1},
		{"RecordQBDSpeed", func(tx bun.Tx, account int64) (int, error) {
			if err := db.RecordQBDSpeed(ctx, tx, account, f.conn, 4250); err != nil {
				return 0, err
			}
			// 250 ms folded with 4250 at weight 1/4: (3·250 + 4250) / 4.
			return countRows(ctx, tx, "qbd_connections", "id = ? AND ms_per_request = 1250", f.conn)
		}, 1},
		{"LockQBWCSession", func(tx bun.Tx, account int64) (int, error) {
			_, _, err := db.LockQBWCSession(ctx, tx, account, f.ticket)
			return found(err)
		}, 1},
		{"ClearQBWCSessionBatch", func(tx bun.Tx, account int64) (int, error) {
			if _, err := tx.NewUpdate().Table("qbwc_sessions").Set("batch_id = ?", f.batch).Where("ticket = ?", f.ticket).Exec(ctx); err != nil {
				return 0, err
			}
			if err := db.ClearQBWCSessionBatch(ctx, tx, account, f.ticket); err != nil {
				return 0, err
			}
			return countRows(ctx, tx, "qbwc_sessions", "ticket = ? AND batch_id IS NULL", f.ticket)
		}, 1},
		{"CountItemsRead", func(tx bun.Tx, account int64) (int, error) {
			return db.CountItemsRead(ctx, tx, account, f.conn, "read-1")
		}, 1},
		{"DropItemsNotRead", func(tx bun.Tx, account int64) (int, error) {
			n, err := db.DropItemsNotRead(ctx, tx, account, f.conn, "read-2", now.Add(time.Hour))
			return int(n), err
		}, 1},
		{"SetItemsRead", func(tx bun.Tx, account int64) (int, error) {
			if err := db.SetItemsRead(ctx, tx, account, f.conn, now, nil); err != nil {
				return 0, err
			}
			return countRows(ctx, tx, "qbd_connections", "id = ? AND items_read_at IS NOT NULL", f.conn)
		}, 1},
	}
	for _, tc := range cases {
		for _, as := range []struct {
			name    string
			account int64
			want    int
		}{{"A", f.a, tc.own}, {"B", f.b, 0}} {
			tx, err := sqldb.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tc.run(tx, as.account)
			if rerr := tx.Rollback(); rerr != nil {
				t.Fatal(rerr)
			}
			switch {
			case err != nil:
				t.Errorf("%s as account %s: %v", tc.name, as.name, err)
			case got != as.want:
				t.Errorf("%s as account %s: %d rows, want %d", tc.name, as.name, got, as.want)
			}
		}
	}
}
