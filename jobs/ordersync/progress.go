package ordersync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Progress is the live state of one connection's pull, kept in Redis for a week so the SPA can
// show it while it runs and after.
type Progress struct {
	State      string    `json:"state"` // queued, running, done, failed
	From       time.Time `json:"from,omitzero"`
	To         time.Time `json:"to,omitzero"`
	Pages      int       `json:"pages"`
	Orders     int       `json:"orders"`
	NewOrders  int       `json:"newOrders"`
	Queued     int       `json:"queued"`
	Errors     int       `json:"errors"`
	Error      string    `json:"error,omitempty"`
	StartedAt  time.Time `json:"startedAt,omitzero"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
}

// Progress states.
const (
	ProgressQueued  = "queued"
	ProgressRunning = "running"
	ProgressDone    = "done"
	ProgressFailed  = "failed"
)

func progressKey(connectionID int64) string {
	return fmt.Sprintf("ledgerlink:sync-progress:%d", connectionID)
}

// SaveProgress stores p for the connection.
func SaveProgress(ctx context.Context, rdb redis.UniversalClient, connectionID int64, p Progress) error {
	b, _ := json.Marshal(p)
	if err := rdb.Set(ctx, progressKey(connectionID), b, 7*24*time.Hour).Err(); err != nil {
		return fmt.Errorf("ordersync: save progress: %w", err)
	}
	return nil
}

// LoadProgress returns the connection's last progress, or ok=false when it never synced.
func LoadProgress(ctx context.Context, rdb redis.UniversalClient, connectionID int64) (Progress, bool, error) {
	b, err := rdb.Get(ctx, progressKey(connectionID)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Progress{}, false, nil
	} else if err != nil {
		return Progress{}, false, fmt.Errorf("ordersync: load progress: %w", err)
	}
	var p Progress
	if err := json.Unmarshal(b, &p); err != nil {
		return Progress{}, false, fmt.Errorf("ordersync: load progress: %w", err)
	}
	return p, true, nil
}
