package rules

import (
	"fmt"
	"slices"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Evaluator applies a compiled set of rules to orders. It is immutable and safe for concurrent
// use; build one with Compile.
type Evaluator struct {
	pipeline Pipeline
	steps    []step
	rules    int
	indexed  int
}

// step is either one rule, checked linearly, or a run of rules reached through a hash index.
type step struct {
	rule *compiledRule
	run  *indexRun
}

// indexRun is a run of consecutive rules (by position) that each have an equals or in_list
// condition on the same field, with the same case sensitivity, that must hold for the rule to
// hold (see indexCond). No rule of the run but possibly the last writes that field, so the
// field's values cannot change while the run's conditions are checked, and a rule whose
// index key is not among the order's values cannot hold. Applying the candidates found through
// byKey, in position order, therefore gives exactly what checking every rule would.
type indexRun struct {
	f     *Field
	fold  bool
	rules []*compiledRule
	byKey map[string][]int32 // key → indexes into rules, ascending
}

// Len reports how many rules the evaluator runs.
func (e *Evaluator) Len() int { return e.rules }

// Indexed reports how many of those rules are reached through a hash index.
func (e *Evaluator) Indexed() int { return e.indexed }

// Pipeline returns the pipeline the evaluator was compiled for.
func (e *Evaluator) Pipeline() Pipeline { return e.pipeline }

// Compile builds the evaluator for pipeline p from rs, which must be in position order (as
// the store lists them). Disabled rules and rules of other pipelines are left out. Runs of
// rules keyed on the same field by equality (what Map SKU rules are) become hash lookups.
// Every rule is validated again; a stored rule that no longer validates (say, a field left the
// catalogue) is an error naming it, never silently skipped.
func Compile(rs []Rule, p Pipeline) (*Evaluator, error) {
	return compile(rs, p, true)
}

func compile(rs []Rule, p Pipeline, index bool) (*Evaluator, error) {
	e := &Evaluator{pipeline: p}
	var run *indexRun
	var runKey string
	closeRun := func() {
		if run == nil {
			return
		}
		if len(run.rules) == 1 {
			e.steps = append(e.steps, step{rule: run.rules[0]})
		} else {
			e.steps = append(e.steps, step{run: run})
			e.indexed += len(run.rules)
		}
		run, runKey = nil, ""
	}
	for i := range rs {
		r := normalize(rs[i])
		if !r.Enabled || !slices.Contains(r.Pipelines, p) {
			continue
		}
		cr, errs := compileRule(&r)
		if len(errs) > 0 {
			return nil, fmt.Errorf("rules: rule %d (%q) is invalid: %w", r.ID, r.Name, &ValidationError{Problems: errs})
		}
		e.rules++
		c := indexCond(cr)
		if !index || c == nil {
			closeRun()
			e.steps = append(e.steps, step{rule: cr})
			continue
		}
		key := c.f.Path + "\x00" + fmt.Sprint(c.fold)
		if run == nil || key != runKey {
			closeRun()
			run, runKey = &indexRun{f: c.f, fold: c.fold, byKey: map[string][]int32{}}, key
		}
		n := int32(len(run.rules))
		run.rules = append(run.rules, cr)
		if c.op == OpEquals {
			run.byKey[c.key] = append(run.byKey[c.key], n)
		} else {
			for k := range c.set {
				run.byKey[k] = append(run.byKey[k], n)
			}
		}
		if slices.Contains(cr.writes, c.f.Path) {
			closeRun() // later rules must see the field as this rule leaves it
		}
	}
	closeRun()
	return e, nil
}

// indexCond returns the condition of r a hash index can key on, or nil: an equals or in_list
// condition on a text or choice field that is necessary for r to hold, which is when it is r's
// only condition or r needs all conditions. (For a line field under "all", the condition must
// hold on some line, which needs the field to have that value on some line.)
func indexCond(r *compiledRule) *cond {
	if r.always {
		return nil
	}
	if r.match != MatchAll && len(r.header)+len(r.line) != 1 {
		return nil
	}
	for _, cs := range [][]*cond{r.header, r.line} {
		for _, c := range cs {
			if (c.op == OpEquals || c.op == OpInList) && (c.f.Type == TypeString || c.f.Type == TypeEnum) {
				return c
			}
		}
	}
	return nil
}

// Apply runs the rules on o, changing it in place, and returns what they did. Rules run in
// position order and each sees the changes of the ones before it. Apply never fails: every
// rule was checked when it was compiled.
func (e *Evaluator) Apply(o *orders.Order) Result {
	var st state
	res := Result{Matched: make([]int64, 0, 16), Changes: make([]Change, 0, 8)}
	for _, s := range e.steps {
		if s.rule != nil {
			s.rule.apply(o, &st, &res)
			continue
		}
		s.run.apply(o, &st, &res)
	}
	res.Excluded = o.Excluded
	return res
}

// apply finds the run's candidate rules from the field's current values and applies them in
// position order.
func (run *indexRun) apply(o *orders.Order, st *state, res *Result) {
	st.cand = st.cand[:0]
	n := run.f.count(o)
	for i := range n {
		k := run.f.get(o, i).s
		if run.fold {
			st.buf = appendFold(st.buf[:0], k)
			st.cand = append(st.cand, run.byKey[string(st.buf)]...) // string(bytes) in a map index does not allocate
			continue
		}
		st.cand = append(st.cand, run.byKey[k]...)
	}
	switch len(st.cand) {
	case 0:
		return
	case 1:
	default:
		slices.Sort(st.cand)
		st.cand = slices.Compact(st.cand)
	}
	for _, ix := range st.cand {
		run.rules[ix].apply(o, st, res)
	}
}

// Clone returns a deep copy of o, for evaluating without changing the original.
func Clone(o *orders.Order) *orders.Order {
	c := *o
	c.Lines = slices.Clone(o.Lines)
	c.Discounts = slices.Clone(o.Discounts)
	c.Taxes = slices.Clone(o.Taxes)
	c.Payments = slices.Clone(o.Payments)
	c.Tags = slices.Clone(o.Tags)
	if o.Custom != nil {
		c.Custom = make(map[string]string, len(o.Custom))
		for k, v := range o.Custom {
			c.Custom[k] = v
		}
	}
	return &c
}
