package db

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// QBDConnection is a QuickBooks Desktop company reached through the Web Connector.
// WCPasswordHash is an argon2id hash; the password itself is shown once and never stored.
type QBDConnection struct {
	bun.BaseModel `bun:"table:qbd_connections,alias:qc"`

	ID              int64      `bun:"id,pk,autoincrement"`
	AccountID       int64      `bun:"account_id,notnull"`
	Name            string     `bun:"name,notnull"`
	WCUsername      string     `bun:"wc_username,notnull"`
	WCPasswordHash  string     `bun:"wc_password_hash,notnull"`
	OwnerID         string     `bun:"owner_id,type:uuid,notnull"`
	FileID          string     `bun:"file_id,type:uuid,notnull"`
	CompanyFile     string     `bun:"company_file,notnull"`
	RunEveryMinutes int        `bun:"run_every_minutes,notnull"`
	MsPerRequest    int        `bun:"ms_per_request,notnull"`
	QBXMLVersion    string     `bun:"qbxml_version,notnull"`
	LastContactAt   *time.Time `bun:"last_contact_at"`
	// ItemListAt is when the last complete read of the company's whole item list through the
	// Web Connector finished; nil means Ledgerlink has never known the whole list.
	ItemListAt *time.Time `bun:"item_list_at"`
	// ItemsReadAt is when the last complete read of items through the Web Connector started:
	// the next read of changed items starts from it.
	ItemsReadAt *time.Time `bun:"items_read_at"`
	// LastAuthAt is the last authenticate that passed the password check; LastFinishedAt the
	// last run that finished (closeConnection, or an authenticate with nothing to do).
	LastAuthAt     *time.Time `bun:"last_auth_at"`
	LastFinishedAt *time.Time `bun:"last_finished_at"`
	// AuthFailures counts authenticates that failed in a row since the last good one; the
	// kind (AuthFailPassword, AuthFailTimeout, AuthFailError) is the latest one's.
	AuthFailures       int        `bun:"auth_failures,notnull"`
	AuthFailureKind    string     `bun:"auth_failure_kind,notnull"`
	AuthFailureFirstAt *time.Time `bun:"auth_failure_first_at"`
	AuthFailureLastAt  *time.Time `bun:"auth_failure_last_at"`
	CreatedAt          time.Time  `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// CreateQBDConnection stores c; a taken Web Connector username gives ErrAlreadyExists.
func (d *DB) CreateQBDConnection(ctx context.Context, c *QBDConnection) error {
	if c.RunEveryMinutes == 0 {
		c.RunEveryMinutes = 15
	}
	if c.MsPerRequest == 0 {
		c.MsPerRequest = 250
	}
	return insertRow(ctx, d.bun, c, "qbd connection")
}

// GetQBDConnection returns connection id of accountID, or ErrNotFound.
func (d *DB) GetQBDConnection(ctx context.Context, accountID, id int64) (*QBDConnection, error) {
	return getRow[QBDConnection](ctx, d.bun, fmt.Sprintf("qbd connection %d", id), "qc.id = ? AND qc.account_id = ?", id, accountID)
}

// GetQBDConnectionByUsername finds the connection a Web Connector authenticates as. It is the
// one lookup not scoped to an account: the username is the account's proof of identity here.
func (d *DB) GetQBDConnectionByUsername(ctx context.Context, username string) (*QBDConnection, error) {
	return getRow[QBDConnection](ctx, d.bun, "qbd connection by username", "qc.wc_username = ?", username)
}

// ListQBDConnections returns the account's connections, newest first.
func (d *DB) ListQBDConnections(ctx context.Context, accountID int64, p Page) (Result[QBDConnection], error) {
	return listPage[QBDConnection](ctx, d.bun, p, "qc", "qbd connections", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("qc.account_id = ?", accountID)
	})
}

// SetQBDPassword replaces the Web Connector password hash of connection id in accountID.
func (d *DB) SetQBDPassword(ctx context.Context, accountID, id int64, hash string) error {
	res, err := d.bun.NewUpdate().Model((*QBDConnection)(nil)).Set("wc_password_hash = ?", hash).
		Where("id = ? AND account_id = ?", id, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: set qbd password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("db: set qbd password of %d: %w", id, ErrNotFound)
	}
	return nil
}

// QBWCSession is one Web Connector conversation.
type QBWCSession struct {
	bun.BaseModel `bun:"table:qbwc_sessions,alias:qs"`

	Ticket        string     `bun:"ticket,pk"`
	ConnectionID  int64      `bun:"connection_id,notnull"`
	AccountID     int64      `bun:"account_id,notnull"`
	State         string     `bun:"state,notnull"`
	ClientVersion string     `bun:"client_version,notnull"`
	CompanyFile   string     `bun:"company_file,notnull"`
	QBXMLVersion  string     `bun:"qbxml_version,notnull"`
	BatchID       *int64     `bun:"batch_id"`
	LastError     string     `bun:"last_error,notnull"`
	NoOps         int        `bun:"noops,notnull"`
	SentRequests  int        `bun:"sent_requests,notnull"`
	DoneRequests  int        `bun:"done_requests,notnull"`
	StartedAt     time.Time  `bun:"started_at,nullzero,notnull,default:current_timestamp"`
	LastCallAt    time.Time  `bun:"last_call_at,nullzero,notnull,default:current_timestamp"`
	ClosedAt      *time.Time `bun:"closed_at"`
	// EndReason says how the run ended ('' while open): one of the SessionEnd… constants.
	EndReason string `bun:"end_reason,notnull"`
	// HResult is the code the Web Connector reported with connectionError.
	HResult string `bun:"hresult,notnull"`
	// MessageSets counts the message sets handed to the Web Connector in this run.
	MessageSets int `bun:"message_sets,notnull"`
}

// Session states.
const (
	SessionOpen   = "open"
	SessionClosed = "closed"
)

// CreateQBWCSession stores s.
func (d *DB) CreateQBWCSession(ctx context.Context, s *QBWCSession) error {
	return insertRow(ctx, d.bun, s, "qbwc session")
}

// GetQBWCSession returns the session with ticket, or ErrNotFound. It is how a Web Connector
// call finds its account: the ticket, handed out by authenticate, is the credential.
func (d *DB) GetQBWCSession(ctx context.Context, ticket string) (*QBWCSession, error) {
	return getRow[QBWCSession](ctx, d.bun, "qbwc session", "qs.ticket = ?", ticket)
}

// UpdateQBWCSession writes the given columns of s and its last_call_at, which the caller sets
// to the time of the call (time.Now when left zero), on the row only within s.AccountID.
func (d *DB) UpdateQBWCSession(ctx context.Context, s *QBWCSession, columns ...string) error {
	if s.LastCallAt.IsZero() {
		s.LastCallAt = time.Now()
	}
	columns = append(columns, "last_call_at")
	if _, err := d.bun.NewUpdate().Model(s).Column(columns...).WherePK().Where("qs.account_id = ?", s.AccountID).Exec(ctx); err != nil {
		return fmt.Errorf("db: update qbwc session: %w", err)
	}
	return nil
}

// CloseStaleQBWCSessions closes open sessions of account accountID's connectionID silent since
// before cutoff and returns them, so the engine can mark their in-flight work as in doubt.
func (d *DB) CloseStaleQBWCSessions(ctx context.Context, accountID, connectionID int64, cutoff, now time.Time) ([]QBWCSession, error) {
	var rows []QBWCSession
	err := d.bun.NewUpdate().Model(&rows).
		Set("state = ?", SessionClosed).Set("closed_at = ?", now).Set("end_reason = ?", SessionEndExpired).
		Where("account_id = ? AND connection_id = ? AND state = ? AND last_call_at <= ?", accountID, connectionID, SessionOpen, cutoff).
		Returning("*").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: close stale sessions: %w", err)
	}
	return rows, nil
}

// TouchQBDConnection records contact from the Web Connector with account accountID's
// connection id, and the qbXML version when known.
func (d *DB) TouchQBDConnection(ctx context.Context, accountID, id int64, qbxmlVersion string, now time.Time) error {
	q := d.bun.NewUpdate().Model((*QBDConnection)(nil)).Set("last_contact_at = ?", now).Where("id = ? AND account_id = ?", id, accountID)
	if qbxmlVersion != "" {
		q = q.Set("qbxml_version = ?", qbxmlVersion)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("db: touch qbd connection: %w", err)
	}
	return nil
}

// Work item states.
const (
	WorkQueued   = "queued"    // waiting to be sent
	WorkInFlight = "in_flight" // sent in a message set, answer not yet received
	WorkInDoubt  = "in_doubt"  // sent, answer lost: QuickBooks must be asked before resending
	WorkDone     = "done"      // QuickBooks applied it (or a query answered)
	WorkFailed   = "failed"    // QuickBooks refused it; the merchant must act
)

// QBDWorkItem is one request QuickBooks Desktop must run.
type QBDWorkItem struct {
	bun.BaseModel `bun:"table:qbd_work_items,alias:w"`

	ID           int64   `bun:"id,pk,autoincrement"`
	AccountID    int64   `bun:"account_id,notnull"`
	ConnectionID int64   `bun:"connection_id,notnull"`
	DocKey       string  `bun:"doc_key,notnull"`
	Kind         string  `bun:"kind,notnull"`
	Request      string  `bun:"request,notnull"`
	LookupType   *string `bun:"lookup_type"`
	LookupValue  string  `bun:"lookup_value,notnull"`
	LookupMarker string  `bun:"lookup_marker,notnull"`
	LookupDate   string  `bun:"lookup_date,notnull"`
	DependsOn    []int64 `bun:"depends_on,array,notnull"`
	Status       string  `bun:"status,notnull"`
	Solo         bool    `bun:"solo,notnull"`
	CheckFirst   bool    `bun:"check_first,notnull"` // ask QuickBooks before the first send (duplicate check)
	BatchID      *int64  `bun:"batch_id"`
	// SentAt is when the request was last handed to a Web Connector (nil: never).
	SentAt        *time.Time `bun:"sent_at"`
	Attempts      int        `bun:"attempts,notnull"`
	StatusCode    *int       `bun:"status_code"`
	StatusMessage string     `bun:"status_message,notnull"`
	QBID          string     `bun:"qb_id,notnull"`
	EditSequence  string     `bun:"edit_sequence,notnull"`
	Response      string     `bun:"response,notnull"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt     time.Time  `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// QBDBatch is one message set handed to the Web Connector.
type QBDBatch struct {
	bun.BaseModel `bun:"table:qbd_batches,alias:b"`

	ID           int64      `bun:"id,pk,autoincrement"`
	ConnectionID int64      `bun:"connection_id,notnull"`
	Ticket       string     `bun:"ticket,notnull"`
	Kind         string     `bun:"kind,notnull"`
	RequestCount int        `bun:"request_count,notnull"`
	ItemIDs      []int64    `bun:"item_ids,array,notnull"` // item of requestID n is ItemIDs[n-1]
	SentAt       time.Time  `bun:"sent_at,nullzero,notnull,default:current_timestamp"`
	ReceivedAt   *time.Time `bun:"received_at"`
	Outcome      string     `bun:"outcome,notnull"`
}

// QBDLedgerEntry records which QuickBooks object one of our documents became.
type QBDLedgerEntry struct {
	bun.BaseModel `bun:"table:qbd_ledger,alias:lg"`

	ConnectionID int64     `bun:"connection_id,pk"`
	DocKey       string    `bun:"doc_key,pk"`
	QBType       string    `bun:"qb_type,notnull"`
	QBID         string    `bun:"qb_id,notnull"`
	EditSequence string    `bun:"edit_sequence,notnull"`
	WorkItemID   *int64    `bun:"work_item_id"`
	CreatedAt    time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// GetQBDLedgerEntry returns the ledger entry of docKey on connectionID, or ErrNotFound.
func (d *DB) GetQBDLedgerEntry(ctx context.Context, connectionID int64, docKey string) (*QBDLedgerEntry, error) {
	return QBDLedgerEntryOf(ctx, d.bun, connectionID, docKey)
}

// ListQBDWorkItems pages through the work items of a connection in accountID, newest first,
// optionally only those in status.
func (d *DB) ListQBDWorkItems(ctx context.Context, accountID, connectionID int64, status string, p Page) (Result[QBDWorkItem], error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("w.account_id = ? AND w.connection_id = ?", accountID, connectionID)
		return whereSet(q, "w.status = ?", status)
	}
	return listPage[QBDWorkItem](ctx, d.bun, p, "w", "work items", filter)
}

// GetQBDWorkItem returns work item id of accountID (ErrNotFound when it is not the account's).
func (d *DB) GetQBDWorkItem(ctx context.Context, accountID, id int64) (*QBDWorkItem, error) {
	return getRow[QBDWorkItem](ctx, d.bun, fmt.Sprintf("work item %d", id), "w.id = ? AND w.account_id = ?", id, accountID)
}

// LatestQBDWorkWithPrefix returns the newest work item of accountID's connection whose document
// key starts with prefix (ErrNotFound when there is none).
func (d *DB) LatestQBDWorkWithPrefix(ctx context.Context, accountID, connectionID int64, prefix string) (*QBDWorkItem, error) {
	w := new(QBDWorkItem)
	err := d.bun.NewSelect().Model(w).Where("w.account_id = ? AND w.connection_id = ? AND w.doc_key LIKE ?", accountID, connectionID, escapeLike(prefix)+"%").
		OrderExpr("w.id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: latest work %s: %w", prefix, translate(err))
	}
	return w, nil
}

// LogWithDetail returns the newest sync log line of accountID whose details hold key = value
// (ErrNotFound when there is none).
func (d *DB) LogWithDetail(ctx context.Context, accountID int64, key, value string) (*SyncLog, error) {
	l := new(SyncLog)
	err := d.bun.NewSelect().Model(l).Where("account_id = ? AND details->>? = ?", accountID, key, value).OrderExpr("id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: log with %s: %w", key, translate(err))
	}
	return l, nil
}

// CountQBDWork counts the work items of account accountID's connection per status.
func (d *DB) CountQBDWork(ctx context.Context, accountID, connectionID int64) (map[string]int, error) {
	q := d.bun.NewSelect().Model((*QBDWorkItem)(nil)).Where("account_id = ? AND connection_id = ?", accountID, connectionID)
	return countPer[string](ctx, q, "status", "work")
}

// sessionStartLockClass is the first key of the advisory locks that serialize session starts
// per connection (the second is the connection id, truncated to 32 bits: a collision only
// serializes two connections' starts).
const sessionStartLockClass = 0x51425743 // "QBWC"

// TakenOver is the last error of a session closed because a newer one of its connection started.
const TakenOver = "A newer Web Connector session of this connection took over."

// StartQBWCSession stores s and closes every other open session of its connection, returning
// them so that the message sets they hold in flight are settled as lost: the newest session
// wins. A Web Connector runs one session per application at a time, so an open session is one
// whose Web Connector lost an answer and gave up, or a second Web Connector on the same company
// file, which ends at its next call. Starts of one connection are serialized (an advisory lock
// per connection), so of two Web Connectors authenticating at once the later one holds it.
func (d *DB) StartQBWCSession(ctx context.Context, s *QBWCSession, now time.Time) (closed []QBWCSession, err error) {
	err = d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Not the connection row: a claim (qbd Next) locks the session row, then that row, so
		// taking them in the other order here could deadlock.
		if _, err := tx.NewRaw("SELECT pg_advisory_xact_lock(?, ?)", sessionStartLockClass, int32(s.ConnectionID)).Exec(ctx); err != nil {
			return fmt.Errorf("db: lock qbd connection: %w", err)
		}
		// Waits for the row lock of a claim (qbd Next) in progress, then returns its batch.
		err := tx.NewUpdate().Model(&closed).
			Set("state = ?", SessionClosed).Set("closed_at = ?", now).Set("last_error = ?", TakenOver).
			Set("end_reason = ?", SessionEndTakenOver).
			Where("account_id = ? AND connection_id = ? AND state = ?", s.AccountID, s.ConnectionID, SessionOpen).
			Returning("*").Scan(ctx)
		if err != nil {
			return fmt.Errorf("db: take over sessions: %w", err)
		}
		return insertRow(ctx, tx, s, "qbwc session")
	})
	return closed, err
}
