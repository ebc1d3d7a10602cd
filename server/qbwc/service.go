// Package qbwc is the SOAP route the QuickBooks Web Connector polls. It only reads and writes
// session state and the work queue (through Engine); it never calls a store or does slow work,
// so every call answers in milliseconds. See README.md for the wire contract.
package qbwc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// Engine turns queued work into qbXML message sets and applies QuickBooks' answers.
type Engine interface {
	// Recover marks the work a dead session left in flight as in doubt, so it is reconciled
	// with QuickBooks before anything is sent again.
	Recover(ctx context.Context, dead *db.QBWCSession) error
	// Pending counts work items waiting for account accountID's connection (in doubt included).
	Pending(ctx context.Context, accountID, connectionID int64) (int, error)
	// Filling reports whether workers are still adding work for the connection.
	Filling(ctx context.Context, connectionID int64) (bool, error)
	// Next returns the next message set for the session and records it as in flight; "" when
	// nothing is ready to send.
	Next(ctx context.Context, s *db.QBWCSession) (string, error)
	// Receive applies QuickBooks' response to the session's message set and returns the
	// progress of the remaining work, 0–100.
	Receive(ctx context.Context, s *db.QBWCSession, response string) (int, error)
	// ReceiveLate applies a response that came for a session already closed (taken over by a
	// newer session, or expired) to the message set it answers, settled as lost meanwhile.
	ReceiveLate(ctx context.Context, s *db.QBWCSession, response string) error
	// Reject records that QuickBooks refused the whole message set (hresult), and returns what
	// to tell the merchant.
	Reject(ctx context.Context, s *db.QBWCSession, hresult, message string) (string, error)
}

const (
	// MinClientVersion is the oldest Web Connector we are tested with; older ones get a warning.
	MinClientVersion = "2.1.0.30"
	// maxNoOps bounds how long a session idles (5 s per NoOp) waiting for workers to fill the queue.
	maxNoOps = 24
)

// Service answers the Web Connector.
type Service struct {
	DB      *db.DB
	Engine  Engine
	Log     *slog.Logger
	Version string
	Now     func() time.Time
	// Redis counts authenticate calls against Limits and coalesces wrong-password entries in
	// the merchant's log. Nil turns both off (tests of other packages that drive whole sessions).
	Redis *redis.Client
	// Limits overrides DefaultLimits field by field; zero fields take the default.
	Limits Limits
	// TrustedProxies (LEDGERLINK_TRUSTED_PROXIES) are the reverse proxies whose
	// X-Forwarded-For names the caller for the per-address limit; nil trusts no header.
	TrustedProxies []netip.Prefix

	slotsOnce sync.Once
	slots     chan struct{} // password-check slots (Limits.Hashes)
	largeOnce sync.Once
	large     chan struct{} // large-body parsing slots (Limits.LargeBodies)
	// Authenticated, when set, is called once a Web Connector has authenticated for
	// connectionID of accountID, before its pending work is counted: owners queue here what
	// each run should read (the inventory detection), so a run with nothing else to do still
	// reads it. An error fails the call, which the Web Connector retries on its next run.
	Authenticated func(ctx context.Context, accountID, connectionID int64) error
	// Verify checks a password against a stored hash; nil means auth.VerifyPassword.
	Verify func(hash, password string) (bool, error)
}

func (s *Service) verify(hash, password string) (bool, error) {
	if s.Verify != nil {
		return s.Verify(hash, password)
	}
	return auth.VerifyPassword(hash, password)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// ServeHTTP handles POST (SOAP calls) and GET (the Web Connector checks the URL answers 200
// when the application is added).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "Ledgerlink QuickBooks Web Connector endpoint. Add it to the Web Connector with the .qwc file from Ledgerlink's Connections page.")
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	if r.ContentLength < 0 || r.ContentLength > SmallBody {
		l := s.limits()
		release, err := acquire(r.Context(), &s.largeOnce, &s.large, l.LargeBodies, l.LargeBodyWait)
		if err != nil {
			s.logger().InfoContext(r.Context(), "qbwc: large request refused as busy", "bytes", r.ContentLength, "addr", s.clientAddress(r))
			w.WriteHeader(http.StatusServiceUnavailable)
			_ = writeFault(w, "Server", "Ledgerlink is busy; the Web Connector will try again on its next run.")
			return
		}
		defer release()
	}
	call, err := ParseCall(http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.Header.Get("SOAPAction"))
	if err != nil {
		status, msg := http.StatusBadRequest, err.Error()
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("qbwc: SOAP request larger than %d bytes", MaxBodyBytes)
		}
		w.WriteHeader(status)
		_ = writeFault(w, "Client", msg)
		return
	}
	result, err := s.dispatch(r.Context(), call, s.clientAddress(r))
	if errors.Is(err, errUnknownMethod) {
		s.logger().InfoContext(r.Context(), "qbwc: unknown method", "method", clip(call.Method, 64))
		w.WriteHeader(http.StatusBadRequest)
		_ = writeFault(w, "Client", "Ledgerlink does not know the Web Connector method "+clip(call.Method, 64)+".")
		return
	}
	if err != nil {
		s.logger().ErrorContext(r.Context(), "qbwc: call failed", "method", call.Method, "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		_ = writeFault(w, "Server", "Ledgerlink could not process "+call.Method+"; it will be retried on the next run.")
		return
	}
	_ = writeResponse(w, call.Method, result)
}

// errUnknownMethod is a call naming no Web Connector method: the caller's mistake.
var errUnknownMethod = errors.New("unknown Web Connector method")

// clientAddress is the caller's IP address, for the per-address authenticate limit: the
// connection's peer, or the client a trusted reverse proxy names in X-Forwarded-For (a header
// anyone else sends is ignored).
func (s *Service) clientAddress(r *http.Request) string {
	return auth.ClientAddr(r, s.TrustedProxies)
}

func (s *Service) dispatch(ctx context.Context, c *Call, addr string) (any, error) {
	switch c.Method {
	case MethodServerVersion:
		return "Ledgerlink " + s.Version, nil
	case MethodClientVersion:
		return clientVersionAnswer(c.Param("strVersion")), nil
	case MethodAuthenticate:
		return s.authenticate(ctx, addr, c.Param("strUserName"), c.Param("strPassword"))
	case MethodSendRequestXML:
		return s.sendRequestXML(ctx, c)
	case MethodReceiveResponseXML:
		return s.receiveResponseXML(ctx, c)
	case MethodGetLastError:
		return s.getLastError(ctx, c.Param("ticket"))
	case MethodConnectionError:
		return s.connectionError(ctx, c.Param("ticket"), c.Param("hresult"), c.Param("message"))
	case MethodCloseConnection:
		return s.closeConnection(ctx, c.Param("ticket"))
	case MethodGetInteractiveURL:
		return "", nil
	default:
		return nil, fmt.Errorf("%w %q", errUnknownMethod, clip(c.Method, 64))
	}
}

// clientVersionAnswer returns "" to proceed, or a W: warning for Web Connectors older than the
// one we test with (the user may still continue).
func clientVersionAnswer(v string) string {
	if v == "" || compareVersions(v, MinClientVersion) >= 0 {
		return ""
	}
	return "W:This QuickBooks Web Connector is version " + v + "; Ledgerlink is tested with " + MinClientVersion +
		" or later. Please update the Web Connector from Intuit's website."
}

// compareVersions compares dotted numeric versions.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func newTicket() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// authenticate answers [ticket, ""|"none"|"nvu"|"busy"|company file]. Callers over the rate
// limits, and callers finding every password-check slot taken, get "busy": QBWC reports the
// server busy and tries again on its next scheduled run, and no password is checked for them.
func (s *Service) authenticate(ctx context.Context, addr, user, password string) ([]string, error) {
	start := s.now()
	var conn *db.QBDConnection // known once the username matched
	answer, err := s.authenticateAs(ctx, addr, user, password, &conn)
	if conn == nil {
		return answer, err
	}
	// What the health page and status read (db.QBDHealth): a good authenticate, or a failure of
	// a kind the merchant can act on.
	now := s.now()
	var rec error
	switch {
	case err != nil:
		rec = s.DB.RecordQBDAuthFailure(ctx, conn.AccountID, conn.ID, db.AuthFailError, now)
	case answer[1] == "nvu":
		rec = s.DB.RecordQBDAuthFailure(ctx, conn.AccountID, conn.ID, db.AuthFailPassword, now)
	case now.Sub(start) > db.AuthTimeout:
		// The Web Connector stopped waiting and showed "Authentication failed".
		s.logger().WarnContext(ctx, "qbwc: authenticate answered after the Web Connector's timeout", "connection", conn.ID, "took", now.Sub(start))
		rec = s.DB.RecordQBDAuthFailure(ctx, conn.AccountID, conn.ID, db.AuthFailTimeout, now)
	default:
		rec = s.DB.RecordQBDAuthenticated(ctx, conn.AccountID, conn.ID, now, answer[1] == "none")
	}
	if rec != nil && err == nil {
		return nil, rec
	}
	return answer, err
}

// authenticateAs checks the credentials and starts the session; *connOut is set once the
// password check of a known username ran (not for callers refused as busy).
func (s *Service) authenticateAs(ctx context.Context, addr, user, password string, connOut **db.QBDConnection) ([]string, error) {
	ticket := newTicket()
	if ok, err := s.allowAuthenticate(ctx, addr, user); err != nil {
		return nil, err
	} else if !ok {
		s.logger().InfoContext(ctx, "qbwc: authenticate rate-limited", "addr", addr)
		return []string{ticket, "busy"}, nil
	}
	conn, err := s.DB.GetQBDConnectionByUsername(ctx, user)
	hash := dummyHash // an unknown user costs the same check as a known one
	if err == nil {
		hash = conn.WCPasswordHash
	} else if !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	ok, err := s.verifyPassword(ctx, hash, password)
	if errors.Is(err, errNoSlot) {
		s.logger().InfoContext(ctx, "qbwc: authenticate refused as busy: password checks saturated", "addr", addr)
		return []string{ticket, "busy"}, nil
	}
	if conn == nil {
		return []string{ticket, "nvu"}, nil
	}
	*connOut = conn
	if err != nil || !ok {
		s.badPassword(ctx, conn.AccountID, conn.ID)
		return []string{ticket, "nvu"}, nil
	}
	now := s.now()
	if err := s.DB.TouchQBDConnection(ctx, conn.AccountID, conn.ID, "", now); err != nil {
		return nil, err
	}
	if s.Authenticated != nil {
		if err := s.Authenticated(ctx, conn.AccountID, conn.ID); err != nil {
			return nil, fmt.Errorf("qbwc: work for this run: %w", err)
		}
	}
	pending, err := s.Engine.Pending(ctx, conn.AccountID, conn.ID)
	if err != nil {
		return nil, err
	}
	filling, err := s.Engine.Filling(ctx, conn.ID)
	if err != nil {
		return nil, err
	}
	if pending == 0 && !filling {
		return []string{ticket, "none"}, nil
	}
	// The new session starts at once, taking the connection over from any session still open
	// (one whose answer was lost, or a second Web Connector): the message set it held goes in
	// doubt, and this session's first message reconciles it before anything new is sent.
	sess := &db.QBWCSession{Ticket: ticket, ConnectionID: conn.ID, AccountID: conn.AccountID, State: db.SessionOpen,
		QBXMLVersion: conn.QBXMLVersion, StartedAt: now, LastCallAt: now}
	taken, err := s.DB.StartQBWCSession(ctx, sess, now)
	if err != nil {
		return nil, err
	}
	for i := range taken {
		var inFlight int64 // the message set it held, 0 for none
		if taken[i].BatchID != nil {
			inFlight = *taken[i].BatchID
		}
		s.logger().InfoContext(ctx, "qbwc: session taken over by a newer one", "connection", conn.ID,
			"old_last_call", taken[i].LastCallAt, "old_batch", inFlight)
		if err := s.Engine.Recover(ctx, &taken[i]); err != nil {
			return nil, err
		}
	}
	return []string{ticket, conn.CompanyFile}, nil
}

// session loads an open session; a closed, unknown or expired ticket returns ErrNotFound. A
// ticket idle for longer than Limits.TicketIdle expires: its session is closed (its in-flight
// work goes in doubt, as for any dead session) and the ticket never works again.
func (s *Service) session(ctx context.Context, ticket string) (*db.QBWCSession, error) {
	sess, err := s.DB.GetQBWCSession(ctx, ticket)
	if err != nil {
		return nil, err
	}
	if sess.State != db.SessionOpen {
		return nil, fmt.Errorf("session %s is closed: %w", ticket, db.ErrNotFound)
	}
	now := s.now()
	if idle := s.limits().TicketIdle; sess.LastCallAt.Before(now.Add(-idle)) {
		dead, err := s.DB.CloseStaleQBWCSessions(ctx, sess.AccountID, sess.ConnectionID, now.Add(-idle), now)
		if err != nil {
			return nil, err
		}
		for i := range dead {
			if err := s.Engine.Recover(ctx, &dead[i]); err != nil {
				return nil, err
			}
		}
		return nil, fmt.Errorf("session %s expired after %s idle: %w", ticket, idle, db.ErrNotFound)
	}
	return sess, nil
}

func (s *Service) sendRequestXML(ctx context.Context, c *Call) (string, error) {
	sess, err := s.session(ctx, c.Param("ticket"))
	if errors.Is(err, db.ErrNotFound) {
		return "", nil // QBWC then asks getLastError, which explains
	} else if err != nil {
		return "", err
	}
	cols := []string{}
	if hcp := c.Param("strHCPResponse"); hcp != "" {
		version, err := chooseVersion(hcp)
		if err != nil {
			sess.LastError = err.Error()
			s.log(ctx, sess.AccountID, sess.ConnectionID, db.LevelError, err.Error(),
				"Update QuickBooks Desktop to the 2013 edition or later; Ledgerlink speaks qbXML 13.0 and 16.0.")
			return "", s.saveSession(ctx, sess, "last_error")
		}
		sess.QBXMLVersion = version
		sess.CompanyFile = c.Param("strCompanyFileName")
		cols = append(cols, "qbxml_version", "company_file")
		if err := s.DB.TouchQBDConnection(ctx, sess.AccountID, sess.ConnectionID, version, s.now()); err != nil {
			return "", err
		}
	}
	if sess.QBXMLVersion == "" {
		sess.QBXMLVersion = "13.0" // a session that skipped the HCP call: the lowest we speak
		cols = append(cols, "qbxml_version")
	}
	msg, err := s.Engine.Next(ctx, sess)
	if err != nil {
		return "", err
	}
	if msg == "" {
		filling, err := s.Engine.Filling(ctx, sess.ConnectionID)
		if err != nil {
			return "", err
		}
		sess.LastError = ""
		if filling && sess.NoOps < maxNoOps {
			sess.LastError = "NoOp"
		}
		cols = append(cols, "last_error")
	} else {
		sess.NoOps = 0
		cols = append(cols, "noops")
	}
	return msg, s.saveSession(ctx, sess, cols...)
}

func (s *Service) receiveResponseXML(ctx context.Context, c *Call) (int, error) {
	sess, err := s.session(ctx, c.Param("ticket"))
	if errors.Is(err, db.ErrNotFound) {
		// A closed session's answer still says what QuickBooks did: applied, then the Web
		// Connector is told the session ended (getLastError explains).
		if old, err := s.DB.GetQBWCSession(ctx, c.Param("ticket")); err == nil && c.Param("hresult") == "" {
			if err := s.Engine.ReceiveLate(ctx, old, c.Param("response")); err != nil {
				return 0, err
			}
		}
		return -1, nil
	} else if err != nil {
		return 0, err
	}
	if hresult := c.Param("hresult"); hresult != "" {
		msg, err := s.Engine.Reject(ctx, sess, hresult, c.Param("message"))
		if err != nil {
			return 0, err
		}
		sess.LastError = msg
		return -1, s.saveSession(ctx, sess, "last_error")
	}
	progress, err := s.Engine.Receive(ctx, sess, c.Param("response"))
	if err != nil {
		return 0, err
	}
	return progress, s.saveSession(ctx, sess)
}

func (s *Service) getLastError(ctx context.Context, ticket string) (string, error) {
	sess, err := s.session(ctx, ticket)
	if errors.Is(err, db.ErrNotFound) {
		if old, err := s.DB.GetQBWCSession(ctx, ticket); err == nil && old.LastError == db.TakenOver {
			return "This Web Connector session has ended: a newer session of this connection took over (another Web Connector, or this one after a lost answer). Nothing is lost.", nil
		}
		return "This Web Connector session has ended or expired. It will start again on the next scheduled run.", nil
	} else if err != nil {
		return "", err
	}
	switch sess.LastError {
	case "NoOp":
		// Workers are still preparing orders: ask QBWC to wait 5 s and call sendRequestXML again.
		sess.NoOps++
		sess.LastError = ""
		return "NoOp", s.saveSession(ctx, sess, "noops", "last_error")
	case "":
		return "Ledgerlink has nothing more to send right now.", nil
	default:
		return sess.LastError, nil
	}
}

func (s *Service) connectionError(ctx context.Context, ticket, hresult, message string) (string, error) {
	sess, err := s.session(ctx, ticket)
	if errors.Is(err, db.ErrNotFound) {
		return "done", nil
	} else if err != nil {
		return "", err
	}
	// QBWC's hresult is a short code and its message a sentence or two; anything longer is not
	// from QBWC and is not kept whole in the merchant's log.
	what, hint := connectionProblem(clip(strings.TrimSpace(hresult), 32), clip(message, MaxConnectionErrorText))
	what = clip(what, MaxConnectionErrorText+200)
	s.log(ctx, sess.AccountID, sess.ConnectionID, db.LevelError, what, hint)
	now := s.now()
	sess.State, sess.ClosedAt, sess.LastError = db.SessionClosed, &now, what
	sess.EndReason, sess.HResult = db.SessionEndConnectionError, clip(strings.TrimSpace(hresult), 32)
	return "done", s.saveSession(ctx, sess, "state", "closed_at", "last_error", "end_reason", "hresult")
}

// connectionProblem explains the HRESULTs QBWC reports when it cannot reach QuickBooks: the
// merchant's log line, and what to do (the health page's advice for the same kind).
func connectionProblem(hresult, message string) (what, hint string) {
	kind := hresultKind(hresult)
	hint = problemText[kind][1]
	switch kind {
	case ProblemQuickBooksClosed:
		return "The Web Connector could not start QuickBooks (" + message + ").", hint
	case ProblemDialogBlocking:
		return "The Web Connector could not access QuickBooks (" + message + ").", hint
	case ProblemPermission:
		return "QuickBooks denied Ledgerlink access to the company file.", hint
	case ProblemWrongCompanyFile:
		return "QuickBooks has a different company file open than the one this connection is for (" + message + ").", hint
	default:
		return "The Web Connector could not connect to QuickBooks: " + strings.TrimSpace(hresult+" "+message), hint
	}
}

func (s *Service) closeConnection(ctx context.Context, ticket string) (string, error) {
	sess, err := s.session(ctx, ticket)
	if errors.Is(err, db.ErrNotFound) {
		return "OK", nil
	} else if err != nil {
		return "", err
	}
	now := s.now()
	sess.State, sess.ClosedAt, sess.EndReason = db.SessionClosed, &now, db.SessionEndClosed
	if err := s.saveSession(ctx, sess, "state", "closed_at", "end_reason"); err != nil {
		return "", err
	}
	if err := s.DB.RecordQBDRunFinished(ctx, sess.AccountID, sess.ConnectionID, now); err != nil {
		return "", err
	}
	return fmt.Sprintf("Ledgerlink: %d of %d requests completed.", sess.DoneRequests, sess.SentRequests), nil
}

// saveSession writes the given columns of sess, and the time of this call as its last call.
func (s *Service) saveSession(ctx context.Context, sess *db.QBWCSession, columns ...string) error {
	sess.LastCallAt = s.now()
	return s.DB.UpdateQBWCSession(ctx, sess, columns...)
}

func (s *Service) log(ctx context.Context, accountID, connectionID int64, level db.LogLevel, msg, hint string) {
	l := &db.SyncLog{AccountID: accountID, ConnectionID: &connectionID, Level: level, Source: "qbwc", Message: msg}
	if hint != "" {
		l.Hint = &hint
	}
	if err := s.DB.AddLog(ctx, l); err != nil {
		s.logger().ErrorContext(ctx, "qbwc: write sync log", "err", err)
	}
}

func (s *Service) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

var dummyHash, _ = auth.HashPassword("ledgerlink-qbwc-timing-equaliser")
