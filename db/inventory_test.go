package db_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/uptrace/bun"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

// invFixture creates an account with one QuickBooks Desktop connection and two store
// connections, straight in SQL (the queue only needs the rows to exist).
type invFixture struct {
	d              *db.DB
	account        int64
	qbd            int64
	store1, store2 int64
	otherAccount   int64
	otherStore     int64
	otherQBD       int64
}

func newInvFixture(t *testing.T) invFixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.DB(t)
	f := invFixture{d: d}
	mk := func() (acct, qbd, store int64) {
		n := seq.Add(1)
		b := dbtest.SQL(t)
		if err := b.NewRaw(`INSERT INTO accounts (name) VALUES (?) RETURNING id`, fmt.Sprintf("inv %d %d", time.Now().UnixNano(), n)).Scan(ctx, &acct); err != nil {
			t.Fatal(err)
		}
		if err := b.NewRaw(`INSERT INTO qbd_connections (account_id, name, wc_username, wc_password_hash, owner_id, file_id)
			VALUES (?, 'QB', ?, 'x', gen_random_uuid(), gen_random_uuid()) RETURNING id`, acct, fmt.Sprintf("wc-inv-%d-%d", time.Now().UnixNano(), n)).Scan(ctx, &qbd); err != nil {
			t.Fatal(err)
		}
		if err := b.NewRaw(`INSERT INTO store_connections (account_id, channel, name, base_url) VALUES (?, 'shopify', 'Shop', 'https://shop.example') RETURNING id`, acct).Scan(ctx, &store); err != nil {
			t.Fatal(err)
		}
		return
	}
	f.account, f.qbd, f.store1 = mk()
	if err := dbtest.SQL(t).NewRaw(`INSERT INTO store_connections (account_id, channel, name, base_url) VALUES (?, 'woocommerce', 'Woo', 'https://woo.example') RETURNING id`, f.account).Scan(ctx, &f.store2); err != nil {
		t.Fatal(err)
	}
	f.otherAccount, f.otherQBD, f.otherStore = mk()
	return f
}

func TestInventorySnapshotRoundTripAndScope(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	d := dbtest.SQL(t)
	t0 := time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
	items := []db.SnapshotItem{
		{ListID: "80000001-1", FullName: "Widget", ItemType: "ItemInventory", Active: true, OnHand: 100 * db.QtyScale, OnSalesOrder: 3 * db.QtyScale, TimeModified: "2026-12-05T10:00:00-05:00", LastSeenAt: t0, ChangedAt: t0},
		{ListID: "80000002-1", FullName: "Bolt:M4", ItemType: "ItemInventoryAssembly", Active: false, OnHand: 12345, LastSeenAt: t0, ChangedAt: t0},
	}
	if err := db.SaveInventorySnapshotOf(ctx, d, f.account, db.DesktopCompany(f.qbd), items); err != nil {
		t.Fatal(err)
	}
	// Read again: quantity changed for Widget.
	items[0].OnHand = 97 * db.QtyScale
	items[0].LastSeenAt, items[0].ChangedAt = t0.Add(time.Minute), t0.Add(time.Minute)
	if err := db.SaveInventorySnapshotOf(ctx, d, f.account, db.DesktopCompany(f.qbd), items[:1]); err != nil {
		t.Fatal(err)
	}
	got, err := db.InventorySnapshotOf(ctx, d, f.account, db.DesktopCompany(f.qbd))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].FullName != "Widget" || got[0].OnHand != 9700000 || got[0].OnSalesOrder != 300000 ||
		!got[0].ChangedAt.Equal(t0.Add(time.Minute)) || got[0].TimeModified != "2026-12-05T10:00:00-05:00" ||
		got[1].OnHand != 12345 || got[1].Active || got[1].ItemType != "ItemInventoryAssembly" {
		t.Fatalf("snapshot = %+v", got)
	}
	// Another account cannot read or write this connection's snapshot.
	if other, err := db.InventorySnapshotOf(ctx, d, f.otherAccount, db.DesktopCompany(f.qbd)); err != nil || len(other) != 0 {
		t.Fatalf("other account reads %v, %v", other, err)
	}
	if err := db.SaveInventorySnapshotOf(ctx, d, f.otherAccount, db.DesktopCompany(f.qbd), items); err == nil {
		t.Fatal("other account wrote the snapshot")
	}
	if err := db.DeleteInventorySnapshotItemsOf(ctx, d, f.otherAccount, db.DesktopCompany(f.qbd), []string{"80000001-1"}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteInventorySnapshotItemsOf(ctx, d, f.account, db.DesktopCompany(f.qbd), []string{"80000002-1"}); err != nil {
		t.Fatal(err)
	}
	got, _ = db.InventorySnapshotOf(ctx, d, f.account, db.DesktopCompany(f.qbd))
	if len(got) != 1 || got[0].ListID != "80000001-1" {
		t.Fatalf("after delete: %+v", got)
	}
}

func TestInventoryWatermarkNeverMovesBack(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	d := dbtest.SQL(t)
	w, err := db.GetInventoryWatermark(ctx, d, f.account, f.qbd)
	if err != nil || !w.ChangesThrough.IsZero() || !w.FullSnapshotAt.IsZero() {
		t.Fatalf("initial watermark %+v, %v", w, err)
	}
	t1 := time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
	if err := db.SetInventoryWatermarkOf(ctx, d, f.account, db.DesktopCompany(f.qbd), db.InventoryWatermark{ChangesThrough: t1, FullSnapshotAt: t1}); err != nil {
		t.Fatal(err)
	}
	// An older detection finishing late, and one that only read changes.
	if err := db.SetInventoryWatermarkOf(ctx, d, f.account, db.DesktopCompany(f.qbd), db.InventoryWatermark{ChangesThrough: t1.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetInventoryWatermarkOf(ctx, d, f.account, db.DesktopCompany(f.qbd), db.InventoryWatermark{ChangesThrough: t1.Add(2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	w, _ = db.GetInventoryWatermark(ctx, d, f.account, f.qbd)
	if !w.ChangesThrough.Equal(t1.Add(2*time.Minute)) || !w.FullSnapshotAt.Equal(t1) {
		t.Fatalf("watermark %+v", w)
	}
	if err := db.SetInventoryWatermarkOf(ctx, d, f.otherAccount, db.DesktopCompany(f.qbd), db.InventoryWatermark{ChangesThrough: t1}); err == nil {
		t.Fatal("another account set the watermark")
	}
}

func status(t *testing.T, f invFixture, store int64, sku string) db.InventoryUpdate {
	t.Helper()
	rows, err := db.ListInventoryUpdates(context.Background(), dbtest.SQL(t), f.account, db.InventoryUpdateFilter{StoreConnectionID: store, SKU: sku})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.SKU == sku {
			return r
		}
	}
	t.Fatalf("no queue row for %s", sku)
	return db.InventoryUpdate{}
}

func TestInventoryQueueCoalescesAndSettles(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	d := dbtest.SQL(t)
	n, err := db.EnqueueInventoryUpdates(ctx, d, f.account, []db.InventoryTarget{
		{StoreConnectionID: f.store1, SKU: "RED-WINE", Quantity: 20, QBDConnectionID: f.qbd, QBListID: "80000001-1", QBFullName: "redwine"},
		{StoreConnectionID: f.store2, SKU: "RED-WINE", Quantity: 20},
		{StoreConnectionID: f.otherStore, SKU: "RED-WINE", Quantity: 20}, // not this account's store: ignored
	})
	if err != nil || n != 2 {
		t.Fatalf("enqueue = %d, %v", n, err)
	}
	// Coalescing: same SKU in another case, newer quantity; same quantity again is a no-op.
	if n, err = db.EnqueueInventoryUpdates(ctx, d, f.account, []db.InventoryTarget{{StoreConnectionID: f.store1, SKU: "red-wine", Quantity: 15}}); err != nil || n != 1 {
		t.Fatalf("enqueue newer = %d, %v", n, err)
	}
	if n, err = db.EnqueueInventoryUpdates(ctx, d, f.account, []db.InventoryTarget{{StoreConnectionID: f.store1, SKU: "red-wine", Quantity: 15}}); err != nil || n != 0 {
		t.Fatalf("enqueue same = %d, %v", n, err)
	}
	rows, _ := db.ListInventoryUpdates(ctx, d, f.account, db.InventoryUpdateFilter{StoreConnectionID: f.store1})
	if len(rows) != 1 || rows[0].TargetQuantity != 15 || rows[0].Status != db.UpdatePending || rows[0].SKU != "red-wine" {
		t.Fatalf("queue = %+v", rows)
	}
	if other, _ := db.ListInventoryUpdates(ctx, d, f.otherAccount, db.InventoryUpdateFilter{}); len(other) != 0 {
		t.Fatalf("other account's queue = %+v", other)
	}

	// Claim, then a newer target arrives during the push: the push settles as done for what it
	// sent, and the row waits again with the newer target.
	claimed, err := db.ClaimInventoryUpdates(ctx, d, f.account, f.store1, 10, time.Now(), time.Minute)
	if err != nil || len(claimed) != 1 || claimed[0].PushingQuantity != 15 || claimed[0].Attempts != 1 || claimed[0].ClaimToken == 0 {
		t.Fatalf("claim = %+v, %v", claimed, err)
	}
	if again, _ := db.ClaimInventoryUpdates(ctx, d, f.account, f.store1, 10, time.Now(), time.Minute); len(again) != 0 {
		t.Fatalf("claimed twice: %+v", again)
	}
	if n, err = db.EnqueueInventoryUpdates(ctx, d, f.account, []db.InventoryTarget{{StoreConnectionID: f.store1, SKU: "RED-WINE", Quantity: 12}}); err != nil || n != 1 {
		t.Fatalf("enqueue during push = %d, %v", n, err)
	}
	if r := status(t, f, f.store1, "RED-WINE"); r.Status != db.UpdatePushing || r.TargetQuantity != 12 {
		t.Fatalf("during push: %+v", r)
	}
	c := claimed[0]
	if k, err := db.SettleInventoryUpdates(ctx, d, f.account, []db.PushResult{{UpdateID: c.ID, ClaimToken: c.ClaimToken, Quantity: c.PushingQuantity, Outcome: db.PushDone}}); err != nil || k != 1 {
		t.Fatalf("settle = %d, %v", k, err)
	}
	r := status(t, f, f.store1, "RED-WINE")
	if r.Status != db.UpdatePending || r.TargetQuantity != 12 || r.PushedQuantity == nil || *r.PushedQuantity != 15 || r.Attempts != 0 {
		t.Fatalf("after settle with newer target: %+v", r)
	}
	claimed, _ = db.ClaimInventoryUpdates(ctx, d, f.account, f.store1, 10, time.Now(), time.Minute)
	if len(claimed) != 1 || claimed[0].PushingQuantity != 12 {
		t.Fatalf("second claim = %+v", claimed)
	}
	c = claimed[0]
	// A 429: retried later, not lost; not due before RetryAt.
	retryAt := time.Now().Add(30 * time.Second)
	if _, err := db.SettleInventoryUpdates(ctx, d, f.account, []db.PushResult{{UpdateID: c.ID, ClaimToken: c.ClaimToken, Quantity: 12, Outcome: db.PushRetry, Reason: "Shopify asked to wait 30 seconds (429)", RetryAt: retryAt}}); err != nil {
		t.Fatal(err)
	}
	if early, _ := db.ClaimInventoryUpdates(ctx, d, f.account, f.store1, 10, time.Now(), time.Minute); len(early) != 0 {
		t.Fatalf("claimed before RetryAt: %+v", early)
	}
	claimed, _ = db.ClaimInventoryUpdates(ctx, d, f.account, f.store1, 10, retryAt.Add(time.Second), time.Minute)
	if len(claimed) != 1 || claimed[0].Attempts != 2 || claimed[0].LastError != "Shopify asked to wait 30 seconds (429)" {
		t.Fatalf("claim after RetryAt = %+v", claimed)
	}
	c = claimed[0]
	if _, err := db.SettleInventoryUpdates(ctx, d, f.account, []db.PushResult{{UpdateID: c.ID, ClaimToken: c.ClaimToken, Quantity: 12, Outcome: db.PushDone}}); err != nil {
		t.Fatal(err)
	}
	if r := status(t, f, f.store1, "RED-WINE"); r.Status != db.UpdateDone || *r.PushedQuantity != 12 || r.LastError != "" {
		t.Fatalf("done: %+v", r)
	}
	// Done with 12: the same target again changes nothing.
	if n, _ = db.EnqueueInventoryUpdates(ctx, d, f.account, []db.InventoryTarget{{StoreConnectionID: f.store1, SKU: "RED-WINE", Quantity: 12}}); n != 0 {
		t.Fatalf("re-enqueue of pushed quantity queued %d", n)
	}

	// Mismatched: reported once, not retried by new targets, requeued on demand.
	claimed, _ = db.ClaimInventoryUpdates(ctx, d, f.account, f.store2, 10, time.Now(), time.Minute)
	if len(claimed) != 1 {
		t.Fatalf("store2 claim = %+v", claimed)
	}
	c = claimed[0]
	reason := `No product with SKU "RED-WINE" in WooCommerce store "Woo"`
	if _, err := db.SettleInventoryUpdates(ctx, d, f.account, []db.PushResult{{UpdateID: c.ID, ClaimToken: c.ClaimToken, Quantity: 20, Outcome: db.PushMismatched, Reason: reason}}); err != nil {
		t.Fatal(err)
	}
	if n, _ = db.EnqueueInventoryUpdates(ctx, d, f.account, []db.InventoryTarget{{StoreConnectionID: f.store2, SKU: "RED-WINE", Quantity: 9}}); n != 0 {
		t.Fatalf("new target on a mismatched row queued %d", n)
	}
	if more, _ := db.ClaimInventoryUpdates(ctx, d, f.account, f.store2, 10, time.Now().Add(time.Hour), time.Minute); len(more) != 0 {
		t.Fatalf("mismatched row claimed: %+v", more)
	}
	if r := status(t, f, f.store2, "RED-WINE"); r.Status != db.UpdateMismatched || r.TargetQuantity != 9 || r.LastError != reason {
		t.Fatalf("mismatched: %+v", r)
	}
	if k, err := db.RequeueMismatchedInventoryUpdates(ctx, d, f.account, f.store2, []string{"red-wine"}); err != nil || k != 1 {
		t.Fatalf("requeue = %d, %v", k, err)
	}
	claimed, _ = db.ClaimInventoryUpdates(ctx, d, f.account, f.store2, 10, time.Now(), time.Minute)
	if len(claimed) != 1 || claimed[0].PushingQuantity != 9 {
		t.Fatalf("requeued claim = %+v", claimed)
	}

	// The results log has every push, newest first.
	log, err := db.ListInventoryPushLog(ctx, d, f.account, db.PushLogFilter{SKU: "red-wine"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, fmt.Sprintf("%d %d %s", e.StoreConnectionID-f.store1, e.Quantity, e.Outcome))
	}
	want := fmt.Sprint([]string{fmt.Sprintf("%d 20 mismatched", f.store2-f.store1), "0 12 pushed", "0 12 retry", "0 15 pushed"})
	if fmt.Sprint(got) != want {
		t.Fatalf("push log %v, want %v", got, want)
	}
	if failures, _ := db.ListInventoryPushLog(ctx, d, f.account, db.PushLogFilter{Outcomes: []db.PushOutcome{db.PushMismatched}}); len(failures) != 1 || failures[0].Reason != reason {
		t.Fatalf("mismatch log = %+v", failures)
	}
	if other, _ := db.ListInventoryPushLog(ctx, d, f.otherAccount, db.PushLogFilter{}); len(other) != 0 {
		t.Fatalf("other account's log = %+v", other)
	}
}

func TestInventoryQueueExpiredClaim(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	d := dbtest.SQL(t)
	if _, err := db.EnqueueInventoryUpdates(ctx, d, f.account, []db.InventoryTarget{{StoreConnectionID: f.store1, SKU: "A", Quantity: 1}}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	first, _ := db.ClaimInventoryUpdates(ctx, d, f.account, f.store1, 1, t0, time.Minute)
	if len(first) != 1 {
		t.Fatal("no claim")
	}
	// The first worker died; after the lease another claims the row.
	second, _ := db.ClaimInventoryUpdates(ctx, d, f.account, f.store1, 1, t0.Add(2*time.Minute), time.Minute)
	if len(second) != 1 || second[0].ClaimToken == first[0].ClaimToken || second[0].Attempts != 2 {
		t.Fatalf("reclaim = %+v", second)
	}
	// The first worker's late answer is logged but does not settle the row.
	k, err := db.SettleInventoryUpdates(ctx, d, f.account, []db.PushResult{{UpdateID: first[0].ID, ClaimToken: first[0].ClaimToken, Quantity: 1, Outcome: db.PushFailed, Reason: "timeout"}})
	if err != nil || k != 0 {
		t.Fatalf("stale settle = %d, %v", k, err)
	}
	if r := status(t, f, f.store1, "A"); r.Status != db.UpdatePushing {
		t.Fatalf("row after stale settle: %+v", r)
	}
	k, _ = db.SettleInventoryUpdates(ctx, d, f.account, []db.PushResult{{UpdateID: second[0].ID, ClaimToken: second[0].ClaimToken, Quantity: 1, Outcome: db.PushFailed, Reason: "Shopify answered 422: quantity must be a number"}})
	if k != 1 {
		t.Fatalf("settle = %d", k)
	}
	if r := status(t, f, f.store1, "A"); r.Status != db.UpdateFailed || r.LastError != "Shopify answered 422: quantity must be a number" {
		t.Fatalf("failed: %+v", r)
	}
	// A new target retries a failed row.
	if n, _ := db.EnqueueInventoryUpdates(ctx, d, f.account, []db.InventoryTarget{{StoreConnectionID: f.store1, SKU: "A", Quantity: 1}}); n != 1 {
		t.Fatalf("failed row not requeued: %d", n)
	}
}

// TestInventoryQueueConcurrentTargetsAndPushes runs a worker (claim, "push", settle) against a
// producer enqueueing ever newer targets for the same SKUs, on real Postgres. When both stop
// and the queue is drained, the last push of every SKU must be its last target.
func TestInventoryQueueConcurrentTargetsAndPushes(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	d := dbtest.SQL(t)
	skus := []string{"S1", "S2", "S3", "S4", "S5"}
	const rounds = 60
	var wg sync.WaitGroup
	var producing atomic.Bool
	producing.Store(true)
	store := map[string]int64{} // what the "store" has, by SKU
	var mu sync.Mutex
	errs := make(chan error, 4)
	wg.Add(2)
	go func() { // producer
		defer wg.Done()
		defer producing.Store(false)
		for i := 1; i <= rounds; i++ {
			var ts []db.InventoryTarget
			for _, s := range skus {
				ts = append(ts, db.InventoryTarget{StoreConnectionID: f.store1, SKU: s, Quantity: int64(i)})
			}
			if err := f.d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				_, err := db.EnqueueInventoryUpdates(ctx, tx, f.account, ts)
				return err
			}); err != nil {
				errs <- err
				return
			}
		}
	}()
	worker := func() {
		defer wg.Done()
		for {
			more := producing.Load()
			claimed, err := db.ClaimInventoryUpdates(ctx, d, f.account, f.store1, 3, time.Now(), time.Minute)
			if err != nil {
				errs <- err
				return
			}
			if len(claimed) == 0 {
				if !more {
					return
				}
				time.Sleep(time.Millisecond)
				continue
			}
			var res []db.PushResult
			mu.Lock()
			for _, c := range claimed {
				store[c.SKU] = c.PushingQuantity
				res = append(res, db.PushResult{UpdateID: c.ID, ClaimToken: c.ClaimToken, Quantity: c.PushingQuantity, Outcome: db.PushDone})
			}
			mu.Unlock()
			time.Sleep(time.Millisecond) // the push takes a moment; targets keep arriving
			if _, err := db.SettleInventoryUpdates(ctx, d, f.account, res); err != nil {
				errs <- err
				return
			}
		}
	}
	go worker()
	wg.Wait()
	// Drain what is left (the producer may have finished after the worker's last claim).
	wg.Add(1)
	worker()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rows, _ := db.ListInventoryUpdates(ctx, d, f.account, db.InventoryUpdateFilter{StoreConnectionID: f.store1})
	sort.Slice(rows, func(i, j int) bool { return rows[i].SKU < rows[j].SKU })
	if len(rows) != len(skus) {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if r.Status != db.UpdateDone || r.TargetQuantity != rounds || r.PushedQuantity == nil || *r.PushedQuantity != rounds || store[r.SKU] != rounds {
			t.Errorf("%s: %+v, store has %d", r.SKU, r, store[r.SKU])
		}
	}
}

// TestInventoryEnqueueBatch hands over one detection's worth of targets at once: more than one
// statement's chunk, and the same SKU twice (the last target wins).
func TestInventoryEnqueueBatch(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	var ts []db.InventoryTarget
	for i := 0; i < 1200; i++ {
		ts = append(ts, db.InventoryTarget{StoreConnectionID: f.store1, SKU: fmt.Sprintf("SKU-%04d", i), Quantity: int64(i)},
			db.InventoryTarget{StoreConnectionID: f.store2, SKU: fmt.Sprintf("SKU-%04d", i), Quantity: int64(i)})
	}
	ts = append(ts, db.InventoryTarget{StoreConnectionID: f.store1, SKU: "sku-0007", Quantity: 700})
	n, err := db.EnqueueInventoryUpdates(ctx, dbtest.SQL(t), f.account, ts)
	if err != nil || n != 2400 {
		t.Fatalf("enqueue = %d, %v", n, err)
	}
	if r := status(t, f, f.store1, "sku-0007"); r.TargetQuantity != 700 || r.TargetVersion != 1 {
		t.Errorf("duplicate SKU: %+v", r)
	}
	rows, _ := db.ListInventoryUpdates(ctx, dbtest.SQL(t), f.account, db.InventoryUpdateFilter{StoreConnectionID: f.store2, Statuses: []db.UpdateStatus{db.UpdatePending}, Limit: 1000})
	if len(rows) != 1000 {
		t.Errorf("store2 pending rows listed: %d", len(rows))
	}
}
