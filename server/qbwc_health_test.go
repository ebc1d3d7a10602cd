package server

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

type healthView struct {
	QuickBooksDesktopConnection struct {
		Health struct {
			Status, Since, Summary string
			LastAuthenticateAt     *string
			AuthFailures           int
			Problems               []struct{ Kind, Title, Evidence, Fix string }
			Runs                   []struct {
				Outcome                                 string
				MessageSets, RequestsSent, RequestsDone int
				Hresult                                 *string
			}
		}
	}
}

const healthQuery = `query($id: ID!) { quickBooksDesktopConnection(id: $id) { health {
	status since summary lastAuthenticateAt authFailures
	problems { kind title evidence fix }
	runs(first: 10) { outcome messageSets requestsSent requestsDone hresult } } } }`

// TestWebConnectorHealthLateThenFailing (issue 16): a Web Connector that stops calling shows
// late after 3 × its schedule and failing after 12 ×, with what to do; runs that cannot reach
// QuickBooks and a password typed wrong twice also make it failing, each explained. Time is
// the App's clock, moved by the test.
func TestWebConnectorHealthLateThenFailing(t *testing.T) {
	clock := storenettest.NewClock(time.Now().Add(time.Minute).UTC().Truncate(time.Second))
	app, srv := newTestApp(t, withClock(clock.Now))
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	user, password, connID := qbdConnection(t, c) // runs every 5 minutes
	health := func() healthView {
		var h healthView
		c.mustGQL(healthQuery, map[string]any{"id": connID}, &h)
		return h
	}
	want := func(h healthView, status string, since time.Time) {
		t.Helper()
		got := h.QuickBooksDesktopConnection.Health
		if got.Status != status || got.Since != since.Format(time.RFC3339) {
			t.Fatalf("health = %s since %s (%s), want %s since %s", got.Status, got.Since, got.Summary, status, since.Format(time.RFC3339))
		}
	}
	hasProblem := func(h healthView, kind, evidence string) {
		t.Helper()
		for _, p := range h.QuickBooksDesktopConnection.Health.Problems {
			if p.Kind == kind && strings.Contains(p.Evidence, evidence) && p.Fix != "" {
				return
			}
		}
		t.Fatalf("no %s problem with %q in %+v", kind, evidence, h.QuickBooksDesktopConnection.Health.Problems)
	}
	id, _ := strconv.ParseInt(connID, 10, 64)
	if h := health(); h.QuickBooksDesktopConnection.Health.Status != "NEW" {
		t.Fatalf("a connection never run is %s, want NEW", h.QuickBooksDesktopConnection.Health.Status)
	}

	company := qbdsim.New(qbdsim.Config{ValidateSchema: true})
	wc := &qbdsim.WebConnector{URL: srv.URL + "/qbwc", Username: user, Password: password, Company: company, NoOpWait: time.Millisecond}
	queue := func(key string) {
		t.Helper()
		if _, err := app.Engine().Enqueue(ctx, qbd.Item{AccountID: owner.AccountID, ConnectionID: id, DocKey: key, Request: qbxml.ClassQuery{}}); err != nil {
			t.Fatal(err)
		}
	}
	queue("query:classes:1")
	rep, err := wc.Run(ctx)
	if err != nil || rep.MessageSets != 1 {
		t.Fatalf("run: %v, %d message sets", err, rep.MessageSets)
	}
	t0 := clock.Now()
	h := health()
	want(h, "HEALTHY", t0)
	if runs := h.QuickBooksDesktopConnection.Health.Runs; len(runs) != 1 || runs[0].Outcome != "OK" || runs[0].MessageSets != 1 ||
		runs[0].RequestsSent != 1 || runs[0].RequestsDone != 1 {
		t.Fatalf("runs = %+v, want one OK run of 1 message set, 1 request", runs)
	}

	// The Web Connector stops calling: late after 15 minutes, failing after an hour.
	clock.Advance(16 * time.Minute)
	h = health()
	want(h, "LATE", t0.Add(15*time.Minute))
	hasProblem(h, "SILENT", "every 5 minutes")
	clock.Advance(45 * time.Minute)
	want(health(), "FAILING", t0.Add(time.Hour))

	// It comes back, but QuickBooks is closed: two runs end in connectionError.
	company.SetRunning(false)
	queue("query:classes:2")
	var first time.Time
	for i := range 2 {
		clock.Advance(5 * time.Minute)
		if i == 0 {
			first = clock.Now()
		}
		if _, err := wc.Run(ctx); err == nil {
			t.Fatal("a run with QuickBooks closed succeeded")
		}
		if i == 0 {
			want(health(), "HEALTHY", clock.Now())
		}
	}
	h = health()
	want(h, "FAILING", first)
	hasProblem(h, "QUICKBOOKS_CLOSED", qbdsim.HResultCannotStart)
	if r := h.QuickBooksDesktopConnection.Health.Runs[0]; r.Outcome != "CONNECTION_ERROR" || r.Hresult == nil || *r.Hresult != qbdsim.HResultCannotStart {
		t.Fatalf("latest run = %+v", r)
	}

	// QuickBooks opens again: healthy at once.
	company.SetRunning(true)
	clock.Advance(5 * time.Minute)
	if _, err := wc.Run(ctx); err != nil {
		t.Fatal(err)
	}
	want(health(), "HEALTHY", clock.Now())

	// The password was reset and the Web Connector still has the old one: failing after two.
	wrong := *wc
	wrong.Password = "not-the-password"
	clock.Advance(5 * time.Minute)
	firstBad := clock.Now()
	for range 2 {
		if rep, _ := wrong.Run(ctx); rep.AuthStatus != "nvu" {
			t.Fatalf("wrong password answered %q", rep.AuthStatus)
		}
		clock.Advance(time.Minute)
	}
	h = health()
	want(h, "FAILING", firstBad)
	hasProblem(h, "PASSWORD", "2 failed sign-in")
	if h.QuickBooksDesktopConnection.Health.AuthFailures != 2 {
		t.Fatalf("auth failures = %d, want 2", h.QuickBooksDesktopConnection.Health.AuthFailures)
	}

	// The dashboard's line for the connection says the same.
	var ov struct {
		Overview struct {
			WebConnectors []struct {
				ID     string
				Health struct{ Status string }
			}
		}
	}
	c.mustGQL(`{ overview { webConnectors { id health { status } } } }`, nil, &ov)
	if w := ov.Overview.WebConnectors; len(w) != 1 || w[0].ID != connID || w[0].Health.Status != "FAILING" {
		t.Fatalf("overview web connectors = %+v", w)
	}
}
