// Package invsync reads QuickBooks Desktop quantities through the Web Connector and turns what
// changed into targets in the inventory update queue of every store connection with inventory
// sync on (issue 12). It owns the document kind qbd.KindInventory on the engine (Register).
//
// One detection is a chain of query work items, each queued by the Settled hook of the one
// before it, so a read is just work for the Web Connector, packed into message sets by the
// engine like any other and never held inside one SOAP call:
//
//   - a full snapshot (inventory.Policy.Plan says when): every ItemInventory, then every
//     ItemInventoryAssembly, with iterators;
//   - otherwise the changes since the watermark (minus the overlap): the seven transaction
//     types that move stock (SalesReceipt, Invoice, SalesOrder, CreditMemo,
//     InventoryAdjustment, Bill, ItemReceipt; ModifiedDateRangeFilter, IncludeLineItems),
//     each page's items re-read by ListID (inventory.ToReread) before the next page is asked
//     for, and last the items modified since the watermark.
//
// Every page of items is compared with the snapshot in the transaction that settles it
// (inventory.Detect); changed quantities become targets (settings, INVENTORY rules) queued with
// db.EnqueueInventoryUpdates in that same transaction, so the snapshot and the queue never
// disagree. The watermark moves only when the last step of a chain settles and every step
// before it succeeded: a failed or lost step ends the chain, and the next detection asks for
// the same window again. A Continue whose answer was lost and that was sent again may have
// skipped a page (QuickBooks moved its iterator), so the detection starts over.
//
// Pushes are not made here: after the targets are queued, Notify (jobs: an inventory:push
// task, delayed a little so the settling transaction has committed) wakes the store side.
package invsync

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/inventory"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
)

// Page sizes of the reads. An item page with the few IncludeRetElements of a quantity read is
// small; transactions carry their lines.
const (
	DefaultItemPageSize = 500
	DefaultTxnPageSize  = 100
)

// Steps of a detection, in order. Item steps read quantities; transaction steps find items to
// re-read.
const (
	stepItems      = "ItemInventory"
	stepAssemblies = "ItemInventoryAssembly"
	rereadPrefix   = "re" // re<ItemInventory|ItemInventoryAssembly>.<txn step>.<txn page>
)

// txnSteps are the transactions that move stock, in the order a changes read asks for them.
var txnSteps = []string{"SalesReceipt", "Invoice", "SalesOrder", "CreditMemo", "InventoryAdjustment", "Bill", "ItemReceipt"}

// Detector owns inventory detections on one engine.
type Detector struct {
	DB     *db.DB
	Engine *qbd.Engine
	// Rules runs the account's INVENTORY pipeline on every target (nil: no rules).
	Rules  *rules.Loader
	Policy inventory.Policy
	// Online builds the Accounting API client of a QuickBooks Online company; nil turns
	// QuickBooks Online detection (DetectOnline) off.
	Online func(ctx context.Context, accountID, qboConnectionID int64) (*qbo.Client, error)
	// OnlinePolicy is how QuickBooks Online companies are read (zero: changes through change
	// data capture, everything once a day; see DetectOnline).
	OnlinePolicy inventory.Policy
	// ItemPageSize and TxnPageSize override the page sizes (tests).
	ItemPageSize, TxnPageSize int
	// Notify is told, inside the settling transaction, which store connections got targets
	// queued; it must only schedule work that runs after the commit (jobs enqueues a delayed
	// inventory:push). Nil: nobody is told (the push sweep finds the rows).
	Notify func(ctx context.Context, accountID, storeConnectionID int64) error
	Now    func() time.Time
}

func (d *Detector) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Detector) itemPage() int {
	if d.ItemPageSize > 0 {
		return d.ItemPageSize
	}
	return DefaultItemPageSize
}

func (d *Detector) txnPage() int {
	if d.TxnPageSize > 0 {
		return d.TxnPageSize
	}
	return DefaultTxnPageSize
}

// Register makes d the owner of qbd.KindInventory on e. Call it once, before e serves the Web
// Connector.
func (d *Detector) Register(e *qbd.Engine) {
	e.Handle(qbd.KindInventory, qbd.Hooks{OnSettled: d.settled})
}

// run names one step of one detection; it is the work item's document key.
type run struct {
	start int64  // when the detection started (Unix ns; the watermark moves to it)
	from  int64  // FromModifiedDate of a changes read (Unix ns); 0 = full snapshot
	step  string // stepItems, stepAssemblies, a txn step, or a reread
	page  int
}

func (r run) key() string         { return qbd.InventoryReadKey(r.start, r.from, r.step, r.page).String() }
func (r run) full() bool          { return r.from == 0 }
func (r run) fromTime() time.Time { return time.Unix(0, r.from).UTC() }
func (r run) plan() inventory.Plan {
	p := inventory.Plan{Full: r.full(), Start: time.Unix(0, r.start).UTC()}
	if !p.Full {
		p.From = r.fromTime()
	}
	return p
}

func parseRun(docKey string) (run, bool) {
	parts := strings.Split(qbd.DocKey(docKey).ID(), ":")
	if len(parts) != 4 {
		return run{}, false
	}
	start, err1 := strconv.ParseInt(parts[0], 10, 64)
	from, err2 := strconv.ParseInt(parts[1], 10, 64)
	page, err3 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || parts[2] == "" {
		return run{}, false
	}
	return run{start: start, from: from, step: parts[2], page: page}, true
}

// Start queues a detection of QuickBooks Desktop connection qbdConnectionID of accountID for
// the next Web Connector run, unless one is under way (queued, sent or in doubt). What it
// reads follows d.Policy and the stored watermark. It reports whether it queued one.
func (d *Detector) Start(ctx context.Context, accountID, qbdConnectionID int64) (bool, error) {
	var started bool
	err := d.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		started, err = d.StartTx(ctx, tx, accountID, qbdConnectionID)
		return err
	})
	return started, err
}

// StartTx is Start inside the caller's transaction.
func (d *Detector) StartTx(ctx context.Context, tx bun.Tx, accountID, qbdConnectionID int64) (bool, error) {
	busy, err := db.UnfinishedWork(ctx, tx, accountID, qbdConnectionID, qbd.KindInventory+":")
	if err != nil {
		return false, fmt.Errorf("invsync: detection under way: %w", err)
	}
	if busy {
		return false, nil
	}
	w, err := db.GetInventoryWatermark(ctx, tx, accountID, qbdConnectionID)
	if err != nil {
		return false, fmt.Errorf("invsync: %w", err)
	}
	pl := d.policy(db.DesktopCompany(qbdConnectionID)).Plan(inventory.Watermark{ChangesThrough: w.ChangesThrough, FullSnapshotAt: w.FullSnapshotAt}, d.now())
	if err := d.begin(ctx, tx, accountID, qbdConnectionID, pl); err != nil {
		return false, err
	}
	return true, nil
}

// begin queues the first step of a detection planned as pl.
func (d *Detector) begin(ctx context.Context, tx bun.Tx, accountID, qbdConnectionID int64, pl inventory.Plan) error {
	r := run{start: pl.Start.UnixNano(), page: 1}
	if pl.Full {
		r.step = stepItems
	} else {
		r.from = pl.From.UnixNano()
		if r.from == 0 {
			r.from = 1 // 0 means full; one nanosecond after the epoch asks for the same records
		}
		r.step = txnSteps[0]
	}
	_, err := d.queue(ctx, tx, accountID, qbdConnectionID, r, d.request(r, qbxml.IteratorStart, "", nil), nil)
	return err
}

// request builds the query of step r (a Start, or a Continue of iteratorID). listIDs are the
// items of a reread.
func (d *Detector) request(r run, mode qbxml.IteratorMode, iteratorID string, listIDs []string) qbxml.Request {
	if strings.HasPrefix(r.step, rereadPrefix) {
		if strings.HasPrefix(r.step, rereadPrefix+stepAssemblies+".") {
			return qbxml.ItemInventoryAssemblyQuery{ListIDs: listIDs, IncludeRetElements: qbxml.InventoryItemRetElements}
		}
		return qbxml.ItemInventoryQuery{ListIDs: listIDs, IncludeRetElements: qbxml.InventoryItemRetElements}
	}
	lf := qbxml.ListFilter{MaxReturned: d.itemPage(), ActiveStatus: qbxml.ActiveAll}
	tf := qbxml.TxnFilter{MaxReturned: d.txnPage()}
	if !r.full() {
		lf.FromModifiedDate = qbxml.DateTimeOf(r.fromTime())
		tf.FromModifiedDate = qbxml.DateTimeOf(r.fromTime())
	}
	els := qbxml.InventoryTxnRetElements(r.step)
	switch r.step {
	case stepItems:
		return qbxml.ItemInventoryQuery{Filter: lf, IncludeRetElements: qbxml.InventoryItemRetElements, Iterator: mode, IteratorID: iteratorID}
	case stepAssemblies:
		return qbxml.ItemInventoryAssemblyQuery{Filter: lf, IncludeRetElements: qbxml.InventoryItemRetElements, Iterator: mode, IteratorID: iteratorID}
	case "SalesReceipt":
		return qbxml.SalesReceiptQuery{Filter: tf, IncludeLineItems: true, IncludeRetElements: els, Iterator: mode, IteratorID: iteratorID}
	case "Invoice":
		return qbxml.InvoiceQuery{Filter: tf, IncludeLineItems: true, IncludeRetElements: els, Iterator: mode, IteratorID: iteratorID}
	case "SalesOrder":
		return qbxml.SalesOrderQuery{Filter: tf, IncludeLineItems: true, IncludeRetElements: els, Iterator: mode, IteratorID: iteratorID}
	case "CreditMemo":
		return qbxml.CreditMemoQuery{Filter: tf, IncludeLineItems: true, IncludeRetElements: els, Iterator: mode, IteratorID: iteratorID}
	case "InventoryAdjustment":
		return qbxml.InventoryAdjustmentQuery{Filter: tf, IncludeLineItems: true, IncludeRetElements: els, Iterator: mode, IteratorID: iteratorID}
	case "Bill":
		return qbxml.BillQuery{Filter: tf, IncludeLineItems: true, IncludeRetElements: els, Iterator: mode, IteratorID: iteratorID}
	case "ItemReceipt":
		return qbxml.ItemReceiptQuery{Filter: tf, IncludeLineItems: true, IncludeRetElements: els, Iterator: mode, IteratorID: iteratorID}
	}
	panic("invsync: unknown step " + r.step)
}

func (d *Detector) queue(ctx context.Context, tx bun.Tx, accountID, qbdConnectionID int64, r run, rq qbxml.Request, deps []int64) (int64, error) {
	e, err := d.Engine.EnqueueTx(ctx, tx, qbd.Item{AccountID: accountID, ConnectionID: qbdConnectionID, DocKey: r.key(), Request: rq, DependsOn: deps})
	if err != nil {
		return 0, fmt.Errorf("invsync: queue %s: %w", r.key(), err)
	}
	return e.Item.ID, nil
}

// next is the step after the last page of step (a full read: items, assemblies; a changes
// read: the transactions, then items, then assemblies); "" when the detection is over.
func next(full bool, step string) string {
	order := []string{stepItems, stepAssemblies}
	if !full {
		order = append(append([]string{}, txnSteps...), stepItems, stepAssemblies)
	}
	for i, s := range order {
		if s == step && i+1 < len(order) {
			return order[i+1]
		}
	}
	return ""
}

// settled handles the answer to one step, in the engine's settling transaction.
func (d *Detector) settled(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	r, ok := parseRun(item.DocKey)
	if !ok {
		return d.log(ctx, tx, item.AccountID, db.LevelWarning, "An inventory read with an unknown name ("+item.DocKey+") was ignored.")
	}
	reread := strings.HasPrefix(r.step, rereadPrefix)
	if out.Status != db.WorkDone || out.Response == nil {
		if reread {
			// Most likely an item deleted in QuickBooks (its ListID no longer answers): a
			// full snapshot sees deletions. The chain's next step fails with this one.
			return d.restart(ctx, tx, item, inventory.Plan{Full: true, Start: d.now()},
				"re-reading the items of changed transactions failed ("+out.Message+"); every item is read instead")
		}
		if r.page > 1 && item.StatusCode != nil && *item.StatusCode == 3391 {
			// The iterator belonged to a Web Connector session that ended between two pages.
			return d.restart(ctx, tx, item, r.plan(), "the Web Connector session ended between two pages")
		}
		return d.log(ctx, tx, item.AccountID, db.LevelError,
			"Reading inventory from QuickBooks stopped at "+r.step+": "+out.Message+" The next inventory check reads the same changes again.")
	}
	rs := out.Response
	var items []inventory.Item
	for _, ret := range rs.Items {
		if it, ok := inventory.FromItemRet(ret); ok {
			items = append(items, it)
		}
	}
	if len(items) > 0 {
		if err := d.apply(ctx, tx, item.AccountID, db.DesktopCompany(item.ConnectionID), items); err != nil {
			return err
		}
	}
	if reread {
		return nil // the chain goes on with the step that waited on this one
	}
	if r.page > 1 && item.Attempts > 1 {
		// This Continue was sent again after an answer was lost: QuickBooks may have moved
		// the iterator past the page we never saw. What was read counts; the rest is read anew.
		return d.restart(ctx, tx, item, r.plan(), "an answer from QuickBooks was lost between two pages")
	}
	var deps []int64
	if !isItemStep(r.step) {
		var err error
		if deps, err = d.queueRereads(ctx, tx, item, r, rs.TxnItems()); err != nil {
			return err
		}
	}
	if rs.IteratorID != "" && rs.IteratorRemainingCount > 0 {
		nr := run{start: r.start, from: r.from, step: r.step, page: r.page + 1}
		_, err := d.queue(ctx, tx, item.AccountID, item.ConnectionID, nr, d.request(nr, qbxml.IteratorContinue, rs.IteratorID, nil), deps)
		return err
	}
	if s := next(r.full(), r.step); s != "" {
		nr := run{start: r.start, from: r.from, step: s, page: 1}
		_, err := d.queue(ctx, tx, item.AccountID, item.ConnectionID, nr, d.request(nr, qbxml.IteratorStart, "", nil), deps)
		return err
	}
	return d.finish(ctx, tx, item, r)
}

func isItemStep(step string) bool { return step == stepItems || step == stepAssemblies }

// queueRereads queues the re-reads of the snapshot items on txns and returns their ids (the
// next step waits on them).
func (d *Detector) queueRereads(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, r run, txns []qbxml.TxnItems) ([]int64, error) {
	if len(txns) == 0 {
		return nil, nil
	}
	snap, err := d.snapshot(ctx, tx, item.AccountID, db.DesktopCompany(item.ConnectionID))
	if err != nil {
		return nil, err
	}
	rr := inventory.ToReread(txns, snap)
	var ids []int64
	for _, g := range []struct {
		kind string
		ids  []string
	}{{stepItems, rr.Inventory}, {stepAssemblies, rr.Assembly}} {
		if len(g.ids) == 0 {
			continue
		}
		nr := run{start: r.start, from: r.from, step: rereadPrefix + g.kind + "." + r.step, page: r.page}
		id, err := d.queue(ctx, tx, item.AccountID, item.ConnectionID, nr, d.request(nr, "", "", g.ids), nil)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// finish ends a detection whose every step succeeded: a full snapshot drops the items it did
// not see (deleted in QuickBooks) and re-queues every item's target (a store connection whose
// sync was just turned on, or a store changed by hand, gets QuickBooks' quantities; unchanged
// done rows are no-ops in the queue); the watermark moves to the detection's start.
func (d *Detector) finish(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, r run) error {
	return d.complete(ctx, tx, item.AccountID, db.DesktopCompany(item.ConnectionID), r.plan())
}

// complete ends a detection of company co planned as pl whose every read succeeded: a full
// read drops the snapshot items it did not see (deleted in QuickBooks) and re-queues every
// item's target; the watermark moves to pl.Start.
func (d *Detector) complete(ctx context.Context, tx bun.Tx, accountID int64, co db.InventoryCompany, pl inventory.Plan) error {
	msg := "Checked QuickBooks for inventory changes."
	if pl.Full {
		snap, err := db.InventorySnapshotOf(ctx, tx, accountID, co)
		if err != nil {
			return fmt.Errorf("invsync: %w", err)
		}
		var gone []string
		var all []inventory.Item
		for _, s := range snap {
			if s.LastSeenAt.Before(pl.Start) {
				gone = append(gone, s.ListID)
				continue
			}
			all = append(all, fromSnapshot(s))
		}
		if err := db.DeleteInventorySnapshotItemsOf(ctx, tx, accountID, co, gone); err != nil {
			return fmt.Errorf("invsync: %w", err)
		}
		if _, err := d.target(ctx, tx, accountID, co, all, false); err != nil {
			return err
		}
		msg = fmt.Sprintf("Read the quantities of all %d inventory items from QuickBooks.", len(all))
		if len(gone) > 0 {
			msg += fmt.Sprintf(" %d items no longer in QuickBooks were dropped.", len(gone))
		}
	}
	w := d.policy(co).Advance(inventory.Watermark{}, pl, true)
	if err := db.SetInventoryWatermarkOf(ctx, tx, accountID, co,
		db.InventoryWatermark{ChangesThrough: w.ChangesThrough, FullSnapshotAt: w.FullSnapshotAt}); err != nil {
		return fmt.Errorf("invsync: %w", err)
	}
	return d.log(ctx, tx, accountID, db.LevelInfo, msg)
}

// restart starts a detection planned as pl without waiting for the current one's work (it is
// over: its failed step fails the steps that wait on it).
func (d *Detector) restart(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, pl inventory.Plan, why string) error {
	pl.Start = d.now()
	if err := d.begin(ctx, tx, item.AccountID, item.ConnectionID, pl); err != nil {
		return err
	}
	return d.log(ctx, tx, item.AccountID, db.LevelWarning, "Reading inventory from QuickBooks starts over: "+why+".")
}

// apply compares items read with the snapshot, stores them (ChangedAt moves for the items
// that changed), and queues the targets of those whose quantities changed.
func (d *Detector) apply(ctx context.Context, tx bun.Tx, accountID int64, co db.InventoryCompany, items []inventory.Item) error {
	// Detect of a partial read looks only at the items read: load just those.
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ListID)
	}
	rows, err := db.InventorySnapshotItemsOf(ctx, tx, accountID, co, ids)
	if err != nil {
		return fmt.Errorf("invsync: %w", err)
	}
	snap := make([]inventory.Item, len(rows))
	changedAt := make(map[string]time.Time, len(rows))
	for i, s := range rows {
		snap[i] = fromSnapshot(s)
		changedAt[s.ListID] = s.ChangedAt
	}
	res := inventory.Detect(snap, inventory.Read{Kind: inventory.Partial, Items: items})
	now := d.now()
	var changed []inventory.Item
	for _, c := range res.Changes {
		changedAt[c.Item.ListID] = now
		if c.QuantityChanged() {
			changed = append(changed, c.Item)
		}
	}
	save := make([]db.SnapshotItem, 0, len(res.Save))
	for _, it := range res.Save {
		save = append(save, db.SnapshotItem{ListID: it.ListID, FullName: it.FullName, ItemType: it.Type, Active: it.Active,
			OnHand: db.Qty(it.OnHand), OnSalesOrder: db.Qty(it.OnSalesOrder), TimeModified: string(it.TimeModified),
			LastSeenAt: now, ChangedAt: changedAt[it.ListID]})
	}
	if err := db.SaveInventorySnapshotOf(ctx, tx, accountID, co, save); err != nil {
		return fmt.Errorf("invsync: %w", err)
	}
	_, err = d.target(ctx, tx, accountID, co, changed, true)
	return err
}

func (d *Detector) snapshot(ctx context.Context, tx bun.Tx, accountID int64, co db.InventoryCompany) ([]inventory.Item, error) {
	rows, err := db.InventorySnapshotOf(ctx, tx, accountID, co)
	if err != nil {
		return nil, fmt.Errorf("invsync: %w", err)
	}
	out := make([]inventory.Item, len(rows))
	for i, s := range rows {
		out[i] = fromSnapshot(s)
	}
	return out, nil
}

func fromSnapshot(s db.SnapshotItem) inventory.Item {
	return inventory.Item{ListID: s.ListID, FullName: s.FullName, Type: s.ItemType, Active: s.Active,
		OnHand: qbxml.Quantity(s.OnHand), OnSalesOrder: qbxml.Quantity(s.OnSalesOrder), TimeModified: qbxml.DateTime(s.TimeModified)}
}

// target queues, for every store connection on company co with inventory sync on, the
// quantity of each item (see Targets), and tells Notify which connections got some. audit
// writes what the INVENTORY rules did to the sync log (changes only: a full snapshot's
// re-queue of unchanged items would repeat it every hour).
func (d *Detector) target(ctx context.Context, tx bun.Tx, accountID int64, co db.InventoryCompany, items []inventory.Item, audit bool) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	conns, err := db.StoreConnectionsOfCompany(ctx, tx, accountID, co)
	if err != nil {
		return 0, fmt.Errorf("invsync: %w", err)
	}
	var ev *rules.Evaluator
	total := 0
	for i := range conns {
		sc := &conns[i]
		s, err := connSettings(sc)
		if err != nil {
			if lerr := d.log(ctx, tx, accountID, db.LevelError, err.Error()); lerr != nil {
				return total, lerr
			}
			continue
		}
		if !s.Enabled {
			continue
		}
		if ev == nil && d.Rules != nil {
			if ev, err = d.Rules.Evaluator(ctx, accountID, rules.Inventory); err != nil {
				return total, fmt.Errorf("invsync: inventory rules: %w", err)
			}
		}
		targets, notes := Targets(sc, s, ev, co.QBD, items)
		if audit {
			for _, n := range notes {
				if err := d.log(ctx, tx, accountID, db.LevelInfo, n); err != nil {
					return total, err
				}
			}
		}
		queued, err := db.EnqueueInventoryUpdates(ctx, tx, accountID, targets)
		if err != nil {
			return total, fmt.Errorf("invsync: %w", err)
		}
		total += queued
		if queued > 0 && d.Notify != nil {
			if err := d.Notify(ctx, accountID, sc.ID); err != nil {
				return total, fmt.Errorf("invsync: notify store connection %d: %w", sc.ID, err)
			}
		}
	}
	return total, nil
}

// connSettings reads a store connection's inventory settings.
func connSettings(sc *db.StoreConnection) (orders.InventorySettings, error) {
	var s orders.Settings
	if len(sc.Settings) > 0 {
		if err := json.Unmarshal(sc.Settings, &s); err != nil {
			return orders.InventorySettings{}, fmt.Errorf("invsync: the settings of store connection %s cannot be read: %w", sc.Name, err)
		}
	}
	return s.WithDefaults().Inventory, nil
}

// Targets computes the update-queue targets of store connection sc for items: each item is a
// one-line document for the INVENTORY rule pipeline (channel and store of sc; the line's SKU
// and itemName are the QuickBooks item's full name, its quantity the store quantity) — a rule
// may set lines[].sku (the store SKU that gets the quantity), hold units back
// (lines[].holdBack, taken off after the safety stock, never below zero) or exclude it. The quantity is
// s.Quantity (basis, safety stock, never below zero); SKUs s excludes are left out. notes are
// the audit lines for what rules did, each naming the rule.
func Targets(sc *db.StoreConnection, s orders.InventorySettings, ev *rules.Evaluator, qbdConnectionID int64, items []inventory.Item) ([]db.InventoryTarget, []string) {
	var out []db.InventoryTarget
	var notes []string
	for _, it := range items {
		qty := s.Quantity(it)
		sku := it.FullName
		if ev != nil {
			doc := orders.Order{Channel: sc.Channel, Store: sc.Name,
				Lines: []orders.Line{{ID: it.ListID, SKU: it.FullName, Name: it.FullName, ItemName: it.FullName, Quantity: qty}}}
			res := ev.Apply(&doc)
			if res.Excluded {
				notes = append(notes, fmt.Sprintf("Inventory of QuickBooks item %q is not sent to %s: excluded by rule %s.", it.FullName, sc.Name, ruleNames(res)))
				continue
			}
			if hold := doc.Lines[0].HoldBack; hold > 0 {
				notes = append(notes, fmt.Sprintf("%d units of QuickBooks item %q are held back from %s: rule %s.", hold, it.FullName, sc.Name, ruleNames(res)))
				qty = max(qty-hold, 0)
			}
			if got := strings.TrimSpace(doc.Lines[0].SKU); got != "" && got != sku {
				notes = append(notes, fmt.Sprintf("Inventory of QuickBooks item %q goes to SKU %q in %s: rule %s.", it.FullName, got, sc.Name, ruleNames(res)))
				sku = got
			}
		}
		if s.Excluded(sku) || s.Excluded(it.FullName) {
			continue
		}
		out = append(out, db.InventoryTarget{StoreConnectionID: sc.ID, SKU: sku, Quantity: qty, QBDConnectionID: qbdConnectionID,
			QBListID: it.ListID, QBFullName: it.FullName})
	}
	return out, notes
}

// ruleNames names the rules that changed something: "“Name” (rule 12 v3)".
func ruleNames(res rules.Result) string {
	var names []string
	seen := map[int64]bool{}
	for _, c := range res.Changes {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		names = append(names, fmt.Sprintf("%q (rule %d v%d)", c.Name, c.ID, c.Version))
	}
	if len(names) == 0 {
		return "(unnamed)"
	}
	return strings.Join(names, ", ")
}

func (d *Detector) log(ctx context.Context, tx bun.Tx, accountID int64, level db.LogLevel, msg string) error {
	if err := db.InsertSyncLog(ctx, tx, &db.SyncLog{AccountID: accountID, Level: level, Source: "inventory", Message: msg}); err != nil {
		return fmt.Errorf("invsync: log: %w", err)
	}
	return nil
}
