package server

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

var update = flag.Bool("update", false, "rewrite golden files")

// specsPath finds a file under ../shared/specs by walking up from the package directory.
func specsPath(t *testing.T, rel string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for range 8 {
		for _, base := range []string{filepath.Join(dir, "shared", "specs"), filepath.Join(dir, "..", "shared", "specs")} {
			if _, err := os.Stat(filepath.Join(base, rel)); err == nil {
				return filepath.Join(base, rel)
			}
		}
		dir = filepath.Dir(dir)
	}
	t.Fatalf("%s not found under shared/specs beside the repository", rel)
	return ""
}

var capturedTicket = "ea0bf596246b623664adb465cc8662a2"

// TestReplayCapturedSession posts the real Web Connector requests captured in 2008
// (specs/qbwc/samples/soap) to /qbwc, in their order, and compares every answer with a golden
// file. Two edits make the 2008 session meaningful today, both visible below: the HostRet of
// QuickBooks Pro 2006 lists qbXML ≤ 5.0, so 13.0 is added to it (the unedited one is refused in
// TestReplayOldQuickBooksIsRefused); and the captured CustomerAddRs carries the old server's
// requestID, which is replaced by ours.
func TestReplayCapturedSession(t *testing.T) {
	app, srv := newTestApp(t)
	ctx := context.Background()
	acct := &db.Account{Name: "Replay"}
	if err := app.DB.CreateAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
	// The capture authenticates as api/password.
	hash, _ := auth.HashPassword("password")
	conn := &db.QBDConnection{AccountID: acct.ID, Name: "Replay", WCUsername: "api", WCPasswordHash: hash,
		OwnerID: "90a44fb7-33d9-4815-ac85-ac86a7e7d1eb", FileID: "57f3b9b6-86f1-4fcc-b1ff-967de1813d20"}
	if err := app.DB.CreateQBDConnection(ctx, conn); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Engine().Enqueue(ctx, qbd.Item{AccountID: acct.ID, ConnectionID: conn.ID, DocKey: "customer:Shannon 171 Daniels",
		Request: qbxml.CustomerAdd{Name: "Shannon 171 Daniels", FirstName: "Shannon", LastName: "Daniels"},
		Lookup:  &qbd.Lookup{Type: qbd.LookupCustomer, Value: "Shannon 171 Daniels"}}); err != nil {
		t.Fatal(err)
	}

	ticket := ""
	steps := []struct {
		file, golden string
		edit         func(string) string
	}{
		{"01_serverVersion.request.xml", "01_serverVersion", nil},
		{"02_clientVersion.request.xml", "02_clientVersion", nil},
		{"03_authenticate.request.xml", "03_authenticate", nil},
		{"04_sendRequestXML.request.first-call-with-strHCPResponse.xml", "04_sendRequestXML", func(s string) string {
			return strings.Replace(s, "&lt;SupportedQBXMLVersion&gt;5.0&lt;/SupportedQBXMLVersion&gt;",
				"&lt;SupportedQBXMLVersion&gt;5.0&lt;/SupportedQBXMLVersion&gt;&lt;SupportedQBXMLVersion&gt;13.0&lt;/SupportedQBXMLVersion&gt;", 1)
		}},
		{"05_receiveResponseXML.request.CustomerAddRs-ok.xml", "05_receiveResponseXML", func(s string) string {
			return strings.Replace(s, `requestID="Q3VzdG9tZXJBZGR8MTU="`, `requestID="1"`, 1)
		}},
		{"06_sendRequestXML.request.subsequent-call.xml", "06_sendRequestXML", nil},
		{"07_getLastError.request.xml", "07_getLastError", nil},
		{"08_closeConnection.request.xml", "08_closeConnection", nil},
	}
	for _, st := range steps {
		raw, err := os.ReadFile(specsPath(t, filepath.Join("qbwc", "samples", "soap", st.file)))
		if err != nil {
			t.Fatal(err)
		}
		body := string(raw)
		if st.edit != nil {
			edited := st.edit(body)
			if edited == body {
				t.Fatalf("%s: the edit no longer applies to the sample", st.file)
			}
			body = edited
		}
		if ticket != "" {
			body = strings.ReplaceAll(body, capturedTicket, ticket)
		}
		method := regexp.MustCompile(`<soap:Body><(\w+)`).FindStringSubmatch(body)[1]
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/qbwc", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		req.Header.Set("SOAPAction", `"http://developer.intuit.com/`+method+`"`)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d %s", st.file, resp.StatusCode, out)
		}
		if method == "authenticate" {
			m := regexp.MustCompile(`<authenticateResult><string>([0-9a-f]{32})</string>`).FindSubmatch(out)
			if m == nil {
				t.Fatalf("authenticate gave no ticket: %s", out)
			}
			ticket = string(m[1])
		}
		got := out
		if ticket != "" {
			got = bytes.ReplaceAll(out, []byte(ticket), []byte("TICKET"))
		}
		golden := filepath.Join("testdata", "qbwc", st.golden+".response.xml")
		if *update {
			_ = os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./server -run Replay -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: answer differs from %s\n got: %s\nwant: %s", st.file, golden, got, want)
		}
	}
	// The replayed CustomerAdd reached the ledger with the ListID from the captured response.
	entry, err := app.DB.GetQBDLedgerEntry(ctx, conn.ID, "customer:Shannon 171 Daniels")
	if err != nil || entry.QBID != "F0000-1215265593" || entry.QBType != "Customer" {
		t.Fatalf("ledger entry %+v, %v", entry, err)
	}
}

// TestReplayOldQuickBooksIsRefused replays the first sendRequestXML unedited: QuickBooks 2006
// speaks qbXML 5.0 at most, which Ledgerlink does not; the merchant is told in plain words.
func TestReplayOldQuickBooksIsRefused(t *testing.T) {
	app, srv := newTestApp(t)
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	user, password, connID := qbdConnection(t, c)
	var id int64
	if _, err := fmt.Sscan(connID, &id); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Engine().Enqueue(context.Background(), qbd.Item{AccountID: owner.AccountID, ConnectionID: id, DocKey: "query:classes", Request: qbxml.ClassQuery{}}); err != nil {
		t.Fatal(err)
	}
	_, r := soapCall(t, srv.URL, "authenticate", "strUserName", user, "strPassword", password)
	raw, err := os.ReadFile(specsPath(t, "qbwc/samples/soap/04_sendRequestXML.request.first-call-with-strHCPResponse.xml"))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.ReplaceAll(string(raw), capturedTicket, r[0])
	resp, err := http.Post(srv.URL+"/qbwc", "text/xml; charset=utf-8", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(out), "<sendRequestXMLResult></sendRequestXMLResult>") {
		t.Fatalf("old QuickBooks got work: %s", out)
	}
	if v, _ := soapCall(t, srv.URL, "getLastError", "ticket", r[0]); !strings.Contains(v, "13.0 or later") {
		t.Fatalf("getLastError = %q", v)
	}
}
