package qbosim

import (
	"errors"
	"slices"
	"strings"
)

// ErrNotFound is returned by inspection helpers for an unknown entity.
var ErrNotFound = errors.New("qbosim: no such entity")

// Txns returns the live transactions of kind (all transaction kinds when kind
// is ""), optionally only those with DocNumber docNumber, in Id order.
func (s *Server) Txns(kind, docNumber string) []Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Object
	for _, k := range txnKinds {
		if kind != "" && k != kind {
			continue
		}
		for _, r := range s.co.all(k) {
			if r.Deleted || (docNumber != "" && str(r.Data["DocNumber"]) != docNumber) {
				continue
			}
			out = append(out, s.view(r))
		}
	}
	return out
}

// Items returns every item (active or not) in Id order.
func (s *Server) Items() []Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Object
	for _, r := range s.co.all(KindItem) {
		out = append(out, s.view(r))
	}
	return out
}

// Entity returns one live entity of kind by Id.
func (s *Server) Entity(kind, id string) (Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.co.get(kind, id)
	if r == nil {
		return nil, ErrNotFound
	}
	return s.view(r), nil
}

// ItemBySku returns the live item with that Sku (or Name when sku matches no
// Sku), for tests that check QtyOnHand.
func (s *Server) ItemBySku(sku string) (Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.co.all(KindItem)
	for _, match := range []string{"Sku", "Name"} {
		i := slices.IndexFunc(items, func(r *record) bool {
			return !r.Deleted && strings.EqualFold(str(r.Data[match]), sku)
		})
		if i >= 0 {
			return s.view(items[i]), nil
		}
	}
	return nil, ErrNotFound
}

// Create adds an entity as a QuickBooks user or another app would (the same
// rules as POST /{entity}; webhooks fire). It returns the stored entity.
func (s *Server) Create(kind string, o Object) (Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := &opCtx{now: s.now()}
	out, f := s.apply(ctx, kind, "create", o)
	if f != nil {
		return nil, f
	}
	s.afterWriteLocked(ctx)
	return out, nil
}

// SetQtyOnHand sets an inventory item's quantity as a QuickBooks user's
// inventory adjustment would: the item's SyncToken and LastUpdatedTime move,
// so CDC and webhooks report it.
func (s *Server) SetQtyOnHand(itemID string, qty float64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	item := s.co.get(KindItem, itemID)
	if item == nil || !isTrue(item.Data["TrackQtyOnHand"], false) {
		return ErrNotFound
	}
	ctx := &opCtx{now: s.now()}
	s.setQty(ctx, item, qty)
	s.afterWriteLocked(ctx)
	return nil
}

// SetSKUEnabled turns the company's SKU preference on or off (as the
// Preferences update does). With it off, Sku is dropped from items written
// and absent from items read.
func (s *Server) SetSKUEnabled(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.co.SKU = on
	if p := s.co.get(KindPreferences, "1"); p != nil {
		v := "false"
		if on {
			v = "true"
		}
		p.Data["OtherPrefs"] = Object{"NameValue": []any{Object{"Name": skuPreference, "Value": v}}}
	}
}

// SetClassTracking turns the company's class tracking per transaction
// (Preferences.AccountingInfoPrefs.ClassTrackingPerTxn) on or off, as a user's
// change of Account and Settings › Advanced › Categories does. With it off, a
// sale naming a ClassRef is refused.
func (s *Server) SetClassTracking(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.co.get(KindPreferences, "1"); p != nil {
		prefs := obj(p.Data["AccountingInfoPrefs"])
		if prefs == nil {
			prefs = Object{}
			p.Data["AccountingInfoPrefs"] = prefs
		}
		prefs["ClassTrackingPerTxn"] = on
	}
}

// Counts returns the Accounting API's counters.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// Requests returns the Accounting API requests answered so far (the latest
// 20 000).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Save writes the company (entities, sequences, requestid answers) to path.
func (s *Server) Save(path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.co.save(path)
}
