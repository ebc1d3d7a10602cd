package qbosim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fixtures shared by the API tests: an inventory item and a customer.
func (c *connected) inventoryItem(name, sku string, qty float64) string {
	c.t.Helper()
	it := c.ok("POST", "/item?minorversion=75", map[string]any{
		"Name": name, "Sku": sku, "Type": "Inventory", "TrackQtyOnHand": true, "QtyOnHand": qty,
		"InvStartDate":     "2026-01-01",
		"IncomeAccountRef": map[string]any{"value": SalesIncomeAccountID}, "ExpenseAccountRef": map[string]any{"value": COGSAccountID},
		"AssetAccountRef": map[string]any{"value": InventoryAssetAccountID}, "UnitPrice": 10,
	}, "Item")
	return it["Id"].(string)
}

func (c *connected) customer(name string) string {
	c.t.Helper()
	return c.ok("POST", "/customer", map[string]any{"DisplayName": name}, "Customer")["Id"].(string)
}

func saleLine(itemID string, qty, price float64) map[string]any {
	return map[string]any{"Amount": qty * price, "DetailType": "SalesItemLineDetail",
		"SalesItemLineDetail": map[string]any{"ItemRef": map[string]any{"value": itemID}, "Qty": qty, "UnitPrice": price}}
}

func (c *connected) qty(itemID string) float64 {
	c.t.Helper()
	it, err := c.sim.Entity(KindItem, itemID)
	if err != nil {
		c.t.Fatal(err)
	}
	q, _ := num(it["QtyOnHand"])
	return q
}

func TestUnauthorizedIsCassette401(t *testing.T) {
	c := startConnected(t, Options{})
	rec := cassette(t, "error/401.yml")[0]
	c.sim.ExpireAccessTokens()
	resp := c.call("GET", "/customer/1", nil)
	if resp.status != rec.Response.Status.Code {
		t.Fatalf("status %d, want %d", resp.status, rec.Response.Status.Code)
	}
	if got, want := resp.header.Get("Www-Authenticate"), rec.Response.Headers["Www-Authenticate"][0]; got != want {
		t.Errorf("Www-Authenticate %q, want %q", got, want)
	}
	// Intuit-Tid has the recorded form 1-<8 hex>-<24 hex>.
	if tid, want := resp.header.Get("Intuit-Tid"), rec.Response.Headers["Intuit-Tid"][0]; len(tid) != len(want) || tid[:2] != "1-" {
		t.Errorf("Intuit-Tid %q, recorded %q", tid, want)
	}
	got, want := resp.json(t), jsonOf(t, rec.Response.Body.String)
	// The token and the time differ by nature; the rest is the recorded body.
	for _, m := range []map[string]any{got, want} {
		delete(m, "time")
		path(m, "fault", "error", 0).(map[string]any)["detail"] = strings.SplitN(path(m, "fault", "error", 0, "detail").(string), ":", 2)[0]
	}
	if !jsonEqual(got, want) {
		t.Fatalf("401 body\n got %v\nwant %v", got, want)
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// faultOf returns the first Error of a {"Fault":…} body and the fault type.
func faultOf(t *testing.T, body map[string]any) (map[string]any, string) {
	t.Helper()
	e, _ := path(body, "Fault", "Error", 0).(map[string]any)
	if e == nil {
		t.Fatalf("no Fault in %v", body)
	}
	typ, _ := path(body, "Fault", "type").(string)
	return e, typ
}

func TestDuplicateDisplayNameIsCassette6240(t *testing.T) {
	c := startConnected(t, Options{})
	rec := cassette(t, "error/validation.yml")[0]
	c.ok("POST", "/customer", []byte(rec.Request.Body.String), "Customer")
	resp := c.call("POST", "/customer", []byte(rec.Request.Body.String))
	if resp.status != rec.Response.Status.Code {
		t.Fatalf("status %d, want %d: %s", resp.status, rec.Response.Status.Code, resp.body)
	}
	got, want := resp.json(t), jsonOf(t, rec.Response.Body.String)
	delete(got, "time")
	delete(want, "time")
	if !jsonEqual(got, want) {
		t.Fatalf("6240 body\n got %s\nwant %v", resp.body, want)
	}
	// The name space is shared with vendors and employees, without regard to case.
	if r := c.call("POST", "/vendor", map[string]any{"DisplayName": "weiskopf consulting"}); r.status != 400 {
		t.Fatalf("vendor with a customer's name: %d %s", r.status, r.body)
	}
}

func TestCreateInvoiceLikeCassette(t *testing.T) {
	c := startConnected(t, Options{})
	rec := cassette(t, "create/invoice.yml")[0]
	want := jsonOf(t, rec.Response.Body.String)["Invoice"].(map[string]any)
	cust := c.customer("Amy's Bird Sanctuary")
	svc := c.ok("POST", "/item", map[string]any{"Name": "Services", "Type": "Service",
		"IncomeAccountRef": map[string]any{"value": "1"}}, "Item")["Id"].(string)
	body := strings.NewReplacer(`"ItemRef":{"value":"1"`, `"ItemRef":{"value":"`+svc+`"`,
		`"CustomerRef":{"value":"1"}`, `"CustomerRef":{"value":"`+cust+`"}`).Replace(rec.Request.Body.String)
	got := c.ok("POST", "/invoice", []byte(body), "Invoice")
	// Not simulated: online-payment flags, custom fields, addresses the customer does not have.
	notSimulated := map[string]bool{"AllowIPNPayment": true, "AllowOnlinePayment": true, "AllowOnlineCreditCardPayment": true,
		"AllowOnlineACHPayment": true, "CustomField": true, "BillAddr": true, "ShipAddr": true}
	for k := range want {
		if _, ok := got[k]; !ok && !notSimulated[k] {
			t.Errorf("answer lacks %s", k)
		}
	}
	for _, p := range [][]any{{"TotalAmt"}, {"Balance"}, {"SyncToken"}, {"domain"}, {"sparse"},
		{"Line", 0, "Amount"}, {"Line", 0, "SalesItemLineDetail", "TaxCodeRef"}, {"Line", 1}, {"TxnTaxDetail"}, {"LinkedTxn"},
		{"ApplyTaxAfterDiscount"}, {"PrintStatus"}, {"EmailStatus"}, {"Line", 0, "LineNum"}, {"Line", 0, "Id"}} {
		if !jsonEqual(path(got, p...), path(want, p...)) {
			t.Errorf("%v = %v, want %v", p, path(got, p...), path(want, p...))
		}
	}
	// The cassette's DueDate is TxnDate + 30 days (2020-09-29 → 2020-10-29).
	td, _ := time.Parse(time.DateOnly, got["TxnDate"].(string))
	if got["DueDate"] != td.AddDate(0, 0, 30).Format(time.DateOnly) {
		t.Errorf("DueDate %v for TxnDate %v", got["DueDate"], got["TxnDate"])
	}
	if path(got, "CustomerRef", "name") != "Amy's Bird Sanctuary" || got["DocNumber"] == nil {
		t.Errorf("CustomerRef %v DocNumber %v", got["CustomerRef"], got["DocNumber"])
	}
}

func TestUnknownPropertyIsCassette2010(t *testing.T) {
	c := startConnected(t, Options{})
	rec := cassette(t, "error/400_json.yml")[0]
	resp := c.call("POST", "/invoice", []byte(rec.Request.Body.String))
	if resp.status != rec.Response.Status.Code {
		t.Fatalf("status %d", resp.status)
	}
	got, typ := faultOf(t, resp.json(t))
	want, wantType := faultOf(t, jsonOf(t, rec.Response.Body.String))
	if got["Message"] != want["Message"] || got["code"] != want["code"] || typ != wantType {
		t.Fatalf("got %v %s, want %v %s", got, typ, want, wantType)
	}
	// The simulator stops the detail before the list of the 83 known properties.
	if !strings.HasPrefix(want["Detail"].(string), got["Detail"].(string)) {
		t.Fatalf("Detail %q is not a prefix of the recorded %q", got["Detail"], want["Detail"])
	}
}

func TestInvalidIDAndUnknownPathAreCassette500yml(t *testing.T) {
	c := startConnected(t, Options{})
	recs := cassette(t, "error/500.yml")
	resp := c.call("GET", "/customer/1.5", nil)
	got, _ := faultOf(t, resp.json(t))
	want, _ := faultOf(t, jsonOf(t, recs[1].Response.Body.String))
	if resp.status != recs[1].Response.Status.Code || !jsonEqual(got, want) {
		t.Fatalf("invalid id: %d %v, want %v", resp.status, got, want)
	}
	resp = c.call("GET", "/customer/1/5", nil)
	got, _ = faultOf(t, resp.json(t))
	want, _ = faultOf(t, jsonOf(t, recs[0].Response.Body.String))
	if resp.status != recs[0].Response.Status.Code || got["Message"] != want["Message"] || got["code"] != want["code"] {
		t.Fatalf("unknown path: %d %v, want %v", resp.status, got, want)
	}
}

func TestStaleSyncTokenAndUpdates(t *testing.T) {
	c := startConnected(t, Options{UserName: "Christian Pelczarski"})
	item := c.inventoryItem("Design", "DES", 100)
	sr := c.ok("POST", "/salesreceipt", map[string]any{"Line": []any{saleLine(item, 4.5, 75)}}, "SalesReceipt")
	id := sr["Id"].(string)
	// Full update as update/sales_receipt.yml: lines replaced, SyncToken + 1.
	upd := c.ok("POST", "/salesreceipt?minorversion=75&requestid=u1", map[string]any{
		"Id": id, "SyncToken": "0", "Line": []any{saleLine(item, 2, 75)}}, "SalesReceipt")
	if upd["SyncToken"] != "1" || upd["TotalAmt"] != 150.0 {
		t.Fatalf("update: %v %v", upd["SyncToken"], upd["TotalAmt"])
	}
	if q := c.qty(item); q != 98 {
		t.Fatalf("QtyOnHand %v after the update, want 100 - 2", q)
	}
	// A stale SyncToken: the 5010 Fault of batch/basic.yml (same user wording).
	resp := c.call("POST", "/salesreceipt", map[string]any{"Id": id, "SyncToken": "0", "sparse": true, "PrivateNote": "A private note."})
	want := path(jsonOf(t, cassette(t, "batch/basic.yml")[0].Response.Body.String), "BatchItemResponse", 2, "Fault")
	got := resp.json(t)["Fault"]
	if resp.status != 400 || !jsonEqual(got, want) {
		t.Fatalf("stale: %d\n got %v\nwant %v", resp.status, got, want)
	}
	// Sparse update keeps what is not sent.
	sp := c.ok("POST", "/salesreceipt", map[string]any{"Id": id, "SyncToken": "1", "sparse": true, "PrivateNote": "A private note."}, "SalesReceipt")
	if sp["PrivateNote"] != "A private note." || sp["TotalAmt"] != 150.0 || sp["SyncToken"] != "2" {
		t.Fatalf("sparse update: %v", sp)
	}
}

func TestRequestIDReplaysTheOriginalAnswer(t *testing.T) {
	c := startConnected(t, Options{})
	item := c.inventoryItem("Rock Fountain", "RF-1", 10)
	body := map[string]any{"DocNumber": "1001", "Line": []any{saleLine(item, 3, 275)}}
	first := c.call("POST", "/salesreceipt?requestid=order-1001-v1", body)
	second := c.call("POST", "/salesreceipt?requestid=order-1001-v1", body)
	if first.status != 200 || string(first.body) != string(second.body) {
		t.Fatalf("replay differs:\n%s\n%s", first.body, second.body)
	}
	if n := len(c.sim.Txns(KindSalesReceipt, "1001")); n != 1 {
		t.Fatalf("%d sales receipts 1001", n)
	}
	if q := c.qty(item); q != 7 {
		t.Fatalf("QtyOnHand %v, want 10 - 3 once", q)
	}
	if cnt := c.sim.Counts(); cnt.Replays != 1 {
		t.Fatalf("counts %+v", cnt)
	}
	long := strings.Repeat("x", 51)
	if r := c.call("POST", "/salesreceipt?requestid="+long, body); r.status != 400 || !strings.Contains(string(r.body), "more than 50 characters in the request_id") {
		t.Fatalf("51-character requestid: %d %s", r.status, r.body)
	}
}

func TestLostAnswerThenRetryPostsOnce(t *testing.T) {
	c := startConnected(t, Options{})
	item := c.inventoryItem("Pump", "PUMP", 5)
	c.sim.FailNext(1, Injected{Drop: true, PathContains: "/salesreceipt"})
	body := map[string]any{"DocNumber": "2002", "Line": []any{saleLine(item, 1, 12.75)}}
	req, _ := http.NewRequest("POST", c.url+"/v3/company/"+c.sim.Realm()+"/salesreceipt?requestid=r-2002", strings.NewReader(mustJSON(body)))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := c.http.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the answer was not lost: %d", resp.StatusCode)
	}
	retry := c.ok("POST", "/salesreceipt?requestid=r-2002", body, "SalesReceipt")
	if n := len(c.sim.Txns(KindSalesReceipt, "2002")); n != 1 || retry["DocNumber"] != "2002" {
		t.Fatalf("%d sales receipts after a lost answer and a retry", n)
	}
	if q := c.qty(item); q != 4 {
		t.Fatalf("QtyOnHand %v, want 4", q)
	}
	if cnt := c.sim.Counts(); cnt.Lost != 1 || cnt.Replays != 1 {
		t.Fatalf("counts %+v", cnt)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestThrottlingAnswersTheXML429(t *testing.T) {
	c := startConnected(t, Options{RequestsPerMinute: 2, BatchesPerMinute: 1})
	want := string(specFile(t, "errors/too_many_requests_error.xml"))
	c.ok("GET", "/companyinfo/"+c.sim.Realm(), nil, "CompanyInfo")
	c.ok("GET", "/preferences", nil, "Preferences")
	resp := c.call("GET", "/companyinfo/"+c.sim.Realm(), nil)
	if resp.status != http.StatusTooManyRequests || !strings.Contains(resp.header.Get("Content-Type"), "xml") {
		t.Fatalf("third request: %d %s", resp.status, resp.header.Get("Content-Type"))
	}
	// Same document as the recorded body except the time attribute.
	norm := func(s string) string {
		i := strings.Index(s, `time="`)
		j := strings.Index(s[i+6:], `"`)
		return strings.TrimSpace(s[:i] + s[i+6+j+1:])
	}
	if norm(string(resp.body)) != norm(want) {
		t.Fatalf("429 body\n%s\nwant\n%s", resp.body, want)
	}
	c.clock.Advance(61 * time.Second)
	c.ok("GET", "/preferences", nil, "Preferences")
	// 40 batches a minute (1 here).
	batch := map[string]any{"BatchItemRequest": []any{map[string]any{"bId": "q", "Query": "select * from Item"}}}
	c.ok("POST", "/batch", batch, "")
	if r := c.call("POST", "/batch", batch); r.status != 429 {
		t.Fatalf("second batch: %d", r.status)
	}
	// A storm: everything is refused until the clock passes it.
	c.clock.Advance(61 * time.Second)
	c.sim.ThrottleFor(time.Minute)
	if r := c.call("GET", "/preferences", nil); r.status != 429 {
		t.Fatalf("during the storm: %d", r.status)
	}
	c.clock.Advance(time.Minute)
	c.ok("GET", "/preferences", nil, "Preferences")
}

func TestConcurrencyLimit(t *testing.T) {
	th := newThrottle(-1, -1, 2)
	r1, ok1 := th.admit(t0, false)
	_, ok2 := th.admit(t0, false)
	_, ok3 := th.admit(t0, false)
	if !ok1 || !ok2 || ok3 {
		t.Fatalf("admitted %v %v %v with 2 slots", ok1, ok2, ok3)
	}
	r1()
	r1() // releasing twice frees one slot only
	if _, ok := th.admit(t0, false); !ok {
		t.Fatal("a freed slot was not reused")
	}
	if _, ok := th.admit(t0, false); ok {
		t.Fatal("a double release freed two slots")
	}
}

func TestInjected500IsSystemFault(t *testing.T) {
	c := startConnected(t, Options{})
	c.sim.FailNext(1, Injected{Status: 500})
	resp := c.call("GET", "/preferences", nil)
	e, typ := faultOf(t, resp.json(t))
	if resp.status != 500 || typ != "SystemFault" || e["code"] != "10000" {
		t.Fatalf("%d %s", resp.status, resp.body)
	}
	c.ok("GET", "/preferences", nil, "Preferences")
}

func TestInventoryFollowsSalesAndCredits(t *testing.T) {
	c := startConnected(t, Options{})
	item := c.inventoryItem("Red Wine", "REDWINE", 10)
	cust := c.customer("Paulsen Medical Supplies")
	sr := c.ok("POST", "/salesreceipt", map[string]any{"Line": []any{saleLine(item, 3, 20)}}, "SalesReceipt")
	inv := c.ok("POST", "/invoice", map[string]any{"CustomerRef": map[string]any{"value": cust}, "Line": []any{saleLine(item, 2, 20)}}, "Invoice")
	c.ok("POST", "/creditmemo", map[string]any{"CustomerRef": map[string]any{"value": cust}, "Line": []any{saleLine(item, 1, 20)}}, "CreditMemo")
	c.ok("POST", "/refundreceipt", map[string]any{"DepositToAccountRef": map[string]any{"value": CheckingAccountID},
		"Line": []any{saleLine(item, 1, 20)}}, "RefundReceipt")
	if q := c.qty(item); q != 10-3-2+1+1 {
		t.Fatalf("QtyOnHand %v, want 7", q)
	}
	del := c.ok("POST", "/salesreceipt?operation=delete", map[string]any{"Id": sr["Id"], "SyncToken": sr["SyncToken"]}, "SalesReceipt")
	// delete/invoice.yml: {"domain":"QBO","status":"Deleted","Id":…}
	wantDel := jsonOf(t, cassette(t, "delete/invoice.yml")[1].Response.Body.String)["Invoice"].(map[string]any)
	if del["status"] != wantDel["status"] || del["domain"] != wantDel["domain"] || len(del) != len(wantDel) {
		t.Fatalf("delete answer %v, want the shape of %v", del, wantDel)
	}
	if q := c.qty(item); q != 10 {
		t.Fatalf("QtyOnHand %v after deleting the sales receipt, want 10", q)
	}
	// void/invoice.yml: amounts 0, PrivateNote "Voided", SyncToken + 1; the stock comes back.
	v := c.ok("POST", "/invoice?operation=void", map[string]any{"Id": inv["Id"], "SyncToken": inv["SyncToken"]}, "Invoice")
	if v["TotalAmt"] != 0.0 || v["Balance"] != 0.0 || v["PrivateNote"] != "Voided" || v["SyncToken"] != "1" {
		t.Fatalf("voided invoice %v", v)
	}
	if q := c.qty(item); q != 12 {
		t.Fatalf("QtyOnHand %v after the void, want 12", q)
	}
}

func TestPaymentLinksInvoice(t *testing.T) {
	c := startConnected(t, Options{})
	item := c.ok("POST", "/item", map[string]any{"Name": "Design", "Type": "Service", "IncomeAccountRef": map[string]any{"value": "1"}}, "Item")["Id"].(string)
	cust := c.customer("Red Rock Diner")
	inv := c.ok("POST", "/invoice", map[string]any{"CustomerRef": map[string]any{"value": cust}, "Line": []any{saleLine(item, 4, 25)}}, "Invoice")
	pay := c.ok("POST", "/payment", map[string]any{"CustomerRef": map[string]any{"value": cust}, "TotalAmt": 40,
		"Line": []any{map[string]any{"Amount": 40, "LinkedTxn": []any{map[string]any{"TxnId": inv["Id"], "TxnType": "Invoice"}}}}}, "Payment")
	got, _ := c.sim.Entity(KindInvoice, inv["Id"].(string))
	if got["Balance"] != 60.0 || !jsonEqual(got["LinkedTxn"], []any{map[string]any{"TxnId": pay["Id"], "TxnType": "Payment"}}) {
		t.Fatalf("invoice after payment: Balance %v LinkedTxn %v", got["Balance"], got["LinkedTxn"])
	}
	if r := c.call("POST", "/payment", map[string]any{"CustomerRef": map[string]any{"value": cust}, "TotalAmt": 70,
		"Line": []any{map[string]any{"Amount": 70, "LinkedTxn": []any{map[string]any{"TxnId": inv["Id"], "TxnType": "Invoice"}}}}}); r.status != 400 {
		t.Fatalf("overpaying the invoice: %d", r.status)
	}
	// Voiding the payment gives the invoice its balance back.
	c.ok("POST", "/payment?operation=void", map[string]any{"Id": pay["Id"], "SyncToken": pay["SyncToken"]}, "Payment")
	got, _ = c.sim.Entity(KindInvoice, inv["Id"].(string))
	if got["Balance"] != 100.0 || len(got["LinkedTxn"].([]any)) != 0 {
		t.Fatalf("invoice after the payment was voided: Balance %v LinkedTxn %v", got["Balance"], got["LinkedTxn"])
	}
}

func TestLineAmountMustEqualQtyTimesPrice(t *testing.T) {
	c := startConnected(t, Options{})
	item := c.inventoryItem("Concrete", "CON", 50)
	line := saleLine(item, 4, 9.5)
	line["Amount"] = 38.01
	resp := c.call("POST", "/salesreceipt", map[string]any{"Line": []any{line}})
	if e, _ := faultOf(t, resp.json(t)); resp.status != 400 || e["code"] != "6070" {
		t.Fatalf("%d %s", resp.status, resp.body)
	}
	if q := c.qty(item); q != 50 {
		t.Fatalf("a refused sale moved stock: %v", q)
	}
}

func TestSKUPreferenceOff(t *testing.T) {
	c := startConnected(t, Options{SKUDisabled: true})
	id := c.inventoryItem("Garden Rocks", "ROCKS", 8)
	it, _ := c.sim.Entity(KindItem, id)
	if _, has := it["Sku"]; has {
		t.Fatalf("Sku kept with the preference off: %v", it)
	}
	res := c.ok("GET", "/query?query="+url.QueryEscape("select * from Item where Sku = 'ROCKS'"), nil, "QueryResponse")
	if len(res) != 0 {
		t.Fatalf("query by Sku with SKUs off: %v", res)
	}
	prefs := c.ok("GET", "/preferences", nil, "Preferences")
	if !strings.Contains(mustJSON(prefs), `"Value":"false"`) {
		t.Fatalf("preferences do not show the SKU switch off: %v", prefs)
	}
}

// TestZeroPaymentAppliesCreditMemo: a Payment of 0 whose lines link an invoice and a credit
// memo for the same amount applies that much of the credit to the invoice (the Payment page:
// "applied … against multiple Invoices and Credit Memos"); more credit than the invoices it
// pays is refused, and voiding the payment gives both their balances back.
func TestZeroPaymentAppliesCreditMemo(t *testing.T) {
	c := startConnected(t, Options{})
	item := c.ok("POST", "/item", map[string]any{"Name": "Design", "Type": "Service", "IncomeAccountRef": map[string]any{"value": "1"}}, "Item")["Id"].(string)
	cust := c.customer("Red Rock Diner")
	inv := c.ok("POST", "/invoice", map[string]any{"CustomerRef": map[string]any{"value": cust}, "Line": []any{saleLine(item, 4, 25)}}, "Invoice")
	cm := c.ok("POST", "/creditmemo", map[string]any{"CustomerRef": map[string]any{"value": cust}, "Line": []any{saleLine(item, 1, 25)}}, "CreditMemo")
	link := func(amount float64, id any, kind string) map[string]any {
		return map[string]any{"Amount": amount, "LinkedTxn": []any{map[string]any{"TxnId": id, "TxnType": kind}}}
	}
	if r := c.call("POST", "/payment", map[string]any{"CustomerRef": map[string]any{"value": cust}, "TotalAmt": 0,
		"Line": []any{link(10, inv["Id"], "Invoice"), link(20, cm["Id"], "CreditMemo")}}); r.status != 400 {
		t.Fatalf("applying more credit than the invoice lines pay: %d", r.status)
	}
	pay := c.ok("POST", "/payment", map[string]any{"CustomerRef": map[string]any{"value": cust}, "TotalAmt": 0,
		"Line": []any{link(25, inv["Id"], "Invoice"), link(25, cm["Id"], "CreditMemo")}}, "Payment")
	gotInv, _ := c.sim.Entity(KindInvoice, inv["Id"].(string))
	gotCM, _ := c.sim.Entity(KindCreditMemo, cm["Id"].(string))
	if gotInv["Balance"] != 75.0 || gotCM["Balance"] != 0.0 || gotCM["RemainingCredit"] != 0.0 || pay["UnappliedAmt"] != 0.0 {
		t.Fatalf("after applying 25 of credit: invoice balance %v, credit memo balance %v remaining %v, unapplied %v",
			gotInv["Balance"], gotCM["Balance"], gotCM["RemainingCredit"], pay["UnappliedAmt"])
	}
	c.ok("POST", "/payment?operation=void", map[string]any{"Id": pay["Id"], "SyncToken": pay["SyncToken"]}, "Payment")
	gotInv, _ = c.sim.Entity(KindInvoice, inv["Id"].(string))
	gotCM, _ = c.sim.Entity(KindCreditMemo, cm["Id"].(string))
	if gotInv["Balance"] != 100.0 || gotCM["Balance"] != 25.0 {
		t.Fatalf("after the void: invoice balance %v, credit memo balance %v", gotInv["Balance"], gotCM["Balance"])
	}
}
