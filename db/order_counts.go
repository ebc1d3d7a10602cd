package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Order counts come from order_count_deltas, which triggers on orders keep (migration
// 20261206300001): every statement that stores, moves or deletes orders appends its signed
// changes per (account, connection, channel, state) inside its own transaction. Summing them is
// exact in any snapshot, whoever writes concurrently, and never reads the orders themselves.

// compactAbove is how many delta rows an account may collect before a read folds them.
const compactAbove = 1000

// orderCount is one (connection, channel, state) of an account's maintained counts.
type orderCount struct {
	ConnectionID int64  `bun:"connection_id"`
	Channel      string `bun:"channel"`
	State        string `bun:"state"`
	N            int    `bun:"n"`
	Rows         int    `bun:"rows"` // delta rows summed
}

// orderCountRows sums accountID's count deltas per (connection, channel, state); zeros stay in.
// When the account has collected many delta rows, it folds them (CompactOrderCounts) after reading.
func (d *DB) orderCountRows(ctx context.Context, accountID int64) ([]orderCount, error) {
	var rows []orderCount
	err := d.bun.NewSelect().TableExpr("order_count_deltas").
		ColumnExpr("connection_id, channel, state, sum(n) AS n, count(*) AS rows").
		Where("account_id = ?", accountID).GroupExpr("connection_id, channel, state").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("db: order counts: %w", err)
	}
	deltas := 0
	for _, r := range rows {
		deltas += r.Rows
	}
	if deltas > compactAbove+len(rows) {
		if err := CompactOrderCounts(ctx, d.bun, accountID); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// OrderCounts returns how many orders of accountID are in each state, narrowed to one store
// connection and one channel when those are non-zero. States without orders are absent.
func (d *DB) OrderCounts(ctx context.Context, accountID, connectionID int64, channel string) (map[string]int, error) {
	rows, err := d.orderCountRows(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, r := range rows {
		if (connectionID != 0 && r.ConnectionID != connectionID) || (channel != "" && r.Channel != channel) || r.N == 0 {
			continue
		}
		out[r.State] += r.N
	}
	return out, nil
}

// OrderCountsByConnection returns how many orders of accountID each store connection has in
// each state. Connections and states without orders are absent.
func (d *DB) OrderCountsByConnection(ctx context.Context, accountID int64) (map[int64]map[string]int, error) {
	rows, err := d.orderCountRows(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := map[int64]map[string]int{}
	for _, r := range rows {
		if r.N == 0 {
			continue
		}
		if out[r.ConnectionID] == nil {
			out[r.ConnectionID] = map[string]int{}
		}
		out[r.ConnectionID][r.State] += r.N
	}
	return out, nil
}

// CompactOrderCounts folds the count deltas of accountID into one row per (connection, channel,
// state), dropping zeros. It runs as one statement: a concurrent writer's rows that it cannot
// see yet stay as they are, and a reader sees the rows either before or after, both exact.
func CompactOrderCounts(ctx context.Context, idb bun.IDB, accountID int64) error {
	_, err := idb.NewRaw(`WITH gone AS (
			DELETE FROM order_count_deltas WHERE account_id = ? RETURNING connection_id, channel, state, n)
		INSERT INTO order_count_deltas (account_id, connection_id, channel, state, n)
		SELECT ?, connection_id, channel, state, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0`,
		accountID, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: compact order counts of account %d: %w", accountID, err)
	}
	return nil
}
