package server

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// Every Web Connector run of a company that a store with inventory sync on posts to reads
// QuickBooks' stock (as Connex does), so an adjustment reaches the stores after the next run;
// a company whose stores have it off still gets "none" when nothing is queued.
func TestWebConnectorRunReadsInventoryWhenSyncIsOn(t *testing.T) {
	app, srv := newTestApp(t)
	ctx := context.Background()
	u, _ := fixtureUser(t, app.DB, 0, db.RoleMember)
	users := map[bool]string{}
	for _, on := range []bool{true, false} {
		name := "wc-run-" + strconv.FormatBool(on) + "-" + strconv.FormatInt(u.AccountID, 10)
		hash, _ := auth.HashPassword("qbwc-password")
		qc := &db.QBDConnection{AccountID: u.AccountID, Name: name, WCUsername: name, WCPasswordHash: hash,
			OwnerID: "11111111-1111-4111-8111-11111111111" + map[bool]string{true: "1", false: "2"}[on],
			FileID:  "22222222-2222-4222-8222-22222222222" + map[bool]string{true: "1", false: "2"}[on]}
		if err := app.DB.CreateQBDConnection(ctx, qc); err != nil {
			t.Fatal(err)
		}
		settings, _ := json.Marshal(map[string]any{"inventory": map[string]any{"enabled": on}})
		c := &db.StoreConnection{AccountID: u.AccountID, Channel: "shopify", Name: "Shop " + name, BaseURL: "https://" + name + ".myshopify.com",
			QBDConnectionID: &qc.ID, Enabled: true, Settings: settings}
		fixtureStore(t, app.DB, c, `{}`)
		users[on] = name
	}
	if _, r := soapCall(t, srv.URL, "authenticate", "strUserName", users[false], "strPassword", "qbwc-password"); len(r) < 2 || r[1] != "none" {
		t.Fatalf("inventory sync off, nothing queued: authenticate answered %v, want none", r)
	}
	_, r := soapCall(t, srv.URL, "authenticate", "strUserName", users[true], "strPassword", "qbwc-password")
	if len(r) < 2 || r[1] == "none" || r[1] == "nvu" || r[1] == "busy" {
		t.Fatalf("inventory sync on: authenticate answered %v, want the company file", r)
	}
	xml, _ := soapCall(t, srv.URL, "sendRequestXML", "ticket", r[0], "strHCPResponse", "", "strCompanyFileName", "",
		"qbXMLCountry", "US", "qbXMLMajorVers", "13", "qbXMLMinorVers", "0")
	if !strings.Contains(xml, "ItemInventoryQueryRq") {
		t.Fatalf("the run's first message set reads no stock:\n%s", xml)
	}
}
