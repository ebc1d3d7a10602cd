package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/ledgerlink/ledgerlink/db"
)

// FromDB turns a stored rule into a Rule. It fails only when the stored JSON is not in the
// rule format; it does not validate.
func FromDB(r *db.Rule) (Rule, error) {
	out := Rule{ID: r.ID, Name: r.Name, Enabled: r.Enabled, Position: r.Position, Version: r.Version,
		Match: Match(r.Match), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, p := range r.Pipelines {
		out.Pipelines = append(out.Pipelines, Pipeline(p))
	}
	if err := json.Unmarshal(r.Conditions, &out.Conditions); err != nil {
		return out, fmt.Errorf("rules: rule %d conditions: %w", r.ID, err)
	}
	if err := json.Unmarshal(r.Actions, &out.Actions); err != nil {
		return out, fmt.Errorf("rules: rule %d actions: %w", r.ID, err)
	}
	return out, nil
}

// FromDBAll turns stored rules into Rules, keeping their order.
func FromDBAll(rs []db.Rule) ([]Rule, error) {
	out := make([]Rule, 0, len(rs))
	for i := range rs {
		r, err := FromDB(&rs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ToDB turns r (validated) into a stored rule of accountID.
func ToDB(accountID int64, r Rule) *db.Rule {
	conds, acts := r.Conditions, r.Actions
	if conds == nil {
		conds = []Condition{}
	}
	if acts == nil {
		acts = []Action{}
	}
	cb, _ := json.Marshal(conds)
	ab, _ := json.Marshal(acts)
	pipes := make([]string, 0, len(r.Pipelines))
	for _, p := range r.Pipelines {
		pipes = append(pipes, string(p))
	}
	return &db.Rule{ID: r.ID, AccountID: accountID, Name: r.Name, Enabled: r.Enabled, Position: r.Position,
		Pipelines: pipes, Match: string(r.Match), Conditions: cb, Actions: ab, Version: r.Version}
}

// FromSnapshot reads a rule as a version recorded it (db.RuleSnapshot), e.g. to validate it
// before restoring it.
func FromSnapshot(raw json.RawMessage) (Rule, error) {
	var r Rule
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, fmt.Errorf("rules: read snapshot: %w", err)
	}
	return r, nil
}

// Actor returns who a rule change is recorded as: the user (id and email) or the API key.
func Actor(userID int64, email string, apiKeyID int64) db.RuleActor {
	if userID != 0 {
		return db.RuleActor{UserID: &userID, Name: email}
	}
	return db.RuleActor{Name: "API key #" + strconv.FormatInt(apiKeyID, 10)}
}

// Loader hands out the compiled rules of an account and caches them. Every call asks Postgres
// for the account's rule-set version (one indexed row) and recompiles only when it moved, so a
// rule saved by any process is in force for the next call everywhere. A Loader is safe for
// concurrent use; a pipeline should ask once per batch of orders.
type Loader struct {
	db *db.DB

	mu       sync.Mutex
	accounts map[int64]*loaded
}

// loaded is the cache entry of one account. Its mutex makes concurrent callers of one account
// wait for a single compilation.
type loaded struct {
	mu        sync.Mutex
	version   int64
	ok        bool
	rules     []Rule
	pipelines map[Pipeline]*Evaluator
}

// NewLoader returns a Loader reading from d.
func NewLoader(d *db.DB) *Loader {
	return &Loader{db: d, accounts: map[int64]*loaded{}}
}

// Evaluator returns the compiled enabled rules of accountID for pipeline p. An account
// without rules gets an evaluator that changes nothing. A stored rule that no longer validates
// is an error naming it (the pipeline should stop and report, not post orders without it).
func (l *Loader) Evaluator(ctx context.Context, accountID int64, p Pipeline) (*Evaluator, error) {
	l.mu.Lock()
	e := l.accounts[accountID]
	if e == nil {
		e = &loaded{}
		l.accounts[accountID] = e
	}
	l.mu.Unlock()

	v, err := l.db.RuleSetVersion(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("rules: load account %d: %w", accountID, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.ok || e.version != v {
		stored, err := l.db.ListAllRules(ctx, accountID)
		if err != nil {
			return nil, fmt.Errorf("rules: load account %d: %w", accountID, err)
		}
		rs, err := FromDBAll(stored)
		if err != nil {
			return nil, err
		}
		// The version read before the rules is kept: if a change slipped in between, the next
		// call sees a newer version and loads again.
		e.version, e.ok, e.rules, e.pipelines = v, true, rs, map[Pipeline]*Evaluator{}
	}
	if ev := e.pipelines[p]; ev != nil {
		return ev, nil
	}
	ev, err := Compile(e.rules, p)
	if err != nil {
		return nil, fmt.Errorf("rules: account %d: %w", accountID, err)
	}
	e.pipelines[p] = ev
	return ev, nil
}

// OrderEvents turns the changes of one evaluation of an order into audit-trail events of kind
// "rule": one event per rule that changed something, in the order the rules ran, naming the
// rule and its version and listing each field's before and after in Details.
func OrderEvents(accountID, orderID int64, res Result) []db.OrderEvent {
	type fieldChange struct {
		Field  string `json:"field"`
		Before string `json:"before"`
		After  string `json:"after"`
	}
	type details struct {
		Ref
		Changes []fieldChange `json:"changes"`
	}
	var events []db.OrderEvent
	for i := 0; i < len(res.Changes); {
		ref := res.Changes[i].Ref
		d := details{Ref: ref}
		for ; i < len(res.Changes) && res.Changes[i].Ref == ref; i++ {
			c := res.Changes[i]
			d.Changes = append(d.Changes, fieldChange{Field: c.Field, Before: c.Before, After: c.After})
		}
		raw, _ := json.Marshal(d)
		events = append(events, db.OrderEvent{OrderID: orderID, AccountID: accountID, Kind: "rule",
			Message: eventMessage(ref, d.Changes[0].Field, d.Changes[0].Before, d.Changes[0].After, len(d.Changes)), Details: raw})
	}
	return events
}

// eventMessage is the one-line summary of a rule's changes.
func eventMessage(ref Ref, field, before, after string, n int) string {
	msg := fmt.Sprintf("Rule “%s” (v%d) set %s from %q to %q", ref.Name, ref.Version, field, before, after)
	if n > 1 {
		msg += fmt.Sprintf(" and %d more field(s)", n-1)
	}
	return msg + "."
}
