package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// The QuickBooks Desktop work-item queue (jobs/qbd): every query the engine runs on
// qbd_work_items, qbd_batches and the session and connection rows it locks. Each function takes
// a bun.IDB so the engine composes them in one transaction per Web Connector call (claim and
// hand over, or apply an answer and settle the owners' documents); the row locks they take are
// what keeps two Web Connectors, or a claim and a withdrawal, from both winning.
//
// Every query on an account's rows (work items, connections, Web Connector sessions) is scoped
// to accountID as well as to the connection, batch, ticket or row it names: the ids come from an
// authenticated session or a task of that account, so the scope never narrows a correct call,
// but a caller that mixed up ids reads and changes nothing of another account. Message sets
// (qbd_batches) carry no account; they are reached through their account's work and sessions.

// InsertQBDWork stores w (every column, filled back from the row) unless the connection has an
// unfinished (not failed) item for w's document already; inserted is false then and w is left
// as it was. The partial unique index on (connection_id, doc_key) decides, so two workers
// queueing one document at once store it once.
func InsertQBDWork(ctx context.Context, idb bun.IDB, w *QBDWorkItem) (inserted bool, err error) {
	res, err := idb.NewInsert().Model(w).
		On("CONFLICT (connection_id, doc_key) WHERE status <> 'failed' DO NOTHING").
		Returning("*").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("db: queue %s: %w", w.DocKey, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// UnfinishedQBDWork returns the item of account accountID's connection for docKey that has not
// failed (queued, in flight, in doubt or done), or ErrNotFound.
func UnfinishedQBDWork(ctx context.Context, idb bun.IDB, accountID, connectionID int64, docKey string) (*QBDWorkItem, error) {
	w := new(QBDWorkItem)
	err := idb.NewSelect().Model(w).
		Where("account_id = ? AND connection_id = ? AND doc_key = ? AND status <> ?", accountID, connectionID, docKey, WorkFailed).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: work item %s: %w", docKey, translate(err))
	}
	return w, nil
}

// CountQBDWorkIn counts the items of account accountID's connection in any of statuses.
func CountQBDWorkIn(ctx context.Context, idb bun.IDB, accountID, connectionID int64, statuses ...string) (int, error) {
	n, err := idb.NewSelect().Model((*QBDWorkItem)(nil)).
		Where("account_id = ? AND connection_id = ? AND status IN (?)", accountID, connectionID, bun.List(statuses)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("db: count work items: %w", err)
	}
	return int(n), nil
}

// InDoubtQBDWork returns up to limit in-doubt items of account accountID's connection that a
// lookup can settle, oldest first: every one not yet looked up since its answer was lost, and
// those a lookup did not find only once their request was sent before sentBefore (the Web
// Connector that had it may still be delivering it to QuickBooks until then).
func InDoubtQBDWork(ctx context.Context, idb bun.IDB, accountID, connectionID int64, sentBefore time.Time, limit int) ([]QBDWorkItem, error) {
	return selectRows[QBDWorkItem](ctx, idb, "in-doubt work", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("w.account_id = ? AND w.connection_id = ? AND w.status = ? AND w.lookup_type IS NOT NULL",
			accountID, connectionID, WorkInDoubt).
			// An answered reconcile batch as the item's last batch means its lookup came back
			// without settling it (not found within the grace, or a transient error).
			Where("NOT (COALESCE(w.sent_at, '-infinity') > ? AND EXISTS (SELECT 1 FROM qbd_batches b "+
				"WHERE b.id = w.batch_id AND b.kind = 'reconcile' AND b.received_at IS NOT NULL))", sentBefore).
			OrderExpr("w.id").Limit(int64(limit))
	})
}

// PrecheckQBDWork returns up to limit queued items of account accountID's connection still
// waiting for their duplicate check (check_first), oldest first.
func PrecheckQBDWork(ctx context.Context, idb bun.IDB, accountID, connectionID int64, limit int) ([]QBDWorkItem, error) {
	return selectRows[QBDWorkItem](ctx, idb, "pre-check work", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("w.account_id = ? AND w.connection_id = ? AND w.status = ? AND w.check_first", accountID, connectionID, WorkQueued).
			OrderExpr("w.id").Limit(int64(limit))
	})
}

// ReadyQBDWork claims up to limit queued items of account accountID's connection whose
// dependencies are all done: solo items (to be sent alone) first, then oldest first. The rows
// are locked for the transaction; rows another transaction holds (a Withdraw) are skipped, not
// waited for.
func ReadyQBDWork(ctx context.Context, tx bun.IDB, accountID, connectionID int64, limit int) ([]QBDWorkItem, error) {
	return selectRows[QBDWorkItem](ctx, tx, "ready work", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("w.account_id = ? AND w.connection_id = ? AND w.status = ?", accountID, connectionID, WorkQueued).
			Where("NOT EXISTS (SELECT 1 FROM qbd_work_items d WHERE d.id = ANY(w.depends_on) AND d.status <> ?)", WorkDone).
			OrderExpr("w.solo DESC, w.id").Limit(int64(limit)).For("UPDATE OF w SKIP LOCKED")
	})
}

// MarkQBDWorkInFlight records items ids of account accountID as sent in batchID at now: in
// flight, one more attempt.
func MarkQBDWorkInFlight(ctx context.Context, idb bun.IDB, accountID int64, ids []int64, batchID int64, now time.Time) error {
	_, err := idb.NewUpdate().Model((*QBDWorkItem)(nil)).Set("batch_id = ?", batchID).Set("updated_at = ?", now).
		Set("sent_at = ?", now).
		Set("status = ?", WorkInFlight).Set("attempts = attempts + 1").
		Where("id IN (?) AND account_id = ?", bun.List(ids), accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: mark work in flight: %w", err)
	}
	return nil
}

// MarkQBDWorkLookedUp records that batchID carries the lookups of items ids of account
// accountID (an in-doubt reconciliation or a duplicate check); their status does not change. The rows are locked in id
// order first, as LockQBDWorkByID and LockQBDBatchWork lock them: an UPDATE alone locks in the
// order it reads the heap, and could hold one item while waiting for another held by a
// transaction about to ask for the first (a deadlock).
func MarkQBDWorkLookedUp(ctx context.Context, idb bun.IDB, accountID int64, ids []int64, batchID int64, now time.Time) error {
	locked := idb.NewSelect().Model((*QBDWorkItem)(nil)).Column("id").
		Where("id IN (?) AND account_id = ?", bun.List(ids), accountID).
		OrderExpr("id").For("UPDATE")
	_, err := idb.NewUpdate().Model((*QBDWorkItem)(nil)).Set("batch_id = ?", batchID).Set("updated_at = ?", now).
		Where("id IN (?)", locked).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: mark work looked up: %w", err)
	}
	return nil
}

// LockQBDBatchWork returns the items of account accountID in batchID in id order, locked for
// the transaction, optionally only those in one of statuses.
func LockQBDBatchWork(ctx context.Context, tx bun.IDB, accountID, batchID int64, statuses ...string) ([]QBDWorkItem, error) {
	var items []QBDWorkItem
	q := tx.NewSelect().Model(&items).Where("batch_id = ? AND account_id = ?", batchID, accountID)
	if len(statuses) == 1 {
		q = q.Where("status = ?", statuses[0])
	} else if len(statuses) > 1 {
		q = q.Where("status IN (?)", bun.List(statuses))
	}
	// In id order, like LockQBDWorkByID: two transactions locking overlapping items cannot
	// deadlock on them.
	if err := q.OrderExpr("id").For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: work of batch %d: %w", batchID, err)
	}
	return items, nil
}

// SaveQBDWorkOutcome writes what an answer (or its absence) did to it: status, QuickBooks'
// code, message and response summary, the object's id and EditSequence, the request (a
// re-applied Mod carries a new EditSequence) and whether the duplicate check is still due. Like
// every write of a row the caller holds, it touches the row only within it.AccountID.
func SaveQBDWorkOutcome(ctx context.Context, idb bun.IDB, it *QBDWorkItem) error {
	cols := []string{"status", "status_code", "status_message", "updated_at", "response", "qb_id", "edit_sequence", "request", "check_first"}
	if _, err := idb.NewUpdate().Model(it).Column(cols...).WherePK().Where("account_id = ?", it.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: update work item %d: %w", it.ID, err)
	}
	return nil
}

// SetQBDWorkSolo writes it.Solo: a solo item is sent in a message set of its own.
func SetQBDWorkSolo(ctx context.Context, idb bun.IDB, it *QBDWorkItem) error {
	if _, err := idb.NewUpdate().Model(it).Column("solo").WherePK().Where("account_id = ?", it.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: work item %d solo: %w", it.ID, err)
	}
	return nil
}

// SetQBDWorkDependsOn writes it.DependsOn.
func SetQBDWorkDependsOn(ctx context.Context, idb bun.IDB, it *QBDWorkItem) error {
	if _, err := idb.NewUpdate().Model(it).Column("depends_on").WherePK().Where("account_id = ?", it.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: work item %d dependencies: %w", it.ID, err)
	}
	return nil
}

// FailQBDDependents fails every queued item of account accountID that waits, directly or
// through other queued items, on item failedID, with message msg, and returns them.
func FailQBDDependents(ctx context.Context, idb bun.IDB, accountID, failedID int64, msg string, now time.Time) ([]QBDWorkItem, error) {
	var deps []QBDWorkItem
	err := idb.NewRaw(`WITH RECURSIVE dep(id) AS (
			SELECT id FROM qbd_work_items WHERE ? = ANY(depends_on) AND status = ? AND account_id = ?
			UNION SELECT w.id FROM qbd_work_items w JOIN dep ON dep.id = ANY(w.depends_on) WHERE w.status = ? AND w.account_id = ?)
		UPDATE qbd_work_items SET status = ?, status_message = ?, updated_at = ?
		WHERE id IN (SELECT id FROM dep) AND account_id = ? RETURNING *`,
		failedID, WorkQueued, accountID, WorkQueued, accountID, WorkFailed, msg, now, accountID).Scan(ctx, &deps)
	if err != nil {
		return nil, fmt.Errorf("db: fail dependents of %d: %w", failedID, err)
	}
	return deps, nil
}

// LockUnfinishedQBDWorkOfAccount returns the unfinished (not failed) item for docKey on any
// QuickBooks connection of accountID, its row locked for the transaction (waiting for a claim
// that holds it), or ErrNotFound.
func LockUnfinishedQBDWorkOfAccount(ctx context.Context, tx bun.IDB, accountID int64, docKey string) (*QBDWorkItem, error) {
	w := new(QBDWorkItem)
	err := tx.NewSelect().Model(w).
		Where("w.connection_id IN (?) AND w.doc_key = ? AND w.status <> ?", accountConnections(tx, accountID), docKey, WorkFailed).
		For("UPDATE OF w").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: work item %s: %w", docKey, translate(err))
	}
	return w, nil
}

// DeleteQBDWork removes w (within w.AccountID) from the queue.
func DeleteQBDWork(ctx context.Context, idb bun.IDB, w *QBDWorkItem) error {
	if _, err := idb.NewDelete().Model(w).WherePK().Where("account_id = ?", w.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: delete work item %d: %w", w.ID, err)
	}
	return nil
}

// accountConnections is the subquery of accountID's QuickBooks connection ids.
func accountConnections(idb bun.IDB, accountID int64) *bun.SelectQuery {
	return idb.NewSelect().Table("qbd_connections").Column("id").Where("account_id = ?", accountID)
}

// InsertQBDBatch stores b (filled back from the row).
func InsertQBDBatch(ctx context.Context, idb bun.IDB, b *QBDBatch) error {
	if _, err := idb.NewInsert().Model(b).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("db: store batch: %w", err)
	}
	return nil
}

// LockQBDBatch returns batch id, its row locked for the transaction.
func LockQBDBatch(ctx context.Context, tx bun.IDB, id int64) (*QBDBatch, error) {
	return lockRow[QBDBatch](ctx, tx, fmt.Sprintf("batch %d", id), "id = ?", id)
}

// LockLastQBDBatchOfTicket returns the last message set handed to the session of ticket, its
// row locked for the transaction, or ErrNotFound.
func LockLastQBDBatchOfTicket(ctx context.Context, tx bun.IDB, ticket string) (*QBDBatch, error) {
	b := new(QBDBatch)
	if err := tx.NewSelect().Model(b).Where("ticket = ?", ticket).OrderExpr("id DESC").Limit(1).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: last batch of session: %w", translate(err))
	}
	return b, nil
}

// LockQBDWorkByID returns the work items ids of account accountID's connection connectionID,
// their rows locked for the transaction.
func LockQBDWorkByID(ctx context.Context, tx bun.IDB, accountID, connectionID int64, ids []int64) ([]QBDWorkItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return selectRows[QBDWorkItem](ctx, tx, "work items", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("account_id = ? AND connection_id = ? AND id IN (?)", accountID, connectionID, bun.List(ids)).OrderExpr("id").For("UPDATE")
	})
}

// FinishQBDBatch records that b's answer came (or was settled) at now, with outcome.
func FinishQBDBatch(ctx context.Context, idb bun.IDB, b *QBDBatch, now time.Time, outcome string) error {
	if _, err := idb.NewUpdate().Model(b).Set("received_at = ?", now).Set("outcome = ?", outcome).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("db: finish batch %d: %w", b.ID, err)
	}
	return nil
}

// MarkQBDBatchLost records that batchID's answer was lost, unless an answer was received.
func MarkQBDBatchLost(ctx context.Context, idb bun.IDB, batchID int64) error {
	_, err := idb.NewUpdate().Model((*QBDBatch)(nil)).Set("outcome = ?", "answer lost").
		Where("id = ? AND received_at IS NULL", batchID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: batch %d lost: %w", batchID, err)
	}
	return nil
}

// QBDBatchUnanswered reports whether batchID is still with the Web Connector: no answer
// received and not settled as lost.
func QBDBatchUnanswered(ctx context.Context, idb bun.IDB, batchID int64) (bool, error) {
	open, err := idb.NewSelect().Model((*QBDBatch)(nil)).
		Where("id = ? AND received_at IS NULL AND outcome = ''", batchID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("db: batch %d: %w", batchID, err)
	}
	return open, nil
}

// OrphanQBDBatches returns the message sets holding in-flight work of account accountID's
// connection whose session is closed: nobody will deliver their answer.
func OrphanQBDBatches(ctx context.Context, idb bun.IDB, accountID, connectionID int64) ([]int64, error) {
	var batchIDs []int64
	err := idb.NewRaw(`SELECT DISTINCT w.batch_id FROM qbd_work_items w
		JOIN qbd_batches b ON b.id = w.batch_id
		JOIN qbwc_sessions s ON s.ticket = b.ticket
		WHERE w.account_id = ? AND w.connection_id = ? AND w.status = ? AND s.state = ?`,
		accountID, connectionID, WorkInFlight, SessionClosed).Scan(ctx, &batchIDs)
	if err != nil {
		return nil, fmt.Errorf("db: orphaned batches: %w", err)
	}
	return batchIDs, nil
}

// LockQBDConnection returns account accountID's connection id, its row locked for the
// transaction: one message set is built for a connection at a time.
func LockQBDConnection(ctx context.Context, tx bun.IDB, accountID, id int64) (*QBDConnection, error) {
	c := new(QBDConnection)
	// NO KEY UPDATE serializes the claims all the same but, unlike UPDATE, lets rows that
	// reference the connection be written meanwhile (a late answer adding to the ledger, a
	// log line): their foreign keys take KEY SHARE locks on it, and waiting for those while
	// that transaction waits for an item this one holds would deadlock.
	if err := tx.NewSelect().Model(c).Where("id = ? AND account_id = ?", id, accountID).For("NO KEY UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: lock qbd connection %d: %w", id, translate(err))
	}
	return c, nil
}

// RecordQBDSpeed folds one measurement of QuickBooks' milliseconds per request into the
// exponential average of account accountID's connection (weight 1/4), kept between 1 ms and 2
// minutes.
func RecordQBDSpeed(ctx context.Context, idb bun.IDB, accountID, connectionID int64, msPerRequest int) error {
	_, err := idb.NewUpdate().Model((*QBDConnection)(nil)).
		Set("ms_per_request = GREATEST(1, LEAST(120000, (ms_per_request * 3 + ?) / 4))", msPerRequest).
		Where("id = ? AND account_id = ?", connectionID, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: connection %d speed: %w", connectionID, err)
	}
	return nil
}

// LockQBWCSession locks the session row of ticket of account accountID for the transaction and
// returns the columns another process may change meanwhile: its state and its message set.
func LockQBWCSession(ctx context.Context, tx bun.IDB, accountID int64, ticket string) (state string, batchID *int64, err error) {
	var row struct {
		State   string `bun:"state"`
		BatchID *int64 `bun:"batch_id"`
	}
	err = tx.NewSelect().Model((*QBWCSession)(nil)).Column("state", "batch_id").
		Where("ticket = ? AND account_id = ?", ticket, accountID).For("UPDATE").Scan(ctx, &row)
	if err != nil {
		return "", nil, fmt.Errorf("db: lock qbwc session: %w", translate(err))
	}
	return row.State, row.BatchID, nil
}

// SaveQBWCSessionSent records that s was handed one more message set: its batch_id and
// sent_requests, and message_sets counted up by one; unlike UpdateQBWCSession it leaves
// last_call_at alone. It writes the row only within s.AccountID.
func SaveQBWCSessionSent(ctx context.Context, idb bun.IDB, s *QBWCSession) error {
	err := idb.NewUpdate().Model(s).Set("batch_id = ?", s.BatchID).Set("sent_requests = ?", s.SentRequests).
		Set("message_sets = qs.message_sets + 1").WherePK().Where("qs.account_id = ?", s.AccountID).
		Returning("message_sets").Scan(ctx, &s.MessageSets)
	if err != nil {
		return fmt.Errorf("db: session sent: %w", err)
	}
	return nil
}

// SaveQBWCSessionDone writes s's message set and count of requests done (batch_id,
// done_requests); unlike UpdateQBWCSession it leaves last_call_at alone. It writes the row only
// within s.AccountID.
func SaveQBWCSessionDone(ctx context.Context, idb bun.IDB, s *QBWCSession) error {
	if _, err := idb.NewUpdate().Model(s).Column("batch_id", "done_requests").WherePK().Where("qs.account_id = ?", s.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: session done: %w", err)
	}
	return nil
}

// ClearQBWCSessionBatch records that the session of ticket of account accountID no longer waits
// for a message set.
func ClearQBWCSessionBatch(ctx context.Context, idb bun.IDB, accountID int64, ticket string) error {
	if _, err := idb.NewUpdate().Model((*QBWCSession)(nil)).Set("batch_id = NULL").
		Where("ticket = ? AND account_id = ?", ticket, accountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: clear session batch: %w", err)
	}
	return nil
}

// PendingQBDWork counts the items of account accountID's connection in any of statuses.
func (d *DB) PendingQBDWork(ctx context.Context, accountID, connectionID int64, statuses ...string) (int, error) {
	return CountQBDWorkIn(ctx, d.bun, accountID, connectionID, statuses...)
}
