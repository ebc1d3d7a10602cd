package shopifysim

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrInvalid is returned by AddOrder and UpdateOrder for orders Shopify
// could not hold: no line items, quantities below one, discounts larger than
// their line or pointing at no discount application.
var ErrInvalid = errors.New("shopify sim: invalid order")

// ErrExists is returned by AddOrder and AddProduct when the ID or order
// number is taken.
var ErrExists = errors.New("shopify sim: already exists")

// AddLocation adds an inventory location; every existing inventory item is
// stocked there with 0 available. It returns the location with its ID.
func (s *Server) AddLocation(l Location) Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.ID == 0 {
		l.ID = s.nextID("location", baseLocationID)
	}
	loc := l
	s.locations = append(s.locations, &loc)
	for itemID := range s.items {
		s.levels[itemID][loc.ID] = &level{updatedAt: s.now()}
	}
	return loc
}

// Locations returns the shop's locations, primary first.
func (s *Server) Locations() []Location {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Location, len(s.locations))
	for i, l := range s.locations {
		out[i] = *l
	}
	return out
}

// AddProduct adds a product. IDs, the handle and variant timestamps are
// filled in; variants are stocked at every active location with
// 0 available. SKUs need not be unique (they are not in Shopify either).
func (s *Server) AddProduct(p Product) (Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addProduct(p)
}

func (s *Server) addProduct(p Product) (Product, error) {
	if p.ID == 0 {
		p.ID = s.nextID("product", baseProductID)
	} else if s.product(p.ID) != nil {
		return Product{}, fmt.Errorf("product %d: %w", p.ID, ErrExists)
	}
	if p.Handle == "" {
		p.Handle = handleize(p.Title)
	}
	if len(p.Variants) == 0 {
		p.Variants = []Variant{{Title: "Default Title"}}
	}
	now := s.now()
	p.Variants = slices.Clone(p.Variants)
	for i := range p.Variants {
		v := &p.Variants[i]
		v.ProductID = p.ID
		if v.ID == 0 {
			v.ID = s.nextID("variant", baseVariantID)
		}
		if v.InventoryItemID == 0 {
			v.InventoryItemID = s.nextID("inventory", baseInventoryID)
		}
		if v.Title == "" {
			v.Title = "Default Title"
		}
		if v.CreatedAt.IsZero() {
			v.CreatedAt = now
		}
		if v.UpdatedAt.IsZero() {
			v.UpdatedAt = v.CreatedAt
		}
	}
	stored := p
	s.products = append(s.products, &stored)
	for i := range stored.Variants {
		v := &stored.Variants[i]
		s.variants[v.ID] = v
		s.items[v.InventoryItemID] = v
		s.levels[v.InventoryItemID] = map[int64]*level{}
		for _, loc := range s.locations {
			if loc.Active {
				s.levels[v.InventoryItemID][loc.ID] = &level{updatedAt: now}
			}
		}
	}
	return cloneProduct(&stored), nil
}

func cloneProduct(p *Product) Product {
	c := *p
	c.Variants = slices.Clone(p.Variants)
	return c
}

// Products returns the catalog in creation order.
func (s *Server) Products() []Product {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Product, len(s.products))
	for i, p := range s.products {
		out[i] = cloneProduct(p)
	}
	return out
}

func handleize(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// variantBySKU returns the first variant (by ID) with the SKU.
func (s *Server) variantBySKU(sku string) *Variant {
	var best *Variant
	for _, v := range s.variants {
		if v.SKU == sku && (best == nil || v.ID < best.ID) {
			best = v
		}
	}
	return best
}

// InventoryOf returns the available quantity of the SKU summed over all
// locations; ok is false when no variant has the SKU. With duplicate SKUs
// the lowest variant ID wins.
func (s *Server) InventoryOf(sku string) (available int, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v := s.variantBySKU(sku)
	if v == nil {
		return 0, false
	}
	return s.totalAvailable(v.InventoryItemID), true
}

// InventoryAt returns the available quantity of the SKU at one location.
func (s *Server) InventoryAt(sku string, locationID int64) (available int, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v := s.variantBySKU(sku)
	if v == nil {
		return 0, false
	}
	l := s.levels[v.InventoryItemID][locationID]
	if l == nil {
		return 0, false
	}
	return l.available, true
}

// SetInventory sets the available quantity of the SKU at the primary
// (first) location. It returns ErrNotFound for an unknown SKU.
func (s *Server) SetInventory(sku string, available int) error {
	s.mu.RLock()
	loc := s.locations[0].ID
	s.mu.RUnlock()
	return s.SetInventoryAt(sku, loc, available)
}

// SetInventoryAt sets the available quantity of the SKU at a location,
// stocking the item there if needed. It returns ErrNotFound for an unknown
// SKU or location.
func (s *Server) SetInventoryAt(sku string, locationID int64, available int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.variantBySKU(sku)
	if v == nil {
		return fmt.Errorf("sku %q: %w", sku, ErrNotFound)
	}
	if s.location(locationID) == nil {
		return fmt.Errorf("location %d: %w", locationID, ErrNotFound)
	}
	l := s.levels[v.InventoryItemID][locationID]
	if l == nil {
		l = &level{}
		s.levels[v.InventoryItemID][locationID] = l
	}
	l.available = available
	l.updatedAt = s.now()
	return nil
}

// AddOrder stores a new order and returns it as stored. Missing IDs, the
// order number, the name ("#1001"), timestamps (now), statuses (PAID,
// UNFULFILLED), currency and source ("web") are filled in; line items
// whose SKU matches a variant are linked to it (and take its title and
// price when those are empty). It returns ErrExists when the ID or name is
// taken and ErrInvalid for an order Shopify could not hold. An orders/create webhook is sent to subscribers.
func (s *Server) AddOrder(o Order) (Order, error) {
	s.mu.Lock()
	c := o.clone()
	if c.ID != 0 && s.orderByID[c.ID] != nil {
		s.mu.Unlock()
		return Order{}, fmt.Errorf("order %d: %w", c.ID, ErrExists)
	}
	if c.ID == 0 {
		c.ID = s.nextID("order", baseOrderID)
		for s.orderByID[c.ID] != nil {
			c.ID = s.nextID("order", baseOrderID)
		}
	}
	if c.Number == 0 {
		c.Number = s.nextNum
	}
	s.nextNum = max(s.nextNum, c.Number+1)
	if c.Name == "" {
		c.Name = fmt.Sprintf("#%d", c.Number)
	}
	for _, e := range s.orders {
		if e.Name == c.Name {
			s.mu.Unlock()
			return Order{}, fmt.Errorf("order name %s: %w", c.Name, ErrExists)
		}
	}
	now := s.now()
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Second)
	if c.UpdatedAt.IsZero() || c.UpdatedAt.Before(c.CreatedAt) {
		c.UpdatedAt = c.CreatedAt
	}
	if c.ProcessedAt.IsZero() {
		c.ProcessedAt = c.CreatedAt
	}
	if c.FinancialStatus == "" {
		c.FinancialStatus = "PAID"
	}
	if c.FulfillmentStatus == "" {
		c.FulfillmentStatus = "UNFULFILLED"
	}
	if c.SourceName == "" {
		c.SourceName = "web"
	}
	if c.Currency == "" {
		c.Currency = s.opts.Currency
	}
	s.normalize(c)
	if err := validOrder(c); err != nil {
		s.mu.Unlock()
		return Order{}, err
	}
	s.orderByID[c.ID] = c
	s.commitStock(c, now)
	i, _ := slices.BinarySearchFunc(s.orders, c.ID, func(a *Order, id int64) int { return cmpInt64(a.ID, id) })
	s.orders = slices.Insert(s.orders, i, c)
	ev := s.hooks.event("orders/create", c)
	out := *c.clone()
	s.mu.Unlock()
	s.hooks.send(ev)
	return out, nil
}

// commitStock takes a new order's quantities off the available stock of its
// tracked variants, as a Shopify checkout does, at the first location that
// stocks the item (the sim does not pick fulfillment locations). A cancelled
// order is taken as placed and restocked: its lines leave the stock as it
// was. Refunds do not restock (Shopify's "Restock items" left off). The
// caller holds s.mu.
func (s *Server) commitStock(o *Order, now time.Time) {
	if !o.CancelledAt.IsZero() {
		return
	}
	for _, l := range o.LineItems {
		v := s.variants[l.VariantID]
		if v == nil || v.Untracked || l.Quantity == 0 {
			continue
		}
		for _, loc := range s.locations {
			if lv := s.levels[v.InventoryItemID][loc.ID]; lv != nil {
				lv.available -= l.Quantity
				lv.updatedAt = now
				break
			}
		}
	}
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// normalize assigns IDs and links SKUs; the caller holds s.mu.
func (s *Server) normalize(o *Order) {
	o.CreatedAt = o.CreatedAt.UTC()
	o.UpdatedAt = o.UpdatedAt.UTC().Truncate(time.Second)
	o.ProcessedAt = o.ProcessedAt.UTC().Truncate(time.Second)
	if !o.CancelledAt.IsZero() {
		o.CancelledAt = o.CancelledAt.UTC().Truncate(time.Second)
	}
	if !o.ClosedAt.IsZero() {
		o.ClosedAt = o.ClosedAt.UTC().Truncate(time.Second)
	}
	if o.Customer != nil {
		if o.Customer.ID == 0 {
			o.Customer.ID = s.nextID("customer", baseCustomerID)
		}
		cu := *o.Customer
		s.customers[cu.ID] = &cu
	}
	for i := range o.LineItems {
		l := &o.LineItems[i]
		if l.ID == 0 {
			l.ID = s.nextID("lineitem", baseLineItemID)
		}
		if l.VariantID == 0 && l.SKU != "" {
			if v := s.variantBySKU(l.SKU); v != nil {
				l.VariantID, l.ProductID = v.ID, v.ProductID
				p := s.product(v.ProductID)
				if l.Title == "" {
					l.Title = p.Title
				}
				if l.VariantTitle == "" && v.Title != "Default Title" {
					l.VariantTitle = v.Title
				}
				if l.Vendor == "" {
					l.Vendor = p.Vendor
				}
				if l.UnitPrice == 0 {
					l.UnitPrice = v.Price
				}
			}
		}
	}
	for i := range o.ShippingLines {
		if o.ShippingLines[i].ID == 0 {
			o.ShippingLines[i].ID = s.nextID("shipping", baseShippingID)
		}
	}
	for i := range o.Transactions {
		t := &o.Transactions[i]
		if t.ID == 0 {
			t.ID = s.nextID("transaction", baseTransactionID)
		}
		if t.ProcessedAt.IsZero() {
			t.ProcessedAt = o.ProcessedAt
		}
		t.ProcessedAt = t.ProcessedAt.UTC().Truncate(time.Second)
	}
}

func validOrder(o *Order) error {
	if len(o.LineItems) == 0 {
		return fmt.Errorf("order %s: no line items: %w", o.Name, ErrInvalid)
	}
	for i, l := range o.LineItems {
		if l.Quantity < 1 || l.RefundedQuantity > l.Quantity || l.UnitPrice < 0 {
			return fmt.Errorf("order %s line %d: quantity %d, refunded %d, price %s: %w", o.Name, i, l.Quantity, l.RefundedQuantity, l.UnitPrice.Decimal(), ErrInvalid)
		}
		for _, d := range l.Discounts {
			if d.Application < 0 || d.Application >= len(o.DiscountApplications) {
				return fmt.Errorf("order %s line %d: discount allocation to application %d: %w", o.Name, i, d.Application, ErrInvalid)
			}
		}
		if l.allDiscounts() > l.UnitPrice*Money(l.Quantity) {
			return fmt.Errorf("order %s line %d: discounts %s above the line total: %w", o.Name, i, l.allDiscounts().Decimal(), ErrInvalid)
		}
	}
	return nil
}

// UpdateOrder edits a stored order: edit receives a copy, and the result
// replaces the order. Unless edit moved UpdatedAt forward itself, UpdatedAt
// becomes now (at least one second after the previous value, so every edit
// is visible to updated_at:> filters). The ID cannot change. It returns
// ErrNotFound for an unknown ID. An orders/updated webhook is sent.
func (s *Server) UpdateOrder(id int64, edit func(*Order)) (Order, error) {
	s.mu.Lock()
	old := s.orderByID[id]
	if old == nil {
		s.mu.Unlock()
		return Order{}, fmt.Errorf("order %d: %w", id, ErrNotFound)
	}
	c := old.clone()
	edit(c)
	c.ID = id
	if !c.UpdatedAt.After(old.UpdatedAt) {
		c.UpdatedAt = s.now()
		if !c.UpdatedAt.After(old.UpdatedAt) {
			c.UpdatedAt = old.UpdatedAt.Add(time.Second)
		}
	}
	s.normalize(c)
	if err := validOrder(c); err != nil {
		s.mu.Unlock()
		return Order{}, err
	}
	s.orderByID[id] = c
	i := slices.Index(s.orders, old)
	s.orders[i] = c
	ev := s.hooks.event("orders/updated", c)
	out := *c.clone()
	s.mu.Unlock()
	s.hooks.send(ev)
	return out, nil
}

// Order returns a copy of the order with the ID.
func (s *Server) Order(id int64) (Order, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.orderByID[id]
	if o == nil {
		return Order{}, false
	}
	return *o.clone(), true
}

// Orders returns copies of every order, by ID.
func (s *Server) Orders() []Order {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Order, len(s.orders))
	for i, o := range s.orders {
		out[i] = *o.clone()
	}
	return out
}
