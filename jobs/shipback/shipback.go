// Package shipback writes ShipStation shipments back into the QuickBooks Desktop sales they
// came from (issue 13, part B): tracking number, carrier and ship date and/or the shipping
// cost, each shipment exactly once however often it is announced. Shipments arrive by the
// SHIP_NOTIFY webhook (server/shipstation_ship_webhook.go → Notified) and by polling
// (Poll: shipments and fulfillments since a watermark); Ingest records each in
// shipstation_shipbacks (unique per shipment) and queues, on the Web Connector engine, a read of
// the sale followed by a *Mod built from that read. See README.md.
package shipback

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// Kind is the engine document kind this package owns: "shipback:<row id>:read:<n>" (the n-th
// read of the sale), "shipback:<row id>:mod:<n>" (the change built from read n) and
// "shipback:shipmethod:<name>" (a ship method created for a carrier QuickBooks lacks).
const Kind = "shipback"

// MaxReads bounds how often one shipment's sale is read: each 3200 (someone edited the sale
// between our read and our change) or lost answer costs one read.
const MaxReads = 6

// Service records shipments and owns their work on the QuickBooks Desktop engine.
type Service struct {
	DB     *db.DB
	Engine *qbd.Engine
	Log    *slog.Logger
	Now    func() time.Time
	// Client returns the ShipStation client of a store connection (credentials unsealed).
	Client func(sc *db.StoreConnection) (*shipstation.Client, error)
	// Sealer seals the webhook token (nil: no webhook is registered).
	Sealer *db.Sealer
	// PublicURL is Ledgerlink's address as ShipStation reaches it ("" registers no webhook).
	PublicURL string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Register makes s the owner of Kind on e. Its Mods are rebuilt from a fresh read after a 3200
// or a lost answer (qbd.Rereader), never re-applied blind.
func (s *Service) Register(e *qbd.Engine) {
	e.Handle(Kind, qbd.Hooks{OnSettled: s.settled, OnRepair: s.repair, Reread: true})
}

// Settings returns the QuickBooks → ShipStation settings of sc (defaults applied).
func Settings(sc *db.StoreConnection) (orders.QuickBooksToShipStationSettings, error) {
	var st orders.Settings
	if len(sc.Settings) > 0 {
		if err := json.Unmarshal(sc.Settings, &st); err != nil {
			return orders.QuickBooksToShipStationSettings{}, fmt.Errorf("shipback: settings of connection %d: %w", sc.ID, err)
		}
	}
	return st.QuickBooksToShipStation.WithDefaults(), nil
}

// On reports whether shipments of sc are written back: a ShipStation connection posting to a
// QuickBooks Desktop company with the direction on, tracking or a cost line chosen, and
// "shipped" among the statuses that count as shipped (seed 004: tracking comes back only when
// Shipped is configured). why says what is missing when it is off.
func On(sc *db.StoreConnection, set orders.QuickBooksToShipStationSettings) (on bool, why string) {
	switch {
	case sc.Channel != "shipstation" || sc.QBDConnectionID == nil:
		return false, "not a ShipStation connection posting to QuickBooks Desktop"
	case !sc.Enabled || !set.Enabled:
		return false, "the QuickBooks → ShipStation direction is off"
	case !WhatOf(set).Any():
		return false, "neither tracking nor a shipping-cost line is chosen"
	}
	for _, st := range set.ShippedStatuses {
		if st == "shipped" {
			return true, ""
		}
	}
	return false, `"shipped" is not among the order statuses that count as shipped; add it in the connection's settings`
}

// Summary counts what Ingest did.
type Summary struct {
	New, Seen, Voided, VoidedAfterApply, NotFromQuickBooks int
}

// Ingest records shipments and fulfillments of store connection sc: each one of an order that
// came from a QuickBooks sale of sc's company becomes a row (once, however often announced) and
// a read of the sale on the Web Connector engine. A voided label is not written; one voided
// after it was applied is logged (QuickBooks is not changed back). ShipStation's fulfillments
// carry no orderKey: their sale is found through the table of sales sent (db.ShipStationExport).
func (s *Service) Ingest(ctx context.Context, sc *db.StoreConnection, ships []shipstation.Shipment, fuls []shipstation.Fulfillment) (Summary, error) {
	var sum Summary
	set, err := Settings(sc)
	if err != nil {
		return sum, err
	}
	if on, _ := On(sc, set); !on {
		return sum, nil
	}
	qbdID := *sc.QBDConnectionID
	err = s.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for _, sh := range ships {
			conn, txnType, txnID, ok := shipstation.ParseQuickBooksOrderKey(sh.OrderKey)
			if !ok || conn != qbdID {
				sum.NotFromQuickBooks++
				continue
			}
			row := &db.ShipBack{AccountID: sc.AccountID, StoreConnectionID: sc.ID, QBDConnectionID: qbdID,
				Source: db.ShipBackShipment, SourceID: sh.ShipmentID, SSOrderID: sh.OrderID, OrderNumber: sh.OrderNumber,
				TxnType: txnType, TxnID: txnID, TrackingNumber: sh.TrackingNumber, Carrier: sh.CarrierCode, Service: sh.ServiceCode,
				ShipDate: dateOf(sh.ShipDate.Time), CostCents: int64(sh.ShipmentCost)}
			if err := s.record(ctx, tx, row, sh.Voided, &sum); err != nil {
				return err
			}
			exp, err := db.ShipStationExportByOrderID(ctx, tx, sc.AccountID, sc.ID, sh.OrderID)
			if errors.Is(err, db.ErrNotFound) {
				continue // sent before the list of sales sent existed, or by another connection
			} else if err != nil {
				return fmt.Errorf("shipback: sale of shipment %d: %w", sh.ShipmentID, err)
			}
			if err := s.follow(ctx, tx, exp, sh.Voided); err != nil {
				return err
			}
		}
		for _, f := range fuls {
			exp, err := db.ShipStationExportByOrderID(ctx, tx, sc.AccountID, sc.ID, f.OrderID)
			if errors.Is(err, db.ErrNotFound) || (err == nil && exp.QBDConnectionID != qbdID) {
				sum.NotFromQuickBooks++
				continue
			} else if err != nil {
				return fmt.Errorf("shipback: sale of fulfillment %d: %w", f.FulfillmentID, err)
			}
			row := &db.ShipBack{AccountID: sc.AccountID, StoreConnectionID: sc.ID, QBDConnectionID: qbdID,
				Source: db.ShipBackFulfillment, SourceID: f.FulfillmentID, SSOrderID: f.OrderID, OrderNumber: f.OrderNumber,
				TxnType: exp.TxnType, TxnID: exp.TxnID, TrackingNumber: f.TrackingNumber, Carrier: f.CarrierCode,
				Service: f.FulfillmentServiceCode, ShipDate: dateOf(f.ShipDate.Time)}
			if err := s.record(ctx, tx, row, f.Voided || f.VoidRequested, &sum); err != nil {
				return err
			}
			if err := s.follow(ctx, tx, exp, f.Voided || f.VoidRequested); err != nil {
				return err
			}
		}
		return nil
	})
	return sum, err
}

// follow records in the list of sales sent (exp) what a shipment says of its ShipStation order:
// shipped, which stops changes being sent to an order ShipStation would refuse to change; or,
// its label voided, awaiting shipment again, as ShipStation moves an order back when its label is
// voided. (Should the order still have another label, the next change is refused by ShipStation
// and the push locks the row again, saying why.)
func (s *Service) follow(ctx context.Context, tx bun.Tx, exp *db.ShipStationExport, voided bool) error {
	st := "shipped"
	if voided {
		st = "awaiting_shipment"
	}
	if err := db.SetShipStationExportStatus(ctx, tx, exp.AccountID, exp.ID, st, s.now()); err != nil {
		return fmt.Errorf("shipback: %w", err)
	}
	return nil
}

// dateOf is the Pacific calendar day of a ShipStation date (nil for none).
func dateOf(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	y, m, d := t.In(shipstation.Pacific()).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &day
}

// record stores one shipment (or notes its void) and queues the first read of a new one.
func (s *Service) record(ctx context.Context, tx bun.Tx, row *db.ShipBack, voided bool, sum *Summary) error {
	now := s.now()
	if voided {
		prev, err := db.LockShipBackBySource(ctx, tx, row.AccountID, row.StoreConnectionID, row.Source, row.SourceID)
		if errors.Is(err, db.ErrNotFound) {
			// Never applied: keep a row so the list shows it and a late announcement of the
			// label (before its void) is not applied.
			row.Status, row.Message, row.VoidedAt = db.ShipBackVoided, "The label was voided in ShipStation; nothing was written to QuickBooks.", &now
			if _, err := db.InsertShipBack(ctx, tx, row); err != nil {
				return err
			}
			sum.Voided++
			return nil
		} else if err != nil {
			return err
		}
		if prev.VoidedAt != nil {
			sum.Seen++
			return nil
		}
		prev.VoidedAt = &now
		switch prev.Status {
		case db.ShipBackApplied:
			sum.VoidedAfterApply++
			prev.Message = "The label was voided in ShipStation after its tracking and cost were written to QuickBooks; QuickBooks was not changed back."
			prev.Hint = "Edit the QuickBooks sale by hand if the voided label's tracking number or cost should not be on it."
			s.log(ctx, tx, prev, db.LevelWarning, prev.Message, prev.Hint)
		default:
			// A read or change of it may still be queued: settled() sees voided_at and stops.
			sum.Voided++
			prev.Status, prev.Message, prev.Hint = db.ShipBackVoided, "The label was voided in ShipStation before it was written to QuickBooks; nothing is written.", ""
		}
		return db.SaveShipBack(ctx, tx, prev, now)
	}
	row.Status, row.Message = db.ShipBackWaiting, "Waiting for the Web Connector to read the QuickBooks sale."
	inserted, err := db.InsertShipBack(ctx, tx, row)
	if err != nil {
		return err
	}
	if !inserted {
		sum.Seen++
		return nil
	}
	sum.New++
	return s.queueRead(ctx, tx, row)
}

// queueRead queues the next read of row's sale (row.Reads counts them).
func (s *Service) queueRead(ctx context.Context, tx bun.Tx, row *db.ShipBack) error {
	row.Reads++
	key := qbd.NewDocKey(Kind, fmt.Sprintf("%d:read:%d", row.ID, row.Reads))
	if _, err := s.Engine.EnqueueTx(ctx, tx, qbd.Item{AccountID: row.AccountID, ConnectionID: row.QBDConnectionID,
		DocKey: key.String(), Request: Read(row.TxnType, row.TxnID)}); err != nil {
		return fmt.Errorf("shipback: queue read of %s: %w", row.TxnID, err)
	}
	return db.SaveShipBack(ctx, tx, row, s.now())
}

// docRef is what a doc key of Kind names.
type docRef struct {
	rowID int64
	step  string // "read", "mod" or "shipmethod"
	n     int
}

func parseKey(k string) (docRef, bool) {
	parts := strings.Split(qbd.DocKey(k).ID(), ":")
	if len(parts) == 2 && parts[0] == "shipmethod" {
		return docRef{step: "shipmethod"}, true
	}
	if len(parts) != 3 || (parts[1] != "read" && parts[1] != "mod") {
		return docRef{}, false
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	n, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil {
		return docRef{}, false
	}
	return docRef{rowID: id, step: parts[1], n: n}, true
}

// settled moves a shipment on when its read or change is settled, inside the engine's
// transaction.
func (s *Service) settled(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	ref, ok := parseKey(item.DocKey)
	if !ok || ref.step == "shipmethod" {
		return nil // a ship method's fate reaches the change that waits on it
	}
	row, err := db.LockShipBack(ctx, tx, item.AccountID, ref.rowID)
	if errors.Is(err, db.ErrNotFound) {
		return nil // the connection was deleted meanwhile
	} else if err != nil {
		return err
	}
	if ref.step == "read" {
		return s.settledRead(ctx, tx, row, ref, out)
	}
	return s.settledMod(ctx, tx, row, out)
}

func (s *Service) settledRead(ctx context.Context, tx bun.Tx, row *db.ShipBack, ref docRef, out qbd.Outcome) error {
	now := s.now()
	if row.Status != db.ShipBackWaiting || row.VoidedAt != nil || ref.n != row.Reads {
		return nil // voided meanwhile, or an older read
	}
	if out.Status != db.WorkDone {
		return s.fail(ctx, tx, row, "Ledgerlink could not read the QuickBooks sale: "+out.Message,
			orDefault(out.Hint, "Check that the sale still exists in QuickBooks; the next shipment of the order is written to it when it does."))
	}
	sale, found := SaleFrom(row.TxnType, out.Response)
	if !found {
		return s.fail(ctx, tx, row, "The QuickBooks sale this ShipStation order came from is no longer in QuickBooks (deleted, or its type changed).",
			"Enter the tracking number and shipping cost in QuickBooks by hand if the sale was re-entered.")
	}
	sc, err := db.StoreConnectionTx(ctx, tx, row.AccountID, row.StoreConnectionID)
	if err != nil {
		return fmt.Errorf("shipback: %w", err)
	}
	set, err := Settings(sc)
	if err != nil {
		return err
	}
	shipped := shippedOf(row)
	if sale.Applied(shipped) {
		row.Status, row.AppliedAt = db.ShipBackApplied, &now
		row.Message, row.Hint = "Already in the QuickBooks sale (found by its mark "+shipped.Marker()+"); not written again.", ""
		return db.SaveShipBack(ctx, tx, row, now)
	}
	what := WhatOf(set)
	if !what.Any() {
		row.Message = "Nothing to write: tracking and shipping cost are both off in the connection's settings."
		return s.fail(ctx, tx, row, row.Message, "Turn on tracking or shipping cost in the connection's settings; shipments after that are written.")
	}
	rq, note := Mod(sale, shipped, what)
	key := qbd.NewDocKey(Kind, fmt.Sprintf("%d:mod:%d", row.ID, ref.n))
	if _, err := s.Engine.EnqueueTx(ctx, tx, qbd.Item{AccountID: row.AccountID, ConnectionID: row.QBDConnectionID,
		DocKey: key.String(), Request: rq}); err != nil {
		if errors.Is(err, qbxml.ErrInvalidRequest) {
			return s.fail(ctx, tx, row, "Ledgerlink could not build the change for QuickBooks: "+err.Error(), "Please report this to Ledgerlink support.")
		}
		return fmt.Errorf("shipback: queue change of %s: %w", row.TxnID, err)
	}
	row.Message, row.Hint = "Writing to the QuickBooks sale on the next Web Connector run.", ""
	if note != "" {
		row.Message += " " + note
	}
	return db.SaveShipBack(ctx, tx, row, now)
}

func (s *Service) settledMod(ctx context.Context, tx bun.Tx, row *db.ShipBack, out qbd.Outcome) error {
	now := s.now()
	if row.Status != db.ShipBackWaiting && row.Status != db.ShipBackVoided {
		return nil
	}
	switch {
	case out.Status == db.WorkDone:
		voided := row.VoidedAt != nil
		row.Status, row.AppliedAt, row.Hint = db.ShipBackApplied, &now, ""
		row.Message = "Written to the QuickBooks sale."
		if voided {
			// The void arrived while the change was on its way to QuickBooks.
			row.Message = "Written to the QuickBooks sale, but the label was voided in ShipStation meanwhile; QuickBooks was not changed back."
			row.Hint = "Edit the QuickBooks sale by hand if the voided label's tracking number or cost should not be on it."
			s.log(ctx, tx, row, db.LevelWarning, row.Message, row.Hint)
		}
		return db.SaveShipBack(ctx, tx, row, now)
	case row.Status == db.ShipBackVoided:
		return nil // not applied, and not to be
	case out.Reread && row.Reads < MaxReads:
		row.Message = "The QuickBooks sale changed meanwhile or QuickBooks' answer was lost; reading it again."
		return s.queueRead(ctx, tx, row)
	case out.Reread:
		return s.fail(ctx, tx, row, fmt.Sprintf("The QuickBooks sale kept changing (or answers were lost) through %d tries.", MaxReads),
			"Check the sale in QuickBooks; if it has no tracking for this shipment, enter it by hand.")
	default:
		hint := out.Hint
		if ref, ok := qbd.ParseInvalidRef(out.Message); ok && strings.EqualFold(ref.List, "Item") {
			hint = "Create the item \"" + ref.Name + "\" in QuickBooks, or choose another shipping item in the connection's settings."
		}
		return s.fail(ctx, tx, row, "QuickBooks refused the change: "+out.Message, hint)
	}
}

// repair creates a ship method QuickBooks lacks (3140 on ShipMethodRef) before the change is
// sent again.
func (s *Service) repair(_ context.Context, _ bun.Tx, failed *db.QBDWorkItem, ref qbd.InvalidRef) (*qbd.Item, error) {
	if r, ok := parseKey(failed.DocKey); !ok || r.step != "mod" || strings.ReplaceAll(ref.List, " ", "") != "ShipMethod" || ref.Name == "" {
		return nil, nil
	}
	name := cutRunes(ref.Name, qbxml.MaxShipMethodFullName)
	return &qbd.Item{AccountID: failed.AccountID, ConnectionID: failed.ConnectionID,
		DocKey:  qbd.NewDocKey(Kind, "shipmethod:"+strings.ToLower(name)).String(),
		Request: qbxml.ShipMethodAdd{Name: name}}, nil
}

func (s *Service) fail(ctx context.Context, tx bun.Tx, row *db.ShipBack, msg, hint string) error {
	row.Status, row.Message, row.Hint = db.ShipBackFailed, msg, hint
	s.log(ctx, tx, row, db.LevelError, "Shipment of ShipStation order "+row.OrderNumber+" not written to QuickBooks: "+msg, hint)
	return db.SaveShipBack(ctx, tx, row, s.now())
}

func (s *Service) log(ctx context.Context, tx bun.Tx, row *db.ShipBack, level db.LogLevel, msg, hint string) {
	details, _ := json.Marshal(map[string]any{"shipmentBack": row.ID, "source": row.Source, "sourceId": row.SourceID,
		"orderNumber": row.OrderNumber, "txnId": row.TxnID})
	l := &db.SyncLog{AccountID: row.AccountID, ConnectionID: &row.StoreConnectionID, Level: level, Source: "shipstation",
		Message: msg, Details: details}
	if hint != "" {
		l.Hint = &hint
	}
	if err := db.InsertSyncLog(ctx, tx, l); err != nil {
		s.logger().ErrorContext(ctx, "shipback: write sync log", "err", err)
	}
}

func shippedOf(row *db.ShipBack) Shipped {
	sh := Shipped{Source: row.Source, SourceID: row.SourceID, Tracking: row.TrackingNumber, Carrier: row.Carrier,
		Service: row.Service, Cost: orders.Money(row.CostCents)}
	if row.ShipDate != nil {
		sh.ShipDate = *row.ShipDate
	}
	return sh
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
