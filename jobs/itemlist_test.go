package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
)

// TestItemListRefreshesOnSchedule: the scheduled task keeps every QuickBooks company's item list
// fresh: a company the Web Connector has reached and whose list was never read gets a whole
// read, one read within the day gets a read of the items changed since (FromModifiedDate), one
// older than a day a whole read again (deletions are only seen that way), and a company never
// reached gets nothing. Running the task again while reads are queued adds none.
func TestItemListRefreshesOnSchedule(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	acct := dbtest.Account(t, d)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	conns := map[string]*db.QBDConnection{
		"never read":  {LastContactAt: ago(time.Minute)},
		"read today":  {LastContactAt: ago(time.Minute), ItemListAt: ago(3 * time.Hour), ItemsReadAt: ago(2 * time.Hour)},
		"read Monday": {LastContactAt: ago(time.Minute), ItemListAt: ago(80 * time.Hour), ItemsReadAt: ago(time.Hour)},
		"never met":   {},
	}
	for name, c := range conns {
		c.AccountID, c.Name = acct.ID, name
		dbtest.QBDConnection(t, d, c)
		if _, err := dbtest.SQL(t).NewUpdate().Model(c).Column("last_contact_at", "item_list_at", "items_read_at").WherePK().Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	eng := &qbd.Engine{DB: d, Redis: dbtest.Redis(t)}
	h := &Handlers{DB: d, Log: quiet, Now: func() time.Time { return now },
		Pipeline: &ordersync.Pipeline{DB: d, Engine: eng, Now: func() time.Time { return now }}}
	for range 2 {
		if err := h.HandleItemListSchedule(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	for name, c := range conns {
		var reads []db.QBDWorkItem
		if err := dbtest.SQL(t).NewSelect().Model(&reads).Where("connection_id = ? AND kind = 'ItemQuery'", c.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"never read":  "whole",
			"read today":  "<FromModifiedDate>2026-12-05T09:50:00+00:00</FromModifiedDate>", // last read's start, 10 minutes of overlap
			"read Monday": "whole",
		}[name]
		switch {
		case want == "" && len(reads) != 0:
			t.Errorf("%s: %d reads queued, want none", name, len(reads))
		case want == "":
		case len(reads) != 1:
			t.Errorf("%s: %d reads queued, want 1", name, len(reads))
		case !strings.Contains(reads[0].Request, `iterator="Start"`):
			t.Errorf("%s: %s is not an iterator read", name, reads[0].Request)
		case want == "whole" && strings.Contains(reads[0].Request, "FromModifiedDate"):
			t.Errorf("%s: %s, want the whole list", name, reads[0].Request)
		case want != "whole" && !strings.Contains(reads[0].Request, want):
			t.Errorf("%s: %s, want %s", name, reads[0].Request, want)
		}
	}
}
