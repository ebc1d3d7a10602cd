// Package qbosim is an in-process simulator of QuickBooks Online: Intuit's
// OAuth 2.0 authorization server (consent screen, token and revoke
// endpoints) and the Accounting API v3 of one company (realm). It is an
// http.Handler: mount it on an httptest.Server in tests, or serve it on a
// real listener (`ledgerlink sim qbo`, the demo) and point a QuickBooks
// Online client's authorize, token, revoke and API base URLs at it.
//
// The wire shapes come from the recorded QuickBooks sandbox interactions and
// Intuit's documentation in /work/shared/specs/qbo (see README.md for the
// contract and for what differs from the real service).
package qbosim

import (
	"bytes"
	"cmp"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultClientID     = "ABsimClientID0000000000000000000000000000000000000"
	DefaultClientSecret = "simClientSecret000000000000000000000000"
	// DefaultRealm is the company id (realmId) of the simulated company.
	DefaultRealm       = "9341453050298464"
	DefaultCompanyName = "Ledgerlink Sandbox Company_US_1"

	// AccessTokenLifetime and RefreshTokenLifetime are what the token endpoint
	// reports in expires_in and x_refresh_token_expires_in (the values of the
	// token response sample in Intuit's OAuth 2.0 guide).
	AccessTokenLifetime  = 3600 * time.Second
	RefreshTokenLifetime = 8726400 * time.Second
	// DefaultCodeLifetime bounds how long an authorization code can be
	// exchanged. Intuit's guide only says codes are single-use and expire
	// ("invalid_grant: Authorization code expired or already used").
	DefaultCodeLifetime = 5 * time.Minute

	maxBody = 4 << 20 // request bodies above this are refused (413)
)

// Options configures a Server. The zero value is usable.
type Options struct {
	// ClientID and ClientSecret are the only app credentials the token and
	// revoke endpoints accept (HTTP Basic) and the only client_id the consent
	// screen knows. Defaults: DefaultClientID / DefaultClientSecret.
	ClientID, ClientSecret string
	// RedirectURIs are the app's registered redirect URIs; the consent screen
	// refuses any other (exact match, as on the Intuit developer portal).
	// Empty means any http(s) URI is accepted (handy for `sim qbo` demos).
	RedirectURIs []string
	// Realm is the company id (realmId); default DefaultRealm.
	Realm string
	// AppName is the app's name on the consent screen; default "Ledgerlink".
	AppName string
	// CompanyName is shown on the consent screen and in CompanyInfo; default
	// DefaultCompanyName.
	CompanyName string
	// CodeLifetime is how long an authorization code stays valid (default
	// DefaultCodeLifetime).
	CodeLifetime time.Duration
	// Clock returns the current time (default time.Now). Inject a fake one to
	// expire tokens or move throttling windows without sleeping.
	Clock func() time.Time
	// Logger receives one debug line per request (default: discard).
	Logger *slog.Logger

	// UserName is the QuickBooks user named in Stale Object Errors (5010);
	// default "Sim Admin".
	UserName string
	// RequestsPerMinute (default 500), MaxConcurrent (default 10) and
	// BatchesPerMinute (default 40) are the company's throttling limits; a
	// request over any of them gets the 429. A negative value turns that
	// limit off.
	RequestsPerMinute, MaxConcurrent, BatchesPerMinute int
	// Latency is waited (real time) while an API request holds its
	// concurrency slot, as QuickBooks' own processing time; 0: none.
	Latency time.Duration
	// SKUDisabled starts the company with the SKU preference off.
	SKUDisabled bool
	// File, when set, is the company file: Open loads it when it exists and
	// every write saves it (entities, sequences, requestid answers).
	File string
	// WebhookURL and WebhookVerifier: when the URL is set, every change is
	// POSTed there as Intuit's webhooks are, signed with the verifier token
	// (see SetWebhook).
	WebhookURL, WebhookVerifier string
	// WebhookClient delivers webhooks (default: a client with a 3 s timeout,
	// Intuit's "respond within 3 seconds").
	WebhookClient *http.Client
	// WebhookRetryDelays are the waits before retries (real time); nil means
	// DefaultWebhookRetryDelays, an empty non-nil slice no retries.
	WebhookRetryDelays []time.Duration
}

// Server is the simulated Intuit authorization server and QuickBooks Online
// company. All methods are safe for concurrent use.
type Server struct {
	opts Options
	now  func() time.Time
	log  *slog.Logger
	mux  *http.ServeMux

	throttle  *throttle
	hooks     sync.WaitGroup
	closed    chan struct{}
	closeOnce sync.Once

	mu           sync.Mutex // guards everything below
	auth         authState
	co           *company
	counts       Counts
	requests     []Request
	injected     []*injectedRule
	hookURL      string
	hookVerifier string
	deliveries   []WebhookDelivery
}

// New returns a simulator for one company with the starter data (accounts,
// tax code, payment methods; no items or customers). Options.File is ignored:
// use Open for a file-backed company.
func New(opts Options) *Server {
	opts.File = ""
	s, _ := open(opts) // cannot fail without a file
	return s
}

// Open is New with a company file: the company is loaded from Options.File
// when the file exists, else seeded and saved there.
func Open(opts Options) (*Server, error) { return open(opts) }

func open(opts Options) (*Server, error) {
	if opts.ClientID == "" && opts.ClientSecret == "" {
		opts.ClientID, opts.ClientSecret = DefaultClientID, DefaultClientSecret
	}
	opts.Realm = cmp.Or(opts.Realm, DefaultRealm)
	opts.CompanyName = cmp.Or(opts.CompanyName, DefaultCompanyName)
	opts.AppName = cmp.Or(opts.AppName, "Ledgerlink")
	if opts.CodeLifetime <= 0 {
		opts.CodeLifetime = DefaultCodeLifetime
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.UserName = cmp.Or(opts.UserName, "Sim Admin")
	if opts.WebhookClient == nil {
		opts.WebhookClient = &http.Client{Timeout: 3 * time.Second}
	}
	if opts.WebhookRetryDelays == nil {
		opts.WebhookRetryDelays = DefaultWebhookRetryDelays
	}
	s := &Server{opts: opts, now: opts.Clock, log: opts.Logger, closed: make(chan struct{}),
		throttle: newThrottle(limit(opts.RequestsPerMinute, DefaultRequestsPerMinute),
			limit(opts.BatchesPerMinute, DefaultBatchesPerMinute), limit(opts.MaxConcurrent, DefaultMaxConcurrent)),
		hookURL: opts.WebhookURL, hookVerifier: opts.WebhookVerifier}
	s.auth.init()
	if opts.File != "" {
		if _, err := os.Stat(opts.File); err == nil {
			co, err := loadCompany(opts.File)
			if err != nil {
				return nil, err
			}
			s.co = co
			if co.Auth != nil {
				s.auth.restore(co.Auth)
			}
		}
	}
	if s.co == nil {
		s.co = newCompany()
		s.co.SKU = !opts.SKUDisabled
		seedCompany(s.co, opts.CompanyName, opts.Realm, s.now())
		if opts.SKUDisabled {
			s.SetSKUEnabled(false)
		}
		if opts.File != "" {
			if err := s.co.save(opts.File); err != nil {
				return nil, err
			}
		}
	}
	s.routes()
	return s, nil
}

// limit is an Options limit: 0 takes the default, negative turns it off.
func limit(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// Realm returns the simulated company's id (the realmId of the OAuth callback
// and of /v3/company/{realmId}/… paths).
func (s *Server) Realm() string { return s.opts.Realm }

// ClientID and ClientSecret return the app credentials the simulator accepts.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret: see ClientID.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /connect/oauth2", s.authorizePage)
	m.HandleFunc("POST /connect/oauth2", s.authorizeDecision)
	m.HandleFunc("POST /oauth2/v1/tokens/bearer", s.tokenEndpoint)
	m.HandleFunc("POST /oauth2/v1/tokens/revoke", s.revokeEndpoint)
	m.HandleFunc("POST /v2/oauth2/tokens/revoke", s.revokeEndpoint) // the path in Intuit's discovery document
	s.mux = m
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	if len(body) > maxBody {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	// Never log query strings or bodies: they carry codes and tokens.
	s.log.Debug("qbosim", "method", r.Method, "path", r.URL.Path)
	if strings.HasPrefix(r.URL.Path, "/v3/") {
		s.serveAPI(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}
