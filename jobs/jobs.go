// Package jobs is Ledgerlink's background work on asynq: the queues, the task types and their
// handlers, and the periodic scheduler. Handlers are idempotent: asynq delivers at least once.
// A handler is thin: it reads its payload and hands the work to the package that owns it
// (ordersync for pulls, qbd for the Web Connector's queue), returning every error wrapped so
// asynq retries.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/alerts"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/invpush"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shipback"
	"github.com/ledgerlink/ledgerlink/jobs/ssexport"
)

// Queue names, by priority. Weights give critical work six turns for every one of low's.
const (
	QueueCritical = "critical" // Web Connector fill-ups a waiting session needs now
	QueueDefault  = "default"  // order pulls, inventory pushes
	QueueLow      = "low"      // housekeeping
)

// Queues maps each queue to its weight.
var Queues = map[string]int{QueueCritical: 6, QueueDefault: 3, QueueLow: 1}

// Handlers carries the dependencies of every task handler.
type Handlers struct {
	DB     *db.DB
	Log    *slog.Logger
	Worker string // names this process in heartbeats
	Now    func() time.Time

	// For the orders family.
	Redis    redis.UniversalClient
	Client   *asynq.Client
	Pipeline *ordersync.Pipeline
	Sources  ordersync.Sources
	Sealer   *db.Sealer

	// For inventory pushes: builds a store connection's invpush.Store (nil: invpush.Open).
	InventoryStores func(conn *db.StoreConnection, creds ordersync.Credentials, o invpush.StoreOptions) (invpush.Store, error)
	// For store webhooks: PublicURL is the address stores deliver to (LEDGERLINK_PUBLIC_URL);
	// Webhooks builds a channel's Subscriber (channels.Webhooks). Either unset turns
	// registration off.
	PublicURL string
	Webhooks  func(channel, baseURL string, creds ordersync.Credentials) (channels.Subscriber, error)

	// Detector runs inventory detections (after pulls of connections with inventory sync on,
	// and on TypeInventorySchedule); nil turns both off.
	Detector *invsync.Detector
	// ShipBack writes ShipStation shipments back into QuickBooks sales (TypeShipBack*); nil
	// turns it off.
	ShipBack *shipback.Service
	// Exporter pushes QuickBooks sales to ShipStation (TypeShipStationExport); nil turns it off.
	Exporter *ssexport.Exporter
	// Alerts delivers alert digests (TypeAlertDeliver); nil leaves deliveries undone.
	Alerts *alerts.Sender
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// NewMux registers every task type on one mux.
func NewMux(h *Handlers) *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.Use(h.logTask)
	mux.HandleFunc(TypeHeartbeat, h.HandleHeartbeat)
	mux.HandleFunc(TypeCleanup, h.HandleCleanup)
	mux.HandleFunc(TypeOrdersPull, h.HandlePull)
	mux.HandleFunc(TypeOrdersSchedule, h.HandleSchedule)
	mux.HandleFunc(TypeItemListSchedule, h.HandleItemListSchedule)
	mux.HandleFunc(TypeInventoryPush, h.HandleInventoryPush)
	mux.HandleFunc(TypeInventorySchedule, h.HandleInventorySchedule)
	mux.HandleFunc(TypeShipBackSchedule, h.HandleShipBackSchedule)
	mux.HandleFunc(TypeShipBackPoll, h.HandleShipBackPoll)
	mux.HandleFunc(TypeShipNotify, h.HandleShipNotify)
	mux.HandleFunc(TypeShipStationExport, h.HandleShipStationExport)
	mux.HandleFunc(TypeWebhookOrder, h.HandleWebhookOrder)
	mux.HandleFunc(TypeWebhooksRegister, h.HandleRegisterWebhooks)
	mux.HandleFunc(TypeWebhooksEnsure, h.HandleEnsureWebhooks)
	mux.HandleFunc(TypeSweepSchedule, h.HandleSweepSchedule)
	mux.HandleFunc(TypeSweep, h.HandleSweep)
	mux.HandleFunc(TypeAlertsSchedule, h.HandleAlertsSchedule)
	mux.HandleFunc(TypeAlertsAccount, h.HandleAlertsAccount)
	mux.HandleFunc(TypeAlertDeliver, h.HandleAlertDeliver)
	mux.HandleFunc(TypeQBOPost, h.HandleQBOPost)
	mux.HandleFunc(TypeInventoryDetectOnline, h.HandleInventoryDetectOnline)
	return mux
}

// ServerConfig returns the asynq server settings: weighted queues, a shutdown grace shorter than
// Docker's 10 s stop timeout, and an error handler that logs without payloads (they may hold
// customer data).
func ServerConfig(log *slog.Logger, concurrency int) asynq.Config {
	return asynq.Config{
		Concurrency:     concurrency,
		Queues:          Queues,
		ShutdownTimeout: 8 * time.Second,
		Logger:          slogAdapter{log},
		// A handler that returns a *LaterError is not failing: it says when to run again
		// (a store's rate limit, a connection pushed by another worker right now).
		RetryDelayFunc: func(n int, err error, t *asynq.Task) time.Duration {
			if l, ok := errors.AsType[*LaterError](err); ok {
				return max(time.Until(l.At), time.Second)
			}
			return asynq.DefaultRetryDelayFunc(n, err, t)
		},
		IsFailure: func(err error) bool {
			_, later := errors.AsType[*LaterError](err)
			return err != nil && !later
		},
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			id, _ := asynq.GetTaskID(ctx)
			if l, ok := errors.AsType[*LaterError](err); ok {
				log.Info("jobs: task continues later", "type", t.Type(), "id", id, "at", l.At, "why", l.Why)
				return
			}
			retried, _ := asynq.GetRetryCount(ctx)
			maxRetry, _ := asynq.GetMaxRetry(ctx)
			log.Error("jobs: task failed", "type", t.Type(), "id", id, "retry", retried, "max_retry", maxRetry, "err", err)
		}),
	}
}

// WorkerName identifies this process in heartbeats: host and pid.
func WorkerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

func (h *Handlers) logTask(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		err := next.ProcessTask(ctx, t)
		if err == nil || errors.Is(err, asynq.SkipRetry) {
			h.Log.Debug("jobs: task done", "type", t.Type(), "took", time.Since(start))
		}
		return err
	})
}

// QueueStat is a snapshot of one queue.
type QueueStat struct {
	Name                                        string
	Pending, Active, Scheduled, Retry, Archived int
	ProcessedToday, FailedToday                 int
}

// QueueStats reads every known queue's counters. Queues that never held a task are reported with
// zeros rather than omitted, so the dashboard always lists the same rows.
func QueueStats(insp *asynq.Inspector) ([]QueueStat, error) {
	existing, err := insp.Queues()
	if err != nil {
		return nil, fmt.Errorf("jobs: list queues: %w", err)
	}
	known := map[string]bool{}
	for _, q := range existing {
		known[q] = true
	}
	out := []QueueStat{}
	for _, name := range []string{QueueCritical, QueueDefault, QueueLow} {
		if !known[name] {
			out = append(out, QueueStat{Name: name})
			continue
		}
		info, err := insp.GetQueueInfo(name)
		if err != nil {
			return nil, fmt.Errorf("jobs: queue %s: %w", name, err)
		}
		out = append(out, QueueStat{Name: name, Pending: info.Pending, Active: info.Active, Scheduled: info.Scheduled,
			Retry: info.Retry, Archived: info.Archived, ProcessedToday: info.Processed, FailedToday: info.Failed})
	}
	return out, nil
}

// slogAdapter routes asynq's internal logging into slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a slogAdapter) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)); os.Exit(1) }
