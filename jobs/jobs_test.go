package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestHeartbeatIsIdempotentPerMinute(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	before, err := d.CountHeartbeats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	h := &Handlers{DB: d, Log: quiet, Worker: "test", Now: func() time.Time { return at }}
	for range 3 { // at-least-once delivery: the same minute three times
		if err := h.HandleHeartbeat(ctx, NewHeartbeatTask()); err != nil {
			t.Fatal(err)
		}
	}
	at = at.Add(time.Minute)
	if err := h.HandleHeartbeat(ctx, NewHeartbeatTask()); err != nil {
		t.Fatal(err)
	}
	after, _ := d.CountHeartbeats(ctx)
	if after-before != 2 {
		t.Fatalf("heartbeat rows added = %d, want 2", after-before)
	}
	last, err := d.LastHeartbeat(ctx)
	if err != nil || !last.Equal(at) {
		t.Fatalf("last heartbeat = %v, %v; want %v", last, err, at)
	}
}

// TestWorkerRunsEnqueuedTask proves the wiring end to end: a task enqueued in real Redis is
// picked up by a real asynq server with our mux and lands in Postgres, and the queue
// counters the dashboard reads show it.
func TestWorkerRunsEnqueuedTask(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	opt, client := testTaskClient(t)
	before, err := d.CountHeartbeats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enqueue(NewHeartbeatTask()); err != nil {
		t.Fatal(err)
	}
	// A second enqueue within the uniqueness window is refused, not queued twice. The worker
	// starts after it: asynq lets a task's uniqueness go once the task succeeds, and a worker
	// already running could finish the first heartbeat in between (a clean CI run saw it).
	if _, err := client.Enqueue(NewHeartbeatTask()); !errors.Is(err, asynq.ErrDuplicateTask) {
		t.Fatalf("second enqueue: %v, want ErrDuplicateTask", err)
	}
	startTestWorker(t, opt, &Handlers{DB: d, Log: quiet, Worker: "wiring-test"}, 2)
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, err := d.CountHeartbeats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == before+1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker did not record the heartbeat within 20 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	for {
		stats, err := QueueStats(insp)
		if err != nil {
			t.Fatal(err)
		}
		if len(stats) != 3 || stats[0].Name != QueueCritical {
			t.Fatalf("stats = %+v", stats)
		}
		if stats[2].Name == QueueLow && stats[2].ProcessedToday == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("low queue stats never showed the processed task: %+v", stats[2])
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSchedulerRegistersPeriodicTasks(t *testing.T) {
	t.Parallel() // the scheduler publishes its entries on a ~10 s tick
	opt, err := asynq.ParseRedisURI(dbtest.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewScheduler(opt, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		entries, err := insp.SchedulerEntries()
		if err != nil {
			t.Fatal(err)
		}
		types := map[string]string{}
		for _, e := range entries {
			types[e.Task.Type()] = e.Spec
		}
		if types[TypeHeartbeat] == "@every 1m" && types[TypeCleanup] == "@every 1h" && types[TypeItemListSchedule] == "@every 15m" &&
			types[TypeInventorySchedule] == "@every 5m" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("scheduler entries = %v", types)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
