package rules

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// cond is a compiled condition: its field, operator and parsed operand.
type cond struct {
	f    *Field
	op   Operator
	fold bool // case-insensitive string comparison
	// asciiKey is set when fold is and key is ASCII: contains, starts_with and ends_with then
	// compare ASCII values byte by byte instead of folding them into a new string.
	asciiKey bool

	v    value               // the operand
	key  string              // the string operand, folded when fold
	day  bool                // a date operand given as a day: it stands for [v.t, v.t+24h)
	set  map[string]struct{} // in_list strings (folded when fold)
	nums map[int64]struct{}  // in_list money or integers
	re   *regexp.Regexp      // matches; compiled with (?i) when fold
}

// keyOf is s as the condition compares it.
func (c *cond) keyOf(s string) string {
	if c.fold {
		return foldKey(s)
	}
	return s
}

// test applies the operator to one value of the field.
func (c *cond) test(v value) bool {
	switch c.f.Type {
	case TypeString, TypeEnum:
		s := v.s
		switch c.op {
		case OpEquals:
			return c.eq(s)
		case OpNotEquals:
			return !c.eq(s)
		case OpContains:
			if c.asciiKey && isASCII(s) {
				for i := 0; i+len(c.key) <= len(s); i++ {
					if hasFoldedAt(s, i, c.key) {
						return true
					}
				}
				return false
			}
			return strings.Contains(c.keyOf(s), c.key)
		case OpStartsWith:
			if c.asciiKey && isASCII(s) {
				return hasFoldedAt(s, 0, c.key)
			}
			return strings.HasPrefix(c.keyOf(s), c.key)
		case OpEndsWith:
			if c.asciiKey && isASCII(s) {
				return len(s) >= len(c.key) && hasFoldedAt(s, len(s)-len(c.key), c.key)
			}
			return strings.HasSuffix(c.keyOf(s), c.key)
		case OpMatches:
			return c.re.MatchString(s)
		case OpEmpty:
			return strings.TrimSpace(s) == ""
		case OpNotEmpty:
			return strings.TrimSpace(s) != ""
		case OpInList:
			if !c.fold {
				_, ok := c.set[s]
				return ok
			}
			var buf [64]byte
			_, ok := c.set[string(appendFold(buf[:0], s))]
			return ok
		}
	case TypeMoney, TypeInteger:
		switch c.op {
		case OpEquals:
			return v.n == c.v.n
		case OpNotEquals:
			return v.n != c.v.n
		case OpGreater:
			return v.n > c.v.n
		case OpLess:
			return v.n < c.v.n
		case OpInList:
			_, ok := c.nums[v.n]
			return ok
		}
	case TypeBoolean:
		switch c.op {
		case OpEquals:
			return v.b == c.v.b
		case OpNotEquals:
			return v.b != c.v.b
		}
	case TypeDate:
		return c.testDate(v.t)
	}
	return false
}

// eq is string equality, case-insensitive unless the condition says otherwise.
func (c *cond) eq(s string) bool {
	if c.fold {
		return strings.EqualFold(s, c.v.s)
	}
	return s == c.v.s
}

// testDate compares a date. An empty (zero) date only satisfies is_empty and not_equals.
func (c *cond) testDate(t time.Time) bool {
	switch c.op {
	case OpEmpty:
		return t.IsZero()
	case OpNotEmpty:
		return !t.IsZero()
	}
	if t.IsZero() {
		return c.op == OpNotEquals
	}
	start, end := c.v.t, c.v.t
	if c.day {
		end = start.Add(24 * time.Hour)
	}
	var in bool
	if c.day {
		in = !t.Before(start) && t.Before(end)
	} else {
		in = t.Equal(start)
	}
	switch c.op {
	case OpEquals:
		return in
	case OpNotEquals:
		return !in
	case OpGreater:
		if c.day {
			return !t.Before(end)
		}
		return t.After(start)
	case OpLess:
		return t.Before(start)
	}
	return false
}

// holds evaluates a condition on an order-level field, or on a list other than lines: a list
// condition holds when any element satisfies it.
func (c *cond) holds(o *orders.Order) bool {
	if c.f.Collection == NoCollection {
		return c.test(c.f.get(o, 0))
	}
	n := c.f.count(o)
	for i := range n {
		if c.test(c.f.get(o, i)) {
			return true
		}
	}
	return false
}

// compiledRule is a validated rule ready to run.
type compiledRule struct {
	ref       Ref
	match     Match
	always    bool    // no conditions: the rule applies to every order
	header    []*cond // conditions on order-level fields and lists other than lines
	line      []*cond // conditions on lines[] fields, evaluated line by line
	actions   []*action
	needLines bool     // some action writes a line field, so the targeted lines must be known
	writes    []string // paths the actions may write
}

// state is scratch space reused across the rules of one evaluation.
type state struct {
	all   bool  // the matched rule targets every line
	lines []int // otherwise, the lines it targets
	cand  []int32
	buf   []byte // folded index keys
}

// matches evaluates r's conditions on o (see README.md, "Line fields"). When r holds and has
// line actions, st.all or st.lines says which lines those actions write.
func (r *compiledRule) matches(o *orders.Order, st *state) bool {
	st.all, st.lines = true, st.lines[:0]
	if r.always {
		return true
	}
	if r.match == MatchAll {
		for _, c := range r.header {
			if !c.holds(o) {
				return false
			}
		}
		if len(r.line) == 0 {
			return true
		}
		return r.holdsOnLines(o, st, true)
	}
	for _, c := range r.header {
		if c.holds(o) {
			return true // an order-level condition holds for every line
		}
	}
	return r.holdsOnLines(o, st, false)
}

// holdsOnLines reports whether r's line conditions (all of them when all is set, else any)
// hold on some line of o, and records in st the lines they hold on; it stops at the first
// such line when no action needs to know the lines.
func (r *compiledRule) holdsOnLines(o *orders.Order, st *state, all bool) bool {
	st.all = false
	found := false
	for i := range o.Lines {
		if r.lineHolds(o, i, all) {
			if !r.needLines {
				return true
			}
			found = true
			st.lines = append(st.lines, i)
		}
	}
	return found
}

// lineHolds combines r's line conditions on line i: all of them when all is set, else any.
func (r *compiledRule) lineHolds(o *orders.Order, i int, all bool) bool {
	for _, c := range r.line {
		if c.test(c.f.get(o, i)) != all {
			return !all
		}
	}
	return all
}

// apply runs r on o: when its conditions hold, it runs the actions in order and records the
// rule as matched and every change it made.
func (r *compiledRule) apply(o *orders.Order, st *state, res *Result) {
	if !r.matches(o, st) {
		return
	}
	res.Matched = append(res.Matched, r.ref.ID)
	for _, a := range r.actions {
		a.apply(o, r, st, res)
	}
}

// action is a compiled action.
type action struct {
	typ      ActionType
	ruleName string
	target   *Field
	val      value            // set, add_prefix, add_suffix
	src      *Field           // set_from_field, lookup
	table    map[string]value // lookup, keyed by foldKey unless case-sensitive
	fold     bool
	def      *value
	reason   string
}

// writes lists the paths a may change.
func (a *action) writes() []string {
	if a.typ == ActExclude {
		return []string{"excluded", "excludeReason"}
	}
	return []string{a.target.Path}
}

func (a *action) apply(o *orders.Order, r *compiledRule, st *state, res *Result) {
	if a.typ == ActExclude {
		if o.Excluded {
			return // the first exclusion's reason stands
		}
		reason := a.reason
		if reason == "" {
			reason = "Excluded by rule “" + a.ruleName + "”"
		}
		res.Changes = append(res.Changes, Change{Ref: r.ref, Field: "excluded", Before: "false", After: "true"})
		o.Excluded = true
		if o.ExcludeReason != reason {
			res.Changes = append(res.Changes, Change{Ref: r.ref, Field: "excludeReason", Before: o.ExcludeReason, After: reason})
			o.ExcludeReason = reason
		}
		return
	}
	if a.target.Collection != Lines {
		if v, ok := a.compute(o, 0); ok {
			a.write(o, 0, v, r, res)
		}
		return
	}
	if st.all {
		for i := range o.Lines {
			if v, ok := a.compute(o, i); ok {
				a.write(o, i, v, r, res)
			}
		}
		return
	}
	for _, i := range st.lines {
		if v, ok := a.compute(o, i); ok {
			a.write(o, i, v, r, res)
		}
	}
}

// compute returns the new value of the target at element i, or false to leave it alone.
func (a *action) compute(o *orders.Order, i int) (value, bool) {
	switch a.typ {
	case ActSet:
		return a.val, true
	case ActAddPrefix:
		cur := a.target.get(o, i).s
		if strings.HasPrefix(cur, a.val.s) {
			return value{}, false
		}
		return value{s: a.val.s + cur}, true
	case ActAddSuffix:
		cur := a.target.get(o, i).s
		if strings.HasSuffix(cur, a.val.s) {
			return value{}, false
		}
		return value{s: cur + a.val.s}, true
	case ActSetFromField:
		var v value
		switch a.src.Collection {
		case NoCollection:
			v = a.src.get(o, 0)
		case Lines:
			v = a.src.get(o, i) // the target is a field of the same line
		default:
			if a.src.count(o) == 0 {
				return value{}, false
			}
			v = a.src.get(o, 0)
		}
		if a.target.Type == TypeString {
			return value{s: format(a.src.Type, v)}, true
		}
		return v, true
	case ActLookup:
		switch a.src.Collection {
		case NoCollection:
			if v, ok := a.lookup(a.src.get(o, 0)); ok {
				return v, true
			}
		case Lines:
			if v, ok := a.lookup(a.src.get(o, i)); ok { // the target is a field of the same line
				return v, true
			}
		default:
			for j := range a.src.count(o) {
				if v, ok := a.lookup(a.src.get(o, j)); ok {
					return v, true
				}
			}
		}
		if a.def != nil {
			return *a.def, true
		}
	}
	return value{}, false
}

// lookup finds the table entry for one source value.
func (a *action) lookup(v value) (value, bool) {
	k := format(a.src.Type, v)
	if !a.fold {
		out, ok := a.table[k]
		return out, ok
	}
	var buf [64]byte
	out, ok := a.table[string(appendFold(buf[:0], k))]
	return out, ok
}

// write sets the target at element i to v and records the change, unless it already holds v.
func (a *action) write(o *orders.Order, i int, v value, r *compiledRule, res *Result) {
	before := a.target.get(o, i)
	if equal(a.target.Type, before, v) {
		return
	}
	a.target.set(o, i, v)
	path := a.target.Path
	if a.target.Collection == Lines {
		path = linePath(a.target.Path, i)
	}
	res.Changes = append(res.Changes, Change{Ref: r.ref, Field: path, Before: format(a.target.Type, before), After: format(a.target.Type, v)})
}

// linePaths caches "lines[i].x" for the first lines of every line field.
var linePaths = func() map[string][]string {
	m := map[string][]string{}
	for _, f := range catalogue {
		if f.Collection == Lines {
			for i := range 16 {
				m[f.Path] = append(m[f.Path], "lines["+strconv.Itoa(i)+"]."+strings.TrimPrefix(f.Path, "lines[]."))
			}
		}
	}
	return m
}()

// linePath is the concrete path of line field path at line i, e.g. "lines[2].itemName".
func linePath(path string, i int) string {
	if ps := linePaths[path]; i < len(ps) {
		return ps[i]
	}
	return "lines[" + strconv.Itoa(i) + "]." + strings.TrimPrefix(path, "lines[].")
}
