package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// How a Web Connector run (QBWCSession) ended.
const (
	SessionEndClosed          = "closed"           // closeConnection: the Web Connector finished the run
	SessionEndConnectionError = "connection_error" // the Web Connector could not reach QuickBooks (HResult)
	SessionEndTakenOver       = "taken_over"       // a newer authenticate replaced it: an answer was lost
	SessionEndExpired         = "expired"          // the Web Connector went silent in the middle of the run
)

// Kinds of failed authenticate (QBDConnection.AuthFailureKind).
const (
	AuthFailPassword = "password" // wrong password: changed in Ledgerlink, or mistyped in the Web Connector
	AuthFailTimeout  = "timeout"  // answered after AuthTimeout: the Web Connector had shown "Authentication failed"
	AuthFailError    = "error"    // Ledgerlink could not answer
)

// AuthTimeout is how long the Web Connector waits for an answer before it gives up (about two
// minutes, research/qbwc.md §2.6) less a margin: an authenticate answered later than this was
// lost, and the Web Connector showed "Authentication failed".
const AuthTimeout = 110 * time.Second

// Web Connector health statuses (QBDHealth.Status).
const (
	HealthNew     = "new"     // never authenticated, and created less than LateFactor schedules ago
	HealthHealthy = "healthy" // authenticated within LateFactor schedules, runs finish
	HealthLate    = "late"    // silent for more than LateFactor schedules
	HealthFailing = "failing" // silent for more than FailingFactor schedules, or failures repeat
)

// Thresholds of the health status, in multiples of the connection's schedule
// (RunEveryMinutes) and in failures in a row.
const (
	LateFactor       = 3
	FailingFactor    = 12
	RepeatedFailures = 2
)

// RecentRuns is how many of a connection's latest finished runs the status looks at.
const RecentRuns = 5

// QBDHealth is a QuickBooks Desktop connection's Web Connector health.
//
// Status is computed from what the Web Connector did, never from a timer of ours:
//   - failing: the last RepeatedFailures authenticates failed (wrong password, answered after
//     the Web Connector's 2-minute limit, or not answered), or the last RepeatedFailures runs
//     ended in an error (connectionError, QuickBooks refused a whole message set, an answer was
//     lost, the run went silent), or nothing authenticated for FailingFactor × the schedule;
//   - late: nothing authenticated for LateFactor × the schedule (from the last good
//     authenticate, or from the connection's creation if there was none);
//   - new: never authenticated, created less than LateFactor × the schedule ago;
//   - healthy: otherwise.
//
// Since is when the status began: for late and failing-by-silence the moment the threshold was
// crossed, for repeated failures the first of them, for healthy the last good authenticate,
// for new the creation.
type QBDHealth struct {
	ConnectionID    int64
	AccountID       int64
	Name            string
	RunEveryMinutes int
	Status          string
	Since           time.Time
	// Reason is why a late or failing status holds: "silent", "auth_failures" or "run_errors".
	Reason         string
	LastAuthAt     *time.Time
	LastFinishedAt *time.Time
	// AuthFailures and AuthFailureKind: the authenticates that failed in a row, latest kind.
	AuthFailures    int
	AuthFailureKind string
	// ErrorRuns counts the latest finished runs that ended in an error, in a row (at most 5).
	ErrorRuns int
}

// RunFailed reports whether a finished run ended in an error: anything but closeConnection,
// or a close after QuickBooks refused a message set or the version check failed.
func RunFailed(s *QBWCSession) bool {
	return s.EndReason != SessionEndClosed || (s.LastError != "" && s.LastError != "NoOp")
}

// AssessQBDHealth computes c's health at now from its latest finished runs, newest first.
func AssessQBDHealth(c *QBDConnection, runs []QBWCSession, now time.Time) QBDHealth {
	h := QBDHealth{ConnectionID: c.ID, AccountID: c.AccountID, Name: c.Name, RunEveryMinutes: c.RunEveryMinutes,
		LastAuthAt: c.LastAuthAt, LastFinishedAt: c.LastFinishedAt, AuthFailures: c.AuthFailures,
		AuthFailureKind: c.AuthFailureKind}
	var streakStart time.Time
	for i := range runs {
		if !RunFailed(&runs[i]) {
			break
		}
		h.ErrorRuns++
		streakStart = runs[i].StartedAt
	}
	schedule := time.Duration(max(c.RunEveryMinutes, 1)) * time.Minute
	from := c.CreatedAt
	if c.LastAuthAt != nil {
		from = *c.LastAuthAt
	}
	silent := now.Sub(from)
	switch {
	case c.AuthFailures >= RepeatedFailures && c.AuthFailureFirstAt != nil:
		h.Status, h.Since, h.Reason = HealthFailing, *c.AuthFailureFirstAt, "auth_failures"
	case h.ErrorRuns >= RepeatedFailures:
		h.Status, h.Since, h.Reason = HealthFailing, streakStart, "run_errors"
	case silent > FailingFactor*schedule:
		h.Status, h.Since, h.Reason = HealthFailing, from.Add(FailingFactor*schedule), "silent"
	case silent > LateFactor*schedule:
		h.Status, h.Since, h.Reason = HealthLate, from.Add(LateFactor*schedule), "silent"
	case c.LastAuthAt == nil:
		h.Status, h.Since = HealthNew, c.CreatedAt
	default:
		h.Status, h.Since = HealthHealthy, *c.LastAuthAt
	}
	return h
}

// QBDConnectionHealth returns the health at now of every QuickBooks Desktop connection of
// accountID, oldest connection first.
func QBDConnectionHealth(ctx context.Context, idb bun.IDB, accountID int64, now time.Time) ([]QBDHealth, error) {
	var conns []QBDConnection
	if err := idb.NewSelect().Model(&conns).Where("qc.account_id = ?", accountID).OrderExpr("qc.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: qbd health: %w", err)
	}
	if len(conns) == 0 {
		return nil, nil
	}
	// The latest finished runs of each connection (qbwc_sessions_connection_started_idx).
	var runs []QBWCSession
	err := idb.NewRaw(`
		SELECT r.* FROM qbd_connections c, LATERAL (
		    SELECT * FROM qbwc_sessions qs WHERE qs.connection_id = c.id AND qs.state = ?
		    ORDER BY qs.started_at DESC LIMIT ?) r
		WHERE c.account_id = ?
		ORDER BY r.connection_id, r.started_at DESC`, SessionClosed, RecentRuns, accountID).Scan(ctx, &runs)
	if err != nil {
		return nil, fmt.Errorf("db: qbd health runs: %w", err)
	}
	byConn := map[int64][]QBWCSession{}
	for _, r := range runs {
		byConn[r.ConnectionID] = append(byConn[r.ConnectionID], r)
	}
	out := make([]QBDHealth, len(conns))
	for i := range conns {
		out[i] = AssessQBDHealth(&conns[i], byConn[conns[i].ID], now)
	}
	return out, nil
}

// QBDConnectionHealth returns the health at now of accountID's QuickBooks Desktop connections.
func (d *DB) QBDConnectionHealth(ctx context.Context, accountID int64, now time.Time) ([]QBDHealth, error) {
	return QBDConnectionHealth(ctx, d.bun, accountID, now)
}

// QBDHealthAccounts returns the accounts that have a QuickBooks Desktop connection, for jobs
// that look at every account's Web Connector health.
func (d *DB) QBDHealthAccounts(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := d.bun.NewRaw(`SELECT DISTINCT account_id FROM qbd_connections ORDER BY account_id`).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("db: qbd health accounts: %w", err)
	}
	return ids, nil
}

// ListQBDRuns returns up to limit of the latest Web Connector runs of connectionID in
// accountID, newest first, the open one included.
func (d *DB) ListQBDRuns(ctx context.Context, accountID, connectionID int64, limit int) ([]QBWCSession, error) {
	return selectRows[QBWCSession](ctx, d.bun, "qbd runs", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("qs.account_id = ? AND qs.connection_id = ?", accountID, connectionID).
			OrderExpr("qs.started_at DESC").Limit(int64(min(max(limit, 1), 100)))
	})
}

// RecordQBDAuthenticated records an authenticate of account accountID's connection id that
// passed the password check at now (it also counts as contact); a run with nothing to do
// (nothingToDo) also finished at now. It ends any series of failed authenticates.
func (d *DB) RecordQBDAuthenticated(ctx context.Context, accountID, id int64, now time.Time, nothingToDo bool) error {
	q := d.bun.NewUpdate().Model((*QBDConnection)(nil)).
		Set("last_contact_at = ?", now).Set("last_auth_at = ?", now).
		Set("auth_failures = 0").Set("auth_failure_kind = ''").
		Set("auth_failure_first_at = NULL").Set("auth_failure_last_at = NULL").Where("id = ? AND account_id = ?", id, accountID)
	if nothingToDo {
		q = q.Set("last_finished_at = ?", now)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("db: record qbd authenticate: %w", err)
	}
	return nil
}

// RecordQBDAuthFailure counts a failed authenticate of account accountID's connection id, of
// kind (AuthFail…).
func (d *DB) RecordQBDAuthFailure(ctx context.Context, accountID, id int64, kind string, now time.Time) error {
	_, err := d.bun.NewUpdate().Model((*QBDConnection)(nil)).
		Set("auth_failures = qc.auth_failures + 1").Set("auth_failure_kind = ?", kind).
		Set("auth_failure_first_at = COALESCE(qc.auth_failure_first_at, ?)", now).
		Set("auth_failure_last_at = ?", now).Where("id = ? AND account_id = ?", id, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: record qbd authenticate failure: %w", err)
	}
	return nil
}

// RecordQBDRunFinished records that a run of account accountID's connection id finished at now.
func (d *DB) RecordQBDRunFinished(ctx context.Context, accountID, id int64, now time.Time) error {
	if _, err := d.bun.NewUpdate().Model((*QBDConnection)(nil)).Set("last_finished_at = ?", now).
		Where("id = ? AND account_id = ?", id, accountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: record qbd run finished: %w", err)
	}
	return nil
}
