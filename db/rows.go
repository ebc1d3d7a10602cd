package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// The row helpers below are the single-row reads and writes most store methods are made of;
// what names the row in the error ("db: create <what>: …", "db: get <what>: …"), whose kind
// translate maps onto the package's sentinels (ErrNotFound, ErrAlreadyExists, …).

// insertRow inserts model and reads back every column the database filled in (id, defaults).
func insertRow(ctx context.Context, idb bun.IDB, model any, what string) error {
	if _, err := idb.NewInsert().Model(model).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("db: create %s: %w", what, translate(err))
	}
	return nil
}

// getRow returns the row of T that where (with args) selects, or ErrNotFound. The caller
// scopes where to the account wherever the row belongs to one.
func getRow[T any](ctx context.Context, idb bun.IDB, what, where string, args ...any) (*T, error) {
	v := new(T)
	if err := idb.NewSelect().Model(v).Where(where, args...).Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: get %s: %w", what, translate(err))
	}
	return v, nil
}

// updateRow writes the given columns of model, the row id of accountID (what names it in errors);
// ErrNotFound when accountID has no such row.
func updateRow(ctx context.Context, idb bun.IDB, model any, what string, id, accountID int64, columns ...string) error {
	res, err := idb.NewUpdate().Model(model).Column(columns...).Where("id = ? AND account_id = ?", id, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: update %s: %w", what, translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("db: update %s %d: %w", what, id, ErrNotFound)
	}
	return nil
}

// lockRow is getRow inside a transaction: the row stays locked (SELECT … FOR UPDATE) until tx
// ends, so that one writer at a time changes it.
func lockRow[T any](ctx context.Context, tx bun.IDB, what, where string, args ...any) (*T, error) {
	v := new(T)
	if err := tx.NewSelect().Model(v).Where(where, args...).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: lock %s: %w", what, translate(err))
	}
	return v, nil
}

// countPer counts the rows q selects per value of the column col; what names the rows in
// errors. Values without rows are absent.
func countPer[K comparable](ctx context.Context, q *bun.SelectQuery, col, what string) (map[K]int, error) {
	var rows []struct {
		Key K   `bun:"key"`
		N   int `bun:"n"`
	}
	if err := q.ColumnExpr("? AS key, count(*) AS n", bun.Ident(col)).GroupExpr("?", bun.Ident(col)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("db: count %s: %w", what, err)
	}
	out := make(map[K]int, len(rows))
	for _, r := range rows {
		out[r.Key] = r.N
	}
	return out, nil
}

// selectRows reads the rows of T's table that build selects (from a select of T's model, with
// its alias); what names them in errors.
func selectRows[T any](ctx context.Context, idb bun.IDB, what string, build func(*bun.SelectQuery) *bun.SelectQuery) ([]T, error) {
	var rows []T
	if err := build(idb.NewSelect().Model(&rows)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: %s: %w", what, err)
	}
	return rows, nil
}
