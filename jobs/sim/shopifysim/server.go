package shopifysim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures a simulated shop. The zero value is usable: every empty
// field gets the default documented on it.
type Options struct {
	// ShopName is Shop.name (default "Ledgerlink Demo Store").
	ShopName string
	// ShopDomain is Shop.myshopifyDomain and X-Shopify-Shop-Domain on
	// webhooks (default "ledgerlink-demo.myshopify.com").
	ShopDomain string
	// AccessToken is the only value X-Shopify-Access-Token may have
	// (default "shpat_ledgerlink_simulator").
	AccessToken string
	// AppSecret is the app's client secret; webhook bodies are signed with
	// it (default "shpss_ledgerlink_simulator").
	AppSecret string
	// Currency is the shop currency (default "USD"). Presentment currency
	// always equals it.
	Currency string
	// Timezone is the shop's IANA time zone; search dates without a zone
	// are read in it (default UTC).
	Timezone *time.Location
	// Versions lists the API versions served (default {"2025-01"}, the
	// version of the embedded schema). Other versions get 404.
	Versions []string
	// BucketSize and RestoreRate shape the leaky bucket of query cost
	// points (defaults 1000 and 50 points/second).
	BucketSize  float64
	RestoreRate float64
	// MaxQueryCost is the largest requested cost one query may have
	// (default 1000); larger queries get MAX_COST_EXCEEDED.
	MaxQueryCost int
	// OrderWindow, when set, hides orders created longer ago than this,
	// as Shopify does for apps without read_all_orders (60 days).
	OrderWindow time.Duration
	// Clock returns the current time (default time.Now). The bucket
	// refills and timestamps advance by this clock only, so tests can
	// move time without sleeping. Fault delays use real time.
	Clock func() time.Time
	// Seed seeds the random choice of FailFraction (default 1).
	Seed int64
	// BulkRunningReads is how many status reads (currentBulkOperation, node) a bulk
	// operation answers RUNNING before it completes (default 0: the first read finds it
	// done).
	BulkRunningReads int
	// Logger receives one debug line per request (default: discard).
	Logger *slog.Logger
	// Webhooks: HTTP client used to deliver them (default: 5 s timeout),
	// delivery attempts per event (default 3) and the pause between
	// attempts (default 1 s; Shopify itself retries 8 times over 4 hours).
	WebhookClient   *http.Client
	WebhookAttempts int
	WebhookBackoff  time.Duration
}

func (o Options) withDefaults() Options {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.ShopName, "Ledgerlink Demo Store")
	def(&o.ShopDomain, "ledgerlink-demo.myshopify.com")
	def(&o.AccessToken, "shpat_ledgerlink_simulator")
	def(&o.AppSecret, "shpss_ledgerlink_simulator")
	def(&o.Currency, "USD")
	if o.Timezone == nil {
		o.Timezone = time.UTC
	}
	if len(o.Versions) == 0 {
		o.Versions = []string{"2025-01"}
	}
	if o.BucketSize <= 0 {
		o.BucketSize = 1000
	}
	if o.RestoreRate <= 0 {
		o.RestoreRate = 50
	}
	if o.MaxQueryCost <= 0 {
		o.MaxQueryCost = 1000
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.WebhookClient == nil {
		o.WebhookClient = &http.Client{Timeout: 5 * time.Second}
	}
	if o.WebhookAttempts <= 0 {
		o.WebhookAttempts = 3
	}
	if o.WebhookBackoff <= 0 {
		o.WebhookBackoff = time.Second
	}
	return o
}

// Server is a simulated Shopify shop and its Admin API. It is an
// http.Handler; all methods are safe for concurrent use.
type Server struct {
	opts Options
	sch  *schema
	res  map[string]map[string]resolver
	mux  *http.ServeMux

	mu        sync.RWMutex // shop data
	orders    []*Order     // by ID
	orderByID map[int64]*Order
	nextNum   int
	seq       map[string]int64
	products  []*Product
	variants  map[int64]*Variant // by variant ID
	items     map[int64]*Variant // by inventory item ID
	locations []*Location
	levels    map[int64]map[int64]*level // item ID → location ID → level
	customers map[int64]*Customer

	bucket bucket

	fmu      sync.Mutex // faults and request statistics
	queue    []Fault
	fraction float64
	fracF    Fault
	rng      *rand.Rand
	counts   map[string]int
	log      []Request
	reqSeq   uint32

	hooks webhooks
	bulk  bulkState
}

// New returns a shop with two locations, no products and no orders; call
// Generate or AddProduct/AddOrder to fill it.
func New(opts Options) *Server {
	opts = opts.withDefaults()
	sch, err := loadSchema(schemaJSON)
	if err != nil {
		panic(err) // the embedded schema is part of the source
	}
	s := &Server{
		opts:      opts,
		sch:       sch,
		orderByID: map[int64]*Order{},
		nextNum:   1001,
		seq:       map[string]int64{},
		variants:  map[int64]*Variant{},
		items:     map[int64]*Variant{},
		levels:    map[int64]map[int64]*level{},
		customers: map[int64]*Customer{},
		rng:       rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed)),
		counts:    map[string]int{},
	}
	s.res = s.resolvers()
	s.bucket = bucket{max: opts.BucketSize, rate: opts.RestoreRate, avail: opts.BucketSize, last: opts.Clock()}
	s.hooks.init(s)
	s.bulk.running = opts.BulkRunningReads
	s.AddLocation(Location{Name: "Main Warehouse", Active: true, FulfillsOnlineOrders: true})
	s.AddLocation(Location{Name: "Retail Store", Active: true, FulfillsOnlineOrders: false})
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/admin/api/{version}/graphql.json", s.serveGraphQL)
	s.mux.HandleFunc("GET "+bulkResultPath+"{id}/{token}", s.serveBulkResult)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.recordRejected("(not found)", http.StatusNotFound)
		writeJSON(w, http.StatusNotFound, map[string]any{"errors": "Not Found"})
	})
	return s
}

// GraphQLPath is the path of the Admin GraphQL endpoint for the first
// configured version, e.g. "/admin/api/2025-01/graphql.json".
func (s *Server) GraphQLPath() string { return "/admin/api/" + s.opts.Versions[0] + "/graphql.json" }

// AccessToken is the token requests must carry.
func (s *Server) AccessToken() string { return s.opts.AccessToken }

// AppSecret is the secret webhook deliveries are signed with.
func (s *Server) AppSecret() string { return s.opts.AppSecret }

func (s *Server) now() time.Time { return s.opts.Clock().UTC().Truncate(time.Second) }

func (s *Server) nextID(kind string, base int64) int64 {
	s.seq[kind]++
	return base + s.seq[kind]
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Request is one request as the simulator saw it.
type Request struct {
	Operation     string   // operation name, "" when anonymous
	RootFields    []string // root fields of the operation, e.g. ["orders"]
	Status        int      // HTTP status sent
	Throttled     bool     // answered with THROTTLED
	Fault         string   // injected fault, e.g. "429", "delay", ""
	RequestedCost int
	ActualCost    int
}

// Requests counts requests by root field ("orders", "inventorySetQuantities",
// "shop", …; several root fields in one request count once each). Requests
// rejected before the query was read count under "(unauthorized)" or
// "(not found)"; unparsable ones under "(invalid)".
func (s *Server) Requests() map[string]int {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Log returns every request seen, oldest first.
func (s *Server) Log() []Request {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return slices.Clone(s.log)
}

func (s *Server) record(r Request) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	keys := r.RootFields
	if len(keys) == 0 {
		keys = []string{"(invalid)"}
	}
	for _, k := range keys {
		s.counts[k]++
	}
	s.log = append(s.log, r)
}

func (s *Server) recordRejected(key string, status int) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.counts[key]++
	s.log = append(s.log, Request{RootFields: []string{key}, Status: status})
}

// Fault describes one injected failure.
type Fault struct {
	// Status, when non-zero, is sent instead of running the query: 429
	// (with Retry-After and Shopify's REST rate-limit body), 500, 502,
	// 503 or 504 (HTML bodies, as Shopify's edge sends them).
	Status int
	// RetryAfter is the Retry-After header of a 429 (default 2 s, sent as
	// "2.0" like Shopify).
	RetryAfter time.Duration
	// Delay holds the response for this long (real time) before answering;
	// with Status 0 the query then runs normally. A client whose timeout
	// is shorter sees a timeout.
	Delay time.Duration
	// Throttle answers with the GraphQL THROTTLED error (HTTP 200) whatever
	// the bucket holds.
	Throttle bool
}

func (f Fault) label() string {
	switch {
	case f.Throttle:
		return "throttle"
	case f.Status != 0:
		return strconv.Itoa(f.Status)
	case f.Delay > 0:
		return "delay"
	}
	return ""
}

// FailNext makes the next n authenticated GraphQL requests fail with f.
// Calls queue up: FailNext(2, a); FailNext(1, b) fails two with a, then b.
func (s *Server) FailNext(n int, f Fault) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	for range n {
		s.queue = append(s.queue, f)
	}
}

// FailFraction makes each authenticated GraphQL request fail with f with
// probability p (0 ≤ p ≤ 1), drawn from a generator seeded by Options.Seed.
// Queued FailNext faults take precedence.
func (s *Server) FailFraction(p float64, f Fault) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.fraction, s.fracF = p, f
}

// ClearFaults drops queued faults and the failure fraction.
func (s *Server) ClearFaults() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.queue, s.fraction = nil, 0
}

func (s *Server) nextFault() (Fault, bool) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	if len(s.queue) > 0 {
		f := s.queue[0]
		s.queue = s.queue[1:]
		return f, true
	}
	if s.fraction > 0 && s.rng.Float64() < s.fraction {
		return s.fracF, true
	}
	return Fault{}, false
}

// bucket is Shopify's leaky bucket of cost points.
type bucket struct {
	mu    sync.Mutex
	max   float64
	rate  float64
	avail float64
	last  time.Time
}

func (b *bucket) refill(now time.Time) {
	if d := now.Sub(b.last); d > 0 {
		b.avail = math.Min(b.max, b.avail+d.Seconds()*b.rate)
		b.last = now
	}
}

// take deducts cost when available; it returns whether it did and the
// points left.
func (b *bucket) take(cost int, now time.Time) (bool, float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if float64(cost) > b.avail {
		return false, b.avail
	}
	b.avail -= float64(cost)
	return true, b.avail
}

func (b *bucket) refund(points int, now time.Time) float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	b.avail = math.Min(b.max, b.avail+float64(points))
	return b.avail
}

func (b *bucket) status(now time.Time) float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	return b.avail
}

// ThrottleStatus returns the bucket as the next response would report it.
func (s *Server) ThrottleStatus() (maximum, available, restoreRate float64) {
	return s.bucket.max, s.bucket.status(s.opts.Clock()), s.bucket.rate
}

// SetAvailable sets the points currently in the bucket (clamped to
// [0, BucketSize]), e.g. 0 to make the next query THROTTLED until the
// restore rate has refilled enough.
func (s *Server) SetAvailable(points float64) {
	b := &s.bucket
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(s.opts.Clock())
	b.avail = math.Max(0, math.Min(b.max, points))
}

// floatJSON renders Ruby-style floats ("1000.0") as Shopify does in
// throttleStatus.
type floatJSON float64

func (f floatJSON) MarshalJSON() ([]byte, error) {
	s := strconv.FormatFloat(float64(f), 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return []byte(s), nil
}

func (s *Server) costExtension(requested int, actual *int, available float64) *omap {
	var act any
	if actual != nil {
		act = *actual
	}
	ts := newOmap()
	ts.set("maximumAvailable", floatJSON(s.bucket.max))
	ts.set("currentlyAvailable", int(math.Floor(available)))
	ts.set("restoreRate", floatJSON(s.bucket.rate))
	c := newOmap()
	c.set("requestedQueryCost", requested)
	c.set("actualQueryCost", act)
	c.set("throttleStatus", ts)
	return c
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	var buf bytes.Buffer
	b := []byte(`{"errors":"Internal Server Error"}`)
	if err := marshalTo(&buf, body); err != nil {
		status = http.StatusInternalServerError
	} else {
		b = buf.Bytes()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

const unauthorizedBody = "[API] Invalid API key or access token (unrecognized login or wrong password)"

func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	version := r.PathValue("version")
	if !slices.Contains(s.opts.Versions, version) {
		s.recordRejected("(not found)", http.StatusNotFound)
		writeJSON(w, http.StatusNotFound, map[string]any{"errors": "Not Found"})
		return
	}
	w.Header().Set("X-Shopify-API-Version", version)
	w.Header().Set("X-Request-Id", fmt.Sprintf("%08x-sim", s.nextRequestID()))
	if r.Header.Get("X-Shopify-Access-Token") != s.opts.AccessToken {
		s.recordRejected("(unauthorized)", http.StatusUnauthorized)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": unauthorizedBody})
		return
	}
	if r.Method != http.MethodPost {
		s.recordRejected("(invalid)", http.StatusMethodNotAllowed)
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"errors": "Method Not Allowed"})
		return
	}
	req, err := readGraphQLRequest(r)
	if err != nil {
		s.recordRejected("(invalid)", http.StatusBadRequest)
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": map[string]any{"query": "Required parameter missing or invalid"}})
		return
	}
	req.base = requestBase(r)
	rec := Request{}
	// Parse early so faulted requests are still counted by operation.
	doc, perr := parseDocument(req.Query)
	if perr == nil {
		rec.Operation, rec.RootFields = describe(doc, req.OperationName)
	}
	forceThrottle := false
	if f, ok := s.nextFault(); ok {
		rec.Fault = f.label()
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-r.Context().Done():
				t.Stop()
				rec.Status = 499 // client went away, as nginx logs it
				s.record(rec)
				return
			case <-t.C:
			}
		}
		if f.Status != 0 {
			rec.Status = f.Status
			s.record(rec)
			writeFault(w, f)
			return
		}
		forceThrottle = f.Throttle
	}
	status, body := s.run(doc, perr, req, forceThrottle, &rec)
	rec.Status = status
	s.record(rec)
	s.opts.Logger.Debug("shopify sim request", "operation", rec.Operation, "fields", rec.RootFields,
		"requested_cost", rec.RequestedCost, "actual_cost", rec.ActualCost, "throttled", rec.Throttled)
	writeJSON(w, status, body)
}

func (s *Server) nextRequestID() uint32 {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.reqSeq++
	return s.reqSeq
}

func writeFault(w http.ResponseWriter, f Fault) {
	switch f.Status {
	case http.StatusTooManyRequests:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = 2 * time.Second
		}
		w.Header().Set("Retry-After", strconv.FormatFloat(ra.Seconds(), 'f', 1, 64))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."})
	case http.StatusInternalServerError:
		writeJSON(w, f.Status, map[string]any{"errors": "Internal Server Error"})
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(f.Status)
		text := http.StatusText(f.Status)
		_, _ = fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%d %s</title></head><body><h1>%s</h1><p>There was a problem loading this website. Please try again.</p></body></html>\n", f.Status, text, text)
	}
}

type graphQLRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
	// base is where the client reached the simulator (scheme, host and any mount prefix):
	// bulk operation result URLs start with it.
	base string
}

// readGraphQLRequest accepts application/json bodies and, like Shopify,
// application/graphql bodies holding the bare query.
func readGraphQLRequest(r *http.Request) (graphQLRequest, error) {
	var req graphQLRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return req, fmt.Errorf("read body: %w", err)
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/graphql" {
		req.Query = string(body)
	} else {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.UseNumber()
		var raw struct {
			Query         string          `json:"query"`
			Variables     json.RawMessage `json:"variables"`
			OperationName string          `json:"operationName"`
		}
		if err := dec.Decode(&raw); err != nil {
			return req, fmt.Errorf("decode body: %w", err)
		}
		req.Query, req.OperationName = raw.Query, raw.OperationName
		if len(raw.Variables) > 0 && string(raw.Variables) != "null" {
			vd := json.NewDecoder(strings.NewReader(string(raw.Variables)))
			vd.UseNumber()
			if err := vd.Decode(&req.Variables); err != nil {
				return req, fmt.Errorf("decode variables: %w", err)
			}
		}
	}
	if strings.TrimSpace(req.Query) == "" {
		return req, fmt.Errorf("no query")
	}
	return req, nil
}

// describe returns the operation name and root field names for the
// request log.
func describe(doc *document, opName string) (string, []string) {
	for _, op := range doc.ops {
		if opName != "" && op.name != opName {
			continue
		}
		var fields []string
		for _, sel := range op.sel {
			if f, ok := sel.(*fieldSel); ok && !slices.Contains(fields, f.name) {
				fields = append(fields, f.name)
			}
		}
		return op.name, fields
	}
	return "", nil
}

func (s *Server) throttledBody(requested int, available float64) *omap {
	ext := newOmap()
	ext.set("code", "THROTTLED")
	ext.set("documentation", "https://shopify.dev/api/usage/rate-limits")
	e := newOmap()
	e.set("message", "Throttled")
	e.set("extensions", ext)
	cost := newOmap()
	cost.set("cost", s.costExtension(requested, nil, available))
	body := newOmap()
	body.set("errors", []any{e})
	body.set("extensions", cost)
	return body
}

// run validates, prices, throttles and executes one GraphQL request.
func (s *Server) run(doc *document, perr error, req graphQLRequest, forceThrottle bool, rec *Request) (int, any) {
	if perr != nil {
		ge := gqlError{Message: perr.Error()}
		if pe, ok := errors.AsType[*parseError](perr); ok {
			ge.Locations = locs(pe.pos)
		}
		return http.StatusOK, map[string]any{"errors": []gqlError{ge}}
	}
	x := &execCtx{
		srv: s, sch: s.sch, res: s.res, doc: doc,
		args: map[*fieldSel]map[string]any{}, usedVar: map[string]bool{}, usedFrg: map[string]bool{},
		now: s.now(), base: req.base,
	}
	if !x.selectOperation(req.OperationName) || !x.coerceVariables(req.Variables) || !x.validate() {
		return http.StatusOK, map[string]any{"errors": x.errs}
	}
	requested, ok := x.requestedCost()
	if !ok {
		return http.StatusOK, map[string]any{"errors": x.errs}
	}
	rec.RequestedCost = requested
	if requested > s.opts.MaxQueryCost {
		return http.StatusOK, map[string]any{"errors": []any{map[string]any{
			"message": fmt.Sprintf("Query cost is %d, which exceeds the single query max cost limit (%d).\n\n"+
				"See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"+
				"cost of a query is calculated.\n\n"+
				"To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"+
				"See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n", requested, s.opts.MaxQueryCost),
			"extensions": map[string]any{"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": s.opts.MaxQueryCost,
				"documentation": "https://shopify.dev/api/usage/rate-limits"},
		}}}
	}
	if forceThrottle {
		rec.Throttled = true
		return http.StatusOK, s.throttledBody(requested, s.bucket.status(s.opts.Clock()))
	}
	okTake, avail := s.bucket.take(requested, s.opts.Clock())
	if !okTake {
		rec.Throttled = true
		return http.StatusOK, s.throttledBody(requested, avail)
	}
	var data *omap
	var actual int
	if x.op.kind == "mutation" {
		s.mu.Lock()
		data, actual = x.execute()
		s.mu.Unlock()
	} else {
		s.mu.RLock()
		data, actual = x.execute()
		s.mu.RUnlock()
	}
	actual = min(actual, requested)
	rec.ActualCost = actual
	avail = s.bucket.refund(requested-actual, s.opts.Clock())
	ext := newOmap()
	ext.set("cost", s.costExtension(requested, &actual, avail))
	if len(x.search) > 0 {
		ext.set("search", x.search)
	}
	body := newOmap()
	if len(x.errs) > 0 {
		body.set("errors", x.errs)
	}
	if data == nil {
		body.set("data", nil)
	} else {
		body.set("data", data)
	}
	body.set("extensions", ext)
	return http.StatusOK, body
}
