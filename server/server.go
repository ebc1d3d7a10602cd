package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/frontend"
	"github.com/ledgerlink/ledgerlink/graph"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/alerts"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/shipback"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/ssexport"
	"github.com/ledgerlink/ledgerlink/server/auth"
	"github.com/ledgerlink/ledgerlink/server/qbwc"
)

// Version is reported to the Web Connector (serverVersion) and in logs; set at build time with
// -ldflags "-X github.com/ledgerlink/ledgerlink/server.Version=…".
var Version = "dev"

// App holds the shared dependencies of every role.
type App struct {
	Config   *Config
	Log      *slog.Logger
	DB       *db.DB
	Redis    *redis.Client
	RedisOpt asynq.RedisConnOpt
	Auth     *auth.Service
	// Sealer encrypts store credentials; nil when LEDGERLINK_SECRET_KEY is not set.
	Sealer   *db.Sealer
	Pipeline *ordersync.Pipeline
	// Detector reads QuickBooks Desktop quantities for inventory sync (owner of the engine's
	// inventory work).
	Detector *invsync.Detector
	// ShipBack writes ShipStation shipments back into QuickBooks sales (owner of the engine's
	// shipback work; shipstation_ship_webhook.go).
	ShipBack *shipback.Service
	// Exporter sends QuickBooks sales to ShipStation connections with that direction on.
	Exporter *ssexport.Exporter
	// QBO connects QuickBooks Online companies and keeps their tokens fresh; nil without
	// LEDGERLINK_SECRET_KEY (tokens are sealed with it).
	QBO *qbo.Tokens
	// Alerts delivers alert digests and test alerts (e-mail and signed webhooks).
	Alerts *alerts.Sender
	// Simulators are simulated outside systems served under /sim/<name>/ (demo mode).
	Simulators map[string]http.Handler
	// DemoStores are the simulated stores the Add store wizard offers with their credentials
	// (demo mode only; GraphQL demoStorePresets).
	DemoStores []graph.DemoStore
	engine     *qbd.Engine
	tasks      *asynq.Client
}

// Open connects to Postgres and Redis, failing fast (seconds, not minutes) with the URL that
// did not answer.
func Open(ctx context.Context, cfg *Config, log *slog.Logger) (*App, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	ropt, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("server: REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(ropt)
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		d.Close()
		rdb.Close()
		return nil, fmt.Errorf("server: redis at %s does not answer: %w", redactRedis(ropt), err)
	}
	asynqOpt, err := asynq.ParseRedisURI(cfg.RedisURL)
	if err != nil {
		d.Close()
		rdb.Close()
		return nil, fmt.Errorf("server: REDIS_URL for asynq: %w", err)
	}
	a := &App{
		Config: cfg, Log: log, DB: d, Redis: rdb, RedisOpt: asynqOpt,
		Auth:  &auth.Service{DB: d, Redis: rdb, Log: log, SecureCookies: cfg.SecureCookies(), TrustedProxies: cfg.TrustedProxies},
		tasks: asynq.NewClient(asynqOpt),
	}
	if cfg.SecretKey != "" {
		if a.Sealer, err = db.NewSealer(cfg.SecretKey); err != nil {
			a.Close()
			return nil, err
		}
	}
	if a.Sealer != nil {
		a.QBO = &qbo.Tokens{DB: d, Sealer: a.Sealer, Config: cfg.QBO(), Now: cfg.Now}
	}
	// One engine per process: the SOAP route and the workers share its hooks into the order
	// pipeline (orders follow what QuickBooks answered, missing items get created).
	a.engine = &qbd.Engine{DB: d, Redis: rdb, Log: log, InDoubtGrace: cfg.InDoubtGrace}
	a.Pipeline = &ordersync.Pipeline{DB: d, Engine: a.engine, Rules: rules.NewLoader(d), Log: log}
	a.Pipeline.OnlineQueued = jobs.QBOPostNotifier(a.tasks, log)
	if a.QBO != nil {
		// One limiter for every company, in Redis: all workers share each company's allowance.
		limiter := qbo.NewLimiter(rdb)
		a.Pipeline.Online = func(ctx context.Context, accountID, qboConnectionID int64) (*qbo.Client, error) {
			return a.QBO.Client(ctx, accountID, qboConnectionID, limiter)
		}
	}
	a.Pipeline.Register(a.engine)
	// Inventory detections ride the same engine; what they queue is pushed by the workers.
	a.Detector = &invsync.Detector{DB: d, Engine: a.engine, Rules: a.Pipeline.Rules, Notify: jobs.InventoryPushNotifier(a.tasks)}
	a.Detector.Online = a.Pipeline.Online // nil without QuickBooks Online app keys: Online detection off
	a.Detector.Register(a.engine)
	a.ShipBack = a.newShipBack()
	// QuickBooks sales to ShipStation: read on every Web Connector run, pushed by the workers.
	a.Exporter = &ssexport.Exporter{DB: d, Engine: a.engine, Rules: a.Pipeline.Rules, Notify: jobs.ShipStationExportNotifier(a.tasks)}
	a.Exporter.Client = func(ctx context.Context, sc *db.StoreConnection) (*shipstation.Client, error) {
		return ssexport.ClientFor(a.Sealer)(ctx, sc) // a.Sealer as it is when the push runs
	}
	a.Exporter.Register(a.engine)
	mailer, err := alerts.NewMailer(cfg.SMTPURL, cfg.SMTPFrom)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Alerts = &alerts.Sender{DB: d, Sealer: a.Sealer, Mailer: mailer, PublicURL: cfg.PublicURL, Now: cfg.Now}
	return a, nil
}

// Engine returns the QuickBooks Desktop engine.
func (a *App) Engine() *qbd.Engine { return a.engine }

// Close releases the connections.
func (a *App) Close() {
	if a.tasks != nil {
		a.tasks.Close()
	}
	a.Redis.Close()
	a.DB.Close()
}

// Handler builds the one mux that serves every route.
func (a *App) Handler() http.Handler {
	inspector := asynq.NewInspector(a.RedisOpt)
	mux := http.NewServeMux()
	gql := graph.NewHandler(&graph.Resolver{DB: a.DB, Inspector: inspector, Log: a.Log, Now: a.Config.Now, PublicURL: a.Config.PublicURL,
		Sealer: a.Sealer, Sources: channels.Sources, Tasks: a.tasks, Redis: a.Redis, Pipeline: a.Pipeline, DemoStores: a.DemoStores, QBO: a.QBO,
		Alerts: a.Alerts},
		a.Auth, graph.Options{Dev: a.Config.Dev})
	mux.Handle("POST /graphql", gql)
	if a.Config.Dev {
		mux.Handle("GET /graphql", gql) // GraphiQL for signed-in developers
	}
	a.Auth.Routes(mux)
	mux.Handle("GET /healthz", healthHandler(a.DB, a.Redis, a.Log))
	mux.Handle(MonitoringPath+"/", monitoringHandler(a.Auth, a.RedisOpt))
	mux.Handle("/qbwc", &qbwc.Service{DB: a.DB, Engine: a.Engine(), Log: a.Log, Version: Version, Redis: a.Redis, Now: a.Config.Now,
		TrustedProxies: a.Config.TrustedProxies, Authenticated: a.readEachRun})
	mux.HandleFunc("GET /qbwc/support", qbwc.SupportPage)
	mux.HandleFunc(ShipNotifyRoute, a.shipNotify)
	mux.HandleFunc("GET "+QBOCallbackPath, a.qboCallback)
	a.webhookRoutes(mux)
	for name, h := range a.Simulators {
		prefix := "/sim/" + name
		mux.Handle(prefix+"/", http.StripPrefix(prefix, h))
	}
	mux.Handle("/", spaHandler(frontend.Dist()))
	return securityHeaders(logRequests(a.Log, mux), a.Config.SecureCookies())
}

// Serve runs the HTTP server until ctx ends, then drains it for up to ten seconds.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("server: listen on %s: %w", a.Config.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// The Web Connector posts whole qbXML responses; GraphQL bodies are small.
		ReadTimeout:  2 * time.Minute,
		WriteTimeout: 2 * time.Minute,
		IdleTimeout:  2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}

// Work runs the asynq workers (and, when scheduler is true, the periodic scheduler) until ctx
// ends, then shuts them down gracefully.
func (a *App) Work(ctx context.Context, scheduler bool) error {
	srv := asynq.NewServer(a.RedisOpt, jobs.ServerConfig(a.Log, a.Config.Concurrency))
	mux := jobs.NewMux(&jobs.Handlers{DB: a.DB, Log: a.Log, Worker: jobs.WorkerName(), Redis: a.Redis, Client: a.tasks,
		Pipeline: a.Pipeline, Sources: channels.Sources, Sealer: a.Sealer, Detector: a.Detector, ShipBack: a.ShipBack,
		Exporter: a.Exporter, PublicURL: a.Config.PublicURL, Webhooks: channels.Webhooks, Alerts: a.Alerts})
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("worker: start: %w", err)
	}
	var sched *asynq.Scheduler
	if scheduler {
		var err error
		if sched, err = jobs.NewScheduler(a.RedisOpt, a.Log); err != nil {
			srv.Shutdown()
			return err
		}
		if err := sched.Start(); err != nil {
			srv.Shutdown()
			return fmt.Errorf("worker: scheduler: %w", err)
		}
		// A first heartbeat and a first round of due pulls right away, so a fresh install shows
		// a live worker and its stores' orders without waiting for the scheduler's first tick.
		for _, t := range []*asynq.Task{jobs.NewHeartbeatTask(), asynq.NewTask(jobs.TypeOrdersSchedule, nil, asynq.Queue(jobs.QueueDefault)),
			jobs.NewEnsureWebhooksTask()} {
			if _, err := a.tasks.Enqueue(t); err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
				a.Log.Warn("worker: first "+t.Type(), "err", err)
			}
		}
	}
	<-ctx.Done()
	if sched != nil {
		sched.Shutdown()
	}
	srv.Shutdown()
	return nil
}

func redactRedis(o *redis.Options) string {
	return fmt.Sprintf("%s (db %d)", o.Addr, o.DB)
}

// readEachRun queues what every Web Connector run reads: inventory (readInventoryEachRun) and
// the sales ShipStation connections with QuickBooks → ShipStation on get.
func (a *App) readEachRun(ctx context.Context, accountID, qbdConnectionID int64) error {
	if err := a.readInventoryEachRun(ctx, accountID, qbdConnectionID); err != nil {
		return err
	}
	if a.Exporter == nil {
		return nil
	}
	_, err := a.Exporter.Start(ctx, accountID, qbdConnectionID)
	return err
}

// readInventoryEachRun queues an inventory detection for the Web Connector run that is starting
// when a store with inventory sync on posts to the company (Connex reads recently modified
// items on every run, and so do we): an adjustment made in QuickBooks reaches the stores after
// the next run, not the next scheduled detection. A detection under way is not doubled.
func (a *App) readInventoryEachRun(ctx context.Context, accountID, qbdConnectionID int64) error {
	if a.Detector == nil {
		return nil
	}
	on, err := a.DB.InventorySyncOn(ctx, accountID, qbdConnectionID)
	if err != nil || !on {
		return err
	}
	_, err = a.Detector.Start(ctx, accountID, qbdConnectionID)
	return err
}
