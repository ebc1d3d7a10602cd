// Package ssexport sends QuickBooks Desktop sales to ShipStation (issue 13, seed 004): it reads
// new and modified sales receipts, invoices and sales orders of a ShipStation connection's
// QuickBooks company through the Web Connector engine (it owns the document kind
// qbd.KindShipStationExport), builds ShipStation orders from them (MapAddress, Document, the
// QUICKBOOKS_TO_SHIPSTATION rules, ShipStationOrder) and upserts them with createorders (Push).
// See README.md for the wire contract.
package ssexport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

const (
	// DefaultPageSize is how many sales one query page returns (with their lines).
	DefaultPageSize = 100
	// Overlap is how far before the last complete read's start the next read asks from:
	// QuickBooks' clock is the PC's, and a sale saved while a read ran must not be missed.
	Overlap = 5 * time.Minute
	// FirstReadBack is how far back the first read of a connection goes.
	FirstReadBack = 30 * 24 * time.Hour
	// source is the sync log's source for this direction.
	source = "shipstation"
)

// Steps of a read, in order: the sale types the settings choose, then the test sales (one
// query per type by RefNumber), each followed by a customer read of its page.
var saleSteps = []string{"SalesReceipt", "Invoice", "SalesOrder"}

const (
	testPrefix   = "t" // tSalesReceipt …: the test sales of that type
	custPrefix   = "c" // c<step>: the customers of a page of step
	resendPrefix = "r" // r<row id>: a sale the merchant resent, read again by TxnID
)

// readKind is what a sale step reads: new and modified sales, test sales, or a resent sale.
type readKind int

const (
	readModified readKind = iota
	readTest
	readResend
)

func kindOf(step string) readKind {
	switch {
	case strings.HasPrefix(step, testPrefix):
		return readTest
	case strings.HasPrefix(step, resendPrefix):
		return readResend
	}
	return readModified
}

// resendRow is the sale row a resend step reads.
func resendRow(step string) (int64, bool) {
	if !strings.HasPrefix(step, resendPrefix) {
		return 0, false
	}
	id, err := strconv.ParseInt(step[len(resendPrefix):], 10, 64)
	return id, err == nil
}

// Exporter reads QuickBooks sales for ShipStation connections and pushes them.
type Exporter struct {
	DB     *db.DB
	Engine *qbd.Engine
	// Rules runs the account's QUICKBOOKS_TO_SHIPSTATION rules (nil: none).
	Rules *rules.Loader
	// Client returns the ShipStation client of a connection (credentials unsealed).
	Client func(ctx context.Context, sc *db.StoreConnection) (*shipstation.Client, error)
	// Notify is told, inside the settling transaction, that a connection has orders waiting;
	// it must only schedule work that runs after the commit (jobs: a delayed push task). Nil:
	// nobody is told (call Push).
	Notify   func(ctx context.Context, accountID, storeConnectionID int64) error
	PageSize int
	Now      func() time.Time
}

func (x *Exporter) now() time.Time {
	if x.Now != nil {
		return x.Now()
	}
	return time.Now()
}

func (x *Exporter) pageSize() int {
	if x.PageSize > 0 {
		return x.PageSize
	}
	return DefaultPageSize
}

// Register makes x the owner of qbd.KindShipStationExport on e.
func (x *Exporter) Register(e *qbd.Engine) {
	e.Handle(qbd.KindShipStationExport, qbd.Hooks{OnSettled: x.settled})
}

// run names one step of one read; it is the work item's document key.
type run struct {
	conn  int64 // ShipStation store connection
	start int64 // Unix ns; the watermark moves to it
	from  int64 // Unix ns; FromModifiedDate of the sale steps
	step  string
	page  int
}

func (r run) key() string {
	return qbd.NewDocKey(qbd.KindShipStationExport, fmt.Sprintf("%d:%d:%d:%s:%d", r.conn, r.start, r.from, r.step, r.page)).String()
}

func parseRun(docKey string) (run, bool) {
	parts := strings.Split(qbd.DocKey(docKey).ID(), ":")
	if len(parts) != 5 {
		return run{}, false
	}
	conn, e1 := strconv.ParseInt(parts[0], 10, 64)
	start, e2 := strconv.ParseInt(parts[1], 10, 64)
	from, e3 := strconv.ParseInt(parts[2], 10, 64)
	page, e4 := strconv.Atoi(parts[4])
	if e1 != nil || e2 != nil || e3 != nil || e4 != nil || parts[3] == "" {
		return run{}, false
	}
	return run{conn: conn, start: start, from: from, step: parts[3], page: page}, true
}

// Settings reads the QuickBooks → ShipStation settings of sc.
func Settings(sc *db.StoreConnection) (orders.QuickBooksToShipStationSettings, error) {
	var s orders.Settings
	if len(sc.Settings) > 0 {
		if err := json.Unmarshal(sc.Settings, &s); err != nil {
			return orders.QuickBooksToShipStationSettings{}, fmt.Errorf("ssexport: the settings of %s cannot be read: %w", sc.Name, err)
		}
	}
	return s.QuickBooksToShipStation.WithDefaults(), nil
}

// Start queues, for the next Web Connector run of QuickBooks Desktop connection
// qbdConnectionID of accountID, a read of new and modified sales for every ShipStation
// connection on it with the direction on, unless one is under way. It returns how many reads
// it queued.
func (x *Exporter) Start(ctx context.Context, accountID, qbdConnectionID int64) (int, error) {
	n := 0
	err := x.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		conns, err := db.ShipStationExportConnections(ctx, tx, accountID, qbdConnectionID)
		if err != nil {
			return fmt.Errorf("ssexport: %w", err)
		}
		for i := range conns {
			started, err := x.startTx(ctx, tx, &conns[i])
			if err != nil {
				return err
			}
			if started {
				n++
			}
		}
		return nil
	})
	return n, err
}

func (x *Exporter) startTx(ctx context.Context, tx bun.Tx, sc *db.StoreConnection) (bool, error) {
	busy, err := db.UnfinishedWork(ctx, tx, sc.AccountID, *sc.QBDConnectionID, fmt.Sprintf("%s:%d:", qbd.KindShipStationExport, sc.ID))
	if err != nil || busy {
		return false, err
	}
	return x.startAfter(ctx, tx, sc)
}

// nextStep is the step after step ("" = the first): the chosen sale types, then the test
// sales of every type when some wait, then each resent sale (ExportResend) by row id; "" when
// the read is over.
func (x *Exporter) nextStep(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, s orders.QuickBooksToShipStationSettings, step string) string {
	var order []string
	for _, st := range saleSteps {
		if s.Sends(SettingType(stepType(st))) {
			order = append(order, st)
		}
	}
	if tests, err := db.PendingShipStationExportTests(ctx, tx, sc.AccountID, sc.ID); err == nil && len(tests) > 0 {
		for _, st := range saleSteps {
			order = append(order, testPrefix+st)
		}
	}
	// A resent sale leaves ExportResend once its step settles, so the next one is the first
	// still waiting after it (ids ascending), not a position in a list made earlier.
	after, isResend := resendRow(step)
	if !isResend {
		i := -1
		if step != "" {
			i = slices.Index(order, step)
			if i < 0 {
				return ""
			}
		}
		if i+1 < len(order) {
			return order[i+1]
		}
	}
	rows, err := db.ShipStationExportsInState(ctx, tx, sc.AccountID, sc.ID, db.ExportResend, 1000)
	if err != nil {
		return "" // the read ends; the next one starts over
	}
	for _, row := range rows {
		if row.ID > after {
			return resendPrefix + strconv.FormatInt(row.ID, 10)
		}
	}
	return ""
}

// stepName is the sale step (SalesReceipt, Invoice, SalesOrder) of an orderKey type.
func stepName(keyType string) string {
	for _, st := range saleSteps {
		if stepType(st) == keyType {
			return st
		}
	}
	return ""
}

// stepType is the orderKey type of a sale step.
func stepType(step string) string {
	switch strings.TrimPrefix(step, testPrefix) {
	case "SalesReceipt":
		return shipstation.KeySalesReceipt
	case "Invoice":
		return shipstation.KeyInvoice
	case "SalesOrder":
		return shipstation.KeySalesOrder
	}
	return ""
}

// saleRetElements are the parts of a sale this package reads (smaller answers).
var saleRetElements = []string{"TxnID", "TimeModified", "EditSequence", "CustomerRef", "ClassRef", "TxnDate", "RefNumber",
	"BillAddress", "ShipAddress", "ShipMethodRef", "PONumber", "SalesTaxTotal", "TotalAmount", "Subtotal", "IsPaid", "Memo"}

// request builds the query of step r.
func (x *Exporter) request(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, r run, mode qbxml.IteratorMode, iteratorID string) (qbxml.Request, error) {
	var refs, txnIDs []string
	tf := qbxml.TxnFilter{}
	typ := strings.TrimPrefix(r.step, testPrefix)
	switch kindOf(r.step) {
	case readTest:
		tests, err := db.PendingShipStationExportTests(ctx, tx, sc.AccountID, sc.ID)
		if err != nil {
			return nil, fmt.Errorf("ssexport: %w", err)
		}
		for _, t := range tests {
			refs = append(refs, t.RefNumber)
		}
		mode, iteratorID = "", ""
	case readResend:
		id, _ := resendRow(r.step)
		row, err := db.ShipStationExportTx(ctx, tx, sc.AccountID, id)
		if err != nil {
			return nil, fmt.Errorf("ssexport: %w", err)
		}
		typ, txnIDs = stepName(row.TxnType), []string{row.TxnID}
		mode, iteratorID = "", ""
	default:
		tf = qbxml.TxnFilter{MaxReturned: x.pageSize(), FromModifiedDate: qbxml.DateTimeOf(time.Unix(0, r.from))}
	}
	els := append([]string{}, saleRetElements...)
	switch typ {
	case "SalesReceipt":
		els = append(els, "SalesReceiptLineRet")
		return qbxml.SalesReceiptQuery{TxnIDs: txnIDs, RefNumbers: refs, Filter: tf, IncludeLineItems: true, IncludeRetElements: filterEls(els, "PONumber", "IsPaid", "Subtotal"), Iterator: mode, IteratorID: iteratorID}, nil
	case "Invoice":
		els = append(els, "InvoiceLineRet")
		return qbxml.InvoiceQuery{TxnIDs: txnIDs, RefNumbers: refs, Filter: tf, IncludeLineItems: true, IncludeRetElements: filterEls(els, "TotalAmount"), Iterator: mode, IteratorID: iteratorID}, nil
	case "SalesOrder":
		els = append(els, "SalesOrderLineRet")
		return qbxml.SalesOrderQuery{TxnIDs: txnIDs, RefNumbers: refs, Filter: tf, IncludeLineItems: true, IncludeRetElements: filterEls(els, "IsPaid", "Subtotal"), Iterator: mode, IteratorID: iteratorID}, nil
	}
	return nil, fmt.Errorf("ssexport: unknown step %q", r.step)
}

func filterEls(els []string, drop ...string) []string {
	out := els[:0:0]
	for _, e := range els {
		keep := true
		for _, d := range drop {
			if e == d {
				keep = false
			}
		}
		if keep {
			out = append(out, e)
		}
	}
	return out
}

func (x *Exporter) queue(ctx context.Context, tx bun.Tx, accountID, qbdConnectionID int64, r run, rq qbxml.Request, deps []int64) (int64, error) {
	e, err := x.Engine.EnqueueTx(ctx, tx, qbd.Item{AccountID: accountID, ConnectionID: qbdConnectionID, DocKey: r.key(), Request: rq, DependsOn: deps})
	if err != nil {
		return 0, fmt.Errorf("ssexport: queue %s: %w", r.key(), err)
	}
	return e.Item.ID, nil
}

func (x *Exporter) log(ctx context.Context, tx bun.IDB, accountID, connID int64, level db.LogLevel, msg, hint string) error {
	l := &db.SyncLog{AccountID: accountID, ConnectionID: &connID, Level: level, Source: source, Message: msg}
	if hint != "" {
		l.Hint = &hint
	}
	if err := db.InsertSyncLog(ctx, tx, l); err != nil {
		return fmt.Errorf("ssexport: log: %w", err)
	}
	return nil
}

// settled handles the answer to one step, in the engine's settling transaction.
func (x *Exporter) settled(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	r, ok := parseRun(item.DocKey)
	if !ok {
		return nil
	}
	sc, err := db.StoreConnectionTx(ctx, tx, item.AccountID, r.conn)
	if errors.Is(err, db.ErrNotFound) {
		return nil // the connection was deleted meanwhile
	}
	if err != nil {
		return fmt.Errorf("ssexport: %w", err)
	}
	s, err := Settings(sc)
	if err != nil {
		return x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelError, err.Error(), "")
	}
	cust := strings.HasPrefix(r.step, custPrefix)
	kind := kindOf(r.step)
	if out.Status != db.WorkDone || out.Response == nil {
		if !cust && r.page > 1 && item.StatusCode != nil && *item.StatusCode == 3391 {
			return x.restart(ctx, tx, sc, "the Web Connector session ended between two pages")
		}
		if kind == readResend && item.StatusCode != nil && qbxml.Classify(*item.StatusCode, "") == qbxml.NotFound {
			// The resent sale is gone from QuickBooks: say so on it, and read on.
			if err := x.resendLeftOut(ctx, tx, sc, r.step, "Not sent: QuickBooks no longer has this sale (it was deleted), so there is nothing to send."); err != nil {
				return err
			}
			return x.advance(ctx, tx, sc, s, r, item, nil, nil)
		}
		return x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelError,
			"Reading QuickBooks sales for ShipStation stopped at "+r.step+": "+out.Message, "The next Web Connector run reads the same sales again.")
	}
	if cust {
		return x.customersRead(ctx, tx, sc, s, r, out.Response)
	}
	if r.page > 1 && item.Attempts > 1 {
		// A Continue sent again after a lost answer: QuickBooks may have moved past a page.
		return x.restart(ctx, tx, sc, "an answer from QuickBooks was lost between two pages")
	}
	sales := SalesOf(out.Response)
	listIDs, err := x.stage(ctx, tx, sc, s, sales, kind)
	if err != nil {
		return err
	}
	if kind == readResend {
		// stage leaves out only a sale Ledgerlink posted itself (or one QuickBooks did not return).
		if err := x.resendLeftOut(ctx, tx, sc, r.step, "Not sent: Ledgerlink posted this sale to QuickBooks from a store's order, and such sales never go back to ShipStation."); err != nil {
			return err
		}
	}
	var deps []int64
	if len(listIDs) > 0 {
		cr := run{conn: r.conn, start: r.start, from: r.from, step: custPrefix + r.step, page: r.page}
		id, err := x.queue(ctx, tx, sc.AccountID, item.ConnectionID, cr, qbxml.CustomerQuery{ListIDs: listIDs,
			IncludeRetElements: []string{"ListID", "FullName", "CompanyName", "FirstName", "LastName", "Phone", "Email"}}, nil)
		if err != nil {
			return err
		}
		deps = append(deps, id)
	}
	return x.advance(ctx, tx, sc, s, r, item, out.Response, deps)
}

// advance queues what follows step r of a read (its next page, else its next step, after
// deps) or ends the read.
func (x *Exporter) advance(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, s orders.QuickBooksToShipStationSettings, r run, item *db.QBDWorkItem, rs *qbxml.Rs, deps []int64) error {
	if kindOf(r.step) == readModified && rs != nil && rs.IteratorID != "" && rs.IteratorRemainingCount > 0 {
		nr := run{conn: r.conn, start: r.start, from: r.from, step: r.step, page: r.page + 1}
		rq, err := x.request(ctx, tx, sc, nr, qbxml.IteratorContinue, rs.IteratorID)
		if err != nil {
			return err
		}
		_, err = x.queue(ctx, tx, sc.AccountID, item.ConnectionID, nr, rq, deps)
		return err
	}
	if st := x.nextStep(ctx, tx, sc, s, r.step); st != "" {
		nr := run{conn: r.conn, start: r.start, from: r.from, step: st, page: 1}
		rq, err := x.request(ctx, tx, sc, nr, qbxml.IteratorStart, "")
		if err != nil {
			return err
		}
		_, err = x.queue(ctx, tx, sc.AccountID, item.ConnectionID, nr, rq, deps)
		return err
	}
	if len(deps) > 0 {
		// The read ends once the last page's customers are read: queue an end marker that
		// waits on them (a customer query for nobody is refused, so finish in their hook).
		return nil
	}
	return x.finish(ctx, tx, sc, r)
}

// restart starts a new read of sc at once.
func (x *Exporter) restart(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, why string) error {
	if err := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelWarning, "Reading QuickBooks sales for ShipStation starts over: "+why+".", ""); err != nil {
		return err
	}
	// The work of the current read is over (its last item is settling now), so a new one starts.
	_, err := x.startAfter(ctx, tx, sc)
	return err
}

// startAfter queues the first step of a new read of sc from its watermark (less Overlap; the
// first read of a company goes FirstReadBack), whatever work of sc is still unsettled (restart
// calls it from the settling of the current read's last item).
func (x *Exporter) startAfter(ctx context.Context, tx bun.Tx, sc *db.StoreConnection) (bool, error) {
	s, err := Settings(sc)
	if err != nil {
		return false, err
	}
	now := x.now()
	from := now.Add(-FirstReadBack)
	w, err := db.GetShipStationExportWatermark(ctx, tx, sc.AccountID, sc.ID)
	switch {
	case err == nil && w.ModifiedThrough != nil && w.QBDConnectionID == *sc.QBDConnectionID:
		from = w.ModifiedThrough.Add(-Overlap)
	case err != nil && !errors.Is(err, db.ErrNotFound):
		return false, fmt.Errorf("ssexport: %w", err)
	}
	r := run{conn: sc.ID, start: now.UnixNano(), from: from.UnixNano(), page: 1, step: x.nextStep(ctx, tx, sc, s, "")}
	if r.step == "" {
		return false, nil
	}
	rq, err := x.request(ctx, tx, sc, r, qbxml.IteratorStart, "")
	if err != nil {
		return false, err
	}
	_, err = x.queue(ctx, tx, sc.AccountID, *sc.QBDConnectionID, r, rq, nil)
	return err == nil, err
}

// stage records the sales of one page that are to be sent (state reading, waiting for their
// customers) and returns the customers to read. Sales Ledgerlink posted to QuickBooks itself,
// sales of another class (unless test or resent), versions already sent (unless resent) and
// orders ShipStation shipped or cancelled are left out; the last two are logged.
func (x *Exporter) stage(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, s orders.QuickBooksToShipStationSettings, sales []Sale, kind readKind) ([]string, error) {
	if len(sales) == 0 {
		return nil, nil
	}
	test := kind == readTest
	qbdID := *sc.QBDConnectionID
	ids := make([]string, 0, len(sales))
	for _, sl := range sales {
		ids = append(ids, sl.TxnID)
	}
	ours, err := db.QBDLedgerByQBIDs(ctx, tx, qbdID, ids)
	if err != nil {
		return nil, fmt.Errorf("ssexport: %w", err)
	}
	posted := map[string]string{}
	for _, e := range ours {
		posted[e.QBID] = e.DocKey
	}
	known, err := db.ShipStationExportsOfSales(ctx, tx, sc.AccountID, sc.ID, qbdID, ids)
	if err != nil {
		return nil, fmt.Errorf("ssexport: %w", err)
	}
	var awaited map[string]bool
	if test {
		// Read after the rows are locked: a push that sent one of these sales and settled its
		// test meanwhile has committed, and the sale is not sent a second time for it.
		tests, err := db.PendingShipStationExportTests(ctx, tx, sc.AccountID, sc.ID)
		if err != nil {
			return nil, fmt.Errorf("ssexport: %w", err)
		}
		awaited = map[string]bool{}
		for _, t := range tests {
			awaited[strings.ToUpper(t.RefNumber)] = true
		}
	}
	seen := map[string]bool{}
	var custs []string
	for _, sl := range sales {
		if test && !awaited[strings.ToUpper(sl.RefNumber)] {
			continue // its test was settled since this read was asked for
		}
		if doc, ok := posted[sl.TxnID]; ok {
			// Ledgerlink posted this sale from a store's order: sending it to ShipStation
			// would loop (or duplicate the store's own order there).
			if test {
				if err := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelWarning, fmt.Sprintf("Test sale %s was not sent: Ledgerlink posted it to QuickBooks from a store's order (%s), and such sales are never sent back to ShipStation.", sl.RefNumber, doc), ""); err != nil {
					return nil, err
				}
				if err := x.settleTest(ctx, tx, sc, sl.RefNumber, db.TestParked, "Not sent: Ledgerlink posted this sale from a store's order; such sales never go back to ShipStation.", nil); err != nil {
					return nil, err
				}
			}
			continue
		}
		if kind == readModified && !s.ClassMatches(sl.Class) {
			continue
		}
		row := known[sl.Type+"/"+sl.TxnID]
		if row != nil && kind == readModified {
			if row.SentEditSequence == sl.EditSequence || row.ReadEditSequence == sl.EditSequence {
				continue // read again through the overlap: nothing changed
			}
			if row.State == db.ExportLocked {
				row.ReadEditSequence, row.ReadTimeModified = sl.EditSequence, sl.TimeModified
				row.LastResult = fmt.Sprintf("Changed in QuickBooks after ShipStation %s the order: the change was not sent.", pastTense(row.SSStatus))
				if err := db.SaveShipStationExport(ctx, tx, row); err != nil {
					return nil, err
				}
				if err := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelWarning, fmt.Sprintf("QuickBooks %s %s changed after ShipStation %s its order; the change was left out of ShipStation.", TypeName(sl.Type), sl.RefNumber, pastTense(row.SSStatus)), "Change the order in ShipStation if it still matters."); err != nil {
					return nil, err
				}
				continue
			}
		}
		if row == nil {
			row = &db.ShipStationExport{AccountID: sc.AccountID, StoreConnectionID: sc.ID, QBDConnectionID: qbdID, TxnType: sl.Type, TxnID: sl.TxnID,
				OrderKey: shipstation.QuickBooksOrderKey(qbdID, sl.Type, sl.TxnID)}
		}
		raw, err := json.Marshal(sl)
		if err != nil {
			return nil, fmt.Errorf("ssexport: %w", err)
		}
		row.RefNumber, row.Customer, row.Sale = sl.RefNumber, sl.CustomerName, raw
		if d, err := time.Parse(time.DateOnly, sl.TxnDate); err == nil {
			row.TxnDate = &d
		}
		row.ReadEditSequence, row.ReadTimeModified = sl.EditSequence, sl.TimeModified
		row.State, row.Test = db.ExportReading, test || row.Test
		if err := db.SaveShipStationExport(ctx, tx, row); err != nil {
			return nil, err
		}
		if sl.CustomerListID != "" && !seen[sl.CustomerListID] {
			seen[sl.CustomerListID] = true
			custs = append(custs, sl.CustomerListID)
		}
	}
	if len(custs) == 0 {
		// No customer to read: build the staged sales now.
		return nil, x.build(ctx, tx, sc, s, nil)
	}
	return custs, nil
}

// resendLeftOut parks the sale of resend step if it is still waiting to be read again (its
// read found nothing to send), with why, in the sent-sales list and the sync log.
func (x *Exporter) resendLeftOut(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, step, why string) error {
	id, _ := resendRow(step)
	row, err := db.ShipStationExportTx(ctx, tx, sc.AccountID, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ssexport: %w", err)
	}
	if row.State != db.ExportResend {
		return nil // read again and staged
	}
	row.State, row.LastResult = db.ExportParked, why
	if err := db.SaveShipStationExport(ctx, tx, row); err != nil {
		return err
	}
	return x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelWarning, fmt.Sprintf("QuickBooks %s %s was not sent to ShipStation again: %s", TypeName(row.TxnType), row.RefNumber, why), "")
}

func pastTense(status string) string {
	if status == "cancelled" {
		return "cancelled"
	}
	return "shipped"
}

// customersRead builds the staged sales with the contact data of their customers, then goes
// on with the read when this was its last page.
func (x *Exporter) customersRead(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, s orders.QuickBooksToShipStationSettings, r run, rs *qbxml.Rs) error {
	contacts := map[string]Contact{}
	for _, c := range rs.Customers {
		contacts[c.ListID] = ContactOf(c)
	}
	if err := x.build(ctx, tx, sc, s, contacts); err != nil {
		return err
	}
	// The sale step this customer read belongs to decided what follows; when nothing did
	// (it was the last page of the last step) the read ends here.
	saleStep := strings.TrimPrefix(r.step, custPrefix)
	busy, err := db.UnfinishedWork(ctx, tx, sc.AccountID, *sc.QBDConnectionID, fmt.Sprintf("%s:%d:%d:", qbd.KindShipStationExport, sc.ID, r.start))
	if err != nil {
		return fmt.Errorf("ssexport: %w", err)
	}
	if busy {
		return nil // a next page or step waits on this read
	}
	return x.finish(ctx, tx, sc, run{conn: r.conn, start: r.start, from: r.from, step: saleStep, page: r.page})
}

// build turns the staged (reading) sales of sc into orders waiting for the push, or parks
// them with the reason.
func (x *Exporter) build(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, s orders.QuickBooksToShipStationSettings, contacts map[string]Contact) error {
	rows, err := db.LockShipStationExportsInState(ctx, tx, sc.AccountID, sc.ID, db.ExportReading, 1000)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	var ev *rules.Evaluator
	if x.Rules != nil {
		if ev, err = x.Rules.Evaluator(ctx, sc.AccountID, rules.QuickBooksToShipStation); err != nil {
			return fmt.Errorf("ssexport: rules: %w", err)
		}
	}
	pending := 0
	for _, row := range rows {
		var sl Sale
		if err := json.Unmarshal(row.Sale, &sl); err != nil {
			return fmt.Errorf("ssexport: stored sale %d: %w", row.ID, err)
		}
		doc, err := Document(sl, contacts[sl.CustomerListID], s.ShippingItem)
		if err == nil && ev != nil {
			res := ev.Apply(&doc)
			if len(res.Matched) > 0 {
				if lerr := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelInfo, fmt.Sprintf("QuickBooks %s %s: %d QUICKBOOKS_TO_SHIPSTATION rule(s) applied (ids %v).", TypeName(sl.Type), sl.RefNumber, len(res.Matched), res.Matched), ""); lerr != nil {
					return lerr
				}
			}
			if doc.Excluded {
				reason := doc.ExcludeReason
				if reason == "" {
					reason = "a rule excluded it"
				}
				err = &Parked{Reason: "Not sent to ShipStation: " + reason + "."}
			}
		}
		var parked *Parked
		if errors.As(err, &parked) {
			row.State, row.LastResult = db.ExportParked, parked.Reason
			if err := db.SaveShipStationExport(ctx, tx, row); err != nil {
				return err
			}
			if err := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelWarning, fmt.Sprintf("QuickBooks %s %s was not sent to ShipStation: %s", TypeName(sl.Type), sl.RefNumber, parked.Reason), ""); err != nil {
				return err
			}
			if row.Test {
				if err := x.settleTest(ctx, tx, sc, sl.RefNumber, db.TestParked, parked.Reason, &row.ID); err != nil {
					return err
				}
			}
			continue
		}
		if err != nil {
			return err
		}
		raw, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("ssexport: %w", err)
		}
		row.State, row.OrderDoc, row.LastResult = db.ExportPending, raw, "Waiting to be sent to ShipStation."
		if err := db.SaveShipStationExport(ctx, tx, row); err != nil {
			return err
		}
		pending++
	}
	if pending > 0 && x.Notify != nil {
		if err := x.Notify(ctx, sc.AccountID, sc.ID); err != nil {
			return fmt.Errorf("ssexport: notify: %w", err)
		}
	}
	return nil
}

// finish ends a read whose every step succeeded: test sales not found are settled so, and the
// watermark moves to the read's start.
func (x *Exporter) finish(ctx context.Context, tx bun.Tx, sc *db.StoreConnection, r run) error {
	start := time.Unix(0, r.start).UTC()
	tests, err := db.PendingShipStationExportTests(ctx, tx, sc.AccountID, sc.ID)
	if err != nil {
		return fmt.Errorf("ssexport: %w", err)
	}
	if kindOf(r.step) != readModified { // the test steps come before the resent sales
		for _, t := range tests {
			if t.RequestedAt.After(start) {
				continue // asked for after this read started: the next run reads it
			}
			if _, err := db.ShipStationExportTestFound(ctx, tx, sc.AccountID, sc.ID, t.RefNumber, start); errors.Is(err, db.ErrNotFound) {
				msg := fmt.Sprintf("No sales receipt, invoice or sales order numbered %s was found in QuickBooks. Check the number (QuickBooks' No. field) and enter it again.", t.RefNumber)
				if err := db.SettleShipStationExportTest(ctx, tx, sc.AccountID, t.ID, db.TestNotFound, msg, nil); err != nil {
					return err
				}
				if err := x.log(ctx, tx, sc.AccountID, sc.ID, db.LevelWarning, "Test sale "+t.RefNumber+": "+msg, ""); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
		}
	}
	return db.SaveShipStationExportWatermark(ctx, tx, &db.ShipStationExportWatermark{StoreConnectionID: sc.ID, AccountID: sc.AccountID,
		QBDConnectionID: *sc.QBDConnectionID, ModifiedThrough: &start, LastReadAt: ptr(x.now())})
}

func ptr[T any](v T) *T { return &v }

// settleTest records the outcome of the pending test sale numbered refNumber, if there is one.
func (x *Exporter) settleTest(ctx context.Context, tx bun.IDB, sc *db.StoreConnection, refNumber, state, result string, exportID *int64) error {
	tests, err := db.PendingShipStationExportTests(ctx, tx, sc.AccountID, sc.ID)
	if err != nil {
		return fmt.Errorf("ssexport: %w", err)
	}
	for _, t := range tests {
		if strings.EqualFold(t.RefNumber, refNumber) {
			return db.SettleShipStationExportTest(ctx, tx, sc.AccountID, t.ID, state, result, exportID)
		}
	}
	return nil
}
