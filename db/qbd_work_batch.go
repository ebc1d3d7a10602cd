package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// WorkKey names one document of one QuickBooks connection: what the ledger and the unfinished
// work items are unique on.
type WorkKey struct {
	ConnectionID int64
	DocKey       string
}

// QBDLedgerHasAny returns which of keys the ledger holds, in one statement.
func QBDLedgerHasAny(ctx context.Context, idb bun.IDB, keys []WorkKey) (map[WorkKey]bool, error) {
	out := map[WorkKey]bool{}
	if len(keys) == 0 {
		return out, nil
	}
	conns, docs := splitKeys(keys)
	var rows []QBDLedgerEntry
	if err := idb.NewSelect().Model(&rows).Column("connection_id", "doc_key").
		Where("connection_id IN (?) AND doc_key IN (?)", bun.List(conns), bun.List(docs)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: ledger of %d documents: %w", len(keys), err)
	}
	want := keySet(keys)
	for _, r := range rows {
		if k := (WorkKey{r.ConnectionID, r.DocKey}); want[k] {
			out[k] = true
		}
	}
	return out, nil
}

// InsertQBDWorkItems stores items in one statement and returns those stored, keyed by
// document; an item whose document has an unfinished (not failed) item already is not stored
// and is absent. The items must name distinct documents.
func InsertQBDWorkItems(ctx context.Context, idb bun.IDB, items []*QBDWorkItem) (map[WorkKey]*QBDWorkItem, error) {
	out := map[WorkKey]*QBDWorkItem{}
	if len(items) == 0 {
		return out, nil
	}
	var back []QBDWorkItem
	// RETURNING goes to its own slice: with DO NOTHING it may have fewer rows than items.
	if _, err := idb.NewInsert().Model(&items).On("CONFLICT (connection_id, doc_key) WHERE status <> 'failed' DO NOTHING").
		Returning("*").Exec(ctx, &back); err != nil {
		return nil, fmt.Errorf("db: queue %d documents: %w", len(items), err)
	}
	for i := range back {
		out[WorkKey{back[i].ConnectionID, back[i].DocKey}] = &back[i]
	}
	return out, nil
}

// UnfinishedQBDWorkFor returns the unfinished (not failed) items of keys of account accountID,
// keyed by document; documents without one are absent.
func UnfinishedQBDWorkFor(ctx context.Context, idb bun.IDB, accountID int64, keys []WorkKey) (map[WorkKey]*QBDWorkItem, error) {
	out := map[WorkKey]*QBDWorkItem{}
	if len(keys) == 0 {
		return out, nil
	}
	conns, docs := splitKeys(keys)
	var rows []QBDWorkItem
	if err := idb.NewSelect().Model(&rows).
		Where("account_id = ? AND connection_id IN (?) AND doc_key IN (?) AND status <> ?",
			accountID, bun.List(conns), bun.List(docs), WorkFailed).Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: work items of %d documents: %w", len(keys), err)
	}
	want := keySet(keys)
	for i := range rows {
		if k := (WorkKey{rows[i].ConnectionID, rows[i].DocKey}); want[k] {
			out[k] = &rows[i]
		}
	}
	return out, nil
}

// splitKeys lists the distinct connections and documents of keys; the caller keeps only the
// rows whose pair is one of keys.
func splitKeys(keys []WorkKey) (conns []int64, docs []string) {
	seenC, seenD := map[int64]bool{}, map[string]bool{}
	for _, k := range keys {
		if !seenC[k.ConnectionID] {
			seenC[k.ConnectionID] = true
			conns = append(conns, k.ConnectionID)
		}
		if !seenD[k.DocKey] {
			seenD[k.DocKey] = true
			docs = append(docs, k.DocKey)
		}
	}
	return conns, docs
}

func keySet(keys []WorkKey) map[WorkKey]bool {
	m := make(map[WorkKey]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}
