package shipstationsim

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPaging(t *testing.T) {
	e := start(t, Options{})
	e.sim.Generate(1200, 7)
	seen := map[int64]bool{}
	var last int64
	for page := 1; page <= 3; page++ {
		var l orderList
		e.must("GET", fmt.Sprintf("/orders?page=%d&pageSize=500", page), nil, &l)
		want := 500
		if page == 3 {
			want = 200
		}
		if len(l.Orders) != want || l.Total != 1200 || l.Pages != 3 || l.Page != page {
			t.Fatalf("page %d: %d orders, total %d, pages %d, page %d", page, len(l.Orders), l.Total, l.Pages, l.Page)
		}
		for _, o := range l.Orders {
			if seen[o.OrderID] {
				t.Fatalf("order %d on two pages", o.OrderID)
			}
			if o.OrderID <= last {
				t.Fatalf("default order is not ascending orderId: %d after %d", o.OrderID, last)
			}
			seen[o.OrderID], last = true, o.OrderID
		}
	}
	for _, o := range e.sim.Orders() {
		if !seen[o.OrderID] {
			t.Fatalf("order %d missing from the pages", o.OrderID)
		}
	}
	var l orderList
	e.must("GET", "/orders?page=4&pageSize=500", nil, &l)
	if len(l.Orders) != 0 || l.Total != 1200 || l.Pages != 3 {
		t.Fatalf("page past the end: %d orders, total %d, pages %d", len(l.Orders), l.Total, l.Pages)
	}
	e.must("GET", "/orders?pageSize=5000", nil, &l)
	if len(l.Orders) != 500 || l.Pages != 3 {
		t.Fatalf("pageSize 5000 is capped at 500: got %d orders, %d pages", len(l.Orders), l.Pages)
	}
	e.must("GET", "/orders", nil, &l)
	if len(l.Orders) != 100 || l.Pages != 12 || l.Page != 1 {
		t.Fatalf("defaults: %d orders, %d pages, page %d", len(l.Orders), l.Pages, l.Page)
	}
}

func TestOrderFilters(t *testing.T) {
	e := start(t, Options{})
	woo := e.sim.Stores()[1]
	sent := map[string]Order{}
	mk := func(number, status, name string, store int64) {
		o := newOrder(number, "key-"+number, status)
		o.ShipTo.Name = name
		if store != 0 {
			o.AdvancedOptions = &AdvancedOptions{StoreID: ptr(store)}
		}
		e.createOne(o)
		sent[number] = o
		e.clock.Advance(time.Hour)
	}
	mk("1001", StatusAwaitingShipment, "Olivia Martinez", 0)   // 09:30 PDT
	mk("1002", StatusAwaitingPayment, "山田 太郎", woo.StoreID)    // 10:30
	mk("10030", StatusOnHold, "Иван Петров", woo.StoreID)      // 11:30
	mk("2001", StatusAwaitingShipment, "Olivia Martin", 0)     // 12:30
	mk("WEB-1001", StatusCancelled, "José Núñez", woo.StoreID) // 13:30
	// 14:30: touch 1001 so its modifyDate is the newest.
	e.createOne(sent["1001"])

	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"no filter, ascending orderId", "", []string{"1001", "1002", "10030", "2001", "WEB-1001"}},
		{"orderNumber starts with", "orderNumber=100", []string{"1001", "1002", "10030"}},
		{"orderNumber is a prefix match, not contains", "orderNumber=1001", []string{"1001"}},
		{"orderNumber prefix ignores case", "orderNumber=web-", []string{"WEB-1001"}},
		{"orderStatus", "orderStatus=awaiting_shipment", []string{"1001", "2001"}},
		{"storeId", fmt.Sprintf("storeId=%d", woo.StoreID), []string{"1002", "10030", "WEB-1001"}},
		{"manual store", fmt.Sprintf("storeId=%d", ManualStoreID), []string{"1001", "2001"}},
		{"storeId and status", fmt.Sprintf("storeId=%d&orderStatus=on_hold", woo.StoreID), []string{"10030"}},
		{"modifyDateStart is inclusive and Pacific", "modifyDateStart=" + url.QueryEscape("2026-03-10 12:30:00"), []string{"1001", "2001", "WEB-1001"}},
		{"modifyDateEnd", "modifyDateEnd=" + url.QueryEscape("2026-03-10 11:30:00"), []string{"1002", "10030"}},
		{"createDate window", "createDateStart=" + url.QueryEscape("2026-03-10 10:00:00") + "&createDateEnd=" + url.QueryEscape("2026-03-10 12:00:00"), []string{"1002", "10030"}},
		{"customerName contains", "customerName=olivia", []string{"1001", "2001"}},
		{"customerName non-Latin", "customerName=" + url.QueryEscape("山田"), []string{"1002"}},
		{"itemKeyword", "itemKeyword=wid", []string{"1001", "1002", "10030", "2001", "WEB-1001"}},
		{"sort by ModifyDate DESC", "sortBy=ModifyDate&sortDir=DESC", []string{"1001", "WEB-1001", "2001", "10030", "1002"}},
		{"sort by CreateDate ASC", "sortBy=CreateDate", []string{"1001", "1002", "10030", "2001", "WEB-1001"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l orderList
			e.must("GET", "/orders?"+tc.query, nil, &l)
			var got []string
			for _, o := range l.Orders {
				got = append(got, o.OrderNumber)
			}
			if !slices.Equal(got, tc.want) || l.Total != len(tc.want) {
				t.Fatalf("got %v (total %d), want %v", got, l.Total, tc.want)
			}
		})
	}
}

func TestCreateOrdersUpsert(t *testing.T) {
	e := start(t, Options{})
	post := func(orders []Order) CreateOrdersResponse {
		t.Helper()
		var resp CreateOrdersResponse
		e.must("POST", "/orders/createorders", orders, &resp)
		return resp
	}

	// Create.
	resp := post([]Order{newOrder("QB-1", "qb-1", StatusAwaitingShipment), newOrder("QB-2", "qb-2", StatusAwaitingShipment)})
	if resp.HasErrors || len(resp.Results) != 2 || !resp.Results[0].Success || resp.Results[0].ErrorMessage != nil || resp.Results[0].OrderID == 0 {
		t.Fatalf("create: %+v", resp)
	}
	created, _ := e.sim.OrderByKey("qb-1")

	// Update by orderKey: same order, new content, createDate kept.
	e.clock.Advance(time.Minute)
	upd := newOrder("QB-1-REV", "qb-1", StatusOnHold)
	upd.Items[0].Quantity = 5
	upd.Items = append(upd.Items, Item{SKU: ptr("GAD-2"), Name: "Gadget", Quantity: 1, UnitPrice: 20})
	resp = post([]Order{upd})
	if resp.HasErrors || resp.Results[0].OrderID != created.OrderID {
		t.Fatalf("update: %+v", resp)
	}
	got, _ := e.sim.OrderByKey("qb-1")
	if got.OrderNumber != "QB-1-REV" || got.OrderStatus != StatusOnHold || got.CreateDate != created.CreateDate || got.ModifyDate == created.ModifyDate {
		t.Fatalf("updated order = %s %s created %s modified %s", got.OrderNumber, got.OrderStatus, got.CreateDate, got.ModifyDate)
	}
	if got.Items[0].OrderItemID != created.Items[0].OrderItemID || got.Items[0].Quantity != 5 || len(got.Items) != 2 {
		t.Fatalf("items: lineItemKey should keep orderItemId; got %+v", got.Items)
	}
	if want := round2(5*9.5 + 20 + 1.52 + 4.99); got.OrderTotal != want {
		t.Fatalf("orderTotal = %v, want %v", got.OrderTotal, want)
	}
	if len(e.sim.Orders()) != 2 {
		t.Fatalf("%d orders after an update, want 2", len(e.sim.Orders()))
	}

	// storeId can only be set at creation.
	moved := newOrder("QB-1-REV", "qb-1", StatusOnHold)
	moved.AdvancedOptions = &AdvancedOptions{StoreID: ptr(e.sim.Stores()[1].StoreID)}
	post([]Order{moved})
	if got, _ := e.sim.OrderByKey("qb-1"); got.StoreID() != ManualStoreID {
		t.Fatalf("update moved the order to store %d", got.StoreID())
	}

	// Shipped and cancelled orders are locked: per-order failure inside a 200.
	if _, err := e.sim.Ship(created.OrderID, "ups", "ups_ground", "", 9.1); err != nil {
		t.Fatal(err)
	}
	cancel := newOrder("QB-2", "qb-2", StatusCancelled)
	post([]Order{cancel}) // open → cancelled is allowed
	before, _ := e.sim.OrderByKey("qb-1")
	r := e.do("POST", "/orders/createorders", []Order{
		newOrder("QB-1", "qb-1", StatusAwaitingShipment),
		newOrder("QB-2", "qb-2", StatusAwaitingShipment),
		newOrder("QB-3", "qb-3", StatusAwaitingShipment),
	})
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	r.decode(t, &resp)
	if !resp.HasErrors || resp.Results[0].Success || resp.Results[1].Success || !resp.Results[2].Success {
		t.Fatalf("locked results: %s", r.body)
	}
	for _, res := range resp.Results[:2] {
		if res.ErrorMessage == nil || !strings.Contains(*res.ErrorMessage, "can be updated") || res.OrderID == 0 {
			t.Fatalf("locked result: %+v", res)
		}
	}
	if after, _ := e.sim.OrderByKey("qb-1"); after.ModifyDate != before.ModifyDate || after.OrderStatus != StatusShipped {
		t.Fatal("a locked order changed")
	}
	// createorder (single) refuses the same update with a 400.
	if r := e.do("POST", "/orders/createorder", newOrder("QB-1", "qb-1", StatusAwaitingShipment)); r.status != 400 ||
		!strings.Contains(string(r.body), `"Message":"The request is invalid.","ModelState":{"apiOrder":[`) {
		t.Fatalf("createorder on a shipped order: %d %s", r.status, r.body)
	}

	// Omitted orderKey: a new order with a generated key, every time.
	a, b := newOrder("NOKEY", "", StatusAwaitingShipment), newOrder("NOKEY", "", StatusAwaitingShipment)
	resp = post([]Order{a, b})
	k := regexp.MustCompile(`^[0-9a-f]{32}$`)
	if !k.MatchString(resp.Results[0].OrderKey) || resp.Results[0].OrderKey == resp.Results[1].OrderKey || resp.Results[0].OrderID == resp.Results[1].OrderID {
		t.Fatalf("generated keys: %+v", resp.Results)
	}

	// More than 100 orders: the whole request is refused.
	many := make([]Order, 101)
	for i := range many {
		many[i] = newOrder(fmt.Sprint("B-", i), fmt.Sprint("b-", i), StatusAwaitingShipment)
	}
	r = e.do("POST", "/orders/createorders", many)
	if r.status != http.StatusBadRequest || !strings.HasPrefix(string(r.body), `{"Message":"The request is invalid.","ModelState":{"apiOrders":[`) {
		t.Fatalf("101 orders: %d %s", r.status, r.body)
	}
	if _, ok := e.sim.OrderByKey("b-0"); ok {
		t.Fatal("a refused batch created orders")
	}
	if r := e.do("POST", "/orders/createorders", many[:100]); r.status != 200 {
		t.Fatalf("100 orders: %d", r.status)
	}
}

func TestCreateOrderValidation(t *testing.T) {
	e := start(t, Options{})
	valid := `{"orderNumber":"V-1","orderDate":"2026-03-01","orderStatus":"awaiting_shipment","billTo":{"name":"A"},"shipTo":{"name":"A"}}`
	tests := []struct {
		name, path, contentType, body string
		status                        int
		want                          string
	}{
		{"valid", "/orders/createorder", "application/json", valid, 200, `"orderNumber":"V-1"`},
		{"array to createorder", "/orders/createorder", "application/json", "[" + valid + "]", 400,
			`{"Message":"The request is invalid.","ModelState":{"apiOrder":["Cannot deserialize the current JSON array (e.g. [1,2,3]) into type 'SS.OpenApi.Models.Orders.Order'`},
		{"object to createorders", "/orders/createorders", "application/json", valid, 400, `"ModelState":{"apiOrders":["Cannot deserialize the current JSON object`},
		{"missing orderNumber", "/orders/createorder", "application/json", strings.Replace(valid, `"V-1"`, `""`, 1), 400, `"apiOrder.orderNumber":["The orderNumber field is required."]`},
		{"missing shipTo", "/orders/createorder", "application/json", strings.Replace(valid, `,"shipTo":{"name":"A"}`, ``, 1), 400, `"apiOrder.shipTo"`},
		{"bad orderDate", "/orders/createorder", "application/json", strings.Replace(valid, `"2026-03-01"`, `"soon"`, 1), 400, `"apiOrder.orderDate":["Could not convert string to DateTime: soon.`},
		{"bad status", "/orders/createorder", "application/json", strings.Replace(valid, `awaiting_shipment`, `lost`, 1), 400, `"apiOrder.orderStatus"`},
		{"fractional quantity", "/orders/createorder", "application/json", strings.Replace(valid, `"billTo"`, `"items":[{"name":"x","quantity":1.5}],"billTo"`, 1), 400, `"apiOrder.items.quantity"`},
		{"bad index in createorders", "/orders/createorders", "application/json", "[" + valid + "," + strings.Replace(valid, `"V-1"`, `""`, 1) + "]", 400, `"apiOrders[1].orderNumber"`},
		{"unknown store", "/orders/createorder", "application/json", strings.Replace(valid, `"billTo"`, `"advancedOptions":{"storeId":1},"billTo"`, 1), 400, `Store 1 does not exist`},
		{"not JSON", "/orders/createorder", "text/plain", valid, 415, `"Message":"The request entity's media type 'text/plain' is not supported for this resource."`},
		{"no content type", "/orders/createorder", "", valid, 415, `"Message":"The request entity's media type 'application/octet-stream' is not supported for this resource."`},
		{"empty body", "/orders/createorder", "application/json", "", 400, `"apiOrder":["The apiOrder field is required."]`},
		{"syntax error", "/orders/createorder", "application/json", `{"orderNumber":`, 400, `"apiOrder":[`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.url+tc.path, strings.NewReader(tc.body))
			req.SetBasicAuth(DefaultAPIKey, DefaultAPISecret)
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, err := e.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var sb strings.Builder
			_, _ = fmt.Fprint(&sb, readAll(t, resp))
			if resp.StatusCode != tc.status || !strings.Contains(sb.String(), tc.want) {
				t.Fatalf("got %d %s\nwant %d containing %s", resp.StatusCode, sb.String(), tc.status, tc.want)
			}
		})
	}
}

func TestDateFormat(t *testing.T) {
	e := start(t, Options{})
	orderTime := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$`)
	netTime := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$`)
	tests := []struct {
		name, in, want string
	}{
		{"UTC in winter becomes PST", "2026-01-15T20:00:00Z", "2026-01-15T12:00:00.0000000"},
		{"UTC in summer becomes PDT", "2026-07-15T20:00:00Z", "2026-07-15T13:00:00.0000000"},
		{"offset converted", "2026-07-15T20:00:00+02:00", "2026-07-15T11:00:00.0000000"},
		{"no offset is Pacific already", "2026-07-15T20:00:00.1234567", "2026-07-15T20:00:00.1234567"},
		{"space-separated", "2026-07-15 08:05:09", "2026-07-15T08:05:09.0000000"},
		{"date only", "2026-07-15", "2026-07-15T00:00:00.0000000"},
		{"US format", "7/4/2026", "2026-07-04T00:00:00.0000000"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := newOrder(fmt.Sprint("D-", i), fmt.Sprint("d-", i), StatusAwaitingShipment)
			o.OrderDate = tc.in
			got := e.createOne(o)
			if got.OrderDate != tc.want {
				t.Fatalf("orderDate %q → %q, want %q", tc.in, got.OrderDate, tc.want)
			}
			// 16:30 UTC on 2026-03-10 is 09:30 PDT (DST began on the 8th).
			if got.CreateDate != "2026-03-10T09:30:00.0000000" || got.CreateDate != got.ModifyDate {
				t.Fatalf("createDate %q modifyDate %q", got.CreateDate, got.ModifyDate)
			}
			for _, s := range []string{got.OrderDate, got.CreateDate, got.ModifyDate} {
				if !orderTime.MatchString(s) {
					t.Fatalf("%q is not yyyy-MM-ddTHH:mm:ss.fffffff without offset", s)
				}
			}
			if !netTime.MatchString(got.Items[0].CreateDate) {
				t.Fatalf("item createDate %q", got.Items[0].CreateDate)
			}
		})
	}
	e.clock.Advance(1234 * time.Millisecond)
	sh, err := e.sim.Ship(e.sim.Orders()[0].OrderID, "fedex", "fedex_ground", "", 8.25)
	if err != nil {
		t.Fatal(err)
	}
	if sh.CreateDate != "2026-03-10T09:30:01.234" || sh.ShipDate != "2026-03-10" {
		t.Fatalf("shipment dates %q %q", sh.CreateDate, sh.ShipDate)
	}
	raw := e.do("GET", "/orders", nil).body
	if regexp.MustCompile(`"\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})"`).Match(raw) {
		t.Fatal("a datetime carries an offset")
	}
}

func TestConcurrentUpserts(t *testing.T) {
	e := start(t, Options{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				key := fmt.Sprintf("c-%d", i) // every goroutine fights over the same ten keys
				o := newOrder(fmt.Sprintf("C-%d-%d", g, i), key, StatusAwaitingShipment)
				req, _ := http.NewRequest("POST", e.url+"/orders/createorder", strings.NewReader(string(mustJSON(t, o))))
				req.SetBasicAuth(DefaultAPIKey, DefaultAPISecret)
				req.Header.Set("Content-Type", "application/json")
				resp, err := e.http.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("status %d", resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	if n := len(e.sim.Orders()); n != 10 {
		t.Fatalf("%d orders for 10 keys", n)
	}
}

func BenchmarkListOrders(b *testing.B) {
	sim := New(Options{RateLimit: -1, Clock: newClock(t0).Now})
	sim.Generate(5000, 1)
	ts := httptest.NewServer(sim)
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/orders?orderStatus=awaiting_shipment&sortBy=ModifyDate&pageSize=500", nil)
	req.SetBasicAuth(DefaultAPIKey, DefaultAPISecret)
	for b.Loop() {
		resp, err := ts.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
