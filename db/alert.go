package db

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Alert event kinds (AlertEvent.Kind, AlertSettings.Kinds).
const (
	AlertOrderFailed     = "order_failed"     // an order went to error (its first failure)
	AlertOrderWaiting    = "order_waiting"    // an order not in QuickBooks after AlertSettings.WaitingHours
	AlertQBDSilent       = "qbd_silent"       // a Web Connector late or failing (silent for 3 × its schedule …)
	AlertStoreAuth       = "store_auth"       // a store refused the connection's credentials on a pull (401/403)
	AlertInventoryFailed = "inventory_failed" // an inventory push failed for good
	AlertSweepGap        = "sweep_gap"        // the daily sweep found an order missing
)

// AlertKinds lists every kind, in the order digests list them.
var AlertKinds = []string{AlertOrderFailed, AlertOrderWaiting, AlertQBDSilent, AlertStoreAuth, AlertInventoryFailed, AlertSweepGap}

// Alert channels (AlertDelivery.Channel).
const (
	AlertChannelEmail   = "email"
	AlertChannelWebhook = "webhook"
)

// Alert delivery states.
const (
	AlertDeliveryPending = "pending"
	AlertDeliverySent    = "sent"
	AlertDeliveryFailed  = "failed"
)

// Bounds of AlertSettings (the table's CHECKs).
const (
	MinDigestMinutes, MaxDigestMinutes = 5, 1440
	MinWaitingHours, MaxWaitingHours   = 1, 720
)

// alertScanLimit bounds how many new events of one kind a scan raises; the rest come on the
// next scans, so one account with thousands of failed orders does not stall the task.
const alertScanLimit = 200

// AlertSettings is what an account wants to be told and how. WebhookSecret is sealed
// (AlertSecretAAD); Saved is false for an account that never saved settings (the defaults).
type AlertSettings struct {
	bun.BaseModel `bun:"table:alert_settings,alias:als"`

	AccountID     int64      `bun:"account_id,pk"`
	Kinds         []string   `bun:"kinds,array,notnull"`
	Recipients    []string   `bun:"recipients,array,notnull"`
	WebhookURL    string     `bun:"webhook_url,notnull"`
	WebhookSecret []byte     `bun:"webhook_secret"`
	DigestMinutes int        `bun:"digest_minutes,notnull"`
	WaitingHours  int        `bun:"waiting_hours,notnull"`
	LastDigestAt  *time.Time `bun:"last_digest_at"`
	UpdatedAt     time.Time  `bun:"updated_at,notnull"`
	Saved         bool       `bun:"-"`
}

// AlertSecretAAD binds a sealed webhook secret to its account.
func AlertSecretAAD(accountID int64) string {
	return "alert_settings:" + strconv.FormatInt(accountID, 10)
}

// Wants reports whether kind is one of s.Kinds.
func (s *AlertSettings) Wants(kind string) bool { return slices.Contains(s.Kinds, kind) }

// AlertEvent is one condition worth telling the merchant about, raised once while it persists.
type AlertEvent struct {
	bun.BaseModel `bun:"table:alert_events,alias:ae"`

	ID         int64      `bun:"id,pk,autoincrement"`
	AccountID  int64      `bun:"account_id,notnull"`
	Kind       string     `bun:"kind,notnull"`
	Subject    string     `bun:"subject,notnull"`
	Message    string     `bun:"message,notnull"`
	Link       string     `bun:"link,notnull"` // a path in the SPA, e.g. /orders/42
	RaisedAt   time.Time  `bun:"raised_at,notnull"`
	ResolvedAt *time.Time `bun:"resolved_at"`
	DigestID   *int64     `bun:"digest_id"`
}

// AlertDigest is what one message carried.
type AlertDigest struct {
	bun.BaseModel `bun:"table:alert_digests,alias:ad"`

	ID        int64     `bun:"id,pk,autoincrement"`
	AccountID int64     `bun:"account_id,notnull"`
	Test      bool      `bun:"test,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// AlertDelivery is one channel's delivery of a digest.
type AlertDelivery struct {
	bun.BaseModel `bun:"table:alert_deliveries,alias:adl"`

	ID        int64      `bun:"id,pk,autoincrement"`
	DigestID  int64      `bun:"digest_id,notnull"`
	AccountID int64      `bun:"account_id,notnull"`
	Channel   string     `bun:"channel,notnull"`
	State     string     `bun:"state,notnull"`
	Attempts  int        `bun:"attempts,notnull"`
	LastError string     `bun:"last_error,notnull"`
	SentAt    *time.Time `bun:"sent_at"`
	UpdatedAt time.Time  `bun:"updated_at,notnull"`
	// Test is the digest's (filled by LatestAlertDeliveries).
	Test bool `bun:"test,scanonly"`
}

// DefaultAlertSettings are an account's settings until it saves its own: every kind, no
// recipient, no webhook, an hourly digest, orders waiting a day.
func DefaultAlertSettings(accountID int64) *AlertSettings {
	return &AlertSettings{AccountID: accountID, Kinds: append([]string(nil), AlertKinds...), Recipients: []string{},
		DigestMinutes: 60, WaitingHours: 24}
}

// GetAlertSettings returns accountID's settings, or the defaults when it saved none.
func (d *DB) GetAlertSettings(ctx context.Context, accountID int64) (*AlertSettings, error) {
	return getAlertSettings(ctx, d.bun.NewSelect(), accountID)
}

func getAlertSettings(ctx context.Context, q *bun.SelectQuery, accountID int64) (*AlertSettings, error) {
	s := new(AlertSettings)
	err := translate(q.Model(s).Where("als.account_id = ?", accountID).Scan(ctx))
	if errors.Is(err, ErrNotFound) {
		return DefaultAlertSettings(accountID), nil
	} else if err != nil {
		return nil, fmt.Errorf("db: alert settings: %w", err)
	}
	s.Saved = true
	return s, nil
}

// SaveAlertSettings stores s's kinds, recipients, webhook URL, digest interval and waiting
// threshold (not the secret: SetAlertWebhookSecret, nor the last digest).
func (d *DB) SaveAlertSettings(ctx context.Context, s *AlertSettings, now time.Time) error {
	s.UpdatedAt = now
	_, err := d.bun.NewInsert().Model(s).
		Column("account_id", "kinds", "recipients", "webhook_url", "digest_minutes", "waiting_hours", "updated_at").
		On("CONFLICT (account_id) DO UPDATE").
		Set("kinds = EXCLUDED.kinds, recipients = EXCLUDED.recipients, webhook_url = EXCLUDED.webhook_url").
		Set("digest_minutes = EXCLUDED.digest_minutes, waiting_hours = EXCLUDED.waiting_hours, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: save alert settings: %w", translate(err))
	}
	s.Saved = true
	return nil
}

// SetAlertWebhookSecret stores accountID's sealed webhook secret, saving the default settings
// first when there were none.
func (d *DB) SetAlertWebhookSecret(ctx context.Context, accountID int64, sealed []byte, now time.Time) error {
	s := DefaultAlertSettings(accountID)
	s.WebhookSecret, s.UpdatedAt = sealed, now
	_, err := d.bun.NewInsert().Model(s).
		Column("account_id", "kinds", "recipients", "webhook_url", "webhook_secret", "digest_minutes", "waiting_hours", "updated_at").
		On("CONFLICT (account_id) DO UPDATE").
		Set("webhook_secret = EXCLUDED.webhook_secret, updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: set alert webhook secret: %w", err)
	}
	return nil
}

// AlertAccounts returns the accounts that saved alert settings with at least one kind.
func (d *DB) AlertAccounts(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := d.bun.NewRaw(`SELECT account_id FROM alert_settings WHERE cardinality(kinds) > 0 ORDER BY account_id`).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("db: alert accounts: %w", err)
	}
	return ids, nil
}

// alertScans raise the events of a kind from what the account's data says now. Each is an
// INSERT … SELECT of (kind, subject, message, link) rows not already active, and an UPDATE that
// resolves the active ones whose condition cleared. "?" arguments: the account id (twice), then
// for order_waiting the hours. An order's failure is never resolved: its first failure is the
// event ("the first failure of an order"), a later one is not news.
var alertScans = map[string]struct{ raise, resolve string }{
	AlertOrderFailed: {raise: `
		SELECT 'order_failed', o.id::text,
		       format('Order %s from %s failed: %s', o.number, sc.name, coalesce(nullif(o.state_reason, ''), 'no reason recorded')),
		       '/orders/' || o.id
		FROM orders o JOIN store_connections sc ON sc.id = o.connection_id
		WHERE o.account_id = ?0 AND o.state = 'error'
		  AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.account_id = ?0 AND e.kind = 'order_failed' AND e.subject = o.id::text)
		ORDER BY o.id LIMIT ?1`},
	AlertOrderWaiting: {raise: `
		SELECT 'order_waiting', o.id::text,
		       format('Order %s from %s has waited more than %s hours for QuickBooks (%s).', o.number, sc.name, ?2::int, replace(o.state, '_', ' ')),
		       '/orders/' || o.id
		FROM orders o JOIN store_connections sc ON sc.id = o.connection_id
		WHERE o.account_id = ?0 AND o.state IN ('pending', 'ready', 'sent', 'needs_mapping')
		  AND o.created_at < ?3::timestamptz - make_interval(hours => ?2::int)
		  AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.account_id = ?0 AND e.kind = 'order_waiting' AND e.subject = o.id::text AND e.resolved_at IS NULL)
		ORDER BY o.id LIMIT ?1`, resolve: `
		kind = 'order_waiting' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.account_id = ae.account_id AND o.id::text = ae.subject
		    AND o.state IN ('pending', 'ready', 'sent', 'needs_mapping'))`},
	AlertInventoryFailed: {raise: `
		SELECT 'inventory_failed', u.id::text,
		       format('Setting the stock of %s in %s to %s failed: %s', u.sku, sc.name, u.target_quantity, coalesce(nullif(u.last_error, ''), 'no reason recorded')),
		       '/inventory'
		FROM inventory_updates u JOIN store_connections sc ON sc.id = u.store_connection_id
		WHERE u.account_id = ?0 AND u.status = 'failed'
		  AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.account_id = ?0 AND e.kind = 'inventory_failed' AND e.subject = u.id::text AND e.resolved_at IS NULL)
		ORDER BY u.id LIMIT ?1`, resolve: `
		kind = 'inventory_failed' AND NOT EXISTS (SELECT 1 FROM inventory_updates u WHERE u.account_id = ae.account_id AND u.id::text = ae.subject AND u.status = 'failed')`},
	AlertSweepGap: {raise: `
		SELECT 'sweep_gap', g.id::text,
		       format('The daily check of %s for %s found order %s %s.', sc.name, to_char(g.day, 'YYYY-MM-DD'), g.number,
		              CASE WHEN o.id IS NULL THEN 'missing from Ledgerlink' ELSE 'not in QuickBooks' END),
		       '/#missed-orders'
		FROM order_sweep_gaps g JOIN store_connections sc ON sc.id = g.connection_id
		LEFT JOIN orders o ON o.connection_id = g.connection_id AND o.external_id = g.external_id
		WHERE g.account_id = ?0 AND g.resolved_at IS NULL AND (o.id IS NULL OR o.state NOT IN ('posted', 'excluded', 'skipped_duplicate'))
		  AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.account_id = ?0 AND e.kind = 'sweep_gap' AND e.subject = g.id::text AND e.resolved_at IS NULL)
		ORDER BY g.id LIMIT ?1`, resolve: `
		kind = 'sweep_gap' AND NOT EXISTS (SELECT 1 FROM order_sweep_gaps g
		    LEFT JOIN orders o ON o.connection_id = g.connection_id AND o.external_id = g.external_id
		    WHERE g.account_id = ae.account_id AND g.id::text = ae.subject AND g.resolved_at IS NULL
		      AND (o.id IS NULL OR o.state NOT IN ('posted', 'excluded', 'skipped_duplicate')))`},
}

// ScanAlerts brings s's account's events up to date at now for the kinds found in the data
// (order_failed, order_waiting, inventory_failed, sweep_gap): it resolves the active events
// whose condition cleared and raises new ones of the kinds s wants, each also a line of the
// sync log. It returns the events raised. The Web Connector's and the stores' events come from
// RaiseAlerts / ResolveAlerts.
func (d *DB) ScanAlerts(ctx context.Context, s *AlertSettings, now time.Time) ([]AlertEvent, error) {
	var raised []AlertEvent
	err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for _, kind := range AlertKinds {
			scan, ok := alertScans[kind]
			if !ok {
				continue
			}
			if scan.resolve != "" {
				if _, err := tx.NewUpdate().Model((*AlertEvent)(nil)).Set("resolved_at = ?", now).
					Where("ae.account_id = ? AND ae.resolved_at IS NULL", s.AccountID).Where(scan.resolve).Exec(ctx); err != nil {
					return fmt.Errorf("resolve %s: %w", kind, err)
				}
			}
			if !s.Wants(kind) {
				continue
			}
			var rows []AlertEvent
			err := tx.NewRaw(`INSERT INTO alert_events (account_id, kind, subject, message, link, raised_at)
				SELECT ?0, c.*, ?3::timestamptz FROM (`+scan.raise+`) c
				ON CONFLICT (account_id, kind, subject) WHERE resolved_at IS NULL DO NOTHING
				RETURNING *`, s.AccountID, alertScanLimit, s.WaitingHours, now).Scan(ctx, &rows)
			if err != nil && !errors.Is(translate(err), ErrNotFound) {
				return fmt.Errorf("raise %s: %w", kind, err)
			}
			raised = append(raised, rows...)
		}
		return logAlerts(ctx, tx, raised)
	})
	if err != nil {
		return nil, fmt.Errorf("db: scan alerts of account %d: %w", s.AccountID, err)
	}
	return raised, nil
}

// RaiseAlerts records events of accountID (Kind, Subject, Message, Link set) raised at now —
// those of the kinds its saved settings want, each unless the same kind and subject is still
// active — each also a line of the sync log, and returns those recorded.
func (d *DB) RaiseAlerts(ctx context.Context, accountID int64, events []AlertEvent, now time.Time) ([]AlertEvent, error) {
	s, err := d.GetAlertSettings(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var want []AlertEvent
	for _, e := range events {
		if s.Saved && s.Wants(e.Kind) {
			e.AccountID, e.RaisedAt = accountID, now
			want = append(want, e)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	var rows []AlertEvent
	err = d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewInsert().Model(&want).Column("account_id", "kind", "subject", "message", "link", "raised_at").
			On("CONFLICT (account_id, kind, subject) WHERE resolved_at IS NULL DO NOTHING").Returning("*").Scan(ctx, &rows)
		if err != nil && !errors.Is(translate(err), ErrNotFound) {
			return err
		}
		return logAlerts(ctx, tx, rows)
	})
	if err != nil {
		return nil, fmt.Errorf("db: raise alerts: %w", err)
	}
	return rows, nil
}

// alertHints say what to do about each kind, in the sync log.
var alertHints = map[string]string{
	AlertOrderFailed:     "Open the order to see why it failed; fix the cause and click Resync.",
	AlertOrderWaiting:    "Check that the Web Connector runs and that the order's products are mapped.",
	AlertQBDSilent:       "Open the Web Connector health page: it says what the Web Connector reported and what to do.",
	AlertStoreAuth:       "Enter new credentials for the store on the Connections page.",
	AlertInventoryFailed: "Open the Inventory page to see the push log and retry.",
	AlertSweepGap:        "Open the dashboard's Missed orders list and click Resync.",
}

// logAlerts writes each raised event to its account's sync log.
func logAlerts(ctx context.Context, idb bun.IDB, events []AlertEvent) error {
	for _, e := range events {
		hint := alertHints[e.Kind]
		if err := InsertSyncLog(ctx, idb, &SyncLog{AccountID: e.AccountID, Level: LevelWarning, Source: "alerts",
			Message: "Alert: " + e.Message, Hint: &hint}); err != nil {
			return err
		}
	}
	return nil
}

// ResolveAlerts resolves at now accountID's active events of kind whose subject is not in
// keep: the conditions that cleared.
func (d *DB) ResolveAlerts(ctx context.Context, accountID int64, kind string, keep []string, now time.Time) error {
	_, err := d.bun.NewUpdate().Model((*AlertEvent)(nil)).Set("resolved_at = ?", now).
		Where("ae.account_id = ? AND ae.kind = ? AND ae.resolved_at IS NULL", accountID, kind).
		Where("NOT (ae.subject = ANY(?::text[]))", pgdialect.Array(keep)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: resolve %s alerts: %w", kind, err)
	}
	return nil
}

// ResolveAlert resolves at now accountID's active event of kind about subject, if any.
func (d *DB) ResolveAlert(ctx context.Context, accountID int64, kind, subject string, now time.Time) error {
	_, err := d.bun.NewUpdate().Model((*AlertEvent)(nil)).Set("resolved_at = ?", now).
		Where("ae.account_id = ? AND ae.kind = ? AND ae.subject = ? AND ae.resolved_at IS NULL", accountID, kind, subject).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: resolve %s alert: %w", kind, err)
	}
	return nil
}

// ClaimAlertDigest makes the digest due for accountID at now: when its interval has passed
// since the last digest and events of the kinds it wants wait, it records a digest carrying
// them all, one pending delivery per configured channel (e-mail when there are recipients,
// webhook when there is a URL), and moves the last digest to now — all in one transaction, so
// two workers never send the same events twice. It returns nil when nothing is due.
func (d *DB) ClaimAlertDigest(ctx context.Context, accountID int64, now time.Time) (*AlertDigest, []AlertDelivery, error) {
	var digest *AlertDigest
	var deliveries []AlertDelivery
	err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		s, err := getAlertSettings(ctx, tx.NewSelect().For("UPDATE"), accountID)
		if err != nil || !s.Saved {
			return err
		}
		if s.LastDigestAt != nil && now.Before(s.LastDigestAt.Add(time.Duration(s.DigestMinutes)*time.Minute)) {
			return nil
		}
		var waiting int64
		waiting, err = tx.NewSelect().Model((*AlertEvent)(nil)).
			Where("ae.account_id = ? AND ae.digest_id IS NULL AND ae.kind = ANY(?::text[])", accountID, pgdialect.Array(s.Kinds)).Count(ctx)
		if err != nil || waiting == 0 {
			return err
		}
		digest = &AlertDigest{AccountID: accountID, CreatedAt: now}
		if deliveries, err = insertAlertDigest(ctx, tx, s, digest, now); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*AlertEvent)(nil)).Set("digest_id = ?", digest.ID).
			Where("ae.account_id = ? AND ae.digest_id IS NULL AND ae.kind = ANY(?::text[])", accountID, pgdialect.Array(s.Kinds)).Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model(s).Set("last_digest_at = ?", now).WherePK().Exec(ctx)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("db: claim alert digest of account %d: %w", accountID, err)
	}
	return digest, deliveries, nil
}

// CreateTestAlertDigest records a test digest (no events) of s's account with a delivery per
// configured channel, for the "Send test alert" button.
func (d *DB) CreateTestAlertDigest(ctx context.Context, s *AlertSettings, now time.Time) (*AlertDigest, []AlertDelivery, error) {
	digest := &AlertDigest{AccountID: s.AccountID, Test: true, CreatedAt: now}
	var deliveries []AlertDelivery
	err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		deliveries, err = insertAlertDigest(ctx, tx, s, digest, now)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("db: test alert digest: %w", err)
	}
	return digest, deliveries, nil
}

// insertAlertDigest inserts digest (its id and defaults read back) and a pending delivery of it
// per channel s configures, and returns those deliveries.
func insertAlertDigest(ctx context.Context, tx bun.Tx, s *AlertSettings, digest *AlertDigest, now time.Time) ([]AlertDelivery, error) {
	if _, err := tx.NewInsert().Model(digest).Returning("*").Exec(ctx); err != nil {
		return nil, err
	}
	var out []AlertDelivery
	if len(s.Recipients) > 0 {
		out = append(out, AlertDelivery{Channel: AlertChannelEmail})
	}
	if s.WebhookURL != "" {
		out = append(out, AlertDelivery{Channel: AlertChannelWebhook})
	}
	if len(out) == 0 {
		return nil, nil
	}
	for i := range out {
		out[i].DigestID, out[i].AccountID, out[i].State, out[i].UpdatedAt = digest.ID, digest.AccountID, AlertDeliveryPending, now
	}
	if _, err := tx.NewInsert().Model(&out).Returning("*").Exec(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// GetAlertDelivery returns delivery id of accountID with its digest and the digest's events
// (grouped by kind in AlertKinds order, oldest first), or ErrNotFound.
func (d *DB) GetAlertDelivery(ctx context.Context, accountID, id int64) (*AlertDelivery, *AlertDigest, []AlertEvent, error) {
	del, err := getRow[AlertDelivery](ctx, d.bun, fmt.Sprintf("alert delivery %d", id), "adl.account_id = ? AND adl.id = ?", accountID, id)
	if err != nil {
		return nil, nil, nil, err
	}
	digest, err := getRow[AlertDigest](ctx, d.bun, fmt.Sprintf("alert digest %d", del.DigestID), "ad.id = ?", del.DigestID)
	if err != nil {
		return nil, nil, nil, err
	}
	var events []AlertEvent
	err = d.bun.NewSelect().Model(&events).Where("ae.account_id = ? AND ae.digest_id = ?", accountID, digest.ID).
		OrderExpr("array_position(?::text[], ae.kind), ae.id", pgdialect.Array(AlertKinds)).Scan(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("db: alert digest %d events: %w", digest.ID, err)
	}
	return del, digest, events, nil
}

// RecordAlertDelivery records an attempt of delivery id of accountID at now: sent when
// sendErr is nil, else the error, and failed for good when final.
func (d *DB) RecordAlertDelivery(ctx context.Context, accountID, id int64, sendErr error, final bool, now time.Time) error {
	q := d.bun.NewUpdate().Model((*AlertDelivery)(nil)).Set("attempts = attempts + 1, updated_at = ?", now).
		Where("adl.account_id = ? AND adl.id = ?", accountID, id)
	switch {
	case sendErr == nil:
		q = q.Set("state = ?, sent_at = ?, last_error = ''", AlertDeliverySent, now)
	case final:
		q = q.Set("state = ?, last_error = ?", AlertDeliveryFailed, sendErr.Error())
	default:
		q = q.Set("last_error = ?", sendErr.Error())
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("db: record alert delivery %d: %w", id, err)
	}
	return nil
}

// ListAlertEvents pages through accountID's events, newest first; openOnly keeps those not
// resolved yet.
func (d *DB) ListAlertEvents(ctx context.Context, accountID int64, openOnly bool, p Page) (Result[AlertEvent], error) {
	return listPageCapped[AlertEvent](ctx, d.bun, p, "ae", "alert events", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("ae.account_id = ?", accountID)
		if openOnly {
			q = q.Where("ae.resolved_at IS NULL")
		}
		return q
	})
}

// LatestAlertDeliveries returns accountID's latest deliveries, newest first (at most limit).
func (d *DB) LatestAlertDeliveries(ctx context.Context, accountID int64, limit int) ([]AlertDelivery, error) {
	return selectRows[AlertDelivery](ctx, d.bun, "alert deliveries", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.ColumnExpr("adl.*, ad.test").Join("JOIN alert_digests AS ad ON ad.id = adl.digest_id").
			Where("adl.account_id = ?", accountID).OrderExpr("adl.id DESC").Limit(int64(limit))
	})
}
