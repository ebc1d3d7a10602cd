package qbwc

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/server/auth"
	"github.com/ledgerlink/ledgerlink/server/qbwc/qbwctest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fakeEngine always has one pending item and records recoveries; the tests here exercise the
// SOAP route's own rules, not the work queue.
type fakeEngine struct{ recovered atomic.Int64 }

func (e *fakeEngine) Recover(context.Context, *db.QBWCSession) error     { e.recovered.Add(1); return nil }
func (e *fakeEngine) Pending(context.Context, int64, int64) (int, error) { return 1, nil }
func (e *fakeEngine) Filling(context.Context, int64) (bool, error)       { return false, nil }
func (e *fakeEngine) Next(context.Context, *db.QBWCSession) (string, error) {
	return "", nil
}
func (e *fakeEngine) Receive(context.Context, *db.QBWCSession, string) (int, error) { return 100, nil }
func (e *fakeEngine) ReceiveLate(context.Context, *db.QBWCSession, string) error    { return nil }
func (e *fakeEngine) Reject(context.Context, *db.QBWCSession, string, string) (string, error) {
	return "", nil
}

const rightPassword = "the-right-qbwc-password"

// fixtureConnection creates an account with a QuickBooks Desktop connection whose Web Connector
// password is rightPassword, and returns it.
func fixtureConnection(t *testing.T, d *db.DB) *db.QBDConnection {
	t.Helper()
	ctx := context.Background()
	a := &db.Account{Name: "QBWC " + t.Name()}
	if err := d.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(rightPassword)
	if err != nil {
		t.Fatal(err)
	}
	c := &db.QBDConnection{AccountID: a.ID, Name: "QuickBooks", WCUsername: "wc-" + strings.ToLower(t.Name()),
		WCPasswordHash: hash, OwnerID: "4c4c4c4c-0000-4000-8000-000000000001", FileID: "4c4c4c4c-0000-4000-8000-000000000002"}
	if err := d.CreateQBDConnection(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// call posts one SOAP call from addr and returns the result's text and strings.
func call(t *testing.T, s *Service, addr, method string, params ...string) (string, []string) {
	t.Helper()
	return callVia(t, s, addr, "", method, params...)
}

// callVia is call with an X-Forwarded-For header (none when forwardedFor is empty).
func callVia(t *testing.T, s *Service, addr, forwardedFor, method string, params ...string) (string, []string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/qbwc", strings.NewReader(qbwctest.Call(method, params...)))
	req.RemoteAddr = addr + ":50000"
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("%s from %s: %d %s", method, addr, rec.Code, rec.Body)
		return "", nil
	}
	text, strs, err := qbwctest.Result(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("%s: %v in %s", method, err, rec.Body)
	}
	return text, strs
}

// hashCounter wraps the real password check, counting checks and the most running at once.
type hashCounter struct {
	total, running, peak atomic.Int64
}

func (h *hashCounter) verify(hash, password string) (bool, error) {
	h.total.Add(1)
	n := h.running.Add(1)
	defer h.running.Add(-1)
	for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
	}
	return auth.VerifyPassword(hash, password)
}

func newService(d *db.DB, t *testing.T, l Limits) *Service {
	return &Service{DB: d, Engine: &fakeEngine{}, Log: slog.New(slog.DiscardHandler), Version: "test",
		Redis: dbtest.Redis(t), Limits: l}
}

// An authenticate flood — 30 parallel wrong passwords for one username from 30 addresses, then
// 30 parallel unknown usernames from one address — runs at most the rate limits' worth of
// argon2id checks (19 MiB each), never more than Limits.Hashes at once. The memory the flood
// allocates is measured: without the limits it is 60 checks' worth (~1.1 GiB).
func TestAuthenticateFloodIsBounded(t *testing.T) {
	d := dbtest.DB(t)
	conn := fixtureConnection(t, d)
	var hc hashCounter
	s := newService(d, t, Limits{PerAddress: 5, PerUser: 5, Hashes: 3, HashWait: time.Minute})
	s.Verify = hc.verify

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	answers := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			addr, user := fmt.Sprintf("10.0.0.%d", i), conn.WCUsername
			if i >= 30 {
				addr, user = "192.0.2.1", fmt.Sprintf("nobody-%d", i)
			}
			_, r := call(t, s, addr, MethodAuthenticate, "strUserName", user, "strPassword", "wrong password")
			if len(r) < 2 {
				t.Errorf("authenticate answered %v", r)
				return
			}
			mu.Lock()
			answers[r[1]]++
			mu.Unlock()
		})
	}
	wg.Wait()
	runtime.ReadMemStats(&after)

	if n := hc.total.Load(); n > 10 {
		t.Errorf("%d password checks for 60 flooding calls, want at most 10 (5 per username + 5 per address)", n)
	}
	if p := hc.peak.Load(); p > 3 {
		t.Errorf("%d password checks ran at once, want at most Limits.Hashes = 3", p)
	}
	if answers["nvu"]+answers["busy"] != 60 || answers["busy"] < 50 {
		t.Errorf("answers %v: want 60 in all, at least 50 of them busy", answers)
	}
	// 10 checks × 19 MiB, plus room for the requests themselves; 60 checks would be ~1.1 GiB.
	const ceiling = 10*19<<20 + 64<<20
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > ceiling {
		t.Errorf("the flood allocated %d MiB, want at most %d MiB", alloc>>20, ceiling>>20)
	}
}

// When every password-check slot is taken, a caller waits at most HashWait and is then told
// "busy" without its password being checked.
func TestAuthenticateIsBusyWhenHashSlotsAreTaken(t *testing.T) {
	d := dbtest.DB(t)
	conn := fixtureConnection(t, d)
	entered, release := make(chan struct{}), make(chan struct{})
	var checks atomic.Int64
	s := newService(d, t, Limits{Hashes: 2, HashWait: 10 * time.Millisecond})
	s.Verify = func(hash, password string) (bool, error) {
		if checks.Add(1) > 2 {
			return auth.VerifyPassword(hash, password) // a third check must not happen at all
		}
		entered <- struct{}{}
		<-release
		return auth.VerifyPassword(hash, password)
	}
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			if _, r := call(t, s, fmt.Sprintf("10.1.0.%d", i), MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", "wrong"); len(r) < 2 || r[1] != "nvu" {
				t.Errorf("held caller %d: %v, want nvu", i, r)
			}
		})
	}
	<-entered
	<-entered // both slots are now held until release
	if _, r := call(t, s, "10.1.0.9", MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", rightPassword); len(r) < 2 || r[1] != "busy" {
		t.Errorf("third caller: %v, want busy", r)
	}
	close(release)
	wg.Wait()
	if n := checks.Load(); n != 2 {
		t.Errorf("%d password checks, want 2 (the busy caller's password is not checked)", n)
	}
}

// Parallel callers cannot slip under the per-username limit: the count is taken atomically
// before any password is checked.
func TestAuthenticateLimitHoldsUnderRace(t *testing.T) {
	d := dbtest.DB(t)
	conn := fixtureConnection(t, d)
	var hc hashCounter
	s := newService(d, t, Limits{PerUser: 5, Hashes: 8, HashWait: time.Minute})
	s.Verify = func(hash, password string) (bool, error) { hc.total.Add(1); return false, nil }
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			call(t, s, fmt.Sprintf("10.2.0.%d", i), MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", "wrong")
		})
	}
	wg.Wait()
	if n := hc.total.Load(); n != 5 {
		t.Fatalf("%d password checks for 30 parallel calls, want exactly the limit, 5", n)
	}
}

func warnings(t *testing.T, d *db.DB, conn *db.QBDConnection) []db.SyncLog {
	t.Helper()
	res, err := d.ListLogs(context.Background(), conn.AccountID, db.LogFilter{ConnectionID: conn.ID, Level: db.LevelWarning}, db.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return res.Items
}

// Repeated wrong Web Connector passwords leave one entry in the merchant's log per interval,
// and the next entry counts the attempts in between.
func TestWrongPasswordWarningsAreCoalesced(t *testing.T) {
	d := dbtest.DB(t)
	conn := fixtureConnection(t, d)
	s := newService(d, t, Limits{})
	for i := range 5 {
		if _, r := call(t, s, fmt.Sprintf("10.3.0.%d", i), MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", "wrong"); len(r) < 2 || r[1] != "nvu" {
			t.Fatalf("attempt %d: %v", i, r)
		}
	}
	logs := warnings(t, d, conn)
	if len(logs) != 1 || logs[0].Message != "The Web Connector signed in with a wrong password." {
		t.Fatalf("after 5 wrong passwords the log has %d warnings: %+v", len(logs), logs)
	}
	// The interval ends (its Redis gate expires): the next wrong password writes an entry
	// counting itself and the 4 coalesced ones.
	if err := s.Redis.Del(context.Background(), redisKey("badpw:gate", fmt.Sprint(conn.ID))).Err(); err != nil {
		t.Fatal(err)
	}
	call(t, s, "10.3.0.9", MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", "wrong")
	logs = warnings(t, d, conn)
	if len(logs) != 2 || !strings.Contains(logs[0].Message+logs[1].Message, "wrong password 5 times") {
		t.Fatalf("after the interval: %+v", logs)
	}
}

// openSession authenticates with the right password and returns the session's ticket.
func openSession(t *testing.T, s *Service, conn *db.QBDConnection) string {
	t.Helper()
	_, r := call(t, s, "10.4.0.1", MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", rightPassword)
	if len(r) < 2 || r[1] == "nvu" || r[1] == "none" || r[1] == "busy" {
		t.Fatalf("authenticate: %v", r)
	}
	return r[0]
}

// A ticket left idle longer than Limits.TicketIdle stops working and its session is closed.
func TestIdleTicketExpires(t *testing.T) {
	d := dbtest.DB(t)
	conn := fixtureConnection(t, d)
	s := newService(d, t, Limits{TicketIdle: 10 * time.Minute})
	ticket := openSession(t, s, conn)
	if msg, _ := call(t, s, "10.4.0.1", MethodGetLastError, "ticket", ticket); strings.Contains(msg, "expired") {
		t.Fatalf("fresh ticket: %q", msg)
	}
	s.Now = func() time.Time { return time.Now().Add(11 * time.Minute) }
	if msg, _ := call(t, s, "10.4.0.1", MethodGetLastError, "ticket", ticket); !strings.Contains(msg, "ended or expired") {
		t.Fatalf("idle ticket still works: getLastError = %q", msg)
	}
	sess, err := d.GetQBWCSession(context.Background(), ticket)
	if err != nil || sess.State != db.SessionClosed {
		t.Fatalf("idle session: %+v %v, want closed", sess, err)
	}
	if n := s.Engine.(*fakeEngine).recovered.Load(); n != 1 {
		t.Fatalf("engine recovered %d sessions, want the expired one", n)
	}
}

// A connectionError's text is kept only up to MaxConnectionErrorText in the log and session.
func TestConnectionErrorTextIsCapped(t *testing.T) {
	d := dbtest.DB(t)
	conn := fixtureConnection(t, d)
	s := newService(d, t, Limits{})
	ticket := openSession(t, s, conn)
	huge := strings.Repeat("ä", 500_000) // 1 MB of two-byte characters
	if got, _ := call(t, s, "10.4.0.1", MethodConnectionError, "ticket", ticket, "hresult", "0x80040408", "message", huge); got != "done" {
		t.Fatalf("connectionError = %q", got)
	}
	res, err := d.ListLogs(context.Background(), conn.AccountID, db.LogFilter{ConnectionID: conn.ID, Level: db.LevelError}, db.Page{Limit: 10})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("logs: %+v %v", res.Items, err)
	}
	const limit = MaxConnectionErrorText + 200
	if n := len(res.Items[0].Message); n > limit || !strings.HasPrefix(res.Items[0].Message, "The Web Connector could not start QuickBooks (ää") {
		t.Fatalf("logged %d bytes: %.120q…", n, res.Items[0].Message)
	}
	sess, err := d.GetQBWCSession(context.Background(), ticket)
	if err != nil || len(sess.LastError) > limit {
		t.Fatalf("session last_error %d bytes, %v", len(sess.LastError), err)
	}
}

// Behind a reverse proxy listed in TrustedProxies, each Web Connector counts against its own
// address (X-Forwarded-For), not the proxy's; a peer that is not a trusted proxy cannot dodge
// the per-address limit by writing the header itself.
func TestAuthenticateAddressLimitBehindTrustedProxy(t *testing.T) {
	d := dbtest.DB(t)
	conn := fixtureConnection(t, d)
	s := newService(d, t, Limits{PerAddress: 2, PerUser: 100, Hashes: 3, HashWait: time.Minute})
	proxies, err := auth.ParseTrustedProxies("10.9.0.1")
	if err != nil {
		t.Fatal(err)
	}
	s.TrustedProxies = proxies
	auth := func(peer, xff string) string {
		_, r := callVia(t, s, peer, xff, MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", "wrong")
		if len(r) < 2 {
			t.Fatalf("authenticate answered %v", r)
		}
		return r[1]
	}
	// Two offices behind one proxy, two tries each: within each one's limit of 2.
	for _, client := range []string{"198.51.100.1", "198.51.100.2"} {
		for i := range 2 {
			if got := auth("10.9.0.1", client); got != "nvu" {
				t.Errorf("try %d of %s through the trusted proxy: %q, want nvu (its own count)", i+1, client, got)
			}
		}
	}
	// An untrusted peer that varies the header still counts as itself.
	answers := []string{auth("203.0.113.5", "198.51.100.7"), auth("203.0.113.5", "198.51.100.8"), auth("203.0.113.5", "198.51.100.9")}
	if answers[0] != "nvu" || answers[1] != "nvu" || answers[2] != "busy" {
		t.Errorf("untrusted peer with forged X-Forwarded-For: %v, want [nvu nvu busy]", answers)
	}
}

// countingEngine has as many pending items as its owners queued.
type countingEngine struct {
	fakeEngine
	queued atomic.Int64
}

func (e *countingEngine) Pending(context.Context, int64, int64) (int, error) {
	return int(e.queued.Load()), nil
}

// A session's owners may queue reads for the run that is starting (the inventory detection):
// Authenticated is called after the password check and before the work is counted, so a run
// with nothing else to do still reads what the owner queued instead of answering "none".
func TestAuthenticatedQueuesWorkForThisRun(t *testing.T) {
	d := dbtest.DB(t)
	conn := fixtureConnection(t, d)
	eng := &countingEngine{}
	s := newService(d, t, Limits{})
	s.Engine = eng
	var calls []string
	s.Authenticated = func(_ context.Context, accountID, connectionID int64) error {
		calls = append(calls, fmt.Sprintf("%d/%d", accountID, connectionID))
		eng.queued.Add(1)
		return nil
	}
	_, r := call(t, s, "192.0.2.10", MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", rightPassword)
	if len(r) < 2 || r[1] == "none" || r[1] == "nvu" || r[1] == "busy" {
		t.Fatalf("authenticate answered %v, want the company file (work was queued)", r)
	}
	if want := fmt.Sprintf("%d/%d", conn.AccountID, conn.ID); len(calls) != 1 || calls[0] != want {
		t.Fatalf("Authenticated calls %v, want [%s]", calls, want)
	}
	// A wrong password never reaches the owners.
	_, r = call(t, s, "192.0.2.11", MethodAuthenticate, "strUserName", conn.WCUsername, "strPassword", "wrong")
	if len(r) < 2 || r[1] != "nvu" || len(calls) != 1 {
		t.Fatalf("wrong password: answered %v, Authenticated calls %v", r, calls)
	}
}
