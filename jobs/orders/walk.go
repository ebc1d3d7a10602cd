package orders

import (
	"encoding/json"
	"time"
)

// Fetch is one order of a page a client's walk reads: raw normalized by normalize or, when
// normalize refuses it, raw with Err set and the id and number identify reads from it. A
// client delivers either in its page: one bad order must not hold back the rest of the store's
// orders.
func Fetch(raw json.RawMessage, normalize func(json.RawMessage) (Order, error), identify func(json.RawMessage) Order) Fetched {
	o, err := normalize(raw)
	if err != nil {
		return Fetched{Raw: raw, Order: identify(raw), Err: err}
	}
	return Fetched{Raw: raw, Order: o}
}

// Delivered is what one walk of a client's orders has delivered: each order's UpdatedAt by
// ExternalID. A walk may read an order twice — an order leaving the filter shifts the next one
// onto an offset page already read, a keyset cursor moves an updated order behind it — and
// delivers it again only when it changed meanwhile. The zero value is not usable: make one.
type Delivered map[string]time.Time

// Deliver reports whether the walk delivers f, and records it when it does: an order
// Normalize refused always (its dates are unknown), any other unless it was delivered before
// with the same UpdatedAt.
func (d Delivered) Deliver(f Fetched) bool {
	if f.Err != nil {
		return true
	}
	if at, ok := d[f.Order.ExternalID]; ok && at.Equal(f.Order.UpdatedAt) {
		return false
	}
	d[f.Order.ExternalID] = f.Order.UpdatedAt
	return true
}

// MaxPasses bounds the passes Repeat makes over one list.
const MaxPasses = 3

// Repeat makes passes over an offset-paged list of orders until one sees the list hold still,
// at most MaxPasses: pass walks the whole list once, telling total the list's size as each
// page reports it. An order that leaves the filter mid-pass shifts the next one onto a page
// already read, so a pass during which the total changed may have missed orders; the next
// one, delivering through the same Delivered, delivers only those. Repeat returns pass's
// first error, and settled false when the total still changed during the last pass.
func Repeat(pass func(total func(n int)) error) (settled bool, err error) {
	for range MaxPasses {
		first, changed := -1, false
		err := pass(func(n int) {
			if first < 0 {
				first = n
			} else if n != first {
				changed = true
			}
		})
		if err != nil {
			return false, err
		}
		if !changed {
			return true, nil
		}
	}
	return false, nil
}
