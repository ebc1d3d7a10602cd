package db

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Kinds of rule change, as rule_versions records them.
const (
	RuleCreated  = "create"
	RuleUpdated  = "update"
	RuleDeleted  = "delete"
	RuleRestored = "restore"
	RuleMoved    = "reorder"
	RuleEnabled  = "enable"
	RuleDisabled = "disable"
	RuleImported = "import"
)

var (
	// ErrRuleVersionMismatch is returned by UpdateRule when the rule is no longer at the
	// version the caller edited.
	ErrRuleVersionMismatch = errors.New("the rule was changed meanwhile")
	// ErrRuleSetMismatch is returned by ReorderRules when the ids are not exactly the rules of
	// the account.
	ErrRuleSetMismatch = errors.New("the ids are not exactly the account's rules")
)

// Rule is a stored merchant rule (jobs/rules turns it into an evaluable rule). Conditions and
// Actions hold JSON arrays in the rule format of jobs/rules/README.md; this package stores them
// without interpreting them. Position is 1-based and dense per account; rules run in ascending
// position. Version counts the rule's changes, starting at 1.
type Rule struct {
	bun.BaseModel `bun:"table:rules,alias:r"`

	ID         int64           `bun:"id,pk,autoincrement"`
	AccountID  int64           `bun:"account_id,notnull"`
	Name       string          `bun:"name,notnull"`
	Enabled    bool            `bun:"enabled,notnull"`
	Position   int             `bun:"position,notnull"`
	Pipelines  []string        `bun:"pipelines,array,notnull"`
	Match      string          `bun:"match,notnull"`
	Conditions json.RawMessage `bun:"conditions,type:jsonb,notnull"`
	Actions    json.RawMessage `bun:"actions,type:jsonb,notnull"`
	Version    int             `bun:"version,notnull"`
	CreatedAt  time.Time       `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt  time.Time       `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// RuleSnapshot is a rule as a version records it: the rule JSON format plus its position.
type RuleSnapshot struct {
	Name       string          `json:"name"`
	Enabled    bool            `json:"enabled"`
	Position   int             `json:"position"`
	Pipelines  []string        `json:"pipelines"`
	Match      string          `json:"match"`
	Conditions json.RawMessage `json:"conditions"`
	Actions    json.RawMessage `json:"actions"`
}

// snapshot returns r as a version records it.
func (r *Rule) snapshot() json.RawMessage {
	b, _ := json.Marshal(RuleSnapshot{Name: r.Name, Enabled: r.Enabled, Position: r.Position, Pipelines: r.Pipelines,
		Match: r.Match, Conditions: r.Conditions, Actions: r.Actions})
	return b
}

// RuleVersion is one change of a rule: Before is null for a creation (and a restore of a
// deleted rule), After is null for a deletion.
type RuleVersion struct {
	bun.BaseModel `bun:"table:rule_versions,alias:rv"`

	ID        int64           `bun:"id,pk,autoincrement"`
	AccountID int64           `bun:"account_id,notnull"`
	RuleID    int64           `bun:"rule_id,notnull"`
	Version   int             `bun:"version,notnull"`
	Change    string          `bun:"change,notnull"`
	UserID    *int64          `bun:"user_id"`
	Actor     string          `bun:"actor,notnull"`
	Before    json.RawMessage `bun:"before,type:jsonb,nullzero"`
	After     json.RawMessage `bun:"after,type:jsonb,nullzero"`
	CreatedAt time.Time       `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// RuleActor is who changes rules: a user (UserID and their email as Name) or an API key
// (no UserID, Name like "API key #12").
type RuleActor struct {
	UserID *int64
	Name   string
}

// version builds the rule_versions row for a change of r made by by.
func (by RuleActor) version(r *Rule, change string, before, after json.RawMessage) RuleVersion {
	return RuleVersion{AccountID: r.AccountID, RuleID: r.ID, Version: r.Version, Change: change, UserID: by.UserID,
		Actor: by.Name, Before: before, After: after}
}

// RuleFilter narrows ListRules. Zero fields do not filter.
type RuleFilter struct {
	// Search is a case-insensitive substring of the name.
	Search string
	// Field keeps rules whose conditions or actions use that field path (exactly), e.g. lines[].sku.
	Field string
	// Pipeline keeps rules that run in that pipeline.
	Pipeline string
	Enabled  *bool
}

// ruleTx runs fn in a transaction after bumping the account's rule-set version, which also
// serializes rule writes of one account on the rule_sets row.
func (d *DB) ruleTx(ctx context.Context, accountID int64, fn func(ctx context.Context, tx bun.Tx) error) error {
	return d.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`INSERT INTO rule_sets (account_id, version) VALUES (?, 1)
			ON CONFLICT (account_id) DO UPDATE SET version = rule_sets.version + 1, updated_at = now()`, accountID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("bump rule set version: %w", err)
		}
		return fn(ctx, tx)
	})
}

// RuleSetVersion returns the account's rule-set version: it changes with every rule change
// (0 before the first one). Caches of compiled rules compare it to know when to reload.
func (d *DB) RuleSetVersion(ctx context.Context, accountID int64) (int64, error) {
	var v []int64
	if err := d.bun.NewRaw("SELECT version FROM rule_sets WHERE account_id = ?", accountID).Scan(ctx, &v); err != nil {
		return 0, fmt.Errorf("db: rule set version: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	return v[0], nil
}

// countRules counts the account's rules inside tx.
func countRules(ctx context.Context, tx bun.IDB, accountID int64) (int, error) {
	n, err := tx.NewSelect().Model((*Rule)(nil)).Where("account_id = ?", accountID).Count(ctx)
	return int(n), err
}

// shiftRules moves the positions of the account's rules in [from, to] by delta.
func shiftRules(ctx context.Context, tx bun.IDB, accountID int64, from, to, delta int) error {
	if from > to {
		return nil
	}
	_, err := tx.NewUpdate().Model((*Rule)(nil)).Set("position = position + ?", delta).
		Where("account_id = ? AND position BETWEEN ? AND ?", accountID, from, to).Exec(ctx)
	return err
}

// lockRule reads rule id of accountID for update, or ErrNotFound.
func lockRule(ctx context.Context, tx bun.IDB, accountID, id int64) (*Rule, error) {
	return lockRow[Rule](ctx, tx, fmt.Sprintf("rule %d", id), "r.id = ? AND r.account_id = ?", id, accountID)
}

// CreateRule stores r as version 1 at r.Position (shifting the rules at and after it down),
// or after the last rule when r.Position is 0 or past the end, and records the creation.
// r is updated with its id, position and times.
func (d *DB) CreateRule(ctx context.Context, r *Rule, by RuleActor) error {
	err := d.ruleTx(ctx, r.AccountID, func(ctx context.Context, tx bun.Tx) error {
		n, err := countRules(ctx, tx, r.AccountID)
		if err != nil {
			return err
		}
		if r.Position <= 0 || r.Position > n {
			r.Position = n + 1
		} else if err := shiftRules(ctx, tx, r.AccountID, r.Position, n, 1); err != nil {
			return err
		}
		r.ID, r.Version = 0, 1
		if _, err := tx.NewInsert().Model(r).Returning("*").Exec(ctx); err != nil {
			return err
		}
		v := by.version(r, RuleCreated, nil, r.snapshot())
		_, err = tx.NewInsert().Model(&v).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("db: create rule: %w", translate(err))
	}
	return nil
}

// GetRule returns rule id of accountID, or ErrNotFound.
func (d *DB) GetRule(ctx context.Context, accountID, id int64) (*Rule, error) {
	return getRow[Rule](ctx, d.bun, fmt.Sprintf("rule %d", id), "r.id = ? AND r.account_id = ?", id, accountID)
}

// ListRules pages through the rules of accountID in position order. Unlike other lists,
// p.AfterID is read as a position: the page starts after the rule at that position.
func (d *DB) ListRules(ctx context.Context, accountID int64, f RuleFilter, p Page) (Result[Rule], error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("r.account_id = ?", accountID)
		q = whereContains(q, "r.name ILIKE ?", f.Search)
		if f.Field != "" {
			cond, _ := json.Marshal([]map[string]string{{"field": f.Field}})
			from, _ := json.Marshal([]map[string]string{{"from": f.Field}})
			q = q.Where("(r.conditions @> ?::jsonb OR r.actions @> ?::jsonb OR r.actions @> ?::jsonb)",
				string(cond), string(cond), string(from))
		}
		q = whereSet(q, "? = ANY(r.pipelines)", f.Pipeline)
		if f.Enabled != nil {
			q = q.Where("r.enabled = ?", *f.Enabled)
		}
		return q
	}
	var rows []Rule
	q := filter(d.bun.NewSelect().Model(&rows))
	if p.AfterID > 0 {
		q = q.Where("r.position > ?", p.AfterID)
	}
	if err := q.OrderExpr("r.position").Limit(int64(p.limit() + 1)).Scan(ctx); err != nil {
		return Result[Rule]{}, fmt.Errorf("db: list rules: %w", err)
	}
	total, err := filter(d.bun.NewSelect().Model((*Rule)(nil))).Count(ctx)
	if err != nil {
		return Result[Rule]{}, fmt.Errorf("db: count rules: %w", err)
	}
	return trim(p, rows, total), nil
}

// ListAllRules returns every rule of accountID in position order (for compiling, previews and
// exports).
func (d *DB) ListAllRules(ctx context.Context, accountID int64) ([]Rule, error) {
	return selectRows[Rule](ctx, d.bun, "list all rules", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("r.account_id = ?", accountID).OrderExpr("r.position")
	})
}

// UpdateRule replaces the name, enabled flag, pipelines, match, conditions and actions of rule
// r.ID of r.AccountID, moves it to r.Position (0 keeps its place; past the end means last),
// bumps its version and records the change. With expectedVersion > 0 it fails with
// ErrRuleVersionMismatch when the stored rule is at another version. A rule of another account
// gives ErrNotFound. r is updated with the stored row.
func (d *DB) UpdateRule(ctx context.Context, r *Rule, expectedVersion int, by RuleActor) error {
	err := d.ruleTx(ctx, r.AccountID, func(ctx context.Context, tx bun.Tx) error {
		cur, err := lockRule(ctx, tx, r.AccountID, r.ID)
		if err != nil {
			return err
		}
		if expectedVersion > 0 && cur.Version != expectedVersion {
			return fmt.Errorf("%w: it is at version %d, not %d", ErrRuleVersionMismatch, cur.Version, expectedVersion)
		}
		if err := moveRule(ctx, tx, cur, r.Position); err != nil {
			return err
		}
		r.Position = cur.Position
		r.Version = cur.Version + 1
		_, err = tx.NewUpdate().Model(r).
			Column("name", "enabled", "position", "pipelines", "match", "conditions", "actions", "version").
			Set("updated_at = now()").
			Where("id = ? AND account_id = ?", r.ID, r.AccountID).Returning("*").Exec(ctx)
		if err != nil {
			return err
		}
		v := by.version(r, RuleUpdated, cur.snapshot(), r.snapshot())
		_, err = tx.NewInsert().Model(&v).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("db: update rule %d: %w", r.ID, translate(err))
	}
	return nil
}

// moveRule shifts the rules between cur's position and to so that cur can take position to
// (clamped to the account's rules), and sets cur.Position. to <= 0 leaves it in place.
func moveRule(ctx context.Context, tx bun.IDB, cur *Rule, to int) error {
	if to <= 0 || to == cur.Position {
		return nil
	}
	n, err := countRules(ctx, tx, cur.AccountID)
	if err != nil {
		return err
	}
	to = min(to, n)
	switch {
	case to < cur.Position:
		err = shiftRules(ctx, tx, cur.AccountID, to, cur.Position-1, 1)
	case to > cur.Position:
		err = shiftRules(ctx, tx, cur.AccountID, cur.Position+1, to, -1)
	}
	cur.Position = to
	return err
}

// DeleteRule deletes rule id of accountID, closes the gap in positions and records the
// deletion (the history stays, and RestoreRuleVersion can bring the rule back). It returns the
// rule as it was; another account's rule gives ErrNotFound.
func (d *DB) DeleteRule(ctx context.Context, accountID, id int64, by RuleActor) (*Rule, error) {
	var cur *Rule
	err := d.ruleTx(ctx, accountID, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if cur, err = lockRule(ctx, tx, accountID, id); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Rule)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*Rule)(nil)).Set("position = position - 1").
			Where("account_id = ? AND position > ?", accountID, cur.Position).Exec(ctx)
		if err != nil {
			return err
		}
		gone := *cur
		gone.Version++
		v := by.version(&gone, RuleDeleted, cur.snapshot(), nil)
		_, err = tx.NewInsert().Model(&v).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("db: delete rule %d: %w", id, translate(err))
	}
	return cur, nil
}

// SetRuleEnabled turns rule id of accountID on or off and records the change; when it already
// is in that state nothing is recorded. Another account's rule gives ErrNotFound.
func (d *DB) SetRuleEnabled(ctx context.Context, accountID, id int64, enabled bool, by RuleActor) (*Rule, error) {
	var r *Rule
	err := d.ruleTx(ctx, accountID, func(ctx context.Context, tx bun.Tx) error {
		cur, err := lockRule(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		r = cur
		if cur.Enabled == enabled {
			return nil
		}
		before := cur.snapshot()
		r.Enabled, r.Version = enabled, cur.Version+1
		_, err = tx.NewUpdate().Model(r).Column("enabled", "version").Set("updated_at = now()").
			WherePK().Returning("*").Exec(ctx)
		if err != nil {
			return err
		}
		change := RuleDisabled
		if enabled {
			change = RuleEnabled
		}
		v := by.version(r, change, before, r.snapshot())
		_, err = tx.NewInsert().Model(&v).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("db: set rule %d enabled: %w", id, translate(err))
	}
	return r, nil
}

// ReorderRules gives the rules of accountID the order of ids (ids[0] runs first). ids must
// list every rule of the account exactly once, or the result is ErrRuleSetMismatch. Each rule
// whose position changes gets a new version. It returns all rules in the new order.
func (d *DB) ReorderRules(ctx context.Context, accountID int64, ids []int64, by RuleActor) ([]Rule, error) {
	var out []Rule
	err := d.ruleTx(ctx, accountID, func(ctx context.Context, tx bun.Tx) error {
		var cur []Rule
		if err := tx.NewSelect().Model(&cur).Where("r.account_id = ?", accountID).For("UPDATE").Scan(ctx); err != nil {
			return err
		}
		byID := make(map[int64]*Rule, len(cur))
		for i := range cur {
			byID[cur[i].ID] = &cur[i]
		}
		seen := make(map[int64]bool, len(ids))
		positions := make([]int, len(ids))
		for i, id := range ids {
			if byID[id] == nil || seen[id] {
				return fmt.Errorf("%w: rule %d", ErrRuleSetMismatch, id)
			}
			seen[id] = true
			positions[i] = i + 1
		}
		if len(ids) != len(cur) {
			return fmt.Errorf("%w: %d ids for %d rules", ErrRuleSetMismatch, len(ids), len(cur))
		}
		var moved []Rule
		err := tx.NewRaw(`UPDATE rules AS r SET position = t.pos, version = r.version + 1, updated_at = now()
			FROM unnest(?::bigint[], ?::int[]) AS t(id, pos)
			WHERE r.id = t.id AND r.account_id = ? AND r.position <> t.pos
			RETURNING r.*`, pgdialect.Array(ids), pgdialect.Array(positions), accountID).Scan(ctx, &moved)
		if err != nil {
			return err
		}
		versions := make([]RuleVersion, 0, len(moved))
		for i := range moved {
			versions = append(versions, by.version(&moved[i], RuleMoved, byID[moved[i].ID].snapshot(), moved[i].snapshot()))
		}
		if err := insertVersions(ctx, tx, versions); err != nil {
			return err
		}
		return tx.NewSelect().Model(&out).Where("r.account_id = ?", accountID).OrderExpr("r.position").Scan(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("db: reorder rules: %w", translate(err))
	}
	return out, nil
}

// insertVersions stores versions in batches.
func insertVersions(ctx context.Context, tx bun.IDB, versions []RuleVersion) error {
	for start := 0; start < len(versions); start += 1000 {
		batch := versions[start:min(start+1000, len(versions))]
		if _, err := tx.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// GetRuleVersion returns version of rule ruleID of accountID, or ErrNotFound.
func (d *DB) GetRuleVersion(ctx context.Context, accountID, ruleID int64, version int) (*RuleVersion, error) {
	return getRow[RuleVersion](ctx, d.bun, fmt.Sprintf("rule %d version %d", ruleID, version),
		"rv.account_id = ? AND rv.rule_id = ? AND rv.version = ?", accountID, ruleID, version)
}

// ListRuleVersions pages through the history of rule ruleID of accountID, newest first. It
// works for deleted rules too; a rule without history in the account gives ErrNotFound.
func (d *DB) ListRuleVersions(ctx context.Context, accountID, ruleID int64, p Page) (Result[RuleVersion], error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("rv.account_id = ? AND rv.rule_id = ?", accountID, ruleID)
	}
	total, err := filter(d.bun.NewSelect().Model((*RuleVersion)(nil))).Count(ctx)
	if err != nil {
		return Result[RuleVersion]{}, fmt.Errorf("db: count rule versions: %w", err)
	}
	if total == 0 {
		return Result[RuleVersion]{}, fmt.Errorf("db: rule %d history: %w", ruleID, ErrNotFound)
	}
	var rows []RuleVersion
	if err := p.apply(filter(d.bun.NewSelect().Model(&rows)), "rv").Scan(ctx); err != nil {
		return Result[RuleVersion]{}, fmt.Errorf("db: list rule versions: %w", err)
	}
	return trim(p, rows, total), nil
}

// RestoreRuleVersion makes rule ruleID of accountID look as it did after change version (for
// a deletion: as it was when deleted) and records that as a new version. A rule that still
// exists keeps its position; a deleted rule comes back under its old id at its old position
// (or last). The caller validates the old content first: the rule format may have moved on.
// An unknown rule or version gives ErrNotFound.
func (d *DB) RestoreRuleVersion(ctx context.Context, accountID, ruleID int64, version int, by RuleActor) (*Rule, error) {
	var r *Rule
	err := d.ruleTx(ctx, accountID, func(ctx context.Context, tx bun.Tx) error {
		old := new(RuleVersion)
		if err := tx.NewSelect().Model(old).Where("rv.account_id = ? AND rv.rule_id = ? AND rv.version = ?", accountID, ruleID, version).Scan(ctx); err != nil {
			return translate(err)
		}
		raw := old.After
		if len(raw) == 0 {
			raw = old.Before
		}
		var s RuleSnapshot
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("read version %d: %w", version, err)
		}
		var last int
		if err := tx.NewSelect().Model((*RuleVersion)(nil)).ColumnExpr("max(version)").
			Where("account_id = ? AND rule_id = ?", accountID, ruleID).Scan(ctx, &last); err != nil {
			return err
		}
		cur, err := lockRule(ctx, tx, accountID, ruleID)
		switch {
		case err == nil:
			r = cur
			before := cur.snapshot()
			r.Name, r.Enabled, r.Pipelines, r.Match, r.Conditions, r.Actions = s.Name, s.Enabled, s.Pipelines, s.Match, s.Conditions, s.Actions
			r.Version = last + 1
			_, err = tx.NewUpdate().Model(r).Column("name", "enabled", "pipelines", "match", "conditions", "actions", "version").
				Set("updated_at = now()").WherePK().Returning("*").Exec(ctx)
			if err != nil {
				return err
			}
			v := by.version(r, RuleRestored, before, r.snapshot())
			_, err = tx.NewInsert().Model(&v).Exec(ctx)
			return err
		case errors.Is(err, ErrNotFound):
			n, err := countRules(ctx, tx, accountID)
			if err != nil {
				return err
			}
			r = &Rule{ID: ruleID, AccountID: accountID, Name: s.Name, Enabled: s.Enabled, Position: s.Position,
				Pipelines: s.Pipelines, Match: s.Match, Conditions: s.Conditions, Actions: s.Actions, Version: last + 1}
			if r.Position <= 0 || r.Position > n {
				r.Position = n + 1
			} else if err := shiftRules(ctx, tx, accountID, r.Position, n, 1); err != nil {
				return err
			}
			if _, err := tx.NewInsert().Model(r).Returning("*").Exec(ctx); err != nil {
				return err
			}
			v := by.version(r, RuleRestored, nil, r.snapshot())
			_, err = tx.NewInsert().Model(&v).Exec(ctx)
			return err
		default:
			return err
		}
	})
	if err != nil {
		return nil, fmt.Errorf("db: restore rule %d version %d: %w", ruleID, version, translate(err))
	}
	return r, nil
}

// ImportRules stores rs (in order, positions ignored) as new rules of accountID, after the
// existing ones, or instead of them when replace is set; every creation and deletion is
// recorded. Either all of it happens or none. It returns the new rules and how many were
// deleted.
func (d *DB) ImportRules(ctx context.Context, accountID int64, rs []Rule, replace bool, by RuleActor) ([]Rule, int, error) {
	deleted := 0
	err := d.ruleTx(ctx, accountID, func(ctx context.Context, tx bun.Tx) error {
		start := 1
		if replace {
			var gone []Rule
			if err := tx.NewRaw("DELETE FROM rules WHERE account_id = ? RETURNING *", accountID).Scan(ctx, &gone); err != nil {
				return err
			}
			versions := make([]RuleVersion, 0, len(gone))
			for i := range gone {
				g := gone[i]
				g.Version++
				versions = append(versions, by.version(&g, RuleDeleted, gone[i].snapshot(), nil))
			}
			if err := insertVersions(ctx, tx, versions); err != nil {
				return err
			}
			deleted = len(gone)
		} else {
			n, err := countRules(ctx, tx, accountID)
			if err != nil {
				return err
			}
			start = n + 1
		}
		for i := range rs {
			rs[i].ID, rs[i].AccountID, rs[i].Position, rs[i].Version = 0, accountID, start+i, 1
		}
		for s := 0; s < len(rs); s += 1000 {
			batch := rs[s:min(s+1000, len(rs))]
			if _, err := tx.NewInsert().Model(&batch).Returning("*").Exec(ctx); err != nil {
				return err
			}
		}
		versions := make([]RuleVersion, 0, len(rs))
		for i := range rs {
			versions = append(versions, by.version(&rs[i], RuleImported, nil, rs[i].snapshot()))
		}
		return insertVersions(ctx, tx, versions)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("db: import rules: %w", translate(err))
	}
	return rs, deleted, nil
}
