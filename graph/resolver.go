// Package graph is Ledgerlink's GraphQL API: the schema in schema/*.graphqls, the resolvers
// (one file per schema file), and the handler that wires authentication, limits and errors.
package graph

//go:generate go tool gqlgen generate

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/alerts"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// Resolver holds the dependencies every resolver needs. Resolvers read the caller's account
// from the request context (see auth.FromContext) and pass it to every store call.
type Resolver struct {
	DB        *db.DB
	Inspector *asynq.Inspector
	Log       *slog.Logger
	Now       func() time.Time
	// PublicURL is where merchants and the Web Connector reach us (for .qwc files).
	PublicURL string

	// Store connections and the order pipeline.
	Sealer   *db.Sealer
	Sources  ordersync.Sources
	Tasks    *asynq.Client
	Redis    redis.UniversalClient
	Pipeline *ordersync.Pipeline
	// DemoStores are offered by demoStorePresets; empty outside demo mode.
	DemoStores []DemoStore

	// QBO connects QuickBooks Online companies (nil: not set up on this server).
	QBO *qbo.Tokens
	// Alerts sends test alerts (sendTestAlert); nil answers that alerts are off.
	Alerts *alerts.Sender
}

// DemoStore is a simulated store of the demo with its (fixed, public) credentials.
type DemoStore struct {
	Channel, Name, BaseURL string
	Credentials            ordersync.Credentials
}

func (r *Resolver) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// auditLog records a settings change in the account's log. A failure to log does not undo the
// change; it is reported to the server log instead.
func (r *Resolver) auditLog(ctx context.Context, id *auth.Identity, msg string, details map[string]any) {
	if id.User != nil {
		details["by"] = id.User.Email
	}
	raw, _ := json.Marshal(details)
	l := &db.SyncLog{AccountID: id.AccountID, Level: db.LevelInfo, Source: "settings", Message: msg, Details: raw}
	if err := r.DB.AddLog(ctx, l); err != nil {
		r.Log.ErrorContext(ctx, "graph: audit log", "err", err)
	}
}
