package invpush_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/invsync"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/server/auth"
	"github.com/ledgerlink/ledgerlink/server/qbwc"
)

// detectInto gives e's account a QuickBooks Desktop company holding qty (item name = SKU; plus
// the seed's Widget, Gadget and Gizmo Deluxe, given to both stores too), links both store
// connections to it with inventory sync on, and runs invsync's detection through our Web
// Connector route until QuickBooks has nothing left to do: the first detection is a full
// snapshot, so every item is a change and queues a target per store. It returns the time the
// detection took (the company is filled before).
func detectInto(tb testing.TB, e *env, qty map[string]int64) time.Duration {
	tb.Helper()
	ctx := context.Background()
	company := qbdsim.New(qbdsim.Config{})
	if err := company.Seed(); err != nil {
		tb.Fatal(err)
	}
	e.addSKUs(tb, "Widget", "Gadget", "Gizmo Deluxe")
	var rq strings.Builder
	for sku, n := range qty {
		fmt.Fprintf(&rq, `<ItemInventoryAddRq><ItemInventoryAdd><Name>%s</Name><IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef><COGSAccountRef><FullName>Cost of Goods Sold</FullName></COGSAccountRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef><QuantityOnHand>%d</QuantityOnHand></ItemInventoryAdd></ItemInventoryAddRq>`, sku, n)
	}
	resp, err := company.ProcessQBXML(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<?qbxml version="13.0"?>` + "\n<QBXML>\n<QBXMLMsgsRq onError=\"stopOnError\">\n" + rq.String() + "\n</QBXMLMsgsRq>\n</QBXML>\n")
	if err != nil || strings.Contains(resp, `statusSeverity="Error"`) {
		tb.Fatalf("adding items: %v %.300s", err, resp)
	}

	hash, _ := auth.HashPassword("qbwc-password")
	conn := &db.QBDConnection{AccountID: e.account, Name: "Company", WCUsername: fmt.Sprintf("wc-bench-%d", time.Now().UnixNano()),
		WCPasswordHash: hash, OwnerID: "11111111-1111-4111-8111-111111111111", FileID: "22222222-2222-4222-8222-222222222222"}
	if err := e.d.CreateQBDConnection(ctx, conn); err != nil {
		tb.Fatal(err)
	}
	s := orders.DefaultSettings()
	s.Inventory = orders.InventorySettings{Enabled: true}
	raw, _ := json.Marshal(s)
	for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
		if _, err := dbtest.SQL(tb).NewRaw(`UPDATE store_connections SET qbd_connection_id = ?, settings = ?, enabled = true WHERE id = ?`,
			conn.ID, string(raw), c.ID).Exec(ctx); err != nil {
			tb.Fatal(err)
		}
	}
	eng := &qbd.Engine{DB: e.d, Redis: dbtest.Redis(tb), InDoubtGrace: time.Millisecond}
	det := &invsync.Detector{DB: e.d, Engine: eng}
	det.Register(eng)
	mux := http.NewServeMux()
	mux.Handle("/qbwc", &qbwc.Service{DB: e.d, Engine: eng, Version: "bench"})
	soap := httptest.NewServer(mux)
	tb.Cleanup(soap.Close)

	start := time.Now()
	if started, err := det.Start(ctx, e.account, conn.ID); err != nil || !started {
		tb.Fatalf("start detection: %v (started %v)", err, started)
	}
	wc := &qbdsim.WebConnector{URL: soap.URL + "/qbwc", Username: conn.WCUsername, Password: "qbwc-password",
		Company: company, ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond}
	for range 50 {
		rep, err := wc.Run(ctx)
		if err != nil {
			tb.Fatalf("web connector: %v (%s)", err, rep.LastError)
		}
		if rep.NoWork || (rep.MessageSets == 0 && !rep.Busy) {
			took := time.Since(start)
			want := len(qty) + 3
			for _, c := range []*db.StoreConnection{e.shopC, e.wooC} {
				if rows := e.rows(tb, c); len(rows) != want {
					tb.Fatalf("detection queued %d targets for %s, want %d", len(rows), c.Channel, want)
				}
			}
			return took
		}
	}
	tb.Fatal("QuickBooks never finished")
	return 0
}
