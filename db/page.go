package db

import (
	"context"
	"fmt"
	"sort"

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

// CountCap is where a capped count (listPageCapped) stops: past it TotalCount says CountCap and
// TotalCountCapped is set, so that no page of a list that grows with the account (orders, logs)
// counts a million rows.
const CountCap = 1000

// Result is one page of rows plus whether more follow and how many match in all.
type Result[T any] struct {
	Items       []T
	HasNextPage bool
	TotalCount  int
	// TotalCountCapped: counting stopped at TotalCount (CountCap); at least that many match.
	TotalCountCapped bool
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
	return listPageCounted[T](ctx, idb, p, alias, what, filter, func(q *bun.SelectQuery) (int, bool, error) {
		n, err := q.Count(ctx)
		return int(n), false, err
	})
}

// listPageCapped is listPage for the lists that grow with the account: it counts at most
// CountCap matching rows (Result.TotalCountCapped past it).
//
// One probe reads the ids of the newest CountCap+1 matches: their number is the count, and the
// page is taken from them whenever they reach past it (always when there are fewer matches), so
// that a rare search costs one scan of its search index rather than a walk down the list
// looking for matches spread thinly over a million rows. Only a page past the probe's ids, deep
// in a common match, runs the keyset query itself.
func listPageCapped[T any](ctx context.Context, idb bun.IDB, p Page, alias, what string,
	filter func(*bun.SelectQuery) *bun.SelectQuery) (Result[T], error) {
	var ids []int64
	// ORDER BY id lets the planner walk the keyset index from the newest row and stop when
	// matches are common, and take a search index when they are rare.
	err := filter(idb.NewSelect().Model((*T)(nil))).ColumnExpr("?.id", bun.Ident(alias)).
		OrderExpr("?.id DESC", bun.Ident(alias)).Limit(CountCap+1).Scan(ctx, &ids)
	if err != nil {
		return Result[T]{}, fmt.Errorf("db: count %s: %w", what, err)
	}
	capped := len(ids) > CountCap
	after := ids
	if p.AfterID > 0 { // ids run newest (largest) first
		after = ids[sort.Search(len(ids), func(i int) bool { return ids[i] < p.AfterID }):]
	}
	var rows []T
	switch {
	case !capped || len(after) > p.limit():
		if len(after) == 0 {
			break
		}
		// The filter again: the page shows rows that still match as they are read.
		err = filter(idb.NewSelect().Model(&rows)).Where("?.id IN (?)", bun.Ident(alias), bun.List(after[:min(len(after), p.limit()+1)])).
			OrderExpr("?.id DESC", bun.Ident(alias)).Scan(ctx)
	default:
		err = p.apply(filter(idb.NewSelect().Model(&rows)), alias).Scan(ctx)
	}
	if err != nil {
		return Result[T]{}, fmt.Errorf("db: list %s: %w", what, err)
	}
	r := trim(p, rows, int64(min(len(ids), CountCap)))
	r.TotalCountCapped = capped
	return r, nil
}

// listPageCounted runs one keyset page of T and counts the matching rows with count, which
// gets the filtered query of T.
func listPageCounted[T any](ctx context.Context, idb bun.IDB, p Page, alias, what string,
	filter func(*bun.SelectQuery) *bun.SelectQuery, count func(*bun.SelectQuery) (int, bool, error)) (Result[T], error) {
	var rows []T
	if err := p.apply(filter(idb.NewSelect().Model(&rows)), alias).Scan(ctx); err != nil {
		return Result[T]{}, fmt.Errorf("db: list %s: %w", what, err)
	}
	total, capped, err := count(filter(idb.NewSelect().Model((*T)(nil))))
	if err != nil {
		return Result[T]{}, fmt.Errorf("db: count %s: %w", what, err)
	}
	r := trim(p, rows, int64(total))
	r.TotalCountCapped = capped
	return r, nil
}
