package qbd

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

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
	// lost: the answer never came (lostOutcome).
	lost bool
}

// Receive applies QuickBooks' answer to the session's message set and returns the progress of
// the connection's remaining work (0–99, or 100 when nothing is left). An answer that comes
// after the session was closed (taken over by a newer session) is applied as late (ReceiveLate).
func (e *Engine) Receive(ctx context.Context, s *db.QBWCSession, response string) (int, error) {
	if s.BatchID == nil {
		return e.progress(ctx, s)
	}
	resp, perr := qbxml.ParseResponse([]byte(response))
	err := e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		open, err := lockSession(ctx, tx, s)
		if err != nil {
			return err
		}
		if !open {
			// Taken over meanwhile: its message set was settled as lost, but this answer
			// still says what QuickBooks did.
			if perr != nil {
				return nil
			}
			return e.receiveLate(ctx, tx, s.AccountID, s.Ticket, resp)
		}
		if s.BatchID == nil {
			return nil
		}
		batch, err := db.LockQBDBatch(ctx, tx, *s.BatchID)
		if err != nil {
			return fmt.Errorf("qbd: receive: %w", err)
		}
		if perr != nil {
			// We cannot tell what QuickBooks did: treat it like a lost answer and ask again.
			e.logger().ErrorContext(ctx, "qbd: unreadable response", "batch", batch.ID, "err", perr)
			if err := e.loseBatch(ctx, tx, s.AccountID, batch.ID); err != nil {
				return err
			}
			return e.finishBatch(ctx, tx, s, batch, 0, "unreadable response: "+perr.Error())
		}
		items, err := db.LockQBDBatchWork(ctx, tx, s.AccountID, batch.ID)
		if err != nil {
			return fmt.Errorf("qbd: receive: %w", err)
		}
		var outs []outcome
		switch batch.Kind {
		case batchReconcile:
			// Only items still in doubt: a late answer may have settled others meanwhile.
			outs = reconcileOutcomes(only(items, func(it *db.QBDWorkItem) bool { return it.Status == db.WorkInDoubt }),
				resp, e.reconcileOutcome)
		case batchPrecheck:
			items = only(items, func(it *db.QBDWorkItem) bool { return it.Status == db.WorkQueued && it.CheckFirst })
			scopes, err := e.legacyScopes(ctx, tx, items, resp)
			if err != nil {
				return err
			}
			outs = reconcileOutcomes(items, resp, func(it *db.QBDWorkItem, rs *qbxml.Rs, _ []found) outcome {
				return precheckOutcome(it, rs, scopes)
			})
		default:
			outs = workOutcomes(batch, items, resp)
		}
		done, err := e.applyAll(ctx, tx, outs)
		if err != nil {
			return err
		}
		// Measure QuickBooks' speed on real work to size the next message sets.
		if batch.Kind == batchWork && batch.RequestCount > 0 {
			per := int(e.now().Sub(batch.SentAt).Milliseconds()) / batch.RequestCount
			if err := db.RecordQBDSpeed(ctx, tx, s.AccountID, s.ConnectionID, max(per, 1)); err != nil {
				return fmt.Errorf("qbd: receive: %w", err)
			}
		}
		return e.finishBatch(ctx, tx, s, batch, done, fmt.Sprintf("%d of %d done", done, batch.RequestCount))
	})
	if err != nil {
		return 0, err
	}
	return e.progress(ctx, s)
}

// only returns the items keep accepts.
func only(items []db.QBDWorkItem, keep func(*db.QBDWorkItem) bool) []db.QBDWorkItem {
	out := items[:0:0]
	for i := range items {
		if keep(&items[i]) {
			out = append(out, items[i])
		}
	}
	return out
}

// workOutcomes reads the answer to a work batch: requestID n answers the batch's n-th item;
// items without an answer (QuickBooks stopped before them) are lost.
func workOutcomes(batch *db.QBDBatch, items []db.QBDWorkItem, resp *qbxml.MsgSetResponse) []outcome {
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
	return outs
}

// applyAll repairs (3140) and applies outs, and counts the items done.
func (e *Engine) applyAll(ctx context.Context, tx bun.Tx, outs []outcome) (done int, err error) {
	for i := range outs {
		if err := e.repair(ctx, tx, &outs[i]); err != nil {
			return 0, err
		}
	}
	for _, o := range outs {
		if err := e.apply(ctx, tx, o); err != nil {
			return 0, err
		}
		if o.status == db.WorkDone {
			done++
		}
	}
	return done, nil
}

func (e *Engine) finishBatch(ctx context.Context, tx bun.Tx, s *db.QBWCSession, batch *db.QBDBatch, done int, outcome string) error {
	now := e.now()
	if err := db.FinishQBDBatch(ctx, tx, batch, now, outcome); err != nil {
		return fmt.Errorf("qbd: %w", err)
	}
	s.BatchID = nil
	s.DoneRequests += done
	if err := db.SaveQBWCSessionDone(ctx, tx, s); err != nil {
		return fmt.Errorf("qbd: finish batch: %w", err)
	}
	return nil
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
	o, reread := e.rereadOutcome(o)
	it, now := o.item, e.now()
	it.Status, it.StatusCode, it.StatusMessage, it.UpdatedAt = o.status, o.code, o.msg, now
	if o.rs != nil {
		it.Response = o.rs.Summary()
	}
	if o.cleared {
		it.CheckFirst = false
	}
	if err := db.SaveQBDWorkOutcome(ctx, tx, it); err != nil {
		return fmt.Errorf("qbd: %w", err)
	}
	if o.status == db.WorkDone || o.status == db.WorkFailed {
		if err := e.settled(ctx, tx, it, Outcome{Status: o.status, Duplicate: o.duplicate, Message: o.msg, Hint: o.hint,
			QBType: o.qbType, QBID: it.QBID, Response: o.rs, Reread: reread}); err != nil {
			return err
		}
	}
	if reread {
		return nil // the owner reads the record again; nothing failed for the merchant
	}
	switch o.status {
	case db.WorkDone:
		if it.QBID == "" || !strings.HasSuffix(it.Kind, "Add") {
			return nil // queries and Mods do not create documents
		}
		entry := &db.QBDLedgerEntry{ConnectionID: it.ConnectionID, DocKey: it.DocKey, QBType: o.qbType,
			QBID: it.QBID, EditSequence: it.EditSequence, WorkItemID: &it.ID}
		added, err := db.AddQBDLedgerEntry(ctx, tx, entry)
		if err != nil {
			return fmt.Errorf("qbd: %w", err)
		}
		if !added {
			// The ledger already had this document: QuickBooks now holds it twice. This is the
			// failure the whole design exists to prevent; shout.
			e.log(ctx, tx, it, db.LevelError, "QuickBooks now has "+it.DocKey+" twice (TxnID/ListID "+it.QBID+").",
				"Delete the newer copy in QuickBooks and report this to Ledgerlink support.")
		}
	case db.WorkFailed:
		subject, ref := e.subject(ctx, tx, it)
		e.logAbout(ctx, tx, it, db.LevelError, subject+": "+o.msg, o.hint, ref)
		return e.failDependents(ctx, tx, it)
	}
	return nil
}

// failDependents fails every queued item that waits, directly or not, on a failed one.
func (e *Engine) failDependents(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem) error {
	deps, err := db.FailQBDDependents(ctx, tx, failed.AccountID, failed.ID, "not sent: "+describe(failed)+" failed first", e.now())
	if err != nil {
		return fmt.Errorf("qbd: %w", err)
	}
	for i := range deps {
		msg := describe(&deps[i]) + " was not sent because " + describe(failed) + " failed."
		e.log(ctx, tx, &deps[i], db.LevelError, msg, "Fix the first error, then resync.")
		if err := e.settled(ctx, tx, &deps[i], Outcome{Status: db.WorkFailed, Message: msg, Hint: "Fix the first error, then resync."}); err != nil {
			return err
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
		batch, err := db.LockQBDBatch(ctx, tx, *s.BatchID)
		if err != nil {
			return fmt.Errorf("qbd: reject: %w", err)
		}
		items, err := db.LockQBDBatchWork(ctx, tx, s.AccountID, batch.ID)
		if err != nil {
			return fmt.Errorf("qbd: reject: %w", err)
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
				if err := db.SetQBDWorkSolo(ctx, tx, it); err != nil {
					return fmt.Errorf("qbd: reject: %w", err)
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
	remaining, err := e.DB.PendingQBDWork(ctx, s.AccountID, s.ConnectionID, db.WorkQueued, db.WorkInDoubt)
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
	return min(99, 100*done/(done+remaining)), nil
}

func describe(it *db.QBDWorkItem) string { return it.Kind + " " + it.DocKey }

// subject names it's document for the log: as its owner says (see Explainer), or "<kind> <docKey>".
func (e *Engine) subject(ctx context.Context, tx bun.Tx, it *db.QBDWorkItem) (string, map[string]any) {
	if x, ok := e.handler(it.DocKey).(Explainer); ok {
		if s, ref := x.Subject(ctx, tx, it); s != "" {
			return s + " (" + it.Kind + ")", ref
		}
	}
	return describe(it), nil
}

func (e *Engine) log(ctx context.Context, tx bun.Tx, it *db.QBDWorkItem, level db.LogLevel, msg, hint string) {
	e.logAbout(ctx, tx, it, level, msg, hint, nil)
}

// logAbout is log with more details (ref: what the owner says the document is).
func (e *Engine) logAbout(ctx context.Context, tx bun.Tx, it *db.QBDWorkItem, level db.LogLevel, msg, hint string, ref map[string]any) {
	d := map[string]any{"workItemId": it.ID, "docKey": it.DocKey, "kind": it.Kind, "statusCode": it.StatusCode}
	for k, v := range ref {
		d[k] = v
	}
	details, _ := json.Marshal(d)
	l := &db.SyncLog{AccountID: it.AccountID, ConnectionID: &it.ConnectionID, Level: level, Source: "qbd",
		Message: msg, Details: details}
	if hint != "" {
		l.Hint = &hint
	}
	if err := db.InsertSyncLog(ctx, tx, l); err != nil {
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
