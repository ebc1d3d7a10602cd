// Command ledgerlink keeps online stores and shipping platforms in sync with QuickBooks.
//
//	ledgerlink run          migrate, serve HTTP and run workers; -demo also seeds the demo (make run)
//	ledgerlink serve        HTTP: GraphQL, SPA, Web Connector, job monitor, health
//	ledgerlink worker       asynq workers and the periodic scheduler
//	ledgerlink migrate      apply database migrations and exit
//	ledgerlink create-user  add a user (e.g. a support engineer) from the command line
//	ledgerlink healthcheck  exit 0 when /healthz answers 200 (for container healthchecks)
//	ledgerlink sim qbd      a simulated Web Connector + QuickBooks company, for demos and benchmarks
//	ledgerlink sim qbo      a simulated QuickBooks Online company (OAuth + Accounting API) on an address
//
// Configuration comes from the environment; see README.md.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
	"github.com/ledgerlink/ledgerlink/server"
	"github.com/ledgerlink/ledgerlink/server/auth"
	"github.com/ledgerlink/ledgerlink/server/demo"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()}))
	slog.SetDefault(log)
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "run":
		err = runAll(ctx, log, args)
	case "serve":
		err = serve(ctx, log, args)
	case "worker":
		err = worker(ctx, log, args)
	case "migrate":
		err = migrate(ctx, log, args)
	case "create-user":
		err = createUser(ctx, log, args)
	case "healthcheck":
		err = healthcheck(args)
	case "sim":
		err = simCommand(ctx, log, args)
	case "help", "-h", "--help":
		usage()
		return
	default:
		fmt.Fprintf(os.Stderr, "ledgerlink: unknown command %q\n\n", cmd)
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledgerlink:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage: ledgerlink <command> [flags]

commands:
  run          migrate, serve HTTP and run workers in one process (flag: -demo, or
               LEDGERLINK_DEMO=1: also seed the demo account and serve simulated stores)
  serve        serve HTTP (flags: -migrate, -seed-demo)
  worker       run background workers (flags: -scheduler, -migrate)
  migrate      apply database migrations
  create-user  add a user: -email, -name, -role owner|member|support, -account "Name"
               (password from LEDGERLINK_NEW_PASSWORD or standard input)
  healthcheck  check GET /healthz (flag: -url)
  sim qbd      play the QuickBooks Web Connector + a QuickBooks company against /qbwc
               (flags: -url, -user, -password, -company file.json, -latency, -until-done, -every, -drop)
  sim qbo      serve a simulated QuickBooks Online company: Intuit's OAuth screens and the Accounting API
               (flags: -addr, -company file.json, -client-id, -client-secret, -redirect, -realm, -name,
               -webhook, -webhook-verifier, -rpm, -latency, -no-sku)

environment: DATABASE_URL, REDIS_URL, LEDGERLINK_ADDR, LEDGERLINK_PUBLIC_URL,
LEDGERLINK_SECRET_KEY, LEDGERLINK_DEV, LEDGERLINK_DEMO, LEDGERLINK_DEMO_EMAIL, LEDGERLINK_DEMO_PASSWORD,
LEDGERLINK_DEMO_API_KEY, LEDGERLINK_QBD_IN_DOUBT_GRACE, LEDGERLINK_LOG_LEVEL (debug|info|warn|error)
`)
}

func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("LEDGERLINK_LOG_LEVEL"))); err != nil {
		return slog.LevelInfo
	}
	return l
}

// open loads the configuration and connects, optionally migrating and seeding first.
func open(ctx context.Context, log *slog.Logger, doMigrate, seed bool) (*server.App, error) {
	cfg, err := server.LoadConfig()
	if err != nil {
		return nil, err
	}
	return openWith(ctx, log, cfg, doMigrate, seed, false, nil)
}

// openWith connects with cfg, optionally migrating and seeding the demo account first.
// simulated is set in demo mode under `run`, which serves the demo's simulated stores itself;
// qboSim, when set, is the simulated QuickBooks Online company it serves too.
func openWith(ctx context.Context, log *slog.Logger, cfg *server.Config, doMigrate, seed, simulated bool, qboSim *qbosim.Server) (*server.App, error) {
	app, err := server.Open(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if doMigrate {
		applied, err := app.DB.Migrate(ctx)
		if err != nil {
			app.Close()
			return nil, err
		}
		for _, name := range applied {
			log.Info("migration applied", "name", name)
		}
	} else if pending, err := app.DB.PendingMigrations(ctx); err != nil {
		app.Close()
		return nil, err
	} else if len(pending) > 0 {
		app.Close()
		return nil, fmt.Errorf("the database schema is behind (%d pending migrations, first %s): run `ledgerlink migrate`", len(pending), pending[0])
	}
	if seed {
		opts := demo.Options{Email: cfg.DemoEmail, Password: cfg.DemoPassword, APIKey: cfg.DemoAPIKey,
			QBWCUsername: cfg.DemoQBWCUser, QBWCPassword: cfg.DemoQBWCPassword}
		if simulated && cfg.DemoSimEvery > 0 && app.Sealer != nil {
			// The demo's stores are simulators served by this process (see runAll).
			opts.Stores = &demo.StoreOptions{PublicURL: "http://" + cfg.Addr, Sealer: app.Sealer, QBO: qboSim}
		}
		acct, err := demo.Seed(ctx, app.DB, opts)
		if err != nil {
			app.Close()
			return nil, err
		}
		log.Info("demo account ready", "account", acct.Name, "email", cfg.DemoEmail)
	}
	return app, nil
}

func runAll(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	demoMode := fs.Bool("demo", false, "demo mode: seed the demo account and serve simulated stores and QuickBooks (same as LEDGERLINK_DEMO=1)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := server.LoadConfig()
	if err != nil {
		return err
	}
	cfg.Demo = cfg.Demo || *demoMode
	app, err := openRun(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer app.Close()
	// Serve and work until a signal or until either fails; then stop the other and wait.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 2)
	go func() {
		errs <- app.Serve(ctx, func(addr string) { fmt.Fprint(os.Stderr, runBanner(cfg, addr)) })
	}()
	go func() { errs <- app.Work(ctx, true) }()
	if every := cfg.DemoSimEvery; cfg.Demo && every > 0 {
		// The demo account's QuickBooks Desktop is a simulated Web Connector + company file,
		// polling this server like a merchant's PC would.
		url := "http://" + app.Config.Addr + "/qbwc"
		go func() {
			time.Sleep(2 * time.Second) // let the listener come up
			err := demo.WebConnector(ctx, log, url, app.Config.DemoQBWCUser, app.Config.DemoQBWCPassword, app.Config.DemoCompanyFile, every)
			if err != nil {
				log.Warn("demo web connector stopped", "err", err)
			}
		}()
	}
	first := <-errs
	cancel()
	return errors.Join(first, <-errs)
}

// runBanner is what `run` prints once it listens. The demo login is in it only in demo mode:
// elsewhere LEDGERLINK_DEMO_PASSWORD is not a password anyone should read off a terminal or log.
func runBanner(cfg *server.Config, addr string) string {
	if !cfg.Demo {
		return fmt.Sprintf("\nLedgerlink is running at http://%s\n  health: http://%s/healthz\n\n", addr, addr)
	}
	return fmt.Sprintf("\nLedgerlink is running at http://%s (demo mode)\n  sign in as %s / %s\n  health: http://%s/healthz\n\n",
		addr, cfg.DemoEmail, cfg.DemoPassword, addr)
}

// openRun opens the app for `run`: migrated and, only in demo mode (cfg.Demo), with the demo
// account seeded and the simulated stores mounted under /sim/. Outside demo mode nothing with
// fixed credentials is created or served.
func openRun(ctx context.Context, log *slog.Logger, cfg *server.Config) (*server.App, error) {
	simulated := cfg.Demo && cfg.DemoSimEvery > 0
	var qboSim *qbosim.Server
	if simulated {
		// Before the app opens: its QuickBooks Online settings then name the simulator.
		sim, err := demo.SimulatedQBO(cfg, filepath.Join(filepath.Dir(cfg.DemoCompanyFile), "demo-qbo-company.json"))
		if err != nil {
			return nil, err
		}
		qboSim = sim
	}
	app, err := openWith(ctx, log, cfg, true, cfg.Demo, cfg.Demo, qboSim)
	if err != nil {
		return nil, err
	}
	if simulated {
		app.Simulators = demo.Simulators("http://" + cfg.Addr)
		if qboSim != nil {
			app.Simulators["qbo"] = qboSim // demo.SimQBOPath
			// The Online shop sells what the simulated company stocks, and posts to it.
			shop, err := demo.OnlineShop("http://"+cfg.Addr, qboSim)
			if err != nil {
				app.Close()
				return nil, err
			}
			app.Simulators[demo.OnlineShopSim] = shop
		}
		for _, p := range demo.StorePresets("http://" + cfg.Addr) {
			app.DemoStores = append(app.DemoStores, graph.DemoStore{Channel: p.Channel, Name: p.Name, BaseURL: p.BaseURL, Credentials: p.Credentials})
		}
		// The demo's stores are those simulators, on this server's own (usually loopback) address.
		if os.Getenv(storenet.AllowPrivateEnv) == "" {
			os.Setenv(storenet.AllowPrivateEnv, "1")
			log.Info("demo mode: store connections may reach private addresses (" + storenet.AllowPrivateEnv + "=1)")
		}
	}
	return app, nil
}

func serve(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	doMigrate := fs.Bool("migrate", false, "apply migrations before serving")
	seed := fs.Bool("seed-demo", false, "create or refresh the demo account")
	if err := fs.Parse(args); err != nil {
		return err
	}
	app, err := open(ctx, log, *doMigrate, *seed)
	if err != nil {
		return err
	}
	defer app.Close()
	return app.Serve(ctx, func(addr string) { log.Info("serving", "addr", addr) })
}

func worker(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ExitOnError)
	sched := fs.Bool("scheduler", true, "also run the periodic scheduler (run exactly one per deployment)")
	doMigrate := fs.Bool("migrate", false, "apply migrations before starting")
	if err := fs.Parse(args); err != nil {
		return err
	}
	app, err := open(ctx, log, *doMigrate, false)
	if err != nil {
		return err
	}
	defer app.Close()
	log.Info("worker started", "scheduler", *sched)
	return app.Work(ctx, *sched)
}

// openConfigured opens the database the environment configures (see server.LoadConfig),
// without migrating it: for the commands that work on a database directly.
func openConfigured(ctx context.Context) (*db.DB, error) {
	cfg, err := server.LoadConfig()
	if err != nil {
		return nil, err
	}
	return db.Open(ctx, cfg.DatabaseURL)
}

func migrate(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ExitOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := openConfigured(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		log.Info("database schema is up to date")
	}
	for _, name := range applied {
		log.Info("migration applied", "name", name)
	}
	return nil
}

func createUser(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("create-user", flag.ExitOnError)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "owner", "owner, member or support")
	account := fs.String("account", "", "account name; created when no account of that name exists (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *account == "" || !db.Role(*role).Valid() {
		fs.Usage()
		return errors.New("create-user needs -email, -account and a valid -role")
	}
	password := os.Getenv("LEDGERLINK_NEW_PASSWORD")
	if password == "" {
		fmt.Fprint(os.Stderr, "Password: ")
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	if len(password) < 10 {
		return errors.New("the password must have at least 10 characters")
	}
	d, err := openConfigured(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	res, err := d.ListAccounts(ctx, *account, db.Page{Limit: db.MaxPageSize})
	if err != nil {
		return err
	}
	var acct *db.Account
	for i := range res.Items {
		if strings.EqualFold(res.Items[i].Name, *account) {
			acct = &res.Items[i]
		}
	}
	if acct == nil {
		acct = &db.Account{Name: *account}
		if err := d.CreateAccount(ctx, acct); err != nil {
			return err
		}
	}
	u := &db.User{AccountID: acct.ID, Email: *email, Name: *name, Role: db.Role(*role), PasswordHash: hash}
	if err := d.CreateUser(ctx, u); err != nil {
		return err
	}
	log.Info("user created", "email", u.Email, "role", u.Role, "account", acct.Name)
	return nil
}

func healthcheck(args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ExitOnError)
	addr := os.Getenv("LEDGERLINK_ADDR")
	if addr == "" || strings.HasPrefix(addr, "0.0.0.0:") || strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1:" + addr[strings.LastIndex(addr, ":")+1:]
		if addr == "127.0.0.1:" {
			addr = "127.0.0.1:8080"
		}
	}
	url := fs.String("url", "http://"+addr+"/healthz", "health URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(*url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", *url, resp.Status)
	}
	return nil
}
