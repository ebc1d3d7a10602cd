package qbd

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

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
		if err := e.rescueOrphans(ctx, tx, s.AccountID, s.ConnectionID); err != nil {
			return err
		}
		if s.BatchID != nil {
			// A sendRequestXML after a send without its receive: that answer is lost.
			if err := e.loseBatch(ctx, tx, s.AccountID, *s.BatchID); err != nil {
				return err
			}
			s.BatchID = nil
		}
		conn, err := db.LockQBDConnection(ctx, tx, s.AccountID, s.ConnectionID)
		if err != nil {
			return fmt.Errorf("qbd: next: %w", err)
		}
		n := e.batchSize(conn)
		kind := batchReconcile
		items, err := db.InDoubtQBDWork(ctx, tx, s.AccountID, s.ConnectionID, e.now().Add(-e.inDoubtGrace()), n)
		if err != nil {
			return fmt.Errorf("qbd: next: in doubt: %w", err)
		}
		if len(items) == 0 {
			// Duplicate checks: documents that may already be in QuickBooks are looked up
			// (grouped) before their first send.
			kind = batchPrecheck
			if items, err = db.PrecheckQBDWork(ctx, tx, s.AccountID, s.ConnectionID, n); err != nil {
				return fmt.Errorf("qbd: next: pre-checks: %w", err)
			}
		}
		if len(items) == 0 {
			kind = batchWork
			if items, err = e.readyItems(ctx, tx, s.AccountID, s.ConnectionID, n); err != nil {
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
		if err := db.InsertQBDBatch(ctx, tx, batch); err != nil {
			return fmt.Errorf("qbd: next: %w", err)
		}
		mark := db.MarkQBDWorkLookedUp
		if kind == batchWork {
			mark = db.MarkQBDWorkInFlight
		}
		if err := mark(ctx, tx, s.AccountID, ids, batch.ID, e.now()); err != nil {
			return fmt.Errorf("qbd: next: %w", err)
		}
		if kind == batchWork {
			if err := e.sending(ctx, tx, items); err != nil {
				return fmt.Errorf("qbd: next: %w", err)
			}
		}
		s.BatchID = &batch.ID
		s.SentRequests += len(items)
		if err := db.SaveQBWCSessionSent(ctx, tx, s); err != nil {
			return fmt.Errorf("qbd: next: %w", err)
		}
		msg = string(b)
		return nil
	})
	return msg, err
}

// readyItems returns up to n queued items of account accountID's connection whose dependencies
// are all done, oldest first. An
// item marked solo (its message set was rejected whole) goes alone, to find the bad request.
func (e *Engine) readyItems(ctx context.Context, tx bun.Tx, accountID, connectionID int64, n int) ([]db.QBDWorkItem, error) {
	items, err := db.ReadyQBDWork(ctx, tx, accountID, connectionID, n)
	if err != nil {
		return nil, fmt.Errorf("qbd: %w", err)
	}
	if len(items) > 0 && items[0].Solo {
		return items[:1], nil
	}
	return items, nil
}

// lockSession locks the session row for the transaction and reloads it, so a takeover by
// another Web Connector (which closes it) and this call cannot interleave. It reports whether
// the session is still open.
func lockSession(ctx context.Context, tx bun.Tx, s *db.QBWCSession) (bool, error) {
	// Only the columns another process may change are reloaded: the caller's copy carries
	// changes of its own (qbXML version, company file) that it writes after this call.
	state, batchID, err := db.LockQBWCSession(ctx, tx, s.AccountID, s.Ticket)
	if err != nil {
		return false, fmt.Errorf("qbd: %w", err)
	}
	s.State, s.BatchID = state, batchID
	return s.State == db.SessionOpen, nil
}
