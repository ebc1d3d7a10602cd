package jobs

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
)

// Alerts (issue 16): every minute TypeAlertsSchedule queues TypeAlertsAccount for each account
// with alert settings; that task brings the account's events up to date (db.ScanAlerts for what
// the data shows, the Web Connector health for qbd_silent) and, when the account's digest
// interval has passed and events wait, claims one digest and queues one TypeAlertDeliver per
// channel. A delivery retries with asynq's backoff (MaxRetry AlertDeliverRetries); its last
// failure is recorded on it.
const (
	TypeAlertsSchedule = "alerts:schedule"
	TypeAlertsAccount  = "alerts:account"
	TypeAlertDeliver   = "alerts:deliver"
)

// AlertDeliverRetries is how often a failed delivery is tried again: asynq's default backoff
// waits about n⁴ seconds before retry n, so the last of 14 comes about a day after the first.
const AlertDeliverRetries = 14

// AccountPayload names the account a task is for.
type AccountPayload struct {
	AccountID int64 `json:"account_id"`
}

func (p *AccountPayload) valid() bool { return p.AccountID != 0 }

// AlertDeliveryPayload names one delivery of a digest.
type AlertDeliveryPayload struct {
	AccountID  int64 `json:"account_id"`
	DeliveryID int64 `json:"delivery_id"`
}

func (p *AlertDeliveryPayload) valid() bool { return p.AccountID != 0 && p.DeliveryID != 0 }

// NewAlertsScheduleTask returns the periodic task that queues every account's alert check.
func NewAlertsScheduleTask() *asynq.Task {
	return asynq.NewTask(TypeAlertsSchedule, nil, asynq.Queue(QueueLow), asynq.MaxRetry(1), asynq.Unique(50*time.Second))
}

// HandleAlertsSchedule queues the alert check of every account with alert settings.
func (h *Handlers) HandleAlertsSchedule(ctx context.Context, _ *asynq.Task) error {
	return scheduleEach(ctx, h.Client, "alerts schedule", h.DB.AlertAccounts, func(id int64) (*asynq.Task, string, error) {
		task, err := newTask(TypeAlertsAccount, "alerts", AccountPayload{AccountID: id},
			asynq.Queue(QueueLow), asynq.MaxRetry(2), asynq.Unique(50*time.Second))
		return task, "queue alerts of account " + strconv.FormatInt(id, 10), err
	})
}

// HandleAlertsAccount checks one account's alerts (CheckAlerts).
func (h *Handlers) HandleAlertsAccount(ctx context.Context, t *asynq.Task) error {
	var p AccountPayload
	if err := readPayload(t, "alerts", &p, p.valid); err != nil {
		return err
	}
	_, err := h.CheckAlerts(ctx, p.AccountID)
	return err
}

// CheckAlerts brings accountID's alert events up to date at h's now and, when its digest is
// due, claims it and queues its deliveries. It returns the deliveries queued.
func (h *Handlers) CheckAlerts(ctx context.Context, accountID int64) ([]db.AlertDelivery, error) {
	now := h.now()
	s, err := h.DB.GetAlertSettings(ctx, accountID)
	if err != nil || !s.Saved {
		return nil, err
	}
	if _, err := h.DB.ScanAlerts(ctx, s, now); err != nil {
		return nil, fmt.Errorf("jobs: alerts: %w", err)
	}
	if err := h.webConnectorAlerts(ctx, accountID, now); err != nil {
		return nil, err
	}
	_, deliveries, err := h.DB.ClaimAlertDigest(ctx, accountID, now)
	if err != nil {
		return nil, fmt.Errorf("jobs: alerts: %w", err)
	}
	for _, d := range deliveries {
		task, err := newTask(TypeAlertDeliver, "alert delivery", AlertDeliveryPayload{AccountID: accountID, DeliveryID: d.ID},
			asynq.Queue(QueueDefault), asynq.MaxRetry(AlertDeliverRetries), asynq.Timeout(2*time.Minute))
		if err != nil {
			return nil, err
		}
		if err := enqueue(ctx, h.Client, task, "queue alert delivery"); err != nil {
			return nil, err
		}
	}
	return deliveries, nil
}

// webConnectorAlerts raises qbd_silent for each QuickBooks Desktop connection that is late
// (silent for 3 × its schedule) or failing, once while it stays so, and resolves it when the
// Web Connector is back.
func (h *Handlers) webConnectorAlerts(ctx context.Context, accountID int64, now time.Time) error {
	health, err := h.DB.QBDConnectionHealth(ctx, accountID, now)
	if err != nil {
		return fmt.Errorf("jobs: alerts: %w", err)
	}
	var events []db.AlertEvent
	keep := []string{}
	for _, c := range health {
		if c.Status != db.HealthLate && c.Status != db.HealthFailing {
			continue
		}
		subject := strconv.FormatInt(c.ConnectionID, 10)
		keep = append(keep, subject)
		msg := fmt.Sprintf("The Web Connector of %s has not run since %s (it runs every %d minutes).",
			c.Name, lastRun(c.LastAuthAt), c.RunEveryMinutes)
		if c.Reason != "silent" {
			msg = fmt.Sprintf("The Web Connector of %s is failing: its last runs or sign-ins failed in a row (since %s).",
				c.Name, c.Since.UTC().Format("2006-01-02 15:04 MST"))
		}
		events = append(events, db.AlertEvent{Kind: db.AlertQBDSilent, Subject: subject, Message: msg, Link: "/web-connector/" + subject})
	}
	if err := h.DB.ResolveAlerts(ctx, accountID, db.AlertQBDSilent, keep, now); err != nil {
		return fmt.Errorf("jobs: alerts: %w", err)
	}
	if _, err := h.DB.RaiseAlerts(ctx, accountID, events, now); err != nil {
		return fmt.Errorf("jobs: alerts: %w", err)
	}
	return nil
}

func lastRun(t *time.Time) string {
	if t == nil {
		return "it was added (never)"
	}
	return t.UTC().Format("2006-01-02 15:04 MST")
}

// HandleAlertDeliver makes one attempt at a digest's delivery; the last retry records it
// failed for good.
func (h *Handlers) HandleAlertDeliver(ctx context.Context, t *asynq.Task) error {
	var p AlertDeliveryPayload
	if err := readPayload(t, "alert delivery", &p, p.valid); err != nil {
		return err
	}
	if h.Alerts == nil {
		return fmt.Errorf("jobs: alert delivery: alerts are off in this worker: %w", asynq.SkipRetry)
	}
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	if err := h.Alerts.Deliver(ctx, p.AccountID, p.DeliveryID, !ok || retried >= maxRetry); err != nil {
		return fmt.Errorf("jobs: alert delivery %d: %w", p.DeliveryID, err)
	}
	return nil
}
