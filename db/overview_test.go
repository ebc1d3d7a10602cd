package db_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/uptrace/bun"
)

// overviewFixture: orders, posting events, log lines and inventory pushes at hand-picked
// instants around today's UTC midnight, in two stores of one account and in another account.
type overviewFixture struct {
	invFixture
	t0      time.Time // today's midnight, UTC
	created map[int64][]time.Time
	ids     map[string]int64
}

func newOverviewFixture(t *testing.T) overviewFixture {
	t.Helper()
	ctx := context.Background()
	b := dbtest.SQL(t)
	now := time.Now().UTC()
	f := overviewFixture{invFixture: newInvFixture(t), t0: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		created: map[int64][]time.Time{}, ids: map[string]int64{}}
	day := 24 * time.Hour
	order := func(name string, acct, conn int64, state string, created, updated time.Time) {
		f.ids[name] = insertBareOrder(t, b, acct, conn, name, state, created, updated)
		if acct == f.account {
			f.created[conn] = append(f.created[conn], created)
		}
	}
	order("A", f.account, f.store1, db.OrderPosted, f.t0.Add(time.Hour), f.t0.Add(time.Hour))
	order("B", f.account, f.store1, db.OrderError, f.t0.Add(-2*day), f.t0.Add(-2*day))
	order("C", f.account, f.store1, db.OrderNeedsMapping, f.t0.Add(-10*day), f.t0.Add(-day))
	order("D", f.account, f.store1, db.OrderReady, f.t0.Add(2*time.Hour), f.t0.Add(2*time.Hour))
	order("E", f.account, f.store2, db.OrderPending, f.t0.Add(-6*day+time.Hour), f.t0.Add(-6*day+time.Hour))
	order("F", f.account, f.store2, db.OrderPosted, f.t0.Add(-6*day-time.Hour), f.t0.Add(-6*day-time.Hour))
	order("G", f.otherAccount, f.otherStore, db.OrderError, f.t0.Add(time.Hour), f.t0.Add(time.Hour))

	exec := func(q string, args ...any) {
		if _, err := b.NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	event := func(order string, acct int64, details string, at time.Time) {
		exec(`INSERT INTO order_events (order_id, account_id, kind, message, details, created_at) VALUES (?, ?, 'quickbooks', 'x', ?::jsonb, ?)`,
			f.ids[order], acct, details, at)
	}
	event("A", f.account, `{"txnId":"T-1"}`, f.t0.Add(time.Hour))
	event("A", f.account, `{"txnId":"T-1"}`, f.t0.Add(90*time.Minute)) // the same order twice in a day counts once
	event("F", f.account, `{"txnId":"T-2"}`, f.t0.Add(-6*day+2*time.Hour))
	event("B", f.account, `{"statusCode":3140}`, f.t0.Add(-2*day)) // refused: not posted
	event("G", f.otherAccount, `{"txnId":"T-3"}`, f.t0.Add(time.Hour))
	logLine := func(acct int64, level string, at time.Time) {
		exec(`INSERT INTO sync_logs (account_id, level, source, message, created_at) VALUES (?, ?, 'test', 'x', ?)`, acct, level, at)
	}
	logLine(f.account, "error", f.t0.Add(-day+time.Hour))
	logLine(f.account, "error", f.t0.Add(-day+2*time.Hour))
	logLine(f.account, "warning", f.t0.Add(-day))
	logLine(f.account, "error", f.t0.Add(-40*day)) // before the range
	logLine(f.otherAccount, "error", f.t0.Add(time.Hour))
	push := func(acct, store int64, outcome string, at time.Time) {
		exec(`INSERT INTO inventory_push_log (account_id, store_connection_id, sku, quantity, outcome, created_at) VALUES (?, ?, 'SKU', 1, ?, ?)`, acct, store, outcome, at)
	}
	push(f.account, f.store1, "pushed", f.t0.Add(time.Hour))
	push(f.account, f.store2, "pushed", f.t0.Add(time.Hour))
	push(f.account, f.store1, "failed", f.t0.Add(-day))
	push(f.account, f.store1, "mismatched", f.t0.Add(-day))
	push(f.account, f.store1, "retry", f.t0.Add(-day)) // will be tried again: neither
	push(f.otherAccount, f.otherStore, "failed", f.t0.Add(time.Hour))
	return f
}

func TestStoreOrderCountsByConnection(t *testing.T) {
	f := newOverviewFixture(t)
	ctx := context.Background()
	got, err := f.d.StoreOrderCountsByConnection(ctx, f.account, "UTC")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]db.StoreOrderCounts{
		f.store1: {ConnectionID: f.store1, Today: 2, Last7Days: 3, Waiting: 1, InError: 1, NeedsMapping: 1},
		f.store2: {ConnectionID: f.store2, Today: 0, Last7Days: 1, Waiting: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("UTC counts = %+v, want %+v", got, want)
	}

	// Six hours west of UTC (Etc/GMT+6 is UTC-6) today starts at a different instant: the expected
	// counts come from the fixture's own instants and Go's clock.
	west := time.FixedZone("UTC-6", -6*3600)
	now := time.Now().In(west)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, west)
	got, err = f.d.StoreOrderCountsByConnection(ctx, f.account, "Etc/GMT+6")
	if err != nil {
		t.Fatal(err)
	}
	for _, store := range []int64{f.store1, f.store2} {
		var wantToday, want7 int
		for _, at := range f.created[store] {
			if !at.Before(today) {
				wantToday++
			}
			if !at.Before(today.AddDate(0, 0, -6)) {
				want7++
			}
		}
		if got[store].Today != wantToday || got[store].Last7Days != want7 {
			t.Errorf("store %d in UTC-6: today %d, 7 days %d; want %d, %d", store, got[store].Today, got[store].Last7Days, wantToday, want7)
		}
	}

	if _, err := f.d.StoreOrderCountsByConnection(ctx, f.account, "Mars/Olympus_Mons"); !errors.Is(err, db.ErrBadTimeZone) {
		t.Fatalf("unknown zone: err = %v, want ErrBadTimeZone", err)
	}
}

func TestDailyActivity(t *testing.T) {
	f := newOverviewFixture(t)
	ctx := context.Background()
	got, err := f.d.DailyActivity(ctx, f.account, "UTC", 7)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]db.DayActivity, 7)
	for i := range want {
		want[i] = db.DayActivity{Day: f.t0.AddDate(0, 0, i-6), PostedByStore: map[int64]int{}}
	}
	want[0].PostedByStore[f.store2] = 1 // F
	want[5].Errors = 2
	want[5].InventoryFailed = 2         // failed + mismatched
	want[6].PostedByStore[f.store1] = 1 // A, once
	want[6].InventoryUpdated = 2
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("activity =\n%+v\nwant\n%+v", got, want)
	}

	for _, c := range []struct{ ask, want int }{{0, 1}, {-3, 1}, {1000, db.MaxActivityDays}} {
		got, err := f.d.DailyActivity(ctx, f.account, "UTC", c.ask)
		if err != nil || len(got) != c.want {
			t.Errorf("DailyActivity(%d days) = %d days, %v; want %d", c.ask, len(got), err, c.want)
		}
	}
	if _, err := f.d.DailyActivity(ctx, f.account, "Nowhere/Land", 7); !errors.Is(err, db.ErrBadTimeZone) {
		t.Fatalf("unknown zone: err = %v, want ErrBadTimeZone", err)
	}
}

// insertBareOrder stores an order named name (its external id and number) with empty JSON and
// returns its id.
func insertBareOrder(t *testing.T, b bun.IDB, acct, conn int64, name, state string, created, updated time.Time) int64 {
	t.Helper()
	var id int64
	if err := b.NewRaw(`INSERT INTO orders (account_id, connection_id, channel, external_id, number, state, raw, normalized, created_at, updated_at)
		VALUES (?, ?, 'shopify', ?, ?, ?, '{}', '{}', ?, ?) RETURNING id`, acct, conn, name, name, state, created, updated).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// The posted-per-day chart reads the maintained quarter-hour counts: orders posted on different
// days and stores, one posted on two days, one posted twice in one statement, days in a zone
// whose midnight is on a quarter hour (Kathmandu, UTC+5:45), and an order deleted.
func TestDailyActivityPostingCounts(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	b := dbtest.SQL(t)
	now := time.Now().UTC()
	t0 := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	p1 := insertBareOrder(t, b, f.account, f.store1, "P1", db.OrderPosted, t0.Add(-4*day), t0.Add(-4*day))
	p2 := insertBareOrder(t, b, f.account, f.store2, "P2", db.OrderPosted, t0.Add(-2*day), t0.Add(-2*day))
	p3 := insertBareOrder(t, b, f.account, f.store1, "P3", db.OrderPosted, t0.Add(-day), t0.Add(-day))
	other := insertBareOrder(t, b, f.otherAccount, f.otherStore, "O1", db.OrderPosted, t0.Add(-day), t0.Add(-day))
	events := func(acct int64, rows ...any) { // (order id, details, at) triples, one statement
		q := `INSERT INTO order_events (order_id, account_id, kind, message, details, created_at) VALUES `
		args := []any{}
		for i := 0; i < len(rows); i += 3 {
			if i > 0 {
				q += ", "
			}
			q += `(?, ?, 'quickbooks', 'x', ?::jsonb, ?)`
			args = append(args, rows[i], acct, rows[i+1], rows[i+2])
		}
		if _, err := b.NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	events(f.account, p1, `{"txnId":"T-1"}`, t0.Add(-3*day+10*time.Hour))
	events(f.account, p1, `{"txnId":"T-1b"}`, t0.Add(-day+5*time.Hour)) // resynced: posted again, another day
	events(f.account, p2, `{"txnId":"T-2"}`, t0.Add(-day+23*time.Hour+50*time.Minute),
		p2, `{"txnId":"T-2"}`, t0.Add(-day+23*time.Hour+55*time.Minute)) // twice in one statement, one day
	events(f.account, p3, `{"txnId":"T-3"}`, t0.Add(10*time.Minute),
		p3, `{"statusCode":3140}`, t0.Add(20*time.Minute)) // refused: not posted
	events(f.otherAccount, other, `{"txnId":"T-4"}`, t0.Add(time.Hour))

	date := func(d time.Time) string { return d.Format(time.DateOnly) }
	posted := func(tz string) map[string]map[int64]int {
		t.Helper()
		got, err := f.d.DailyActivity(ctx, f.account, tz, 7)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]map[int64]int{}
		for _, a := range got {
			if len(a.PostedByStore) > 0 {
				out[date(a.Day)] = a.PostedByStore
			}
		}
		return out
	}
	check := func(tz string, want map[string]map[int64]int) {
		t.Helper()
		if got := posted(tz); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: posted per day = %v, want %v", tz, got, want)
		}
	}
	check("UTC", map[string]map[int64]int{
		date(t0.Add(-3 * day)): {f.store1: 1},
		date(t0.Add(-day)):     {f.store1: 1, f.store2: 1},
		date(t0):               {f.store1: 1},
	})
	// UTC+5:45: P2's 23:50 and 23:55 UTC are 05:35 and 05:40 of the next day there, P3's 00:10 is
	// 05:55. (Kathmandu's today is t0 or the day after: 7 days reach back past t0-3d either way.)
	check("Asia/Kathmandu", map[string]map[int64]int{
		date(t0.Add(-3 * day)): {f.store1: 1},
		date(t0.Add(-day)):     {f.store1: 1},
		date(t0):               {f.store1: 1, f.store2: 1},
	})

	// The counts hold the account's five posting events; they, not the events, are what is read.
	var n int
	if err := b.NewRaw(`SELECT coalesce(sum(n), 0) FROM order_posting_counts WHERE account_id = ?`, f.account).Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("order_posting_counts holds %d posting events, want 5", n)
	}

	// An order deleted takes its postings off the chart.
	if _, err := b.NewRaw(`DELETE FROM orders WHERE id = ?`, p1).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	check("UTC", map[string]map[int64]int{
		date(t0.Add(-day)): {f.store2: 1},
		date(t0):           {f.store1: 1},
	})
}

func TestRecentTroubledOrders(t *testing.T) {
	f := newOverviewFixture(t)
	got, err := f.d.RecentTroubledOrders(context.Background(), f.account, 10)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, o := range got {
		numbers = append(numbers, o.Number)
	}
	// C was updated a day ago, B two days ago; G is another account's.
	if want := []string{"C", "B"}; !reflect.DeepEqual(numbers, want) {
		t.Fatalf("orders = %v, want %v", numbers, want)
	}
}

// The dashboard's 24-hour counts: each level of the account's lines since the given time, other
// accounts' lines and older lines left out, levels without lines absent.
func TestCountLogsByLevel(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	since := time.Now().Add(-time.Minute)
	for _, l := range []struct {
		account int64
		level   db.LogLevel
	}{{f.account, db.LevelError}, {f.account, db.LevelError}, {f.account, db.LevelWarning}, {f.otherAccount, db.LevelError}} {
		if err := f.d.AddLog(ctx, &db.SyncLog{AccountID: l.account, Level: l.level, Source: "orders", Message: "counted"}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.d.CountLogsByLevel(ctx, f.account, since)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[db.LevelError] != 2 || got[db.LevelWarning] != 1 {
		t.Fatalf("counts since a minute ago: %v, want error 2, warning 1", got)
	}
	if later, err := f.d.CountLogsByLevel(ctx, f.account, time.Now().Add(time.Minute)); err != nil || len(later) != 0 {
		t.Fatalf("counts since a minute ahead: %v %v, want none", later, err)
	}
}
