package ordersync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
)

// QuickBooks Online: an order whose store connection names a QuickBooks Online company
// (qbo_connection_id) is decided as for Desktop (status filter, rules, matching, posting.Decide)
// and queued in qbo_work with that decision; PostOnline (the qbo:post task) then resolves the
// decision's names to QuickBooks Ids, checks for a duplicate, and posts the sales in batches of
// at most 30 — each batch stored before it is sent, so a lost answer is answered by QuickBooks
// from the batch's requestid when it is sent again — and the payments of invoices in later
// batches. The order goes ready → sent → posted (QuickBooks' Id as its TxnID), or error / needs
// mapping / skipped duplicate, with the same audit trail as Desktop.

// ErrOnlineBusy is returned by PostOnline when another poster is sending the company's work;
// the task is retried later.
var ErrOnlineBusy = errors.New("ordersync: another worker is posting to this QuickBooks Online company")

// onlineDoc is what qbo_work.decision holds.
type onlineDoc struct {
	Sale     *posting.Sale   `json:"sale"`
	Settings orders.Settings `json:"settings"`
	// InvoiceID and CustomerID are set on a payment: the invoice it pays.
	InvoiceID  string `json:"invoiceId,omitempty"`
	CustomerID string `json:"customerId,omitempty"`
	// Refund says Sale is a refund's (posting.OnlineRefundSale), whose CustomerID, when set,
	// is the customer of its sale. CreditID and Applied are set on the Payment of 0 applying
	// that much of credit memo CreditID to invoice InvoiceID.
	Refund   bool         `json:"refund,omitempty"`
	CreditID string       `json:"creditId,omitempty"`
	Applied  orders.Money `json:"applied,omitempty"`
	// DepositID is the Id of the account a refund receipt pays back out of: its sale's.
	DepositID string `json:"depositId,omitempty"`
}

// decideOnline is the end of decideInto for a store posting to QuickBooks Online.
func (p *Pipeline) decideOnline(conn *db.StoreConnection, row *db.Order, o orders.Order, s orders.Settings, evs *[]db.OrderEvent) decision {
	sale, err := posting.Decide(row.ID, conn.ID, o, s, conn.Name)
	if err == nil && sale.Type == orders.PostSalesOrder {
		err = posting.ErrNoOnlineSalesOrders
	}
	if err != nil {
		return decision{state: db.OrderError, reason: err.Error()}
	}
	*evs = append(*evs, matchingEvents(row, s, sale)...)
	return decision{online: &onlineDoc{Sale: sale, Settings: s}, qboConn: *conn.QBOConnectionID}
}

// matchingEvents are the audit lines of a sale's matching: customer, notes, rounding.
func matchingEvents(row *db.Order, s orders.Settings, sale *posting.Sale) []db.OrderEvent {
	evs := []db.OrderEvent{orderEvent(row, "matching", "QuickBooks customer: "+sale.Customer+".", map[string]any{"customer": sale.Customer,
		"customerMatch": s.CustomerMatch})}
	for _, n := range sale.Notes {
		evs = append(evs, orderEvent(row, "matching", n, nil))
	}
	if sale.Rounding != 0 {
		evs = append(evs, orderEvent(row, "matching", fmt.Sprintf("A rounding line of %s was added: %s.", sale.Rounding, sale.RoundingReason), nil))
	}
	return evs
}

// queueOnline queues d's sale for QuickBooks Online inside tx and says the order's state. With
// replace, a version still waiting is withdrawn first; one already sent stays (errHandedOver).
func queueOnline(ctx context.Context, tx bun.Tx, row *db.Order, d decision, replace bool) (state, reason string, err error) {
	docKey := posting.DocKey(row.ID)
	if replace {
		if _, err := db.WithdrawQBOWork(ctx, tx, row.AccountID, d.qboConn, docKey); err != nil {
			return "", "", err
		}
	}
	raw, err := json.Marshal(d.online)
	if err != nil {
		return "", "", fmt.Errorf("ordersync: order %d decision: %w", row.ID, err)
	}
	w := &db.QBOWork{AccountID: row.AccountID, QBOConnectionID: d.qboConn, OrderID: row.ID, DocKey: docKey, Kind: db.QBOWorkSale, Decision: raw}
	existing, inserted, err := db.InsertQBOWork(ctx, tx, w)
	switch {
	case err != nil:
		return "", "", err
	case inserted || existing.Status == db.QBOWorkReady:
		return db.OrderReady, "Queued for QuickBooks Online.", nil
	case existing.Status == db.QBOWorkDone:
		return db.OrderPosted, "Already in QuickBooks Online (" + existing.QBID + "); not posted again.", nil
	default:
		return "", "", errHandedOver
	}
}

// errHandedOver: the order's sale is on its way to QuickBooks Online (in a batch sent).
var errHandedOver = errors.New("ordersync: the sale was already sent to QuickBooks Online")

// onlineQueued tells the scheduler that company qboConn of accountID has work.
func (p *Pipeline) onlineQueued(ctx context.Context, accountID, qboConn int64) {
	if p.OnlineQueued != nil {
		p.OnlineQueued(ctx, accountID, qboConn)
	}
}

// maxOnlineRounds bounds the batches one PostOnline sends of each kind; the task runs again
// for the rest.
const maxOnlineRounds = 20

// PostOnline posts the ready work of QuickBooks Online company qboConn of accountID: first
// every batch sent before whose answer was not applied (sent again exactly as it was), then new
// batches of at most qbo.MaxBatch documents. It returns an error to be retried later (throttle,
// QuickBooks down, another poster) with the work kept; refusals of single documents are the
// orders' states, not errors.
func (p *Pipeline) PostOnline(ctx context.Context, accountID, qboConn int64) error {
	if p.Online == nil {
		return errors.New("ordersync: QuickBooks Online is not set up on this worker")
	}
	client, err := p.Online(ctx, accountID, qboConn)
	if err != nil {
		return err
	}
	var postErr error
	got, err := p.DB.WithQBOPostLock(ctx, qboConn, func(ctx context.Context) error {
		postErr = p.postOnline(ctx, client, accountID, qboConn)
		return nil
	})
	switch {
	case err != nil:
		return err
	case !got:
		return ErrOnlineBusy
	}
	return postErr
}

func (p *Pipeline) postOnline(ctx context.Context, c *qbo.Client, accountID, qboConn int64) error {
	company := &onlineCompany{}
	for range maxOnlineRounds {
		var sending []db.QBOWork
		err := p.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			var err error
			sending, err = db.PendingQBOWork(ctx, tx, accountID, qboConn, db.QBOWorkSending, p.onlineBatch())
			return err
		})
		if err != nil {
			return err
		}
		if len(sending) == 0 {
			break
		}
		if err := p.sendOnline(ctx, c, sending); err != nil {
			return err
		}
	}
	for range maxOnlineRounds {
		var batch []db.QBOWork
		err := p.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			ready, err := db.PendingQBOWork(ctx, tx, accountID, qboConn, db.QBOWorkReady, p.onlineBatch())
			if err != nil || len(ready) == 0 {
				return err
			}
			batch, err = p.prepareOnline(ctx, tx, c, company, ready)
			return err
		})
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := p.sendOnline(ctx, c, batch); err != nil {
			return err
		}
	}
	return nil
}

// sendOnline sends rows (one stored batch: same requestid, bIds and bodies) and applies the
// answers. An error leaves the rows sending, to be sent again as they are.
func (p *Pipeline) sendOnline(ctx context.Context, c *qbo.Client, rows []db.QBOWork) error {
	rid := rows[0].BatchRequestID
	var items []qbo.BatchItem
	var group []db.QBOWork
	for _, w := range rows {
		if w.BatchRequestID == rid {
			items = append(items, qbo.BatchItem{BID: w.BID, Operation: qbo.OpCreate, Entity: w.Entity, Body: json.RawMessage(w.Body)})
			group = append(group, w)
		}
	}
	var res map[string]qbo.BatchResult
	var err error
	if len(items) == 1 && p.onlineBatch() == 1 {
		res, err = writeOne(ctx, c, rid, items[0])
	} else {
		res, err = c.Batch(ctx, rid, items)
	}
	if errors.Is(err, qbo.ErrInvalid) {
		// The whole batch refused as malformed: nothing was applied, sending it again
		// changes nothing.
		res = map[string]qbo.BatchResult{}
		for _, w := range group {
			res[w.BID] = qbo.BatchResult{BID: w.BID, Fault: &qbo.Fault{Errors: []qbo.FaultError{{Message: err.Error()}}}}
		}
	} else if err != nil {
		return fmt.Errorf("ordersync: send to QuickBooks Online: %w", err)
	}
	return p.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for i := range group {
			r, ok := res[group[i].BID]
			if !ok {
				continue // not in the answer: still sending, sent again next time
			}
			if err := p.settleOnline(ctx, tx, &group[i], r); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeOne sends one document as a single write with requestid rid, its answer in the form of
// a batch's.
func writeOne(ctx context.Context, c *qbo.Client, rid string, it qbo.BatchItem) (map[string]qbo.BatchResult, error) {
	var raw json.RawMessage
	err := c.Write(ctx, it.Entity, it.Body, rid, &raw)
	if f := qbo.FaultOf(err); f != nil && !errors.Is(err, qbo.ErrThrottled) && !errors.Is(err, qbo.ErrUnavailable) && !errors.Is(err, qbo.ErrUnauthorized) {
		return map[string]qbo.BatchResult{it.BID: {BID: it.BID, Entity: it.Entity, Fault: f}}, nil
	}
	if err != nil {
		return nil, err
	}
	return map[string]qbo.BatchResult{it.BID: {BID: it.BID, Entity: it.Entity, Raw: raw}}, nil
}

func (p *Pipeline) onlineBatch() int {
	if p.OnlineBatch <= 0 || p.OnlineBatch > qbo.MaxBatch {
		return qbo.MaxBatch
	}
	return p.OnlineBatch
}

// settleOnline applies QuickBooks' answer for one document to its row and order.
func (p *Pipeline) settleOnline(ctx context.Context, tx bun.Tx, w *db.QBOWork, r qbo.BatchResult) error {
	if w.Kind == db.QBOWorkRefund {
		var got struct {
			ID string `json:"Id"`
		}
		if err := r.Err(); err != nil {
			return p.settleOnlineRefund(ctx, tx, w, "", err)
		}
		if err := r.Decode(&got); err != nil || got.ID == "" {
			return fmt.Errorf("ordersync: QuickBooks Online answered %s for refund work %d without an Id", r.Entity, w.ID)
		}
		return p.settleOnlineRefund(ctx, tx, w, got.ID, nil)
	}
	row, err := db.LockOrder(ctx, tx, w.AccountID, w.OrderID)
	if err != nil {
		return fmt.Errorf("ordersync: settle order %d: %w", w.OrderID, err)
	}
	if err := r.Err(); err != nil {
		w.Status, w.Message = db.QBOWorkFailed, err.Error()
		if err := db.UpdateQBOWork(ctx, tx, w, "status", "message"); err != nil {
			return err
		}
		what := "it"
		if w.Kind == db.QBOWorkPayment {
			what = "the invoice's payment"
		}
		reason := "QuickBooks Online refused " + what + ": " + r.Fault.Error()
		return p.setStateTx(ctx, tx, row, db.OrderError, reason, map[string]any{"workId": w.ID, "code": r.Fault.Code()})
	}
	var got struct {
		ID string `json:"Id"`
	}
	if err := r.Decode(&got); err != nil || got.ID == "" {
		return fmt.Errorf("ordersync: QuickBooks Online answered %s for order %d without an Id", r.Entity, w.OrderID)
	}
	w.Status, w.QBID = db.QBOWorkDone, got.ID
	if err := db.UpdateQBOWork(ctx, tx, w, "status", "qb_id"); err != nil {
		return err
	}
	if w.Kind == db.QBOWorkPayment {
		if err := addEventTx(ctx, tx, row, "quickbooks", "Payment recorded in QuickBooks Online ("+got.ID+").", map[string]any{"txnId": got.ID}); err != nil {
			return err
		}
		// Refunds of the invoice waited for its payment, so their credit goes to what is open.
		return p.queueWaitingRefunds(ctx, tx, row, nil)
	}
	reason := "Posted to QuickBooks Online as " + r.Entity + " " + got.ID + "."
	if err := p.setStateTx(ctx, tx, row, db.OrderPosted, reason, map[string]any{"workId": w.ID, "txnId": got.ID}); err != nil {
		return err
	}
	if r.Entity == qbo.EntityInvoice {
		if err := queueOnlinePayment(ctx, tx, w, row, got.ID); err != nil {
			return err
		}
	}
	return p.queueWaitingRefunds(ctx, tx, row, nil)
}

// queueOnlinePayment queues the payment of a paid order's invoice (QuickBooks' Id known only
// now: a batch item cannot see another's result, so it goes in a later batch).
func queueOnlinePayment(ctx context.Context, tx bun.Tx, w *db.QBOWork, row *db.Order, invoiceID string) error {
	var doc onlineDoc
	if err := json.Unmarshal(w.Decision, &doc); err != nil {
		return fmt.Errorf("ordersync: order %d decision: %w", w.OrderID, err)
	}
	if doc.Sale.Paid <= 0 {
		return nil
	}
	var sent qbo.Sale
	if err := json.Unmarshal(w.Body, &sent); err != nil {
		return fmt.Errorf("ordersync: order %d invoice body: %w", w.OrderID, err)
	}
	if sent.CustomerRef == nil {
		return fmt.Errorf("ordersync: order %d invoice names no customer", w.OrderID)
	}
	doc.InvoiceID, doc.CustomerID = invoiceID, sent.CustomerRef.Value
	raw, _ := json.Marshal(doc)
	pay := &db.QBOWork{AccountID: w.AccountID, QBOConnectionID: w.QBOConnectionID, OrderID: w.OrderID,
		DocKey: posting.PaymentDocKey(w.OrderID), Kind: db.QBOWorkPayment, Decision: raw}
	if _, _, err := db.InsertQBOWork(ctx, tx, pay); err != nil {
		return err
	}
	return addEventTx(ctx, tx, row, "qbxml", "Payment queued against invoice "+invoiceID+".", nil)
}

// prepareOnline turns ready rows into a stored batch, inside tx: duplicates found in
// QuickBooks, orders whose products must be mapped first and refusals are settled at once;
// the rest get their bodies, bIds and the batch's requestid, status sending, and their
// orders the state sent — all before anything is sent.
func (p *Pipeline) prepareOnline(ctx context.Context, tx bun.Tx, c *qbo.Client, company *onlineCompany, ready []db.QBOWork) ([]db.QBOWork, error) {
	docs := make([]onlineDoc, len(ready))
	for i, w := range ready {
		if err := json.Unmarshal(w.Decision, &docs[i]); err != nil {
			return nil, fmt.Errorf("ordersync: order %d decision cannot be read: %w", w.OrderID, err)
		}
		if docs[i].Sale == nil {
			return nil, fmt.Errorf("ordersync: order %d decision holds no sale", w.OrderID)
		}
	}
	found, err := onlineDuplicates(ctx, c, ready, docs)
	if err != nil {
		return nil, err
	}
	refs, err := resolveOnline(ctx, c, company, ready[0].AccountID, docs)
	if err != nil {
		return nil, err
	}
	rid := qbo.RequestID(ready[0].AccountID, "qbo-batch:"+strconv.FormatInt(ready[0].ID, 10)+":"+strconv.FormatInt(ready[len(ready)-1].ID, 10), ready[0].Attempts)
	var batch []db.QBOWork
	for i := range ready {
		w, doc := &ready[i], docs[i]
		row, err := db.LockOrder(ctx, tx, w.AccountID, w.OrderID)
		if err != nil {
			return nil, fmt.Errorf("ordersync: order %d: %w", w.OrderID, err)
		}
		if dup := found[w.ID]; dup != nil && w.Kind == db.QBOWorkRefund {
			if err := p.settleOnlineRefund(ctx, tx, w, dup.ID, nil); err != nil {
				return nil, err
			}
			continue
		}
		if dup := found[w.ID]; dup != nil {
			w.Status, w.QBID = db.QBOWorkDone, dup.ID
			if err := db.UpdateQBOWork(ctx, tx, w, "status", "qb_id"); err != nil {
				return nil, err
			}
			reason := "Already in QuickBooks Online (" + dup.ID + "): not posted again."
			if err := p.setStateTx(ctx, tx, row, db.OrderSkippedDuplicate, reason, map[string]any{"txnId": dup.ID}); err != nil {
				return nil, err
			}
			if err := p.queueWaitingRefunds(ctx, tx, row, nil); err != nil {
				return nil, err
			}
			continue
		}
		entity, body, missing, err := onlineBody(doc, refs)
		if w.Kind == db.QBOWorkRefund && (len(missing) > 0 || err != nil) {
			if len(missing) > 0 {
				err = errors.New(missingReason(missing))
			}
			if err := p.settleOnlineRefund(ctx, tx, w, "", err); err != nil {
				return nil, err
			}
			continue
		}
		if len(missing) > 0 || err != nil {
			state, reason := db.OrderError, fmt.Sprint(err)
			if len(missing) > 0 {
				state, reason = db.OrderNeedsMapping, missingReason(missing)
				row.MissingSKUs = missing
				if err := db.UpdateOrder(ctx, tx, row, "missing_skus"); err != nil {
					return nil, err
				}
			}
			w.Status, w.Message = db.QBOWorkFailed, reason
			if err := db.UpdateQBOWork(ctx, tx, w, "status", "message"); err != nil {
				return nil, err
			}
			if err := p.setStateTx(ctx, tx, row, state, reason, nil); err != nil {
				return nil, err
			}
			continue
		}
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		w.Status, w.Entity, w.Body, w.BatchRequestID, w.BID = db.QBOWorkSending, entity, raw, rid, "w"+strconv.FormatInt(w.ID, 36)
		w.Attempts++
		if err := db.UpdateQBOWork(ctx, tx, w, "status", "entity", "body", "batch_request_id", "bid", "attempts"); err != nil {
			return nil, err
		}
		if w.Kind == db.QBOWorkSale {
			if err := p.setStateTx(ctx, tx, row, db.OrderSent, "Sent to QuickBooks Online.", map[string]any{"workId": w.ID, "entity": entity}); err != nil {
				return nil, err
			}
		}
		batch = append(batch, *w)
	}
	return batch, nil
}

// onlineBody renders one document with the resolved Ids: the missing product SKUs when the
// order must be mapped first (Missing Product Action "flag").
func onlineBody(doc onlineDoc, refs *onlineRefs) (entity string, body any, missing []string, err error) {
	if doc.CreditID != "" {
		return qbo.EntityPayment, posting.OnlineCreditApply(doc.Sale, doc.CustomerID, doc.InvoiceID, doc.CreditID, doc.Applied), nil, nil
	}
	if doc.InvoiceID != "" {
		return qbo.EntityPayment, posting.OnlinePayment(doc.Sale, doc.CustomerID, doc.InvoiceID, refs.accounts[doc.Sale.DepositAccount]), nil, nil
	}
	r := posting.OnlineRefs{Customer: firstNonEmpty(doc.CustomerID, refs.customers[posting.OnlineName(doc.Sale.Customer)]), Items: map[string]string{},
		DepositAccount: refs.accounts[doc.Sale.DepositAccount], US: refs.us,
		Class: refs.classes[strings.ToLower(doc.Sale.Class)], ClassTracking: refs.classTracking}
	for _, l := range doc.Sale.Lines {
		name := posting.OnlineItemName(l)
		if id := refs.itemID(l); id != "" {
			r.Items[name] = id
		} else if l.Kind == posting.LineProduct {
			missing = append(missing, firstNonEmpty(l.SKU, name))
		}
	}
	if len(missing) > 0 {
		return "", nil, missing, nil
	}
	if r.Customer == "" {
		return "", nil, nil, fmt.Errorf("QuickBooks Online has no customer %q", doc.Sale.Customer)
	}
	if doc.Refund {
		r.DepositAccount = firstNonEmpty(doc.DepositID, r.DepositAccount)
		entity, refund, err := posting.OnlineRefund(doc.Sale, r)
		return entity, refund, nil, err
	}
	entity, sale, err := posting.OnlineSale(doc.Sale, r)
	return entity, sale, nil, err
}

// onlineDuplicates runs the duplicate check of the sales among rows — number and date, then
// the store marker in PrivateNote — with one query per kind of sale; found is by row id.
func onlineDuplicates(ctx context.Context, c *qbo.Client, rows []db.QBOWork, docs []onlineDoc) (map[int64]*qbo.Sale, error) {
	numbers := map[string][]string{}
	for i, w := range rows {
		if e := checkedEntity(w, docs[i]); e != "" {
			numbers[e] = appendNew(numbers[e], posting.OnlineDocNumber(docs[i].Sale.Ref))
		}
	}
	have := map[string][]qbo.Sale{}
	for entity, nums := range numbers {
		var q struct {
			SalesReceipt  []qbo.Sale
			Invoice       []qbo.Sale
			RefundReceipt []qbo.Sale
			CreditMemo    []qbo.Sale
		}
		if err := c.Query(ctx, fmt.Sprintf("select * from %s where DocNumber in %s maxresults 1000", entity, qbo.QuoteList(nums)), &q); err != nil {
			return nil, fmt.Errorf("ordersync: QuickBooks Online duplicate check: %w", err)
		}
		have[entity] = slices.Concat(q.SalesReceipt, q.Invoice, q.RefundReceipt, q.CreditMemo)
	}
	found := map[int64]*qbo.Sale{}
	for i, w := range rows {
		if e := checkedEntity(w, docs[i]); e != "" {
			found[w.ID] = posting.FindOnlineSale(docs[i].Sale, have[e])
		}
	}
	return found, nil
}

// checkedEntity is the kind of document w becomes when the duplicate check looks for it (a
// sale, a refund's RefundReceipt or CreditMemo), "" for payments, which it does not.
func checkedEntity(w db.QBOWork, doc onlineDoc) string {
	switch {
	case w.Kind == db.QBOWorkSale:
		return onlineEntity(doc.Sale)
	case w.Kind == db.QBOWorkRefund && doc.CreditID == "" && doc.Sale.Type == orders.PostInvoice:
		return qbo.EntityCreditMemo
	case w.Kind == db.QBOWorkRefund && doc.CreditID == "":
		return qbo.EntityRefundReceipt
	}
	return ""
}

// onlineEntity is the kind of document sale becomes.
func onlineEntity(sale *posting.Sale) string {
	if sale.Type == orders.PostInvoice {
		return qbo.EntityInvoice
	}
	return qbo.EntitySalesReceipt
}

// onlineRefs are the QuickBooks Online Ids the names of a batch's documents resolve to.
type onlineRefs struct {
	customers, accounts   map[string]string // by name
	itemsBySku, itemsByNm map[string]string
	classes               map[string]string // by lower-cased FullyQualifiedName
	us                    bool
	// classTracking is read only when a document has a class (false otherwise).
	classTracking bool
}

// onlineCompany is what one post run reads of the company once, whatever number of batches
// it sends: its country and, the first time a document has a class, its class tracking.
type onlineCompany struct {
	country       *string
	classTracking *bool
}

// isUS says whether the company is a US one, read once.
func (co *onlineCompany) isUS(ctx context.Context, c *qbo.Client) (bool, error) {
	if co.country == nil {
		var company struct{ Country string }
		if err := c.Read(ctx, "CompanyInfo", c.Realm(), &company); err != nil {
			return false, fmt.Errorf("ordersync: QuickBooks Online company: %w", err)
		}
		co.country = &company.Country
	}
	return *co.country == "US", nil
}

// tracksClasses says whether the company takes a class per transaction
// (Preferences.AccountingInfoPrefs.ClassTrackingPerTxn), read once.
func (co *onlineCompany) tracksClasses(ctx context.Context, c *qbo.Client) (bool, error) {
	if co.classTracking == nil {
		var q struct{ Preferences []qbo.Preferences }
		if err := c.Query(ctx, "select * from Preferences", &q); err != nil {
			return false, fmt.Errorf("ordersync: QuickBooks Online preferences: %w", err)
		}
		on := len(q.Preferences) > 0 && q.Preferences[0].AccountingInfoPrefs.ClassTrackingPerTxn
		co.classTracking = &on
	}
	return *co.classTracking, nil
}

func (r *onlineRefs) itemID(l posting.SaleLine) string {
	if l.SKU != "" {
		if id := r.itemsBySku[l.SKU]; id != "" {
			return id
		}
	}
	return r.itemsByNm[strings.ToLower(posting.OnlineItemName(l))]
}

// resolveOnline finds in QuickBooks Online the customers, items, accounts and classes docs
// name (and, when one has a class, whether the company tracks classes), and creates the customers and items it lacks as the settings allow (Missing Product Action
// "create"; shipping, discount, tax and rounding items always): each creation is a single
// write whose requestid is derived from the name, so a retry adopts the first one's answer.
func resolveOnline(ctx context.Context, c *qbo.Client, company *onlineCompany, accountID int64, docs []onlineDoc) (*onlineRefs, error) {
	refs := &onlineRefs{customers: map[string]string{}, accounts: map[string]string{}, itemsBySku: map[string]string{}, itemsByNm: map[string]string{},
		classes: map[string]string{}}
	var customers, skus, names, accounts, classes []string
	for _, d := range docs {
		if d.InvoiceID == "" { // a payment names no class
			classes = appendNew(classes, d.Sale.Class)
		}
		customers = appendNew(customers, posting.OnlineName(d.Sale.Customer))
		accounts = appendNew(appendNew(accounts, d.Sale.DepositAccount), d.Settings.IncomeAccount)
		for _, l := range d.Sale.Lines {
			if l.SKU != "" {
				skus = appendNew(skus, l.SKU)
			}
			names = appendNew(names, posting.OnlineItemName(l))
		}
	}
	var q struct {
		Customer []qbo.Customer
		Item     []qbo.Item
		Account  []qbo.Account
		Class    []qbo.Class
	}
	queries := []string{"select * from Customer where DisplayName in " + qbo.QuoteList(customers),
		"select * from Item where Name in " + qbo.QuoteList(names),
		"select * from Account where Name in " + qbo.QuoteList(accounts)}
	if len(skus) > 0 {
		queries = append(queries, "select * from Item where Sku in "+qbo.QuoteList(skus))
	}
	if len(classes) > 0 {
		queries = append(queries, "select * from Class where FullyQualifiedName in "+qbo.QuoteList(classes))
	}
	for _, s := range queries {
		if err := c.Query(ctx, s+" maxresults 1000", &q); err != nil {
			return nil, fmt.Errorf("ordersync: QuickBooks Online look-up: %w", err)
		}
		for _, cu := range q.Customer {
			refs.customers[cu.DisplayName] = cu.ID
		}
		for _, it := range q.Item {
			refs.itemsByNm[strings.ToLower(it.Name)] = it.ID
			if it.Sku != "" {
				refs.itemsBySku[it.Sku] = it.ID
			}
		}
		for _, a := range q.Account {
			refs.accounts[a.Name] = a.ID
		}
		for _, cl := range q.Class {
			refs.classes[strings.ToLower(cl.FullyQualifiedName)] = cl.ID
		}
		q.Customer, q.Item, q.Account, q.Class = nil, nil, nil, nil
	}
	// A US company computes sales tax itself unless a sale says its total tax.
	var err error
	if refs.us, err = company.isUS(ctx, c); err != nil {
		return nil, err
	}
	if len(classes) > 0 {
		if refs.classTracking, err = company.tracksClasses(ctx, c); err != nil {
			return nil, err
		}
	}
	for _, d := range docs {
		if err := createMissing(ctx, c, accountID, d, refs); err != nil {
			return nil, err
		}
	}
	return refs, nil
}

// createMissing creates the customer and the items of d QuickBooks Online lacks.
func createMissing(ctx context.Context, c *qbo.Client, accountID int64, d onlineDoc, refs *onlineRefs) error {
	if d.InvoiceID != "" {
		return nil
	}
	name := posting.OnlineName(d.Sale.Customer)
	if refs.customers[name] == "" && d.CustomerID == "" {
		cust := posting.OnlineCustomer(d.Sale)
		var got qbo.Customer
		err := c.Write(ctx, qbo.EntityCustomer, cust, qbo.RequestID(accountID, "customer:"+strings.ToLower(name), 0), &got)
		if errors.Is(err, qbo.ErrDuplicateName) {
			// A vendor or employee has the name (DisplayName is unique across them), as
			// Desktop's 3100: the customer is created under the name with "(customer)".
			cust.DisplayName = posting.OnlineName(name + " (customer)")
			err = c.Write(ctx, qbo.EntityCustomer, cust, qbo.RequestID(accountID, "customer:"+strings.ToLower(name), 1), &got)
		}
		if err != nil {
			return fmt.Errorf("ordersync: create QuickBooks Online customer %q: %w", name, err)
		}
		refs.customers[name] = got.ID
	}
	for _, l := range d.Sale.Lines {
		if refs.itemID(l) != "" {
			continue
		}
		it := posting.OnlineItem(l, d.Settings, refs.accounts[d.Settings.IncomeAccount])
		if it == nil {
			continue // flag: the order waits for its mapping
		}
		if it.IncomeAccountRef.Value == "" {
			return fmt.Errorf("ordersync: QuickBooks Online has no income account %q to create item %q with: create it or change the store's settings", d.Settings.IncomeAccount, it.Name)
		}
		var got qbo.Item
		err := c.Write(ctx, qbo.EntityItem, it, qbo.RequestID(accountID, "item:"+strings.ToLower(it.Name), 0), &got)
		if err != nil {
			return fmt.Errorf("ordersync: create QuickBooks Online item %q: %w", it.Name, err)
		}
		refs.itemsByNm[strings.ToLower(got.Name)] = got.ID
		if got.Sku != "" {
			refs.itemsBySku[got.Sku] = got.ID
		}
	}
	return nil
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	list = append(list, s)
	sort.Strings(list)
	return list
}

// setStateTx records an order's new state with its audit line (and sync-log line for an
// error) inside tx.
func (p *Pipeline) setStateTx(ctx context.Context, tx bun.Tx, row *db.Order, state, reason string, details map[string]any) error {
	row.State, row.StateReason, row.UpdatedAt = state, reason, p.now()
	if err := db.UpdateOrder(ctx, tx, row, "state", "state_reason", "updated_at"); err != nil {
		return fmt.Errorf("ordersync: order %d state: %w", row.ID, err)
	}
	ev, l := stateEntries(row, state, reason)
	if details != nil {
		ev.Details, _ = json.Marshal(details)
	}
	if err := db.InsertOrderEvents(ctx, tx, []db.OrderEvent{ev}); err != nil {
		return err
	}
	if l != nil {
		return db.InsertSyncLogs(ctx, tx, []db.SyncLog{*l})
	}
	return nil
}

func addEventTx(ctx context.Context, tx bun.Tx, row *db.Order, kind, msg string, details map[string]any) error {
	ev := orderEvent(row, kind, msg, details)
	return db.InsertOrderEvent(ctx, tx, &ev)
}
