// Package shipstation is an in-memory simulator of the ShipStation API V1
// (https://ssapi.shipstation.com) for one ShipStation account. It is an
// http.Handler: mount it on an httptest.Server (tests, benchmarks) or on a
// real listener (demo mode) and point a ShipStation client at it.
//
// It reproduces the parts of the wire contract Ledgerlink depends on: Basic
// auth with an API key and secret, the 40-requests-per-minute limit with its
// X-Rate-Limit-* headers, Pacific datetimes without an offset, 1-based
// paging with a 500-row cap, createorder(s) as an upsert by orderKey that
// refuses to touch shipped or cancelled orders, shipments versus
// fulfillments, and ASP.NET Web API error bodies. See README.md for the
// full list and for what is not simulated.
package shipstationsim

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultAPIKey     = "ShipStation" // the key in ShipStation's own docs example
	DefaultAPISecret  = "Rocks"
	DefaultRateLimit  = 40
	DefaultRateWindow = time.Minute
	DefaultBaseURL    = "https://ssapi.shipstation.com"
	// DefaultWarehouseID is the account's default ship-from location.
	DefaultWarehouseID = 98765
	// ManualStoreID is the id of the "Manual Orders" store every account has.
	ManualStoreID = 310001
	// maxRequestLog bounds Requests() in long-running demo mode.
	maxRequestLog = 10000
	maxBody       = 8 << 20
)

// Options configures a Server. The zero value is usable.
type Options struct {
	// APIKey and APISecret are the only credentials accepted (HTTP Basic,
	// key as user name). Defaults: DefaultAPIKey / DefaultAPISecret.
	APIKey, APISecret string
	// RateLimit is the number of requests allowed per RateWindow and key
	// pair (default 40). A negative value disables the limit (the headers
	// are still sent, with Remaining pinned at the limit).
	RateLimit int
	// RateWindow is the fixed window the limit counts in (default 1 minute).
	RateWindow time.Duration
	// Clock returns the current time (default time.Now). Inject a fake one
	// to move the rate-limit window or order dates without sleeping.
	Clock func() time.Time
	// Stores are the account's stores besides "Manual Orders", which always
	// exists (id ManualStoreID). Nil means DefaultStores.
	Stores []StoreSpec
	// Seed drives generated orderKeys, id gaps and FailRandomly (default 1),
	// so a run is reproducible.
	Seed int64
	// BaseURL is this simulator's externally visible URL; webhook
	// resource_url values point at it. Default: the scheme and host of the
	// first request served, else DefaultBaseURL. See also SetBaseURL.
	BaseURL string
	// WebhookClient delivers webhooks (default: a client with a 10 s timeout).
	WebhookClient *http.Client
	// WebhookRetryDelays are the waits before the retries of a webhook POST that
	// failed (network error, timeout, non-2xx): one retry per entry. Nil means
	// DefaultWebhookRetryDelays; an empty non-nil slice turns retries off.
	// Real time, not Clock.
	WebhookRetryDelays []time.Duration
	// Logger receives one debug line per request (default: discard).
	Logger *slog.Logger
	// AutoShipAfter, when set, ships every order created from a QuickBooks sale (orderKey
	// starting AutoShipKeyPrefix) that has waited that long in awaiting_shipment, on the next
	// request (the demo's warehouse). Zero ships nothing by itself.
	AutoShipAfter time.Duration
}

// DefaultWebhookRetryDelays is the simulator's retry schedule of a failed
// webhook POST: 6 attempts over about 5 h 21 min. ShipStation does not
// document whether or how V1 webhooks are retried (see README "Webhooks"),
// so this is a conservative choice: a receiver must not count on a retry
// arriving soon, nor on none arriving at all.
var DefaultWebhookRetryDelays = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour}

// StoreSpec configures one store of the account.
type StoreSpec struct {
	ID              int64  // 0: assigned
	Name            string // storeName
	MarketplaceID   int    // e.g. 2 Amazon, 36 WooCommerce
	MarketplaceName string // e.g. "Amazon", "WooCommerce"
	Inactive        bool
}

// DefaultStores are the marketplace stores an account gets when
// Options.Stores is nil. The marketplace ids are ShipStation's (see
// GET /stores/marketplaces).
var DefaultStores = []StoreSpec{
	{ID: 310002, Name: "Ledgerlink WooCommerce", MarketplaceID: 36, MarketplaceName: "WooCommerce"},
	{ID: 310003, Name: "Amazon US", MarketplaceID: 2, MarketplaceName: "Amazon"},
	{ID: 310004, Name: "Amazon CA", MarketplaceID: 32, MarketplaceName: "Amazon CA"},
}

// Request is one request the simulator answered, as Requests reports it.
type Request struct {
	Time     time.Time // Options.Clock at arrival
	Method   string
	Path     string // as sent (not lower-cased)
	RawQuery string
	Body     []byte
	Status   int
	Fault    string // non-empty when an injected fault shaped the answer
}

// Server is the simulated ShipStation account and its API. All methods are
// safe for concurrent use.
type Server struct {
	opts  Options
	now   func() time.Time
	log   *slog.Logger
	mux   *http.ServeMux
	limit *rateLimiter

	mu        sync.Mutex // guards everything below
	rng       *rand.Rand
	baseURL   string
	stores    []*Store
	storeMap  map[int64]*StoreDetail
	orders    []*orderRec // by orderId
	byID      map[int64]*orderRec
	byKey     map[string]*orderRec
	shipments []*shipmentRec
	fulfil    []*fulfillmentRec
	products  []*Product
	bySKU     map[string]*Product
	custIDs   map[string]int64
	seq       sequences
	faults    []*faultRule
	requests  []Request
	hooks     []*webhook
	sent      []WebhookDelivery

	hk hookCounts
}

type sequences struct {
	order, item, shipment, fulfillment, product, customer, webhook, batch int64
}

// New returns a simulator for one account with the stores from opts and no
// orders (see Generate, AddOrder).
func New(opts Options) *Server {
	if opts.APIKey == "" && opts.APISecret == "" {
		opts.APIKey, opts.APISecret = DefaultAPIKey, DefaultAPISecret
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = DefaultRateLimit
	}
	if opts.RateWindow <= 0 {
		opts.RateWindow = DefaultRateWindow
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Stores == nil {
		opts.Stores = DefaultStores
	}
	if opts.WebhookClient == nil {
		opts.WebhookClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.WebhookRetryDelays == nil {
		opts.WebhookRetryDelays = DefaultWebhookRetryDelays
	}
	s := &Server{
		opts:     opts,
		now:      opts.Clock,
		log:      opts.Logger,
		limit:    newRateLimiter(opts.RateLimit, opts.RateWindow),
		rng:      rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed)),
		baseURL:  strings.TrimRight(opts.BaseURL, "/"),
		storeMap: map[int64]*StoreDetail{},
		byID:     map[int64]*orderRec{},
		byKey:    map[string]*orderRec{},
		bySKU:    map[string]*Product{},
		custIDs:  map[string]int64{},
		seq: sequences{
			order: 100000000, item: 200000000, shipment: 70000000, fulfillment: 30000000,
			product: 11000000, customer: 60000000, webhook: 500000, batch: 100300,
		},
	}
	s.hk.init()
	created := tick(s.now().AddDate(-1, 0, 0))
	s.addStore(StoreSpec{ID: ManualStoreID, Name: "Manual Orders", MarketplaceID: 0, MarketplaceName: "ShipStation"}, created)
	for _, sp := range opts.Stores {
		s.addStore(sp, created)
	}
	s.routes()
	return s
}

// SetBaseURL sets the URL webhook resource_url values point at (typically
// an httptest.Server's URL, known only after the handler is built).
func (s *Server) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = strings.TrimRight(u, "/")
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /orders", s.listOrders)
	m.HandleFunc("GET /orders/{orderId}", s.getOrder)
	m.HandleFunc("DELETE /orders/{orderId}", s.deleteOrder)
	m.HandleFunc("POST /orders/createorder", s.createOrder)
	m.HandleFunc("POST /orders/createorders", s.createOrders)
	m.HandleFunc("POST /orders/markasshipped", s.markAsShipped)
	m.HandleFunc("GET /shipments", s.listShipments)
	m.HandleFunc("POST /shipments/voidlabel", s.voidLabel)
	m.HandleFunc("GET /fulfillments", s.listFulfillments)
	m.HandleFunc("GET /stores", s.listStores)
	m.HandleFunc("GET /stores/{storeId}", s.getStore)
	m.HandleFunc("GET /stores/marketplaces", s.listMarketplaces)
	m.HandleFunc("GET /carriers", s.listCarriers)
	m.HandleFunc("GET /carriers/getcarrier", s.getCarrier)
	m.HandleFunc("GET /carriers/listservices", s.listServices)
	m.HandleFunc("GET /carriers/listpackages", s.listPackages)
	m.HandleFunc("GET /products", s.listProducts)
	m.HandleFunc("GET /products/{productId}", s.getProduct)
	m.HandleFunc("GET /webhooks", s.listWebhooks)
	m.HandleFunc("POST /webhooks/subscribe", s.subscribeWebhook)
	m.HandleFunc("DELETE /webhooks/{webhookId}", s.unsubscribeWebhook)
	m.HandleFunc("/", s.noRoute)
	s.mux = m
}

// ServeHTTP answers one API request: authentication, then the rate limit,
// then any injected fault, then the endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.learnBaseURL(r)
	rec := &recorder{ResponseWriter: w}
	entry := Request{Time: now, Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Body: body}
	defer func() {
		entry.Status = rec.status
		s.logRequest(entry)
	}()

	if !s.authorized(r) {
		// The body of ShipStation's 401 is not documented; a bare status
		// with a Basic challenge is what clients can rely on.
		rec.Header().Set("WWW-Authenticate", `Basic realm="ShipStation API"`)
		writeText(rec, http.StatusUnauthorized, "401 Unauthorized")
		return
	}
	lim := s.limit.take(s.opts.APIKey, now)
	lim.setHeaders(rec.Header())
	if !lim.ok {
		writeTooMany(rec)
		return
	}
	if f := s.pickFault(r); f != nil {
		entry.Fault = f.String()
		if !f.apply(rec, r, s) {
			return
		}
	}
	s.shipDue(now)
	s.dispatch(rec, r)
}

// dispatch runs the endpoint for r. ASP.NET routing and query binding
// ignore case (webhook resource_urls say "storeID"), so it routes on a
// lower-cased path without a trailing slash.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = strings.ToLower(strings.TrimRight(r.URL.Path, "/"))
	if r2.URL.Path == "" {
		r2.URL.Path = "/"
	}
	r2.URL.RawPath = ""
	s.mux.ServeHTTP(w, r2)
}

func (s *Server) authorized(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	okUser := subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.APIKey)) == 1
	okPass := subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.APISecret)) == 1
	return okUser && okPass
}

func (s *Server) learnBaseURL(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.baseURL != "" || r.Host == "" {
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	s.baseURL = scheme + "://" + r.Host
}

func (s *Server) base() string {
	if s.baseURL == "" {
		return DefaultBaseURL
	}
	return s.baseURL
}

func (s *Server) logRequest(e Request) {
	s.log.Debug("shipstation sim", "method", e.Method, "path", e.Path, "query", e.RawQuery, "status", e.Status, "fault", e.Fault)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) >= maxRequestLog {
		s.requests = append(s.requests[:0], s.requests[len(s.requests)-maxRequestLog/2:]...)
	}
	s.requests = append(s.requests, e)
}

// Requests returns every request answered so far (the newest 10 000 at
// most), oldest first, including rejected ones.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// noRoute answers like ASP.NET Web API: 405 when the path exists for
// another method, else 404.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			w.Header().Set("Allow", m)
			writeMessage(w, http.StatusMethodNotAllowed, fmt.Sprintf("The requested resource does not support http method '%s'.", r.Method))
			return
		}
	}
	writeMessage(w, http.StatusNotFound, fmt.Sprintf("No HTTP resource was found that matches the request URI '%s'.", s.requestURI(r)))
}

func (s *Server) requestURI(r *http.Request) string {
	s.mu.Lock()
	b := s.base()
	s.mu.Unlock()
	return b + r.URL.RequestURI()
}

// recorder remembers the status for the request log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// writeJSON writes v the way Json.NET does: compact, UTF-8, no HTML escaping.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		writeServerError(w, fmt.Errorf("marshal response: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func writeText(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg)
}

// apiError is ASP.NET Web API's HttpError body.
type apiError struct {
	Message          string              `json:"Message"`
	ModelState       map[string][]string `json:"ModelState,omitempty"`
	ExceptionMessage string              `json:"ExceptionMessage,omitempty"`
	ExceptionType    string              `json:"ExceptionType,omitempty"`
	StackTrace       *string             `json:"StackTrace,omitempty"`
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Message: msg})
}

// writeInvalid writes the 400 model-validation body:
// {"Message":"The request is invalid.","ModelState":{key:[msg]}}.
func writeInvalid(w http.ResponseWriter, key, msg string) {
	writeJSON(w, http.StatusBadRequest, apiError{Message: "The request is invalid.", ModelState: map[string][]string{key: {msg}}})
}

// writeServerError writes ASP.NET's unhandled-exception body.
func writeServerError(w http.ResponseWriter, err error) {
	b := []byte(`{"Message":"An error has occurred.","ExceptionMessage":` + quote(err.Error()) +
		`,"ExceptionType":"System.Exception","StackTrace":null}`)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(b)
}

func quote(s string) string {
	b, _ := marshal(s)
	return string(b)
}

// query gives case-insensitive access to query parameters, as ASP.NET
// model binding does.
type query map[string]string

func newQuery(u *url.URL) query {
	q := query{}
	for k, v := range u.Query() {
		if len(v) > 0 {
			q[strings.ToLower(k)] = v[0]
		}
	}
	return q
}

func (q query) get(name string) string { return strings.TrimSpace(q[strings.ToLower(name)]) }
