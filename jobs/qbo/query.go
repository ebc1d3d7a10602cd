package qbo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// MaxResults is the most entities one query answers (MAXRESULTS ≤ 1000).
const MaxResults = 1000

// Quote writes s as a query string literal: in single quotes, a quote escaped with a
// backslash (data-queries: "escape ' with \'").
func Quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// QuoteList writes ss as an IN list: ('a','b').
func QuoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = Quote(s)
	}
	return "(" + strings.Join(q, ",") + ")"
}

// Query runs query q (the API's SQL subset: "select * from Item where Sku in ('A','B')") and
// decodes its QueryResponse into out, a struct with a field per entity
// (struct{ Item []Item }) — absent from the answer when nothing matched.
func (c *Client) Query(ctx context.Context, q string, out any) error {
	a, err := c.call(ctx, "query", http.MethodGet, "/query", url.Values{"query": {q}}, nil)
	if err != nil {
		return err
	}
	var answer struct {
		QueryResponse json.RawMessage `json:"QueryResponse"`
	}
	if err := c.t.Decode("query", a.Body, &answer); err != nil {
		return err
	}
	if len(answer.QueryResponse) == 0 {
		return c.t.Unexpected("query", a.Body, nil)
	}
	return c.t.Decode("query", answer.QueryResponse, out)
}
