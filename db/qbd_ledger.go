package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// The QuickBooks Desktop ledger (qbd_ledger): which QuickBooks object each of our documents
// became. The engine (jobs/qbd) reads and writes it in the transactions that queue and settle
// work, so a document is in the ledger exactly when its work is done.

// QBDLedgerHas reports whether the ledger of connectionID holds docKey.
func QBDLedgerHas(ctx context.Context, idb bun.IDB, connectionID int64, docKey string) (bool, error) {
	posted, err := idb.NewSelect().Model((*QBDLedgerEntry)(nil)).
		Where("connection_id = ? AND doc_key = ?", connectionID, docKey).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("db: ledger %s: %w", docKey, err)
	}
	return posted, nil
}

// QBDLedgerHasInAccount reports whether the ledger of any QuickBooks connection of accountID
// holds docKey.
func QBDLedgerHasInAccount(ctx context.Context, idb bun.IDB, accountID int64, docKey string) (bool, error) {
	posted, err := idb.NewSelect().Model((*QBDLedgerEntry)(nil)).
		Where("connection_id IN (?) AND doc_key = ?", accountConnections(idb, accountID), docKey).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("db: ledger %s: %w", docKey, err)
	}
	return posted, nil
}

// QBDLedgerEntryOf returns the ledger entry of docKey on connectionID, or ErrNotFound.
func QBDLedgerEntryOf(ctx context.Context, idb bun.IDB, connectionID int64, docKey string) (*QBDLedgerEntry, error) {
	return getRow[QBDLedgerEntry](ctx, idb, fmt.Sprintf("ledger %q", docKey), "lg.connection_id = ? AND lg.doc_key = ?", connectionID, docKey)
}

// AddQBDLedgerEntry stores e unless the ledger holds e's document already: added is false then,
// and the entry there is kept.
func AddQBDLedgerEntry(ctx context.Context, idb bun.IDB, e *QBDLedgerEntry) (added bool, err error) {
	res, err := idb.NewInsert().Model(e).On("CONFLICT (connection_id, doc_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("db: ledger %s: %w", e.DocKey, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// QBDLedgerByQBIDs returns the ledger entries of connectionID whose QuickBooks object is one of
// qbIDs (TxnIDs or ListIDs). Several documents may name one object: duplicates adopted into
// the ledger point at the object that was there already.
func QBDLedgerByQBIDs(ctx context.Context, idb bun.IDB, connectionID int64, qbIDs []string) ([]QBDLedgerEntry, error) {
	return selectRows[QBDLedgerEntry](ctx, idb, "ledger by QuickBooks id", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("connection_id = ? AND qb_id IN (?)", connectionID, bun.List(qbIDs))
	})
}
