package shipstationsim

import (
	"strings"
	"time"
)

// AutoShipKeyPrefix starts the orderKey of orders Ledgerlink creates from QuickBooks sales
// (shipstation.QuickBooksOrderKey): the orders Options.AutoShipAfter ships.
const AutoShipKeyPrefix = "llqb-"

// shipDue plays the warehouse of the demo: every order created from a QuickBooks sale that
// has waited in awaiting_shipment for Options.AutoShipAfter gets a label (UPS Ground, a
// generated tracking number, a cost from its id), as if someone had shipped it; SHIP_NOTIFY
// fires as for Ship. It runs when a request arrives, so an idle simulator does nothing.
func (s *Server) shipDue(now time.Time) {
	if s.opts.AutoShipAfter <= 0 {
		return
	}
	type batch struct {
		store int64
		id    string
	}
	var notes []batch
	s.mu.Lock()
	for _, rec := range s.orders {
		o := &rec.o
		if rec.deleted || o.OrderStatus != StatusAwaitingShipment || !strings.HasPrefix(o.OrderKey, AutoShipKeyPrefix) {
			continue
		}
		created, err := parseTime(o.CreateDate)
		if err != nil || now.Sub(created) < s.opts.AutoShipAfter {
			continue
		}
		cost := 6.50 + float64(o.OrderID%700)/100
		sh := s.ship(rec, "ups", "ups_ground", trackingFor("ups", s.rng), cost, tick(now), tick(now))
		notes = append(notes, batch{sh.storeID, sh.batch})
	}
	s.mu.Unlock()
	for _, n := range notes {
		s.notifyShipments(n.store, n.id)
	}
}
