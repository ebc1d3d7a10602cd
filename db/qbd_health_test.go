package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// healthOf returns the health of connection id among accountID's at now.
func healthOf(t *testing.T, d *db.DB, accountID, id int64, now time.Time) db.QBDHealth {
	t.Helper()
	all, err := d.QBDConnectionHealth(context.Background(), accountID, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range all {
		if h.ConnectionID == id {
			return h
		}
	}
	t.Fatalf("connection %d missing from %+v", id, all)
	return db.QBDHealth{}
}

func wantHealth(t *testing.T, got db.QBDHealth, status, reason string, since time.Time) {
	t.Helper()
	if got.Status != status || got.Reason != reason || !got.Since.Equal(since) {
		t.Fatalf("health = %s/%q since %s, want %s/%q since %s", got.Status, got.Reason, got.Since, status, reason, since)
	}
}

func TestQBDConnectionHealthSilence(t *testing.T) {
	ctx := context.Background()
	d := dbtest.DB(t)
	a := dbtest.Account(t, d)
	c := dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: a.ID, RunEveryMinutes: 15})
	t0 := c.CreatedAt
	wantHealth(t, healthOf(t, d, a.ID, c.ID, t0.Add(10*time.Minute)), db.HealthNew, "", t0)
	// Never authenticated: late 3 × 15 min after creation, failing 12 × 15 min after.
	wantHealth(t, healthOf(t, d, a.ID, c.ID, t0.Add(46*time.Minute)), db.HealthLate, "silent", t0.Add(45*time.Minute))
	wantHealth(t, healthOf(t, d, a.ID, c.ID, t0.Add(181*time.Minute)), db.HealthFailing, "silent", t0.Add(3*time.Hour))

	auth := t0.Add(4 * time.Hour)
	if err := d.RecordQBDAuthenticated(ctx, c.AccountID, c.ID, auth, true); err != nil {
		t.Fatal(err)
	}
	h := healthOf(t, d, a.ID, c.ID, auth.Add(44*time.Minute))
	wantHealth(t, h, db.HealthHealthy, "", auth)
	if h.LastFinishedAt == nil || !h.LastFinishedAt.Equal(auth) {
		t.Fatalf("last finished = %v, want %s (a run with nothing to do)", h.LastFinishedAt, auth)
	}
	wantHealth(t, healthOf(t, d, a.ID, c.ID, auth.Add(50*time.Minute)), db.HealthLate, "silent", auth.Add(45*time.Minute))

	// Wrong passwords twice in a row: failing from the first; a good authenticate ends it.
	for i, at := range []time.Time{auth.Add(15 * time.Minute), auth.Add(30 * time.Minute)} {
		if err := d.RecordQBDAuthFailure(ctx, c.AccountID, c.ID, db.AuthFailPassword, at); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			wantHealth(t, healthOf(t, d, a.ID, c.ID, at), db.HealthHealthy, "", auth)
		}
	}
	h = healthOf(t, d, a.ID, c.ID, auth.Add(31*time.Minute))
	wantHealth(t, h, db.HealthFailing, "auth_failures", auth.Add(15*time.Minute))
	if h.AuthFailures != 2 || h.AuthFailureKind != db.AuthFailPassword {
		t.Fatalf("auth failures = %d %q, want 2 password", h.AuthFailures, h.AuthFailureKind)
	}
	again := auth.Add(45 * time.Minute)
	if err := d.RecordQBDAuthenticated(ctx, c.AccountID, c.ID, again, false); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, healthOf(t, d, a.ID, c.ID, again.Add(time.Minute)), db.HealthHealthy, "", again)

	// Another account sees none of it.
	other := dbtest.Account(t, d)
	if hs, err := d.QBDConnectionHealth(ctx, other.ID, again); err != nil || len(hs) != 0 {
		t.Fatalf("other account's health = %v, %v; want none", hs, err)
	}
}

func TestQBDConnectionHealthRunErrors(t *testing.T) {
	ctx := context.Background()
	d := dbtest.DB(t)
	a := dbtest.Account(t, d)
	c := dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: a.ID, RunEveryMinutes: 5})
	t0 := c.CreatedAt.Add(time.Minute)
	run := func(ticket string, at time.Time, end, lastError string) {
		t.Helper()
		if err := d.RecordQBDAuthenticated(ctx, c.AccountID, c.ID, at, false); err != nil {
			t.Fatal(err)
		}
		closed := at.Add(time.Minute)
		s := &db.QBWCSession{Ticket: ticket, ConnectionID: c.ID, AccountID: a.ID, State: db.SessionClosed,
			StartedAt: at, ClosedAt: &closed, EndReason: end, LastError: lastError}
		if err := d.CreateQBWCSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	run(t.Name()+"-1", t0, db.SessionEndClosed, "")
	run(t.Name()+"-2", t0.Add(5*time.Minute), db.SessionEndConnectionError, "QuickBooks is not running")
	wantHealth(t, healthOf(t, d, a.ID, c.ID, t0.Add(7*time.Minute)), db.HealthHealthy, "", t0.Add(5*time.Minute))
	// A run closed normally after QuickBooks refused its message set also ended in an error.
	run(t.Name()+"-3", t0.Add(10*time.Minute), db.SessionEndClosed, "QuickBooks could not parse the request")
	h := healthOf(t, d, a.ID, c.ID, t0.Add(12*time.Minute))
	wantHealth(t, h, db.HealthFailing, "run_errors", t0.Add(5*time.Minute))
	if h.ErrorRuns != 2 {
		t.Fatalf("error runs = %d, want 2", h.ErrorRuns)
	}
	run(t.Name()+"-4", t0.Add(15*time.Minute), db.SessionEndClosed, "")
	wantHealth(t, healthOf(t, d, a.ID, c.ID, t0.Add(17*time.Minute)), db.HealthHealthy, "", t0.Add(15*time.Minute))
	runs, err := d.ListQBDRuns(ctx, a.ID, c.ID, 10)
	if err != nil || len(runs) != 4 || runs[0].Ticket != t.Name()+"-4" {
		t.Fatalf("runs = %d %v, want 4 newest first", len(runs), err)
	}
}
