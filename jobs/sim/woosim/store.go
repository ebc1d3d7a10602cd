package woosim

import (
	"cmp"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// AddProduct adds a simple or variable product to the catalog and returns
// it with its ID, dates and defaults (Type "simple", Status "publish",
// Backorders "no") filled in. A product with ManageStock and no
// StockQuantity gets 0. It fails when another product already has the
// SKU (ErrConflict), as WooCommerce's unique-SKU check does.
func (s *Server) AddProduct(p Product) (Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Type == "" {
		p.Type = "simple"
	}
	if p.Type == "variation" {
		return Product{}, errorf("add product %q: use AddVariation for variations", p.Name)
	}
	return s.addProductLocked(p)
}

// AddVariation adds a variation to the variable product parentID. Its
// name becomes "Parent - Option, Option" when empty.
func (s *Server) AddVariation(parentID int, v Product) (Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	parent, ok := s.products[parentID]
	if !ok || parent.Type != "variable" {
		return Product{}, fmt.Errorf("woocommerce: add variation to %d: %w", parentID, ErrNotFound)
	}
	v.Type, v.ParentID = "variation", parentID
	if v.Name == "" {
		var opts []string
		for _, a := range v.Attributes {
			opts = append(opts, a.Option)
		}
		v.Name = parent.Name + " - " + strings.Join(opts, ", ")
	}
	return s.addProductLocked(v)
}

func (s *Server) addProductLocked(p Product) (Product, error) {
	if p.SKU != "" {
		if other := s.productBySKU(p.SKU); other != nil {
			return Product{}, errorf("add product %q: SKU %q is used by product %d: %w", p.Name, p.SKU, other.ID, ErrConflict)
		}
	}
	if p.ID == 0 {
		p.ID = s.allocPostID()
	} else if _, taken := s.products[p.ID]; taken {
		return Product{}, errorf("add product: ID %d: %w", p.ID, ErrConflict)
	} else if p.ID >= s.nextPostID {
		s.nextPostID = p.ID + 1
	}
	if p.Status == "" {
		p.Status = "publish"
	}
	if p.Backorders == "" {
		p.Backorders = "no"
	}
	if p.ManageStock && p.StockQuantity == nil {
		p.StockQuantity = new(int)
	}
	if !p.ManageStock {
		p.StockQuantity = nil
	}
	if p.StockStatus == "" {
		p.StockStatus = "instock"
	}
	if p.Created.IsZero() {
		p.Created = s.now()
	}
	if p.Modified.IsZero() {
		p.Modified = p.Created
	}
	stored := p.clone()
	s.products[p.ID] = &stored
	return stored.clone(), nil
}

// Product returns the product or variation with the given ID.
func (s *Server) Product(id int) (Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[id]
	if !ok {
		return Product{}, false
	}
	return p.clone(), true
}

// Products returns the whole catalog, variations included, by ID.
func (s *Server) Products() []Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Product, 0, len(s.products))
	for _, id := range sortedKeys(s.products) {
		out = append(out, s.products[id].clone())
	}
	return out
}

// StockOf returns the stock quantity of the product or variation with the
// given SKU (whole SKU, ignoring case like WooCommerce's lookups). For a variation that does not
// manage its own stock but whose parent does, it is the parent's stock, as
// in WooCommerce. ok is false when no product has the SKU or its stock is
// not managed.
func (s *Server) StockOf(sku string) (qty int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.productBySKU(sku)
	if p == nil {
		return 0, false
	}
	if holder := s.stockHolder(p); holder != nil {
		return *holder.StockQuantity, true
	}
	return 0, false
}

// SetStock turns stock management on for the product or variation with
// the given SKU and sets its quantity, as a shop manager would in the
// admin. It returns ErrNotFound for an unknown SKU.
func (s *Server) SetStock(sku string, qty int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.productBySKU(sku)
	if p == nil {
		return fmt.Errorf("woocommerce: set stock of %q: %w", sku, ErrNotFound)
	}
	p.ManageStock = true
	p.StockQuantity = &qty
	p.Modified = s.now()
	return nil
}

// productBySKU finds a product or variation by SKU. Like WooCommerce's
// SQL lookups under MySQL's default collation it ignores case.
func (s *Server) productBySKU(sku string) *Product {
	if sku == "" {
		return nil
	}
	for _, id := range sortedKeys(s.products) {
		if p := s.products[id]; strings.EqualFold(p.SKU, sku) {
			return p
		}
	}
	return nil
}

// stockHolder is the product whose stock p uses: p itself when it
// manages stock, the parent for a variation whose parent does, else nil.
func (s *Server) stockHolder(p *Product) *Product {
	if p.ManageStock {
		return p
	}
	if p.Type == "variation" {
		if parent, ok := s.products[p.ParentID]; ok && parent.ManageStock {
			return parent
		}
	}
	return nil
}

// stockStatus is wc_update_product_stock_status's rule with the default
// "out of stock threshold" of 0.
func (s *Server) stockStatus(p *Product) string {
	if p.Type == "variable" {
		status := "outofstock"
		for _, id := range sortedKeys(s.products) {
			if c := s.products[id]; c.ParentID == p.ID && c.Type == "variation" {
				switch s.stockStatus(c) {
				case "instock":
					return "instock"
				case "onbackorder":
					status = "onbackorder"
				}
			}
		}
		if status == "outofstock" && p.ManageStock && *p.StockQuantity > 0 {
			return "instock"
		}
		return status
	}
	holder := s.stockHolder(p)
	if holder == nil {
		return cmp.Or(p.StockStatus, "instock")
	}
	if *holder.StockQuantity > 0 {
		return "instock"
	}
	if holder.Backorders != "no" {
		return "onbackorder"
	}
	return "outofstock"
}

// AddOrder stores a new order and returns it as stored. Zero fields get
// defaults: ID (next post ID), Number (the ID), OrderKey, Status
// "pending", Currency (the store's), Created and Modified (now), Version,
// CreatedVia "checkout", Total "0.00" and friends. Items without IDs get
// order item IDs. An order.created webhook is delivered.
func (s *Server) AddOrder(o Order) (Order, error) {
	s.mu.Lock()
	stored, err := s.addOrderLocked(o)
	s.mu.Unlock()
	if err != nil {
		return Order{}, err
	}
	s.fireOrderWebhooks("order.created", stored.ID)
	return stored, nil
}

func (s *Server) addOrderLocked(o Order) (Order, error) {
	if o.ID == 0 {
		o.ID = s.allocPostID()
	} else if _, taken := s.orders[o.ID]; taken {
		return Order{}, errorf("add order: ID %d: %w", o.ID, ErrConflict)
	} else if o.ID >= s.nextPostID {
		s.nextPostID = o.ID + 1
	}
	if o.Status == "" {
		o.Status = "pending"
	}
	if o.Status != "trash" && !slices.Contains(orderStatuses, o.Status) {
		return Order{}, errorf("add order %d: unknown status %q", o.ID, o.Status)
	}
	if o.Number == "" {
		o.Number = strconv.Itoa(o.ID)
	}
	if o.OrderKey == "" {
		sum := md5.Sum([]byte("order-key-" + strconv.Itoa(o.ID)))
		o.OrderKey = "wc_order_" + hex.EncodeToString(sum[:])[:13]
	}
	if o.Currency == "" {
		o.Currency = s.opts.Currency
	}
	if o.CreatedVia == "" {
		o.CreatedVia = "checkout"
	}
	if o.Version == "" {
		o.Version = s.opts.WCVersion
	}
	if o.Created.IsZero() {
		o.Created = s.now()
	}
	if o.Modified.IsZero() {
		o.Modified = o.Created
	}
	for _, p := range []*string{&o.DiscountTotal, &o.DiscountTax, &o.ShippingTotal, &o.ShippingTax, &o.CartTax, &o.Total, &o.TotalTax} {
		if *p == "" {
			*p = "0.00"
		}
	}
	o = o.clone()
	for i := range o.LineItems {
		if o.LineItems[i].ID == 0 {
			o.LineItems[i].ID = s.allocItemID()
		}
		s.fillMetaIDs(o.LineItems[i].MetaData)
	}
	for i := range o.ShippingLines {
		if o.ShippingLines[i].ID == 0 {
			o.ShippingLines[i].ID = s.allocItemID()
		}
		s.fillMetaIDs(o.ShippingLines[i].MetaData)
	}
	for i := range o.FeeLines {
		if o.FeeLines[i].ID == 0 {
			o.FeeLines[i].ID = s.allocItemID()
		}
	}
	for i := range o.CouponLines {
		if o.CouponLines[i].ID == 0 {
			o.CouponLines[i].ID = s.allocItemID()
		}
	}
	for i := range o.TaxLines {
		if o.TaxLines[i].ID == 0 {
			o.TaxLines[i].ID = s.allocItemID()
		}
	}
	for i := range o.Refunds {
		if o.Refunds[i].ID == 0 {
			o.Refunds[i].ID = s.allocPostID()
		}
	}
	for i := range o.Notes {
		if o.Notes[i].ID == 0 {
			o.Notes[i].ID = s.nextNoteID
			s.nextNoteID++
		}
	}
	s.fillMetaIDs(o.MetaData)
	// An order that reached a paid or held status through checkout had its
	// stock reduced there (wc_maybe_reduce_stock_levels), with its note.
	if o.Status == "processing" || o.Status == "completed" || o.Status == "on-hold" {
		s.adjustStock(&o, -1, s.now())
		o.stockReduced = true
	}
	s.orders[o.ID] = &o
	return o.clone(), nil
}

// Order returns the order with the given ID.
func (s *Server) Order(id int) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, false
	}
	return o.clone(), true
}

// Orders returns every order, by ID.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.orders))
	for _, id := range sortedKeys(s.orders) {
		out = append(out, s.orders[id].clone())
	}
	return out
}

// UpdateOrder changes an order in place, the way an admin edit or a
// payment gateway callback would: fn gets a copy to change, the result is
// stored with Modified set to now (Created and ID cannot change) and an
// order.updated webhook is delivered. It returns ErrNotFound for an
// unknown ID. Stock is not adjusted; use the REST API to get WooCommerce's
// stock side effects of status changes. fn runs with the store locked and
// must not call other Server methods.
func (s *Server) UpdateOrder(id int, fn func(*Order)) (Order, error) {
	s.mu.Lock()
	o, ok := s.orders[id]
	if !ok {
		s.mu.Unlock()
		return Order{}, fmt.Errorf("woocommerce: update order %d: %w", id, ErrNotFound)
	}
	c := o.clone()
	fn(&c)
	c.ID, c.Created = o.ID, o.Created
	c.Modified = s.now()
	c.stockReduced = o.stockReduced
	s.fillMetaIDs(c.MetaData)
	*o = c.clone()
	out := o.clone()
	s.mu.Unlock()
	s.fireOrderWebhooks("order.updated", id)
	return out, nil
}

func (s *Server) allocPostID() int {
	id := s.nextPostID
	s.nextPostID++
	return id
}

func (s *Server) allocItemID() int {
	id := s.nextItemID
	s.nextItemID++
	return id
}

func (s *Server) fillMetaIDs(m []Meta) {
	for i := range m {
		if m[i].ID == 0 {
			m[i].ID = s.nextMetaID
			s.nextMetaID++
		}
	}
}
