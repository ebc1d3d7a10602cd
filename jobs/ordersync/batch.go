package ordersync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
)

// maxChunk bounds the orders one batch stores (one multi-row statement each), whatever the
// channel's page size.
const maxChunk = 500

// ingest is Ingest under settings cs, read once by the caller. The page is stored in chunks of
// distinct orders (an order the page holds twice waits for the next chunk, so that its second
// version is compared with the first as stored). A chunk's orders already stored are read in
// one statement; the new ones — nearly all of a backfill — are stored, decided and queued
// together by ingestNew, in one transaction of a few statements. Orders the store changed,
// and malformed orders, are rarer and go one by one as before.
func (p *Pipeline) ingest(ctx context.Context, conn *db.StoreConnection, cs connSettings, page []Fetched) (Stats, error) {
	var st Stats
	for len(page) > 0 {
		n := 0
		seen := map[string]bool{}
		for n < len(page) && n < maxChunk && !seen[storeKey(page[n])] {
			seen[storeKey(page[n])] = true
			n++
		}
		if err := p.ingestChunk(ctx, conn, cs, page[:n], &st); err != nil {
			return st, err
		}
		page = page[n:]
	}
	return st, nil
}

// storeKey is the external id an order the store sent is stored under.
func storeKey(f Fetched) string {
	if f.Err != nil {
		return malformedKey(f)
	}
	return f.Order.ExternalID
}

// freshOrder is an order of a chunk the connection does not have yet.
type freshOrder struct {
	f    Fetched
	norm json.RawMessage
}

// ingestChunk ingests orders of distinct store keys.
func (p *Pipeline) ingestChunk(ctx context.Context, conn *db.StoreConnection, cs connSettings, chunk []Fetched, st *Stats) error {
	keys := make([]string, len(chunk))
	for i, f := range chunk {
		keys[i] = storeKey(f)
	}
	known, err := p.DB.FindStoreOrders(ctx, conn.AccountID, conn.ID, keys)
	if err != nil {
		return fmt.Errorf("ordersync: find orders: %w", err)
	}
	var fresh []freshOrder
	for i, f := range chunk {
		existing := known[keys[i]]
		if f.Err != nil {
			if err := p.ingestMalformed(ctx, conn, f, existing, st); err != nil {
				return err
			}
			continue
		}
		norm, err := json.Marshal(f.Order)
		if err != nil {
			return fmt.Errorf("ordersync: normalize order %s: %w", f.Order.Number, err)
		}
		switch {
		case existing == nil:
			fresh = append(fresh, freshOrder{f: f, norm: norm})
		case sameOrder(existing.Normalized, norm):
			st.Unchanged++
		case sameBesideRefunds(existing.Normalized, f.Order):
			// A refund changes the order's refunds and financial status only: it becomes a
			// credit memo of its own (syncRefunds), the sale stays as it is.
			existing.Raw, existing.Normalized = f.Raw, norm
			existing.StoreUpdatedAt, existing.UpdatedAt = timePtr(f.Order.UpdatedAt), p.now()
			if err := p.DB.UpdateOrder(ctx, existing, "raw", "normalized", "store_updated_at", "updated_at"); err != nil {
				return fmt.Errorf("ordersync: update order %s: %w", f.Order.Number, err)
			}
			st.Unchanged++
		case existing.State == db.OrderPosted || existing.State == db.OrderSkippedDuplicate:
			existing.ChangedAfterPost, existing.Raw, existing.Normalized = true, f.Raw, norm
			existing.StoreUpdatedAt, existing.UpdatedAt = timePtr(f.Order.UpdatedAt), p.now()
			if err := p.DB.UpdateOrder(ctx, existing, "changed_after_post", "raw", "normalized", "store_updated_at", "updated_at"); err != nil {
				return fmt.Errorf("ordersync: flag order %s: %w", f.Order.Number, err)
			}
			st.FlaggedAfterPost++
			p.event(ctx, existing, "updated", "Changed in the store after it was posted to QuickBooks. It is not posted again: change the QuickBooks transaction by hand if needed.", nil)
		default:
			// A version the store sent malformed is replaced here too, number included.
			existing.Raw, existing.Normalized, existing.TotalCents, existing.Number = f.Raw, norm, int64(f.Order.Total), f.Order.Number
			existing.StoreUpdatedAt, existing.UpdatedAt = timePtr(f.Order.UpdatedAt), p.now()
			if err := p.DB.UpdateOrder(ctx, existing, "raw", "normalized", "total_cents", "number", "store_updated_at", "updated_at"); err != nil {
				return fmt.Errorf("ordersync: update order %s: %w", f.Order.Number, err)
			}
			st.Updated++
			p.event(ctx, existing, "updated", "Changed in the store before it was posted; processed again.", nil)
			// Whatever its state said when it was read, the queue decides (under lock)
			// whether the old version's request can still be replaced.
			p.reprocess(ctx, conn, cs, existing, f.Order, st)
		}
		if existing == nil {
			continue // new: its refunds are recorded once ingestNew has stored it
		}
		if err := p.syncRefunds(ctx, conn, existing, f.Order); err != nil {
			return fmt.Errorf("ordersync: refunds of order %s: %w", f.Order.Number, err)
		}
	}
	if err := p.ingestNew(ctx, conn, cs, fresh, st); err != nil {
		return err
	}
	for _, fo := range fresh {
		if len(fo.f.Order.Refunds) == 0 {
			continue
		}
		row, err := p.DB.FindStoreOrder(ctx, conn.AccountID, conn.ID, fo.f.Order.ExternalID)
		if err != nil {
			return fmt.Errorf("ordersync: refunds of order %s: %w", fo.f.Order.Number, err)
		}
		if err := p.syncRefunds(ctx, conn, row, fo.f.Order); err != nil {
			return fmt.Errorf("ordersync: refunds of order %s: %w", fo.f.Order.Number, err)
		}
	}
	return nil
}

// sameBesideRefunds reports whether order o differs from the stored version only in its
// refunds and the financial status they change.
func sameBesideRefunds(stored json.RawMessage, o orders.Order) bool {
	var old orders.Order
	if len(o.Refunds) == 0 || json.Unmarshal(stored, &old) != nil {
		return false
	}
	old.Refunds, old.Status, old.UpdatedAt = nil, "", time.Time{}
	o.Refunds, o.Status, o.UpdatedAt = nil, "", time.Time{}
	a, errA := json.Marshal(old)
	b, errB := json.Marshal(o)
	return errA == nil && errB == nil && sameOrder(a, b)
}

// newOrder is one order ingestNew stored, on its way to its state.
type newOrder struct {
	row *db.Order
	o   orders.Order
	d   decision
	// state and reason are what the order takes; queued is its sale's work item when
	// queued (or found queued).
	state, reason string
	queued        *qbd.Enqueued
	readQueued    bool
	deps          []int64
}

// ingestNew stores new orders of conn and takes each through the same steps as process —
// status filter, rules, matching, posting build, queueing — in one transaction: the orders
// (raw and normalized) in one insert, their customers and sales in one batch each
// (qbd.Engine.EnqueueBatchTx), their states in one update, every audit line in one insert and
// the errors' sync-log lines in another. The rules are read once for the chunk. An order
// another pull stored a moment ago is left to it, as Ingest does one by one. When the
// transaction fails nothing of the chunk is stored and the error is returned (the pull fails
// and is retried; nothing is lost or half-stored).
func (p *Pipeline) ingestNew(ctx context.Context, conn *db.StoreConnection, cs connSettings, fresh []freshOrder, total *Stats) error {
	if len(fresh) == 0 {
		return nil
	}
	rulesFor := p.evaluatorOnce(conn.AccountID)
	var st Stats
	err := p.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		st = Stats{}
		rows := make([]*db.Order, len(fresh))
		index := make(map[*db.Order]int, len(fresh))
		for i, fo := range fresh {
			f := fo.f
			rows[i] = &db.Order{AccountID: conn.AccountID, ConnectionID: conn.ID, Channel: conn.Channel, ExternalID: f.Order.ExternalID,
				Number: f.Order.Number, State: db.OrderPending, Raw: f.Raw, Normalized: fo.norm, TotalCents: int64(f.Order.Total),
				StoreCreatedAt: timePtr(f.Order.CreatedAt), StoreUpdatedAt: timePtr(f.Order.UpdatedAt), MissingSKUs: []string{}}
			index[rows[i]] = i
		}
		stored, err := db.InsertStoreOrders(ctx, tx, rows)
		if err != nil {
			return err
		}
		news := make([]newOrder, len(stored))
		var events []db.OrderEvent
		for i, row := range stored {
			f := fresh[index[row]].f
			st.New++
			events = append(events, orderEvent(row, "received", fmt.Sprintf("Pulled from %s (%s, total %s %s).", conn.Name, f.Order.Status, f.Order.Total, f.Order.Currency), nil))
			d := p.decide(ctx, conn, cs, rulesFor, row, f.Order)
			events = append(events, d.events...)
			news[i] = newOrder{row: row, o: f.Order, d: d, state: d.state, reason: d.reason}
		}
		for i := range news {
			n := &news[i]
			if n.d.readItems {
				if n.readQueued, err = p.startItemRead(ctx, tx, n.row.AccountID, n.d.qbdConn, nil); err != nil {
					return err
				}
			}
		}
		if err := p.queueBatch(ctx, tx, news); err != nil {
			return err
		}
		var logs []db.SyncLog
		changed := make([]*db.Order, len(news))
		for i := range news {
			n := &news[i]
			n.row.State, n.row.StateReason, n.row.UpdatedAt = n.state, n.reason, p.now()
			if n.state == db.OrderNeedsMapping {
				n.row.MissingSKUs = n.d.missing
			}
			changed[i] = n.row
			if n.readQueued {
				events = append(events, orderEvent(n.row, "matching", "Ledgerlink does not know the QuickBooks item list yet: it is read in the same Web Connector run, before this sale.", nil))
			}
			if n.d.online != nil && n.state == db.OrderReady {
				st.Queued++
			}
			if n.queued != nil {
				events = append(events, orderEvent(n.row, "qbxml", qbxml.Kind(n.d.posting.Sale.Request)+" queued for QuickBooks.",
					map[string]any{"workItemId": n.queued.Item.ID, "qbxml": n.queued.Item.Request}))
				st.Queued++
			}
			ev, l := stateEntries(n.row, n.state, n.reason)
			events = append(events, ev)
			if l != nil {
				logs = append(logs, *l)
			}
			st.countState(n.state)
		}
		if err := db.SetOrderStates(ctx, tx, changed); err != nil {
			return err
		}
		if err := db.InsertOrderEvents(ctx, tx, events); err != nil {
			return err
		}
		return db.InsertSyncLogs(ctx, tx, logs)
	})
	if err != nil {
		return fmt.Errorf("ordersync: store %d new orders of %s: %w", len(fresh), conn.Name, err)
	}
	if conn.QBOConnectionID != nil && st.Queued > 0 {
		p.onlineQueued(ctx, conn.AccountID, *conn.QBOConnectionID)
	}
	total.Add(st)
	return nil
}

// queueBatch is queue for each of news with a posting: the customers they create in one
// batch, then the sales (each waiting for its customer) in another. Each order's state and
// reason are set as commit sets them.
func (p *Pipeline) queueBatch(ctx context.Context, tx bun.Tx, news []newOrder) error {
	var custs []qbd.Item
	var custOf []int
	for i, n := range news {
		if n.d.posting != nil && n.d.posting.Customer != nil {
			it := *n.d.posting.Customer
			it.AccountID, it.ConnectionID = n.row.AccountID, n.d.qbdConn
			custs = append(custs, it)
			custOf = append(custOf, i)
		}
	}
	res, err := p.Engine.EnqueueBatchTx(ctx, tx, custs)
	if err != nil {
		return err
	}
	failed := map[int]bool{}
	for j, r := range res {
		n := &news[custOf[j]]
		switch {
		case errors.Is(r.Err, qbd.ErrAlreadyPosted):
		case r.Err != nil:
			n.state, n.reason = db.OrderError, fmt.Errorf("the customer cannot be queued: %w", r.Err).Error()
			failed[custOf[j]] = true
		case r.Res.Item.Status != db.WorkDone:
			n.deps = append(n.deps, r.Res.Item.ID)
		}
	}
	var sales []qbd.Item
	var saleOf []int
	for i, n := range news {
		if n.d.posting == nil || failed[i] {
			continue
		}
		sale := n.d.posting.Sale
		sale.AccountID, sale.ConnectionID, sale.DependsOn = n.row.AccountID, n.d.qbdConn, n.deps
		sales = append(sales, sale)
		saleOf = append(saleOf, i)
	}
	if res, err = p.Engine.EnqueueBatchTx(ctx, tx, sales); err != nil {
		return err
	}
	for i := range news {
		if n := &news[i]; n.d.online != nil {
			if n.state, n.reason, err = queueOnline(ctx, tx, n.row, n.d, false); err != nil {
				return err
			}
		}
	}
	for j, r := range res {
		n := &news[saleOf[j]]
		switch {
		case errors.Is(r.Err, qbd.ErrAlreadyPosted):
			n.state, n.reason = db.OrderPosted, "Already in QuickBooks (posted earlier); not posted again."
		case r.Err != nil:
			n.state, n.reason = db.OrderError, fmt.Errorf("the sale cannot be queued: %w", r.Err).Error()
		default:
			n.state, n.reason, n.queued = db.OrderReady, "Queued for the next QuickBooks Web Connector run.", r.Res
		}
	}
	return nil
}

// evaluatorOnce reads accountID's rules on the first call and returns the same on later ones:
// one read (a version check) for a chunk of orders.
func (p *Pipeline) evaluatorOnce(accountID int64) evaluatorFn {
	var once sync.Once
	var ev *rules.Evaluator
	var err error
	read := p.evaluator(accountID)
	return func(ctx context.Context) (*rules.Evaluator, error) {
		once.Do(func() { ev, err = read(ctx) })
		return ev, err
	}
}
