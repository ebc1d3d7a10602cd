package server

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/server/qbwc/qbwctest"
)

// soapCall posts one Web Connector call the way QBWC does and returns the result element's text
// and, for authenticate, the strings of the array.
func soapCall(t *testing.T, base, method string, params ...string) (string, []string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/qbwc", strings.NewReader(qbwctest.Call(method, params...)))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"http://developer.intuit.com/`+method+`"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", method, resp.StatusCode, body)
	}
	text, strs, err := qbwctest.Result(body)
	if err != nil {
		t.Fatalf("%s: %v in %s", method, err, body)
	}
	return text, strs
}

// createdQBD is the answer to createQuickBooksDesktopConnection.
type createdQBD struct {
	Password   string
	Connection struct{ ID, WebConnectorUsername, Qwc string }
}

// createQBD creates a QuickBooks Desktop connection called name (run every 5 minutes)
// through GraphQL.
func createQBD(c *client, name string) createdQBD {
	c.t.Helper()
	var out struct{ CreateQuickBooksDesktopConnection createdQBD }
	c.mustGQL(`mutation($input: CreateQuickBooksDesktopConnectionInput!) { createQuickBooksDesktopConnection(input: $input) {
		password connection { id webConnectorUsername qwc } } }`, map[string]any{"input": map[string]any{"name": name, "runEveryMinutes": 5}}, &out)
	return out.CreateQuickBooksDesktopConnection
}

// qbdConnection creates a QuickBooks Desktop connection through GraphQL and returns its
// username, password and id.
func qbdConnection(t *testing.T, c *client) (username, password, id string) {
	t.Helper()
	p := createQBD(c, "Main company")
	return p.Connection.WebConnectorUsername, p.Password, p.Connection.ID
}

func TestQWCDownload(t *testing.T) {
	app, srv := newTestApp(t)
	_, c := signIn(t, app, srv, 0, db.RoleOwner)
	p := createQBD(c, "Main & Co")
	var qwc struct {
		AppName, AppURL, AppSupport, UserName, OwnerID, FileID, QBType string
		RunEveryNMinutes                                               int `xml:"Scheduler>RunEveryNMinutes"`
	}
	if err := xml.Unmarshal([]byte(p.Connection.Qwc), &qwc); err != nil {
		t.Fatalf("qwc is not XML: %v\n%s", err, p.Connection.Qwc)
	}
	if qwc.AppName != "Ledgerlink - Main & Co" || qwc.AppURL != "http://127.0.0.1/qbwc" || qwc.AppSupport != "http://127.0.0.1/qbwc/support" ||
		qwc.UserName != p.Connection.WebConnectorUsername || qwc.QBType != "QBFS" || qwc.RunEveryNMinutes != 5 ||
		len(qwc.OwnerID) != 38 || len(qwc.FileID) != 38 || qwc.OwnerID == qwc.FileID {
		t.Fatalf("qwc = %+v", qwc)
	}
	if strings.Contains(p.Connection.Qwc, p.Password) || len(p.Password) < 20 {
		t.Fatal("the password must not be in the .qwc file and must be long")
	}
	// The GUIDs are stable: the file downloaded again is the same.
	var again struct {
		QuickBooksDesktopConnection struct{ Qwc string }
	}
	c.mustGQL(`query($id: ID!) { quickBooksDesktopConnection(id: $id) { qwc } }`, map[string]any{"id": p.Connection.ID}, &again)
	if again.QuickBooksDesktopConnection.Qwc != p.Connection.Qwc {
		t.Fatal("the .qwc file changed between downloads")
	}
	// Another account cannot see the connection.
	_, o := signIn(t, app, srv, 0, db.RoleOwner)
	if r := o.gql(`query($id: ID!) { quickBooksDesktopConnection(id: $id) { qwc } }`, map[string]any{"id": p.Connection.ID}); r.code() != "NOT_FOUND" {
		t.Fatalf("other account reading the connection: %q", r.code())
	}
	// The support URL and a GET of the endpoint answer 200, as the Web Connector requires.
	for _, path := range []string{"/qbwc", "/qbwc/support"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
	}
}

func TestWebConnectorAuthenticate(t *testing.T) {
	app, srv := newTestApp(t)
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	user, password, connID := qbdConnection(t, c)

	if v, _ := soapCall(t, srv.URL, "serverVersion"); !strings.HasPrefix(v, "Ledgerlink") {
		t.Fatalf("serverVersion = %q", v)
	}
	if v, _ := soapCall(t, srv.URL, "clientVersion", "strVersion", "2.0.0.116"); !strings.HasPrefix(v, "W:") {
		t.Fatalf("old client: %q", v)
	}
	if v, _ := soapCall(t, srv.URL, "clientVersion", "strVersion", "2.3.0.36"); v != "" {
		t.Fatalf("current client: %q", v)
	}
	if _, r := soapCall(t, srv.URL, "authenticate", "strUserName", user, "strPassword", "wrong"); len(r) < 2 || r[1] != "nvu" || r[0] == "" {
		t.Fatalf("wrong password: %v", r)
	}
	if _, r := soapCall(t, srv.URL, "authenticate", "strUserName", "nobody", "strPassword", password); r[1] != "nvu" {
		t.Fatalf("unknown user: %v", r)
	}
	// Nothing queued: "none".
	if _, r := soapCall(t, srv.URL, "authenticate", "strUserName", user, "strPassword", password); r[1] != "none" {
		t.Fatalf("empty queue: %v", r)
	}
	// The wrong password was logged for the merchant with what to do.
	var logs struct {
		Logs struct {
			Edges []struct {
				Node struct{ Message, Hint, Level string }
			}
		}
	}
	c.mustGQL(`{ logs(filter: {search: "wrong password"}) { edges { node { message hint level } } } }`, nil, &logs)
	if len(logs.Logs.Edges) != 1 || !strings.Contains(logs.Logs.Edges[0].Node.Hint, "Web Connector") {
		t.Fatalf("nvu log = %+v", logs)
	}

	// Queue work: authenticate opens a session; a second authenticate meanwhile (the Web
	// Connector after a lost answer, or a second one) takes the connection over at once.
	acctID := owner.AccountID
	var connIDn int64
	if _, err := fmt.Sscan(connID, &connIDn); err != nil {
		t.Fatalf("connection id %q: %v", connID, err)
	}
	eng := app.Engine()
	if _, err := eng.Enqueue(context.Background(), qbd.Item{AccountID: acctID, ConnectionID: connIDn, DocKey: "query:classes",
		Request: qbxml.ClassQuery{}}); err != nil {
		t.Fatal(err)
	}
	_, r := soapCall(t, srv.URL, "authenticate", "strUserName", user, "strPassword", password)
	if len(r) < 2 || r[1] != "" || len(r[0]) != 32 {
		t.Fatalf("with work: %v", r)
	}
	old := r[0]
	_, r = soapCall(t, srv.URL, "authenticate", "strUserName", user, "strPassword", password)
	if len(r) < 2 || r[1] != "" || r[0] == old {
		t.Fatalf("second session: %v", r)
	}
	ticket := r[0]
	if v, _ := soapCall(t, srv.URL, "sendRequestXML", "ticket", old, "strHCPResponse", ""); v != "" {
		t.Fatalf("the session taken over got work: %q", v)
	}
	if v, _ := soapCall(t, srv.URL, "getLastError", "ticket", old); !strings.Contains(v, "took over") {
		t.Fatalf("getLastError of the session taken over: %q", v)
	}
	// QuickBooks not running: connectionError is recorded with a fix and the session ends.
	if v, _ := soapCall(t, srv.URL, "connectionError", "ticket", ticket, "hresult", "0x80040408", "message", "Could not start QuickBooks."); v != "done" {
		t.Fatalf("connectionError = %q", v)
	}
	c.mustGQL(`{ logs(filter: {search: "could not start QuickBooks"}) { edges { node { message hint level } } } }`, nil, &logs)
	if len(logs.Logs.Edges) != 1 || logs.Logs.Edges[0].Node.Level != "ERROR" || !strings.Contains(logs.Logs.Edges[0].Node.Hint, "Open QuickBooks") {
		t.Fatalf("connectionError log = %+v", logs)
	}
	if v, _ := soapCall(t, srv.URL, "getLastError", "ticket", ticket); !strings.Contains(v, "ended") {
		t.Fatalf("getLastError after the end: %q", v)
	}
	if v, _ := soapCall(t, srv.URL, "sendRequestXML", "ticket", "no-such-ticket", "strHCPResponse", ""); v != "" {
		t.Fatalf("unknown ticket got work: %q", v)
	}
}

// workItem(id) shows one request and QuickBooks' answer to the account that owns it (an order's
// audit trail links to it); another account gets NOT_FOUND (issue 17).
func TestWorkItemIsReadByItsAccountOnly(t *testing.T) {
	app, srv := newTestApp(t)
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	_, _, qbdID := qbdConnection(t, c)
	connID, _ := strconv.ParseInt(qbdID, 10, 64)
	const request = "<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>1001</RefNumber></SalesReceiptAdd></SalesReceiptAddRq>"
	w := &db.QBDWorkItem{AccountID: owner.AccountID, ConnectionID: connID, DocKey: "order:1", Kind: "SalesReceiptAdd",
		Request: request, DependsOn: []int64{}, Status: db.WorkQueued}
	if _, err := db.InsertQBDWork(context.Background(), dbtest.SQL(t), w); err != nil {
		t.Fatal(err)
	}
	const q = `query($id: ID!) { workItem(id: $id) { kind status request response } }`
	var got struct {
		WorkItem struct{ Kind, Status, Request, Response string }
	}
	c.mustGQL(q, map[string]any{"id": strconv.FormatInt(w.ID, 10)}, &got)
	if got.WorkItem.Kind != "SalesReceiptAdd" || got.WorkItem.Status != "QUEUED" || got.WorkItem.Request != request {
		t.Fatalf("workItem = %+v", got.WorkItem)
	}
	_, other := signIn(t, app, srv, 0, db.RoleOwner)
	if r := other.gql(q, map[string]any{"id": strconv.FormatInt(w.ID, 10)}); r.code() != "NOT_FOUND" {
		t.Fatalf("another account: %q", r.code())
	}
}
