package shopifysim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file implements the subset of Shopify's search syntax
// (https://shopify.dev/docs/api/usage/search-syntax) that the `query:`
// argument of orders and productVariants accepts: terms `field:value`,
// comparators `:>`, `:>=`, `:<`, `:<=`, quoted values ('…' or "…"), a
// trailing `*` for prefix matches, implicit AND, explicit AND / OR / NOT,
// `-` negation and parentheses. A term without a field is free text.

type searchNode interface{}

type searchAnd struct{ kids []searchNode }
type searchOr struct{ kids []searchNode }
type searchNot struct{ kid searchNode }

type searchTerm struct {
	field string // "" for free text
	op    string // ":", ">", ">=", "<", "<="
	value string
	raw   string
}

type searchParser struct {
	src   string
	i     int
	terms []*searchTerm
}

// parseSearch parses a search query; an empty query matches everything.
func parseSearch(q string) (searchNode, []*searchTerm, error) {
	p := &searchParser{src: q}
	n, err := p.or()
	if err != nil {
		return nil, nil, err
	}
	p.space()
	if p.i < len(p.src) {
		return nil, nil, fmt.Errorf("unexpected %q at %d", p.src[p.i:], p.i)
	}
	return n, p.terms, nil
}

func (p *searchParser) space() {
	for p.i < len(p.src) && (p.src[p.i] == ' ' || p.src[p.i] == '\t' || p.src[p.i] == '\n') {
		p.i++
	}
}

func (p *searchParser) keyword(k string) bool {
	p.space()
	if strings.HasPrefix(p.src[p.i:], k) {
		end := p.i + len(k)
		if end == len(p.src) || p.src[end] == ' ' || p.src[end] == '(' {
			p.i = end
			return true
		}
	}
	return false
}

func (p *searchParser) or() (searchNode, error) {
	var kids []searchNode
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		if n != nil {
			kids = append(kids, n)
		}
		if !p.keyword("OR") {
			break
		}
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	if len(kids) == 0 {
		return nil, nil
	}
	return &searchOr{kids}, nil
}

func (p *searchParser) and() (searchNode, error) {
	var kids []searchNode
	for {
		p.space()
		if p.i >= len(p.src) || p.src[p.i] == ')' {
			break
		}
		save := p.i
		if p.keyword("OR") {
			p.i = save
			break
		}
		if p.keyword("AND") {
			continue
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	switch len(kids) {
	case 0:
		return nil, nil
	case 1:
		return kids[0], nil
	}
	return &searchAnd{kids}, nil
}

func (p *searchParser) unary() (searchNode, error) {
	p.space()
	if p.keyword("NOT") {
		n, err := p.unary()
		return &searchNot{n}, err
	}
	if p.src[p.i] == '-' {
		p.i++
		n, err := p.unary()
		return &searchNot{n}, err
	}
	if p.src[p.i] == '(' {
		p.i++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.src) || p.src[p.i] != ')' {
			return nil, fmt.Errorf("missing ) in %q", p.src)
		}
		p.i++
		if n == nil {
			return &searchAnd{}, nil
		}
		return n, nil
	}
	return p.term()
}

func (p *searchParser) term() (searchNode, error) {
	start := p.i
	t := &searchTerm{op: ":"}
	// field name
	j := p.i
	for j < len(p.src) && (p.src[j] == '_' || p.src[j] == '.' || p.src[j] >= 'a' && p.src[j] <= 'z' || p.src[j] >= 'A' && p.src[j] <= 'Z' || p.src[j] >= '0' && p.src[j] <= '9') {
		j++
	}
	if j < len(p.src) && p.src[j] == ':' && j > p.i {
		t.field = strings.ToLower(p.src[p.i:j])
		p.i = j + 1
		for _, op := range []string{">=", "<=", ">", "<"} {
			if strings.HasPrefix(p.src[p.i:], op) {
				t.op = op
				p.i += len(op)
				break
			}
		}
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	t.value = v
	t.raw = p.src[start:p.i]
	p.terms = append(p.terms, t)
	return t, nil
}

func (p *searchParser) value() (string, error) {
	if p.i < len(p.src) && (p.src[p.i] == '\'' || p.src[p.i] == '"') {
		q := p.src[p.i]
		end := strings.IndexByte(p.src[p.i+1:], q)
		if end < 0 {
			return "", fmt.Errorf("unterminated quote in %q", p.src)
		}
		v := p.src[p.i+1 : p.i+1+end]
		p.i += end + 2
		return v, nil
	}
	start := p.i
	for p.i < len(p.src) && p.src[p.i] != ' ' && p.src[p.i] != ')' && p.src[p.i] != '\t' {
		p.i++
	}
	return p.src[start:p.i], nil
}

// searchDoc gives a search the values of one record. field returns the
// record's values for a field name and whether the field is searchable.
type searchDoc interface {
	field(name string) (fieldValue, bool)
	text() []string // values free text is matched against
}

// fieldValue is a record's value for one search field.
type fieldValue struct {
	strs  []string // string values (matched case-insensitively)
	times []time.Time
	nums  []int64
	fn    func(op, v string) bool // custom matcher, e.g. status
}

// matchSearch evaluates n against d. Unknown fields match every record
// (Shopify ignores them and reports a warning).
func matchSearch(n searchNode, d searchDoc, loc *time.Location) bool {
	switch n := n.(type) {
	case nil:
		return true
	case *searchAnd:
		for _, k := range n.kids {
			if !matchSearch(k, d, loc) {
				return false
			}
		}
		return true
	case *searchOr:
		for _, k := range n.kids {
			if matchSearch(k, d, loc) {
				return true
			}
		}
		return false
	case *searchNot:
		return !matchSearch(n.kid, d, loc)
	case *searchTerm:
		if n.field == "" {
			needle := strings.ToLower(strings.TrimSuffix(n.value, "*"))
			for _, s := range d.text() {
				if strings.Contains(strings.ToLower(s), needle) {
					return true
				}
			}
			return false
		}
		fv, ok := d.field(n.field)
		if !ok {
			return true
		}
		return fv.match(n.op, n.value, loc)
	}
	return true
}

func (fv fieldValue) match(op, v string, loc *time.Location) bool {
	switch {
	case fv.fn != nil:
		return fv.fn(op, v)
	case fv.times != nil:
		t, err := parseSearchTime(v, loc)
		if err != nil {
			return false
		}
		dateOnly := len(v) == len("2006-01-02")
		for _, have := range fv.times {
			if compareTime(have, op, t, dateOnly) {
				return true
			}
		}
		return false
	case fv.nums != nil:
		if i := strings.LastIndexByte(v, '/'); i >= 0 { // gid://shopify/Order/123
			v = v[i+1:]
		}
		want, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return false
		}
		for _, have := range fv.nums {
			if compareInt(have, op, want) {
				return true
			}
		}
		return false
	}
	want := strings.ToLower(v)
	prefix := strings.HasSuffix(want, "*")
	want = strings.TrimSuffix(want, "*")
	for _, have := range fv.strs {
		h := strings.ToLower(have)
		switch op {
		case ":":
			if h == want || prefix && strings.HasPrefix(h, want) {
				return true
			}
		case ">":
			if h > want {
				return true
			}
		case ">=":
			if h >= want {
				return true
			}
		case "<":
			if h < want {
				return true
			}
		case "<=":
			if h <= want {
				return true
			}
		}
	}
	return false
}

func compareTime(have time.Time, op string, want time.Time, dateOnly bool) bool {
	switch op {
	case ":":
		if dateOnly {
			return !have.Before(want) && have.Before(want.AddDate(0, 0, 1))
		}
		return have.Equal(want)
	case ">":
		return have.After(want)
	case ">=":
		return !have.Before(want)
	case "<":
		return have.Before(want)
	case "<=":
		return !have.After(want)
	}
	return false
}

func compareInt(have int64, op string, want int64) bool {
	switch op {
	case ":":
		return have == want
	case ">":
		return have > want
	case ">=":
		return have >= want
	case "<":
		return have < want
	case "<=":
		return have <= want
	}
	return false
}

// A bare date compares as midnight in the shop's time zone, except with ':'
// where it matches the whole day.

// parseSearchTime accepts the date forms Shopify's search and DateTime
// accept: RFC 3339 with or without fractional seconds or zone, a space
// instead of T, or a bare date. Times without a zone are in loc (the shop's
// time zone).
func parseSearchTime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}
