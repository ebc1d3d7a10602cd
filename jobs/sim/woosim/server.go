// Package woocommerce simulates one WooCommerce store's REST API (wc/v3)
// for tests, benchmarks and demo mode: orders, products and variations
// with stock, order notes, batch stock updates, WooCommerce's three
// authentication modes, WordPress paging headers and error bodies, order
// webhooks, and knobs for host-level rate limiting and failures.
//
// Server is an http.Handler; mount it at the root of an httptest.Server (or
// any listener) and point a client at that URL as the store URL. See
// README.md for what is and is not simulated.
package woosim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Default credentials of the simulated store's REST API key.
const (
	DefaultConsumerKey    = "ck_5d8a0c3f2b6e4a9d8c7b1e0f3a2d4c6b8e9f0a1b"
	DefaultConsumerSecret = "cs_9e1f2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6"
)

// Errors returned by the store accessors, wrapped with context.
var (
	// ErrNotFound: no order, product or SKU matches.
	ErrNotFound = errors.New("woocommerce: not found")
	// ErrConflict: the ID or SKU is taken.
	ErrConflict = errors.New("woocommerce: conflict")
	// ErrInvalid: the change is refused (a refund above what is left to refund).
	ErrInvalid = errors.New("woocommerce: invalid")
)

// Options configures a simulated store. The zero value is usable: every
// empty field gets the default documented on it.
type Options struct {
	// ConsumerKey and ConsumerSecret are the store's one REST API key
	// (defaults DefaultConsumerKey and DefaultConsumerSecret).
	ConsumerKey    string
	ConsumerSecret string
	// KeyPermissions is the key's access level: "read", "write" or
	// "read_write" (default). A read key gets 401 on POST/PUT, a write key
	// 401 on GET, with WooCommerce's messages.
	KeyPermissions string

	// RequireTLSForBasic makes the store behave exactly like WooCommerce
	// at an http:// URL: HTTP Basic auth and the consumer_key /
	// consumer_secret query parameters are only looked at on requests that
	// arrived over TLS, so over plain HTTP only OAuth 1.0a works (Basic
	// credentials are ignored and the request is anonymous, which gets
	// 401 woocommerce_rest_cannot_view). By default (false) a plain-HTTP
	// request counts as HTTPS for that decision — the situation of a
	// store behind a TLS-terminating proxy — so tests on
	// http://127.0.0.1 can use Basic auth. OAuth 1.0a is accepted in both
	// modes, as in WooCommerce.
	RequireTLSForBasic bool

	// HomeURL is the WordPress home URL ("https://shop.example.com").
	// It is used in _links, Link headers, the index, webhook sources and
	// as the URL in the OAuth signature base string. Default: the scheme
	// and Host of each request, which is what a client of an
	// httptest.Server uses.
	HomeURL string
	// SiteName is the WordPress site title (default "Ledgerlink Demo Store").
	SiteName string
	// Location is the store's time zone (WordPress "Timezone" setting);
	// date_created is printed in it. Default UTC-3, a fixed offset like the
	// docs' samples, so that local and GMT dates differ.
	Location *time.Location
	// Currency is the store currency (default "USD").
	Currency string
	// Now is the store's clock, used for new orders, date_modified, OAuth
	// timestamp checks and rate limiting (default time.Now).
	Now func() time.Time

	// BatchLimit is the woocommerce_rest_batch_items_limit filter: most
	// create+update+delete items per batch request (default 100).
	BatchLimit int

	// RateLimit, when positive, is a host-level limit in requests per
	// second (token bucket of RateBurst requests, default
	// max(1, RateLimit)); a request over it gets 429 with Retry-After.
	// WooCommerce itself has no limit; hosts and WAFs do. Off by default.
	RateLimit float64
	RateBurst int

	// Seed seeds the random source of FailFraction (default 1).
	Seed int64

	// HTTPClient delivers webhooks (default: a client with a 10 s timeout).
	HTTPClient *http.Client
	// Logger receives one debug line per request (default: discard).
	Logger *slog.Logger

	// WCVersion and WPVersion are the versions the store reports
	// (defaults "10.1.2" and "6.8.3").
	WCVersion string
	WPVersion string
}

// LoggedRequest is one request the server answered, in arrival order.
type LoggedRequest struct {
	Time     time.Time
	Method   string // the HTTP method (before any _method override)
	Path     string
	RawQuery string
	Body     []byte
	// Auth is how the request authenticated: "basic", "query", "oauth1",
	// or "" for anonymous, failed or faulted requests.
	Auth   string
	Status int
	// Fault is true when the answer came from an injected fault or the
	// rate limit rather than the simulated store.
	Fault bool
}

// Server is a simulated WooCommerce store and its REST API. All methods
// are safe for concurrent use.
type Server struct {
	opts Options
	loc  *time.Location
	log  *slog.Logger

	mu         sync.Mutex // guards the catalog and orders
	nextPostID int        // wp_posts: products, variations, orders, refunds
	nextItemID int        // woocommerce_order_items
	nextMetaID int
	nextNoteID int // wp_comments
	orders     map[int]*Order
	products   map[int]*Product

	authMu sync.Mutex
	nonces map[int64]string // used OAuth nonces by timestamp, like the key's nonces column

	reqMu    sync.Mutex
	requests []LoggedRequest

	faultMu sync.Mutex
	faults  []*faultRule
	rng     *rand.Rand
	bucket  tokenBucket

	hooks webhooks
	table []route
}

// New returns a store with an empty catalog and no orders; use Generate or
// AddProduct and AddOrder to fill it.
func New(opts Options) *Server {
	if opts.ConsumerKey == "" {
		opts.ConsumerKey = DefaultConsumerKey
	}
	if opts.ConsumerSecret == "" {
		opts.ConsumerSecret = DefaultConsumerSecret
	}
	if opts.KeyPermissions == "" {
		opts.KeyPermissions = "read_write"
	}
	if opts.SiteName == "" {
		opts.SiteName = "Ledgerlink Demo Store"
	}
	if opts.Location == nil {
		opts.Location = time.FixedZone("UTC-3", -3*3600)
	}
	if opts.Currency == "" {
		opts.Currency = "USD"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BatchLimit <= 0 {
		opts.BatchLimit = 100
	}
	if opts.RateLimit > 0 && opts.RateBurst <= 0 {
		opts.RateBurst = max(1, int(opts.RateLimit))
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.WCVersion == "" {
		opts.WCVersion = "10.1.2"
	}
	if opts.WPVersion == "" {
		opts.WPVersion = "6.8.3"
	}
	opts.HomeURL = strings.TrimRight(opts.HomeURL, "/")
	s := &Server{
		opts:       opts,
		loc:        opts.Location,
		log:        opts.Logger,
		nextPostID: 10,
		nextItemID: 1,
		nextMetaID: 1,
		nextNoteID: 1,
		orders:     map[int]*Order{},
		products:   map[int]*Product{},
		nonces:     map[int64]string{},
		rng:        rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed)),
	}
	s.bucket = tokenBucket{rate: opts.RateLimit, burst: float64(opts.RateBurst), tokens: float64(opts.RateBurst)}
	s.hooks.init()
	s.table = s.routes()
	return s
}

// Requests returns every request answered so far, oldest first.
func (s *Server) Requests() []LoggedRequest {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	out := make([]LoggedRequest, len(s.requests))
	copy(out, s.requests)
	return out
}

// ResetRequests forgets the request log.
func (s *Server) ResetRequests() {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.requests = nil
}

func (s *Server) now() time.Time { return s.opts.Now() }

// statusRecorder remembers the status written through it.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP answers one request: host-level rate limit and injected faults
// first, then WordPress: authentication, route match, argument
// validation, permission check and the endpoint itself.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	entry := LoggedRequest{Time: s.now(), Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Body: body}
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		entry.Status = rec.status
		s.reqMu.Lock()
		s.requests = append(s.requests, entry)
		s.reqMu.Unlock()
		s.log.Debug("woocommerce sim", "method", r.Method, "path", r.URL.Path, "status", entry.Status, "auth", entry.Auth)
	}()
	if s.rateLimited(rec, r) || s.injectFault(rec, r) {
		entry.Fault = true
		return
	}
	entry.Auth = s.serveREST(rec, r, body)
}

// call is one REST request being served.
type call struct {
	s      *Server
	r      *http.Request
	method string   // after the _method / X-HTTP-Method-Override override
	route  string   // "/wc/v3/orders/12"
	query  phpQuery // $_GET
	form   phpQuery // form-encoded body ($_POST and friends)
	json   map[string]any
	jsonOK bool // the JSON body parsed
	vars   map[string]string
	params map[string]any // validated and sanitized arguments
	authed bool
	home   string // WordPress home URL without trailing slash
}

// param is WP_REST_Request::get_param: JSON body, then form body, then
// query string, then URL variables.
func (c *call) param(name string) (any, bool) {
	if v, ok := c.json[name]; ok {
		return v, true
	}
	if p, ok := c.form.get(name); ok {
		if p.IsArray {
			return p.Values, true
		}
		return p.Value(), true
	}
	if p, ok := c.query.get(name); ok {
		if p.IsArray {
			return p.Values, true
		}
		return p.Value(), true
	}
	if v, ok := c.vars[name]; ok {
		return v, true
	}
	return nil, false
}

// restURL is rest_url(route) for this request's home URL.
func (c *call) restURL(route string) string { return c.home + "/wp-json" + route }

// reply is a successful REST response.
type reply struct {
	status  int
	body    any
	headers http.Header
}

// handlerFunc serves a matched endpoint.
type handlerFunc func(c *call) (*reply, *wpError)

// endpoint is one method set of a route, as register_rest_route takes it.
type endpoint struct {
	methods    []string
	args       []arg
	permission func(c *call) *wpError
	handle     handlerFunc
}

type route struct {
	re        *regexp.Regexp
	endpoints []endpoint
}

var (
	readable  = []string{http.MethodGet, http.MethodHead}
	editable  = []string{http.MethodPost, http.MethodPut, http.MethodPatch}
	creatable = []string{http.MethodPost}
)

func (s *Server) routes() []route {
	r := func(pattern string, eps ...endpoint) route {
		return route{re: regexp.MustCompile(`(?i)^` + pattern + `$`), endpoints: eps}
	}
	return []route{
		r(`/`, endpoint{methods: readable, handle: s.siteIndex}),
		r(`/wc/v3`, endpoint{methods: readable, handle: s.namespaceIndex}),
		r(`/wc/v3/system_status`, endpoint{methods: readable, permission: requireAuth("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."), handle: s.systemStatus}),
		r(`/wc/v3/orders`,
			endpoint{methods: readable, args: orderListArgs, permission: requireAuth("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."), handle: s.listOrders}),
		r(`/wc/v3/orders/(?P<id>[\d]+)`,
			endpoint{methods: readable, args: contextArgs, permission: requireAuth("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."), handle: s.getOrder},
			endpoint{methods: editable, args: orderUpdateArgs, permission: requireAuth("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."), handle: s.updateOrder}),
		r(`/wc/v3/orders/(?P<order_id>[\d]+)/notes`,
			endpoint{methods: readable, args: noteListArgs, permission: requireAuth("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."), handle: s.listNotes},
			endpoint{methods: creatable, args: noteCreateArgs, permission: requireAuth("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."), handle: s.createNote}),
		r(`/wc/v3/webhooks`,
			endpoint{methods: creatable, args: webhookCreateArgs, permission: requireAuth("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."), handle: s.createWebhook}),
		r(`/wc/v3/webhooks/(?P<id>[\d]+)`,
			endpoint{methods: readable, permission: requireAuth("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."), handle: s.getWebhook},
			endpoint{methods: []string{http.MethodDelete}, args: webhookDeleteArgs, permission: requireAuth("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."), handle: s.deleteWebhook}),
		r(`/wc/v3/products`,
			endpoint{methods: readable, args: productListArgs, permission: requireAuth("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."), handle: s.listProducts}),
		r(`/wc/v3/products/batch`,
			endpoint{methods: editable, permission: requireAuth("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource."), handle: s.batchProducts}),
		r(`/wc/v3/products/(?P<id>[\d]+)`,
			endpoint{methods: readable, args: contextArgs, permission: s.productPermission("id", "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."), handle: s.getProduct},
			endpoint{methods: editable, args: productUpdateArgs, permission: s.productPermission("id", "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."), handle: s.updateProduct}),
		r(`/wc/v3/products/(?P<product_id>[\d]+)/variations`,
			endpoint{methods: readable, args: variationListArgs, permission: requireAuth("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."), handle: s.listVariations}),
		r(`/wc/v3/products/(?P<product_id>[\d]+)/variations/batch`,
			endpoint{methods: editable, permission: requireAuth("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource."), handle: s.batchVariations}),
		r(`/wc/v3/products/(?P<product_id>[\d]+)/variations/(?P<id>[\d]+)`,
			endpoint{methods: readable, args: contextArgs, permission: s.productPermission("id", "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."), handle: s.getVariation},
			endpoint{methods: editable, args: productUpdateArgs, permission: s.productPermission("id", "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."), handle: s.updateVariation}),
	}
}

// requireAuth is the permission callback of most routes: anonymous
// requests get code/message with rest_authorization_required_code() (401).
// Single orders use it too: WC_REST_Orders_V2_Controller answers 401
// whether or not the order exists.
func requireAuth(code, message string) func(c *call) *wpError {
	return func(c *call) *wpError {
		if !c.authed {
			return newError(code, message, http.StatusUnauthorized)
		}
		return nil
	}
}

// productPermission is WC_REST_CRUD_Controller's item permission check:
// only an existing product is protected, so an anonymous request for a
// missing ID falls through to the endpoint's "Invalid ID." error.
func (s *Server) productPermission(idVar, code, message string) func(c *call) *wpError {
	return func(c *call) *wpError {
		if c.authed {
			return nil
		}
		id, _ := strconv.Atoi(c.vars[idVar])
		s.mu.Lock()
		_, exists := s.products[id]
		s.mu.Unlock()
		if exists {
			return newError(code, message, http.StatusUnauthorized)
		}
		return nil
	}
}

// serveREST is WordPress's rest_api_loaded + WP_REST_Server::serve_request.
// It returns the authentication mode used.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request, body []byte) string {
	c := &call{s: s, r: r, method: r.Method, query: parsePHPQuery(r.URL.RawQuery), home: s.home(r)}
	path := r.URL.Path
	switch {
	case path == "/wp-json" || strings.HasPrefix(path, "/wp-json/"):
		c.route = strings.TrimPrefix(path, "/wp-json")
	case path == "/" || path == "/index.php":
		if p, ok := c.query.get("rest_route"); ok {
			c.route = p.Value()
			c.query = c.query.without("rest_route")
			break
		}
		fallthrough
	default:
		notFoundPage(w)
		return ""
	}
	c.route = strings.TrimRight(c.route, "/")
	if c.route == "" {
		c.route = "/"
	}
	if m := r.Header.Get("X-HTTP-Method-Override"); m != "" && r.Method == http.MethodPost {
		c.method = strings.ToUpper(m)
	} else if p, ok := c.query.get("_method"); ok && r.Method == http.MethodPost {
		c.method = strings.ToUpper(p.Value())
	}
	jsonErr := c.parseBody(r, body)
	s.rememberHome(c.home)

	h := s.baseHeaders(c)
	var auth string
	if strings.HasPrefix(c.route, "/wc/") || strings.HasPrefix(c.route, "/wc-") {
		var err *wpError
		auth, err = s.authenticate(c, r)
		if err != nil {
			s.writeError(w, h, err)
			return ""
		}
		c.authed = auth != ""
		if c.authed {
			if err := s.checkKeyPermissions(c.method); err != nil {
				s.writeError(w, h, err)
				return auth
			}
		}
	}
	if c.authed {
		h.Set("Expires", "Wed, 11 Jan 1984 05:00:00 GMT")
		h.Set("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private")
	}

	ep, allow := s.match(c)
	if ep == nil {
		s.writeError(w, h, newError("rest_no_route", "No route was found matching the URL and request method.", http.StatusNotFound))
		return auth
	}
	h.Set("Allow", strings.Join(allow, ", "))
	if jsonErr != nil {
		s.writeError(w, h, jsonErr)
		return auth
	}
	params, verr := validateArgs(c, ep.args)
	if verr != nil {
		s.writeError(w, h, verr)
		return auth
	}
	c.params = params
	if ep.permission != nil {
		if err := ep.permission(c); err != nil {
			s.writeError(w, h, err)
			return auth
		}
	}
	rep, err := ep.handle(c)
	if err != nil {
		s.writeError(w, h, err)
		return auth
	}
	for k, v := range rep.headers {
		h[k] = v
	}
	s.writeJSON(w, h, rep.status, rep.body)
	return auth
}

// match finds the endpoint for c.route and c.method, filling c.vars. It
// also returns the methods the route allows (the Allow header).
func (s *Server) match(c *call) (*endpoint, []string) {
	for _, rt := range s.table {
		m := rt.re.FindStringSubmatch(c.route)
		if m == nil {
			continue
		}
		c.vars = map[string]string{}
		for i, name := range rt.re.SubexpNames() {
			if name != "" {
				c.vars[name] = m[i]
			}
		}
		var allow []string
		var found *endpoint
		for i := range rt.endpoints {
			ep := &rt.endpoints[i]
			for _, method := range ep.methods {
				if method != http.MethodHead {
					allow = append(allow, method)
				}
				if method == c.method {
					found = ep
				}
			}
		}
		if found != nil {
			return found, allow
		}
	}
	return nil, nil
}

// parseBody fills c.json or c.form the way WP_REST_Request does: a body is
// JSON only when Content-Type says so; anything else (including no
// Content-Type) is parsed as a form, so a JSON body sent without the
// header is silently ignored, as in WordPress.
func (c *call) parseBody(r *http.Request, body []byte) *wpError {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var v any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil || dec.More() {
			e := newError("rest_invalid_json", "Invalid JSON body passed.", http.StatusBadRequest)
			e.Data = append(e.Data, kv{"json_error_code", 4}, kv{"json_error_message", "Syntax error"})
			return e
		}
		if m, ok := v.(map[string]any); ok {
			c.json, c.jsonOK = m, true
		}
	case "", "application/x-www-form-urlencoded":
		c.form = parsePHPQuery(string(body))
	}
	return nil
}

// home is the WordPress home URL for r, without a trailing slash.
func (s *Server) home(r *http.Request) string {
	if s.opts.HomeURL != "" {
		return s.opts.HomeURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// baseHeaders are the headers WP_REST_Server::serve_request sends on every
// REST response.
func (s *Server) baseHeaders(c *call) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Link", "<"+c.home+`/wp-json/>; rel="https://api.w.org/"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
	h.Set("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type")
	return h
}

func (s *Server) writeJSON(w http.ResponseWriter, h http.Header, status int, body any) {
	b, err := marshalPHP(body)
	if err != nil {
		s.log.Error("woocommerce sim: encode response", "err", err)
		b, status = []byte(`{"code":"internal_server_error","message":"encode failed","data":{"status":500}}`), http.StatusInternalServerError
	}
	for k, v := range h {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) writeError(w http.ResponseWriter, h http.Header, e *wpError) {
	s.writeJSON(w, h, e.status(), e)
}

// notFoundPage is the theme's HTML 404 for paths outside /wp-json.
func notFoundPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head><meta charset=\"UTF-8\"><title>Page not found &#8211; WooCommerce</title></head>\n<body class=\"error404\"><h1>Oops! That page can&rsquo;t be found.</h1></body>\n</html>\n")
}

// kv is one member of an ordered JSON object.
type kv struct {
	k string
	v any
}

// obj is a JSON object whose members keep their order, as PHP arrays do.
type obj []kv

// MarshalJSON implements json.Marshaler.
func (o obj) MarshalJSON() ([]byte, error) {
	if o == nil {
		return []byte("null"), nil
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(m.k)
		buf.Write(k)
		buf.WriteByte(':')
		v, err := jsonNoHTML(m.v)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// get returns the value of member k.
func (o obj) get(k string) (any, bool) {
	for _, m := range o {
		if m.k == k {
			return m.v, true
		}
	}
	return nil, false
}

func jsonNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// wpError is a WP_Error as the REST API prints it:
// {"code":…,"message":…,"data":{"status":…}}.
type wpError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Data    obj    `json:"data"`
}

func newError(code, message string, status int) *wpError {
	return &wpError{Code: code, Message: message, Data: obj{{"status", status}}}
}

func (e *wpError) status() int {
	if v, ok := e.Data.get("status"); ok {
		if n, ok := v.(int); ok {
			return n
		}
	}
	return http.StatusInternalServerError
}

// Error implements error, for tests and logs.
func (e *wpError) Error() string { return e.Code + ": " + e.Message }

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[int]V) []int { return slices.Sorted(maps.Keys(m)) }

// wpDate prints t as WordPress does in REST responses: in loc, without an
// offset ("2017-03-22T16:28:02"). A zero time prints as null.
func wpDate(t time.Time, loc *time.Location) *string {
	if t.IsZero() {
		return nil
	}
	s := t.In(loc).Format("2006-01-02T15:04:05")
	return &s
}

// statusNames are wc_get_order_statuses() labels.
var statusNames = map[string]string{
	"pending":        "Pending payment",
	"processing":     "Processing",
	"on-hold":        "On hold",
	"completed":      "Completed",
	"cancelled":      "Cancelled",
	"refunded":       "Refunded",
	"failed":         "Failed",
	"checkout-draft": "Draft",
}

// orderStatuses is the status enum of the order schema, in WooCommerce's order.
var orderStatuses = []string{"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"}

func errorf(format string, a ...any) error { return fmt.Errorf("woocommerce: "+format, a...) }
