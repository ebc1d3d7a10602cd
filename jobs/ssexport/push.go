package ssexport

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// MaxPushRows bounds the orders one Push sends; more wait for the next call (the task
// re-queues itself while rows remain).
const MaxPushRows = 1000

// PushResult counts what one Push did.
type PushResult struct {
	Sent, Failed, Locked, Parked int
	// More is set when orders are still waiting (more than MaxPushRows).
	More bool
}

// Push sends the orders waiting for ShipStation connection storeConnectionID of accountID
// with createorders (shipstation.UpsertOrders: ≤ 100 per request, ShipStation's 40/min limit
// waited out through its headers) and records each order's result. An order ShipStation
// refuses is failed with the reason in plain words; one it shipped or cancelled is locked and
// left alone; the seed's duplicate check (order date + number + store: another QuickBooks sale
// already sent with them) parks the sale. A failure of the call itself (credentials, network)
// leaves the orders waiting and is returned.
func (x *Exporter) Push(ctx context.Context, accountID, storeConnectionID int64) (PushResult, error) {
	var res PushResult
	sc, err := x.DB.GetStoreConnection(ctx, accountID, storeConnectionID)
	if err != nil {
		return res, fmt.Errorf("ssexport: %w", err)
	}
	s, err := Settings(sc)
	if err != nil {
		return res, err
	}
	rows, err := x.DB.PendingShipStationExports(ctx, accountID, sc.ID, MaxPushRows+1)
	if err != nil {
		return res, err
	}
	if len(rows) > MaxPushRows {
		rows, res.More = rows[:MaxPushRows], true
	}
	if len(rows) == 0 {
		return res, nil
	}
	client, err := x.Client(ctx, sc)
	if err != nil {
		return res, fmt.Errorf("ssexport: ShipStation client of %s: %w", sc.Name, err)
	}
	var stores []shipstation.Store
	storeID := func(name string) (int64, error) {
		if name == "" {
			return s.StoreID, nil
		}
		if stores == nil {
			if stores, err = client.Stores(ctx); err != nil {
				return 0, err
			}
		}
		for _, st := range stores {
			if strings.EqualFold(strings.TrimSpace(st.StoreName), strings.TrimSpace(name)) {
				return st.StoreID, nil
			}
		}
		return 0, &Parked{Reason: fmt.Sprintf("A rule chose the ShipStation store %q, which this ShipStation account does not have. Fix the rule's store name (the stores are listed under Sync Orders from QuickBooks); the sale is sent when it changes or you click Send again.", name)}
	}
	// What each row was when read: its answer is settled only against the same version.
	loaded := make(map[int64]time.Time, len(rows))
	for _, row := range rows {
		loaded[row.ID] = row.UpdatedAt
	}
	var send []shipstation.Order
	var sendRows []*db.ShipStationExport
	var settle []*db.ShipStationExport
	for _, row := range rows {
		var sl Sale
		var doc orders.Order
		if err := json.Unmarshal(row.Sale, &sl); err != nil {
			return res, fmt.Errorf("ssexport: stored sale %d: %w", row.ID, err)
		}
		if err := json.Unmarshal(row.OrderDoc, &doc); err != nil {
			return res, fmt.Errorf("ssexport: stored order %d: %w", row.ID, err)
		}
		status := s.OrderStatus
		if doc.ShipStatus != "" {
			status = doc.ShipStatus
		}
		sid, err := storeID(doc.Store)
		var parked *Parked
		if errors.As(err, &parked) {
			row.State, row.LastResult = db.ExportParked, parked.Reason
			settle = append(settle, row)
			res.Parked++
			continue
		}
		if err != nil {
			return res, fmt.Errorf("ssexport: ShipStation stores: %w", err)
		}
		if row.SSOrderID != nil {
			sid = row.SSStoreID // ShipStation keeps an order's store; the duplicate check looks there
		}
		if row.TxnDate != nil {
			if dup, err := x.DB.FindShipStationDuplicate(ctx, sc.AccountID, sc.ID, sid, *row.TxnDate, row.RefNumber, row.OrderKey); err == nil {
				row.State = db.ExportParked
				row.LastResult = fmt.Sprintf("Not sent: ShipStation already has order %s of %s in this store, from QuickBooks %s %s (%s). "+
					"Ledgerlink tells orders apart by order date, number and store; give one of the sales another number or date in QuickBooks.",
					row.RefNumber, row.TxnDate.Format(time.DateOnly), TypeName(dup.TxnType), dup.RefNumber, dup.TxnID)
				settle = append(settle, row)
				res.Parked++
				continue
			} else if !errors.Is(err, db.ErrNotFound) {
				return res, err
			}
		}
		row.SSStoreID = sid
		o := ShipStationOrder(doc, sl, row.OrderKey, Target{StoreID: sid, Status: status})
		send = append(send, o)
		sendRows = append(sendRows, row)
	}
	var results []shipstation.UpsertResult
	var callErr error
	if len(send) > 0 {
		results, callErr = client.UpsertOrders(ctx, send)
	}
	now := x.now()
	for i, row := range sendRows {
		row.Attempts++
		r := shipstation.UpsertResult{}
		if i < len(results) {
			r = results[i]
		}
		switch {
		case r.OK:
			id := r.OrderID
			row.SSOrderID, row.State, row.SSStatus, row.SSStatusAt, row.SentAt = &id, db.ExportSent, send[i].OrderStatus, &now, &now
			row.SentEditSequence, row.SentTimeModified = row.ReadEditSequence, row.ReadTimeModified
			row.LastResult = fmt.Sprintf("In ShipStation as order %s (%s).", row.RefNumber, strings.ReplaceAll(send[i].OrderStatus, "_", " "))
			res.Sent++
		case r.Error != "" && Locked(r.Error):
			row.State, row.LastResult = db.ExportLocked, Explain(r.Error)
			res.Locked++
		case callErr != nil && strings.HasPrefix(r.Error, "not sent: "):
			row.LastResult = "Not sent yet: " + callErr.Error() // stays pending; the task retries
		default:
			msg := r.Error
			if msg == "" {
				msg = "ShipStation gave no answer for this order."
			}
			row.State, row.LastResult = db.ExportFailed, Explain(msg)
			res.Failed++
		}
		settle = append(settle, row)
	}
	// In id order, as the staging locks them.
	slices.SortFunc(settle, func(a, b *db.ShipStationExport) int { return cmp.Compare(a.ID, b.ID) })
	err = x.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for _, row := range settle {
			cur, err := db.LockShipStationExport(ctx, tx, sc.AccountID, row.ID)
			if errors.Is(err, db.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if !cur.UpdatedAt.Equal(loaded[row.ID]) {
				// Changed since this push read it (a Web Connector run read the sale again, or
				// ShipStation's status came in): that version stands and its own push follows.
				// Only what ShipStation now holds is kept: the order this call created.
				if row.State == db.ExportSent && cur.SSOrderID == nil {
					cur.SSOrderID, cur.SSStoreID = row.SSOrderID, row.SSStoreID
					if err := db.SaveShipStationExport(ctx, tx, cur); err != nil {
						return err
					}
				}
				continue
			}
			if err := db.SaveShipStationExport(ctx, tx, row); err != nil {
				return err
			}
			if err := x.record(ctx, tx, sc, row); err != nil {
				return err
			}
		}
		if res.Sent+res.Failed+res.Locked+res.Parked > 0 {
			msg := fmt.Sprintf("Sent %d QuickBooks sales to ShipStation", res.Sent)
			if n := res.Failed + res.Locked + res.Parked; n > 0 {
				msg += fmt.Sprintf("; %d not sent (see the sent-sales list)", n)
			}
			level := db.LevelInfo
			if res.Failed > 0 {
				level = db.LevelError
			}
			return x.log(ctx, tx, sc.AccountID, sc.ID, level, msg+".", "")
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if callErr != nil {
		return res, fmt.Errorf("ssexport: send to ShipStation: %w", callErr)
	}
	return res, nil
}

// record logs what happened to one sale and settles its test-sales entry.
func (x *Exporter) record(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, row *db.ShipStationExport) error {
	what := fmt.Sprintf("QuickBooks %s %s", TypeName(row.TxnType), row.RefNumber)
	var state string
	switch row.State {
	case db.ExportSent:
		state = db.TestSent
	case db.ExportFailed:
		state = db.TestFailed
		if err := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelError, what+" was not sent to ShipStation.", row.LastResult); err != nil {
			return err
		}
	case db.ExportLocked:
		state = db.TestFailed
		if err := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelWarning, what+": ShipStation has already shipped or cancelled its order; the change was left alone.", row.LastResult); err != nil {
			return err
		}
	case db.ExportParked:
		state = db.TestParked
		if err := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelWarning, what+" was not sent to ShipStation.", row.LastResult); err != nil {
			return err
		}
	default:
		return nil
	}
	if row.Test {
		return x.settleTest(ctx, tx, sc, row.RefNumber, state, row.LastResult, &row.ID)
	}
	return nil
}
