package shopifysim

import (
	"fmt"
	"time"
)

// Refund is money and goods given back on an order (Shopify's Refund). RefundOrder fills in
// the IDs, the lines' amounts and the transaction.
type Refund struct {
	ID        int64 // legacyResourceId; assigned
	CreatedAt time.Time
	Note      string
	Lines     []RefundLine
	Shipping  Money // shipping refunded (Shopify's refundShippingLines), tax excluded
	// Amount is the money sent back (a REFUND transaction): what the lines, their tax and the
	// shipping come to, at most what the order received; nothing for an order never paid.
	Amount        Money
	TransactionID int64 // 0 when no money moved
}

// RefundLine gives back Quantity units of one order line.
type RefundLine struct {
	ID          int64 // assigned
	LineItemID  int64
	Quantity    int
	RestockType string // RETURN, CANCEL, LEGACY_RESTOCK (back into stock) or NO_RESTOCK (default)
	Subtotal    Money  // the units' price after discounts, tax excluded; computed
	Tax         Money  // their share of the line's tax; computed
}

// Restocked reports whether the line's units went back into stock.
func (l RefundLine) Restocked() bool { return l.RestockType != "" && l.RestockType != "NO_RESTOCK" }

// Total is what the refund credits: its lines with their tax, and the shipping.
func (r Refund) Total() Money {
	sum := r.Shipping
	for _, l := range r.Lines {
		sum += l.Subtotal + l.Tax
	}
	return sum
}

// RefundOrder refunds an order as refundCreate does: each line's units (at most those not
// refunded yet) are priced as sold, after discounts, with their share of the tax; restocked
// units go back to the primary location's available stock; the money (at most what the order
// received) goes back in a REFUND transaction; the financial status becomes PARTIALLY_REFUNDED
// or REFUNDED. The refunds/create and orders/updated webhooks are delivered.
func (s *Server) RefundOrder(orderID int64, r Refund) (Refund, error) {
	s.mu.Lock()
	old := s.orderByID[orderID]
	if old == nil {
		s.mu.Unlock()
		return Refund{}, fmt.Errorf("order %d: %w", orderID, ErrNotFound)
	}
	o := old.clone()
	now := s.now()
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	r.CreatedAt = r.CreatedAt.UTC().Truncate(time.Second)
	r.ID = s.nextID("refund", baseRefundID)
	var credit Money
	for i := range r.Lines {
		rl := &r.Lines[i]
		li := -1
		for j := range o.LineItems {
			if o.LineItems[j].ID == rl.LineItemID {
				li = j
			}
		}
		if li < 0 {
			s.mu.Unlock()
			return Refund{}, fmt.Errorf("refund of order %d: line item %d: %w", orderID, rl.LineItemID, ErrNotFound)
		}
		l := &o.LineItems[li]
		if rl.Quantity < 1 || rl.Quantity > l.Quantity-l.RefundedQuantity {
			s.mu.Unlock()
			return Refund{}, fmt.Errorf("refund of order %d: %d of line %d, %d refundable: %w", orderID, rl.Quantity, l.ID, l.Quantity-l.RefundedQuantity, ErrInvalid)
		}
		if rl.RestockType == "" {
			rl.RestockType = "NO_RESTOCK"
		}
		rl.ID = s.nextID("refundline", baseRefundID)
		q := Money(rl.Quantity)
		rl.Subtotal = (l.UnitPrice*Money(l.Quantity) - l.allDiscounts()) * q / Money(l.Quantity)
		var tax Money
		for _, t := range l.TaxLines {
			tax += t.Amount
		}
		rl.Tax = tax * q / Money(l.Quantity)
		l.RefundedQuantity += rl.Quantity
		if rl.Restocked() && l.VariantID != 0 && len(s.locations) > 0 {
			if v := s.variants[l.VariantID]; v != nil {
				if lv := s.levels[v.InventoryItemID][s.locations[0].ID]; lv != nil {
					lv.available += rl.Quantity
					lv.updatedAt = now
				}
			}
		}
		credit += rl.Subtotal + rl.Tax
	}
	credit += r.Shipping
	r.Amount = min(credit, max(0, o.TotalReceived()))
	if r.Amount > 0 {
		t := Transaction{ID: s.nextID("transaction", baseTransactionID), Kind: "REFUND", Status: "SUCCESS", Amount: r.Amount, ProcessedAt: r.CreatedAt}
		if len(o.Transactions) > 0 {
			t.Gateway = o.Transactions[0].Gateway
		}
		o.Transactions = append(o.Transactions, t)
		r.TransactionID = t.ID
	}
	if o.TotalRefunded() > 0 {
		o.FinancialStatus = "PARTIALLY_REFUNDED"
		if o.TotalReceived() <= 0 {
			o.FinancialStatus = "REFUNDED"
		}
	}
	o.Refunds = append(o.Refunds, r)
	o.UpdatedAt = now.UTC().Truncate(time.Second)
	if !o.UpdatedAt.After(old.UpdatedAt) {
		o.UpdatedAt = old.UpdatedAt.Add(time.Second)
	}
	s.orderByID[orderID] = o
	for i, e := range s.orders {
		if e == old {
			s.orders[i] = o
		}
	}
	refundEv := s.hooks.refundEvent(o, r)
	updEv := s.hooks.event("orders/updated", o)
	s.mu.Unlock()
	s.hooks.send(refundEv)
	s.hooks.send(updEv)
	return r, nil
}

// restRefund is the REST shape of a refund (the refunds/create webhook body).
func (s *Server) restRefund(o *Order, r Refund) *omap {
	out := newOmap()
	out.set("id", r.ID)
	out.set("order_id", o.ID)
	out.set("created_at", r.CreatedAt.In(s.opts.Timezone).Format("2006-01-02T15:04:05-07:00"))
	out.set("note", r.Note)
	out.set("restock", false)
	lines := []any{}
	for _, l := range r.Lines {
		rl := newOmap()
		rl.set("id", l.ID)
		rl.set("line_item_id", l.LineItemID)
		rl.set("quantity", l.Quantity)
		rl.set("restock_type", map[string]string{"NO_RESTOCK": "no_restock", "CANCEL": "cancel", "RETURN": "return", "LEGACY_RESTOCK": "legacy_restock"}[l.RestockType])
		rl.set("subtotal", l.Subtotal.restDecimal())
		rl.set("total_tax", l.Tax.restDecimal())
		lines = append(lines, rl)
		if l.Restocked() {
			out.set("restock", true)
		}
	}
	out.set("refund_line_items", lines)
	txs := []any{}
	if r.TransactionID != 0 {
		t := newOmap()
		t.set("id", r.TransactionID)
		t.set("order_id", o.ID)
		t.set("kind", "refund")
		t.set("status", "success")
		t.set("amount", r.Amount.restDecimal())
		txs = append(txs, t)
	}
	out.set("transactions", txs)
	return out
}
