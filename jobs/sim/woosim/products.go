package woosim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// listProducts is GET /products. With sku set the search covers
// variations too (WooCommerce queries product and product_variation then)
// and matches whole SKUs — each comma-separated one and the whole string —
// ignoring case, as MySQL's default collation compares the _sku meta.
func (s *Server) listProducts(c *call) (*reply, *wpError) {
	p := c.params
	s.mu.Lock()
	defer s.mu.Unlock()
	sku, hasSKU := p["sku"].(string)
	hasSKU = hasSKU && sku != ""
	var skus []string
	if hasSKU {
		skus = strings.Split(sku, ",")
		if len(skus) > 1 {
			skus = append(skus, sku)
		}
	}
	var matches []*Product
	for _, id := range sortedKeys(s.products) {
		pr := s.products[id]
		if pr.Type == "variation" && !hasSKU {
			continue
		}
		if hasSKU && !slices.ContainsFunc(skus, func(k string) bool { return k != "" && strings.EqualFold(k, pr.SKU) }) {
			continue
		}
		if !s.productFilter(c, pr) {
			continue
		}
		if t, ok := p["type"].(string); ok && pr.Type != t {
			continue
		}
		if slug, ok := p["slug"].(string); ok && slug != "" && slugify(pr.Name) != slug {
			continue
		}
		if f, ok := p["featured"].(bool); ok && f {
			continue // the simulated catalog has no featured products
		}
		matches = append(matches, pr)
	}
	sortPosts(matches, p, func(pr *Product) sortKey {
		return sortKey{id: pr.ID, created: pr.Created, modified: pr.Modified, title: pr.Name, price: mustCents(s.price(pr))}
	})
	page, total, pages := pageOf(matches, p)
	body := make([]any, 0, len(page))
	for _, pr := range page {
		body = append(body, s.productJSON(c, pr))
	}
	h := collectionHeaders(c.restURL("/wc/v3/products"), linkQuery(c.query, productListArgs, p), p["page"].(int), total, pages)
	return &reply{status: http.StatusOK, body: body, headers: h}, nil
}

// productFilter applies the arguments products and variations share.
func (s *Server) productFilter(c *call, pr *Product) bool {
	p := c.params
	if st, _ := p["status"].(string); st == "any" && pr.Status == "trash" || st != "any" && st != "" && pr.Status != st {
		return false
	}
	include, exclude := p["include"].([]int), p["exclude"].([]int)
	if len(include) > 0 && !slices.Contains(include, pr.ID) || slices.Contains(exclude, pr.ID) {
		return false
	}
	if parents := p["parent"].([]int); len(parents) > 0 && !slices.Contains(parents, pr.ParentID) {
		return false
	}
	if slices.Contains(p["parent_exclude"].([]int), pr.ParentID) {
		return false
	}
	if ss, ok := p["stock_status"].(string); ok && s.stockStatus(pr) != ss {
		return false
	}
	if term, _ := p["search"].(string); term != "" && !strings.Contains(strings.ToLower(pr.Name), strings.ToLower(term)) {
		return false
	}
	return c.inDateRange(pr.Created, pr.Modified)
}

// getProduct is GET /products/{id}; a variation ID works too, as
// wc_get_product returns variations.
func (s *Server) getProduct(c *call) (*reply, *wpError) {
	id, _ := strconv.Atoi(c.vars["id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.products[id]
	if !ok {
		return nil, newError("woocommerce_rest_product_invalid_id", "Invalid ID.", http.StatusNotFound)
	}
	return &reply{status: http.StatusOK, body: s.productJSON(c, pr)}, nil
}

// updateProduct is PUT /products/{id}.
func (s *Server) updateProduct(c *call) (*reply, *wpError) {
	id, _ := strconv.Atoi(c.vars["id"])
	s.mu.Lock()
	pr, werr := s.updateProductLocked(id, bodyMap(c), "product")
	var body any
	if werr == nil {
		body = s.productJSON(c, pr)
	}
	s.mu.Unlock()
	if werr != nil {
		return nil, werr
	}
	s.fireProductWebhooks("product.updated", id)
	return &reply{status: http.StatusOK, body: body}, nil
}

// listVariations is GET /products/{id}/variations.
func (s *Server) listVariations(c *call) (*reply, *wpError) {
	parentID, _ := strconv.Atoi(c.vars["product_id"])
	p := c.params
	s.mu.Lock()
	defer s.mu.Unlock()
	var matches []*Product
	for _, id := range sortedKeys(s.products) {
		pr := s.products[id]
		if pr.Type != "variation" || pr.ParentID != parentID || !s.productFilter(c, pr) {
			continue
		}
		if sku, ok := p["sku"].(string); ok && sku != "" && !strings.EqualFold(pr.SKU, sku) {
			continue
		}
		matches = append(matches, pr)
	}
	sortPosts(matches, p, func(pr *Product) sortKey {
		return sortKey{id: pr.ID, created: pr.Created, modified: pr.Modified, title: pr.Name, price: mustCents(s.price(pr))}
	})
	page, total, pages := pageOf(matches, p)
	body := make([]any, 0, len(page))
	for _, pr := range page {
		body = append(body, s.variationJSON(c, pr))
	}
	h := collectionHeaders(c.restURL(fmt.Sprintf("/wc/v3/products/%d/variations", parentID)), linkQuery(c.query, variationListArgs, p), p["page"].(int), total, pages)
	return &reply{status: http.StatusOK, body: body, headers: h}, nil
}

// variationOf returns the variation id of parent, or nil.
func (s *Server) variationOf(parentID, id int) *Product {
	v, ok := s.products[id]
	if !ok || v.Type != "variation" || v.ParentID != parentID {
		return nil
	}
	return v
}

// getVariation is GET /products/{product_id}/variations/{id}.
func (s *Server) getVariation(c *call) (*reply, *wpError) {
	parentID, _ := strconv.Atoi(c.vars["product_id"])
	id, _ := strconv.Atoi(c.vars["id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.variationOf(parentID, id)
	if v == nil {
		return nil, newError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", http.StatusNotFound)
	}
	return &reply{status: http.StatusOK, body: s.variationJSON(c, v)}, nil
}

// updateVariation is PUT /products/{product_id}/variations/{id}.
func (s *Server) updateVariation(c *call) (*reply, *wpError) {
	parentID, _ := strconv.Atoi(c.vars["product_id"])
	id, _ := strconv.Atoi(c.vars["id"])
	s.mu.Lock()
	if s.variationOf(parentID, id) == nil {
		s.mu.Unlock()
		return nil, newError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", http.StatusBadRequest)
	}
	v, werr := s.updateProductLocked(id, bodyMap(c), "product_variation")
	var body any
	if werr == nil {
		body = s.variationJSON(c, v)
	}
	s.mu.Unlock()
	if werr != nil {
		return nil, werr
	}
	s.fireProductWebhooks("product.updated", parentID)
	return &reply{status: http.StatusOK, body: body}, nil
}

// bodyMap is the request's body parameters as one map.
func bodyMap(c *call) map[string]any {
	if c.json != nil {
		return c.json
	}
	m := map[string]any{}
	for _, p := range c.form {
		if p.IsArray {
			m[p.Key] = p.Values
		} else {
			m[p.Key] = p.Value()
		}
	}
	return m
}

// updateProductLocked is prepare_object_for_database + save for the fields
// the simulator models. postType names the error codes ("product" or
// "product_variation"). Values are coerced the way WooCommerce's setters
// do (wc_stock_amount, wc_string_to_bool), since batch items skip schema
// validation. As in WooCommerce, stock_quantity only takes effect when the
// product manages stock (after manage_stock in the same request is
// applied); otherwise the quantity is cleared.
func (s *Server) updateProductLocked(id int, m map[string]any, postType string) (*Product, *wpError) {
	pr, ok := s.products[id]
	if !ok {
		return nil, newError("woocommerce_rest_"+postType+"_invalid_id", "Invalid ID.", http.StatusBadRequest)
	}
	next := pr.clone()
	if v, ok := m["name"].(string); ok {
		next.Name = v
	}
	if v, ok := m["sku"]; ok {
		sku := strings.TrimSpace(fmt.Sprint(v))
		if other := s.productBySKU(sku); other != nil && other.ID != id {
			e := newError("product_invalid_sku", "Invalid or duplicated SKU.", http.StatusBadRequest)
			e.Data = append(e.Data, kv{"resource_id", other.ID}, kv{"unique_sku", sku + "-1"})
			return nil, e
		}
		next.SKU = sku
	}
	if v, ok := m["regular_price"]; ok && v != nil {
		next.RegularPrice = strings.TrimSpace(fmt.Sprint(v))
	}
	if v, ok := m["status"].(string); ok && v != "" {
		next.Status = v
	}
	if v, ok := m["backorders"].(string); ok && v != "" {
		next.Backorders = v
	}
	if v, ok := m["manage_stock"]; ok && v != nil {
		next.ManageStock = stringToBool(v)
	}
	if next.ManageStock {
		if next.StockQuantity == nil {
			next.StockQuantity = new(int)
		}
		if v, ok := m["stock_quantity"]; ok && v != nil {
			q := stockAmount(v)
			next.StockQuantity = &q
		}
	} else {
		next.StockQuantity = nil
		if v, ok := m["stock_status"].(string); ok && v != "" {
			next.StockStatus = v
		}
	}
	next.Modified = s.now()
	*pr = next
	return pr, nil
}

// stringToBool is wc_string_to_bool.
func stringToBool(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case json.Number:
		return x.String() == "1"
	case string:
		l := strings.ToLower(x)
		return l == "yes" || l == "true" || l == "1"
	}
	return false
}

// stockAmount is wc_stock_amount: intval of whatever was sent ("7" → 7,
// 7.9 → 7, "abc" → 0).
func stockAmount(v any) int {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return int(f)
	case float64:
		return int(x)
	case int:
		return x
	case string:
		x = strings.TrimSpace(x)
		end := 0
		for end < len(x) && (x[end] >= '0' && x[end] <= '9' || end == 0 && (x[end] == '-' || x[end] == '+')) {
			end++
		}
		n, _ := strconv.Atoi(x[:end])
		return n
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

// batchProducts is POST /products/batch.
func (s *Server) batchProducts(c *call) (*reply, *wpError) {
	return s.batch(c, 0)
}

// batchVariations is POST /products/{product_id}/variations/batch.
func (s *Server) batchVariations(c *call) (*reply, *wpError) {
	parentID, _ := strconv.Atoi(c.vars["product_id"])
	return s.batch(c, parentID)
}

// batch is WC_REST_Controller::batch_items. More than BatchLimit items in
// create+update+delete together is a 413 for the whole request; otherwise
// every item is attempted and a failed one is reported in place as
// {"id":…,"error":{"code","message","data"}} inside a 200. Only the
// non-empty parts appear in the answer (an empty batch answers []).
// parentID is the variable product for the variations route, 0 for
// products.
func (s *Server) batch(c *call, parentID int) (*reply, *wpError) {
	m := bodyMap(c)
	create, update, del := anyList(m["create"]), anyList(m["update"]), anyList(m["delete"])
	if n := len(create) + len(update) + len(del); n > s.opts.BatchLimit {
		return nil, newError("woocommerce_rest_request_entity_too_large",
			fmt.Sprintf("Unable to accept more than %d items for this request.", s.opts.BatchLimit), http.StatusRequestEntityTooLarge)
	}
	postType, render := "product", s.productJSON
	if parentID != 0 {
		postType, render = "product_variation", s.variationJSON
	}
	itemError := func(id any, e *wpError) obj {
		return obj{{"id", id}, {"error", obj{{"code", e.Code}, {"message", e.Message}, {"data", e.Data}}}}
	}
	var out obj
	var created, touched []int
	s.mu.Lock()
	if len(create) > 0 {
		var res []any
		for _, item := range create {
			im, _ := item.(map[string]any)
			pr, err := s.createFromBatch(im, parentID)
			if err != nil {
				res = append(res, itemError(0, err))
				continue
			}
			created = append(created, pr.ID)
			res = append(res, render(c, pr))
		}
		out = append(out, kv{"create", res})
	}
	if len(update) > 0 {
		var res []any
		for _, item := range update {
			im, _ := item.(map[string]any)
			rawID := im["id"]
			id := stockAmount(rawID)
			if parentID != 0 && s.variationOf(parentID, id) == nil {
				res = append(res, itemError(rawID, newError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", http.StatusBadRequest)))
				continue
			}
			pr, err := s.updateProductLocked(id, im, postType)
			if err != nil {
				res = append(res, itemError(rawID, err))
				continue
			}
			touched = append(touched, pr.ID)
			res = append(res, render(c, pr))
		}
		out = append(out, kv{"update", res})
	}
	if len(del) > 0 {
		var res []any
		for _, raw := range del {
			id := stockAmount(raw)
			if id == 0 {
				continue
			}
			pr, ok := s.products[id]
			if !ok || parentID != 0 && s.variationOf(parentID, id) == nil {
				res = append(res, itemError(id, newError("woocommerce_rest_"+postType+"_invalid_id", "Invalid ID.", http.StatusNotFound)))
				continue
			}
			res = append(res, render(c, pr))
			s.deleteProductLocked(id)
		}
		out = append(out, kv{"delete", res})
	}
	s.mu.Unlock()
	for _, id := range created {
		s.fireProductWebhooks("product.created", id)
	}
	for _, id := range touched {
		s.fireProductWebhooks("product.updated", id)
	}
	if out == nil {
		return &reply{status: http.StatusOK, body: []any{}}, nil
	}
	return &reply{status: http.StatusOK, body: out}, nil
}

// anyList reads a batch part: a JSON array, or nothing.
func anyList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return nil
}

// createFromBatch creates a product (or a variation of parentID) from a
// batch "create" item: name, type, sku, regular_price, status,
// manage_stock, stock_quantity and, for variations, attributes.
func (s *Server) createFromBatch(m map[string]any, parentID int) (*Product, *wpError) {
	if m == nil {
		m = map[string]any{}
	}
	if id := stockAmount(m["id"]); id != 0 {
		pt := "product"
		if parentID != 0 {
			pt = "product_variation"
		}
		return nil, newError("woocommerce_rest_"+pt+"_exists", "Cannot create existing "+pt+".", http.StatusBadRequest)
	}
	p := Product{Type: "simple"}
	if parentID != 0 {
		parent, ok := s.products[parentID]
		if !ok || parent.Type != "variable" {
			return nil, newError("woocommerce_rest_product_invalid_id", "Invalid ID.", http.StatusNotFound)
		}
		p.Type, p.ParentID = "variation", parentID
		for _, a := range anyList(m["attributes"]) {
			am, _ := a.(map[string]any)
			name, _ := am["name"].(string)
			opt, _ := am["option"].(string)
			id := stockAmount(am["id"])
			for _, pa := range parent.Attributes {
				if pa.ID == id && id != 0 || name != "" && pa.Name == name {
					name = pa.Name
					p.Attributes = append(p.Attributes, Attribute{ID: pa.ID, Name: pa.Name, Slug: pa.Slug, Option: opt})
				}
			}
		}
		var opts []string
		for _, a := range p.Attributes {
			opts = append(opts, a.Option)
		}
		p.Name = parent.Name + " - " + strings.Join(opts, ", ")
	}
	if v, ok := m["name"].(string); ok && parentID == 0 {
		p.Name = v
	}
	if v, ok := m["type"].(string); ok && parentID == 0 && v != "" {
		p.Type = v
	}
	if v, ok := m["sku"]; ok {
		p.SKU = strings.TrimSpace(fmt.Sprint(v))
		if other := s.productBySKU(p.SKU); other != nil {
			e := newError("product_invalid_sku", "Invalid or duplicated SKU.", http.StatusBadRequest)
			e.Data = append(e.Data, kv{"resource_id", other.ID}, kv{"unique_sku", p.SKU + "-1"})
			return nil, e
		}
	}
	if v, ok := m["regular_price"]; ok && v != nil {
		p.RegularPrice = fmt.Sprint(v)
	}
	if v, ok := m["status"].(string); ok {
		p.Status = v
	}
	if v, ok := m["manage_stock"]; ok {
		p.ManageStock = stringToBool(v)
	}
	if v, ok := m["stock_quantity"]; ok && p.ManageStock && v != nil {
		q := stockAmount(v)
		p.StockQuantity = &q
	}
	stored, err := s.addProductLocked(p)
	if err != nil {
		return nil, newError("woocommerce_rest_product_not_created", err.Error(), http.StatusBadRequest)
	}
	return s.products[stored.ID], nil
}

// deleteProductLocked removes a product and, for a variable product, its
// variations (WooCommerce deletes children on a forced delete).
func (s *Server) deleteProductLocked(id int) {
	for _, cid := range sortedKeys(s.products) {
		if s.products[cid].ParentID == id && s.products[cid].Type == "variation" {
			delete(s.products, cid)
		}
	}
	delete(s.products, id)
}

// Wire shapes.

type dimensionsJSON struct {
	Length string `json:"length"`
	Width  string `json:"width"`
	Height string `json:"height"`
}

type productAttrJSON struct {
	ID        int      `json:"id"`
	Name      string   `json:"name"`
	Slug      string   `json:"slug"`
	Position  int      `json:"position"`
	Visible   bool     `json:"visible"`
	Variation bool     `json:"variation"`
	Options   []string `json:"options"`
}

type variationAttrJSON struct {
	ID     int    `json:"id"`
	Name   string `json:"name"`
	Slug   string `json:"slug"`
	Option string `json:"option"`
}

type productJSON struct {
	ID                int            `json:"id"`
	Name              string         `json:"name"`
	Slug              string         `json:"slug"`
	Permalink         string         `json:"permalink"`
	DateCreated       *string        `json:"date_created"`
	DateCreatedGMT    *string        `json:"date_created_gmt"`
	DateModified      *string        `json:"date_modified"`
	DateModifiedGMT   *string        `json:"date_modified_gmt"`
	Type              string         `json:"type"`
	Status            string         `json:"status"`
	Featured          bool           `json:"featured"`
	CatalogVisibility string         `json:"catalog_visibility"`
	Description       string         `json:"description"`
	ShortDescription  string         `json:"short_description"`
	SKU               string         `json:"sku"`
	Price             string         `json:"price"`
	RegularPrice      string         `json:"regular_price"`
	SalePrice         string         `json:"sale_price"`
	DateOnSaleFrom    *string        `json:"date_on_sale_from"`
	DateOnSaleFromGMT *string        `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      *string        `json:"date_on_sale_to"`
	DateOnSaleToGMT   *string        `json:"date_on_sale_to_gmt"`
	PriceHTML         string         `json:"price_html"`
	OnSale            bool           `json:"on_sale"`
	Purchasable       bool           `json:"purchasable"`
	TotalSales        int            `json:"total_sales"`
	Virtual           bool           `json:"virtual"`
	Downloadable      bool           `json:"downloadable"`
	Downloads         []any          `json:"downloads"`
	DownloadLimit     int            `json:"download_limit"`
	DownloadExpiry    int            `json:"download_expiry"`
	ExternalURL       string         `json:"external_url"`
	ButtonText        string         `json:"button_text"`
	TaxStatus         string         `json:"tax_status"`
	TaxClass          string         `json:"tax_class"`
	ManageStock       any            `json:"manage_stock"`
	StockQuantity     *int           `json:"stock_quantity"`
	StockStatus       string         `json:"stock_status"`
	Backorders        string         `json:"backorders"`
	BackordersAllowed bool           `json:"backorders_allowed"`
	Backordered       bool           `json:"backordered"`
	LowStockAmount    *int           `json:"low_stock_amount"`
	SoldIndividually  bool           `json:"sold_individually"`
	Weight            string         `json:"weight"`
	Dimensions        dimensionsJSON `json:"dimensions"`
	ShippingRequired  bool           `json:"shipping_required"`
	ShippingTaxable   bool           `json:"shipping_taxable"`
	ShippingClass     string         `json:"shipping_class"`
	ShippingClassID   int            `json:"shipping_class_id"`
	ReviewsAllowed    bool           `json:"reviews_allowed"`
	AverageRating     string         `json:"average_rating"`
	RatingCount       int            `json:"rating_count"`
	RelatedIDs        []int          `json:"related_ids"`
	UpsellIDs         []int          `json:"upsell_ids"`
	CrossSellIDs      []int          `json:"cross_sell_ids"`
	ParentID          int            `json:"parent_id"`
	PurchaseNote      string         `json:"purchase_note"`
	Categories        []any          `json:"categories"`
	Tags              []any          `json:"tags"`
	Images            []any          `json:"images"`
	Attributes        any            `json:"attributes"`
	DefaultAttributes []any          `json:"default_attributes"`
	Variations        []int          `json:"variations"`
	GroupedProducts   []int          `json:"grouped_products"`
	MenuOrder         int            `json:"menu_order"`
	MetaData          []metaJSON     `json:"meta_data"`
	Links             obj            `json:"_links"`
}

type variationJSON struct {
	ID                int                 `json:"id"`
	Type              string              `json:"type"`
	DateCreated       *string             `json:"date_created"`
	DateCreatedGMT    *string             `json:"date_created_gmt"`
	DateModified      *string             `json:"date_modified"`
	DateModifiedGMT   *string             `json:"date_modified_gmt"`
	Description       string              `json:"description"`
	Permalink         string              `json:"permalink"`
	SKU               string              `json:"sku"`
	Price             string              `json:"price"`
	RegularPrice      string              `json:"regular_price"`
	SalePrice         string              `json:"sale_price"`
	DateOnSaleFrom    *string             `json:"date_on_sale_from"`
	DateOnSaleFromGMT *string             `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      *string             `json:"date_on_sale_to"`
	DateOnSaleToGMT   *string             `json:"date_on_sale_to_gmt"`
	OnSale            bool                `json:"on_sale"`
	Status            string              `json:"status"`
	Purchasable       bool                `json:"purchasable"`
	Virtual           bool                `json:"virtual"`
	Downloadable      bool                `json:"downloadable"`
	Downloads         []any               `json:"downloads"`
	DownloadLimit     int                 `json:"download_limit"`
	DownloadExpiry    int                 `json:"download_expiry"`
	TaxStatus         string              `json:"tax_status"`
	TaxClass          string              `json:"tax_class"`
	ManageStock       any                 `json:"manage_stock"`
	StockQuantity     *int                `json:"stock_quantity"`
	StockStatus       string              `json:"stock_status"`
	Backorders        string              `json:"backorders"`
	BackordersAllowed bool                `json:"backorders_allowed"`
	Backordered       bool                `json:"backordered"`
	LowStockAmount    *int                `json:"low_stock_amount"`
	Weight            string              `json:"weight"`
	Dimensions        dimensionsJSON      `json:"dimensions"`
	ShippingClass     string              `json:"shipping_class"`
	ShippingClassID   int                 `json:"shipping_class_id"`
	Image             any                 `json:"image"`
	Attributes        []variationAttrJSON `json:"attributes"`
	MenuOrder         int                 `json:"menu_order"`
	MetaData          []metaJSON          `json:"meta_data"`
	Name              string              `json:"name"`
	ParentID          int                 `json:"parent_id"`
	Links             obj                 `json:"_links"`
}

// stockFields returns manage_stock (true, false or "parent" for a
// variation using its parent's stock) and stock_quantity.
func (s *Server) stockFields(p *Product) (any, *int) {
	if p.ManageStock {
		q := *p.StockQuantity
		return true, &q
	}
	if holder := s.stockHolder(p); holder != nil {
		q := *holder.StockQuantity
		return "parent", &q
	}
	return false, nil
}

// price is a product's current price; a variable product's is its
// cheapest variation's.
func (s *Server) price(p *Product) string {
	if p.Type != "variable" {
		return p.RegularPrice
	}
	best := ""
	for _, id := range sortedKeys(s.products) {
		if c := s.products[id]; c.ParentID == p.ID && c.Type == "variation" {
			if best == "" || mustCents(c.RegularPrice) < mustCents(best) {
				best = c.RegularPrice
			}
		}
	}
	return best
}

// productJSON is WC_REST_Products_Controller::prepare_object_for_response;
// s.mu must be held.
func (s *Server) productJSON(c *call, p *Product) any {
	manage, qty := s.stockFields(p)
	status := s.stockStatus(p)
	price := s.price(p)
	slug := slugify(p.Name)
	permalink := c.home + "/product/" + slug + "/"
	var attrs any
	var variations []int
	if p.Type == "variation" {
		va := []variationAttrJSON{}
		for _, a := range p.Attributes {
			va = append(va, variationAttrJSON{ID: a.ID, Name: a.Name, Slug: a.Slug, Option: a.Option})
		}
		attrs = va
		if parent, ok := s.products[p.ParentID]; ok {
			permalink = s.variationPermalink(c, parent, p)
		}
	} else {
		pa := []productAttrJSON{}
		for i, a := range p.Attributes {
			pa = append(pa, productAttrJSON{ID: a.ID, Name: a.Name, Slug: a.Slug, Position: i, Visible: true, Variation: p.Type == "variable", Options: a.Options})
		}
		attrs = pa
	}
	variations = []int{}
	if p.Type == "variable" {
		for _, id := range sortedKeys(s.products) {
			if ch := s.products[id]; ch.ParentID == p.ID && ch.Type == "variation" {
				variations = append(variations, id)
			}
		}
	}
	return productJSON{
		ID: p.ID, Name: p.Name, Slug: slug, Permalink: permalink,
		DateCreated: wpDate(p.Created, s.loc), DateCreatedGMT: wpDate(p.Created, time.UTC),
		DateModified: wpDate(p.Modified, s.loc), DateModifiedGMT: wpDate(p.Modified, time.UTC),
		Type: p.Type, Status: p.Status, CatalogVisibility: "visible",
		SKU: p.SKU, Price: price, RegularPrice: p.RegularPrice, PriceHTML: s.priceHTML(p, price),
		Purchasable: price != "" && p.Status == "publish", Virtual: p.Virtual, Downloads: []any{},
		DownloadLimit: -1, DownloadExpiry: -1, TaxStatus: "taxable",
		ManageStock: manage, StockQuantity: qty, StockStatus: status, Backorders: p.Backorders,
		BackordersAllowed: p.Backorders != "no", Backordered: status == "onbackorder",
		ShippingRequired: !p.Virtual, ShippingTaxable: !p.Virtual, ReviewsAllowed: true, AverageRating: "0.00",
		RelatedIDs: []int{}, UpsellIDs: []int{}, CrossSellIDs: []int{}, ParentID: p.ParentID,
		Categories: []any{}, Tags: []any{}, Images: []any{}, Attributes: attrs, DefaultAttributes: []any{},
		Variations: variations, GroupedProducts: []int{}, MetaData: []metaJSON{},
		Links: obj{
			{"self", []href{{c.restURL(fmt.Sprintf("/wc/v3/products/%d", p.ID))}}},
			{"collection", []href{{c.restURL("/wc/v3/products")}}},
		},
	}
}

// variationJSON is WC_REST_Product_Variations_Controller's response shape.
func (s *Server) variationJSON(c *call, v *Product) any {
	manage, qty := s.stockFields(v)
	status := s.stockStatus(v)
	attrs := []variationAttrJSON{}
	for _, a := range v.Attributes {
		attrs = append(attrs, variationAttrJSON{ID: a.ID, Name: a.Name, Slug: a.Slug, Option: a.Option})
	}
	permalink := c.home + "/product/" + slugify(v.Name) + "/"
	if parent, ok := s.products[v.ParentID]; ok {
		permalink = s.variationPermalink(c, parent, v)
	}
	base := fmt.Sprintf("/wc/v3/products/%d", v.ParentID)
	return variationJSON{
		ID: v.ID, Type: "variation",
		DateCreated: wpDate(v.Created, s.loc), DateCreatedGMT: wpDate(v.Created, time.UTC),
		DateModified: wpDate(v.Modified, s.loc), DateModifiedGMT: wpDate(v.Modified, time.UTC),
		Permalink: permalink, SKU: v.SKU, Price: v.RegularPrice, RegularPrice: v.RegularPrice,
		Status: v.Status, Purchasable: v.RegularPrice != "" && v.Status == "publish", Virtual: v.Virtual,
		Downloads: []any{}, DownloadLimit: -1, DownloadExpiry: -1, TaxStatus: "taxable", TaxClass: "parent",
		ManageStock: manage, StockQuantity: qty, StockStatus: status, Backorders: v.Backorders,
		BackordersAllowed: v.Backorders != "no", Backordered: status == "onbackorder",
		Image: nil, Attributes: attrs, MetaData: []metaJSON{}, Name: v.Name, ParentID: v.ParentID,
		Links: obj{
			{"self", []href{{c.restURL(fmt.Sprintf("%s/variations/%d", base, v.ID))}}},
			{"collection", []href{{c.restURL(base + "/variations")}}},
			{"up", []href{{c.restURL(base)}}},
		},
	}
}

func (s *Server) variationPermalink(c *call, parent, v *Product) string {
	u := c.home + "/product/" + slugify(parent.Name) + "/"
	var q []string
	for _, a := range v.Attributes {
		key := a.Slug
		if key == "" {
			key = strings.ToLower(a.Name)
		}
		q = append(q, "attribute_"+key+"="+urlencode(slugify(a.Option)))
	}
	if len(q) > 0 {
		u += "?" + strings.Join(q, "&")
	}
	return u
}

// currencySymbols are get_woocommerce_currency_symbol() entities.
var currencySymbols = map[string]string{"USD": "&#36;", "EUR": "&euro;", "GBP": "&pound;", "PLN": "&#122;&#322;", "CNY": "&yen;", "JPY": "&yen;", "CAD": "&#36;", "AUD": "&#36;"}

// priceHTML is wc_price markup (a range for a variable product).
func (s *Server) priceHTML(p *Product, price string) string {
	if price == "" {
		return ""
	}
	one := func(v string) string {
		sym := currencySymbols[s.opts.Currency]
		if sym == "" {
			sym = s.opts.Currency
		}
		return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">` + sym + `</span>` + thousands(mustCents(v)) + `</bdi></span>`
	}
	if p.Type == "variable" {
		hi := price
		for _, id := range sortedKeys(s.products) {
			if c := s.products[id]; c.ParentID == p.ID && mustCents(c.RegularPrice) > mustCents(hi) {
				hi = c.RegularPrice
			}
		}
		if mustCents(hi) != mustCents(price) {
			return one(price) + " &ndash; " + one(hi) // wc_format_price_range
		}
	}
	return one(price)
}

// thousands formats c as number_format(v, 2, '.', ',').
func thousands(c cents) string {
	s := c.String()
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	var b strings.Builder
	if c < 0 {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "." + frac
}

// slugify is sanitize_title: lower case, HTML entities dropped, runs of
// other characters turned into one "-", non-ASCII letters percent-encoded
// in lower case as WordPress stores them.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for i := 0; i < len(name); i++ {
		ch := name[i]
		switch {
		case ch == '&':
			if j := strings.IndexByte(name[i:], ';'); j > 0 && j < 10 {
				i += j
			}
			dash = true
		case 'a' <= ch && ch <= 'z', '0' <= ch && ch <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteByte(ch)
		case 'A' <= ch && ch <= 'Z':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteByte(ch + 'a' - 'A')
		case ch >= 0x80:
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			fmt.Fprintf(&b, "%%%02x", ch)
		default:
			dash = true
		}
	}
	return b.String()
}
