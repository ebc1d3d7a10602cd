package qbd

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

func bunIn(vals ...string) any { return bun.In(vals) }

const (
	batchWork      = "work"
	batchReconcile = "reconcile"
	batchPrecheck  = "precheck"
)

// batchSize is how many requests fit the time budget at the connection's measured speed.
func (e *Engine) batchSize(conn *db.QBDConnection) int {
	budget, maxN := e.Budget, e.MaxBatch
	if budget <= 0 {
		budget = DefaultBudget
	}
	if maxN <= 0 {
		maxN = DefaultMaxBatch
	}
	ms := max(conn.MsPerRequest, 1)
	return max(1, min(maxN, int(budget.Milliseconds())/ms))
}

// Next builds the session's next message set: first the lookups that settle in-doubt work, then
// queued work whose dependencies are done. It returns "" when nothing is ready.
func (e *Engine) Next(ctx context.Context, s *db.QBWCSession) (string, error) {
	var msg string
	err := e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if open, err := lockSession(ctx, tx, s); err != nil || !open {
			return err // a session closed meanwhile (taken over as dead) gets nothing
		}
		if err := e.rescueOrphans(ctx, tx, s.ConnectionID); err != nil {
			return err
		}
		if s.BatchID != nil {
			// A sendRequestXML after a send without its receive: that answer is lost.
			if err := e.loseBatch(ctx, tx, *s.BatchID); err != nil {
				return err
			}
			s.BatchID = nil
		}
		conn := new(db.QBDConnection)
		if err := tx.NewSelect().Model(conn).Where("id = ?", s.ConnectionID).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("qbd: next: connection: %w", err)
		}
		n := e.batchSize(conn)
		kind := batchReconcile
		var items []db.QBDWorkItem
		err := tx.NewSelect().Model(&items).
			Where("w.connection_id = ? AND w.status = ? AND w.lookup_type IS NOT NULL", s.ConnectionID, db.WorkInDoubt).
			Where("NOT EXISTS (SELECT 1 FROM qbd_batches b WHERE b.id = w.batch_id AND b.sent_at > ?)", e.now().Add(-e.inDoubtGrace())).
			OrderExpr("w.id").Limit(int64(n)).Scan(ctx)
		if err != nil {
			return fmt.Errorf("qbd: next: in doubt: %w", err)
		}
		if len(items) == 0 {
			// Duplicate checks: documents that may already be in QuickBooks are looked up
			// (grouped) before their first send.
			kind = batchPrecheck
			err := tx.NewSelect().Model(&items).
				Where("w.connection_id = ? AND w.status = ? AND w.check_first", s.ConnectionID, db.WorkQueued).
				OrderExpr("w.id").Limit(int64(n)).Scan(ctx)
			if err != nil {
				return fmt.Errorf("qbd: next: pre-checks: %w", err)
			}
		}
		if len(items) == 0 {
			kind = batchWork
			if items, err = e.readyItems(ctx, tx, s.ConnectionID, n); err != nil {
				return err
			}
		}
		if len(items) == 0 {
			return nil
		}
		set := qbxml.NewMsgSet(s.QBXMLVersion, qbxml.ContinueOnError)
		ids := make([]int64, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		if kind != batchWork {
			// One query per type finds every document of that type at once.
			for _, g := range groupLookups(items) {
				set.Add(lookupQuery(g.typ, g.values))
			}
		} else {
			for _, it := range items {
				set.AddEncoded(it.Request) // requestID i+1 answers ids[i]; the batch row keeps ids
			}
		}
		b, err := set.Bytes()
		if err != nil {
			return fmt.Errorf("qbd: next: %w", err)
		}
		batch := &db.QBDBatch{ConnectionID: s.ConnectionID, Ticket: s.Ticket, Kind: kind, RequestCount: len(items),
			ItemIDs: ids, SentAt: e.now()}
		if _, err := tx.NewInsert().Model(batch).Returning("*").Exec(ctx); err != nil {
			return fmt.Errorf("qbd: next: batch: %w", err)
		}
		upd := tx.NewUpdate().Model((*db.QBDWorkItem)(nil)).Set("batch_id = ?", batch.ID).Set("updated_at = ?", e.now()).
			Where("id IN (?)", bun.In(ids))
		if kind == batchWork {
			upd = upd.Set("status = ?", db.WorkInFlight).Set("attempts = attempts + 1")
		}
		if _, err := upd.Exec(ctx); err != nil {
			return fmt.Errorf("qbd: next: mark in flight: %w", err)
		}
		if kind == batchWork && e.Sending != nil {
			if err := e.Sending(ctx, tx, items); err != nil {
				return fmt.Errorf("qbd: next: sending hook: %w", err)
			}
		}
		s.BatchID = &batch.ID
		s.SentRequests += len(items)
		if _, err := tx.NewUpdate().Model(s).Column("batch_id", "sent_requests").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("qbd: next: session: %w", err)
		}
		msg = string(b)
		return nil
	})
	return msg, err
}

// readyItems returns up to n queued items whose dependencies are all done, oldest first. An
// item marked solo (its message set was rejected whole) goes alone, to find the bad request.
func (e *Engine) readyItems(ctx context.Context, tx bun.Tx, connectionID int64, n int) ([]db.QBDWorkItem, error) {
	var items []db.QBDWorkItem
	err := tx.NewSelect().Model(&items).
		Where("w.connection_id = ? AND w.status = ?", connectionID, db.WorkQueued).
		Where("NOT EXISTS (SELECT 1 FROM qbd_work_items d WHERE d.id = ANY(w.depends_on) AND d.status <> ?)", db.WorkDone).
		OrderExpr("w.solo DESC, w.id").Limit(int64(n)).For("UPDATE OF w SKIP LOCKED").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("qbd: ready items: %w", err)
	}
	if len(items) > 0 && items[0].Solo {
		return items[:1], nil
	}
	return items, nil
}

// loseBatch settles a message set whose answer never came. Work that may have been applied
// becomes in doubt when a lookup can tell; queries are simply queued again; an Add or Mod that
// cannot be looked up fails for the merchant to check, because resending it blind could post
// it twice.
func (e *Engine) loseBatch(ctx context.Context, tx bun.Tx, batchID int64) error {
	var items []db.QBDWorkItem
	if err := tx.NewSelect().Model(&items).Where("batch_id = ? AND status = ?", batchID, db.WorkInFlight).For("UPDATE").Scan(ctx); err != nil {
		return fmt.Errorf("qbd: lose batch %d: %w", batchID, err)
	}
	for i := range items {
		if err := e.apply(ctx, tx, lostOutcome(&items[i])); err != nil {
			return err
		}
	}
	_, err := tx.NewUpdate().Model((*db.QBDBatch)(nil)).Set("outcome = ?", "answer lost").
		Where("id = ? AND received_at IS NULL", batchID).Exec(ctx)
	return err
}

// lostOutcome decides what becomes of an item whose answer was lost.
func lostOutcome(it *db.QBDWorkItem) outcome {
	switch {
	case it.LookupType != nil:
		return outcome{item: it, status: db.WorkInDoubt, msg: "answer lost; QuickBooks will be asked before anything is resent"}
	case strings.HasSuffix(it.Kind, "Query"):
		return outcome{item: it, status: db.WorkQueued, msg: "answer lost; asking again"}
	default:
		return outcome{item: it, status: db.WorkFailed,
			msg:  "The answer from QuickBooks was lost, and Ledgerlink cannot check whether QuickBooks applied this request.",
			hint: "Look for it in QuickBooks. If it is not there, resync it from Ledgerlink; if it is, leave it."}
	}
}

// Recover settles the message set a dead session left in flight.
func (e *Engine) Recover(ctx context.Context, dead *db.QBWCSession) error {
	if dead.BatchID == nil {
		return nil
	}
	return e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := e.loseBatch(ctx, tx, *dead.BatchID); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model(dead).Set("batch_id = NULL").WherePK().Exec(ctx)
		return err
	})
}

// outcome is what one response did to one work item.
type outcome struct {
	item   *db.QBDWorkItem
	status string
	code   *int
	msg    string
	hint   string
	qbType string
	rs     *qbxml.Rs
	// duplicate: a pre-check found the document in QuickBooks; cleared: it did not.
	duplicate, cleared bool
}

// Receive applies QuickBooks' answer to the session's message set and returns the progress of
// the connection's remaining work (0–99, or 100 when nothing is left).
func (e *Engine) Receive(ctx context.Context, s *db.QBWCSession, response string) (int, error) {
	if s.BatchID == nil {
		return e.progress(ctx, s)
	}
	resp, perr := qbxml.ParseResponse([]byte(response))
	err := e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if open, err := lockSession(ctx, tx, s); err != nil || !open || s.BatchID == nil {
			// Closed as dead meanwhile: its message set is in doubt already and will be
			// reconciled; this late answer is not needed.
			return err
		}
		batch := new(db.QBDBatch)
		if err := tx.NewSelect().Model(batch).Where("id = ?", *s.BatchID).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("qbd: receive: batch: %w", err)
		}
		if perr != nil {
			// We cannot tell what QuickBooks did: treat it like a lost answer and ask again.
			e.logger().ErrorContext(ctx, "qbd: unreadable response", "batch", batch.ID, "err", perr)
			if err := e.loseBatch(ctx, tx, batch.ID); err != nil {
				return err
			}
			return e.finishBatch(ctx, tx, s, batch, 0, "unreadable response: "+perr.Error())
		}
		var items []db.QBDWorkItem
		if err := tx.NewSelect().Model(&items).Where("batch_id = ?", batch.ID).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("qbd: receive: items: %w", err)
		}
		// requestID n answers the batch's n-th item.
		byItem := make(map[int64]*db.QBDWorkItem, len(items))
		for i := range items {
			byItem[items[i].ID] = &items[i]
		}
		byID := make(map[string]*db.QBDWorkItem, len(items))
		for i, id := range batch.ItemIDs {
			if it, ok := byItem[id]; ok {
				byID[strconv.Itoa(i+1)] = it
			}
		}
		var outs []outcome
		if batch.Kind == batchReconcile {
			outs = reconcileOutcomes(items, resp, reconcileOutcome)
		} else if batch.Kind == batchPrecheck {
			scopes, err := e.legacyScopes(ctx, tx, items, resp)
			if err != nil {
				return err
			}
			outs = reconcileOutcomes(items, resp, func(it *db.QBDWorkItem, rs *qbxml.Rs, _ []found) outcome {
				return precheckOutcome(it, rs, scopes)
			})
		} else {
			for _, rs := range resp.Responses {
				it, ok := byID[rs.RequestID]
				if !ok {
					continue // not ours (QuickBooks echoes every requestID we sent)
				}
				delete(byID, rs.RequestID)
				outs = append(outs, workOutcome(it, rs))
			}
			for _, it := range byID { // no answer for these: QuickBooks stopped before them
				o := lostOutcome(it)
				o.msg = "QuickBooks did not answer this request: " + o.msg
				outs = append(outs, o)
			}
		}
		done := 0
		for i := range outs {
			if err := e.repair(ctx, tx, &outs[i]); err != nil {
				return err
			}
		}
		for _, o := range outs {
			if err := e.apply(ctx, tx, o); err != nil {
				return err
			}
			if o.status == db.WorkDone {
				done++
			}
		}
		// Measure QuickBooks' speed on real work to size the next message sets.
		if batch.Kind == batchWork && batch.RequestCount > 0 {
			per := int(e.now().Sub(batch.SentAt).Milliseconds()) / batch.RequestCount
			_, err := tx.NewUpdate().Model((*db.QBDConnection)(nil)).
				Set("ms_per_request = GREATEST(1, LEAST(120000, (ms_per_request * 3 + ?) / 4))", max(per, 1)).
				Where("id = ?", s.ConnectionID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("qbd: receive: speed: %w", err)
			}
		}
		return e.finishBatch(ctx, tx, s, batch, done, fmt.Sprintf("%d of %d done", done, batch.RequestCount))
	})
	if err != nil {
		return 0, err
	}
	return e.progress(ctx, s)
}

func (e *Engine) finishBatch(ctx context.Context, tx bun.Tx, s *db.QBWCSession, batch *db.QBDBatch, done int, outcome string) error {
	now := e.now()
	if _, err := tx.NewUpdate().Model(batch).Set("received_at = ?", now).Set("outcome = ?", outcome).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("qbd: finish batch: %w", err)
	}
	s.BatchID = nil
	s.DoneRequests += done
	if _, err := tx.NewUpdate().Model(s).Column("batch_id", "done_requests").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("qbd: finish batch: session: %w", err)
	}
	return nil
}

type lookupGroup struct {
	typ    LookupType
	values []string
}

// groupLookups collects the distinct lookup values of items per type, in first-seen order.
func groupLookups(items []db.QBDWorkItem) []lookupGroup {
	var groups []lookupGroup
	index := map[LookupType]int{}
	seen := map[string]bool{}
	for _, it := range items {
		t := LookupType(*it.LookupType)
		i, ok := index[t]
		if !ok {
			i = len(groups)
			index[t] = i
			groups = append(groups, lookupGroup{typ: t})
		}
		if k := string(t) + "\x00" + strings.ToLower(it.LookupValue); !seen[k] {
			seen[k] = true
			groups[i].values = append(groups[i].values, it.LookupValue)
		}
	}
	return groups
}

// reconcileOutcomes reads the answers to a reconcile batch's grouped lookups: exactly one
// matching record means QuickBooks applied the request (adopt it), none means it never did
// (send it again), several means a person must look.
func reconcileOutcomes(items []db.QBDWorkItem, resp *qbxml.MsgSetResponse, decide func(*db.QBDWorkItem, *qbxml.Rs, []found) outcome) []outcome {
	type answer struct {
		rs      *qbxml.Rs
		records []found
	}
	answers := map[LookupType]answer{}
	for _, rs := range resp.Responses {
		if t, recs := lookupResults(rs); t != "" {
			answers[t] = answer{rs, recs}
		}
	}
	outs := make([]outcome, 0, len(items))
	for i := range items {
		it := &items[i]
		a, ok := answers[LookupType(*it.LookupType)]
		if !ok {
			continue // no answer for this type: stays in doubt for the next message
		}
		outs = append(outs, decide(it, a.rs, matches(a.records, it.LookupValue, it.LookupMarker, it.LookupDate)))
	}
	return outs
}

// reconcileOutcome settles one in-doubt item from its lookup's answer and matching records.
func reconcileOutcome(it *db.QBDWorkItem, rs *qbxml.Rs, found []found) outcome {
	nameClash := it.StatusCode != nil && *it.StatusCode == 3100
	// rs answers the whole group, so it is not this item's response; its status code is.
	o := outcome{item: it, code: &rs.StatusCode}
	switch rs.Class() {
	case qbxml.OK, qbxml.Warning, qbxml.NoMatch:
		switch len(found) {
		case 1:
			o.status, o.qbType = db.WorkDone, found[0].recordType
			it.QBID, it.EditSequence = found[0].id, found[0].editSequence
			o.msg = "found in QuickBooks after a lost answer; not sent again"
		case 0:
			o.status, o.msg = db.WorkQueued, "not in QuickBooks; sending again"
		default:
			o.status = db.WorkFailed
			o.msg = fmt.Sprintf("QuickBooks has %d records matching %q; Ledgerlink cannot tell which is this document.", len(found), it.LookupValue)
			o.hint = "Check these records in QuickBooks, delete any duplicate, then mark the order as posted or resync it."
		}
	case qbxml.Transient:
		o.status, o.msg = db.WorkInDoubt, rs.StatusMessage
	default:
		msg, hint := qbxml.MerchantMessage(rs.StatusCode, rs.StatusMessage)
		o.status = db.WorkFailed
		o.msg = "Ledgerlink could not check whether this was already posted: " + msg
		o.hint = "Look for it in QuickBooks. If it is not there, resync it from Ledgerlink. " + hint
	}
	if nameClash && o.status == db.WorkQueued {
		// QuickBooks said the name is taken, yet no element of this kind has it: another list
		// (vendors, employees, other item types) uses it. Resending would only loop.
		o.status = db.WorkFailed
		o.msg = "QuickBooks says this name is already in use by another kind of list entry (a vendor, employee or other name)."
		o.hint = "In QuickBooks, rename the other entry, or map this customer or SKU to a different name in Ledgerlink, then resync."
	}
	return o
}

// precheckOutcome reads a duplicate check. QuickBooks has a sale with the item's number and
// date: when it is this very document (its marker says so) it is done, adopted; when someone
// entered it (no marker) or it is another document of the item's scope, the item is a
// duplicate, adopted and not sent; a document Ledgerlink posted for another scope (store) is
// not a duplicate. scopes gives the scope of documents whose marker predates scopes, by TxnID.
// Nothing found: cleared to be sent.
func precheckOutcome(it *db.QBDWorkItem, rs *qbxml.Rs, scopes map[string]string) outcome {
	o := outcome{item: it, code: &rs.StatusCode}
	// The marker only identifies our own requests; a duplicate entered by someone else has
	// none, so a pre-check matches on the lookup value and date, then reads the markers.
	_, all := lookupResults(rs)
	mine := parseMarker(it.LookupMarker)
	var self, dup *found
	for _, r := range matches(all, it.LookupValue, "", it.LookupDate) {
		m := parseMarker(r.other)
		if m.ok && m.scope == "" {
			m.scope = scopes[r.id]
		}
		switch {
		case m.ok && mine.ok && m.doc == mine.doc:
			self = &r
		case m.ok && mine.scope != "" && m.scope != "" && m.scope != mine.scope:
			// Posted by Ledgerlink for another store: a sale of its own, not this one.
		case dup == nil:
			dup = &r
		}
	}
	switch rs.Class() {
	case qbxml.OK, qbxml.Warning, qbxml.NoMatch:
		switch {
		case self != nil:
			o.status, o.qbType = db.WorkDone, self.recordType
			it.QBID, it.EditSequence = self.id, self.editSequence
			o.msg = fmt.Sprintf("already in QuickBooks as %s %s (posted by Ledgerlink earlier); not posted again", self.recordType, self.key)
		case dup != nil:
			o.status, o.qbType, o.duplicate = db.WorkDone, dup.recordType, true
			it.QBID, it.EditSequence = dup.id, dup.editSequence
			o.msg = fmt.Sprintf("already in QuickBooks as %s %s; not posted again", dup.recordType, dup.key)
		default:
			o.status, o.msg, o.cleared = db.WorkQueued, "not in QuickBooks yet", true
		}
	case qbxml.Transient:
		o.status, o.msg = db.WorkQueued, rs.StatusMessage
	default:
		o.status = db.WorkFailed
		msg, hint := qbxml.MerchantMessage(rs.StatusCode, rs.StatusMessage)
		o.msg, o.hint = "Ledgerlink could not check QuickBooks for a duplicate: "+msg, hint
	}
	return o
}

// legacyScopes finds, for the records of a pre-check's answers whose marker predates scopes,
// which scope the document belongs to: the ledger names the document that became the record,
// and the Scope hook its scope. The result is keyed by TxnID.
func (e *Engine) legacyScopes(ctx context.Context, tx bun.Tx, items []db.QBDWorkItem, resp *qbxml.MsgSetResponse) (map[string]string, error) {
	if e.Scope == nil || len(items) == 0 {
		return nil, nil
	}
	docOf := map[string]string{} // TxnID → document part of its bare marker
	var ids []string
	for _, rs := range resp.Responses {
		_, recs := lookupResults(rs)
		for _, r := range recs {
			if m := parseMarker(r.other); m.ok && m.scope == "" && r.id != "" {
				docOf[r.id] = m.doc
				ids = append(ids, r.id)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var entries []db.QBDLedgerEntry
	if err := tx.NewSelect().Model(&entries).Where("connection_id = ? AND qb_id IN (?)", items[0].ConnectionID, bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("qbd: pre-check: ledger: %w", err)
	}
	keyOf := map[string]string{} // TxnID → our document it was posted as
	var keys []string
	for _, en := range entries {
		// Duplicates adopted into the ledger point at the same TxnID: the marker says which
		// document actually posted it.
		if Marker(en.DocKey) == docOf[en.QBID] {
			keyOf[en.QBID] = en.DocKey
			keys = append(keys, en.DocKey)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	byKey, err := e.Scope(ctx, tx, items[0].AccountID, keys)
	if err != nil {
		return nil, fmt.Errorf("qbd: pre-check: scopes: %w", err)
	}
	out := map[string]string{}
	for id, key := range keyOf {
		if sc := byKey[key]; sc != "" {
			out[id] = sc
		}
	}
	return out, nil
}

// workOutcome reads the answer to a request.
func workOutcome(it *db.QBDWorkItem, rs *qbxml.Rs) outcome {
	o := outcome{item: it, rs: rs, code: &rs.StatusCode}
	switch rs.Class() {
	case qbxml.OK, qbxml.Warning, qbxml.NoMatch:
		id, seq, typ := rs.Identity()
		o.status, o.qbType = db.WorkDone, typ
		o.item.QBID, o.item.EditSequence = id, seq
		o.msg = rs.StatusMessage
	case qbxml.Transient:
		if it.Attempts >= maxAttempts {
			o.status = db.WorkFailed
			o.msg, o.hint = qbxml.MerchantMessage(rs.StatusCode, rs.StatusMessage)
		} else {
			o.status, o.msg = db.WorkQueued, rs.StatusMessage
		}
	case qbxml.StaleEditSequence:
		// Someone edited the record since we read it. The 3200 answer carries the record's
		// current EditSequence: re-apply our change on top of it, a bounded number of times.
		_, seq, _ := rs.Identity()
		if seq != "" && it.Attempts < maxAttempts && strings.Contains(it.Request, "<EditSequence>") {
			it.Request = replaceElement(it.Request, "EditSequence", seq)
			o.status, o.msg = db.WorkQueued, "record changed in QuickBooks meanwhile; re-applying on the current version"
			break
		}
		o.status = db.WorkFailed
		o.msg, o.hint = qbxml.MerchantMessage(rs.StatusCode, rs.StatusMessage)
	case qbxml.NameInUse:
		if it.LookupType != nil {
			// The list element exists already (made by hand, or by us with the answer lost):
			// look it up and adopt it rather than fail.
			o.status, o.msg = db.WorkInDoubt, rs.StatusMessage
			break
		}
		fallthrough
	default:
		o.status = db.WorkFailed
		o.msg, o.hint = qbxml.MerchantMessage(rs.StatusCode, rs.StatusMessage)
	}
	return o
}

// apply writes an outcome: the item, the ledger for done Adds, and the log for failures (with
// the items that depended on the failed one).
func (e *Engine) apply(ctx context.Context, tx bun.Tx, o outcome) error {
	it, now := o.item, e.now()
	it.Status, it.StatusCode, it.StatusMessage, it.UpdatedAt = o.status, o.code, o.msg, now
	if o.rs != nil {
		it.Response = o.rs.Summary()
	}
	if o.cleared {
		it.CheckFirst = false
	}
	cols := []string{"status", "status_code", "status_message", "updated_at", "response", "qb_id", "edit_sequence", "request", "check_first"}
	if _, err := tx.NewUpdate().Model(it).Column(cols...).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("qbd: update item %d: %w", it.ID, err)
	}
	if e.Settled != nil && (o.status == db.WorkDone || o.status == db.WorkFailed) {
		if err := e.Settled(ctx, tx, it, Outcome{Status: o.status, Duplicate: o.duplicate, Message: o.msg, Hint: o.hint,
			QBType: o.qbType, QBID: it.QBID, Response: o.rs}); err != nil {
			return fmt.Errorf("qbd: settle %s: %w", it.DocKey, err)
		}
	}
	switch o.status {
	case db.WorkDone:
		if it.QBID == "" || !strings.HasSuffix(it.Kind, "Add") {
			return nil // queries and Mods do not create documents
		}
		entry := &db.QBDLedgerEntry{ConnectionID: it.ConnectionID, DocKey: it.DocKey, QBType: o.qbType,
			QBID: it.QBID, EditSequence: it.EditSequence, WorkItemID: &it.ID}
		res, err := tx.NewInsert().Model(entry).On("CONFLICT (connection_id, doc_key) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("qbd: ledger %s: %w", it.DocKey, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// The ledger already had this document: QuickBooks now holds it twice. This is the
			// failure the whole design exists to prevent; shout.
			e.log(ctx, tx, it, db.LevelError, "QuickBooks now has "+it.DocKey+" twice (TxnID/ListID "+it.QBID+").",
				"Delete the newer copy in QuickBooks and report this to Ledgerlink support.")
		}
	case db.WorkFailed:
		e.log(ctx, tx, it, db.LevelError, describe(it)+": "+o.msg, o.hint)
		return e.failDependents(ctx, tx, it)
	}
	return nil
}

// failDependents fails every queued item that waits, directly or not, on a failed one.
func (e *Engine) failDependents(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem) error {
	var deps []db.QBDWorkItem
	err := tx.NewRaw(`WITH RECURSIVE dep(id) AS (
			SELECT id FROM qbd_work_items WHERE ? = ANY(depends_on) AND status = ?
			UNION SELECT w.id FROM qbd_work_items w JOIN dep ON dep.id = ANY(w.depends_on) WHERE w.status = ?)
		UPDATE qbd_work_items SET status = ?, status_message = ?, updated_at = ?
		WHERE id IN (SELECT id FROM dep) RETURNING *`,
		failed.ID, db.WorkQueued, db.WorkQueued, db.WorkFailed,
		"not sent: "+describe(failed)+" failed first", e.now()).Scan(ctx, &deps)
	if err != nil {
		return fmt.Errorf("qbd: fail dependents of %d: %w", failed.ID, err)
	}
	for i := range deps {
		msg := describe(&deps[i]) + " was not sent because " + describe(failed) + " failed."
		e.log(ctx, tx, &deps[i], db.LevelError, msg, "Fix the first error, then resync.")
		if e.Settled != nil {
			if err := e.Settled(ctx, tx, &deps[i], Outcome{Status: db.WorkFailed, Message: msg, Hint: "Fix the first error, then resync."}); err != nil {
				return fmt.Errorf("qbd: settle %s: %w", deps[i].DocKey, err)
			}
		}
	}
	return nil
}

// Reject handles a message set QuickBooks refused whole (hresult, typically 0x80040400 parse
// error): nothing in it was applied. A set of several requests is split so the bad request is
// found alone; a lone request that is refused fails.
func (e *Engine) Reject(ctx context.Context, s *db.QBWCSession, hresult, message string) (string, error) {
	if s.BatchID == nil {
		return "QuickBooks reported " + hresult + ": " + message, nil
	}
	text := "QuickBooks could not process Ledgerlink's request (" + hresult + " " + message + ")."
	err := e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if open, err := lockSession(ctx, tx, s); err != nil || !open || s.BatchID == nil {
			return err
		}
		batch := new(db.QBDBatch)
		if err := tx.NewSelect().Model(batch).Where("id = ?", *s.BatchID).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("qbd: reject: %w", err)
		}
		var items []db.QBDWorkItem
		if err := tx.NewSelect().Model(&items).Where("batch_id = ?", batch.ID).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("qbd: reject: items: %w", err)
		}
		for i := range items {
			it := &items[i]
			code := 0
			o := outcome{item: it, code: &code}
			switch {
			case batch.Kind == batchReconcile:
				o.status, o.msg = db.WorkFailed, "QuickBooks could not run the check for this document: "+message
				o.hint = "Look for it in QuickBooks; if it is not there, resync it from Ledgerlink."
			case len(items) > 1:
				o.status, o.msg = db.WorkQueued, "message set rejected ("+hresult+"); resending alone"
				it.Solo = true
				if _, err := tx.NewUpdate().Model(it).Column("solo").WherePK().Exec(ctx); err != nil {
					return err
				}
			default:
				o.status, o.msg = db.WorkFailed, text
				o.hint = "This is a problem in the request Ledgerlink built. Its qbXML is in the order's audit trail; please send it to Ledgerlink support."
			}
			if err := e.apply(ctx, tx, o); err != nil {
				return err
			}
		}
		return e.finishBatch(ctx, tx, s, batch, 0, "rejected: "+hresult)
	})
	return text, err
}

// progress is the share of this session's work done, 0–99, or 100 when nothing remains. While
// workers are still filling the queue it stays below 100 so the session waits for them.
func (e *Engine) progress(ctx context.Context, s *db.QBWCSession) (int, error) {
	remaining, err := e.DB.Bun().NewSelect().Model((*db.QBDWorkItem)(nil)).
		Where("connection_id = ? AND status IN (?)", s.ConnectionID, bunIn(db.WorkQueued, db.WorkInDoubt)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("qbd: progress: %w", err)
	}
	if remaining == 0 {
		if filling, err := e.Filling(ctx, s.ConnectionID); err != nil {
			return 0, err
		} else if filling {
			return 99, nil
		}
		return 100, nil
	}
	done := s.DoneRequests
	return min(99, 100*done/(done+int(remaining))), nil
}

func describe(it *db.QBDWorkItem) string { return it.Kind + " " + it.DocKey }

func (e *Engine) log(ctx context.Context, tx bun.Tx, it *db.QBDWorkItem, level db.LogLevel, msg, hint string) {
	details, _ := json.Marshal(map[string]any{"workItemId": it.ID, "docKey": it.DocKey, "kind": it.Kind, "statusCode": it.StatusCode})
	l := &db.SyncLog{AccountID: it.AccountID, ConnectionID: &it.ConnectionID, Level: level, Source: "qbd",
		Message: msg, Details: details}
	if hint != "" {
		l.Hint = &hint
	}
	if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
		e.logger().ErrorContext(ctx, "qbd: write sync log", "err", err)
	}
}

// replaceElement replaces the text of the first <name>…</name> in xml.
func replaceElement(xml, name, value string) string {
	open, close := "<"+name+">", "</"+name+">"
	i := strings.Index(xml, open)
	j := strings.Index(xml, close)
	if i < 0 || j < i {
		return xml
	}
	var b strings.Builder
	b.WriteString(xml[:i+len(open)])
	for _, r := range value { // EditSequence is digits; escape anyway
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(xml[j:])
	return b.String()
}

// lockSession locks the session row for the transaction and reloads it, so a takeover by
// another Web Connector (which closes it) and this call cannot interleave. It reports whether
// the session is still open.
func lockSession(ctx context.Context, tx bun.Tx, s *db.QBWCSession) (bool, error) {
	// Only the columns another process may change are reloaded: the caller's copy carries
	// changes of its own (qbXML version, company file) that it writes after this call.
	var row struct {
		State   string `bun:"state"`
		BatchID *int64 `bun:"batch_id"`
	}
	err := tx.NewSelect().Model((*db.QBWCSession)(nil)).Column("state", "batch_id").
		Where("ticket = ?", s.Ticket).For("UPDATE").Scan(ctx, &row)
	if err != nil {
		return false, fmt.Errorf("qbd: lock session: %w", err)
	}
	s.State, s.BatchID = row.State, row.BatchID
	return s.State == db.SessionOpen, nil
}

// rescueOrphans settles message sets left in flight by sessions that are closed: a safety net
// for any path that closed a session without Recover.
func (e *Engine) rescueOrphans(ctx context.Context, tx bun.Tx, connectionID int64) error {
	var batchIDs []int64
	err := tx.NewRaw(`SELECT DISTINCT w.batch_id FROM qbd_work_items w
		JOIN qbd_batches b ON b.id = w.batch_id
		JOIN qbwc_sessions s ON s.ticket = b.ticket
		WHERE w.connection_id = ? AND w.status = ? AND s.state = ?`, connectionID, db.WorkInFlight, db.SessionClosed).Scan(ctx, &batchIDs)
	if err != nil {
		return fmt.Errorf("qbd: orphans: %w", err)
	}
	for _, id := range batchIDs {
		if err := e.loseBatch(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// repair turns a 3140 failure into "create the missing element, then resend" when the
// engine's Repair hook provides the element. A request is repaired at most maxAttempts times.
func (e *Engine) repair(ctx context.Context, tx bun.Tx, o *outcome) error {
	// Not bounded by attempts: an order may refer to several missing elements, each repaired
	// once. A repair that created its element already and still gets 3140 is not repeated.
	if e.Repair == nil || o.rs == nil || o.status != db.WorkFailed || o.rs.Class() != qbxml.InvalidReference {
		return nil
	}
	ref, ok := parseInvalidRef(o.rs.StatusMessage)
	if !ok {
		return nil
	}
	fix, err := e.Repair(ctx, o.item, ref)
	if err != nil || fix == nil {
		return err
	}
	frag, _, err := qbxml.Encode(fix.Request)
	if err != nil {
		return fmt.Errorf("qbd: repair %s: %w", o.item.DocKey, err)
	}
	w := &db.QBDWorkItem{AccountID: o.item.AccountID, ConnectionID: o.item.ConnectionID, DocKey: fix.DocKey,
		Kind: strings.TrimSuffix(qbxml.Kind(fix.Request), "Rq"), Request: frag, DependsOn: []int64{}, Status: db.WorkQueued}
	if fix.Lookup != nil {
		t := string(fix.Lookup.Type)
		w.LookupType, w.LookupValue, w.LookupMarker, w.LookupDate = &t, fix.Lookup.stored(), fix.Lookup.Marker, fix.Lookup.Date
	}
	if _, err := tx.NewInsert().Model(w).On("CONFLICT (connection_id, doc_key) WHERE status <> 'failed' DO NOTHING").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("qbd: repair %s: %w", o.item.DocKey, err)
	}
	if w.ID == 0 { // already queued (another line of the batch needed the same element)
		if err := tx.NewSelect().Model(w).Column("id", "status").Where("connection_id = ? AND doc_key = ? AND status <> ?",
			w.ConnectionID, w.DocKey, db.WorkFailed).Scan(ctx); err != nil {
			return fmt.Errorf("qbd: repair %s: %w", o.item.DocKey, err)
		}
		if w.Status == db.WorkDone && slices.Contains(o.item.DependsOn, w.ID) {
			return nil // created before, and QuickBooks still refuses the reference: a person must look
		}
	}
	o.item.DependsOn = append(o.item.DependsOn, w.ID)
	if _, err := tx.NewUpdate().Model(o.item).Column("depends_on").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("qbd: repair %s: %w", o.item.DocKey, err)
	}
	o.status, o.hint = db.WorkQueued, ""
	o.msg = "QuickBooks has no " + ref.List + " \"" + ref.Name + "\"; creating it, then sending again"
	return nil
}
