// Package ordersync moves store orders into QuickBooks Desktop. A pull (Pipeline.Run: the
// window since the last pull, progress in Redis, the connection's cursor and the record of a
// failure) reads a connection's orders page by page with its settings read once; each page is
// ingested: what the channel returned is stored (raw and normalized), filtered by status, run
// through the rules engine, turned into QuickBooks documents by package posting and queued
// with the QuickBooks Desktop engine (package qbd) in the transaction that records the order's
// state. The engine's hooks (Settled, Sending, Scope, Repair) then follow what QuickBooks
// answered back onto the order (posted, duplicate, error, needs mapping) and keep the
// company's item list (itemlist.go). Every step writes the order's audit trail. All SQL is in
// package db: this package decides, db stores.
package ordersync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
)

// Query selects orders to pull.
type Query struct {
	UpdatedFrom, UpdatedTo time.Time
	Statuses               []string
}

// Fetched is one order as a channel returned it, and normalized. When Err is set, Order holds
// only the store's id and number, and Ingest records the order in error (see malformed).
type Fetched = orders.Fetched

// Source is a channel client: Shopify, WooCommerce or ShipStation.
type Source interface {
	// Check makes one authenticated call; the error says in plain words what is wrong.
	Check(ctx context.Context) error
	// Orders calls fn with each page of orders matching q.
	Orders(ctx context.Context, q Query, fn func([]Fetched) error) error
}

// Pipeline ingests orders and follows them into QuickBooks.
type Pipeline struct {
	DB     *db.DB
	Engine *qbd.Engine
	Rules  *rules.Loader
	Log    *slog.Logger
	Now    func() time.Time
	// ItemPageSize is how many items one page of an item-list read asks QuickBooks for
	// (default DefaultItemPageSize).
	ItemPageSize int
	// Online gives the Accounting API client of QuickBooks Online company qboConnectionID of
	// accountID (PostOnline); OnlineQueued, when set, is told after a transaction queued work
	// for such a company (it schedules the qbo:post task).
	Online       func(ctx context.Context, accountID, qboConnectionID int64) (*qbo.Client, error)
	OnlineQueued func(ctx context.Context, accountID, qboConnectionID int64)
	// OnlineBatch is how many documents one request to QuickBooks Online carries (default and
	// at most qbo.MaxBatch). 1 sends each sale as a single write (POST /salesreceipt with its
	// requestid) instead of a batch: the benchmark's baseline.
	OnlineBatch int
}

func (p *Pipeline) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Stats counts what one Ingest did.
type Stats struct {
	New, Updated, Unchanged, FlaggedAfterPost, Queued, Excluded, Errors int
	// Parked counts orders held in needs mapping before they were queued (SKUs QuickBooks
	// has no item for).
	Parked int
}

// countState counts an order that ingest left in state: in error, excluded or parked in needs
// mapping (other states are counted where they are decided).
func (s *Stats) countState(state string) {
	switch state {
	case db.OrderError:
		s.Errors++
	case db.OrderExcluded:
		s.Excluded++
	case db.OrderNeedsMapping:
		s.Parked++
	}
}

// Add sums s and o.
func (s *Stats) Add(o Stats) {
	s.New += o.New
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
	s.FlaggedAfterPost += o.FlaggedAfterPost
	s.Queued += o.Queued
	s.Excluded += o.Excluded
	s.Errors += o.Errors
	s.Parked += o.Parked
}

// Settings reads a connection's posting settings with defaults filled in.
func Settings(c *db.StoreConnection) (orders.Settings, error) {
	var s orders.Settings
	if len(c.Settings) > 0 {
		if err := json.Unmarshal(c.Settings, &s); err != nil {
			return s, fmt.Errorf("ordersync: settings of connection %d: %w", c.ID, err)
		}
	}
	return s.WithDefaults(), nil
}

// Ingest stores a page of fetched orders for conn. A new order, or one changed in the store
// before it was posted, is processed toward QuickBooks; an order the store changed after it was
// posted is flagged, never re-posted; an unchanged one is left alone.
func (p *Pipeline) Ingest(ctx context.Context, conn *db.StoreConnection, page []Fetched) (Stats, error) {
	return p.ingest(ctx, conn, settingsOf(conn), page)
}

// connSettings are a connection's settings, read once for a pull (or a page, or a resync),
// or why they cannot be read: then each order processed goes to error saying so.
type connSettings struct {
	s   orders.Settings
	err error
}

func settingsOf(conn *db.StoreConnection) connSettings {
	s, err := Settings(conn)
	return connSettings{s: s, err: err}
}

// Resync processes stored orders again (after a mapping, a rule change or a fix in QuickBooks).
// Orders already posted or on their way are left alone.
func (p *Pipeline) Resync(ctx context.Context, accountID int64, ids []int64) (Stats, error) {
	var st Stats
	rows, err := p.DB.OrdersByID(ctx, accountID, ids)
	if err != nil {
		return st, fmt.Errorf("ordersync: resync: %w", err)
	}
	conns := map[int64]*db.StoreConnection{}
	settings := map[int64]connSettings{} // read once per connection
	for i := range rows {
		o := &rows[i]
		if o.State == db.OrderPosted || o.State == db.OrderReady || o.State == db.OrderSent || o.State == db.OrderSkippedDuplicate {
			continue
		}
		if malformed(o) {
			// Nothing stored can be posted: only the store can fix it.
			p.event(ctx, o, "state", "Not resynced: "+malformedHint, nil)
			continue
		}
		conn, ok := conns[o.ConnectionID]
		if !ok {
			if conn, err = p.DB.GetStoreConnection(ctx, accountID, o.ConnectionID); err != nil {
				return st, fmt.Errorf("ordersync: resync order %d: %w", o.ID, err)
			}
			conns[conn.ID], settings[conn.ID] = conn, settingsOf(conn)
		}
		var n orders.Order
		if err := json.Unmarshal(o.Normalized, &n); err != nil {
			return st, fmt.Errorf("ordersync: order %d: %w", o.ID, err)
		}
		p.event(ctx, o, "state", "Resync requested.", nil)
		p.process(ctx, conn, settings[conn.ID], o, n, &st)
	}
	return st, nil
}

// decision is what processing an order's current version decided: the posting to queue, or
// the state (excluded, error) the order takes instead, with why.
type decision struct {
	posting *posting.Posting
	qbdConn int64
	// online is the sale for a QuickBooks Online company qboConn (posting is nil then).
	online        *onlineDoc
	qboConn       int64
	state, reason string
	// missing are the SKUs whose QuickBooks item the known item list lacks (state needs mapping).
	missing []string
	// readItems queues a read of the company's item list ahead of the sale: Ledgerlink has
	// never known it, and the connection flags missing products.
	readItems bool
	// events are the audit lines deciding wrote (rules' changes, matching), not yet stored:
	// commit stores them, or the page's batch (see ingestNew).
	events []db.OrderEvent
}

// process takes one stored order through status filter, rules, matching and queueing, and
// records the resulting state. Problems are the order's state, not errors of the pull.
func (p *Pipeline) process(ctx context.Context, conn *db.StoreConnection, cs connSettings, row *db.Order, o orders.Order, st *Stats) {
	p.commit(ctx, row, p.decide(ctx, conn, cs, p.evaluator(row.AccountID), row, o), false, st)
}

// reprocess is process for an order the store changed before it was in QuickBooks. Work queued
// for the old version that the Web Connector has not been handed yet is withdrawn in the
// transaction that queues the new version (or records that the new version is not to post), so
// QuickBooks gets exactly one version. Once handed over, the old version goes on to QuickBooks
// and the order is flagged as changed after posting, as an order changed after it posted.
func (p *Pipeline) reprocess(ctx context.Context, conn *db.StoreConnection, cs connSettings, row *db.Order, o orders.Order, st *Stats) {
	p.commit(ctx, row, p.decide(ctx, conn, cs, p.evaluator(row.AccountID), row, o), true, st)
}

// evaluatorFn returns the rules to run on an order (nil without a rules loader).
type evaluatorFn func(ctx context.Context) (*rules.Evaluator, error)

// evaluator reads accountID's rules afresh on each call.
func (p *Pipeline) evaluator(accountID int64) evaluatorFn {
	return func(ctx context.Context) (*rules.Evaluator, error) {
		if p.Rules == nil {
			return nil, nil
		}
		return p.Rules.Evaluator(ctx, accountID, rules.OrdersToQuickBooks)
	}
}

// decide runs the status filter, the rules (from rulesFor), matching and the posting build on
// o; the rules' and matching's audit lines are in the decision's events, and nothing is
// stored.
func (p *Pipeline) decide(ctx context.Context, conn *db.StoreConnection, cs connSettings, rulesFor evaluatorFn, row *db.Order, o orders.Order) decision {
	var evs []db.OrderEvent
	d := p.decideInto(ctx, conn, cs, rulesFor, row, o, &evs)
	d.events = evs
	return d
}

func (p *Pipeline) decideInto(ctx context.Context, conn *db.StoreConnection, cs connSettings, rulesFor evaluatorFn, row *db.Order, o orders.Order, evs *[]db.OrderEvent) decision {
	if cs.err != nil {
		return decision{state: db.OrderError, reason: "The connection's settings cannot be read: " + cs.err.Error()}
	}
	settings := cs.s
	if len(settings.Statuses) > 0 && !slices.ContainsFunc(settings.Statuses, func(s string) bool { return strings.EqualFold(s, o.Status) }) {
		return decision{state: db.OrderExcluded, reason: fmt.Sprintf("Status %q is not in this connection's order statuses to export (%s).", o.Status, strings.Join(settings.Statuses, ", "))}
	}
	ev, err := rulesFor(ctx)
	if err != nil {
		return decision{state: db.OrderError, reason: "The rules cannot run: " + err.Error() + " Fix the rule, then resync."}
	}
	if ev != nil {
		res := ev.Apply(&o)
		*evs = append(*evs, rules.OrderEvents(row.AccountID, row.ID, res)...)
		if res.Excluded || o.Excluded {
			return decision{state: db.OrderExcluded, reason: "Excluded by " + firstNonEmpty(o.ExcludeReason, "a rule") + "."}
		}
	}
	if conn.QBOConnectionID != nil {
		return p.decideOnline(conn, row, o, settings, evs)
	}
	if conn.QBDConnectionID == nil {
		return decision{state: db.OrderError, reason: "This store is not linked to a QuickBooks company. Choose one in the connection's settings, then resync."}
	}
	posting, err := posting.Build(row.ID, conn.ID, o, settings, conn.Name)
	if err != nil {
		return decision{state: db.OrderError, reason: err.Error()}
	}
	*evs = append(*evs, orderEvent(row, "matching", "QuickBooks customer: "+posting.CustomerName+".", map[string]any{"customer": posting.CustomerName,
		"customerMatch": settings.CustomerMatch}))
	for _, n := range posting.Notes {
		*evs = append(*evs, orderEvent(row, "matching", n, nil))
	}
	if posting.Rounding != 0 {
		*evs = append(*evs, orderEvent(row, "matching", fmt.Sprintf("A rounding line of %s was added: %s.", posting.Rounding, posting.RoundingReason), nil))
	}
	d := decision{posting: posting, qbdConn: *conn.QBDConnectionID}
	if settings.MissingProduct == orders.MissingFlag {
		return p.checkItems(ctx, row, o, d, evs)
	}
	return d
}

// commit queues d's posting, or records d's state, in one transaction with the order's state,
// so that an answer from QuickBooks cannot be overwritten by a state written after it. With
// replace, the work queued for the order's previous version is withdrawn first (see
// reprocess).
func (p *Pipeline) commit(ctx context.Context, row *db.Order, d decision, replace bool, st *Stats) {
	for i := range d.events {
		if err := p.DB.AddOrderEvent(ctx, &d.events[i]); err != nil {
			p.logger().ErrorContext(ctx, "ordersync: audit", "order", row.ID, "err", err)
		}
	}
	var queued *qbd.Enqueued
	var withdrawn, readQueued bool
	state, reason := d.state, d.reason
	err := p.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		queued, withdrawn, readQueued, state, reason = nil, false, false, d.state, d.reason
		var deps []int64
		if replace {
			old, err := p.Engine.Withdraw(ctx, tx, row.AccountID, posting.DocKey(row.ID))
			if err != nil {
				return err
			}
			if old != nil {
				// What the old version waited for (a customer, an item being created) is
				// still on its way; the new version waits for it too.
				deps, withdrawn = old.DependsOn, true
			}
		}
		if d.readItems {
			var err error
			if readQueued, err = p.startItemRead(ctx, tx, row.AccountID, d.qbdConn, nil); err != nil {
				return err
			}
		}
		if d.online != nil {
			var err error
			if state, reason, err = queueOnline(ctx, tx, row, d, replace); err != nil {
				return err
			}
		}
		if d.posting != nil {
			var err error
			queued, err = p.queue(ctx, tx, row, d, deps)
			switch {
			case errors.Is(err, qbd.ErrAlreadyPosted):
				state, reason = db.OrderPosted, "Already in QuickBooks (posted earlier); not posted again."
			case err != nil:
				state, reason = db.OrderError, err.Error()
			default:
				state, reason = db.OrderReady, "Queued for the next QuickBooks Web Connector run."
			}
		}
		row.State, row.StateReason, row.UpdatedAt = state, reason, p.now()
		cols := []string{"state", "state_reason", "updated_at"}
		if state == db.OrderNeedsMapping {
			row.MissingSKUs = d.missing
			cols = append(cols, "missing_skus")
		}
		return db.UpdateOrder(ctx, tx, row, cols...)
	})
	switch {
	case replace && (errors.Is(err, qbd.ErrHandedOver) || errors.Is(err, qbd.ErrAlreadyPosted) || errors.Is(err, errHandedOver)):
		p.flagChanged(ctx, row, "Changed in the store after its sale was handed to QuickBooks. That version is what QuickBooks gets; it is not posted again: change the QuickBooks transaction by hand if needed.", st)
		return
	case err != nil:
		p.logger().ErrorContext(ctx, "ordersync: queue order", "order", row.ID, "err", err)
		p.setState(ctx, row, db.OrderError, "The order could not be queued for QuickBooks: "+err.Error()+" Resync it.")
		st.Errors++
		return
	}
	if withdrawn {
		p.event(ctx, row, "qbxml", "The request queued for the previous version was withdrawn before QuickBooks got it.", nil)
	}
	if d.online != nil && state == db.OrderReady {
		st.Queued++
		p.onlineQueued(ctx, row.AccountID, d.qboConn)
	}
	if readQueued {
		p.event(ctx, row, "matching", "Ledgerlink does not know the QuickBooks item list yet: it is read in the same Web Connector run, before this sale.", nil)
	}
	if queued != nil {
		p.event(ctx, row, "qbxml", qbxml.Kind(d.posting.Sale.Request)+" queued for QuickBooks.", map[string]any{"workItemId": queued.Item.ID, "qbxml": queued.Item.Request})
		st.Queued++
	}
	p.stateRecorded(ctx, row, state, reason)
	st.countState(state)
}

// queue enqueues a posting's customer (when it creates one) and its sale, inside tx; the sale
// waits for deps and the customer. Errors say in plain words what could not be queued.
func (p *Pipeline) queue(ctx context.Context, tx bun.Tx, row *db.Order, d decision, deps []int64) (*qbd.Enqueued, error) {
	deps = slices.Clone(deps)
	if d.posting.Customer != nil {
		it := *d.posting.Customer
		it.AccountID, it.ConnectionID = row.AccountID, d.qbdConn
		res, err := p.Engine.EnqueueTx(ctx, tx, it)
		switch {
		case errors.Is(err, qbd.ErrAlreadyPosted):
		case err != nil:
			return nil, fmt.Errorf("the customer cannot be queued: %w", err)
		case res.Item.Status != db.WorkDone && !slices.Contains(deps, res.Item.ID):
			deps = append(deps, res.Item.ID)
		}
	}
	sale := d.posting.Sale
	sale.AccountID, sale.ConnectionID, sale.DependsOn = row.AccountID, d.qbdConn, deps
	res, err := p.Engine.EnqueueTx(ctx, tx, sale)
	if err != nil && !errors.Is(err, qbd.ErrAlreadyPosted) {
		return nil, fmt.Errorf("the sale cannot be queued: %w", err)
	}
	return res, err
}

// flagChanged marks an order changed in the store after QuickBooks got (or was handed) its sale.
func (p *Pipeline) flagChanged(ctx context.Context, row *db.Order, msg string, st *Stats) {
	row.ChangedAfterPost, row.UpdatedAt = true, p.now()
	if err := p.DB.UpdateOrder(ctx, row, "changed_after_post", "updated_at"); err != nil {
		p.logger().ErrorContext(ctx, "ordersync: flag order", "order", row.ID, "err", err)
		return
	}
	st.FlaggedAfterPost++
	p.event(ctx, row, "updated", msg, nil)
}

// settledOrder is the Settled hook of orders' sales (see Register): it moves the order whose
// sale QuickBooks settled into posted, skipped duplicate, error or needs mapping, in the same
// transaction.
func (p *Pipeline) settledOrder(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	row, err := lockSettled(ctx, tx, item, posting.SaleOrder, "order")
	if row == nil {
		return err
	}
	id := row.ID
	detail := map[string]any{"workItemId": item.ID, "kind": item.Kind, "statusCode": item.StatusCode, "response": item.Response}
	var state, reason, msg string
	var missing []string
	switch {
	case out.Status == db.WorkDone && out.Duplicate:
		state, reason = db.OrderSkippedDuplicate, "Already in QuickBooks ("+out.QBType+" "+out.QBID+"): not posted again."
		msg = reason
	case out.Status == db.WorkDone:
		state, reason = db.OrderPosted, "Posted to QuickBooks as "+out.QBType+" "+out.QBID+"."
		msg = reason
		detail["txnId"] = out.QBID
	default:
		if name, ok := missingItem(out.Message, item); ok {
			var err error
			if missing, err = p.missingOnRefusal(ctx, tx, row, item, name); err != nil {
				return err
			}
			state, reason = db.OrderNeedsMapping, missingReason(missing)
			detail["sku"], detail["skus"] = missing[0], missing
		} else {
			state, reason = db.OrderError, strings.TrimSpace(out.Message+" "+out.Hint)
		}
		msg = "QuickBooks refused it: " + reason
	}
	row.State, row.StateReason, row.UpdatedAt = state, reason, p.now()
	row.MissingSKUs = []string{}
	if len(missing) > 0 {
		row.MissingSKUs = missing
	}
	if err := db.UpdateOrder(ctx, tx, row, "state", "state_reason", "updated_at", "missing_skus"); err != nil {
		return fmt.Errorf("ordersync: settle order %d: %w", id, err)
	}
	raw, _ := json.Marshal(detail)
	ev := &db.OrderEvent{OrderID: row.ID, AccountID: row.AccountID, Kind: "quickbooks", Message: msg, Details: raw}
	if err := db.InsertOrderEvent(ctx, tx, ev); err != nil {
		return fmt.Errorf("ordersync: audit order %d: %w", id, err)
	}
	if state == db.OrderPosted && out.QBType == "Invoice" {
		if err := p.queuePayment(ctx, tx, row, item, out.QBID); err != nil {
			return err
		}
	}
	if state == db.OrderPosted || state == db.OrderSkippedDuplicate {
		// Refunds that waited for the sale go now (after the payment, which they wait for).
		return p.queueWaitingRefunds(ctx, tx, row, &db.QBDLedgerEntry{QBType: out.QBType, QBID: out.QBID})
	}
	return nil
}

// queuePayment queues the payment of a paid order posted as an invoice, applied to the invoice
// QuickBooks just created (its TxnID is only known now).
func (p *Pipeline) queuePayment(ctx context.Context, tx bun.Tx, row *db.Order, invoice *db.QBDWorkItem, txnID string) error {
	var o orders.Order
	if err := json.Unmarshal(row.Normalized, &o); err != nil {
		return fmt.Errorf("ordersync: order %d: %w", row.ID, err)
	}
	conn, err := db.StoreConnectionOf(ctx, tx, row.AccountID, row.ConnectionID)
	if err != nil {
		return fmt.Errorf("ordersync: order %d connection: %w", row.ID, err)
	}
	s, err := Settings(conn)
	if err != nil {
		return err
	}
	customer := posting.CustomerName(o, s, conn.Name)
	pay := posting.Payment(row.ID, conn.ID, o, s, customer, txnID)
	if pay == nil {
		return nil // not paid yet
	}
	pay.AccountID, pay.ConnectionID = row.AccountID, invoice.ConnectionID
	if _, err := p.Engine.EnqueueTx(ctx, tx, *pay); err != nil && !errors.Is(err, qbd.ErrAlreadyPosted) {
		return fmt.Errorf("ordersync: queue payment of order %d: %w", row.ID, err)
	}
	ev := &db.OrderEvent{OrderID: row.ID, AccountID: row.AccountID, Kind: "qbxml", Message: "ReceivePaymentAdd queued against invoice " + txnID + "."}
	return db.InsertOrderEvent(ctx, tx, ev)
}

// settledPayment records what QuickBooks did with an order's payment.
func (p *Pipeline) settledPayment(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	row, err := lockSettled(ctx, tx, item, posting.PaymentOrder, "payment of order")
	if row == nil {
		return err
	}
	id := row.ID
	msg := "Payment recorded in QuickBooks (" + out.QBID + ")."
	if out.Status != db.WorkDone {
		msg = "QuickBooks refused the payment: " + strings.TrimSpace(out.Message+" "+out.Hint)
		row.State, row.StateReason, row.UpdatedAt = db.OrderError, "The invoice is posted but its payment was refused: "+out.Message, p.now()
		if err := db.UpdateOrder(ctx, tx, row, "state", "state_reason", "updated_at"); err != nil {
			return fmt.Errorf("ordersync: settle payment of order %d: %w", id, err)
		}
	}
	ev := &db.OrderEvent{OrderID: row.ID, AccountID: row.AccountID, Kind: "quickbooks", Message: msg}
	return db.InsertOrderEvent(ctx, tx, ev)
}

// lockSettled locks, in tx, the order a settled document belongs to (orderOf reads its id from
// the document key; what names the document in errors). It returns nil and no error for a
// document that is not an order's.
func lockSettled(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, orderOf func(docKey string) (int64, bool), what string) (*db.Order, error) {
	id, ok := orderOf(item.DocKey)
	if !ok {
		return nil, nil
	}
	row, err := db.LockOrder(ctx, tx, item.AccountID, id)
	if err != nil {
		return nil, fmt.Errorf("ordersync: settle %s %d: %w", what, id, err)
	}
	return row, nil
}

// Scope is the engine's Scope hook of orders' sales and payments (see Register), naming the store of our documents (sales and
// payments of orders) whose QuickBooks marker does not name it: those posted before markers
// named the store. Documents that are not orders' are left out.
func (p *Pipeline) Scope(ctx context.Context, tx bun.Tx, accountID int64, docKeys []string) (map[string]string, error) {
	byOrder := map[int64][]string{}
	var ids []int64
	for _, k := range docKeys {
		id, ok := posting.SaleOrder(k)
		if posting.IsPaymentKey(k) {
			id, ok = posting.PaymentOrder(k)
		}
		if ok {
			byOrder[id] = append(byOrder[id], k)
			ids = append(ids, id)
		}
	}
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	conns, err := db.OrderConnections(ctx, tx, accountID, ids)
	if err != nil {
		return nil, fmt.Errorf("ordersync: scopes: %w", err)
	}
	for id, conn := range conns {
		for _, k := range byOrder[id] {
			out[k] = posting.StoreScope(conn)
		}
	}
	return out, nil
}

// Sending is the engine's Sending hook of orders' sales (see Register), for work handed to
// the Web Connector: the orders whose sales go out move from ready to sent.
func (p *Pipeline) Sending(ctx context.Context, tx bun.Tx, items []db.QBDWorkItem) error {
	ids := map[int64][]int64{} // by account: a message set is one connection's, so one account's
	for _, it := range items {
		if id, ok := posting.SaleOrder(it.DocKey); ok {
			ids[it.AccountID] = append(ids[it.AccountID], id)
		}
	}
	for accountID, ids := range ids {
		if err := db.MarkOrdersSent(ctx, tx, accountID, ids, "Handed to the QuickBooks Web Connector; waiting for QuickBooks' answer.", p.now()); err != nil {
			return fmt.Errorf("ordersync: mark sent: %w", err)
		}
	}
	return nil
}

// missingItem reports the item of a sale QuickBooks refused for an unknown item (3140).
func missingItem(msg string, item *db.QBDWorkItem) (string, bool) {
	if item.StatusCode == nil || *item.StatusCode != 3140 {
		return "", false
	}
	ref, ok := qbd.ParseInvalidRef(msg)
	if !ok || ref.List != "Item" {
		return "", false
	}
	return ref.Name, true
}

// missingOnRefusal is every SKU of an order QuickBooks refused for an unknown item (3140,
// naming one item, qbName): that one first, then each other line whose item the known item list
// lacks, so the merchant maps them all in one round. QuickBooks' word wins over the list: the
// item leaves Ledgerlink's list (it was deleted in QuickBooks since it was read).
func (p *Pipeline) missingOnRefusal(ctx context.Context, tx bun.Tx, row *db.Order, item *db.QBDWorkItem, qbName string) ([]string, error) {
	if err := db.ForgetQBItem(ctx, tx, item.AccountID, item.ConnectionID, qbName); err != nil {
		return nil, err
	}
	out := []string{storeSKU(row, qbName)}
	known, err := db.ItemListKnown(ctx, tx, item.AccountID, item.ConnectionID)
	if err != nil || !known {
		return out, err
	}
	conn, err := db.StoreConnectionOf(ctx, tx, row.AccountID, row.ConnectionID)
	if err != nil {
		return nil, fmt.Errorf("ordersync: order %d connection: %w", row.ID, err)
	}
	s, err := Settings(conn)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range requestItemNames(item.Request) {
		// The shipping, discount, tax and rounding items are created when missing, never mapped.
		if !slices.ContainsFunc(posting.ChargeItems(s), func(x string) bool { return strings.EqualFold(x, n) }) {
			names = append(names, n)
		}
	}
	unknown, err := db.UnknownQBItems(ctx, tx, item.AccountID, item.ConnectionID, names)
	if err != nil {
		return nil, err
	}
	for _, n := range unknown {
		if sku := storeSKU(row, n); !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, sku) }) {
			out = append(out, sku)
		}
	}
	return out, nil
}

// missingReason tells the merchant which SKUs to map.
func missingReason(skus []string) string {
	if len(skus) == 1 {
		return fmt.Sprintf("SKU %q has no QuickBooks item. Map it on the Missing Product Mapping page, then resync.", skus[0])
	}
	quoted := make([]string, len(skus))
	for i, s := range skus {
		quoted[i] = strconv.Quote(s)
	}
	return fmt.Sprintf("SKUs %s have no QuickBooks item. Map them on the Missing Product Mapping page, then resync.", strings.Join(quoted, ", "))
}

// checkItems is the pre-send check of a connection that flags orders with missing products:
// with the company's item list known, an order whose lines name items QuickBooks does not have
// is parked in needs mapping with every such SKU, before anything is queued. When the list has
// never been known, nothing is parked blind: a read of the list is queued ahead of the sale, so
// it is answered first in the same Web Connector run and QuickBooks' 3140 for the sale (the
// safety net, also for items deleted in QuickBooks since the read) parks the order with every
// unknown SKU at once.
func (p *Pipeline) checkItems(ctx context.Context, row *db.Order, o orders.Order, d decision, evs *[]db.OrderEvent) decision {
	missing, known, err := p.unknownSKUs(ctx, row.AccountID, d.qbdConn, o)
	switch {
	case err != nil:
		return decision{state: db.OrderError, reason: "The QuickBooks item list cannot be read: " + err.Error() + " Resync the order."}
	case !known:
		d.readItems = true
		return d
	case len(missing) > 0:
		*evs = append(*evs, orderEvent(row, "matching", "Checked against the QuickBooks item list before sending: "+missingReason(missing), map[string]any{"skus": missing}))
		return decision{state: db.OrderNeedsMapping, reason: missingReason(missing), missing: missing, qbdConn: d.qbdConn}
	}
	return d
}

// storeSKU turns the item name QuickBooks reported missing back into the order line's SKU as
// the store has it (QuickBooks only sees the first 31 Latin-1 characters), so a mapping made
// for it matches the store's orders.
func storeSKU(row *db.Order, qbName string) string {
	var o orders.Order
	if json.Unmarshal(row.Normalized, &o) != nil {
		return qbName
	}
	for _, l := range o.Lines {
		if strings.EqualFold(posting.ItemName(l), qbName) {
			return firstNonEmpty(l.SKU, l.Name)
		}
	}
	return qbName
}

// Repair is the engine's 3140 hook of orders' sales (see Register): it creates what a sale refers to but
// QuickBooks lacks, as the order's connection settings allow — the item (Missing Product
// Action "create"; the shipping, discount, tax and rounding items always) and the customer.
func (p *Pipeline) Repair(ctx context.Context, _ bun.Tx, failed *db.QBDWorkItem, ref qbd.InvalidRef) (*qbd.Item, error) {
	id, ok := posting.SaleOrder(failed.DocKey)
	if !ok {
		return nil, nil
	}
	return p.repairFor(ctx, failed.AccountID, id, ref)
}

// repairRefund is Repair for refunds' credit memos (see Register): a refund's shipping, tax or
// adjustment line names an item its sale may never have needed (the rounding item of a
// refund without lines, say), created as for the order's sale.
func (p *Pipeline) repairRefund(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem, ref qbd.InvalidRef) (*qbd.Item, error) {
	id, part, ok := qbd.DocKey(failed.DocKey).Refund()
	if !ok || part != qbd.RefundCredit {
		return nil, nil
	}
	rf, err := db.LockOrderRefund(ctx, tx, failed.AccountID, id)
	if err != nil {
		return nil, err
	}
	return p.repairFor(ctx, failed.AccountID, rf.OrderID, ref)
}

// orderSettings reads order id of accountID and its store connection's settings.
func (p *Pipeline) orderSettings(ctx context.Context, accountID, id int64) (*db.Order, orders.Settings, error) {
	row, err := p.DB.GetOrder(ctx, accountID, id)
	if err != nil {
		return nil, orders.Settings{}, err
	}
	conn, err := p.DB.GetStoreConnection(ctx, accountID, row.ConnectionID)
	if err != nil {
		return nil, orders.Settings{}, err
	}
	s, err := Settings(conn)
	return row, s, err
}

// subject is the engine's Explainer hook of orders' sales: the log names the order by its
// number, with its id for a link.
func (p *Pipeline) subject(ctx context.Context, _ bun.Tx, failed *db.QBDWorkItem) (string, map[string]any) {
	id, ok := posting.SaleOrder(failed.DocKey)
	if !ok {
		return "", nil
	}
	row, err := p.DB.GetOrder(ctx, failed.AccountID, id)
	if err != nil {
		return "", nil // the log says the document key instead
	}
	return "Order " + row.Number, map[string]any{"orderId": row.ID, "orderNumber": row.Number}
}

// unrepairedHint is the engine's hint for a sale's missing item Repair did not create: the
// store's Missing Product Action is to flag the order for mapping.
func (p *Pipeline) unrepairedHint(ctx context.Context, _ bun.Tx, failed *db.QBDWorkItem, ref qbd.InvalidRef) string {
	id, ok := posting.SaleOrder(failed.DocKey)
	if !ok || ref.List != "Item" {
		return ""
	}
	if _, s, err := p.orderSettings(ctx, failed.AccountID, id); err != nil || s.MissingProduct != orders.MissingFlag {
		return ""
	}
	return "The store's Missing Product Action is “Flag order as error and map”: the order waits in Needs mapping. " +
		"Map the SKU to a QuickBooks item on the Missing Product Mapping page, then resync."
}

// repairFor is what Repair creates for a document of order id of accountID.
func (p *Pipeline) repairFor(ctx context.Context, accountID, id int64, ref qbd.InvalidRef) (*qbd.Item, error) {
	row, s, err := p.orderSettings(ctx, accountID, id)
	if err != nil {
		return nil, err
	}
	switch ref.List {
	case "Customer":
		return posting.MissingCustomer(ref.Name, s), nil
	case "Item":
		it := posting.MissingItem(ref.Name, s)
		if it == nil {
			return nil, nil // parked for mapping
		}
		if inv, ok := it.Request.(qbxml.ItemInventoryAdd); ok {
			// Seed 002: an item Ledgerlink creates starts with the store's quantity.
			it.Request = p.openingStock(ctx, row, ref.Name, inv, s)
		}
		return it, nil
	}
	return nil, nil
}

func (p *Pipeline) setState(ctx context.Context, row *db.Order, state, reason string) {
	row.State, row.StateReason, row.UpdatedAt = state, reason, p.now()
	if err := p.DB.UpdateOrder(ctx, row, "state", "state_reason", "updated_at"); err != nil {
		p.logger().ErrorContext(ctx, "ordersync: set state", "order", row.ID, "err", err)
		return
	}
	p.stateRecorded(ctx, row, state, reason)
}

// stateRecorded writes the audit trail (and, for an error, the sync log) of a state change
// already stored.
func (p *Pipeline) stateRecorded(ctx context.Context, row *db.Order, state, reason string) {
	ev, l := stateEntries(row, state, reason)
	if err := p.DB.AddOrderEvent(ctx, &ev); err != nil {
		p.logger().ErrorContext(ctx, "ordersync: audit", "order", row.ID, "err", err)
	}
	if l != nil {
		if err := p.DB.AddLog(ctx, l); err != nil {
			p.logger().ErrorContext(ctx, "ordersync: sync log", "err", err)
		}
	}
}

// stateEntries are the audit line of an order's new state and, for an error, its sync-log line
// (nil otherwise).
func stateEntries(row *db.Order, state, reason string) (db.OrderEvent, *db.SyncLog) {
	ev := orderEvent(row, "state", strings.ReplaceAll(state, "_", " ")+": "+reason, nil)
	if state != db.OrderError {
		return ev, nil
	}
	hint := "Open the order in Ledgerlink, fix the cause, then resync it."
	if malformed(row) {
		hint = malformedHint
	}
	details, _ := json.Marshal(map[string]any{"orderId": row.ID, "orderNumber": row.Number})
	return ev, &db.SyncLog{AccountID: row.AccountID, ConnectionID: &row.ConnectionID, Level: db.LevelError, Source: "orders",
		Message: "Order " + row.Number + ": " + reason, Hint: &hint, Details: details}
}

func (p *Pipeline) event(ctx context.Context, row *db.Order, kind, msg string, details map[string]any) {
	e := orderEvent(row, kind, msg, details)
	if err := p.DB.AddOrderEvent(ctx, &e); err != nil {
		p.logger().ErrorContext(ctx, "ordersync: audit", "order", row.ID, "err", err)
	}
}

// orderEvent is an audit line of row, not yet stored.
func orderEvent(row *db.Order, kind, msg string, details map[string]any) db.OrderEvent {
	e := db.OrderEvent{OrderID: row.ID, AccountID: row.AccountID, Kind: kind, Message: msg}
	if details != nil {
		e.Details, _ = json.Marshal(details)
	}
	return e
}

func (p *Pipeline) logger() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

// sameOrder compares two normalized orders as JSON values (key order aside).
func sameOrder(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ax, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return string(ax) == string(by)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
