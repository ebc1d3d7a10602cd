package qbd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// loseBatch settles a message set of account accountID whose answer never came. Work that may have been applied
// becomes in doubt when a lookup can tell; queries are simply queued again; an Add or Mod that
// cannot be looked up fails for the merchant to check, because resending it blind could post
// it twice.
func (e *Engine) loseBatch(ctx context.Context, tx bun.Tx, accountID, batchID int64) error {
	// Locks in the order every path takes them (session, batch, items), so a late answer to
	// the same set (receiveLate) and this cannot deadlock.
	if _, err := db.LockQBDBatch(ctx, tx, batchID); err != nil {
		return fmt.Errorf("qbd: lose batch: %w", err)
	}
	items, err := db.LockQBDBatchWork(ctx, tx, accountID, batchID, db.WorkInFlight)
	if err != nil {
		return fmt.Errorf("qbd: lose batch: %w", err)
	}
	for i := range items {
		if err := e.apply(ctx, tx, lostOutcome(&items[i])); err != nil {
			return err
		}
	}
	return db.MarkQBDBatchLost(ctx, tx, batchID)
}

// lostOutcome decides what becomes of an item whose answer was lost.
func lostOutcome(it *db.QBDWorkItem) outcome {
	switch {
	case it.LookupType != nil:
		return outcome{item: it, status: db.WorkInDoubt, msg: "answer lost; QuickBooks will be asked before anything is resent"}
	case strings.HasSuffix(it.Kind, "Query"):
		return outcome{item: it, status: db.WorkQueued, msg: "answer lost; asking again"}
	default:
		return outcome{item: it, status: db.WorkFailed, lost: true,
			msg:  "The answer from QuickBooks was lost, and Ledgerlink cannot check whether QuickBooks applied this request.",
			hint: "Look for it in QuickBooks. If it is not there, resync it from Ledgerlink; if it is, leave it."}
	}
}

// Recover settles the message set a dead session left in flight.
func (e *Engine) Recover(ctx context.Context, dead *db.QBWCSession) error {
	if dead.BatchID == nil {
		return nil
	}
	// Two Web Connectors taking each other over settle the same items from both ends: a
	// deadlock Postgres breaks by failing this side is run again.
	return e.DB.RunInTxRetrying(ctx, 3, func(ctx context.Context, tx bun.Tx) error {
		if err := db.ClearQBWCSessionBatch(ctx, tx, dead.AccountID, dead.Ticket); err != nil {
			return err
		}
		return e.loseBatch(ctx, tx, dead.AccountID, *dead.BatchID)
	})
}

// ReceiveLate applies an answer that reached a session already closed (taken over by a newer
// session, or expired) to the message set it answers: the session's last one, when that is a
// work set whose answer never came. What QuickBooks says it did is still the truth, applied
// idempotently with the reconciliation: items still in flight or in doubt take their answer;
// an item whose lookup found nothing and that waits to be sent again is settled only by an
// answer saying QuickBooks applied it; items settled otherwise (found by the lookup, sent
// again) are left as they are. A late answer to lookups is ignored: they are asked again. An
// unreadable answer changes nothing (the set stays lost).
func (e *Engine) ReceiveLate(ctx context.Context, s *db.QBWCSession, response string) error {
	resp, err := qbxml.ParseResponse([]byte(response))
	if err != nil {
		e.logger().InfoContext(ctx, "qbd: unreadable late response", "ticket", s.Ticket, "err", err)
		return nil
	}
	// The newer session may be settling the same items (their lookups) right now: a deadlock
	// Postgres breaks by failing this side is run again rather than losing the answer
	// (TestTwoWebConnectorsRace once met one in CI).
	return e.DB.RunInTxRetrying(ctx, 3, func(ctx context.Context, tx bun.Tx) error {
		return e.receiveLate(ctx, tx, s.AccountID, s.Ticket, resp)
	})
}

func (e *Engine) receiveLate(ctx context.Context, tx bun.Tx, accountID int64, ticket string, resp *qbxml.MsgSetResponse) error {
	batch, err := db.LockLastQBDBatchOfTicket(ctx, tx, ticket)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	} else if err != nil {
		return fmt.Errorf("qbd: late answer: %w", err)
	}
	if batch.Kind != batchWork || batch.ReceivedAt != nil {
		return nil
	}
	items, err := db.LockQBDWorkByID(ctx, tx, accountID, batch.ConnectionID, batch.ItemIDs)
	if err != nil {
		return fmt.Errorf("qbd: late answer: %w", err)
	}
	waiting := map[int64]bool{} // not found by a lookup, waiting to be sent again
	items = only(items, func(it *db.QBDWorkItem) bool {
		switch {
		case it.Status == db.WorkInFlight:
			return it.BatchID != nil && *it.BatchID == batch.ID
		case it.Status == db.WorkInDoubt:
			return true
		case it.Status == db.WorkQueued && it.LookupType != nil && it.BatchID != nil && *it.BatchID != batch.ID:
			waiting[it.ID] = true
			return true
		}
		return false
	})
	var outs []outcome
	for _, o := range workOutcomes(batch, items, resp) {
		switch {
		case o.rs == nil:
			continue // QuickBooks did not answer this one: it stays as the reconciliation left it
		case waiting[o.item.ID] && o.status != db.WorkDone:
			continue
		}
		o.msg = "answer arrived after the Web Connector's session was taken over: " + o.msg
		outs = append(outs, o)
	}
	done, err := e.applyAll(ctx, tx, outs)
	if err != nil {
		return err
	}
	e.logger().InfoContext(ctx, "qbd: late answer applied", "batch", batch.ID, "items", len(outs), "done", done)
	if err := db.FinishQBDBatch(ctx, tx, batch, e.now(), fmt.Sprintf("late answer: %d of %d done", done, batch.RequestCount)); err != nil {
		return fmt.Errorf("qbd: %w", err)
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

// reconcileOutcome settles one in-doubt item from its lookup's answer and matching records. An
// item not found while the Web Connector it was handed to may still be delivering it (sent
// within the grace) stays in doubt: it is asked about again once the grace has passed, unless
// that Web Connector's late answer settles it first.
func (e *Engine) reconcileOutcome(it *db.QBDWorkItem, rs *qbxml.Rs, found []found) outcome {
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
			if !nameClash && it.SentAt != nil && it.SentAt.After(e.now().Add(-e.inDoubtGrace())) {
				o.status = db.WorkInDoubt
				o.msg = fmt.Sprintf("not in QuickBooks yet; the Web Connector it was handed to may still deliver it, "+
					"so QuickBooks is asked again %s after it was sent, before it is sent again", e.inDoubtGrace())
			}
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

// rescueOrphans settles message sets of account accountID's connection left in flight by
// sessions that are closed: a safety net for any path that closed a session without Recover.
func (e *Engine) rescueOrphans(ctx context.Context, tx bun.Tx, accountID, connectionID int64) error {
	batchIDs, err := db.OrphanQBDBatches(ctx, tx, accountID, connectionID)
	if err != nil {
		return fmt.Errorf("qbd: %w", err)
	}
	for _, id := range batchIDs {
		if err := e.loseBatch(ctx, tx, accountID, id); err != nil {
			return err
		}
	}
	return nil
}

// DefaultInDoubtGrace is three times the message-set budget: longer than any message set
// QuickBooks can still be working on, so a Web Connector taken over by a newer session has
// delivered its message set, or given up, by then.
const DefaultInDoubtGrace = 3 * time.Minute

func (e *Engine) inDoubtGrace() time.Duration {
	if e.InDoubtGrace > 0 {
		return e.InDoubtGrace
	}
	return DefaultInDoubtGrace
}
