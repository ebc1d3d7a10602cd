package db

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Causes of a sweeper gap (OrderSweepGap.Cause).
const (
	GapNotReceived     = "not_received"      // the store has the order, Ledgerlink never received it
	GapNotInQuickBooks = "not_in_quickbooks" // received, but not in QuickBooks (nor settled otherwise) a day later
)

// settledStates are the order states that need nothing more from QuickBooks: a gap of an order
// in one of them is closed.
var settledStates = []string{OrderPosted, OrderSkippedDuplicate, OrderExcluded}

// OrderSweep is one sweep of a store connection's closed day (UTC).
type OrderSweep struct {
	bun.BaseModel `bun:"table:order_sweeps,alias:sw"`

	ID           int64     `bun:"id,pk,autoincrement"`
	AccountID    int64     `bun:"account_id,notnull"`
	ConnectionID int64     `bun:"connection_id,notnull"`
	Day          time.Time `bun:"day,type:date,notnull"`
	StoreCount   int       `bun:"store_count,notnull"`
	OurCount     int       `bun:"our_count,notnull"`
	PostedCount  int       `bun:"posted_count,notnull"`
	GapCount     int       `bun:"gap_count,notnull"`
	Error        string    `bun:"error,notnull"`
	SweptAt      time.Time `bun:"swept_at,notnull"`
}

// OrderSweepGap is a store order the sweeper found missing from Ledgerlink or from QuickBooks.
type OrderSweepGap struct {
	bun.BaseModel `bun:"table:order_sweep_gaps,alias:g"`

	ID             int64      `bun:"id,pk,autoincrement"`
	AccountID      int64      `bun:"account_id,notnull"`
	ConnectionID   int64      `bun:"connection_id,notnull"`
	Day            time.Time  `bun:"day,type:date,notnull"`
	ExternalID     string     `bun:"external_id,notnull"`
	Number         string     `bun:"number,notnull"`
	Cause          string     `bun:"cause,notnull"`
	StoreCreatedAt *time.Time `bun:"store_created_at"`
	FoundAt        time.Time  `bun:"found_at,notnull"`
	ResyncAt       *time.Time `bun:"resync_at"`
	ResolvedAt     *time.Time `bun:"resolved_at"`
	// The order as Ledgerlink has it now (nil/"" when not received); filled by ListOpenSweepGaps.
	OrderID    *int64 `bun:"order_id,scanonly"`
	OrderState string `bun:"order_state,scanonly"`
}

// SweptOrder is what the sweeper learnt of one store order of the day.
type SweptOrder struct {
	ExternalID     string
	Number         string
	StoreCreatedAt *time.Time
}

// RecordOrderSweep compares the store's orders of sw's day (store, all of them that the
// connection syncs) with Ledgerlink's orders of the connection, stores the sweep (one per
// connection and day: a later sweep of the day replaces it) and its gaps, resolves the earlier
// gaps of the day the store's orders no longer show, and returns the open gaps of the day. A
// gap already known keeps its found and resync times.
func (d *DB) RecordOrderSweep(ctx context.Context, sw *OrderSweep, store []SweptOrder) ([]OrderSweepGap, error) {
	var gaps []OrderSweepGap
	err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ids := make([]string, len(store))
		for i, o := range store {
			ids[i] = o.ExternalID
		}
		var ours []struct {
			ExternalID string `bun:"external_id"`
			State      string `bun:"state"`
		}
		err := tx.NewRaw(`SELECT external_id, state FROM orders WHERE account_id = ? AND connection_id = ? AND external_id = ANY(?::text[])`,
			sw.AccountID, sw.ConnectionID, pgdialect.Array(ids)).Scan(ctx, &ours)
		if err != nil {
			return fmt.Errorf("db: sweep: our orders: %w", err)
		}
		state := make(map[string]string, len(ours))
		for _, o := range ours {
			state[o.ExternalID] = o.State
		}
		sw.StoreCount, sw.OurCount, sw.PostedCount = len(store), len(ours), 0
		gaps = gaps[:0]
		for _, o := range store {
			g := OrderSweepGap{AccountID: sw.AccountID, ConnectionID: sw.ConnectionID, Day: sw.Day, ExternalID: o.ExternalID,
				Number: o.Number, StoreCreatedAt: o.StoreCreatedAt, FoundAt: sw.SweptAt}
			st, ok := state[o.ExternalID]
			switch {
			case !ok:
				g.Cause = GapNotReceived
			case slices.Contains(settledStates, st):
				sw.PostedCount++
				continue
			default:
				g.Cause, g.OrderState = GapNotInQuickBooks, st
			}
			gaps = append(gaps, g)
		}
		sw.GapCount = len(gaps)
		_, err = tx.NewInsert().Model(sw).On("CONFLICT (connection_id, day) DO UPDATE").
			Set("store_count = EXCLUDED.store_count, our_count = EXCLUDED.our_count, posted_count = EXCLUDED.posted_count").
			Set("gap_count = EXCLUDED.gap_count, error = EXCLUDED.error, swept_at = EXCLUDED.swept_at").
			Returning("id").Exec(ctx)
		if err != nil {
			return fmt.Errorf("db: save sweep: %w", err)
		}
		open := make([]string, len(gaps))
		for i := range gaps {
			open[i] = gaps[i].ExternalID
			_, err := tx.NewInsert().Model(&gaps[i]).On("CONFLICT (connection_id, external_id) DO UPDATE").
				Set("cause = EXCLUDED.cause, number = EXCLUDED.number, day = EXCLUDED.day").
				Set("found_at = CASE WHEN g.resolved_at IS NULL THEN g.found_at ELSE EXCLUDED.found_at END").
				Set("resolved_at = NULL").
				Returning("id, found_at, resync_at").Exec(ctx)
			if err != nil {
				return fmt.Errorf("db: save sweep gap: %w", err)
			}
		}
		_, err = tx.NewUpdate().Model((*OrderSweepGap)(nil)).Set("resolved_at = ?", sw.SweptAt).
			Where("account_id = ? AND connection_id = ? AND day = ? AND resolved_at IS NULL", sw.AccountID, sw.ConnectionID, sw.Day).
			Where("NOT (external_id = ANY(?::text[]))", pgdialect.Array(open)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("db: resolve sweep gaps: %w", err)
		}
		return nil
	})
	return gaps, err
}

// RecordOrderSweepError stores a sweep of sw's day that could not read the store (sw.Error),
// keeping the gaps already known.
func (d *DB) RecordOrderSweepError(ctx context.Context, sw *OrderSweep) error {
	_, err := d.bun.NewInsert().Model(sw).On("CONFLICT (connection_id, day) DO UPDATE").
		Set("error = EXCLUDED.error, swept_at = EXCLUDED.swept_at").Returning("id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: save failed sweep: %w", err)
	}
	return nil
}

// openGaps narrows q to accountID's gaps still open now: not resolved by a later sweep, and
// whose order Ledgerlink has not since received and settled (a resync shows at once). It reads
// each gap with the order as Ledgerlink has it now (OrderID, OrderState).
func openGaps(q *bun.SelectQuery, accountID int64) *bun.SelectQuery {
	return q.Join("LEFT JOIN orders AS o ON o.connection_id = g.connection_id AND o.external_id = g.external_id").
		Where("g.account_id = ? AND g.resolved_at IS NULL", accountID).
		Where("(o.id IS NULL OR o.state NOT IN (?))", bun.List(settledStates)).
		ColumnExpr("g.*").ColumnExpr("o.id AS order_id, coalesce(o.state, '') AS order_state")
}

// ListOpenSweepGaps pages through accountID's open sweeper gaps, newest first, each with the
// order as Ledgerlink has it now; connectionID 0 means every store connection.
func (d *DB) ListOpenSweepGaps(ctx context.Context, accountID, connectionID int64, p Page) (Result[OrderSweepGap], error) {
	return listPage[OrderSweepGap](ctx, d.bun, p, "g", "sweep gaps", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = openGaps(q, accountID)
		if connectionID != 0 {
			q = q.Where("g.connection_id = ?", connectionID)
		}
		return q
	})
}

// OpenSweepGapsSince returns accountID's gaps still open that a sweep found at or after since,
// oldest first (for alerts: "a sweeper gap").
func (d *DB) OpenSweepGapsSince(ctx context.Context, accountID int64, since time.Time) ([]OrderSweepGap, error) {
	return selectRows[OrderSweepGap](ctx, d.bun, "open sweep gaps", func(q *bun.SelectQuery) *bun.SelectQuery {
		return openGaps(q, accountID).Where("g.found_at >= ?", since).OrderExpr("g.found_at, g.id").Limit(MaxPageSize)
	})
}

// MarkSweepGapsResync records that a resync of gaps ids of accountID was asked for at now and
// returns those gaps still open (the others need none).
func (d *DB) MarkSweepGapsResync(ctx context.Context, accountID int64, ids []int64, now time.Time) ([]OrderSweepGap, error) {
	var gaps []OrderSweepGap
	err := openGaps(d.bun.NewSelect().Model(&gaps), accountID).
		Where("g.id = ANY(?::bigint[])", pgdialect.Array(ids)).OrderExpr("g.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: sweep gaps to resync: %w", err)
	}
	if len(gaps) == 0 {
		return nil, nil
	}
	open := make([]int64, len(gaps))
	for i := range gaps {
		open[i] = gaps[i].ID
		gaps[i].ResyncAt = &now
	}
	_, err = d.bun.NewUpdate().Model((*OrderSweepGap)(nil)).Set("resync_at = ?", now).
		Where("account_id = ? AND id = ANY(?::bigint[])", accountID, pgdialect.Array(open)).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: mark sweep gaps resync: %w", err)
	}
	return gaps, nil
}

// SweepableStoreConnections returns every enabled store connection of every account, for the
// daily sweep.
func (d *DB) SweepableStoreConnections(ctx context.Context) ([]StoreConnection, error) {
	return selectRows[StoreConnection](ctx, d.bun, "sweepable store connections", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("sc.enabled").OrderExpr("sc.id")
	})
}

// LatestOrderSweeps returns the latest sweep of each of accountID's store connections.
func (d *DB) LatestOrderSweeps(ctx context.Context, accountID int64) ([]OrderSweep, error) {
	return selectRows[OrderSweep](ctx, d.bun, "latest sweeps", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.DistinctOn("sw.connection_id").Where("sw.account_id = ?", accountID).
			OrderExpr("sw.connection_id, sw.day DESC")
	})
}
