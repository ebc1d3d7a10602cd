package woosim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// apiProduct is the part of a product or variation the tests read.
type apiProduct struct {
	ID            int    `json:"id"`
	Type          string `json:"type"`
	ParentID      int    `json:"parent_id"`
	SKU           string `json:"sku"`
	ManageStock   any    `json:"manage_stock"`
	StockQuantity *int   `json:"stock_quantity"`
	StockStatus   string `json:"stock_status"`
}

func seeded(t *testing.T) *store {
	t.Helper()
	st := newStore(t, Options{})
	if err := st.SeedCatalog(); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestProductsBySKU(t *testing.T) {
	st := seeded(t)
	tests := []struct {
		query string
		want  []string // SKUs, in answer order
		types []string
	}{
		{"sku=TSHIRT-ORG-WHT", []string{"TSHIRT-ORG-WHT"}, []string{"simple"}},
		{"sku=HOODIE-MER-NVY-S", []string{"HOODIE-MER-NVY-S"}, []string{"variation"}},
		{"sku=tshirt-org-wht", []string{"TSHIRT-ORG-WHT"}, []string{"simple"}}, // MySQL collation ignores case
		{"sku=TSHIRT", nil, nil}, // whole SKUs only
		{"sku=CPD-01,NOZE-5", []string{"NOZE-5", "CPD-01"}, []string{"simple", "simple"}},
		{"sku=HOODIE-MER", []string{"HOODIE-MER"}, []string{"variable"}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := st.do("GET", "/wp-json/wc/v3/products?"+tc.query, nil)
			mustStatus(t, r, 200)
			var ps []apiProduct
			r.decode(t, &ps)
			var skus, types []string
			for _, p := range ps {
				skus, types = append(skus, p.SKU), append(types, p.Type)
			}
			if !slices.Equal(skus, tc.want) || !slices.Equal(types, tc.types) {
				t.Errorf("got %v %v, want %v %v", skus, types, tc.want, tc.types)
			}
		})
	}
	// Without sku, variations are not listed: 8 simple + 2 variable.
	r := st.do("GET", "/wp-json/wc/v3/products?per_page=4&page=2", nil)
	mustStatus(t, r, 200)
	if r.header.Get("X-WP-Total") != "10" || r.header.Get("X-WP-TotalPages") != "3" {
		t.Errorf("totals %s/%s", r.header.Get("X-WP-Total"), r.header.Get("X-WP-TotalPages"))
	}
	l := links(r.header.Get("Link"))
	if l["prev"] != st.url+"/wp-json/wc/v3/products?per_page=4&page=1" || l["next"] != st.url+"/wp-json/wc/v3/products?per_page=4&page=3" {
		t.Errorf("links %v", l)
	}
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/products?per_page=101", nil), 400)

	r = st.do("GET", "/wp-json/wc/v3/products?orderby=title&order=asc&per_page=3", nil)
	var named []struct{ Name string }
	r.decode(t, &named)
	if len(named) != 3 || named[0].Name != "Beeswax Wrap 3-Pack" || named[1].Name != "Ceramic Pour-Over Coffee Dripper" || named[2].Name != "Gift Card $50" {
		t.Errorf("by title: %+v", named)
	}
}

func TestProductStockRules(t *testing.T) {
	st := seeded(t)
	tshirt := productBySKU(t, st.Server, "TSHIRT-ORG-WHT")
	gift := productBySKU(t, st.Server, "GC-50")
	shoes := productBySKU(t, st.Server, "TRS-100")
	shoe42 := productBySKU(t, st.Server, "TRS-100-42")
	hoodie := productBySKU(t, st.Server, "HOODIE-MER")
	navyS := productBySKU(t, st.Server, "HOODIE-MER-NVY-S")

	r := st.do("PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d", tshirt.ID), map[string]any{"stock_quantity": 0})
	mustStatus(t, r, 200)
	var p apiProduct
	r.decode(t, &p)
	if *p.StockQuantity != 0 || p.StockStatus != "outofstock" {
		t.Errorf("t-shirt %+v", p)
	}

	// stock_quantity is ignored while manage_stock is off...
	r = st.do("PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d", gift.ID), map[string]any{"stock_quantity": 5})
	r.decode(t, &p)
	if p.ManageStock != false || p.StockQuantity != nil {
		t.Errorf("gift card %+v", p)
	}
	if _, ok := st.StockOf("GC-50"); ok {
		t.Error("gift card stock became managed")
	}
	// ...so turning management on later starts from nothing, not from 5...
	r = st.do("PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d", gift.ID), map[string]any{"manage_stock": true})
	mustStatus(t, r, 200)
	if q, ok := st.StockOf("GC-50"); !ok || q != 0 {
		t.Errorf("gift card stock %d %v after enabling management, want 0", q, ok)
	}
	// ...and a quantity is applied when the same request turns it on.
	r = st.do("PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d", gift.ID), map[string]any{"manage_stock": false})
	mustStatus(t, r, 200)
	r = st.do("PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d", gift.ID), map[string]any{"manage_stock": true, "stock_quantity": 5})
	r.decode(t, &p)
	if q, ok := st.StockOf("GC-50"); !ok || q != 5 || p.ManageStock != true {
		t.Errorf("gift card stock %d %v %+v", q, ok, p)
	}

	// Shoe variations use the parent's stock.
	r = st.do("GET", fmt.Sprintf("/wp-json/wc/v3/products/%d/variations", shoes.ID), nil)
	mustStatus(t, r, 200)
	var vs []apiProduct
	r.decode(t, &vs)
	if len(vs) != 5 || vs[0].ManageStock != "parent" || *vs[0].StockQuantity != 25 || r.header.Get("X-WP-Total") != "5" {
		t.Errorf("shoe variations %s", r.body)
	}
	if q, ok := st.StockOf("TRS-100-42"); !ok || q != 25 {
		t.Errorf("shoe 42 stock %d %v", q, ok)
	}

	r = st.do("PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d/variations/%d", hoodie.ID, navyS.ID), map[string]any{"stock_quantity": "4"})
	mustStatus(t, r, 200)
	if q, _ := st.StockOf("HOODIE-MER-NVY-S"); q != 4 {
		t.Errorf("hoodie stock %d", q)
	}
	tests := []struct {
		name, method, path string
		body               any
		opts               []reqOpt
		status             int
		code               string
	}{
		{"variation of another product", "PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d/variations/%d", hoodie.ID, shoe42.ID), map[string]any{"stock_quantity": 1}, nil, 400, "woocommerce_rest_product_variation_invalid_id"},
		{"get variation of another product", "GET", fmt.Sprintf("/wp-json/wc/v3/products/%d/variations/%d", hoodie.ID, shoe42.ID), nil, nil, 404, "woocommerce_rest_product_variation_invalid_id"},
		{"stock not an integer", "PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d", tshirt.ID), map[string]any{"stock_quantity": "lots"}, nil, 400, "rest_invalid_param"},
		{"price must be a string", "PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d", tshirt.ID), map[string]any{"regular_price": 25}, nil, 400, "rest_invalid_param"},
		{"unknown product", "PUT", "/wp-json/wc/v3/products/999999", map[string]any{"stock_quantity": 1}, nil, 400, "woocommerce_rest_product_invalid_id"},
		{"duplicate sku", "PUT", fmt.Sprintf("/wp-json/wc/v3/products/%d", tshirt.ID), map[string]any{"sku": "cpd-01"}, nil, 400, "product_invalid_sku"},
		{"anonymous, existing product", "GET", fmt.Sprintf("/wp-json/wc/v3/products/%d", tshirt.ID), nil, []reqOpt{noAuth}, 401, "woocommerce_rest_cannot_view"},
		{"anonymous, missing product", "GET", "/wp-json/wc/v3/products/999999", nil, []reqOpt{noAuth}, 404, "woocommerce_rest_product_invalid_id"},
		{"variation through /products", "GET", fmt.Sprintf("/wp-json/wc/v3/products/%d", navyS.ID), nil, nil, 200, ""},
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
}

// batchAnswer is a batch response; an element is a product or an error.
type batchAnswer map[string][]struct {
	ID            any  `json:"id"`
	StockQuantity *int `json:"stock_quantity"`
	Error         *struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Data    map[string]any `json:"data"`
	} `json:"error"`
}

func TestBatchUpdateStock(t *testing.T) {
	st := seeded(t)
	tshirt := productBySKU(t, st.Server, "TSHIRT-ORG-WHT")
	navyL := productBySKU(t, st.Server, "HOODIE-MER-NVY-L")
	mug := productBySKU(t, st.Server, "")
	r := st.do("POST", "/wp-json/wc/v3/products/batch", map[string]any{"update": []map[string]any{
		{"id": tshirt.ID, "stock_quantity": 7},
		{"id": 999999, "stock_quantity": 1},
		{"id": navyL.ID, "stock_quantity": "11"}, // a variation through /products/batch, quantity as a string
		{"id": mug.ID, "manage_stock": "yes", "stock_quantity": 2.9},
	}})
	mustStatus(t, r, 200)
	var got batchAnswer
	r.decode(t, &got)
	if len(got) != 1 || len(got["update"]) != 4 {
		t.Fatalf("answer %s", r.body)
	}
	if e := got["update"][1].Error; e == nil || e.Code != "woocommerce_rest_product_invalid_id" || e.Message != "Invalid ID." || e.Data["status"] != 400.0 || got["update"][1].ID != 999999.0 {
		t.Errorf("unknown id element %s", r.body)
	}
	if !strings.Contains(string(r.body), `{"id":999999,"error":{"code":"woocommerce_rest_product_invalid_id","message":"Invalid ID.","data":{"status":400}}}`) {
		t.Errorf("error element not in WooCommerce's shape: %s", r.body)
	}
	for sku, want := range map[string]int{"TSHIRT-ORG-WHT": 7, "HOODIE-MER-NVY-L": 11} {
		if q, ok := st.StockOf(sku); !ok || q != want {
			t.Errorf("StockOf(%s) = %d %v, want %d", sku, q, ok, want)
		}
	}
	if p, _ := st.Product(mug.ID); !p.ManageStock || *p.StockQuantity != 2 {
		t.Errorf("mug %+v", p)
	}

	// Variations batch: an ID of another product's variation is an error.
	hoodie := productBySKU(t, st.Server, "HOODIE-MER")
	navyS := productBySKU(t, st.Server, "HOODIE-MER-NVY-S")
	r = st.do("POST", fmt.Sprintf("/wp-json/wc/v3/products/%d/variations/batch", hoodie.ID), map[string]any{
		"update": []map[string]any{{"id": navyS.ID, "stock_quantity": 0}, {"id": tshirt.ID, "stock_quantity": 3}},
	})
	mustStatus(t, r, 200)
	got = batchAnswer{}
	r.decode(t, &got)
	if e := got["update"][1].Error; e == nil || e.Code != "woocommerce_rest_product_variation_invalid_id" {
		t.Errorf("answer %s", r.body)
	}
	if q, _ := st.StockOf("HOODIE-MER-NVY-S"); q != 0 {
		t.Errorf("navy S stock %d", q)
	}
	if q, _ := st.StockOf("TSHIRT-ORG-WHT"); q != 7 {
		t.Errorf("t-shirt changed through the wrong route: %d", q)
	}

	// Create and delete in one request.
	r = st.do("POST", "/wp-json/wc/v3/products/batch", map[string]any{
		"create": []map[string]any{{"name": "Tote Bag", "sku": "TOTE-1", "regular_price": "12.00", "manage_stock": true, "stock_quantity": 30}, {"name": "Dup", "sku": "CPD-01"}},
		"delete": []int{mug.ID, 424242},
	})
	mustStatus(t, r, 200)
	got = batchAnswer{}
	r.decode(t, &got)
	if len(got["create"]) != 2 || got["create"][1].Error == nil || got["create"][1].Error.Code != "product_invalid_sku" || got["create"][1].ID != 0.0 {
		t.Errorf("create %s", r.body)
	}
	if len(got["delete"]) != 2 || got["delete"][1].Error == nil || got["delete"][1].Error.Data["status"] != 404.0 {
		t.Errorf("delete %s", r.body)
	}
	if q, ok := st.StockOf("TOTE-1"); !ok || q != 30 {
		t.Errorf("tote %d %v", q, ok)
	}
	if _, ok := st.Product(mug.ID); ok {
		t.Error("mug not deleted")
	}
	// An empty batch answers an empty JSON array, like PHP's empty array.
	r = st.do("POST", "/wp-json/wc/v3/products/batch", map[string]any{})
	if r.status != 200 || string(r.body) != "[]" {
		t.Errorf("empty batch: %d %s", r.status, r.body)
	}
	mustStatus(t, st.do("POST", "/wp-json/wc/v3/products/batch", map[string]any{}, noAuth), 401)
}

func TestBatchLimit(t *testing.T) {
	st := seeded(t)
	tshirt := productBySKU(t, st.Server, "TSHIRT-ORG-WHT")
	items := func(n int) []map[string]any {
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = map[string]any{"id": tshirt.ID, "stock_quantity": i}
		}
		return out
	}
	tests := []struct {
		name   string
		body   map[string]any
		status int
	}{
		{"100 updates", map[string]any{"update": items(100)}, 200},
		{"101 updates", map[string]any{"update": items(101)}, 413},
		{"parts are counted together", map[string]any{"update": items(60), "delete": make([]int, 41)}, 413},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := st.do("POST", "/wp-json/wc/v3/products/batch", tc.body)
			mustStatus(t, r, tc.status)
			if tc.status == 413 {
				if want := `{"code":"woocommerce_rest_request_entity_too_large","message":"Unable to accept more than 100 items for this request.","data":{"status":413}}`; string(r.body) != want {
					t.Errorf("body %s", r.body)
				}
			}
		})
	}
	if q, _ := st.StockOf("TSHIRT-ORG-WHT"); q != 99 {
		t.Errorf("stock %d: a rejected batch must change nothing", q)
	}

	small := newStore(t, Options{BatchLimit: 10})
	r := small.do("POST", "/wp-json/wc/v3/products/1/variations/batch", map[string]any{"update": items(11)})
	mustStatus(t, r, 413)
	var e struct{ Message string }
	if err := json.Unmarshal(r.body, &e); err != nil || e.Message != "Unable to accept more than 10 items for this request." {
		t.Errorf("body %s", r.body)
	}
}
