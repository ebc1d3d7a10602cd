package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
	"github.com/uptrace/bun"
)

// ErrBadTimeZone is returned when Postgres does not know the time zone a day-by-day count was
// asked in.
var ErrBadTimeZone = errors.New("unknown time zone")

// Order states that are not in QuickBooks yet and need nobody: the pull, matching or the Web
// Connector will move them on.
var waitingStates = []string{OrderPending, OrderReady, OrderSent}

// StoreOrderCounts is one store connection's order numbers for the dashboard.
type StoreOrderCounts struct {
	ConnectionID int64 `bun:"connection_id"`
	// Received since midnight / since midnight six days ago, in the asked time zone.
	Today        int `bun:"today"`
	Last7Days    int `bun:"last7"`
	Waiting      int `bun:"waiting"`
	InError      int `bun:"in_error"`
	NeedsMapping int `bun:"needs_mapping"`
}

// badZone turns Postgres' "time zone not recognized" (invalid_parameter_value) into ErrBadTimeZone.
func badZone(err error, tz string) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "22023" {
		return fmt.Errorf("%w: %q", ErrBadTimeZone, tz)
	}
	return err
}

// StoreOrderCountsByConnection counts, per store connection of accountID that has orders, the
// orders received today and in the last 7 days (days in time zone tz, an IANA name) and those
// waiting, in error and needing mapping now. Connections without orders are absent.
func (d *DB) StoreOrderCountsByConnection(ctx context.Context, accountID int64, tz string) (map[int64]StoreOrderCounts, error) {
	out := map[int64]StoreOrderCounts{}
	// Received counts: only the last 7 days' rows are read (orders_account_created_idx).
	var recent []StoreOrderCounts
	err := d.bun.NewRaw(`
		WITH bounds AS (
		    SELECT (date_trunc('day', now() AT TIME ZONE ?0) AT TIME ZONE ?0) AS today)
		SELECT o.connection_id,
		       count(*) FILTER (WHERE o.created_at >= b.today) AS today,
		       count(*) AS last7
		FROM orders o, bounds b
		WHERE o.account_id = ?1 AND o.created_at >= b.today - interval '6 days'
		GROUP BY o.connection_id`, tz, accountID).Scan(ctx, &recent)
	if err != nil {
		return nil, fmt.Errorf("db: recent orders per store: %w", badZone(err, tz))
	}
	for _, r := range recent {
		out[r.ConnectionID] = r
	}
	// State counts: the maintained counts (order_count_deltas), never the orders themselves.
	states, err := d.OrderCountsByConnection(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("db: orders per store and state: %w", err)
	}
	for conn, byState := range states {
		c, seen := out[conn]
		c.ConnectionID = conn
		c.InError += byState[OrderError]
		c.NeedsMapping += byState[OrderNeedsMapping]
		for _, st := range waitingStates {
			c.Waiting += byState[st]
		}
		if seen || c.InError+c.NeedsMapping+c.Waiting > 0 { // as before: a connection with none of these is absent
			out[conn] = c
		}
	}
	return out, nil
}

// DayActivity is one day of the dashboard's charts.
type DayActivity struct {
	// Day is the day's date in the asked time zone (its time part is zero, its location UTC).
	Day time.Time
	// PostedByStore: orders QuickBooks accepted that day, per store connection.
	PostedByStore    map[int64]int
	Errors           int
	InventoryUpdated int
	InventoryFailed  int
}

// MaxActivityDays caps DailyActivity's range.
const MaxActivityDays = 90

// DailyActivity returns accountID's activity per day for the `days` days up to and including
// today (days in time zone tz, an IANA name), oldest first, every day present (zeros included):
// orders posted to QuickBooks per store (the audit trail's posting events, so an order posted,
// flagged and resynced counts on the day QuickBooks took it, once a day however often it took it), error lines of the log, and
// inventory updates sent to stores and failed (a mismatched SKU counts as failed). days is
// clamped to 1..MaxActivityDays.
func (d *DB) DailyActivity(ctx context.Context, accountID int64, tz string, days int) ([]DayActivity, error) {
	days = min(max(days, 1), MaxActivityDays)
	var start time.Time
	// The first day's midnight in tz, as an instant, and its date.
	var first string
	err := d.bun.NewRaw(`
		SELECT (date_trunc('day', now() AT TIME ZONE ?0) - make_interval(days => ?1)) AT TIME ZONE ?0 AS start,
		       to_char(date_trunc('day', now() AT TIME ZONE ?0) - make_interval(days => ?1), 'YYYY-MM-DD') AS first`,
		tz, days-1).Scan(ctx, &start, &first)
	if err != nil {
		return nil, fmt.Errorf("db: activity range: %w", badZone(err, tz))
	}
	firstDay, err := time.Parse(time.DateOnly, first)
	if err != nil {
		return nil, fmt.Errorf("db: activity range: %w", err)
	}
	out := make([]DayActivity, days)
	for i := range out {
		out[i] = DayActivity{Day: firstDay.AddDate(0, 0, i), PostedByStore: map[int64]int{}}
	}
	at := func(day string) *DayActivity {
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return nil
		}
		i := int(t.Sub(firstDay).Hours()/24 + 0.5)
		if i < 0 || i >= len(out) {
			return nil // now() moved past midnight between the queries
		}
		return &out[i]
	}
	day := `to_char(created_at AT TIME ZONE ?0, 'YYYY-MM-DD')`

	var posted []struct {
		Day          string `bun:"day"`
		ConnectionID int64  `bun:"connection_id"`
		N            int    `bun:"n"`
	}
	// The maintained quarter-hour counts of posting events (migration 20261208310001), less, per
	// day and store, the second and later postings of one order that day: never the events
	// themselves. start is a midnight in tz, so on a quarter hour.
	err = d.bun.NewRaw(`
		SELECT day, connection_id, sum(n) AS n FROM (
		    SELECT to_char(quarter AT TIME ZONE ?0, 'YYYY-MM-DD') AS day, connection_id, n
		    FROM order_posting_counts WHERE account_id = ?1 AND quarter >= ?2
		    UNION ALL
		    SELECT to_char(created_at AT TIME ZONE ?0, 'YYYY-MM-DD'), connection_id, count(DISTINCT order_id) - count(*)
		    FROM order_posting_repeats WHERE account_id = ?1 AND created_at >= ?2 GROUP BY 1, 2) p
		GROUP BY 1, 2 HAVING sum(n) <> 0`, tz, accountID, start).Scan(ctx, &posted)
	if err != nil {
		return nil, fmt.Errorf("db: posted orders per day: %w", err)
	}
	for _, p := range posted {
		if a := at(p.Day); a != nil {
			a.PostedByStore[p.ConnectionID] += p.N
		}
	}

	var errs []struct {
		Day string `bun:"day"`
		N   int    `bun:"n"`
	}
	err = d.bun.NewRaw(`SELECT `+day+` AS day, count(*) AS n FROM sync_logs
		WHERE account_id = ?1 AND level = 'error' AND created_at >= ?2 GROUP BY 1`, tz, accountID, start).Scan(ctx, &errs)
	if err != nil {
		return nil, fmt.Errorf("db: errors per day: %w", err)
	}
	for _, e := range errs {
		if a := at(e.Day); a != nil {
			a.Errors += e.N
		}
	}

	var inv []struct {
		Day    string `bun:"day"`
		OK     int    `bun:"ok"`
		Failed int    `bun:"failed"`
	}
	err = d.bun.NewRaw(`SELECT `+day+` AS day,
		       count(*) FILTER (WHERE outcome = 'pushed') AS ok,
		       count(*) FILTER (WHERE outcome IN ('failed', 'mismatched')) AS failed
		FROM inventory_push_log WHERE account_id = ?1 AND created_at >= ?2 GROUP BY 1`, tz, accountID, start).Scan(ctx, &inv)
	if err != nil {
		return nil, fmt.Errorf("db: inventory updates per day: %w", err)
	}
	for _, v := range inv {
		if a := at(v.Day); a != nil {
			a.InventoryUpdated += v.OK
			a.InventoryFailed += v.Failed
		}
	}
	return out, nil
}

// RecentTroubledOrders returns accountID's most recently updated orders in error or needing
// mapping, newest first, at most limit (1..MaxPageSize).
func (d *DB) RecentTroubledOrders(ctx context.Context, accountID int64, limit int) ([]Order, error) {
	limit = min(max(limit, 1), MaxPageSize)
	return selectRows[Order](ctx, d.bun, "orders needing attention", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("o.account_id = ? AND o.state IN (?, ?)", accountID, OrderError, OrderNeedsMapping).
			OrderExpr("o.updated_at DESC, o.id DESC").Limit(int64(limit))
	})
}
