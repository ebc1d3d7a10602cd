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
	store   int64           // A's store connection, posting to qbo
	qbo     int64           // A's QuickBooks Online connection
	order   *db.Order       // ready, of store
	refund  *db.OrderRefund // of order
	online  *db.QBOWork     // order's sale for qbo, ready
	ship    *db.ShipBack    // a label of store's, waiting
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

	sealer, now := dbtest.Sealer(t), time.Now()
	qbo := &db.QBOConnection{AccountID: a.ID, Name: "Online", RealmID: "9130357766000001"}
	if err := d.SaveQBOConnection(ctx, sealer, qbo, qboTokens(1, now), now); err != nil {
		t.Fatal(err)
	}
	sc := &db.StoreConnection{AccountID: a.ID, Channel: "shopify", Name: "Shop", BaseURL: "https://scope.example", QBOConnectionID: &qbo.ID}
	if err := d.CreateStoreConnection(ctx, sc, sealer, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	f.store, f.qbo = sc.ID, qbo.ID
	f.order = &db.Order{AccountID: a.ID, ConnectionID: sc.ID, Channel: "shopify", ExternalID: "5001", Number: "5001",
		State: db.OrderReady, Raw: []byte(`{}`), Normalized: []byte(`{}`)}
	if _, err := db.InsertStoreOrder(ctx, sqldb, f.order); err != nil {
		t.Fatal(err)
	}
	f.refund = &db.OrderRefund{AccountID: a.ID, OrderID: f.order.ID, ExternalID: "r-1", State: db.RefundWaiting, TotalCents: 500,
		Normalized: []byte(`{}`)}
	if err := sqldb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := db.InsertOrderRefund(ctx, tx, f.refund)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f.online = &db.QBOWork{AccountID: a.ID, QBOConnectionID: qbo.ID, OrderID: f.order.ID, DocKey: "order:5001", Kind: db.QBOWorkSale,
		Decision: []byte(`{}`)}
	if _, _, err := db.InsertQBOWork(ctx, sqldb, f.online); err != nil {
		t.Fatal(err)
	}
	f.ship = &db.ShipBack{AccountID: a.ID, StoreConnectionID: sc.ID, QBDConnectionID: c.ID, Source: "shipment", SourceID: 77,
		SSOrderID: 5, TxnType: "SR", TxnID: "T-1", Status: db.ShipBackWaiting}
	if _, err := db.InsertShipBack(ctx, sqldb, f.ship); err != nil {
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

// counted is 1 for true and 0 for false, with err.
func counted(b bool, err error) (int, error) {
	if b {
		return 1, err
	}
	return 0, err
}

// countRows counts the rows of table that where (with args) matches.
func countRows(ctx context.Context, tx bun.IDB, table, where string, args ...any) (int, error) {
	n, err := tx.NewSelect().Table(table).Where(where, args...).Count(ctx)
	return int(n), err
}

// rowsAfter is countRows once a write has returned written, or that error.
func rowsAfter(ctx context.Context, tx bun.IDB, written error, table, where string, args ...any) (int, error) {
	if written != nil {
		return 0, written
	}
	return countRows(ctx, tx, table, where, args...)
}

// TestEngineQueriesScopedToAccount: every engine-internal query is scoped to its account (rule
// 6). Each case runs once with account A, whose rows the ids name, and once with account B
// holding the same ids: A finds or changes what the case's own count says, B nothing. Each run
// is rolled back, so the cases see the same rows.
func TestEngineQueriesScopedToAccount(t *testing.T) {
	ctx := context.Background()
	f := newScopeFixture(t)
	d, sqldb := dbtest.DB(t), dbtest.SQL(t)
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
		{"CountQBDWork (on the pool)", func(_ bun.Tx, account int64) (int, error) {
			counts, err := d.CountQBDWork(ctx, account, f.conn)
			return counts[db.WorkQueued] + counts[db.WorkInDoubt], err
		}, 3},
		{"UnfinishedWork", func(tx bun.Tx, account int64) (int, error) {
			return counted(db.UnfinishedWork(ctx, tx, account, f.conn, "order:scope:"))
		}, 1},
		{"LockQBDWorkByID", func(tx bun.Tx, account int64) (int, error) {
			items, err := db.LockQBDWorkByID(ctx, tx, account, f.conn, []int64{f.queued.ID, f.inDoubt.ID})
			return len(items), err
		}, 2},
		{"MarkQBDWorkInFlight", func(tx bun.Tx, account int64) (int, error) {
			return rowsAfter(ctx, tx, db.MarkQBDWorkInFlight(ctx, tx, account, []int64{f.queued.ID}, f.batch, now),
				"qbd_work_items", "id = ? AND status = ?", f.queued.ID, db.WorkInFlight)
		}, 1},
		{"SaveQBDWorkOutcome of a row held", func(tx bun.Tx, account int64) (int, error) {
			it := *f.queued
			it.AccountID, it.Status = account, db.WorkDone
			return rowsAfter(ctx, tx, db.SaveQBDWorkOutcome(ctx, tx, &it),
				"qbd_work_items", "id = ? AND status = ?", f.queued.ID, db.WorkDone)
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
			// 250 ms folded with 4250 at weight 1/4: (3·250 + 4250) / 4.
			return rowsAfter(ctx, tx, db.RecordQBDSpeed(ctx, tx, account, f.conn, 4250),
				"qbd_connections", "id = ? AND ms_per_request = 1250", f.conn)
		}, 1},
		{"LockQBWCSession", func(tx bun.Tx, account int64) (int, error) {
			_, _, err := db.LockQBWCSession(ctx, tx, account, f.ticket)
			return found(err)
		}, 1},
		{"ClearQBWCSessionBatch", func(tx bun.Tx, account int64) (int, error) {
			if _, err := tx.NewUpdate().Table("qbwc_sessions").Set("batch_id = ?", f.batch).Where("ticket = ?", f.ticket).Exec(ctx); err != nil {
				return 0, err
			}
			return rowsAfter(ctx, tx, db.ClearQBWCSessionBatch(ctx, tx, account, f.ticket),
				"qbwc_sessions", "ticket = ? AND batch_id IS NULL", f.ticket)
		}, 1},
		{"CountItemsRead", func(tx bun.Tx, account int64) (int, error) {
			return db.CountItemsRead(ctx, tx, account, f.conn, "read-1")
		}, 1},
		{"DropItemsNotRead", func(tx bun.Tx, account int64) (int, error) {
			n, err := db.DropItemsNotRead(ctx, tx, account, f.conn, "read-2", now.Add(time.Hour))
			return int(n), err
		}, 1},
		{"SetItemsRead", func(tx bun.Tx, account int64) (int, error) {
			return rowsAfter(ctx, tx, db.SetItemsRead(ctx, tx, account, f.conn, now, nil),
				"qbd_connections", "id = ? AND items_read_at IS NOT NULL", f.conn)
		}, 1},
		{"ItemListKnown", func(tx bun.Tx, account int64) (int, error) {
			if _, err := tx.NewUpdate().Table("qbd_connections").Set("item_list_at = now()").Where("id = ?", f.conn).Exec(ctx); err != nil {
				return 0, err
			}
			return counted(db.ItemListKnown(ctx, tx, account, f.conn))
		}, 1},
		{"UnknownQBItems (the names known)", func(tx bun.Tx, account int64) (int, error) {
			names := []string{"widget", "Gadget"}
			unknown, err := db.UnknownQBItems(ctx, tx, account, f.conn, names)
			return len(names) - len(unknown), err
		}, 1},
		{"ForgetQBItem", func(tx bun.Tx, account int64) (int, error) {
			if err := db.ForgetQBItem(ctx, tx, account, f.conn, "WIDGET"); err != nil {
				return 0, err
			}
			n, err := countRows(ctx, tx, "qb_items", "qbd_connection_id = ?", f.conn)
			return 1 - n, err
		}, 1},
		{"UnfinishedQBOWork", func(tx bun.Tx, account int64) (int, error) {
			_, err := db.UnfinishedQBOWork(ctx, tx, account, f.qbo, f.online.DocKey)
			return found(err)
		}, 1},
		{"WithdrawQBOWork", func(tx bun.Tx, account int64) (int, error) {
			return counted(db.WithdrawQBOWork(ctx, tx, account, f.qbo, f.online.DocKey))
		}, 1},
		{"UpdateQBOWork of a row held", func(tx bun.Tx, account int64) (int, error) {
			w := *f.online
			w.AccountID, w.Status = account, db.QBOWorkDone
			return rowsAfter(ctx, tx, db.UpdateQBOWork(ctx, tx, &w, "status"),
				"qbo_work", "id = ? AND status = ?", f.online.ID, db.QBOWorkDone)
		}, 1},
		{"LockShipBackBySource", func(tx bun.Tx, account int64) (int, error) {
			_, err := db.LockShipBackBySource(ctx, tx, account, f.store, f.ship.Source, f.ship.SourceID)
			return found(err)
		}, 1},
		{"FindStoreOrder", func(tx bun.Tx, account int64) (int, error) {
			_, err := db.FindStoreOrder(ctx, tx, account, f.store, f.order.ExternalID)
			return found(err)
		}, 1},
		{"FindStoreOrders", func(tx bun.Tx, account int64) (int, error) {
			m, err := db.FindStoreOrders(ctx, tx, account, f.store, []string{f.order.ExternalID, "no-such-order"})
			return len(m), err
		}, 1},
		{"StoreConnectionOf", func(tx bun.Tx, account int64) (int, error) {
			_, err := db.StoreConnectionOf(ctx, tx, account, f.store)
			return found(err)
		}, 1},
		{"MarkOrdersSent", func(tx bun.Tx, account int64) (int, error) {
			return rowsAfter(ctx, tx, db.MarkOrdersSent(ctx, tx, account, []int64{f.order.ID}, "handed over", now),
				"orders", "id = ? AND state = ?", f.order.ID, db.OrderSent)
		}, 1},
		{"UpdateOrder of a row held", func(tx bun.Tx, account int64) (int, error) {
			o := *f.order
			o.AccountID, o.State = account, db.OrderError
			return rowsAfter(ctx, tx, db.UpdateOrder(ctx, tx, &o, "state"),
				"orders", "id = ? AND state = ?", f.order.ID, db.OrderError)
		}, 1},
		{"UpdateOrderRefund of a row held", func(tx bun.Tx, account int64) (int, error) {
			r := *f.refund
			r.AccountID, r.State = account, db.RefundError
			return rowsAfter(ctx, tx, db.UpdateOrderRefund(ctx, tx, &r, "state"),
				"order_refunds", "id = ? AND state = ?", f.refund.ID, db.RefundError)
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
