package qbosim

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The query language subset ("Query Operations and Syntax"):
//
//	SELECT * | COUNT(*) FROM Entity
//	  [WHERE Property Op Value [AND Property Op Value]…]
//	  [ORDERBY Property [ASC|DESC][, …]] [STARTPOSITION n] [MAXRESULTS n]
//
// Op is =, <, >, <=, >=, IN (…) or LIKE ('%' wildcard); values are quoted
// strings ('Adam\'s'), numbers, true or false. Keywords, entity and property
// names and string values compare case-insensitively. OR, projections, joins
// and GROUP BY are refused as QuickBooks refuses them.

const (
	defaultMaxResults = 100
	maxMaxResults     = 1000
)

type query struct {
	count    bool
	kind     string
	conds    []cond
	order    []orderBy
	start    int
	max      int
	mentions map[string]bool // lower-cased properties in WHERE
}

type cond struct {
	prop   string   // as written, e.g. MetaData.LastUpdatedTime
	op     string   // =, <, >, <=, >=, IN, LIKE
	values []string // one, or the IN list
}

type orderBy struct {
	prop string
	desc bool
}

// serveQuery is GET /query?query=… or POST /query with the statement as body.
func (s *Server) serveQuery(w http.ResponseWriter, r *http.Request, now time.Time) {
	stmt := r.URL.Query().Get("query")
	if r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		if len(b) > 0 {
			stmt = string(b)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res, f := s.runQuery(&opCtx{now: now}, stmt)
	if f != nil {
		writeFault(w, f, now)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"QueryResponse": res, "time": answerTime(now)})
}

// runQuery parses and runs a statement; the caller holds s.mu.
func (s *Server) runQuery(ctx *opCtx, stmt string) (Object, *Fault) {
	q, f := parseQuery(stmt)
	if f != nil {
		return nil, f
	}
	if known, ok := knownFields[q.kind]; ok {
		for _, c := range q.conds {
			top, _, _ := strings.Cut(c.prop, ".")
			if !slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, top) }) {
				return nil, errQueryValidation(fmt.Sprintf("property '%s' is not queryable", c.prop))
			}
		}
	}
	var rows []*record
	for _, rec := range s.co.all(q.kind) {
		if rec.Deleted || !ctx.visible(q.kind, rec.id()) {
			continue
		}
		v := rec.Data // matched in place: copying every row made duplicate-check queries quadratic in copies
		if _, hasActive := v["Active"]; hasActive && !q.mentions["active"] && !isTrue(v["Active"], true) {
			continue // inactive list entities only when the query asks for Active
		}
		if q.kind == KindItem && !s.co.SKU && q.mentions["sku"] {
			continue // the company does not show SKUs: no item has one
		}
		if q.matches(v) {
			rows = append(rows, rec)
		}
	}
	if q.count {
		return Object{"totalCount": len(rows)}, nil
	}
	if len(q.order) > 0 {
		slices.SortStableFunc(rows, func(a, b *record) int {
			for _, o := range q.order {
				c := compareValues(str(lookupPath(a.Data, o.prop)), str(lookupPath(b.Data, o.prop)))
				if o.desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return 0
		})
	}
	from := min(q.start-1, len(rows))
	page := rows[from:min(from+q.max, len(rows))]
	if len(page) == 0 {
		return Object{}, nil
	}
	out := make([]any, len(page))
	for i, rec := range page {
		out[i] = s.view(rec)
	}
	return Object{q.kind: out, "startPosition": q.start, "maxResults": len(page)}, nil
}

func (q *query) matches(o Object) bool {
	for _, c := range q.conds {
		v := lookupPath(o, c.prop)
		if ref := obj(v); ref != nil {
			v = ref["value"] // CustomerRef = '123' compares the reference's value
		}
		if v == nil {
			return false
		}
		got := str(v)
		ok := false
		switch c.op {
		case "IN":
			ok = slices.ContainsFunc(c.values, func(w string) bool { return compareValues(got, w) == 0 })
		case "LIKE":
			ok = like(strings.ToLower(got), strings.ToLower(c.values[0]))
		default:
			cmp := compareValues(got, c.values[0])
			ok = (c.op == "=" && cmp == 0) || (c.op == "<" && cmp < 0) || (c.op == ">" && cmp > 0) ||
				(c.op == "<=" && cmp <= 0) || (c.op == ">=" && cmp >= 0) || (c.op == "!=" && cmp != 0)
		}
		if !ok {
			return false
		}
	}
	return true
}

// lookupPath reads a dotted property path, ignoring case.
func lookupPath(o Object, path string) any {
	var cur any = o
	for _, part := range strings.Split(path, ".") {
		m := obj(cur)
		if m == nil {
			return nil
		}
		if v, ok := m[part]; ok { // the usual spelling first
			cur = v
			continue
		}
		cur = nil
		for k, v := range m {
			if strings.EqualFold(k, part) {
				cur = v
				break
			}
		}
	}
	return cur
}

// compareValues compares as numbers, then as date-times, then as text without case.
func compareValues(a, b string) int {
	if fa, errA := strconv.ParseFloat(a, 64); errA == nil {
		if fb, errB := strconv.ParseFloat(b, 64); errB == nil {
			switch {
			case fa < fb:
				return -1
			case fa > fb:
				return 1
			}
			return 0
		}
	}
	if looksLikeDate(a) && looksLikeDate(b) {
		if ta, okA := parseWhen(a); okA {
			if tb, okB := parseWhen(b); okB {
				return ta.Compare(tb)
			}
		}
	}
	if strings.EqualFold(a, b) {
		return 0
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// looksLikeDate is a cheap test before parseWhen: YYYY-MM-DD….
func looksLikeDate(s string) bool { return len(s) >= 10 && s[4] == '-' && s[7] == '-' }

// parseWhen reads the date-time forms QuickBooks accepts in queries and CDC.
func parseWhen(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02T15:04-07:00", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
		if layout == "2006-01-02T15:04:05" {
			if t, err := time.ParseInLocation(layout, s, pacific); err == nil {
				return t, true
			}
		}
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, pacific); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// like matches SQL LIKE with '%' wildcards.
func like(s, pattern string) bool {
	parts := strings.Split(pattern, "%")
	if len(parts) == 1 {
		return s == pattern
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last {
			return strings.HasSuffix(s, p)
		}
		j := strings.Index(s, p)
		if j < 0 {
			return false
		}
		s = s[j+len(p):]
	}
	return true
}

// ---- parser -------------------------------------------------------------------

type token struct {
	text   string
	quoted bool
	pos    int
}

func tokenize(stmt string) ([]token, *Fault) {
	var out []token
	rs := []rune(stmt)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(rs); j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
					b.WriteRune(rs[j])
					continue
				}
				if rs[j] == '\'' {
					break
				}
				b.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, errQueryParser(fmt.Sprintf("Lexical error at line 1, column %d.  Encountered: <EOF> after : \"'%s\"", len(rs)+1, b.String()))
			}
			out = append(out, token{text: b.String(), quoted: true, pos: i + 1})
			i = j + 1
		case strings.ContainsRune("(),*", c):
			out = append(out, token{text: string(c), pos: i + 1})
			i++
		case strings.ContainsRune("<>=!", c):
			j := i + 1
			if j < len(rs) && rs[j] == '=' {
				j++
			}
			out = append(out, token{text: string(rs[i:j]), pos: i + 1})
			i = j
		default:
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || strings.ContainsRune("._-:+", rs[j])) {
				j++
			}
			if j == i {
				return nil, errQueryParser(fmt.Sprintf("Lexical error at line 1, column %d.  Encountered: %q", i+1, string(c)))
			}
			out = append(out, token{text: string(rs[i:j]), pos: i + 1})
			i = j
		}
	}
	return out, nil
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *parser) keyword(words ...string) bool {
	t := p.peek()
	if t == nil || t.quoted {
		return false
	}
	for _, w := range words {
		if strings.EqualFold(t.text, w) {
			p.i++
			return true
		}
	}
	return false
}

func (p *parser) fail() *Fault {
	t := p.peek()
	if t == nil {
		return errQueryParser("Encountered \"<EOF>\" at line 1.")
	}
	return errQueryParser(fmt.Sprintf("Encountered \" %q \" at line 1, column %d.", t.text, t.pos))
}

func parseQuery(stmt string) (*query, *Fault) {
	toks, f := tokenize(stmt)
	if f != nil {
		return nil, f
	}
	p := &parser{toks: toks}
	q := &query{start: 1, max: defaultMaxResults, mentions: map[string]bool{}}
	if !p.keyword("select") {
		return nil, p.fail()
	}
	switch {
	case p.keyword("*"):
	case p.keyword("count"):
		if !p.keyword("(") || !p.keyword("*") || !p.keyword(")") {
			return nil, p.fail()
		}
		q.count = true
	default:
		return nil, p.fail() // projections are not supported
	}
	if !p.keyword("from") {
		return nil, p.fail()
	}
	t := p.peek()
	if t == nil || t.quoted {
		return nil, p.fail()
	}
	kind := kindByLower[strings.ToLower(t.text)]
	if kind == "" {
		return nil, errQueryValidation("invalid context declaration: " + t.text)
	}
	q.kind = kind
	p.i++
	if p.keyword("where") {
		for {
			c, f := p.condition()
			if f != nil {
				return nil, f
			}
			q.conds = append(q.conds, c)
			q.mentions[strings.ToLower(c.prop)] = true
			if !p.keyword("and") {
				break
			}
		}
	}
	if p.keyword("orderby") || (p.keyword("order") && p.keyword("by")) {
		for {
			t := p.peek()
			if t == nil || t.quoted {
				return nil, p.fail()
			}
			p.i++
			o := orderBy{prop: t.text}
			if p.keyword("desc") {
				o.desc = true
			} else {
				p.keyword("asc")
			}
			q.order = append(q.order, o)
			if !p.keyword(",") {
				break
			}
		}
	}
	for p.peek() != nil {
		switch {
		case p.keyword("startposition"):
			n, f := p.number()
			if f != nil {
				return nil, f
			}
			q.start = n
		case p.keyword("maxresults"):
			n, f := p.number()
			if f != nil {
				return nil, f
			}
			if n > maxMaxResults {
				return nil, errQueryValidation(fmt.Sprintf("value %d is too large. Max allowed value is %d", n, maxMaxResults))
			}
			q.max = n
		default:
			return nil, p.fail() // OR, GROUP BY, JOIN…
		}
	}
	return q, nil
}

func (p *parser) number() (int, *Fault) {
	t := p.peek()
	if t == nil {
		return 0, p.fail()
	}
	n, err := strconv.Atoi(t.text)
	if err != nil {
		return 0, p.fail()
	}
	p.i++
	if n < 1 {
		return 0, errQueryValidation(fmt.Sprintf("value %d is too small. Min allowed value is 1", n))
	}
	return n, nil
}

func (p *parser) condition() (cond, *Fault) {
	t := p.peek()
	if t == nil || t.quoted {
		return cond{}, p.fail()
	}
	c := cond{prop: t.text}
	p.i++
	op := p.peek()
	if op == nil || op.quoted {
		return cond{}, p.fail()
	}
	switch strings.ToUpper(op.text) {
	case "=", "<", ">", "<=", ">=", "!=", "LIKE":
		c.op = strings.ToUpper(op.text)
		p.i++
		v, ok := p.value()
		if !ok {
			return cond{}, p.fail()
		}
		c.values = []string{v}
	case "IN":
		c.op = "IN"
		p.i++
		if !p.keyword("(") {
			return cond{}, p.fail()
		}
		for {
			v, ok := p.value()
			if !ok {
				return cond{}, p.fail()
			}
			c.values = append(c.values, v)
			if p.keyword(")") {
				break
			}
			if !p.keyword(",") {
				return cond{}, p.fail()
			}
		}
	default:
		return cond{}, p.fail()
	}
	if strings.EqualFold(c.prop, "Id") && c.op != "=" && c.op != "IN" {
		return cond{}, errQueryValidation("Id supports only the = and IN operators")
	}
	return c, nil
}

func (p *parser) value() (string, bool) {
	t := p.peek()
	if t == nil || (!t.quoted && strings.ContainsAny(t.text, "(),*<>=")) {
		return "", false
	}
	p.i++
	return t.text, true
}
