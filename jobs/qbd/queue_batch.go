package qbd

import (
	"context"
	"fmt"
	"maps"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
)

// Queued is the outcome of one item of EnqueueBatchTx: what Enqueue would have returned for
// it, Res or Err (ErrAlreadyPosted, or the qbXML error of a request that cannot be written).
type Queued struct {
	Res *Enqueued
	Err error
}

// EnqueueBatchTx is EnqueueTx for each of items in turn, inside the caller's transaction, in
// three statements whatever their number when they are one account's (as a sync's are): the
// ledger check, the insert, and the look-up of documents already queued (one per account). Items for the same document behave as consecutive EnqueueTx calls
// would: the first is stored, the later ones find it (Existing). The outcomes are in the order
// of items; the error is a database failure, after which the transaction must not commit.
func (e *Engine) EnqueueBatchTx(ctx context.Context, idb bun.IDB, items []Item) ([]Queued, error) {
	out := make([]Queued, len(items))
	keys := make([]db.WorkKey, len(items))
	for i, it := range items {
		keys[i] = db.WorkKey{ConnectionID: it.ConnectionID, DocKey: it.DocKey}
	}
	posted, err := db.QBDLedgerHasAny(ctx, idb, keys)
	if err != nil {
		return nil, fmt.Errorf("qbd: enqueue: %w", err)
	}
	first := map[db.WorkKey]int{} // the item that stores each document
	var rows []*db.QBDWorkItem
	dupOf := map[int]bool{} // items for a document an earlier item of the batch stores
	for i, it := range items {
		k := keys[i]
		if posted[k] {
			out[i].Err = fmt.Errorf("%w: %s", ErrAlreadyPosted, it.DocKey)
			continue
		}
		if _, dup := first[k]; dup {
			dupOf[i] = true
			continue // settled below from the first one's outcome
		}
		w, adj, err := workItem(it)
		if err != nil {
			out[i].Err = err
			continue
		}
		first[k] = i
		out[i].Res = &Enqueued{Item: w, Adjustments: adj}
		rows = append(rows, w)
	}
	stored, err := db.InsertQBDWorkItems(ctx, idb, rows)
	if err != nil {
		return nil, fmt.Errorf("qbd: enqueue: %w", err)
	}
	var taken []db.WorkKey
	takenOf := map[int64][]db.WorkKey{} // by account: each look-up is scoped to one
	for k, i := range first {
		if w := stored[k]; w != nil {
			out[i].Res.Item = w
		} else {
			taken = append(taken, k)
			takenOf[items[i].AccountID] = append(takenOf[items[i].AccountID], k)
		}
	}
	existing := map[db.WorkKey]*db.QBDWorkItem{}
	for accountID, keys := range takenOf {
		found, err := db.UnfinishedQBDWorkFor(ctx, idb, accountID, keys)
		if err != nil {
			return nil, fmt.Errorf("qbd: enqueue: find existing: %w", err)
		}
		maps.Copy(existing, found)
	}
	for _, k := range taken {
		i := first[k]
		w := existing[k]
		switch {
		case w == nil:
			// Not stored and not there: a conflicting item finished as failed in between,
			// which only a concurrent transaction can do; the caller's transaction retries.
			return nil, fmt.Errorf("qbd: enqueue %s: neither stored nor queued", items[i].DocKey)
		case w.Status == db.WorkDone:
			out[i] = Queued{Err: fmt.Errorf("%w: %s", ErrAlreadyPosted, items[i].DocKey)}
		default:
			out[i] = Queued{Res: &Enqueued{Item: w, Existing: true}}
		}
	}
	for i := range items {
		if !dupOf[i] {
			continue
		}
		j := first[keys[i]]
		// A later item for a document stored (or found) by an earlier one of the batch.
		switch r := out[j]; {
		case r.Err != nil:
			out[i].Err = r.Err
		default:
			out[i].Res = &Enqueued{Item: r.Res.Item, Existing: true}
		}
	}
	return out, nil
}
