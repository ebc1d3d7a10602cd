package jobs

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// NewScheduler returns the periodic-task scheduler with every periodic task registered. Run one
// per deployment (the worker role does unless started with -scheduler=false); the tasks are
// Unique, so a second scheduler by mistake does not double the work.
func NewScheduler(redis asynq.RedisConnOpt, log *slog.Logger) (*asynq.Scheduler, error) {
	s := asynq.NewScheduler(redis, &asynq.SchedulerOpts{Logger: slogAdapter{log}, Location: time.UTC})
	cleanup := asynq.NewTask(TypeCleanup, nil, asynq.Queue(QueueLow), asynq.MaxRetry(3), asynq.Unique(30*time.Minute))
	for _, e := range []struct {
		spec string
		task *asynq.Task
	}{
		{"@every 1m", NewHeartbeatTask()},
		{"@every 1h", cleanup},
		{"@every 1m", asynq.NewTask(TypeOrdersSchedule, nil, asynq.Queue(QueueDefault), asynq.MaxRetry(1), asynq.Unique(50*time.Second))},
		{"@every 15m", asynq.NewTask(TypeItemListSchedule, nil, asynq.Queue(QueueLow), asynq.MaxRetry(1), asynq.Unique(10*time.Minute))},
		{"@every 5m", asynq.NewTask(TypeShipBackSchedule, nil, asynq.Queue(QueueDefault), asynq.MaxRetry(1), asynq.Unique(ShipBackScheduleEvery-time.Minute))},
		{"@every 10m", NewEnsureWebhooksTask()},
		// The missed-order sweeper checks yesterday (UTC) once a day, when late webhooks and
		// the last pulls of the day have had half an hour to arrive.
		{"30 0 * * *", asynq.NewTask(TypeSweepSchedule, nil, asynq.Queue(QueueLow), asynq.MaxRetry(3), asynq.Unique(time.Hour))},
		{"@every 1m", NewAlertsScheduleTask()},
		{"@every 5m", asynq.NewTask(TypeInventorySchedule, nil, asynq.Queue(QueueDefault), asynq.MaxRetry(1), asynq.Unique(InventoryScheduleEvery-time.Minute))},
	} {
		if _, err := s.Register(e.spec, e.task); err != nil {
			return nil, fmt.Errorf("jobs: register %s: %w", e.task.Type(), err)
		}
	}
	return s, nil
}
