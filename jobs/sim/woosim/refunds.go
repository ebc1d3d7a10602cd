package woosim

import (
	"fmt"
	"strings"
)

// RefundOrder refunds amount (a decimal string, e.g. "10.00") of order id with reason, the way
// the admin's "Refund manually" does: a refund post (its ID from the posts' sequence) is added to
// the order's refunds with a negative total, a system note records it, and when the refunds reach
// the order's total the status becomes "refunded". The order's Modified moves to now and an
// order.updated webhook is delivered. An amount above what is left to refund is ErrInvalid.
// Stock is not touched (WooCommerce restocks only when asked per line, which the wc/v3 order
// does not show).
func (s *Server) RefundOrder(id int, amount, reason string) (Refund, error) {
	amt, err := parseCents(amount)
	if err != nil || amt <= 0 {
		return Refund{}, fmt.Errorf("woocommerce: refund of order %d: amount %q: %w", id, amount, ErrInvalid)
	}
	o, ok := s.Order(id)
	if !ok {
		return Refund{}, fmt.Errorf("woocommerce: refund of order %d: %w", id, ErrNotFound)
	}
	if left := leftToRefund(&o); amt > left {
		return Refund{}, fmt.Errorf("woocommerce: refund of order %d: %s asked, %s left to refund: %w", id, amt, left, ErrInvalid)
	}
	var out Refund
	_, err = s.UpdateOrder(id, func(o *Order) {
		left := leftToRefund(o)
		out = Refund{ID: s.allocPostID(), Reason: reason, Total: "-" + amt.String()}
		o.Refunds = append(o.Refunds, out)
		now := s.now()
		s.addNote(o, fmt.Sprintf("Refunded %s %s – %s", o.Currency, amt, reason), false, now)
		if amt >= left {
			s.addNote(o, "Order status changed from "+strings.ToUpper(o.Status[:1])+o.Status[1:]+" to Refunded.", false, now)
			o.Status = "refunded"
		}
	})
	return out, err
}

// leftToRefund is the order's total less its refunds.
func leftToRefund(o *Order) cents {
	left := mustCents(o.Total)
	for _, r := range o.Refunds {
		left -= mustCents(strings.TrimPrefix(r.Total, "-"))
	}
	return left
}
