package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
)

const cursorPrefix = "cursor:"

// encodeCursor makes an opaque cursor from a row id.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(id, 10)))
}

// pageArgs validates first/after into a store page. first is capped at db.MaxPageSize.
func pageArgs(first *int, after *string) (db.Page, error) {
	p := db.Page{Limit: db.DefaultPageSize}
	if first != nil {
		if *first < 0 {
			return p, badInput("first", "first must not be negative")
		}
		if *first > db.MaxPageSize {
			return p, badInput("first", "first may be at most %d", db.MaxPageSize)
		}
		p.Limit = *first
	}
	if after != nil && *after != "" {
		raw, err := base64.RawURLEncoding.DecodeString(*after)
		s, ok := strings.CutPrefix(string(raw), cursorPrefix)
		id, perr := strconv.ParseInt(s, 10, 64)
		if err != nil || !ok || perr != nil || id <= 0 {
			return p, badInput("after", "after is not a cursor returned by this API")
		}
		p.AfterID = id
	}
	return p, nil
}

// pageInfo builds the Relay page info for a page of ids; capped says the total is a lower bound.
func pageInfo(ids []int64, hasNext, capped bool, p db.Page) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: p.AfterID > 0, TotalCountCapped: capped}
	if len(ids) > 0 {
		start, end := encodeCursor(ids[0]), encodeCursor(ids[len(ids)-1])
		pi.StartCursor, pi.EndCursor = &start, &end
	}
	return pi
}

// connectionComplexity charges a list field for each node it may return.
func connectionComplexity(child int, first *int) int {
	n := db.DefaultPageSize
	if first != nil && *first > 0 {
		n = min(*first, db.MaxPageSize)
	}
	return 1 + n*child
}

// connectionOf is the shape gqlgen gives every connection type of the schema
// (AccountConnection, OrderConnection, …) with edges of type E.
type connectionOf[E any] interface {
	~struct {
		Edges      []*E            `json:"edges"`
		PageInfo   *model.PageInfo `json:"pageInfo"`
		TotalCount int             `json:"totalCount"`
	}
}

// edgeOf is the shape gqlgen gives every edge type of the schema with nodes of type N.
type edgeOf[N any] interface {
	~struct {
		Cursor string `json:"cursor"`
		Node   *N     `json:"node"`
	}
}

// paged answers one list field of connection type C: it validates first/after (before list
// runs, so a bad cursor is reported ahead of a bad filter), fetches that page with list, and
// turns each row into an edge with node, which returns the row's cursor key (its id; for rules
// their position) and its schema node. The first error from list or node is returned as is.
func paged[C connectionOf[E], E edgeOf[N], N, T any](first *int, after *string,
	list func(db.Page) (db.Result[T], error), node func(*T) (int64, *N, error)) (*C, error) {
	p, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	res, err := list(p)
	if err != nil {
		return nil, err
	}
	edges := make([]*E, 0, len(res.Items))
	keys := make([]int64, 0, len(res.Items))
	for i := range res.Items {
		key, n, err := node(&res.Items[i])
		if err != nil {
			return nil, err
		}
		edges = append(edges, &E{Cursor: encodeCursor(key), Node: n})
		keys = append(keys, key)
	}
	return &C{Edges: edges, PageInfo: pageInfo(keys, res.HasNextPage, res.TotalCountCapped, p), TotalCount: res.TotalCount}, nil
}

// filtered is a paged list whose schema filter in is converted (and checked) by conv inside the
// list, so that a bad cursor is still reported ahead of a bad filter.
func filtered[M, F, T any](in M, conv func(M) (F, error), list func(F, db.Page) (db.Result[T], error)) func(db.Page) (db.Result[T], error) {
	return func(p db.Page) (db.Result[T], error) {
		f, err := conv(in)
		if err != nil {
			return db.Result[T]{}, err
		}
		return list(f, p)
	}
}

// searchArg trims a list filter's search text; more than 200 characters is bad input
// (filter.search), absent is "".
func searchArg(search *string) (string, error) {
	if search == nil {
		return "", nil
	}
	s := strings.TrimSpace(*search)
	if len(s) > 200 {
		return "", badInput("filter.search", "search may be at most 200 characters")
	}
	return s, nil
}
