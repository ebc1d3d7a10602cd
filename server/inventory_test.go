package server

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// inventoryFixture is one account with a QuickBooks company (Widget 100 on hand, 3 on sales
// orders; Gadget 40) and a Shopify and a WooCommerce store whose queues hold:
// Shopify: Widget pushed (97), Gadget mismatched; WooCommerce: Widget failed, Gadget pending.
type inventoryFixture struct {
	user            *db.User
	password        string
	shop, woo       int64
	shopWidgetQueue int64
}

func newInventoryFixture(t *testing.T, app *App) inventoryFixture {
	t.Helper()
	ctx := context.Background()
	u, pw := fixtureUser(t, app.DB, 0, db.RoleMember)
	qc := fixtureQBD(t, app.DB, u.AccountID, "wc-inv-"+strconv.FormatInt(u.AccountID, 10))
	ids := map[string]int64{}
	for _, s := range []struct{ channel, name, url string }{{"shopify", "Main Shopify", "https://main.myshopify.com"}, {"woocommerce", "Woo Outlet", "https://woo.example"}} {
		c := &db.StoreConnection{AccountID: u.AccountID, Channel: s.channel, Name: s.name, BaseURL: s.url, QBDConnectionID: &qc.ID, Enabled: true}
		fixtureStore(t, app.DB, c, `{}`)
		ids[s.channel] = c.ID
	}
	idb := dbtest.SQL(t)
	now := time.Now()
	err := db.SaveInventorySnapshotOf(ctx, idb, u.AccountID, db.DesktopCompany(qc.ID), []db.SnapshotItem{
		{ListID: "80000001-1", FullName: "Widget", ItemType: "ItemInventory", Active: true, OnHand: 100 * db.QtyScale, OnSalesOrder: 3 * db.QtyScale, LastSeenAt: now, ChangedAt: now},
		{ListID: "80000002-1", FullName: "Gadget", ItemType: "ItemInventory", Active: true, OnHand: 40 * db.QtyScale, LastSeenAt: now, ChangedAt: now},
	})
	if err != nil {
		t.Fatal(err)
	}
	var targets []db.InventoryTarget
	for _, sc := range []int64{ids["shopify"], ids["woocommerce"]} {
		targets = append(targets,
			db.InventoryTarget{StoreConnectionID: sc, SKU: "Widget", Quantity: 97, QBDConnectionID: qc.ID, QBListID: "80000001-1", QBFullName: "Widget"},
			db.InventoryTarget{StoreConnectionID: sc, SKU: "Gadget", Quantity: 40, QBDConnectionID: qc.ID, QBListID: "80000002-1", QBFullName: "Gadget"})
	}
	if _, err := db.EnqueueInventoryUpdates(ctx, idb, u.AccountID, targets); err != nil {
		t.Fatal(err)
	}
	f := inventoryFixture{user: u, password: pw, shop: ids["shopify"], woo: ids["woocommerce"]}
	claimed, err := db.ClaimInventoryUpdates(ctx, idb, u.AccountID, f.shop, 10, now.Add(time.Second), time.Minute)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim shopify: %d rows, %v", len(claimed), err)
	}
	var results []db.PushResult
	for _, c := range claimed {
		r := db.PushResult{UpdateID: c.ID, ClaimToken: c.ClaimToken, Quantity: c.PushingQuantity, Outcome: db.PushDone}
		if c.SKU == "Gadget" {
			r.Outcome, r.Reason = db.PushMismatched, `No product in Main Shopify has the SKU "Gadget".`
		} else {
			f.shopWidgetQueue = c.ID
		}
		results = append(results, r)
	}
	wooClaim, err := db.ClaimInventoryUpdates(ctx, idb, u.AccountID, f.woo, 1, now.Add(time.Second), time.Minute)
	if err != nil || len(wooClaim) != 1 || wooClaim[0].SKU != "Widget" {
		t.Fatalf("claim woo: %+v, %v", wooClaim, err)
	}
	results = append(results, db.PushResult{UpdateID: wooClaim[0].ID, ClaimToken: wooClaim[0].ClaimToken, Quantity: 97,
		Outcome: db.PushFailed, Reason: "WooCommerce refused the quantity: product 12 does not manage stock."})
	if _, err := db.SettleInventoryUpdates(ctx, idb, u.AccountID, results); err != nil {
		t.Fatal(err)
	}
	return f
}

type invRow struct {
	ID                     string
	SKU                    string `json:"sku"`
	StoreConnectionName    string
	Channel                string
	QuickBooksItem         string
	QuickBooksQuantity     *float64
	QuickBooksOnSalesOrder *float64
	StoreQuantity          int
	PushedQuantity         *int
	Status                 string
	Attempts               int
	LastPushAt             *time.Time
	Reason                 string
}

type invPage struct {
	InventoryUpdates struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Edges []struct{ Node invRow }
	}
}

const invQuery = `query($f: InventoryUpdateFilter, $first: Int, $after: String) { inventoryUpdates(filter: $f, first: $first, after: $after) {
	totalCount pageInfo { hasNextPage endCursor }
	edges { node { id sku storeConnectionName channel quickBooksItem quickBooksQuantity quickBooksOnSalesOrder storeQuantity pushedQuantity
		status attempts lastPushAt reason } } } }`

func rowsByKey(p invPage) map[string]invRow {
	out := map[string]invRow{}
	for _, e := range p.InventoryUpdates.Edges {
		out[e.Node.StoreConnectionName+"/"+e.Node.SKU] = e.Node
	}
	return out
}

// TestInventoryUpdatesThroughGraphQL: the Inventory page's list shows each SKU of each store
// with QuickBooks' quantity from the snapshot, the store's target, status and the reason in
// plain words; failedOnly and the store filter narrow it; it pages; another account sees none.
func TestInventoryUpdatesThroughGraphQL(t *testing.T) {
	app, srv := newTestApp(t)
	f := newInventoryFixture(t, app)
	c := newClient(t, srv.URL).login(f.user.Email, f.password)

	var all invPage
	c.mustGQL(invQuery, nil, &all)
	if all.InventoryUpdates.TotalCount != 4 || len(all.InventoryUpdates.Edges) != 4 {
		t.Fatalf("all: %+v", all.InventoryUpdates)
	}
	rows := rowsByKey(all)
	w := rows["Main Shopify/Widget"]
	if w.Channel != "SHOPIFY" || w.QuickBooksItem != "Widget" || w.QuickBooksQuantity == nil || *w.QuickBooksQuantity != 100 ||
		w.QuickBooksOnSalesOrder == nil || *w.QuickBooksOnSalesOrder != 3 || w.StoreQuantity != 97 || w.PushedQuantity == nil ||
		*w.PushedQuantity != 97 || w.Status != "DONE" || w.LastPushAt == nil || w.Reason != "" || w.Attempts != 1 {
		t.Errorf("shopify widget: %+v", w)
	}
	if g := rows["Main Shopify/Gadget"]; g.Status != "MISMATCHED" || g.Reason != `No product in Main Shopify has the SKU "Gadget".` ||
		g.PushedQuantity != nil || g.LastPushAt != nil || *g.QuickBooksQuantity != 40 {
		t.Errorf("shopify gadget: %+v", g)
	}
	if ww := rows["Woo Outlet/Widget"]; ww.Status != "FAILED" || ww.Channel != "WOOCOMMERCE" ||
		ww.Reason != "WooCommerce refused the quantity: product 12 does not manage stock." {
		t.Errorf("woo widget: %+v", ww)
	}
	if wg := rows["Woo Outlet/Gadget"]; wg.Status != "PENDING" || wg.StoreQuantity != 40 || wg.Attempts != 0 {
		t.Errorf("woo gadget: %+v", wg)
	}

	var failed invPage
	c.mustGQL(invQuery, map[string]any{"f": map[string]any{"failedOnly": true}}, &failed)
	got := slices.Sorted(func(yield func(string) bool) {
		for k := range rowsByKey(failed) {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(got, []string{"Main Shopify/Gadget", "Woo Outlet/Widget"}) || failed.InventoryUpdates.TotalCount != 2 {
		t.Errorf("failedOnly: %v (total %d)", got, failed.InventoryUpdates.TotalCount)
	}

	var woo invPage
	c.mustGQL(invQuery, map[string]any{"f": map[string]any{"storeConnectionId": strconv.FormatInt(f.woo, 10), "sku": "gad"}}, &woo)
	if len(woo.InventoryUpdates.Edges) != 1 || woo.InventoryUpdates.Edges[0].Node.StoreConnectionName != "Woo Outlet" ||
		woo.InventoryUpdates.Edges[0].Node.SKU != "Gadget" {
		t.Errorf("woo + sku filter: %+v", woo.InventoryUpdates.Edges)
	}

	// Pages of 3 then 1, no row twice.
	var p1, p2 invPage
	c.mustGQL(invQuery, map[string]any{"first": 3}, &p1)
	c.mustGQL(invQuery, map[string]any{"first": 3, "after": p1.InventoryUpdates.PageInfo.EndCursor}, &p2)
	if len(p1.InventoryUpdates.Edges) != 3 || !p1.InventoryUpdates.PageInfo.HasNextPage || len(p2.InventoryUpdates.Edges) != 1 ||
		p2.InventoryUpdates.PageInfo.HasNextPage {
		t.Errorf("paging: %d (next %v) then %d", len(p1.InventoryUpdates.Edges), p1.InventoryUpdates.PageInfo.HasNextPage, len(p2.InventoryUpdates.Edges))
	}
	seen := map[string]bool{}
	for _, e := range append(p1.InventoryUpdates.Edges, p2.InventoryUpdates.Edges...) {
		if seen[e.Node.ID] {
			t.Errorf("row %s on two pages", e.Node.ID)
		}
		seen[e.Node.ID] = true
	}

	if r := c.gql(invQuery, map[string]any{"f": map[string]any{"failedOnly": true, "status": "DONE"}}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("failedOnly with DONE: %+v", r.Errors)
	}

	other, opw := fixtureUser(t, app.DB, 0, db.RoleOwner)
	var none invPage
	newClient(t, srv.URL).login(other.Email, opw).mustGQL(invQuery, nil, &none)
	if none.InventoryUpdates.TotalCount != 0 || len(none.InventoryUpdates.Edges) != 0 {
		t.Errorf("another account sees %+v", none.InventoryUpdates)
	}
}

// TestInventoryPushLogThroughGraphQL: every push with its outcome and reason, newest first,
// filtered to failures or one store.
func TestInventoryPushLogThroughGraphQL(t *testing.T) {
	app, srv := newTestApp(t)
	f := newInventoryFixture(t, app)
	c := newClient(t, srv.URL).login(f.user.Email, f.password)
	type entry struct {
		SKU                 string `json:"sku"`
		StoreConnectionName string
		Quantity            int
		Outcome, Reason     string
	}
	var log struct {
		InventoryPushLog struct {
			TotalCount int
			Edges      []struct{ Node entry }
		}
	}
	const q = `query($f: InventoryPushLogFilter) { inventoryPushLog(filter: $f) { totalCount edges { node { sku storeConnectionName quantity outcome reason } } } }`
	c.mustGQL(q, nil, &log)
	if log.InventoryPushLog.TotalCount != 3 {
		t.Fatalf("log: %+v", log.InventoryPushLog)
	}
	c.mustGQL(q, map[string]any{"f": map[string]any{"failedOnly": true, "storeConnectionId": strconv.FormatInt(f.woo, 10)}}, &log)
	want := entry{SKU: "Widget", StoreConnectionName: "Woo Outlet", Quantity: 97, Outcome: "FAILED",
		Reason: "WooCommerce refused the quantity: product 12 does not manage stock."}
	if len(log.InventoryPushLog.Edges) != 1 || log.InventoryPushLog.Edges[0].Node != want {
		t.Errorf("woo failures: %+v", log.InventoryPushLog.Edges)
	}
	c.mustGQL(q, map[string]any{"f": map[string]any{"outcome": "PUSHED"}}, &log)
	if len(log.InventoryPushLog.Edges) != 1 || log.InventoryPushLog.Edges[0].Node.StoreConnectionName != "Main Shopify" {
		t.Errorf("pushed: %+v", log.InventoryPushLog.Edges)
	}
}

// TestPushInventoryNow: Push now puts one SKU (a mismatched one too) or every SKU of a store
// back in the queue, due now, and enqueues the inventory:push task; another account's store is
// not found; a blank SKU is refused.
func TestPushInventoryNow(t *testing.T) {
	app, srv := newTestApp(t)
	f := newInventoryFixture(t, app)
	c := newClient(t, srv.URL).login(f.user.Email, f.password)
	const m = `mutation($id: ID!, $skus: [String!]) { pushInventoryNow(storeConnectionId: $id, skus: $skus) { queued message } }`
	var res struct{ PushInventoryNow struct{ Queued int } }
	shop := strconv.FormatInt(f.shop, 10)
	c.mustGQL(m, map[string]any{"id": shop, "skus": []string{"gadget"}}, &res)
	if res.PushInventoryNow.Queued != 1 {
		t.Errorf("one SKU: queued %d, want 1", res.PushInventoryNow.Queued)
	}
	var page invPage
	c.mustGQL(invQuery, map[string]any{"f": map[string]any{"storeConnectionId": shop}}, &page)
	rows := rowsByKey(page)
	if rows["Main Shopify/Gadget"].Status != "PENDING" || rows["Main Shopify/Gadget"].Attempts != 0 || rows["Main Shopify/Widget"].Status != "DONE" {
		t.Errorf("after pushing Gadget: %+v", rows)
	}
	ins := asynq.NewInspector(app.RedisOpt)
	defer ins.Close()
	tasks, err := ins.ListPendingTasks("default")
	if err != nil {
		t.Fatal(err)
	}
	var pushes int
	for _, tk := range tasks {
		var p struct {
			AccountID         int64 `json:"account_id"`
			StoreConnectionID int64 `json:"store_connection_id"`
		}
		if tk.Type == "inventory:push" && json.Unmarshal(tk.Payload, &p) == nil && p.AccountID == f.user.AccountID && p.StoreConnectionID == f.shop {
			pushes++
		}
	}
	if pushes == 0 {
		t.Errorf("no inventory:push task for the store among %d pending tasks", len(tasks))
	}

	c.mustGQL(m, map[string]any{"id": shop}, &res)
	if res.PushInventoryNow.Queued != 2 {
		t.Errorf("all SKUs: queued %d, want 2", res.PushInventoryNow.Queued)
	}

	other, opw := fixtureUser(t, app.DB, 0, db.RoleOwner)
	if r := newClient(t, srv.URL).login(other.Email, opw).gql(m, map[string]any{"id": shop}); r.code() != "NOT_FOUND" {
		t.Errorf("another account's store: %+v", r.Errors)
	}
	if r := c.gql(m, map[string]any{"id": shop, "skus": []string{" "}}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("blank SKU: %+v", r.Errors)
	}
}

// TestInventorySettingsThroughGraphQL: the store connection's Inventory sync settings are saved
// through updateStoreConnection, read back on settings.inventory, validated by the settings
// (negative safety stock), and refused where the channel cannot act on them.
func TestInventorySettingsThroughGraphQL(t *testing.T) {
	app, srv := newTestApp(t)
	f := newInventoryFixture(t, app)
	_, c := signIn(t, app, srv, f.user.AccountID, db.RoleOwner)
	const m = `mutation($id: ID!, $inv: InventorySettingsInput) { updateStoreConnection(id: $id, input: {settings: {inventory: $inv}}) {
		settings { inventory { enabled basis location excludeSkus safetyStock } } } }`
	type inv struct {
		Enabled     bool
		Basis       string
		Location    string
		ExcludeSkus []string
		SafetyStock int
	}
	var res struct {
		UpdateStoreConnection struct{ Settings struct{ Inventory inv } }
	}
	shop, woo := strconv.FormatInt(f.shop, 10), strconv.FormatInt(f.woo, 10)
	c.mustGQL(m, map[string]any{"id": shop, "inv": map[string]any{"enabled": true, "basis": "AVAILABLE", "location": " Warehouse ",
		"excludeSkus": []string{"GIFT-CARD", " gift-card ", "SAMPLE"}, "safetyStock": 2}}, &res)
	got := res.UpdateStoreConnection.Settings.Inventory
	if !got.Enabled || got.Basis != "AVAILABLE" || got.Location != "Warehouse" || !slices.Equal(got.ExcludeSkus, []string{"GIFT-CARD", "SAMPLE"}) ||
		got.SafetyStock != 2 {
		t.Errorf("saved: %+v", got)
	}
	// Stored where the detection and the pusher read them.
	sc, err := app.DB.GetStoreConnection(context.Background(), f.user.AccountID, f.shop)
	if err != nil {
		t.Fatal(err)
	}
	var stored struct {
		Inventory struct {
			Enabled     bool
			Basis       string
			SafetyStock int64
		}
	}
	if err := json.Unmarshal(sc.Settings, &stored); err != nil || !stored.Inventory.Enabled || stored.Inventory.Basis != "available" ||
		stored.Inventory.SafetyStock != 2 {
		t.Errorf("stored settings %s (%v)", sc.Settings, err)
	}
	// A partial input leaves the other fields alone.
	c.mustGQL(m, map[string]any{"id": shop, "inv": map[string]any{"safetyStock": 0}}, &res)
	if got := res.UpdateStoreConnection.Settings.Inventory; !got.Enabled || got.Location != "Warehouse" || got.SafetyStock != 0 {
		t.Errorf("after a partial update: %+v", got)
	}

	for name, tc := range map[string]struct {
		id  string
		inv map[string]any
	}{
		"negative safety stock":   {shop, map[string]any{"safetyStock": -1}},
		"location on WooCommerce": {woo, map[string]any{"location": "Warehouse"}},
	} {
		if r := c.gql(m, map[string]any{"id": tc.id, "inv": tc.inv}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	var defaults struct {
		StoreConnection struct{ Settings struct{ Inventory inv } }
	}
	c.mustGQL(`query($id: ID!) { storeConnection(id: $id) { settings { inventory { enabled basis location excludeSkus safetyStock } } } }`,
		map[string]any{"id": woo}, &defaults)
	if d := defaults.StoreConnection.Settings.Inventory; d.Enabled || d.Basis != "ON_HAND" || d.Location != "" || len(d.ExcludeSkus) != 0 || d.SafetyStock != 0 {
		t.Errorf("a connection never set up: %+v", d)
	}
}
