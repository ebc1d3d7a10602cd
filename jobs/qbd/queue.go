package qbd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// Item describes work to queue. Lookup finds the object Request creates; every Add should
// have one: an Add without it whose answer is lost cannot be checked, so it fails for the
// merchant to verify by hand rather than be resent blind.
type Item struct {
	AccountID    int64
	ConnectionID int64
	DocKey       string
	Request      qbxml.Request
	Lookup       *Lookup
	DependsOn    []int64
	// CheckFirst asks QuickBooks (with Lookup, grouped with other items) whether the document
	// is already there before sending it: the duplicate check for documents that someone else
	// may have entered. Found → not sent, adopted, Outcome.Duplicate.
	CheckFirst bool
}

// Enqueued is what Enqueue stored (or found already queued) and the text adjustments made to
// fit QuickBooks' field lengths and character set.
type Enqueued struct {
	Item        *db.QBDWorkItem
	Existing    bool
	Adjustments []qbxml.Adjustment
}

// Enqueue stores it unless the ledger already holds its document (ErrAlreadyPosted) or an
// unfinished item for the same document exists (returned with Existing set). A request that
// cannot be written as valid qbXML is refused with the qbxml error, before it is stored. The
// ledger check and the insert run in one transaction of their own.
func (e *Engine) Enqueue(ctx context.Context, it Item) (*Enqueued, error) {
	var res *Enqueued
	err := e.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		res, err = e.EnqueueTx(ctx, tx, it)
		return err
	})
	return res, err
}

// EnqueueTx is Enqueue inside the caller's transaction (e.g. a Settled hook queueing the payment
// of an invoice QuickBooks just created).
func (e *Engine) EnqueueTx(ctx context.Context, idb bun.IDB, it Item) (*Enqueued, error) {
	posted, err := db.QBDLedgerHas(ctx, idb, it.ConnectionID, it.DocKey)
	if err != nil {
		return nil, fmt.Errorf("qbd: enqueue: %w", err)
	}
	if posted {
		return nil, fmt.Errorf("%w: %s", ErrAlreadyPosted, it.DocKey)
	}
	w, adj, err := workItem(it)
	if err != nil {
		return nil, err
	}
	inserted, err := db.InsertQBDWork(ctx, idb, w)
	if err != nil {
		return nil, fmt.Errorf("qbd: enqueue: %w", err)
	}
	if !inserted {
		existing, err := db.UnfinishedQBDWork(ctx, idb, it.AccountID, it.ConnectionID, it.DocKey)
		if err != nil {
			return nil, fmt.Errorf("qbd: enqueue %s: find existing: %w", it.DocKey, err)
		}
		if existing.Status == db.WorkDone {
			return nil, fmt.Errorf("%w: %s", ErrAlreadyPosted, it.DocKey)
		}
		return &Enqueued{Item: existing, Existing: true}, nil
	}
	return &Enqueued{Item: w, Adjustments: adj}, nil
}

// workItem is the row that queues it, and the text adjustments its qbXML needed; an item
// whose request cannot be written as valid qbXML, or whose lookup is unusable, is refused.
func workItem(it Item) (*db.QBDWorkItem, []qbxml.Adjustment, error) {
	frag, adj, err := qbxml.Encode(it.Request)
	if err != nil {
		return nil, nil, fmt.Errorf("qbd: %s: %w", it.DocKey, err)
	}
	w := &db.QBDWorkItem{AccountID: it.AccountID, ConnectionID: it.ConnectionID, DocKey: it.DocKey,
		Kind: strings.TrimSuffix(qbxml.Kind(it.Request), "Rq"), Request: frag, DependsOn: it.DependsOn, Status: db.WorkQueued}
	if w.DependsOn == nil {
		w.DependsOn = []int64{}
	}
	if it.CheckFirst && it.Lookup == nil {
		return nil, nil, fmt.Errorf("qbd: %s: CheckFirst needs a Lookup", it.DocKey)
	}
	w.CheckFirst = it.CheckFirst
	if it.Lookup != nil {
		if !it.Lookup.valid() {
			return nil, nil, fmt.Errorf("qbd: %s: lookup %+v names no known type or no value", it.DocKey, *it.Lookup)
		}
		t := string(it.Lookup.Type)
		w.LookupType, w.LookupValue, w.LookupMarker, w.LookupDate = &t, it.Lookup.stored(), it.Lookup.Marker, it.Lookup.Date
	}
	return w, adj, nil
}

// fillingKey marks a connection whose workers are still preparing work.
func fillingKey(connectionID int64) string {
	return fmt.Sprintf("ledgerlink:qbd:filling:%d", connectionID)
}

// MarkFilling tells waiting Web Connector sessions that workers are adding work for the next
// ttl: the SOAP route answers NoOp instead of ending the session.
func (e *Engine) MarkFilling(ctx context.Context, connectionID int64, ttl time.Duration) error {
	return e.Redis.Set(ctx, fillingKey(connectionID), 1, ttl).Err()
}

// DoneFilling clears MarkFilling.
func (e *Engine) DoneFilling(ctx context.Context, connectionID int64) error {
	return e.Redis.Del(ctx, fillingKey(connectionID)).Err()
}

// Filling reports whether workers are still adding work for the connection.
func (e *Engine) Filling(ctx context.Context, connectionID int64) (bool, error) {
	n, err := e.Redis.Exists(ctx, fillingKey(connectionID)).Result()
	if err != nil {
		return false, fmt.Errorf("qbd: filling flag: %w", err)
	}
	return n > 0, nil
}

// Pending counts the work waiting for account accountID's connection: queued, in doubt, or
// left in flight.
func (e *Engine) Pending(ctx context.Context, accountID, connectionID int64) (int, error) {
	n, err := e.DB.PendingQBDWork(ctx, accountID, connectionID, db.WorkQueued, db.WorkInDoubt, db.WorkInFlight)
	if err != nil {
		return 0, fmt.Errorf("qbd: pending: %w", err)
	}
	return n, nil
}
