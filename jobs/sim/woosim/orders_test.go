package woosim

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// apiOrder is the part of an order the tests read.
type apiOrder struct {
	ID              int     `json:"id"`
	Number          string  `json:"number"`
	Status          string  `json:"status"`
	DateCreatedGMT  string  `json:"date_created_gmt"`
	DateModified    string  `json:"date_modified"`
	DateModifiedGMT string  `json:"date_modified_gmt"`
	DatePaidGMT     *string `json:"date_paid_gmt"`
	DateCompleted   *string `json:"date_completed"`
	CustomerID      int     `json:"customer_id"`
	Total           string  `json:"total"`
	MetaData        []struct {
		ID    int    `json:"id"`
		Key   string `json:"key"`
		Value any    `json:"value"`
	} `json:"meta_data"`
}

func ids(orders []apiOrder) []int {
	out := make([]int, len(orders))
	for i, o := range orders {
		out[i] = o.ID
	}
	return out
}

var linkPart = regexp.MustCompile(`<([^>]+)>; rel="([^"]+)"`)

// links parses a Link header into rel → URL.
func links(h string) map[string]string {
	out := map[string]string{}
	for _, m := range linkPart.FindAllStringSubmatch(h, -1) {
		out[m[2]] = m[1]
	}
	return out
}

func TestOrdersPaging(t *testing.T) {
	st := newStore(t, Options{})
	all := st.generate(250, 3)
	base := st.url + "/wp-json/wc/v3/orders"
	seen := map[int]bool{}
	var prevCreated string
	wantLinks := []string{
		`<` + base + `?per_page=100&status%5B0%5D=any&dp=2&context=view&page=2>; rel="next"`,
		`<` + base + `?per_page=100&page=1&status%5B0%5D=any&dp=2&context=view>; rel="prev", <` + base + `?per_page=100&page=3&status%5B0%5D=any&dp=2&context=view>; rel="next"`,
		`<` + base + `?per_page=100&page=2&status%5B0%5D=any&dp=2&context=view>; rel="prev"`,
	}
	for page := 1; page <= 3; page++ {
		q := "?per_page=100"
		if page > 1 {
			q += "&page=" + strconv.Itoa(page)
		}
		r := st.do("GET", "/wp-json/wc/v3/orders"+q, nil)
		mustStatus(t, r, 200)
		if r.header.Get("X-WP-Total") != "250" || r.header.Get("X-WP-TotalPages") != "3" {
			t.Fatalf("page %d: X-WP-Total %q X-WP-TotalPages %q", page, r.header.Get("X-WP-Total"), r.header.Get("X-WP-TotalPages"))
		}
		if got := r.header.Get("Link"); got != wantLinks[page-1] {
			t.Errorf("page %d Link\n got %s\nwant %s", page, got, wantLinks[page-1])
		}
		var orders []apiOrder
		r.decode(t, &orders)
		if want := []int{100, 100, 50}[page-1]; len(orders) != want {
			t.Fatalf("page %d has %d orders, want %d", page, len(orders), want)
		}
		for _, o := range orders {
			if seen[o.ID] {
				t.Errorf("order %d on two pages", o.ID)
			}
			seen[o.ID] = true
			if prevCreated != "" && o.DateCreatedGMT > prevCreated {
				t.Errorf("order %d out of date order", o.ID)
			}
			prevCreated = o.DateCreatedGMT
		}
	}
	for _, o := range all {
		if !seen[o.ID] {
			t.Errorf("order %d missing", o.ID)
		}
	}

	// A client following rel="next" gets the same orders.
	followed := map[int]bool{}
	next := base + "?per_page=100"
	for hops := 0; next != ""; hops++ {
		if hops > 5 {
			t.Fatal("Link loop")
		}
		r := doURL(t, "GET", next, nil)
		mustStatus(t, r, 200)
		var orders []apiOrder
		r.decode(t, &orders)
		for _, o := range orders {
			followed[o.ID] = true
		}
		next = links(r.header.Get("Link"))["next"]
	}
	if len(followed) != 250 {
		t.Errorf("following Link gave %d orders", len(followed))
	}

	// Past the last page: empty, totals still there, prev points back.
	r := st.do("GET", "/wp-json/wc/v3/orders?per_page=100&page=4", nil)
	mustStatus(t, r, 200)
	if string(r.body) != "[]" || r.header.Get("X-WP-Total") != "250" {
		t.Errorf("page 4: %s total %s", r.body, r.header.Get("X-WP-Total"))
	}
	if got := r.header.Get("Link"); got != `<`+base+`?per_page=100&page=3&status%5B0%5D=any>; rel="prev"` {
		t.Errorf("page 4 Link %s", got)
	}
}

func TestOrdersLinkHeaderQuirks(t *testing.T) {
	st := newStore(t, Options{})
	st.generate(30, 5)
	base := st.url + "/wp-json/wc/v3/orders"
	tests := []struct {
		name, query, next string
	}{
		{"status list becomes an array at the end", "status=processing,completed&per_page=2",
			"per_page=2&status%5B0%5D=processing&status%5B1%5D=completed&dp=2&context=view&page=2"},
		{"credentials in the query are repeated", "per_page=2&consumer_key=" + DefaultConsumerKey + "&consumer_secret=" + DefaultConsumerSecret,
			"per_page=2&consumer_key=" + DefaultConsumerKey + "&consumer_secret=" + DefaultConsumerSecret + "&status%5B0%5D=any&dp=2&context=view&page=2"},
		{"plus in a date turns into a space", "per_page=2&after=2026-01-01T00:00:00%2B00:00",
			"per_page=2&after=2026-01-01T00%3A00%3A00+00%3A00&status%5B0%5D=any&dp=2&context=view&page=2"},
		{"false boolean dropped, dp kept in place", "dates_are_gmt=false&dp=2&per_page=2",
			"dp=2&per_page=2&status%5B0%5D=any&context=view&page=2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := st.do("GET", "/wp-json/wc/v3/orders?"+tc.query, nil)
			mustStatus(t, r, 200)
			if got := links(r.header.Get("Link"))["next"]; got != base+"?"+tc.next {
				t.Errorf("next\n got %s\nwant %s", got, base+"?"+tc.next)
			}
		})
	}
	// Following the mangled date link fails, as on a real store.
	r := st.do("GET", "/wp-json/wc/v3/orders?per_page=2&after=2026-01-01T00:00:00%2B00:00", nil)
	r = doURL(t, "GET", links(r.header.Get("Link"))["next"], nil)
	mustStatus(t, r, 400)
	if !strings.Contains(string(r.body), `"after":"Invalid date."`) {
		t.Errorf("body %s", r.body)
	}
	// One page only: no paging links, the REST discovery link instead.
	r = st.do("GET", "/wp-json/wc/v3/orders?per_page=100", nil)
	if got := r.header.Get("Link"); got != "<"+st.url+`/wp-json/>; rel="https://api.w.org/"` {
		t.Errorf("single page Link %s", got)
	}
}

// fixtureOrders adds four orders with known dates (UTC) and returns their IDs.
func fixtureOrders(t *testing.T, st *store) (o1, o2, o3, o4 int) {
	t.Helper()
	add := func(o Order) int {
		stored, err := st.AddOrder(o)
		if err != nil {
			t.Fatal(err)
		}
		return stored.ID
	}
	day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC) }
	o1 = add(Order{Status: "processing", Created: day(1), Billing: Address{FirstName: "Zofia", Email: "zofia@example.pl"}})
	o2 = add(Order{Status: "completed", Created: day(5)})
	o3 = add(Order{Status: "on-hold", Created: day(10), CustomerID: 7})
	o4 = add(Order{Status: "cancelled", Created: day(12), LineItems: []LineItem{{Name: "Blue Widget", ProductID: 99, Quantity: 1, Subtotal: "5.00", Total: "5.00"}}})
	// o1 is edited now (2026-03-14T15:09:26Z, 12:09:26 in the store's UTC-3).
	if _, err := st.UpdateOrder(o1, func(o *Order) { o.CustomerNote = "edited" }); err != nil {
		t.Fatal(err)
	}
	return
}

func TestOrdersFilters(t *testing.T) {
	st := newStore(t, Options{})
	o1, o2, o3, o4 := fixtureOrders(t, st)
	tests := []struct {
		query string
		want  []int
	}{
		{"", []int{o4, o3, o2, o1}},
		{"status=processing", []int{o1}},
		{"status=processing,completed", []int{o2, o1}},
		{"status[]=on-hold&status[]=cancelled", []int{o4, o3}},
		{"status=any", []int{o4, o3, o2, o1}},
		{"after=2026-03-04T00:00:00", []int{o4, o3, o2}},
		// before is exclusive; a date without offset is store-local (UTC-3).
		{"before=2026-03-05T07:00:00", []int{o1}},
		{"before=2026-03-05T07:00:01", []int{o2, o1}},
		{"after=2026-03-05T10:00:00Z", []int{o4, o3}},
		{"modified_after=2026-03-13T00:00:00", []int{o1}},
		{"modified_after=2026-03-14T12:09:26", []int{}},
		{"modified_after=2026-03-14T15:00:00Z", []int{o1}},
		{"modified_after=2026-03-14T15:09:00&dates_are_gmt=true", []int{o1}},
		// WordPress converts an argument with an offset to store time even
		// when dates_are_gmt is set, then compares it with the GMT column:
		// 15:30Z becomes 12:30, which 15:09:26 GMT is after.
		{"modified_after=2026-03-14T15:30:00Z&dates_are_gmt=true", []int{o1}},
		{"modified_after=2026-03-14T15:30:00Z", []int{}},
		{"modified_before=2026-03-13T00:00:00", []int{o4, o3, o2}},
		{"include=" + fmt.Sprint(o3) + "," + fmt.Sprint(o1) + "&orderby=include", []int{o3, o1}},
		{"exclude=" + fmt.Sprint(o4), []int{o3, o2, o1}},
		{"orderby=id&order=asc", []int{o1, o2, o3, o4}},
		{"orderby=modified", []int{o1, o4, o3, o2}},
		{"customer=7", []int{o3}},
		{"customer=0", []int{o4, o2, o1}},
		{"product=99", []int{o4}},
		{"search=widget", []int{o4}},
		{"search=ZOFIA@example", []int{o1}},
		{"offset=1&per_page=2", []int{o3, o2}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := st.do("GET", "/wp-json/wc/v3/orders?"+tc.query, nil)
			mustStatus(t, r, 200)
			var orders []apiOrder
			r.decode(t, &orders)
			if got := ids(orders); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestOrdersInvalidParams(t *testing.T) {
	st := newStore(t, Options{})
	tests := []struct {
		query, body string
	}{
		{"per_page=101", `{"code":"rest_invalid_param","message":"Invalid parameter(s): per_page","data":{"status":400,"params":{"per_page":"per_page must be between 1 (inclusive) and 100 (inclusive)"},"details":{"per_page":{"code":"rest_out_of_bounds","message":"per_page must be between 1 (inclusive) and 100 (inclusive)","data":null}}}}`},
		{"per_page=0", `{"code":"rest_invalid_param","message":"Invalid parameter(s): per_page","data":{"status":400,"params":{"per_page":"per_page must be between 1 (inclusive) and 100 (inclusive)"},"details":{"per_page":{"code":"rest_out_of_bounds","message":"per_page must be between 1 (inclusive) and 100 (inclusive)","data":null}}}}`},
		{"page=0", `{"code":"rest_invalid_param","message":"Invalid parameter(s): page","data":{"status":400,"params":{"page":"page must be greater than or equal to 1"},"details":{"page":{"code":"rest_out_of_bounds","message":"page must be greater than or equal to 1","data":null}}}}`},
		{"per_page=ten", `{"code":"rest_invalid_param","message":"Invalid parameter(s): per_page","data":{"status":400,"params":{"per_page":"per_page is not of type integer."},"details":{"per_page":{"code":"rest_invalid_type","message":"per_page is not of type integer.","data":{"param":"per_page"}}}}}`},
		{"order=up", `{"code":"rest_invalid_param","message":"Invalid parameter(s): order","data":{"status":400,"params":{"order":"order is not one of asc and desc."},"details":{"order":{"code":"rest_not_in_enum","message":"order is not one of asc and desc.","data":null}}}}`},
		{"status=shipped", `{"code":"rest_invalid_param","message":"Invalid parameter(s): status","data":{"status":400,"params":{"status":"status[0] is not one of any, trash, pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft."},"details":{"status":{"code":"rest_not_in_enum","message":"status[0] is not one of any, trash, pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft.","data":null}}}}`},
		{"modified_after=yesterday", `{"code":"rest_invalid_param","message":"Invalid parameter(s): modified_after","data":{"status":400,"params":{"modified_after":"Invalid date."},"details":{"modified_after":{"code":"rest_invalid_date","message":"Invalid date.","data":null}}}}`},
		{"dates_are_gmt=yes", `{"code":"rest_invalid_param","message":"Invalid parameter(s): dates_are_gmt","data":{"status":400,"params":{"dates_are_gmt":"dates_are_gmt is not of type boolean."},"details":{"dates_are_gmt":{"code":"rest_invalid_type","message":"dates_are_gmt is not of type boolean.","data":{"param":"dates_are_gmt"}}}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := st.do("GET", "/wp-json/wc/v3/orders?"+tc.query, nil)
			mustStatus(t, r, 400)
			if string(r.body) != tc.body {
				t.Errorf("body\n got %s\nwant %s", r.body, tc.body)
			}
		})
	}
	// Several at once are listed in argument order; validation comes before
	// the permission check, so it happens without credentials too.
	r := st.do("GET", "/wp-json/wc/v3/orders?per_page=500&page=-1", nil, noAuth)
	mustStatus(t, r, 400)
	if !strings.Contains(string(r.body), `"message":"Invalid parameter(s): page, per_page"`) {
		t.Errorf("body %s", r.body)
	}
}

func TestGetOrder(t *testing.T) {
	st := newStore(t, Options{})
	o1, _, _, _ := fixtureOrders(t, st)
	r := st.do("GET", fmt.Sprintf("/wp-json/wc/v3/orders/%d", o1), nil)
	mustStatus(t, r, 200)
	var o apiOrder
	r.decode(t, &o)
	if o.ID != o1 || o.Status != "processing" || o.DateModifiedGMT != "2026-03-14T15:09:26" || o.DateModified != "2026-03-14T12:09:26" {
		t.Errorf("order %+v", o)
	}
	r = st.do("GET", "/wp-json/wc/v3/orders/424242", nil)
	mustStatus(t, r, 404)
	if want := `{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}`; string(r.body) != want {
		t.Errorf("body %s", r.body)
	}
	for _, id := range []int{o1, 424242} {
		r = st.do("GET", fmt.Sprintf("/wp-json/wc/v3/orders/%d", id), nil, noAuth)
		mustStatus(t, r, 401)
		if want := `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot view this resource.","data":{"status":401}}`; string(r.body) != want {
			t.Errorf("anonymous %d: %s", id, r.body)
		}
	}
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders/abc", nil), 404)

	withTotal, err := st.AddOrder(Order{Total: "29.35", LineItems: []LineItem{{Name: "x", Quantity: 3, Subtotal: "29.35", Total: "29.35"}}})
	if err != nil {
		t.Fatal(err)
	}
	r = st.do("GET", fmt.Sprintf("/wp-json/wc/v3/orders/%d?dp=3", withTotal.ID), nil)
	if !strings.Contains(string(r.body), `"total":"29.350"`) || !strings.Contains(string(r.body), `"price":9.783333333333333`) {
		t.Errorf("dp=3: %s", r.body)
	}
}

func TestUpdateOrder(t *testing.T) {
	st := newStore(t, Options{})
	if err := st.SeedCatalog(); err != nil {
		t.Fatal(err)
	}
	tshirt := productBySKU(t, st.Server, "TSHIRT-ORG-WHT")
	navyS := productBySKU(t, st.Server, "HOODIE-MER-NVY-S")
	order, err := st.AddOrder(Order{Status: "pending", MetaData: []Meta{{Key: "_ledgerlink_id", Value: "old"}}, LineItems: []LineItem{
		{Name: tshirt.Name, ProductID: tshirt.ID, Quantity: 3, Subtotal: "72.00", Total: "72.00"},
		{Name: navyS.Name, ProductID: navyS.ParentID, VariationID: navyS.ID, Quantity: 2, Subtotal: "178.00", Total: "178.00"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/wp-json/wc/v3/orders/%d", order.ID)
	st.clock.Advance(time.Hour)

	r := st.do("PUT", path, map[string]any{
		"status":    "completed",
		"meta_data": []map[string]any{{"key": "_ledgerlink_id", "value": "QB-1001"}, {"key": "_tracking", "value": "1Z999"}},
	})
	mustStatus(t, r, 200)
	var o apiOrder
	r.decode(t, &o)
	wantNow := testNow.Add(time.Hour).Format("2006-01-02T15:04:05")
	if o.Status != "completed" || o.DateModifiedGMT != wantNow || o.DatePaidGMT == nil || *o.DatePaidGMT != wantNow || o.DateCompleted == nil {
		t.Errorf("after completing: %+v", o)
	}
	meta := map[string]any{}
	for _, m := range o.MetaData {
		meta[m.Key] = m.Value
		if m.ID == 0 {
			t.Errorf("meta %s has no id", m.Key)
		}
	}
	if meta["_ledgerlink_id"] != "QB-1001" || meta["_tracking"] != "1Z999" || len(o.MetaData) != 2 {
		t.Errorf("meta %v", meta)
	}
	if q, _ := st.StockOf("TSHIRT-ORG-WHT"); q != 117 {
		t.Errorf("t-shirt stock %d, want 117", q)
	}
	if q, _ := st.StockOf("HOODIE-MER-NVY-S"); q != 5 {
		t.Errorf("hoodie stock %d, want 5", q)
	}
	// Cancelling gives the stock back.
	mustStatus(t, st.do("PUT", path, map[string]string{"status": "cancelled"}), 200)
	if q, _ := st.StockOf("TSHIRT-ORG-WHT"); q != 120 {
		t.Errorf("t-shirt stock after cancel %d, want 120", q)
	}
	stored, _ := st.Order(order.ID)
	var notes []string
	for _, n := range stored.Notes {
		notes = append(notes, n.Note)
	}
	want := []string{
		"Order status changed from Pending payment to Completed.",
		"Stock levels reduced: Organic Cotton T-Shirt (TSHIRT-ORG-WHT) 120&rarr;117, Merino Wool Hoodie - Navy, S (HOODIE-MER-NVY-S) 7&rarr;5",
		"Order status changed from Completed to Cancelled.",
		"Stock levels increased: Organic Cotton T-Shirt (TSHIRT-ORG-WHT) 117&rarr;120, Merino Wool Hoodie - Navy, S (HOODIE-MER-NVY-S) 5&rarr;7",
	}
	if !slices.Equal(notes, want) {
		t.Errorf("notes\n got %q\nwant %q", notes, want)
	}

	tests := []struct {
		name, method, path string
		body               any
		opts               []reqOpt
		status             int
		code               string
	}{
		{"bad status", "PUT", path, map[string]string{"status": "shipped"}, nil, 400, "rest_invalid_param"},
		{"unknown order", "PUT", "/wp-json/wc/v3/orders/99999", map[string]string{"status": "completed"}, nil, 400, "woocommerce_rest_shop_order_invalid_id"},
		{"anonymous", "PUT", path, map[string]string{"status": "completed"}, []reqOpt{noAuth}, 401, "woocommerce_rest_cannot_edit"},
		{"invalid json", "PUT", path, `{"status":`, []reqOpt{header("Content-Type", "application/json")}, 400, "rest_invalid_json"},
		{"POST updates too", "POST", path, map[string]string{"customer_note": "via POST"}, nil, 200, ""},
		{"method override", "POST", path, map[string]string{"customer_note": "override"}, []reqOpt{header("X-HTTP-Method-Override", "PATCH")}, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := st.do(tc.method, tc.path, tc.body, tc.opts...)
			mustStatus(t, r, tc.status)
			if r.errorCode() != tc.code {
				t.Errorf("body %s", r.body)
			}
		})
	}
	// A JSON body without Content-Type: application/json is read as a form
	// by WordPress, so nothing changes (and the answer is still 200).
	r = st.do("PUT", path, `{"status":"processing"}`)
	mustStatus(t, r, 200)
	if o, _ := st.Order(order.ID); o.Status != "cancelled" {
		t.Errorf("status changed to %s by an untyped body", o.Status)
	}
}

func productBySKU(t *testing.T, s *Server, sku string) Product {
	t.Helper()
	for _, p := range s.Products() {
		if p.SKU == sku {
			return p
		}
	}
	t.Fatalf("no product %s", sku)
	return Product{}
}

func TestOrderNotes(t *testing.T) {
	st := newStore(t, Options{})
	o1, _, _, _ := fixtureOrders(t, st)
	path := fmt.Sprintf("/wp-json/wc/v3/orders/%d/notes", o1)
	r := st.do("POST", path, map[string]any{"note": "Shipped via UPS 1Z999AA10123456784 📦", "customer_note": true})
	mustStatus(t, r, 201)
	var n struct {
		ID           int    `json:"id"`
		Author       string `json:"author"`
		Note         string `json:"note"`
		CustomerNote bool   `json:"customer_note"`
		DateCreated  string `json:"date_created"`
	}
	r.decode(t, &n)
	if n.Author != "system" || !n.CustomerNote || n.Note != "Shipped via UPS 1Z999AA10123456784 📦" || n.DateCreated != "2026-03-14T12:09:26" {
		t.Errorf("note %+v", n)
	}
	if loc := r.header.Get("Location"); loc != fmt.Sprintf("%s/wp-json/wc/v3/orders/%d/notes/%d", st.url, o1, n.ID) {
		t.Errorf("Location %s", loc)
	}
	mustStatus(t, st.do("POST", path, map[string]any{"note": "internal"}), 201)
	r = st.do("GET", path, nil)
	mustStatus(t, r, 200)
	var list []struct{ Note string }
	r.decode(t, &list)
	if len(list) != 2 || list[0].Note != "internal" {
		t.Errorf("notes %+v", list)
	}
	r = st.do("GET", path+"?type=customer", nil)
	r.decode(t, &list)
	if len(list) != 1 {
		t.Errorf("customer notes %+v", list)
	}

	r = st.do("POST", path, map[string]any{"customer_note": true})
	mustStatus(t, r, 400)
	if want := `{"code":"rest_missing_callback_param","message":"Missing parameter(s): note","data":{"status":400,"params":["note"]}}`; string(r.body) != want {
		t.Errorf("body %s", r.body)
	}
	r = st.do("POST", "/wp-json/wc/v3/orders/999999/notes", map[string]any{"note": "x"})
	mustStatus(t, r, 404)
	if r.errorCode() != "woocommerce_rest_order_invalid_id" {
		t.Errorf("body %s", r.body)
	}
	mustStatus(t, st.do("POST", path, map[string]any{"note": "x"}, noAuth), 401)
}
