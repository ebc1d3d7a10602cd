package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

var actor = db.RuleActor{Name: "API key #1"}

func newAccount(t *testing.T, d *db.DB) int64 {
	t.Helper()
	a := &db.Account{Name: "Shop " + t.Name()}
	if err := d.CreateAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// save validates r and creates it in accountID.
func save(t *testing.T, d *db.DB, accountID int64, r Rule) *db.Rule {
	t.Helper()
	v, err := Validate(r)
	if err != nil {
		t.Fatal(err)
	}
	row := ToDB(accountID, v)
	if err := d.CreateRule(context.Background(), row, actor); err != nil {
		t.Fatal(err)
	}
	return row
}

// names lists the account's rules as "name@position".
func names(t *testing.T, d *db.DB, accountID int64) string {
	t.Helper()
	rs, err := d.ListAllRules(context.Background(), accountID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s@%d", r.Name, r.Position))
	}
	return strings.Join(out, " ")
}

func TestPositions(t *testing.T) {
	d, ctx := dbtest.DB(t), context.Background()
	acct := newAccount(t, d)
	a := save(t, d, acct, rule(0, "a", MatchAll, nil, set("store", "a")))
	save(t, d, acct, rule(0, "b", MatchAll, nil, set("store", "b")))
	first := rule(0, "first", MatchAll, nil, set("store", "f"))
	first.Position = 1
	save(t, d, acct, first)
	far := rule(0, "far", MatchAll, nil, set("store", "x"))
	far.Position = 99
	save(t, d, acct, far)
	if got := names(t, d, acct); got != "first@1 a@2 b@3 far@4" {
		t.Fatalf("after creates: %s", got)
	}

	moved, _ := FromDB(a)
	moved.Position = 4
	row := ToDB(acct, moved)
	if err := d.UpdateRule(ctx, row, 0, actor); err != nil {
		t.Fatal(err)
	}
	if got := names(t, d, acct); got != "first@1 b@2 far@3 a@4" {
		t.Fatalf("after move down: %s", got)
	}
	moved.Position = 1
	if err := d.UpdateRule(ctx, ToDB(acct, moved), 0, actor); err != nil {
		t.Fatal(err)
	}
	if got := names(t, d, acct); got != "a@1 first@2 b@3 far@4" {
		t.Fatalf("after move up: %s", got)
	}
	if _, err := d.DeleteRule(ctx, acct, a.ID, actor); err != nil {
		t.Fatal(err)
	}
	if got := names(t, d, acct); got != "first@1 b@2 far@3" {
		t.Fatalf("after delete: %s", got)
	}
}

func TestVersioningAndRestore(t *testing.T) {
	d, ctx := dbtest.DB(t), context.Background()
	acct := newAccount(t, d)
	other := newAccount(t, d)
	save(t, d, acct, rule(0, "before", MatchAll, nil, set("class", "x")))
	row := save(t, d, acct, rule(0, "Target store", MatchAll, []Condition{{Field: "billTo.company", Op: OpEquals, Value: "Target"}}, set("store", "Target")))
	save(t, d, acct, rule(0, "after", MatchAll, nil, set("class", "y")))
	if row.Version != 1 || row.Position != 2 {
		t.Fatalf("created %+v", row)
	}

	// v2: full replacement.
	r, _ := FromDB(row)
	r.Name, r.Actions = "Target store v2", []Action{set("store", "Target Corp")}
	upd := ToDB(acct, r)
	if err := d.UpdateRule(ctx, upd, 1, actor); err != nil {
		t.Fatal(err)
	}
	if upd.Version != 2 || upd.Position != 2 {
		t.Fatalf("updated %+v", upd)
	}
	// A stale editor is refused.
	if err := d.UpdateRule(ctx, ToDB(acct, r), 1, actor); !errors.Is(err, db.ErrRuleVersionMismatch) {
		t.Fatalf("stale update: %v", err)
	}
	// v3: disabled; the same state again records nothing.
	if got, err := d.SetRuleEnabled(ctx, acct, row.ID, false, actor); err != nil || got.Version != 3 || got.Enabled {
		t.Fatalf("disable: %+v %v", got, err)
	}
	if got, err := d.SetRuleEnabled(ctx, acct, row.ID, false, actor); err != nil || got.Version != 3 {
		t.Fatalf("disable twice: %+v %v", got, err)
	}
	// Another account sees none of it.
	if _, err := d.GetRule(ctx, other, row.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("other account get: %v", err)
	}
	if _, err := d.SetRuleEnabled(ctx, other, row.ID, true, actor); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("other account enable: %v", err)
	}
	if _, err := d.ListRuleVersions(ctx, other, row.ID, db.Page{}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("other account history: %v", err)
	}
	if _, err := d.RestoreRuleVersion(ctx, other, row.ID, 1, actor); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("other account restore: %v", err)
	}

	// v4: restore version 1 keeps the position and comes back under a new version.
	restored, err := d.RestoreRuleVersion(ctx, acct, row.ID, 1, actor)
	if err != nil {
		t.Fatal(err)
	}
	if restored.Name != "Target store" || !restored.Enabled || restored.Version != 4 || restored.Position != 2 {
		t.Fatalf("restored %+v", restored)
	}
	// v5: delete; v6: restore the deletion brings it back at its place under the same id.
	if _, err := d.DeleteRule(ctx, acct, row.ID, actor); err != nil {
		t.Fatal(err)
	}
	if _, err := d.GetRule(ctx, acct, row.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("deleted rule: %v", err)
	}
	back, err := d.RestoreRuleVersion(ctx, acct, row.ID, 5, actor)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != row.ID || back.Version != 6 || back.Position != 2 || back.Name != "Target store" {
		t.Fatalf("back %+v", back)
	}
	if got := names(t, d, acct); got != "before@1 Target store@2 after@3" {
		t.Fatalf("rules: %s", got)
	}

	hist, err := d.ListRuleVersions(ctx, acct, row.ID, db.Page{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, v := range hist.Items {
		kinds = append(kinds, fmt.Sprintf("%d:%s", v.Version, v.Change))
	}
	if strings.Join(kinds, " ") != "6:restore 5:delete 4:restore" || !hist.HasNextPage || hist.TotalCount != 6 {
		t.Fatalf("history page = %v next=%v total=%d", kinds, hist.HasNextPage, hist.TotalCount)
	}
	if hist.Items[1].After != nil || hist.Items[1].Before == nil || hist.Items[1].Actor != "API key #1" {
		t.Errorf("delete version = %+v", hist.Items[1])
	}
	v2, err := d.GetRuleVersion(ctx, acct, row.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := FromSnapshot(v2.Before)
	after, _ := FromSnapshot(v2.After)
	if v2.Change != db.RuleUpdated || before.Name != "Target store" || after.Name != "Target store v2" || after.Position != 2 {
		t.Errorf("version 2 = %s → %s", v2.Before, v2.After)
	}
}

func TestReorder(t *testing.T) {
	d, ctx := dbtest.DB(t), context.Background()
	acct := newAccount(t, d)
	a := save(t, d, acct, rule(0, "a", MatchAll, nil, set("store", "a")))
	b := save(t, d, acct, rule(0, "b", MatchAll, nil, set("store", "b")))
	c := save(t, d, acct, rule(0, "c", MatchAll, nil, set("store", "c")))
	rs, err := d.ReorderRules(ctx, acct, []int64{c.ID, b.ID, a.ID}, actor)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(t, d, acct); got != "c@1 b@2 a@3" || len(rs) != 3 || rs[0].ID != c.ID {
		t.Fatalf("after reorder: %s", got)
	}
	// b kept its place: no new version. a and c moved: version 2, recorded as reorders.
	if rs[1].Version != 1 || rs[0].Version != 2 || rs[2].Version != 2 {
		t.Errorf("versions = %d %d %d", rs[0].Version, rs[1].Version, rs[2].Version)
	}
	v, err := d.GetRuleVersion(ctx, acct, a.ID, 2)
	if err != nil || v.Change != db.RuleMoved {
		t.Fatalf("a v2 = %+v %v", v, err)
	}
	for _, ids := range [][]int64{{a.ID, b.ID}, {a.ID, b.ID, c.ID, c.ID}, {a.ID, b.ID, 999999}} {
		if _, err := d.ReorderRules(ctx, acct, ids, actor); !errors.Is(err, db.ErrRuleSetMismatch) {
			t.Errorf("reorder %v: %v", ids, err)
		}
	}
	// Rules of another account are not the account's rules.
	other := newAccount(t, d)
	if _, err := d.ReorderRules(ctx, other, []int64{c.ID, b.ID, a.ID}, actor); !errors.Is(err, db.ErrRuleSetMismatch) {
		t.Errorf("reorder another account's rules: %v", err)
	}
}

func TestListRulesFilters(t *testing.T) {
	d, ctx := dbtest.DB(t), context.Background()
	acct := newAccount(t, d)
	for i := range 5 {
		save(t, d, acct, MapSKU(fmt.Sprintf("SKU-%d", i), "Item"))
	}
	off := rule(0, "Ship on hold", MatchAll, nil, set("shipStatus", "on_hold"))
	off.Pipelines, off.Enabled = []Pipeline{QuickBooksToShipStation}, false
	save(t, d, acct, off)
	save(t, d, acct, rule(0, "Class from store", MatchAll, nil, Action{Type: ActSetFromField, Field: "class", From: "store"}))

	count := func(f db.RuleFilter) int {
		res, err := d.ListRules(ctx, acct, f, db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		return res.TotalCount
	}
	yes, no := true, false
	for _, tc := range []struct {
		f    db.RuleFilter
		want int
	}{
		{db.RuleFilter{}, 7},
		{db.RuleFilter{Search: "sku-3"}, 1},
		{db.RuleFilter{Search: "100%"}, 0},
		{db.RuleFilter{Field: "lines[].sku"}, 5},
		{db.RuleFilter{Field: "lines[].itemName"}, 5},
		{db.RuleFilter{Field: "store"}, 1}, // read by set_from_field
		{db.RuleFilter{Field: "shipStatus"}, 1},
		{db.RuleFilter{Pipeline: string(Inventory)}, 5},
		{db.RuleFilter{Pipeline: string(QuickBooksToShipStation)}, 1},
		{db.RuleFilter{Enabled: &no}, 1},
		{db.RuleFilter{Enabled: &yes, Field: "class"}, 1},
	} {
		if got := count(tc.f); got != tc.want {
			t.Errorf("%+v: %d rules, want %d", tc.f, got, tc.want)
		}
	}

	// Pages run in position order; the cursor is a position.
	p1, err := d.ListRules(ctx, acct, db.RuleFilter{}, db.Page{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := d.ListRules(ctx, acct, db.RuleFilter{}, db.Page{Limit: 3, AfterID: int64(p1.Items[2].Position)})
	if err != nil {
		t.Fatal(err)
	}
	if !p1.HasNextPage || p1.Items[0].Position != 1 || p2.Items[0].Position != 4 || !p2.HasNextPage {
		t.Errorf("pages: %d.. next=%v / %d.. next=%v", p1.Items[0].Position, p1.HasNextPage, p2.Items[0].Position, p2.HasNextPage)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	d, ctx := dbtest.DB(t), context.Background()
	src := newAccount(t, d)
	for _, tpl := range Templates() {
		save(t, d, src, tpl.Rule)
	}
	off := MapSKU("OLD", "Old item")
	off.Enabled = false
	save(t, d, src, off)

	export := func(acct int64) Document {
		t.Helper()
		stored, err := d.ListAllRules(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := FromDBAll(stored)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := Export(rs, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		var doc Document
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	doc := export(src)
	if doc.Format != DocumentFormat || doc.Version != 1 || len(doc.Rules) != len(Templates())+1 {
		t.Fatalf("document = %+v", doc)
	}
	raw, _ := json.Marshal(doc)

	dst := newAccount(t, d)
	save(t, d, dst, rule(0, "existing", MatchAll, nil, set("class", "x")))
	rs, err := ParseDocument(raw)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]db.Rule, 0, len(rs))
	for _, r := range rs {
		rows = append(rows, *ToDB(dst, r))
	}
	created, deleted, err := d.ImportRules(ctx, dst, rows, true, actor)
	if err != nil || deleted != 1 || len(created) != len(rs) || created[0].Position != 1 {
		t.Fatalf("import: %d created, %d deleted, %v", len(created), deleted, err)
	}
	again := export(dst)
	a, _ := json.Marshal(doc.Rules)
	b, _ := json.Marshal(again.Rules)
	if string(a) != string(b) {
		t.Errorf("round trip differs:\n%s\n%s", a, b)
	}
	v, err := d.GetRuleVersion(ctx, dst, created[0].ID, 1)
	if err != nil || v.Change != db.RuleImported {
		t.Errorf("import version = %+v %v", v, err)
	}

	// Appending keeps what is there.
	if _, _, err := d.ImportRules(ctx, dst, rows[:1], false, actor); err != nil {
		t.Fatal(err)
	}
	if all, err := d.ListAllRules(ctx, dst); err != nil || len(all) != len(rs)+1 || all[len(rs)].Position != len(rs)+1 {
		t.Errorf("after append: %d rules, %v", len(all), err)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	d, ctx := dbtest.DB(t), context.Background()
	acct := newAccount(t, d)
	save(t, d, acct, rule(0, "keep me", MatchAll, nil, set("class", "x")))

	doc := `{"format":"ledgerlink.rules","version":1,"rules":[
	  {"name":"ok","enabled":true,"pipelines":["orders_to_quickbooks"],"match":"all","conditions":[],"actions":[{"type":"set","field":"store","value":"A"}]},
	  {"name":"bad field","enabled":true,"pipelines":["orders_to_quickbooks"],"match":"all","conditions":[{"field":"lines[].skew","op":"equals","value":"A"}],"actions":[{"type":"set","field":"store","value":"A"}]},
	  {"name":"bad op","enabled":true,"pipelines":["orders_to_quickbooks"],"match":"all","conditions":[{"field":"note","op":"greater_than","value":"A"}],"actions":[{"type":"set","field":"total","value":"1"}]}
	]}`
	_, err := ParseDocument([]byte(doc))
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("ParseDocument = %v", err)
	}
	var paths []string
	for _, p := range verr.Problems {
		paths = append(paths, p.Path)
	}
	if strings.Join(paths, " ") != "rules[1].conditions[0].field rules[2].conditions[0].op rules[2].actions[0].field" {
		t.Errorf("paths = %v", paths)
	}

	for _, tc := range []struct{ doc, path string }{
		{`not json`, "document"},
		{`{"format":"ledgerlink.rules","version":1,"rules":[{"name":"x","enabld":true}]}`, "document"},
		{`{"format":"connex","version":1,"rules":[]}`, "format"},
		{`{"format":"ledgerlink.rules","version":2,"rules":[]}`, "version"},
	} {
		_, err := ParseDocument([]byte(tc.doc))
		if !errors.As(err, &verr) || verr.Problems[0].Path != tc.path {
			t.Errorf("%s: %v", tc.doc, err)
		}
	}

	// The store rolls back too: a row the database refuses undoes the whole import, including
	// the deletions of a replacing import.
	good := *ToDB(acct, MapSKU("A", "B"))
	bad := good
	bad.Name = strings.Repeat("x", 300) // the name CHECK refuses it
	if _, _, err := d.ImportRules(ctx, acct, []db.Rule{good, bad}, true, actor); err == nil {
		t.Fatal("import of a refused row succeeded")
	}
	if got := names(t, d, acct); got != "keep me@1" {
		t.Errorf("after failed import: %s", got)
	}
}

func TestLoaderCachesAndInvalidates(t *testing.T) {
	d, ctx := dbtest.DB(t), context.Background()
	acct := newAccount(t, d)
	l := NewLoader(d)

	empty, err := l.Evaluator(ctx, acct, OrdersToQuickBooks)
	if err != nil || empty.Len() != 0 {
		t.Fatalf("no rules: %v %v", empty, err)
	}
	row := save(t, d, acct, MapSKU("A-1", "Item A"))
	ev, err := l.Evaluator(ctx, acct, OrdersToQuickBooks)
	if err != nil || ev.Len() != 1 {
		t.Fatalf("after create: %d %v", ev.Len(), err)
	}
	if same, _ := l.Evaluator(ctx, acct, OrdersToQuickBooks); same != ev {
		t.Error("unchanged rules were compiled again")
	}
	if inv, _ := l.Evaluator(ctx, acct, Inventory); inv == ev || inv.Len() != 1 {
		t.Error("pipelines share an evaluator")
	}
	if ship, _ := l.Evaluator(ctx, acct, QuickBooksToShipStation); ship.Len() != 0 {
		t.Error("map SKU runs in the ShipStation pipeline")
	}
	if _, err := d.SetRuleEnabled(ctx, acct, row.ID, false, actor); err != nil {
		t.Fatal(err)
	}
	if after, _ := l.Evaluator(ctx, acct, OrdersToQuickBooks); after == ev || after.Len() != 0 {
		t.Error("a disabled rule is still in force")
	}
	// A stored rule that no longer validates stops the pipeline with a message naming it.
	if _, err := dbtest.SQL(t).NewUpdate().Model((*db.Rule)(nil)).Set("enabled = true, conditions = ?", `[{"field":"gone","op":"equals","value":"x"}]`).
		Where("id = ?", row.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SetRuleEnabled(ctx, acct, row.ID, true, actor); err != nil { // bumps the version
		t.Fatal(err)
	}
	if _, err := l.Evaluator(ctx, acct, OrdersToQuickBooks); err == nil || !strings.Contains(err.Error(), `Unknown field "gone"`) {
		t.Errorf("invalid stored rule: %v", err)
	}
}

func TestOrderEventsRecordTheChanges(t *testing.T) {
	d, ctx := dbtest.DB(t), context.Background()
	acct := newAccount(t, d)
	o := sampleOrder()
	norm, _ := json.Marshal(o)
	row := &db.Order{AccountID: acct, ConnectionID: 1, Channel: "shopify", ExternalID: "4501", Number: "1001", State: db.OrderPending,
		Raw: json.RawMessage(`{}`), Normalized: norm}
	if _, err := dbtest.SQL(t).NewInsert().Model(row).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	r1 := save(t, d, acct, rule(0, "Target store", MatchAll, []Condition{{Field: "billTo.company", Op: OpEquals, Value: "Target"}}, set("store", "Target")))
	save(t, d, acct, MapSKU("ABC-123", "Widget"))
	ev, err := NewLoader(d).Evaluator(ctx, acct, OrdersToQuickBooks)
	if err != nil {
		t.Fatal(err)
	}
	res := ev.Apply(o)
	if err := db.InsertOrderEvents(ctx, dbtest.SQL(t), OrderEvents(acct, row.ID, res)); err != nil {
		t.Fatal(err)
	}
	evs, err := d.ListOrderEvents(ctx, acct, row.ID)
	if err != nil || len(evs) != 2 {
		t.Fatalf("events = %+v %v", evs, err)
	}
	var det struct {
		RuleID      int64 `json:"ruleId"`
		RuleVersion int   `json:"ruleVersion"`
		Changes     []struct{ Field, Before, After string }
	}
	if err := json.Unmarshal(evs[0].Details, &det); err != nil {
		t.Fatal(err)
	}
	if evs[0].Kind != "rule" || det.RuleID != r1.ID || det.RuleVersion != 1 || det.Changes[0].After != "Target" ||
		!strings.Contains(evs[0].Message, "Target store") || !slices.ContainsFunc(evs, func(e db.OrderEvent) bool {
		return strings.Contains(e.Message, "lines[0].itemName")
	}) {
		t.Errorf("events = %+v / %+v", evs, det)
	}
}
