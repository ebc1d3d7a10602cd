package db

import (
	"strings"

	"github.com/uptrace/bun"
)

// The list filters' building blocks: a filter field left at its zero value does not filter.

// escapeLike makes s match literally inside a LIKE/ILIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// whereSet narrows q to the rows where expr (one ? placeholder) holds for v, unless v is its
// type's zero value.
func whereSet[T comparable](q *bun.SelectQuery, expr string, v T) *bun.SelectQuery {
	var zero T
	if v == zero {
		return q
	}
	return q.Where(expr, v)
}

// whereContains narrows q to the rows where expr holds with every ? placeholder given the
// pattern "text anywhere" (text matched literally: % and _ are not wildcards), unless text is
// empty. expr says how to match (ILIKE: case-insensitively) and may have no other ?.
func whereContains(q *bun.SelectQuery, expr, text string) *bun.SelectQuery {
	if text == "" {
		return q
	}
	pat := "%" + escapeLike(text) + "%"
	args := make([]any, strings.Count(expr, "?"))
	for i := range args {
		args[i] = pat
	}
	return q.Where(expr, args...)
}
