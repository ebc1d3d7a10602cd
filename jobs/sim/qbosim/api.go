package qbosim

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

// maxRequestID is the longest requestid of a single write ("a maximum of 50
// characters for all operations, except for batch operations").
const maxRequestID = 50

// Request is one Accounting API request the simulator answered, as Requests reports it.
type Request struct {
	Time     time.Time
	Method   string
	Path     string // after /v3/company/{realmId}
	Query    string // raw query string
	Status   int
	Replayed bool   // answered from a requestid seen before
	Injected string // the injected fault that shaped the answer, if any
}

// Counts are the Accounting API's counters, for tests.
type Counts struct {
	Requests  int // API requests received (all outcomes)
	Writes    int // writes applied (create/update/delete/void, batch items included)
	Replays   int // writes answered from a requestid seen before (batch items included)
	Throttled int // 429 answers
	Batches   int // batch requests answered 200
	Lost      int // answers dropped after the write was applied
}

// serveAPI answers /v3/company/{realmId}/…: bearer token, company, throttling,
// injected faults, then the operation.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	// Every answer carries a transaction id for support, as the cassettes' Intuit-Tid.
	w.Header().Set("Intuit-Tid", fmt.Sprintf("1-%08x-%s", now.Unix(), randomToken("", 12, hex.EncodeToString)))
	rest, realm, ok := splitCompanyPath(r.URL.Path)
	entry := Request{Time: now, Method: r.Method, Path: rest, Query: r.URL.RawQuery}
	rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	lost := false
	defer func() {
		entry.Status = rec.status
		if lost {
			entry.Status = 0 // no answer reached the client
		}
		s.logRequest(entry)
	}()
	if !ok {
		writeFault(rec, errUnsupported(strings.TrimPrefix(r.URL.Path, "/v3"), s.fullURL(r)), now)
		return
	}
	switch st, tok := s.bearer(r); st {
	case tokenMissing:
		write401(rec, "", now)
		return
	case tokenExpired, tokenUnknown:
		write401(rec, tok, now)
		return
	}
	if realm != s.opts.Realm {
		writeFault(rec, errForbidden(), now)
		return
	}
	isBatch := strings.EqualFold(strings.Trim(rest, "/"), "batch")
	release, admitted := s.throttle.admit(now, isBatch)
	if !admitted {
		s.count(func(c *Counts) { c.Throttled++ })
		write429(rec, now)
		return
	}
	defer release()
	inj := s.pickInjected(r.Method, rest)
	if inj != nil {
		entry.Injected = inj.String()
		if !inj.Drop {
			s.answerInjected(rec, inj, now)
			return
		}
	}
	if d := s.opts.Latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if inj != nil && inj.Drop {
		// The lost answer: QuickBooks applies the request, the client never hears back.
		s.route(httptest.NewRecorder(), r, rest, now, &entry)
		s.count(func(c *Counts) { c.Lost++ })
		lost = true
		panic(http.ErrAbortHandler) // net/http closes the connection without an answer
	}
	s.route(rec, r, rest, now, &entry)
}

// route runs the operation rest names.
func (s *Server) route(w http.ResponseWriter, r *http.Request, rest string, now time.Time, entry *Request) {
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	seg := strings.ToLower(parts[0])
	switch {
	case seg == "query" && (r.Method == http.MethodGet || r.Method == http.MethodPost):
		s.serveQuery(w, r, now)
	case seg == "batch" && r.Method == http.MethodPost:
		s.serveBatch(w, r, now, entry)
	case seg == "cdc" && r.Method == http.MethodGet:
		s.serveCDC(w, r, now)
	case seg == "companyinfo" && r.Method == http.MethodGet && len(parts) == 2:
		s.serveRead(w, KindCompanyInfo, parts[1], now)
	case seg == "preferences" && len(parts) == 1 && r.Method == http.MethodGet:
		s.serveRead(w, KindPreferences, "1", now)
	case kindByLower[seg] != "" && r.Method == http.MethodGet && len(parts) == 2:
		s.serveRead(w, kindByLower[seg], parts[1], now)
	case kindByLower[seg] != "" && r.Method == http.MethodPost && len(parts) == 1:
		s.serveWrite(w, r, kindByLower[seg], now, entry)
	default:
		writeFault(w, errUnsupported("/v3"+strings.TrimPrefix(r.URL.Path, "/v3"), s.fullURL(r)), now)
	}
}

// splitCompanyPath splits /v3/company/{realmId}/rest.
func splitCompanyPath(p string) (rest, realm string, ok bool) {
	after, found := strings.CutPrefix(p, "/v3/company/")
	if !found {
		return "", "", false
	}
	realm, rest, found = strings.Cut(after, "/")
	if !found || realm == "" || rest == "" {
		return "", "", false
	}
	return "/" + rest, realm, true
}

func (s *Server) fullURL(r *http.Request) string {
	return "https://c50.sandbox.qbo.intuit.com/qbo50" + r.URL.Path
}

func (s *Server) serveRead(w http.ResponseWriter, kind, id string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if kind == KindCompanyInfo && id != s.opts.Realm {
		writeFault(w, errNotFound(), now)
		return
	}
	if kind == KindCompanyInfo {
		id = "1"
	} else if _, err := strconv.Atoi(id); err != nil {
		writeFault(w, errInvalidID(id), now)
		return
	}
	rec := s.co.get(kind, id)
	if rec == nil {
		writeFault(w, errNotFound(), now)
		return
	}
	writeEntity(w, kind, s.view(rec), now)
}

func writeEntity(w http.ResponseWriter, kind string, o Object, now time.Time) {
	writeJSON(w, http.StatusOK, map[string]any{kind: o, "time": answerTime(now)})
}

// serveWrite is POST /{entity}[?operation=update|delete|void][&requestid=…].
func (s *Server) serveWrite(w http.ResponseWriter, r *http.Request, kind string, now time.Time, entry *Request) {
	q := r.URL.Query()
	reqID := q.Get("requestid")
	if len(reqID) > maxRequestID {
		writeFault(w, errRequestIDLength(reqID, maxRequestID), now)
		return
	}
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	if saved := s.co.Replies[reqID]; reqID != "" && saved != nil {
		s.counts.Replays++
		s.mu.Unlock()
		entry.Replayed = true
		writeRaw(w, saved.Status, saved.Body)
		return
	}
	ctx := &opCtx{now: now}
	status, answer := s.write(ctx, kind, q.Get("operation"), body)
	if reqID != "" {
		s.co.Replies[reqID] = &savedReply{Status: status, Body: answer}
	}
	s.afterWriteLocked(ctx)
	s.mu.Unlock()
	writeRaw(w, status, answer)
}

// write runs one write and returns its answer (status and JSON body). The
// caller holds s.mu.
func (s *Server) write(ctx *opCtx, kind, operation string, body []byte) (int, []byte) {
	o, f := s.writeObject(ctx, kind, operation, body)
	if f != nil {
		return f.Status, faultBody(f, ctx.now)
	}
	b, _ := json.Marshal(map[string]any{kind: o, "time": answerTime(ctx.now)})
	return http.StatusOK, b
}

func (s *Server) writeObject(ctx *opCtx, kind, operation string, body []byte) (Object, *Fault) {
	var in Object
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&in); err != nil || in == nil {
		return nil, errBusiness("Request body is not a JSON object of a " + kind + ".")
	}
	return s.apply(ctx, kind, operation, in)
}

// apply dispatches one write on a decoded object (also used by batch items).
func (s *Server) apply(ctx *opCtx, kind, operation string, in Object) (Object, *Fault) {
	var o Object
	var f *Fault
	switch strings.ToLower(operation) {
	case "", "create", "update":
		if in["Id"] != nil || strings.EqualFold(operation, "update") {
			o, f = s.update(ctx, kind, in)
		} else {
			o, f = s.create(ctx, kind, in)
		}
	case "delete":
		o, f = s.remove(ctx, kind, in)
	case "void":
		o, f = s.void(ctx, kind, in)
	default:
		f = errBusiness("Unknown operation " + operation + ".")
	}
	if f == nil {
		s.counts.Writes++
		if kind == KindPreferences {
			s.applyPreferences(o)
		}
	}
	return o, f
}

func faultBody(f *Fault, now time.Time) []byte {
	b, _ := json.Marshal(struct {
		Fault faultJSON `json:"Fault"`
		Time  string    `json:"time"`
	}{f.wire(), answerTime(now)})
	return b
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// afterWriteLocked persists the company (when file-backed) and queues the
// write's change events for webhook delivery. The caller holds s.mu.
func (s *Server) afterWriteLocked(ctx *opCtx) {
	if len(ctx.events) == 0 {
		return
	}
	s.queueWebhookLocked(ctx.events)
	s.saveLocked()
}

// saveLocked writes the company file, when there is one, with the
// connections' grants. The caller holds s.mu.
func (s *Server) saveLocked() {
	if s.opts.File == "" {
		return
	}
	s.co.Auth = s.auth.snapshot(s.now())
	if err := s.co.save(s.opts.File); err != nil {
		s.log.Error("qbosim: save company", "file", s.opts.File, "err", err)
	}
}

func (s *Server) count(f func(*Counts)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.counts)
}

const maxRequestLog = 20000

func (s *Server) logRequest(e Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Requests++
	if len(s.requests) >= maxRequestLog {
		s.requests = s.requests[1:]
	}
	s.requests = append(s.requests, e)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
