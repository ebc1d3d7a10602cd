package db

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// QBOConnection is a QuickBooks Online company connected with OAuth 2.0. AccessToken and
// RefreshToken are sealed (Sealer, additional data QBOTokenAAD); both are nil once the
// connection is disconnected. Nothing here is ever returned to a client but the expiries.
type QBOConnection struct {
	bun.BaseModel `bun:"table:qbo_connections,alias:qo"`

	ID          int64  `bun:"id,pk,autoincrement"`
	AccountID   int64  `bun:"account_id,notnull"`
	Name        string `bun:"name,notnull"`
	RealmID     string `bun:"realm_id,notnull"`
	CompanyName string `bun:"company_name,notnull"`
	AccessToken []byte `bun:"access_token"`
	// AccessExpiresAt is when Intuit stops taking the access token (issued + expires_in).
	AccessExpiresAt *time.Time `bun:"access_expires_at"`
	RefreshToken    []byte     `bun:"refresh_token"`
	// RefreshExpiresAt is the refresh token's hard expiry (x_refresh_token_expires_in): past
	// it only the merchant can reconnect.
	RefreshExpiresAt *time.Time `bun:"refresh_expires_at"`
	LastRefreshAt    *time.Time `bun:"last_refresh_at"`
	// Status is one of the QBOStatus… constants; LastError says in plain words what went wrong
	// last (a failed refresh, a refused revoke), empty when nothing did.
	Status    string    `bun:"status,notnull"`
	LastError string    `bun:"last_error,notnull"`
	CreatedAt time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt time.Time `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// QuickBooks Online connection states.
const (
	QBOStatusConnected    = "connected"
	QBOStatusReconnect    = "reconnect_needed" // Intuit refused the refresh token: the merchant must connect again
	QBOStatusDisconnected = "disconnected"     // the merchant disconnected; tokens revoked and deleted
)

// QBOTokens are a connection's tokens in the clear, as Intuit's token endpoint returned them.
type QBOTokens struct {
	Access           string
	Refresh          string
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
}

// QBOTokenAAD binds a sealed token (kind "access" or "refresh") to its company in its account,
// so sealed tokens cannot be swapped between rows or kinds.
func QBOTokenAAD(accountID int64, realmID, kind string) string {
	return "qbo_connection:" + strconv.FormatInt(accountID, 10) + ":" + realmID + ":" + kind
}

// OpenTokens unseals c's tokens; ErrSealed when they cannot be opened, ErrNotFound when c holds
// none (disconnected).
func (c *QBOConnection) OpenTokens(sealer *Sealer) (QBOTokens, error) {
	if c.AccessToken == nil || c.RefreshToken == nil {
		return QBOTokens{}, fmt.Errorf("db: tokens of qbo connection %d: %w", c.ID, ErrNotFound)
	}
	access, err := sealer.Open(c.AccessToken, QBOTokenAAD(c.AccountID, c.RealmID, "access"))
	if err != nil {
		return QBOTokens{}, err
	}
	refresh, err := sealer.Open(c.RefreshToken, QBOTokenAAD(c.AccountID, c.RealmID, "refresh"))
	if err != nil {
		return QBOTokens{}, err
	}
	t := QBOTokens{Access: string(access), Refresh: string(refresh)}
	if c.AccessExpiresAt != nil {
		t.AccessExpiresAt = *c.AccessExpiresAt
	}
	if c.RefreshExpiresAt != nil {
		t.RefreshExpiresAt = *c.RefreshExpiresAt
	}
	return t, nil
}

// sealTokens puts t into c, sealed.
func (c *QBOConnection) sealTokens(sealer *Sealer, t QBOTokens, now time.Time) {
	c.AccessToken = sealer.Seal([]byte(t.Access), QBOTokenAAD(c.AccountID, c.RealmID, "access"))
	c.RefreshToken = sealer.Seal([]byte(t.Refresh), QBOTokenAAD(c.AccountID, c.RealmID, "refresh"))
	c.AccessExpiresAt, c.RefreshExpiresAt, c.LastRefreshAt = &t.AccessExpiresAt, &t.RefreshExpiresAt, &now
	c.Status, c.LastError, c.UpdatedAt = QBOStatusConnected, "", now
}

// SaveQBOConnection stores the company c (AccountID, RealmID, Name, CompanyName) with fresh
// tokens t from an authorization: a new row, or — the same company connected again — the
// existing one, its tokens replaced and its status back to connected (the name kept unless
// c.Name is set). c is filled with the stored row.
func (d *DB) SaveQBOConnection(ctx context.Context, sealer *Sealer, c *QBOConnection, t QBOTokens, now time.Time) error {
	c.sealTokens(sealer, t, now)
	_, err := d.bun.NewInsert().Model(c).
		On("CONFLICT (account_id, realm_id) DO UPDATE").
		Set("access_token = EXCLUDED.access_token, access_expires_at = EXCLUDED.access_expires_at").
		Set("refresh_token = EXCLUDED.refresh_token, refresh_expires_at = EXCLUDED.refresh_expires_at").
		Set("last_refresh_at = EXCLUDED.last_refresh_at, status = EXCLUDED.status, last_error = ''").
		Set("company_name = CASE WHEN EXCLUDED.company_name <> '' THEN EXCLUDED.company_name ELSE qo.company_name END").
		Set("updated_at = EXCLUDED.updated_at").
		Returning("*").Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: save qbo connection: %w", translate(err))
	}
	return nil
}

// GetQBOConnection returns connection id of accountID, or ErrNotFound.
func (d *DB) GetQBOConnection(ctx context.Context, accountID, id int64) (*QBOConnection, error) {
	return getRow[QBOConnection](ctx, d.bun, fmt.Sprintf("qbo connection %d", id), "qo.id = ? AND qo.account_id = ?", id, accountID)
}

// ListQBOConnections returns the account's QuickBooks Online companies, newest first.
func (d *DB) ListQBOConnections(ctx context.Context, accountID int64, p Page) (Result[QBOConnection], error) {
	return listPage[QBOConnection](ctx, d.bun, p, "qo", "qbo connections", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("qo.account_id = ?", accountID)
	})
}

// LockQBOConnection runs fn in a transaction holding connection id of accountID locked
// (SELECT … FOR UPDATE): whoever refreshes its tokens does so alone, and what fn writes with
// tx commits together with what it read. fn's error rolls everything back.
func (d *DB) LockQBOConnection(ctx context.Context, accountID, id int64, fn func(ctx context.Context, tx bun.Tx, c *QBOConnection) error) error {
	return d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := lockRow[QBOConnection](ctx, tx, fmt.Sprintf("qbo connection %d", id), "qo.id = ? AND qo.account_id = ?", id, accountID)
		if err != nil {
			return err
		}
		return fn(ctx, tx, c)
	})
}

// SetQBOTokens stores rotated tokens t on c (in idb: the transaction of LockQBOConnection) and
// marks it connected.
func SetQBOTokens(ctx context.Context, idb bun.IDB, sealer *Sealer, c *QBOConnection, t QBOTokens, now time.Time) error {
	c.sealTokens(sealer, t, now)
	return updateQBO(ctx, idb, c, "access_token", "access_expires_at", "refresh_token", "refresh_expires_at",
		"last_refresh_at", "status", "last_error", "updated_at")
}

// SetQBOStatus records status and lastError on c (in idb).
func SetQBOStatus(ctx context.Context, idb bun.IDB, c *QBOConnection, status, lastError string, now time.Time) error {
	c.Status, c.LastError, c.UpdatedAt = status, lastError, now
	return updateQBO(ctx, idb, c, "status", "last_error", "updated_at")
}

// DisconnectQBOConnection deletes c's tokens (in idb) and marks it disconnected; lastError says
// what went wrong revoking them at Intuit, if anything did.
func DisconnectQBOConnection(ctx context.Context, idb bun.IDB, c *QBOConnection, lastError string, now time.Time) error {
	c.AccessToken, c.RefreshToken, c.AccessExpiresAt, c.RefreshExpiresAt = nil, nil, nil, nil
	c.Status, c.LastError, c.UpdatedAt = QBOStatusDisconnected, lastError, now
	return updateQBO(ctx, idb, c, "access_token", "access_expires_at", "refresh_token", "refresh_expires_at",
		"status", "last_error", "updated_at")
}

// updateQBO writes the given columns of c (scoped to its account); ErrNotFound when it is gone.
func updateQBO(ctx context.Context, idb bun.IDB, c *QBOConnection, columns ...string) error {
	return updateRow(ctx, idb, c, "qbo connection", c.ID, c.AccountID, columns...)
}

// QBOOAuthState is one authorization under way: the SHA-256 of the state sent to Intuit, the
// session that started it, and what the callback should do (Name for a new company,
// ConnectionID when reconnecting one).
type QBOOAuthState struct {
	bun.BaseModel `bun:"table:qbo_oauth_states,alias:qs"`

	StateHash    []byte    `bun:"state_hash,pk"`
	AccountID    int64     `bun:"account_id,notnull"`
	SessionID    int64     `bun:"session_id,notnull"`
	Name         string    `bun:"name,notnull"`
	ConnectionID *int64    `bun:"connection_id"`
	ExpiresAt    time.Time `bun:"expires_at,notnull"`
}

// CreateQBOOAuthState stores s, and drops the states that expired before now on the way.
func (d *DB) CreateQBOOAuthState(ctx context.Context, s *QBOOAuthState, now time.Time) error {
	if _, err := d.bun.NewDelete().Model((*QBOOAuthState)(nil)).Where("expires_at < ?", now).Exec(ctx); err != nil {
		return fmt.Errorf("db: purge qbo oauth states: %w", err)
	}
	return insertRow(ctx, d.bun, s, "qbo oauth state")
}

// TakeQBOOAuthState deletes and returns the state with hash (single use), or ErrNotFound when
// there is none or it expired before now.
func (d *DB) TakeQBOOAuthState(ctx context.Context, hash []byte, now time.Time) (*QBOOAuthState, error) {
	s := new(QBOOAuthState)
	_, err := d.bun.NewDelete().Model(s).Where("state_hash = ?", hash).Returning("*").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: take qbo oauth state: %w", translate(err))
	}
	if s.StateHash == nil || !s.ExpiresAt.After(now) {
		return nil, fmt.Errorf("db: take qbo oauth state: %w", ErrNotFound)
	}
	return s, nil
}
