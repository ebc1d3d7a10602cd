// Package server wires Ledgerlink's HTTP side: one net/http mux carrying GraphQL, the SPA, the
// Web Connector route, the job monitor and the health check, plus the process roles (serve,
// worker, both) that main.go starts.
package server

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/alerts"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// Config is read once from the environment.
type Config struct {
	DatabaseURL string // DATABASE_URL
	RedisURL    string // REDIS_URL
	Addr        string // LEDGERLINK_ADDR, default 127.0.0.1:8080
	PublicURL   string // LEDGERLINK_PUBLIC_URL, default http://<Addr>
	SecretKey   string // LEDGERLINK_SECRET_KEY: encrypts stored credentials
	Dev         bool   // LEDGERLINK_DEV=1: GraphQL playground and introspection
	Concurrency int    // LEDGERLINK_WORKER_CONCURRENCY, default 10
	// InDoubtGrace (LEDGERLINK_QBD_IN_DOUBT_GRACE, default qbd.DefaultInDoubtGrace, at least 1s)
	// is how long after a lost Web Connector answer QuickBooks is asked again before a resend.
	InDoubtGrace time.Duration
	// TrustedProxies (LEDGERLINK_TRUSTED_PROXIES: IPs and CIDRs, comma-separated) are the
	// reverse proxies whose X-Forwarded-For names the client; from anyone else it is ignored.
	TrustedProxies []netip.Prefix
	// Now, when set, is the clock of the GraphQL resolvers and the Web Connector route (tests
	// drive time with it); nil is time.Now. Not read from the environment.
	Now func() time.Time

	// QuickBooks Online: the app's credentials at Intuit (LEDGERLINK_QBO_CLIENT_ID / _SECRET;
	// unset, QuickBooks Online cannot be connected) and Intuit's endpoints
	// (LEDGERLINK_QBO_AUTH_URL, _TOKEN_URL, _REVOKE_URL, _API_URL; default production Intuit).
	QBOClientID, QBOClientSecret                     string
	QBOAuthURL, QBOTokenURL, QBORevokeURL, QBOAPIURL string
	// QBOWebhookToken (LEDGERLINK_QBO_WEBHOOK_TOKEN) is the app's webhook verifier token: POST
	// /webhooks/qbo accepts only notifications signed with it; unset, it accepts none.
	QBOWebhookToken string
	// SMTPURL (LEDGERLINK_SMTP_URL, smtp://user:pass@host:587 with STARTTLS, or smtps://…:465)
	// and SMTPFrom (LEDGERLINK_SMTP_FROM) send alert e-mail; unset, alerts go by webhook only.
	// The password is never logged.
	SMTPURL  string
	SMTPFrom string

	// Demo (LEDGERLINK_DEMO=1, or `run -demo`) asks for demo mode: `run` seeds the demo account
	// and serves the simulated stores (/sim/*, fixed credentials) and the simulated QuickBooks.
	// Off by default so a production `run` or `serve` never exposes them.
	Demo bool

	DemoEmail    string // LEDGERLINK_DEMO_EMAIL
	DemoPassword string // LEDGERLINK_DEMO_PASSWORD
	DemoAPIKey   string // LEDGERLINK_DEMO_API_KEY (optional)

	// The demo account's simulated QuickBooks Desktop: Web Connector credentials, the company
	// file of the simulator `ledgerlink run` starts, and how often it runs (0 = not started).
	DemoQBWCUser     string        // LEDGERLINK_DEMO_QBWC_USER, default demo-qbwc
	DemoQBWCPassword string        // LEDGERLINK_DEMO_QBWC_PASSWORD, default ledgerlink-demo-qbwc
	DemoCompanyFile  string        // LEDGERLINK_DEMO_COMPANY_FILE, default .data/demo-company.json
	DemoSimEvery     time.Duration // LEDGERLINK_DEMO_SIM_EVERY, default 1m; 0 turns the simulator off
}

// LoadConfig reads the environment and checks it, naming every problem at once.
func LoadConfig() (*Config, error) {
	c := &Config{
		DatabaseURL:  os.Getenv("DATABASE_URL"),
		RedisURL:     os.Getenv("REDIS_URL"),
		Addr:         envOr("LEDGERLINK_ADDR", "127.0.0.1:8080"),
		PublicURL:    os.Getenv("LEDGERLINK_PUBLIC_URL"),
		SecretKey:    os.Getenv("LEDGERLINK_SECRET_KEY"),
		Dev:          envBool("LEDGERLINK_DEV"),
		Demo:         envBool("LEDGERLINK_DEMO"),
		DemoEmail:    envOr("LEDGERLINK_DEMO_EMAIL", "demo@ledgerlink.local"),
		DemoPassword: envOr("LEDGERLINK_DEMO_PASSWORD", "ledgerlink-demo"),
		DemoAPIKey:   os.Getenv("LEDGERLINK_DEMO_API_KEY"),
		Concurrency:  10,
		SMTPURL:      os.Getenv("LEDGERLINK_SMTP_URL"),
		SMTPFrom:     os.Getenv("LEDGERLINK_SMTP_FROM"),

		QBOClientID:     os.Getenv("LEDGERLINK_QBO_CLIENT_ID"),
		QBOClientSecret: os.Getenv("LEDGERLINK_QBO_CLIENT_SECRET"),
		QBOAuthURL:      envOr("LEDGERLINK_QBO_AUTH_URL", qbo.DefaultAuthURL),
		QBOTokenURL:     envOr("LEDGERLINK_QBO_TOKEN_URL", qbo.DefaultTokenURL),
		QBORevokeURL:    envOr("LEDGERLINK_QBO_REVOKE_URL", qbo.DefaultRevokeURL),
		QBOAPIURL:       envOr("LEDGERLINK_QBO_API_URL", qbo.DefaultAPIURL),
		QBOWebhookToken: os.Getenv("LEDGERLINK_QBO_WEBHOOK_TOKEN"),

		DemoQBWCUser:     envOr("LEDGERLINK_DEMO_QBWC_USER", "demo-qbwc"),
		DemoQBWCPassword: envOr("LEDGERLINK_DEMO_QBWC_PASSWORD", "ledgerlink-demo-qbwc"),
		DemoCompanyFile:  envOr("LEDGERLINK_DEMO_COMPANY_FILE", ".data/demo-company.json"),
		DemoSimEvery:     time.Minute,
	}
	var errs []error
	if v := os.Getenv("LEDGERLINK_WORKER_CONCURRENCY"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("LEDGERLINK_WORKER_CONCURRENCY must be a positive number, got %q", v))
		}
		c.Concurrency = n
	}
	if v := os.Getenv("LEDGERLINK_QBD_IN_DOUBT_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			errs = append(errs, fmt.Errorf("LEDGERLINK_QBD_IN_DOUBT_GRACE must be a duration of at least 1s like 3m, got %q", v))
		}
		c.InDoubtGrace = d
	}
	if v := os.Getenv("LEDGERLINK_TRUSTED_PROXIES"); v != "" {
		p, err := auth.ParseTrustedProxies(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("LEDGERLINK_TRUSTED_PROXIES: %w", err))
		}
		c.TrustedProxies = p
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL is not set (e.g. postgres://user@127.0.0.1:5432/ledgerlink?sslmode=disable); `make run` sets it for you"))
	}
	if c.RedisURL == "" {
		errs = append(errs, errors.New("REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0); `make run` sets it for you"))
	}
	if v := os.Getenv("LEDGERLINK_DEMO_SIM_EVERY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			errs = append(errs, fmt.Errorf("LEDGERLINK_DEMO_SIM_EVERY must be a duration like 1m or 0, got %q", v))
		}
		c.DemoSimEvery = d
	}
	if c.SMTPURL != "" {
		if _, err := alerts.NewMailer(c.SMTPURL, c.SMTPFrom); err != nil {
			errs = append(errs, err)
		}
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("LEDGERLINK_PUBLIC_URL must be an http(s) URL, got %q", c.PublicURL))
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	for _, e := range []struct{ name, v string }{{"LEDGERLINK_QBO_AUTH_URL", c.QBOAuthURL}, {"LEDGERLINK_QBO_TOKEN_URL", c.QBOTokenURL},
		{"LEDGERLINK_QBO_REVOKE_URL", c.QBORevokeURL}, {"LEDGERLINK_QBO_API_URL", c.QBOAPIURL}} {
		if u, err := url.Parse(e.v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("%s must be an http(s) URL, got %q", e.name, e.v))
		}
	}
	if (c.QBOClientID == "") != (c.QBOClientSecret == "") {
		errs = append(errs, errors.New("set both LEDGERLINK_QBO_CLIENT_ID and LEDGERLINK_QBO_CLIENT_SECRET (the keys of your app on developer.intuit.com), or neither"))
	}
	if c.DemoAPIKey != "" && !strings.HasPrefix(c.DemoAPIKey, "llk_") {
		errs = append(errs, errors.New("LEDGERLINK_DEMO_API_KEY must start with llk_"))
	}
	return c, errors.Join(errs...)
}

// QBOCallbackPath is where Intuit sends the browser back after the merchant connected a
// QuickBooks Online company; register <LEDGERLINK_PUBLIC_URL>/qbo/callback as the app's redirect URI.
const QBOCallbackPath = "/qbo/callback"

// QBO is the QuickBooks Online OAuth configuration.
func (c *Config) QBO() qbo.Config {
	return qbo.Config{ClientID: c.QBOClientID, ClientSecret: c.QBOClientSecret, AuthURL: c.QBOAuthURL, TokenURL: c.QBOTokenURL,
		RevokeURL: c.QBORevokeURL, APIURL: c.QBOAPIURL, RedirectURL: c.PublicURL + QBOCallbackPath}
}

// SecureCookies reports whether cookies must be marked Secure (the public URL is https).
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.PublicURL, "https://") }

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func envBool(k string) bool {
	v, _ := strconv.ParseBool(os.Getenv(k))
	return v
}
