package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// MaxPageSize caps every list query, whatever the caller asks for.
const MaxPageSize = 100

// DefaultPageSize is used when the caller does not say.
const DefaultPageSize = 25

// Page asks for up to Limit rows with ids below AfterID (lists run newest first).
// AfterID 0 means from the start.
type Page struct {
	Limit   int
	AfterID int64
}

// limit returns the effective page size.
func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageSize
	case p.Limit > MaxPageSize:
		return MaxPageSize
	default:
		return p.Limit
	}
}

// apply adds keyset paging on the id column of alias to q, fetching one extra row so the
// caller can tell whether there is a next page.
func (p Page) apply(q *bun.SelectQuery, alias string) *bun.SelectQuery {
	if p.AfterID > 0 {
		q = q.Where("?.id < ?", bun.Ident(alias), p.AfterID)
	}
	return q.OrderExpr("?.id DESC", bun.Ident(alias)).Limit(int64(p.limit() + 1))
}

// Result is one page of rows plus whether more follow and how many match in all.
type Result[T any] struct {
	Items       []T
	HasNextPage bool
	TotalCount  int
}

// trim cuts the extra look-ahead row off items.
func trim[T any](p Page, items []T, total int64) Result[T] {
	r := Result[T]{Items: items, TotalCount: int(total)}
	if len(items) > p.limit() {
		r.Items = items[:p.limit()]
		r.HasNextPage = true
	}
	return r
}

// listPage runs one keyset page of T, newest first, and counts every row matching in all:
// filter narrows both queries, alias is T's table alias and what names the rows in errors.
func listPage[T any](ctx context.Context, idb bun.IDB, p Page, alias, what string,
	filter func(*bun.SelectQuery) *bun.SelectQuery) (Result[T], error) {
	var rows []T
	if err := p.apply(filter(idb.NewSelect().Model(&rows)), alias).Scan(ctx); err != nil {
		return Result[T]{}, fmt.Errorf("db: list %s: %w", what, err)
	}
	total, err := filter(idb.NewSelect().Model((*T)(nil))).Count(ctx)
	if err != nil {
		return Result[T]{}, fmt.Errorf("db: count %s: %w", what, err)
	}
	return trim(p, rows, total), nil
}
