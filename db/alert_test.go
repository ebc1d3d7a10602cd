package db_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// TestScanAlertsSweepGap (issue 16): a gap the daily sweep found raises one sweep_gap event
// linking to the dashboard's Missed orders, not again on later scans, resolved once the gap is;
// a kind the account does not want raises nothing, and an account that never saved settings
// gets no events from RaiseAlerts.
func TestScanAlertsSweepGap(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	acct := dbtest.Account(t, d)
	conn := &db.StoreConnection{AccountID: acct.ID, Channel: "shopify", Name: "Main Street", BaseURL: "https://main-street.example", Enabled: true}
	if err := d.CreateStoreConnection(ctx, conn, dbtest.Sealer(t), []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC)
	var gapID int64
	if err := dbtest.SQL(t).NewRaw(`INSERT INTO order_sweep_gaps (account_id, connection_id, day, external_id, number, cause, found_at)
		VALUES (?, ?, '2026-12-04', '9001', '#1042', 'not_received', ?) RETURNING id`, acct.ID, conn.ID, now).Scan(ctx, &gapID); err != nil {
		t.Fatal(err)
	}

	if got, err := d.RaiseAlerts(ctx, acct.ID, []db.AlertEvent{{Kind: db.AlertStoreAuth, Subject: "1", Message: "x"}}, now); err != nil || len(got) != 0 {
		t.Fatalf("RaiseAlerts without settings = %v, %v; want nothing", got, err)
	}
	s := db.DefaultAlertSettings(acct.ID)
	s.Kinds = []string{db.AlertOrderFailed}
	if err := d.SaveAlertSettings(ctx, s, now); err != nil {
		t.Fatal(err)
	}
	if got, err := d.ScanAlerts(ctx, s, now); err != nil || len(got) != 0 {
		t.Fatalf("scan without sweep_gap wanted = %+v, %v", got, err)
	}

	s.Kinds = []string{db.AlertSweepGap}
	if err := d.SaveAlertSettings(ctx, s, now); err != nil {
		t.Fatal(err)
	}
	got, err := d.ScanAlerts(ctx, s, now)
	if err != nil || len(got) != 1 {
		t.Fatalf("scan = %+v, %v; want one event", got, err)
	}
	want := "The daily check of Main Street for 2026-12-04 found order #1042 missing from Ledgerlink."
	if e := got[0]; e.Kind != db.AlertSweepGap || e.Subject != strconv.FormatInt(gapID, 10) || e.Message != want || e.Link != "/#missed-orders" {
		t.Fatalf("event = %+v, want %q", e, want)
	}
	if again, err := d.ScanAlerts(ctx, s, now.Add(time.Minute)); err != nil || len(again) != 0 {
		t.Fatalf("second scan = %+v, %v; want nothing new", again, err)
	}

	if _, err := dbtest.SQL(t).ExecContext(ctx, `UPDATE order_sweep_gaps SET resolved_at = ? WHERE id = ?`, now.Add(time.Hour), gapID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ScanAlerts(ctx, s, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	page, err := d.ListAlertEvents(ctx, acct.ID, false, db.Page{Limit: 10})
	if err != nil || len(page.Items) != 1 || page.Items[0].ResolvedAt == nil || !page.Items[0].ResolvedAt.Equal(now.Add(2*time.Hour)) {
		t.Fatalf("events after the gap was resolved = %+v, %v", page.Items, err)
	}
}
