package qbd

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
)

// ErrHandedOver is returned by Withdraw for a document whose work the Web Connector has been
// handed (in flight, in doubt, in a message set not yet answered) or that QuickBooks settled:
// QuickBooks may have it, so it is neither changed nor taken back.
var ErrHandedOver = errors.New("qbd: document already handed to QuickBooks")

// Withdraw takes docKey's queued work item of accountID out of the queue, inside tx, so the
// caller can queue a new version of the document in the same transaction. It returns the
// withdrawn item (its DependsOn may still matter to the new version), or nil when the document
// has no unfinished work; ErrAlreadyPosted when the ledger has it; ErrHandedOver when the Web
// Connector has been handed it.
//
// The item's row is locked first, as the Web Connector's claim (Engine.Next) locks it, so the
// two cannot both win: a claim that locked it first is waited for and then seen (the item is no
// longer queued), and a claim that comes second skips or no longer finds it.
func (e *Engine) Withdraw(ctx context.Context, tx bun.Tx, accountID int64, docKey string) (*db.QBDWorkItem, error) {
	w, err := db.LockUnfinishedQBDWorkOfAccount(ctx, tx, accountID, docKey)
	switch {
	case errors.Is(err, db.ErrNotFound):
		posted, err := db.QBDLedgerHasInAccount(ctx, tx, accountID, docKey)
		if err != nil {
			return nil, fmt.Errorf("qbd: withdraw %s: ledger: %w", docKey, err)
		}
		if posted {
			return nil, fmt.Errorf("%w: %s", ErrAlreadyPosted, docKey)
		}
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("qbd: withdraw %s: %w", docKey, err)
	}
	if w.Status != db.WorkQueued {
		return nil, fmt.Errorf("%w: %s is %s", ErrHandedOver, docKey, w.Status)
	}
	if w.BatchID != nil {
		// A duplicate check (a lookup) for it may be with QuickBooks; its answer is applied to
		// this item, so the item stays until that answer came or was lost.
		open, err := db.QBDBatchUnanswered(ctx, tx, *w.BatchID)
		if err != nil {
			return nil, fmt.Errorf("qbd: withdraw %s: batch: %w", docKey, err)
		}
		if open {
			return nil, fmt.Errorf("%w: %s is in a message set not answered yet", ErrHandedOver, docKey)
		}
	}
	if err := db.DeleteQBDWork(ctx, tx, w); err != nil {
		return nil, fmt.Errorf("qbd: withdraw %s: %w", docKey, err)
	}
	return w, nil
}
