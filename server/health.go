package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
)

// healthHandler answers 200 when Postgres and Redis both answer within two seconds, and 503
// naming what failed otherwise. Anyone may ask, so the answer names the failing part only; the
// driver's error (addresses, versions) goes to the server log.
func healthHandler(d *db.DB, rdb redis.UniversalClient, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status := map[string]string{"postgres": "ok", "redis": "ok"}
		code := http.StatusOK
		if err := d.Ping(ctx); err != nil {
			log.WarnContext(ctx, "healthz: postgres", "err", err)
			status["postgres"] = "unreachable"
			code = http.StatusServiceUnavailable
		}
		if err := rdb.Ping(ctx).Err(); err != nil {
			log.WarnContext(ctx, "healthz: redis", "err", err)
			status["redis"] = "unreachable"
			code = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(status)
	})
}
