// Package jobstest is the end-to-end rig of the jobs that work through QuickBooks Desktop: a
// simulated QuickBooks company behind Ledgerlink's real Web Connector SOAP route (qbwc) and
// engine, the simulated Web Connector that drives it, and a ShipStation store connection to a
// simulated ShipStation. Tests only; it needs dbtest's Postgres and Redis.
package jobstest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/rules"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
	"github.com/ledgerlink/ledgerlink/server/auth"
	"github.com/ledgerlink/ledgerlink/server/qbwc"
)

// Main is the TestMain of a package whose tests use the rig: the simulated stores listen on
// 127.0.0.1, which production's HTTP client refuses unless allowed
// (storenettest.AllowPrivateAddresses), and dbtest.Main gives the package its database and
// Redis.
func Main(m *testing.M) {
	storenettest.AllowPrivateAddresses()
	dbtest.Main(m)
}

// WCPassword is the Web Connector password of the rig's QuickBooks Desktop connection.
const WCPassword = "qbwc-password"

// QuickBooks is an account's QuickBooks Desktop connection whose company is simulated: the
// Web Connector reaches it through the real SOAP route and engine (register the job under test
// on Engine before running it).
type QuickBooks struct {
	t       testing.TB
	Company *qbdsim.Company
	Conn    *db.QBDConnection
	Engine  *qbd.Engine
	SOAP    *httptest.Server
}

// NewQuickBooks creates a QuickBooks Desktop connection of accountID (Web Connector password
// WCPassword) and its seeded company (qbdsim.Company.Seed, every request checked against the
// qbXML schema), served at SOAP.URL + "/qbwc".
func NewQuickBooks(t testing.TB, d *db.DB, accountID int64) *QuickBooks {
	t.Helper()
	hash, err := auth.HashPassword(WCPassword)
	if err != nil {
		t.Fatal(err)
	}
	q := &QuickBooks{t: t, Conn: dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: accountID, WCPasswordHash: hash}),
		Engine: &qbd.Engine{DB: d, Redis: dbtest.Redis(t), InDoubtGrace: time.Millisecond}}
	q.Company = qbdsim.New(qbdsim.Config{ValidateSchema: true})
	if err := q.Company.Seed(); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/qbwc", &qbwc.Service{DB: d, Engine: q.Engine, Version: "test"})
	q.SOAP = httptest.NewServer(mux)
	t.Cleanup(q.SOAP.Close)
	return q
}

// QB posts one request (an element such as <InvoiceAddRq>…) to the company as someone at the
// QuickBooks PC would and returns QuickBooks' answer; a refusal fails the test.
func (q *QuickBooks) QB(rq string) string {
	q.t.Helper()
	msg := `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<?qbxml version="13.0"?>` + "\n<QBXML>\n<QBXMLMsgsRq onError=\"stopOnError\">\n" +
		rq + "\n</QBXMLMsgsRq>\n</QBXML>\n"
	resp, err := q.Company.ProcessQBXML(msg)
	if err != nil {
		q.t.Fatal(err)
	}
	if !strings.Contains(resp, `statusCode="0"`) {
		q.t.Fatalf("QuickBooks refused %.60s…: %s", rq, resp)
	}
	return resp
}

// WebConnector returns a Web Connector of the connection with faults f.
func (q *QuickBooks) WebConnector(f qbdsim.Faults) *qbdsim.WebConnector {
	return &qbdsim.WebConnector{URL: q.SOAP.URL + "/qbwc", Username: q.Conn.WCUsername, Password: WCPassword,
		Company: q.Company, ClientVersion: "2.3.0.36", NoOpWait: time.Millisecond, Faults: f}
}

// Run runs Web Connector sessions until Ledgerlink has nothing left for QuickBooks (at most
// 50). Faults f strike the first session only, whose dropped connection is then expected; any
// other session error fails the test.
func (q *QuickBooks) Run(f qbdsim.Faults) {
	q.t.Helper()
	wc := q.WebConnector(f)
	faulty := f.DropBeforeApply != 0 || f.DropAfterApply != 0 || f.DropRate > 0
	for range 50 {
		rep, err := wc.Run(context.Background())
		if err != nil && !faulty && !errors.Is(err, qbdsim.ErrConnectionDropped) {
			q.t.Fatalf("web connector: %v (%s)", err, rep.LastError)
		}
		wc.Faults, faulty = qbdsim.Faults{}, false
		if err == nil && (rep.NoWork || (rep.MessageSets == 0 && !rep.Busy)) {
			return
		}
		time.Sleep(5 * time.Millisecond) // past the session silence and the engine's in-doubt grace
	}
	q.t.Fatal("QuickBooks never finished")
}

// AddRule validates rule and stores it for q's account, as the rule editor does; a refusal
// fails the test.
func (q *QuickBooks) AddRule(d *db.DB, rule rules.Rule) {
	q.t.Helper()
	v, err := rules.Validate(rule)
	if err != nil {
		q.t.Fatal(err)
	}
	if err := d.CreateRule(context.Background(), rules.ToDB(q.Conn.AccountID, v), db.RuleActor{Name: "test"}); err != nil {
		q.t.Fatal(err)
	}
}

// ShipStation serves a simulated ShipStation account (opts; its credentials are the
// simulator's defaults) and creates a ShipStation store connection of q's account on q's
// company with settings set as its QuickBooks → ShipStation settings.
func (q *QuickBooks) ShipStation(d *db.DB, opts shipstationsim.Options, set orders.QuickBooksToShipStationSettings) (*shipstationsim.Server, *db.StoreConnection) {
	q.t.Helper()
	ss := shipstationsim.New(opts)
	srv := httptest.NewServer(ss)
	q.t.Cleanup(func() { srv.Close(); ss.Close() })
	ss.SetBaseURL(srv.URL)
	creds, _ := json.Marshal(ordersync.Credentials{APIKey: shipstationsim.DefaultAPIKey, APISecret: shipstationsim.DefaultAPISecret})
	s := orders.DefaultSettings()
	s.QuickBooksToShipStation = set
	raw, _ := json.Marshal(s)
	sc := &db.StoreConnection{AccountID: q.Conn.AccountID, Channel: "shipstation", Name: "ShipStation", BaseURL: srv.URL,
		QBDConnectionID: &q.Conn.ID, Enabled: true, Settings: raw}
	if err := d.CreateStoreConnection(context.Background(), sc, dbtest.Sealer(q.t), creds); err != nil {
		q.t.Fatal(err)
	}
	return ss, sc
}

// ShipStationClient is a client of sc, a connection made by QuickBooks.ShipStation, with the
// simulator's credentials; its HTTP goes through storenet.HTTPClient as production's does.
func ShipStationClient(sc *db.StoreConnection) (*shipstation.Client, error) {
	return shipStationClient(sc, storenet.HTTPClient())
}

// ShipStationClientDuring returns clients made as ShipStationClient makes them, whose first
// request that match accepts runs during before it is sent: a test runs a competing writer
// while a call is on the wire. Requests made by during itself go through as they are.
func ShipStationClientDuring(match func(*http.Request) bool, during func()) func(sc *db.StoreConnection) (*shipstation.Client, error) {
	var done atomic.Bool
	base := storenet.HTTPClient()
	hc := &http.Client{Timeout: base.Timeout, Transport: roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if match(req) && done.CompareAndSwap(false, true) {
			during()
		}
		return base.Transport.RoundTrip(req)
	})}
	return func(sc *db.StoreConnection) (*shipstation.Client, error) { return shipStationClient(sc, hc) }
}

func shipStationClient(sc *db.StoreConnection, hc *http.Client) (*shipstation.Client, error) {
	return shipstation.New(shipstation.Config{BaseURL: sc.BaseURL, APIKey: shipstationsim.DefaultAPIKey,
		APISecret: shipstationsim.DefaultAPISecret, HTTPClient: hc})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
