package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on one rule, checked when it is saved.
const (
	MaxNameLength   = 200
	MaxConditions   = 50
	MaxActions      = 50
	MaxValueLength  = 1000
	MaxListValues   = 1000 // in_list operands
	MaxLookupTable  = 5000 // entries of one lookup action; big SKU maps are many Map SKU rules
	MaxRegexpLength = 500
)

// Problem is one reason a rule cannot be saved. Path names the part of the rule at fault, in
// the rule's JSON shape: "name", "pipelines", "conditions[1].field", "actions[0].table[3].key".
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// ValidationError lists every problem found in a rule (or, for imports, a set of rules).
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	msgs := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		msgs = append(msgs, p.Path+": "+p.Message)
	}
	return "rules: invalid rule: " + strings.Join(msgs, "; ")
}

// problems collects Problems while checking a rule.
type problems struct{ list []Problem }

func (p *problems) add(path, format string, args ...any) {
	p.list = append(p.list, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Validate checks r as it would be saved and returns it normalized: name trimmed, match
// defaulted to "all", enum and boolean values in their canonical spelling. The error is a
// *ValidationError naming every problem: an unknown field, a field not available in one of
// the rule's pipelines, an operator that does not fit the field's type, a value that does not
// parse as the field's type, a bad regular expression, a read-only target, a lookup table with
// duplicate keys. A rule that validates always compiles.
func Validate(r Rule) (Rule, error) {
	r = normalize(r)
	if _, errs := compileRule(&r); len(errs) > 0 {
		return r, &ValidationError{Problems: errs}
	}
	return r, nil
}

// normalize returns a deep-enough copy of r with defaults filled in; compileRule then
// canonicalizes values in place.
func normalize(r Rule) Rule {
	r.Name = strings.TrimSpace(r.Name)
	if r.Match == "" {
		r.Match = MatchAll
	}
	r.Pipelines = slices.Clone(r.Pipelines)
	r.Conditions = slices.Clone(r.Conditions)
	for i := range r.Conditions {
		r.Conditions[i].Values = slices.Clone(r.Conditions[i].Values)
	}
	r.Actions = slices.Clone(r.Actions)
	for i := range r.Actions {
		r.Actions[i].Table = slices.Clone(r.Actions[i].Table)
		if d := r.Actions[i].Default; d != nil {
			c := *d
			r.Actions[i].Default = &c
		}
	}
	return r
}

// compileRule checks r and builds its evaluable form. It canonicalizes enum and boolean values
// in r in place. It returns the problems found; the compiled rule is only usable when there
// are none.
func compileRule(r *Rule) (*compiledRule, []Problem) {
	var p problems
	if r.Name == "" || utf8.RuneCountInString(r.Name) > MaxNameLength {
		p.add("name", "Give the rule a name of 1 to %d characters.", MaxNameLength)
	}
	if len(r.Pipelines) == 0 {
		p.add("pipelines", "Choose at least one pipeline the rule applies to.")
	}
	for i, pl := range r.Pipelines {
		if !pl.Valid() {
			p.add(fmt.Sprintf("pipelines[%d]", i), "Unknown pipeline %q; use one of orders_to_quickbooks, quickbooks_to_shipstation, inventory.", pl)
		} else if slices.Index(r.Pipelines, pl) < i {
			p.add(fmt.Sprintf("pipelines[%d]", i), "Pipeline %s is listed twice.", pl)
		}
	}
	if r.Match != MatchAll && r.Match != MatchAny {
		p.add("match", "Match must be all or any, not %q.", r.Match)
	}
	if len(r.Conditions) > MaxConditions {
		p.add("conditions", "A rule may have at most %d conditions.", MaxConditions)
	}
	if len(r.Actions) == 0 {
		p.add("actions", "Add at least one action: what should the rule do?")
	} else if len(r.Actions) > MaxActions {
		p.add("actions", "A rule may have at most %d actions.", MaxActions)
	}

	cr := &compiledRule{ref: r.Ref(), match: r.Match, always: len(r.Conditions) == 0}
	for i := range r.Conditions {
		c := compileCondition(&p, fmt.Sprintf("conditions[%d]", i), &r.Conditions[i], r.Pipelines)
		if c == nil {
			continue
		}
		if c.f.Collection == Lines {
			cr.line = append(cr.line, c)
		} else {
			cr.header = append(cr.header, c)
		}
	}
	for i := range r.Actions {
		a := compileAction(&p, fmt.Sprintf("actions[%d]", i), &r.Actions[i], r)
		if a == nil {
			continue
		}
		cr.actions = append(cr.actions, a)
		if a.target != nil && a.target.Collection == Lines {
			cr.needLines = true
		}
		cr.writes = append(cr.writes, a.writes()...)
	}
	return cr, p.list
}

// field resolves path for use at prefix (".field" or ".from" is appended by the caller), checking
// it exists and is available in every pipeline of the rule.
func field(p *problems, at, path string, pipelines []Pipeline) *Field {
	if path == "" {
		p.add(at, "Choose a field.")
		return nil
	}
	f, ok := LookupField(path)
	if !ok {
		msg := fmt.Sprintf("Unknown field %q.", path)
		if s := suggest(path); s != "" {
			msg += fmt.Sprintf(" Did you mean %q?", s)
		}
		p.add(at, "%s", msg)
		return nil
	}
	for _, pl := range pipelines {
		if pl.Valid() && !f.InPipeline(pl) {
			p.add(at, "Field %s is not available in the %s pipeline.", path, pl)
			return nil
		}
	}
	return f
}

// typeName is how messages name a field type.
func typeName(t Type) string {
	switch t {
	case TypeString:
		return "text"
	case TypeMoney:
		return "money"
	case TypeInteger:
		return "whole-number"
	case TypeBoolean:
		return "yes/no"
	case TypeDate:
		return "date"
	case TypeEnum:
		return "choice"
	}
	return string(t)
}

// opName is how messages name an operator.
func opName(op Operator) string { return strings.ReplaceAll(string(op), "_", " ") }

func compileCondition(p *problems, at string, c *Condition, pipelines []Pipeline) *cond {
	f := field(p, at+".field", c.Field, pipelines)
	if !slices.Contains(Operators, c.Op) {
		p.add(at+".op", "Unknown operator %q.", c.Op)
		return nil
	}
	if f == nil {
		return nil
	}
	if !slices.Contains(f.Operators(), c.Op) {
		ops := make([]string, 0, len(f.Operators()))
		for _, o := range f.Operators() {
			ops = append(ops, opName(o))
		}
		p.add(at+".op", "“%s” does not apply to %s, a %s field; use %s.", opName(c.Op), f.Path, typeName(f.Type), strings.Join(ops, ", "))
		return nil
	}
	out := &cond{f: f, op: c.Op, fold: !c.CaseSensitive && (f.Type == TypeString || f.Type == TypeEnum)}
	switch c.Op {
	case OpEmpty, OpNotEmpty:
		if c.Value != "" || len(c.Values) > 0 {
			p.add(at+".value", "“%s” takes no value.", opName(c.Op))
			return nil
		}
		return out
	case OpInList:
		if c.Value != "" {
			p.add(at+".value", "“in list” takes its values in values, not value.")
			return nil
		}
		if len(c.Values) == 0 || len(c.Values) > MaxListValues {
			p.add(at+".values", "Give 1 to %d values for %s to be in.", MaxListValues, f.Path)
			return nil
		}
		out.set = make(map[string]struct{}, len(c.Values))
		out.nums = map[int64]struct{}{}
		for j := range c.Values {
			v, ok := parseValue(p, fmt.Sprintf("%s.values[%d]", at, j), f, &c.Values[j])
			if !ok {
				continue
			}
			if f.Type == TypeMoney || f.Type == TypeInteger {
				out.nums[v.n] = struct{}{}
			} else {
				out.set[out.keyOf(v.s)] = struct{}{}
			}
		}
		return out
	}
	if len(c.Values) > 0 {
		p.add(at+".values", "Only “in list” takes a list of values; use value.")
		return nil
	}
	if c.Value == "" {
		msg := "Give a value to compare %s with."
		if f.Type == TypeString || f.Type == TypeEnum {
			msg += " To test for a missing value use “is empty”."
		}
		p.add(at+".value", msg, f.Path)
		return nil
	}
	if c.Op == OpMatches {
		if len(c.Value) > MaxRegexpLength {
			p.add(at+".value", "The regular expression may be at most %d characters.", MaxRegexpLength)
			return nil
		}
		expr := c.Value
		if out.fold {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			p.add(at+".value", "Not a valid regular expression for %s: %s.", f.Path, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			return nil
		}
		out.re = re
		return out
	}
	v, ok := parseValue(p, at+".value", f, &c.Value)
	if !ok {
		return nil
	}
	out.v = v
	out.key = out.keyOf(v.s)
	out.asciiKey = out.fold && isASCII(out.key)
	if f.Type == TypeDate && len(strings.TrimSpace(c.Value)) == len(time.DateOnly) {
		out.day = true
	}
	return out
}

// parseValue parses *s as a value of f's type, canonicalizing enum and boolean spellings in
// place. It reports problems at path.
func parseValue(p *problems, at string, f *Field, s *string) (value, bool) {
	if len(*s) > MaxValueLength {
		p.add(at, "Values may be at most %d characters.", MaxValueLength)
		return value{}, false
	}
	switch f.Type {
	case TypeString:
		return value{s: *s}, true
	case TypeEnum:
		for _, e := range f.Enum {
			if strings.EqualFold(strings.TrimSpace(*s), e) {
				*s = e
				return value{s: e}, true
			}
		}
		p.add(at, "%q is not a value of %s; use one of %s.", *s, f.Path, strings.Join(f.Enum, ", "))
	case TypeBoolean:
		switch strings.ToLower(strings.TrimSpace(*s)) {
		case "true":
			*s = "true"
			return value{b: true}, true
		case "false":
			*s = "false"
			return value{b: false}, true
		}
		p.add(at, "%s is yes/no: write true or false, not %q.", f.Path, *s)
	case TypeMoney:
		if n, ok := parseMoney(*s); ok {
			return value{n: n}, true
		}
		p.add(at, "%q is not an amount for %s: write it like 12.30 or -5.", *s, f.Path)
	case TypeInteger:
		if n, err := strconv.ParseInt(strings.TrimSpace(*s), 10, 64); err == nil {
			return value{n: n}, true
		}
		p.add(at, "%q is not a whole number for %s.", *s, f.Path)
	case TypeDate:
		t := strings.TrimSpace(*s)
		if d, err := time.ParseInLocation(time.DateOnly, t, time.UTC); err == nil {
			return value{t: d}, true
		}
		if d, err := time.Parse(time.RFC3339Nano, t); err == nil {
			return value{t: d}, true
		}
		p.add(at, "%q is not a date for %s: write 2026-11-23 (a UTC day) or 2026-11-23T15:04:05Z.", *s, f.Path)
	}
	return value{}, false
}

// parseMoney reads a decimal amount with at most two decimals into cents.
func parseMoney(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, rest
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 15 || (hasDot && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, _ := strconv.ParseInt(whole, 10, 64)
	cents := n * 100
	if hasDot {
		f, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
		cents += f
	}
	if neg {
		cents = -cents
	}
	return cents, true
}

func compileAction(p *problems, at string, a *Action, r *Rule) *action {
	out := &action{typ: a.Type, ruleName: r.Name}
	target := func() *Field {
		f := field(p, at+".field", a.Field, r.Pipelines)
		if f == nil {
			return nil
		}
		if !f.Writable {
			p.add(at+".field", "%s is read-only; rules may write %s.", f.Path, writableHint(f))
			return nil
		}
		return f
	}
	unused := func(name string, set bool) bool {
		if set {
			p.add(at+"."+name, "A %s action does not use %s.", strings.ReplaceAll(string(a.Type), "_", " "), name)
		}
		return set
	}
	switch a.Type {
	case ActSet:
		if unused("from", a.From != "") || unused("table", len(a.Table) > 0) || unused("default", a.Default != nil) || unused("reason", a.Reason != "") {
			return nil
		}
		if out.target = target(); out.target == nil {
			return nil
		}
		v, ok := parseValue(p, at+".value", out.target, &a.Value)
		if !ok {
			return nil
		}
		out.val = v
	case ActAddPrefix, ActAddSuffix:
		if unused("from", a.From != "") || unused("table", len(a.Table) > 0) || unused("default", a.Default != nil) || unused("reason", a.Reason != "") {
			return nil
		}
		if out.target = target(); out.target == nil {
			return nil
		}
		if out.target.Type != TypeString {
			p.add(at+".field", "Only text fields take a prefix or suffix; %s is a %s field.", out.target.Path, typeName(out.target.Type))
			return nil
		}
		if a.Value == "" || len(a.Value) > MaxValueLength {
			p.add(at+".value", "Give the text to add, 1 to %d characters.", MaxValueLength)
			return nil
		}
		out.val = value{s: a.Value}
	case ActSetFromField, ActLookup:
		if unused("value", a.Value != "") || unused("reason", a.Reason != "") {
			return nil
		}
		if a.Type == ActSetFromField && (unused("table", len(a.Table) > 0) || unused("default", a.Default != nil)) {
			return nil
		}
		out.target = target()
		out.src = field(p, at+".from", a.From, r.Pipelines)
		if out.target == nil || out.src == nil {
			return nil
		}
		if out.src.Collection == Lines && out.target.Collection != Lines {
			p.add(at+".from", "%s is a line field: it can only be copied into a field of the same line (lines[].…), not into %s.", out.src.Path, out.target.Path)
			return nil
		}
		if a.Type == ActSetFromField {
			if out.target.Type != TypeString && (out.src.Type != out.target.Type || !slices.Equal(out.src.Enum, out.target.Enum)) {
				p.add(at+".from", "%s only takes values of the same kind; %s is a %s field. Use a lookup to translate.", out.target.Path, out.src.Path, typeName(out.src.Type))
				return nil
			}
			break
		}
		out.fold = !a.CaseSensitive
		if len(a.Table) == 0 || len(a.Table) > MaxLookupTable {
			p.add(at+".table", "Give 1 to %d lookup entries.", MaxLookupTable)
			return nil
		}
		out.table = make(map[string]value, len(a.Table))
		firstAt := make(map[string]int, len(a.Table))
		for j := range a.Table {
			e := &a.Table[j]
			if len(e.Key) > MaxValueLength {
				p.add(fmt.Sprintf("%s.table[%d].key", at, j), "Keys may be at most %d characters.", MaxValueLength)
				continue
			}
			k := e.Key
			if out.fold {
				k = foldKey(k)
			}
			if prev, dup := firstAt[k]; dup {
				p.add(fmt.Sprintf("%s.table[%d].key", at, j), "Key %q is already in the table at entry %d.", e.Key, prev)
				continue
			}
			firstAt[k] = j
			v, ok := parseValue(p, fmt.Sprintf("%s.table[%d].value", at, j), out.target, &e.Value)
			if ok {
				out.table[k] = v
			}
		}
		if a.Default != nil {
			v, ok := parseValue(p, at+".default", out.target, a.Default)
			if !ok {
				return nil
			}
			out.def = &v
		}
	case ActExclude:
		if unused("field", a.Field != "") || unused("value", a.Value != "") || unused("from", a.From != "") ||
			unused("table", len(a.Table) > 0) || unused("default", a.Default != nil) {
			return nil
		}
		if len(a.Reason) > MaxValueLength {
			p.add(at+".reason", "The reason may be at most %d characters.", MaxValueLength)
			return nil
		}
		out.reason = strings.TrimSpace(a.Reason)
	default:
		p.add(at+".type", "Unknown action %q; use one of set, set_from_field, lookup, exclude, add_prefix, add_suffix.", a.Type)
		return nil
	}
	return out
}

// writableHint names a few writable fields near f, for the read-only message.
func writableHint(f *Field) string {
	var names []string
	for _, g := range catalogue {
		if g.Writable && g.Group == f.Group {
			names = append(names, g.Path)
		}
	}
	if len(names) == 0 {
		return "posting fields such as store, class, qbCustomer and depositAccount"
	}
	if len(names) > 4 {
		names = append(names[:4], "…")
	}
	return strings.Join(names, ", ")
}

// suggest returns the catalogue path closest to path, when one is close enough to be a typo.
func suggest(path string) string {
	best, bestD := "", 4
	for _, f := range catalogue {
		if d := distance(strings.ToLower(path), strings.ToLower(f.Path)); d < bestD {
			best, bestD = f.Path, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b (bytes).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
