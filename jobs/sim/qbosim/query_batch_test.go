package qbosim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func (c *connected) query(stmt string) map[string]any {
	c.t.Helper()
	return c.ok("GET", "/query?minorversion=75&query="+url.QueryEscape(stmt), nil, "QueryResponse")
}

func TestQuerySubset(t *testing.T) {
	c := startConnected(t, Options{})
	a := c.inventoryItem("Alpha", "a", 1)
	b := c.inventoryItem("Beta", "b", 2)
	c.inventoryItem("Gamma", "g", 3)
	res := c.query("select * from Item where Sku in ('a','B')")
	if ids := idsOf(res["Item"]); ids != a+","+b || res["startPosition"] != 1.0 || res["maxResults"] != 2.0 {
		t.Fatalf("Sku in: %v", res)
	}
	if n := c.query("SELECT COUNT(*) FROM Item")["totalCount"]; n != 3.0 {
		t.Fatalf("count %v", n)
	}
	// Paging as all/sales_receipts.yml asks it (MAXRESULTS before STARTPOSITION).
	if res := c.query("SELECT * FROM Item MAXRESULTS 2 STARTPOSITION 2"); idsOf(res["Item"]) != b+",3" {
		t.Fatalf("page: %v", res)
	}
	// Empty result: QueryResponse without the entity key.
	if res := c.query("select * from Item where Name = 'nope'"); len(res) != 0 {
		t.Fatalf("empty: %v", res)
	}
	// Inactive items appear only when the query asks for Active.
	it, _ := c.sim.Entity(KindItem, b)
	c.ok("POST", "/item", map[string]any{"Id": b, "SyncToken": it["SyncToken"], "sparse": true, "Active": false}, "Item")
	if res := c.query("select * from Item"); idsOf(res["Item"]) != a+",3" {
		t.Fatalf("inactive shown: %v", idsOf(res["Item"]))
	}
	if res := c.query("select * from Item where Active in (true, false)"); idsOf(res["Item"]) != a+","+b+",3" {
		t.Fatalf("Active in (true,false): %v", idsOf(res["Item"]))
	}
	// Escaped apostrophe, DisplayName, DocNumber, MetaData.LastUpdatedTime.
	cust := c.customer("Amy's Bird Sanctuary")
	if res := c.query(`select * from Customer where DisplayName = 'Amy\'s Bird Sanctuary'`); idsOf(res["Customer"]) != cust {
		t.Fatalf("DisplayName: %v", res)
	}
	c.clock.Advance(30 * time.Minute)
	c.ok("POST", "/salesreceipt", map[string]any{"DocNumber": "W-1001", "Line": []any{saleLine(a, 1, 10)}}, "SalesReceipt")
	if res := c.query("select * from SalesReceipt where DocNumber = 'W-1001'"); len(res["SalesReceipt"].([]any)) != 1 {
		t.Fatalf("DocNumber: %v", res)
	}
	since := stamp(t0.Add(15 * time.Minute))
	res = c.query("select * from Item where MetaData.LastUpdatedTime > '" + since + "'")
	if idsOf(res["Item"]) != a { // the sale moved Alpha's stock after half an hour
		t.Fatalf("LastUpdatedTime > %s: %v", since, idsOf(res["Item"]))
	}
}

func idsOf(v any) string {
	var ids []string
	for _, o := range v.([]any) {
		ids = append(ids, o.(map[string]any)["Id"].(string))
	}
	return strings.Join(ids, ",")
}

func TestQueryErrorsAreCassette4001(t *testing.T) {
	c := startConnected(t, Options{})
	rec := cassette(t, "error/400.yml")[1]
	u, _ := url.Parse(rec.Request.URI)
	resp := c.call("GET", "/query?"+u.RawQuery, nil)
	got, _ := faultOf(t, resp.json(t))
	want, _ := faultOf(t, jsonOf(t, rec.Response.Body.String))
	if resp.status != rec.Response.Status.Code || !jsonEqual(got, want) {
		t.Fatalf("%d %v, want %v", resp.status, got, want)
	}
	// query_validation_error.xml's detail for STARTPOSITION 0.
	resp = c.call("GET", "/query?query="+url.QueryEscape("select * from Item startposition 0"), nil)
	got, _ = faultOf(t, resp.json(t))
	if got["code"] != "4001" || got["Detail"] != "QueryValidationError: value 0 is too small. Min allowed value is 1" {
		t.Fatalf("startposition 0: %v", got)
	}
	for _, stmt := range []string{"select * from Item where Name = 'a' or Name = 'b'", "select Name from Item", "select * from Item where Id > '3'"} {
		if r := c.call("GET", "/query?query="+url.QueryEscape(stmt), nil); r.status != 400 {
			t.Errorf("%s: %d", stmt, r.status)
		}
	}
}

func TestBatchLikeCassette(t *testing.T) {
	c := startConnected(t, Options{UserName: "Christian Pelczarski"})
	rec := cassette(t, "batch/basic.yml")[0]
	want := jsonOf(t, rec.Response.Body.String)["BatchItemResponse"].([]any)
	// The sandbox had sales receipt 11 at SyncToken 1 and no invoice 129.
	item := c.inventoryItem("Design", "DES", 500)
	for range 11 {
		c.ok("POST", "/salesreceipt", map[string]any{"Line": []any{saleLine(item, 4.5, 75)}}, "SalesReceipt") // 337.50 > 300, as bid4 finds
	}
	sr, _ := c.sim.Entity(KindSalesReceipt, "11")
	c.ok("POST", "/salesreceipt", map[string]any{"Id": "11", "SyncToken": sr["SyncToken"], "sparse": true, "PrivateNote": "x"}, "SalesReceipt")
	got := c.ok("POST", "/batch", []byte(rec.Request.Body.String), "")["BatchItemResponse"].([]any)
	if len(got) != len(want) {
		t.Fatalf("%d answers, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i].(map[string]any), got[i].(map[string]any)
		if g["bId"] != w["bId"] {
			t.Fatalf("item %d bId %v, want %v", i, g["bId"], w["bId"])
		}
		for k := range w {
			if _, ok := g[k]; !ok {
				t.Errorf("bId %v: answer lacks %s: %v", w["bId"], k, g)
			}
		}
		if wf, ok := w["Fault"]; ok && !jsonEqual(g["Fault"], wf) {
			t.Errorf("bId %v Fault\n got %v\nwant %v", w["bId"], g["Fault"], wf)
		}
	}
	if path(got[0], "Vendor", "DisplayName") != "Boraski Family Store" || path(got[3], "QueryResponse", "SalesReceipt") == nil {
		t.Fatalf("answers %v", got)
	}
}

func TestBatchItemsDoNotSeeEachOther(t *testing.T) {
	c := startConnected(t, Options{})
	item := c.inventoryItem("Pump", "PUMP", 10)
	// Customer ids are sequential from 1 in a fresh company: the invoice names the one the batch creates.
	batch := map[string]any{"BatchItemRequest": []any{
		map[string]any{"bId": "c1", "operation": "create", "Customer": map[string]any{"DisplayName": "New Customer"}},
		map[string]any{"bId": "i1", "operation": "create", "Invoice": map[string]any{"CustomerRef": map[string]any{"value": "1"},
			"Line": []any{saleLine(item, 1, 22.5)}}},
		map[string]any{"bId": "q1", "Query": "select * from Customer"},
	}}
	got := c.ok("POST", "/batch?requestid=batch-1", batch, "")["BatchItemResponse"].([]any)
	if path(got[0], "Customer", "Id") != "1" || path(got[1], "Fault", "Error", 0, "code") != "2500" || len(path(got[2], "QueryResponse").(map[string]any)) != 0 {
		t.Fatalf("answers %v", got)
	}
	if q := c.qty(item); q != 10 {
		t.Fatalf("a refused invoice moved stock: %v", q)
	}
	// The same requestid and bIds: the original answers, nothing created twice.
	again := c.ok("POST", "/batch?requestid=batch-1", batch, "")["BatchItemResponse"].([]any)
	if !jsonEqual(again[0], got[0]) || !jsonEqual(again[1], got[1]) {
		t.Fatalf("replay differs:\n%v\n%v", again, got)
	}
	if n := c.query("select count(*) from Customer")["totalCount"]; n != 1.0 {
		t.Fatalf("%v customers after the replay", n)
	}
	// Over 30 items: refused as a whole.
	var items []any
	for i := range 31 {
		items = append(items, map[string]any{"bId": string(rune('a' + i%26)), "Query": "select * from Item"})
	}
	if r := c.call("POST", "/batch", map[string]any{"BatchItemRequest": items}); r.status != 400 {
		t.Fatalf("31 items: %d", r.status)
	}
	// With a requestid, a bId may have 10 characters at most.
	long := map[string]any{"BatchItemRequest": []any{map[string]any{"bId": "b-123456789", "Query": "select * from Item"}}}
	if f := path(c.ok("POST", "/batch?requestid=r2", long, "")["BatchItemResponse"], 0, "Fault", "Error", 0, "code"); f != "6000" {
		t.Fatalf("11-character bId: %v", f)
	}
}

func TestCDC(t *testing.T) {
	c := startConnected(t, Options{})
	item := c.inventoryItem("Rocks", "ROCKS", 20)
	cust := c.customer("Geeta Kalapatapu")
	c.clock.Advance(20 * time.Minute)
	since := c.clock.Now()
	c.clock.Advance(time.Minute)
	inv := c.ok("POST", "/invoice", map[string]any{"CustomerRef": map[string]any{"value": cust}, "Line": []any{saleLine(item, 8, 22.5)}}, "Invoice")
	c.ok("POST", "/invoice?operation=delete", map[string]any{"Id": inv["Id"], "SyncToken": inv["SyncToken"]}, "Invoice")
	sr := c.ok("POST", "/salesreceipt", map[string]any{"Line": []any{saleLine(item, 2, 22.5)}}, "SalesReceipt")
	body := c.ok("GET", "/cdc?entities=item,Invoice,SalesReceipt,Customer&changedSince="+url.QueryEscape(stamp(since)), nil, "")
	// cdc/basic.yml: CDCResponse[0].QueryResponse[] of {Kind:[…],startPosition,maxResults}.
	groups := path(body, "CDCResponse", 0, "QueryResponse").([]any)
	if len(groups) != 3 { // Customer did not change
		t.Fatalf("groups %v", groups)
	}
	if it := path(groups[0], "Item", 0); path(it, "QtyOnHand") != 18.0 || path(groups[0], "startPosition") != 1.0 {
		t.Fatalf("item group %v", groups[0])
	}
	if del := path(groups[1], "Invoice", 0); path(del, "status") != "Deleted" || path(del, "Id") != inv["Id"] || path(del, "MetaData", "LastUpdatedTime") == nil {
		t.Fatalf("deleted invoice %v", groups[1])
	}
	if path(groups[2], "SalesReceipt", 0, "Id") != sr["Id"] {
		t.Fatalf("sales receipt group %v", groups[2])
	}
	// No changes: [{}] ("No Changes Response").
	c.clock.Advance(20 * time.Minute)
	none := c.ok("GET", "/cdc?entities=Item&changedSince="+url.QueryEscape(stamp(c.clock.Now())), nil, "")
	if !jsonEqual(path(none, "CDCResponse", 0, "QueryResponse"), []any{map[string]any{}}) {
		t.Fatalf("no changes: %v", none)
	}
	// More than 30 days back is refused.
	old := c.call("GET", "/cdc?entities=Item&changedSince="+url.QueryEscape(stamp(c.clock.Now().AddDate(0, 0, -31))), nil)
	if e, _ := faultOf(t, old.json(t)); old.status != 400 || !strings.Contains(e["Detail"].(string), "older than fixed days") {
		t.Fatalf("31 days back: %d %s", old.status, old.body)
	}
}

func TestWebhooksAreSignedAndRetried(t *testing.T) {
	const verifier = "a1b2c3-verifier-token"
	var mu sync.Mutex
	var bodies [][]byte
	var sigs []string
	got := make(chan struct{}, 10)
	fail := true
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies, sigs = append(bodies, b), append(sigs, r.Header.Get("intuit-signature"))
		first := fail
		fail = false
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusServiceUnavailable) // retried, as Intuit retries 503
		}
		got <- struct{}{}
	}))
	t.Cleanup(hook.Close)
	c := startConnected(t, Options{WebhookURL: hook.URL, WebhookVerifier: verifier, WebhookRetryDelays: []time.Duration{0}})
	c.inventoryItem("Red Wine", "REDWINE", 5)
	<-got
	<-got
	for deadline := time.Now().Add(10 * time.Second); len(c.sim.WebhookDeliveries()) < 2 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // the simulator records the attempt after the receiver answered
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 2 || string(bodies[0]) != string(bodies[1]) {
		t.Fatalf("deliveries %q", bodies)
	}
	// The develop_webhooks.md check, computed here independently.
	mac := hmac.New(sha256.New, []byte(verifier))
	mac.Write(bodies[1])
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); sigs[1] != want {
		t.Fatalf("intuit-signature %q, want %q", sigs[1], want)
	}
	p := jsonOf(t, string(bodies[1]))
	if path(p, "eventNotifications", 0, "realmId") != c.sim.Realm() ||
		path(p, "eventNotifications", 0, "dataChangeEvent", "entities", 0, "name") != "Item" ||
		path(p, "eventNotifications", 0, "dataChangeEvent", "entities", 0, "operation") != "Create" {
		t.Fatalf("payload %s", bodies[1])
	}
	if ds := c.sim.WebhookDeliveries(); len(ds) != 2 || ds[0].Status != 503 || ds[1].Attempt != 2 {
		t.Fatalf("deliveries %+v", ds)
	}
}

func TestCompanyFileKeepsEntitiesAndReplies(t *testing.T) {
	file := filepath.Join(t.TempDir(), "qbo.json")
	sim, err := Open(Options{File: file, Clock: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	it, err := sim.Create(KindItem, Object{"Name": "Widget", "Type": "NonInventory", "Sku": "W-1"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Open(Options{File: file, Clock: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	got, err := again.ItemBySku("W-1")
	if err != nil || got["Id"] != it["Id"] {
		t.Fatalf("reopened: %v %v", got, err)
	}
	if _, err := again.Create(KindItem, Object{"Name": "widget", "Type": "NonInventory"}); err == nil {
		t.Fatal("a duplicate item name was accepted after reopening")
	}
}
