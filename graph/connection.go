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

// pageInfo builds the Relay page info for a page of ids.
func pageInfo(ids []int64, hasNext bool, p db.Page) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: p.AfterID > 0}
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
