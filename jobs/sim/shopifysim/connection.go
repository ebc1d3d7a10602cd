package shopifysim

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// connection is a page of a Relay connection, resolved generically for
// every *Connection, *Edge and PageInfo type.
type connection struct {
	nodes   []any
	cursors []string
	hasNext bool
	hasPrev bool
}

type edge struct {
	node   any
	cursor string
}

type pageInfo struct {
	hasNext, hasPrev bool
	start, end       string
}

// sortKey orders items of a connection: by value (time or number), then id.
type sortKey struct {
	id   int64
	t    time.Time
	n    int64
	kind byte // 't' time, 'n' number, 'i' id only
}

func compareKeys(a, b sortKey) int {
	switch a.kind {
	case 't':
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
	case 'n':
		if a.n != b.n {
			if a.n < b.n {
				return -1
			}
			return 1
		}
	}
	switch {
	case a.id < b.id:
		return -1
	case a.id > b.id:
		return 1
	}
	return 0
}

// cursorTimeLayout is how Shopify's cursors spell timestamps.
const cursorTimeLayout = "2006-01-02 15:04:05.000000"

// Cursors are opaque to clients; like Shopify's they are base64 JSON
// {"last_id":…,"last_value":…}.
func encodeCursor(k sortKey) string {
	var v any = k.id
	switch k.kind {
	case 't':
		v = k.t.UTC().Format(cursorTimeLayout)
	case 'n':
		v = k.n
	}
	b, _ := json.Marshal(map[string]any{"last_id": k.id, "last_value": v})
	return base64.StdEncoding.EncodeToString(b)
}

func decodeCursor(s string, kind byte) (sortKey, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if b, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "=")); err != nil {
			return sortKey{}, false
		}
	}
	var raw struct {
		LastID    *int64          `json:"last_id"`
		LastValue json.RawMessage `json:"last_value"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&raw); err != nil || raw.LastID == nil {
		return sortKey{}, false
	}
	k := sortKey{id: *raw.LastID, kind: kind}
	switch kind {
	case 't':
		var s string
		if json.Unmarshal(raw.LastValue, &s) != nil {
			return sortKey{}, false
		}
		t, err := time.ParseInLocation(cursorTimeLayout, s, time.UTC)
		if err != nil {
			return sortKey{}, false
		}
		k.t = t
	case 'n':
		if json.Unmarshal(raw.LastValue, &k.n) != nil {
			return sortKey{}, false
		}
	}
	return k, true
}

// errInvalidCursor is returned for cursors this sort cannot use.
var errInvalidCursor = &fieldError{msg: "Invalid cursor for current pagination sort."}

// paginate sorts items by key (descending when args["reverse"]), applies
// after/before/first/last and returns the page. Page sizes were checked
// during costing.
func paginate[T any](items []T, key func(T) sortKey, kind byte, args map[string]any) (*connection, error) {
	keys := make([]sortKey, len(items))
	idx := make([]int, len(items))
	for i, it := range items {
		keys[i] = key(it)
		idx[i] = i
	}
	reverse, _ := args["reverse"].(bool)
	sort.SliceStable(idx, func(a, b int) bool {
		c := compareKeys(keys[idx[a]], keys[idx[b]])
		if reverse {
			return c > 0
		}
		return c < 0
	})
	after := func(k, c sortKey) bool { // k comes after c in this order
		if reverse {
			return compareKeys(k, c) < 0
		}
		return compareKeys(k, c) > 0
	}
	lo, hi := 0, len(idx)
	if s, ok := args["after"].(string); ok {
		c, ok := decodeCursor(s, kind)
		if !ok {
			return nil, errInvalidCursor
		}
		for lo < hi && !after(keys[idx[lo]], c) {
			lo++
		}
	}
	if s, ok := args["before"].(string); ok {
		c, ok := decodeCursor(s, kind)
		if !ok {
			return nil, errInvalidCursor
		}
		for hi > lo && !after(c, keys[idx[hi-1]]) {
			hi--
		}
	}
	if n, ok := args["first"].(int); ok && hi-lo > n {
		hi = lo + n
	}
	if n, ok := args["last"].(int); ok && hi-lo > n {
		lo = hi - n
	}
	c := &connection{hasPrev: lo > 0, hasNext: hi < len(idx)}
	for _, i := range idx[lo:hi] {
		c.nodes = append(c.nodes, items[i])
		c.cursors = append(c.cursors, encodeCursor(keys[i]))
	}
	return c, nil
}

func (c *connection) edges() []any {
	out := make([]any, len(c.nodes))
	for i := range c.nodes {
		out[i] = edge{node: c.nodes[i], cursor: c.cursors[i]}
	}
	return out
}

func (c *connection) pageInfo() pageInfo {
	p := pageInfo{hasNext: c.hasNext, hasPrev: c.hasPrev}
	if len(c.cursors) > 0 {
		p.start, p.end = c.cursors[0], c.cursors[len(c.cursors)-1]
	}
	return p
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
