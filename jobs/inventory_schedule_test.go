package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
)

// TestInventoryScheduleStartsDetectionsAndSweepsPushes: the schedule queues one detection (a
// full snapshot: no watermark yet) for the company a store with inventory sync on posts to,
// none for a company whose stores have it off, none again while one is queued; and it enqueues
// an inventory:push for the store whose queue has a row due.
func TestInventoryScheduleStartsDetectionsAndSweepsPushes(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	acct := dbtest.Account(t, d)
	company := func(name string) *db.QBDConnection {
		return dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: acct.ID, Name: name})
	}
	on, off := company("on"), company("off")
	sealer := dbtest.Sealer(t)
	store := func(name string, qb *db.QBDConnection, inventory bool) *db.StoreConnection {
		s := orders.DefaultSettings()
		s.Inventory.Enabled = inventory
		raw, _ := json.Marshal(s)
		c := &db.StoreConnection{AccountID: acct.ID, Channel: "shopify", Name: name, BaseURL: "https://" + name + ".example",
			QBDConnectionID: &qb.ID, Enabled: true, Settings: raw}
		if err := d.CreateStoreConnection(ctx, c, sealer, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		return c
	}
	shop := store("on-shop", on, true)
	offShop := store("off-shop", off, false)
	if _, err := db.EnqueueInventoryUpdates(ctx, dbtest.SQL(t), acct.ID, []db.InventoryTarget{{StoreConnectionID: shop.ID, SKU: "Widget", Quantity: 7}}); err != nil {
		t.Fatal(err)
	}

	opt, client := testTaskClient(t)
	eng := &qbd.Engine{DB: d, Redis: dbtest.Redis(t)}
	det := &invsync.Detector{DB: d, Engine: eng}
	det.Register(eng)
	h := &Handlers{DB: d, Log: quiet, Client: client, Detector: det, Now: func() time.Time { return time.Now().Add(time.Second) }}
	for range 2 {
		if err := h.HandleInventorySchedule(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*db.QBDConnection{on, off} { // "later" is tested below
		var reads []db.QBDWorkItem
		if err := dbtest.SQL(t).NewSelect().Model(&reads).Where("connection_id = ? AND doc_key LIKE 'inventory:%'", c.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		switch {
		case c == off && len(reads) != 0:
			t.Errorf("company with inventory sync off: %d reads queued", len(reads))
		case c == on && len(reads) != 1:
			t.Errorf("company with inventory sync on: %d reads queued, want 1", len(reads))
		case c == on && (reads[0].Kind != "ItemInventoryQuery" || strings.Contains(reads[0].Request, "FromModifiedDate") ||
			!strings.Contains(reads[0].Request, `iterator="Start"`)):
			t.Errorf("first detection is not a full snapshot: %s %s", reads[0].Kind, reads[0].Request)
		}
	}
	// After a pull: a store with inventory sync on gets its company read, one with it off not
	// (a company the schedule has not seen yet).
	later := company("later")
	laterShop := store("later-shop", later, true)
	if err := h.detectAfterPull(ctx, offShop); err != nil {
		t.Fatal(err)
	}
	if err := h.detectAfterPull(ctx, laterShop); err != nil {
		t.Fatal(err)
	}
	for c, want := range map[*db.QBDConnection]int64{off: 0, later: 1} {
		n, err := dbtest.SQL(t).NewSelect().Model((*db.QBDWorkItem)(nil)).Where("connection_id = ? AND doc_key LIKE 'inventory:%'", c.ID).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if int64(n) != want {
			t.Errorf("after a pull of %s's store: %d reads, want %d", c.Name, n, want)
		}
	}

	want := fmt.Sprintf(`{"account_id":%d,"store_connection_id":%d}`, acct.ID, shop.ID)
	if pushes := pendingPayloads(t, opt, TypeInventoryPush); pushes[want] == 0 {
		t.Fatalf("no inventory:push %s among the pending pushes %v", want, pushes)
	}
}

// TestInventoryScheduleCoversQuickBooksOnline: the inventory schedule enqueues one
// inventory:detect-qbo for the QuickBooks Online company a store with inventory sync on posts
// to (also when it runs twice), none for a company whose store has it off.
func TestInventoryScheduleCoversQuickBooksOnline(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	acct := dbtest.Account(t, d)
	sealer := dbtest.Sealer(t)
	on, off := testQBOCompany(t, d, sealer, acct.ID, "on"), testQBOCompany(t, d, sealer, acct.ID, "off")
	for _, c := range []*db.QBOConnection{on, off} {
		s := orders.DefaultSettings()
		s.Inventory.Enabled = c == on
		raw, _ := json.Marshal(s)
		sc := &db.StoreConnection{AccountID: acct.ID, Channel: "shopify", Name: c.Name + "-shop", BaseURL: "https://" + c.Name + ".example",
			QBOConnectionID: &c.ID, Enabled: true, Settings: raw}
		if err := d.CreateStoreConnection(ctx, sc, sealer, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	opt, client := testTaskClient(t)
	tokens := &qbo.Tokens{DB: d, Sealer: sealer}
	det := &invsync.Detector{DB: d, Online: func(ctx context.Context, accountID, id int64) (*qbo.Client, error) {
		return tokens.Client(ctx, accountID, id, nil)
	}}
	h := &Handlers{DB: d, Log: quiet, Client: client, Detector: det}
	for range 2 {
		if err := h.HandleInventorySchedule(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	got := pendingPayloads(t, opt, TypeInventoryDetectOnline)
	for c, want := range map[*db.QBOConnection]int{on: 1, off: 0} {
		p := fmt.Sprintf(`{"account_id":%d,"qbo_connection_id":%d}`, acct.ID, c.ID)
		if got[p] != want {
			t.Errorf("company %s: %d detections queued, want %d", c.Name, got[p], want)
		}
	}
}

// testQBOCompany saves a connected QuickBooks Online company named name for accountID (a realm
// of its own; tokens that no test sends anywhere).
func testQBOCompany(t *testing.T, d *db.DB, sealer *db.Sealer, accountID int64, name string) *db.QBOConnection {
	t.Helper()
	c := &db.QBOConnection{AccountID: accountID, Name: name, RealmID: fmt.Sprintf("%s-%d", name, time.Now().UnixNano()), Status: db.QBOStatusConnected}
	if err := d.SaveQBOConnection(context.Background(), sealer, c, db.QBOTokens{Access: "a", Refresh: "r", AccessExpiresAt: time.Now(),
		RefreshExpiresAt: time.Now()}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return c
}

// testTaskClient is an asynq client of the test Redis and its connection options.
func testTaskClient(t *testing.T) (asynq.RedisConnOpt, *asynq.Client) {
	t.Helper()
	opt, err := asynq.ParseRedisURI(dbtest.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	client := asynq.NewClient(opt)
	t.Cleanup(func() { client.Close() })
	return opt, client
}

// startTestWorker runs a worker server of h's handlers with the given concurrency on the test
// Redis until the test ends.
func startTestWorker(t *testing.T, opt asynq.RedisConnOpt, h *Handlers, concurrency int) {
	t.Helper()
	srv := asynq.NewServer(opt, ServerConfig(quiet, concurrency))
	if err := srv.Start(NewMux(h)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
}

// pendingPayloads counts the pending tasks of type typ on the default queue by payload.
func pendingPayloads(t *testing.T, opt asynq.RedisConnOpt, typ string) map[string]int {
	t.Helper()
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	tasks, err := insp.ListPendingTasks(QueueDefault)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, ti := range tasks {
		if ti.Type == typ {
			got[string(ti.Payload)]++
		}
	}
	return got
}
