package qbdsim

import (
	"context"
	"errors"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func newConnector(h *harness, srv *qbwcServer) *WebConnector {
	return &WebConnector{URL: srv.URL(), Username: "ledgerlink", Password: "secret", Company: h.c,
		NoOpWait: 10 * time.Millisecond, ExchangeTimeout: 5 * time.Second}
}

const customerAddRq = `<CustomerAddRq requestID="c1"><CustomerAdd><Name>Shannon 171 Daniels</Name><Salutation>Mr.</Salutation><FirstName>Shannon 171</FirstName><MiddleName>R</MiddleName><LastName>Daniels</LastName><ShipAddress><Addr1>56 Cowles Road</Addr1><City>Willington</City><State>CT</State></ShipAddress><Phone>1.860.634.1602</Phone></CustomerAdd></CustomerAddRq>`

func TestWebConnectorSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := newQBWCServer(t,
		msg("stopOnError", customerAddRq),
		msg("continueOnError", `<ItemInventoryQueryRq requestID="q1"><FullName>Widget</FullName></ItemInventoryQueryRq>`))
	wc := newConnector(h, srv)
	rep, err := wc.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v (report %+v)", err, rep)
	}
	want := []string{"serverVersion", "clientVersion", "authenticate", "sendRequestXML", "receiveResponseXML", "sendRequestXML", "receiveResponseXML", "closeConnection"}
	if got := srv.methods(); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
	calls := srv.recorded()
	for _, c := range calls {
		for k, v := range map[string]string{
			"User-Agent":   DefaultUserAgent,
			"Content-Type": "text/xml; charset=utf-8",
			"Soapaction":   `"http://developer.intuit.com/` + c.method + `"`,
			"Expect":       "100-continue",
		} {
			if got := c.header.Get(k); got != v {
				t.Errorf("%s: header %s = %q, want %q", c.method, k, got, v)
			}
		}
	}
	if got := calls[1].params["strVersion"]; got != DefaultClientVersion {
		t.Errorf("clientVersion strVersion = %q", got)
	}
	if calls[2].params["strUserName"] != "ledgerlink" || calls[2].params["strPassword"] != "secret" {
		t.Errorf("authenticate params = %v", calls[2].params)
	}
	first, second := calls[3], calls[5]
	hcp := first.params["strHCPResponse"]
	for _, want := range []string{`<HostQueryRs requestID="0" statusCode="0"`, `<CompanyQueryRs requestID="1" statusCode="0"`, `<PreferencesQueryRs requestID="2" statusCode="0"`,
		"<DataExtName>FileID</DataExtName>", "<DataExtValue>{ee032e95-47f7-2564-096f-2d4545fcb021}</DataExtValue>", "<DataExtName>AppLock</DataExtName>",
		"<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion>"} {
		if !strings.Contains(hcp, want) {
			t.Errorf("strHCPResponse lacks %s:\n%s", want, hcp)
		}
	}
	h.record(hcp)
	if second.params["strHCPResponse"] != "" || !strings.Contains(second.body, "<strHCPResponse />") {
		t.Errorf("second sendRequestXML carries strHCPResponse: %s", second.body)
	}
	for _, c := range []recordedCall{first, second} {
		for k, v := range map[string]string{"ticket": srv.ticket, "strCompanyFileName": h.c.FilePath(), "qbXMLCountry": "US", "qbXMLMajorVers": "13", "qbXMLMinorVers": "0"} {
			if c.params[k] != v {
				t.Errorf("sendRequestXML %s = %q, want %q", k, c.params[k], v)
			}
		}
	}
	got := srv.received()
	if len(got) != 2 {
		t.Fatalf("received %d responses", len(got))
	}
	for _, r := range got {
		if r.hresult != "" || r.message != "" {
			t.Errorf("hresult/message = %q/%q, want empty", r.hresult, r.message)
		}
		h.record(r.response)
	}
	if !strings.Contains(got[0].response, `<CustomerAddRs requestID="c1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">`) {
		t.Errorf("first response:\n%s", got[0].response)
	}
	if !strings.Contains(got[1].response, "<ItemInventoryQueryRs requestID=\"q1\" statusCode=\"0\"") {
		t.Errorf("second response:\n%s", got[1].response)
	}
	if !reflect.DeepEqual(rep.Progress, []int{50, 100}) || !rep.Completed || rep.CloseResult != "Complete!" {
		t.Errorf("progress %v completed %v close %q", rep.Progress, rep.Completed, rep.CloseResult)
	}
	if rep.MessageSets != 2 || rep.RequestsApplied != 2 || rep.Ticket != srv.ticket || len(rep.Calls) != 8 || rep.Duration <= 0 {
		t.Errorf("report = %+v", rep)
	}
	if _, err := h.c.Customer("Shannon 171 Daniels"); err != nil {
		t.Errorf("customer not added: %v", err)
	}
	if strings.Contains(mustCompanyQuery(t, h), "AppLock") {
		t.Error("AppLock still set after the session")
	}
}

func mustCompanyQuery(t *testing.T, h *harness) string {
	t.Helper()
	resp, err := h.c.ProcessQBXML(msg("stopOnError", `<CompanyQueryRq><OwnerID>{68b5925b-4347-4784-e58d-35a2d190962f}</OwnerID></CompanyQueryRq>`))
	if err != nil {
		t.Fatal(err)
	}
	h.record(resp)
	return resp
}

// The request envelopes are byte-identical to the captured QBWC session.
func TestSOAPEnvelopesMatchCapture(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(testSpecsDir(t), "qbwc", "samples", "soap")
	ticket := "ea0bf596246b623664adb465cc8662a2"
	path := `C:\KPALMER\QBW\Test Company.QBW`
	receive, err := os.ReadFile(filepath.Join(dir, "05_receiveResponseXML.request.CustomerAddRs-ok.xml"))
	if err != nil {
		t.Fatal(err)
	}
	resp := between(string(receive), "<response>", "</response>")
	tests := []struct {
		file   string
		method string
		params []param
	}{
		{"01_serverVersion.request.xml", "serverVersion", nil},
		{"02_clientVersion.request.xml", "clientVersion", []param{{"strVersion", "2.0.0.116"}}},
		{"03_authenticate.request.xml", "authenticate", []param{{"strUserName", "api"}, {"strPassword", "password"}}},
		{"05_receiveResponseXML.request.CustomerAddRs-ok.xml", "receiveResponseXML", []param{{"ticket", ticket}, {"response", html.UnescapeString(resp)}, {"hresult", ""}, {"message", ""}}},
		{"06_sendRequestXML.request.subsequent-call.xml", "sendRequestXML", []param{{"ticket", ticket}, {"strHCPResponse", ""}, {"strCompanyFileName", path}, {"qbXMLCountry", "US"}, {"qbXMLMajorVers", "5"}, {"qbXMLMinorVers", "0"}}},
		{"07_getLastError.request.xml", "getLastError", []param{{"ticket", ticket}}},
		{"08_closeConnection.request.xml", "closeConnection", []param{{"ticket", ticket}}},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := soapEnvelope(tc.method, tc.params); got != string(want) {
				t.Errorf("envelope differs from %s\n got: %s\nwant: %s", tc.file, got, want)
			}
		})
	}
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	j := strings.Index(s, b)
	if i < 0 || j < i {
		return ""
	}
	return s[i+len(a) : j]
}

// The client reads the captured PHP server's answers (prefixed elements).
func TestSOAPResultParsesCapturedResponses(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(testSpecsDir(t), "qbwc", "samples", "soap")
	tests := []struct {
		file, method, text string
		list               []string
	}{
		{"01_serverVersion.response.xml", "serverVersion", "PHP QuickBooks SOAP Server v1.5.0 at /~kpalmer/QuickBooks/server_api.php", nil},
		{"02_clientVersion.response.xml", "clientVersion", "", nil},
		{"03_authenticate.response.ok-use-open-company.xml", "authenticate", "", []string{"ea0bf596246b623664adb465cc8662a2", ""}},
		{"03_authenticate.response.nvu.mreiden-test.xml", "authenticate", "", []string{"", "nvu"}},
		{"05_receiveResponseXML.response.percent-0.xml", "receiveResponseXML", "0", nil},
		{"06_sendRequestXML.response.empty-string.xml", "sendRequestXML", "", nil},
		{"07_getLastError.response.xml", "getLastError", "No registered functions for action: ItemServiceAdd", nil},
		{"08_closeConnection.response.xml", "closeConnection", "Complete!", nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			text, list, err := soapResult(f, tc.method)
			if err != nil {
				t.Fatal(err)
			}
			if text != tc.text || !reflect.DeepEqual(list, tc.list) {
				t.Errorf("got %q %q, want %q %q", text, list, tc.text, tc.list)
			}
		})
	}
	f, err := os.Open(filepath.Join(dir, "04_sendRequestXML.response.CustomerAddRq.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	text, _, err := soapResult(f, "sendRequestXML")
	if err != nil || !strings.Contains(text, `<QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="Q3VzdG9tZXJBZGR8MTU=" >`) || !strings.Contains(text, "\r\n") {
		t.Errorf("sendRequestXML result not unescaped: %v\n%s", err, text)
	}
	if _, _, err := soapResult(strings.NewReader(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>boom</faultstring></soap:Fault></soap:Body></soap:Envelope>`), "authenticate"); !errors.Is(err, ErrSOAPFault) {
		t.Errorf("fault: err = %v, want ErrSOAPFault", err)
	}
}

func TestWebConnectorAuthenticateOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reply   []string
		wantErr error
		check   func(t *testing.T, rep RunReport)
	}{
		{"nvu", []string{"", "nvu"}, ErrInvalidUser, func(t *testing.T, rep RunReport) {}},
		{"none", []string{"t1", "none"}, nil, func(t *testing.T, rep RunReport) {
			if !rep.NoWork {
				t.Error("NoWork not set")
			}
		}},
		{"busy", []string{"t1", "busy"}, nil, func(t *testing.T, rep RunReport) {
			if !rep.Busy {
				t.Error("Busy not set")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			srv := newQBWCServer(t, msg("stopOnError", customerAddRq))
			srv.authReply = tc.reply
			rep, err := newConnector(h, srv).Run(context.Background())
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			want := []string{"serverVersion", "clientVersion", "authenticate", "closeConnection"}
			if got := srv.methods(); !reflect.DeepEqual(got, want) {
				t.Errorf("calls = %v, want %v", got, want)
			}
			if rep.AuthStatus != tc.reply[1] {
				t.Errorf("AuthStatus = %q", rep.AuthStatus)
			}
			if _, err := h.c.Customer("Shannon 171 Daniels"); !errors.Is(err, ErrNotFound) {
				t.Errorf("company changed: %v", err)
			}
			tc.check(t, rep)
		})
	}
}

func TestWebConnectorClientVersionRejected(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := newQBWCServer(t)
	srv.clientVersion = "E:Please upgrade your Web Connector."
	rep, err := newConnector(h, srv).Run(context.Background())
	if !errors.Is(err, ErrClientVersionRejected) || rep.LastError != "Please upgrade your Web Connector." {
		t.Fatalf("err = %v, LastError = %q", err, rep.LastError)
	}
	if got := srv.methods(); !reflect.DeepEqual(got, []string{"serverVersion", "clientVersion"}) {
		t.Errorf("calls = %v", got)
	}
}

func TestWebConnectorNoOp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := newQBWCServer(t)
	srv.noOps = 2
	srv.later = []string{msg("stopOnError", customerAddRq)}
	wc := newConnector(h, srv)
	wc.NoOpWait = 20 * time.Millisecond
	start := time.Now()
	rep, err := wc.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"serverVersion", "clientVersion", "authenticate", "sendRequestXML", "getLastError", "sendRequestXML", "getLastError",
		"sendRequestXML", "receiveResponseXML", "closeConnection"}
	if got := srv.methods(); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
	if rep.NoOps != 2 || !rep.Completed || time.Since(start) < 40*time.Millisecond {
		t.Errorf("NoOps %d completed %v after %v", rep.NoOps, rep.Completed, time.Since(start))
	}
	calls := srv.recorded()
	if calls[3].params["strHCPResponse"] == "" || calls[5].params["strHCPResponse"] != "" || calls[7].params["strHCPResponse"] != "" {
		t.Error("strHCPResponse must be sent on the first sendRequestXML only")
	}
	if gap := calls[5].at.Sub(calls[4].at); gap < 20*time.Millisecond {
		t.Errorf("sendRequestXML came %v after NoOp, want >= NoOpWait", gap)
	}
}

// PG p.72/80: sendRequestXML may itself answer "NoOp"; QBWC then asks
// getLastError like for an empty string.
func TestWebConnectorNoOpFromSendRequestXML(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := newQBWCServer(t)
	srv.sendNoOp = true
	srv.noOps = 1
	srv.later = []string{msg("stopOnError", customerAddRq)}
	rep, err := newConnector(h, srv).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"serverVersion", "clientVersion", "authenticate", "sendRequestXML", "getLastError", "sendRequestXML", "receiveResponseXML", "closeConnection"}
	if got := srv.methods(); !reflect.DeepEqual(got, want) || rep.NoOps != 1 || !rep.Completed {
		t.Errorf("calls = %v, NoOps %d", got, rep.NoOps)
	}
}

// An empty sendRequestXML with a real error ends like the captured session.
func TestWebConnectorEmptySendRequestXML(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := newQBWCServer(t)
	srv.lastError = "No registered functions for action: ItemServiceAdd"
	rep, err := newConnector(h, srv).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"serverVersion", "clientVersion", "authenticate", "sendRequestXML", "getLastError", "closeConnection"}
	if got := srv.methods(); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
	if rep.LastError != srv.lastError || rep.Completed {
		t.Errorf("LastError %q completed %v", rep.LastError, rep.Completed)
	}
}

func TestWebConnectorNegativeProgress(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := newQBWCServer(t, msg("stopOnError", customerAddRq), msg("stopOnError", customerAddRq))
	srv.failOnResponse = 1
	srv.lastError = "Server could not store the response."
	rep, err := newConnector(h, srv).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"serverVersion", "clientVersion", "authenticate", "sendRequestXML", "receiveResponseXML", "getLastError", "closeConnection"}
	if got := srv.methods(); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
	if !reflect.DeepEqual(rep.Progress, []int{-1}) || rep.LastError != srv.lastError {
		t.Errorf("progress %v LastError %q", rep.Progress, rep.LastError)
	}
}

func TestWebConnectorInteractiveModeRejected(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := newQBWCServer(t)
	srv.interactive = true
	rep, err := newConnector(h, srv).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"serverVersion", "clientVersion", "authenticate", "sendRequestXML", "getLastError", "getInteractiveURL", "interactiveRejected", "closeConnection"}
	if got := srv.methods(); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
	calls := srv.recorded()
	if calls[5].params["wcTicket"] != srv.ticket || calls[6].params["reason"] == "" {
		t.Errorf("interactive params: %v %v", calls[5].params, calls[6].params)
	}
	if !rep.Interactive || !strings.HasSuffix(rep.InteractiveURL, "/interactive") || rep.LastError != "Interactive mode was rejected." {
		t.Errorf("report: %+v", rep)
	}
}

// A message QuickBooks cannot parse reaches the server as hresult+message,
// exactly as in the royendgel capture.
func TestWebConnectorParseErrorHResult(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	bad := msg("stopOnError", `<CustomerAddRq><CustomerAdd><Phone>1</Phone><Name>Out of order</Name></CustomerAdd></CustomerAddRq>`)
	srv := newQBWCServer(t, bad)
	rep, err := newConnector(h, srv).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 1 || got[0].response != "" || got[0].hresult != "0x80040400" || got[0].message != "QuickBooks found an error when parsing the provided XML text stream." {
		t.Fatalf("received %+v", got)
	}
	call := srv.recorded()[4]
	if !strings.Contains(call.body, "<response /><hresult>0x80040400</hresult>") {
		t.Errorf("receiveResponseXML body: %s", call.body)
	}
	sample, err := os.ReadFile(filepath.Join(testSpecsDir(t), "qbwc", "samples", "soap", "09_receiveResponseXML.request.hresult-0x80040400-parse-error.royendgel.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sample), "<hresult>"+got[0].hresult+"</hresult>") || !strings.Contains(string(sample), "<message>"+got[0].message+"</message>") {
		t.Error("hresult/message differ from the captured sample")
	}
	if rep.ParseErrors != 1 || rep.RequestsApplied != 0 {
		t.Errorf("report: %+v", rep)
	}
	if _, err := h.c.Customer("Out of order"); !errors.Is(err, ErrNotFound) {
		t.Error("a rejected message changed the company")
	}
}

func TestWebConnectorConnectionDrops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		faults       Faults
		wantCustomer bool
		wantInDoubt  int
	}{
		{"after apply (in doubt)", Faults{DropAfterApply: 1}, true, 1},
		{"before apply", Faults{DropBeforeApply: 1}, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			srv := newQBWCServer(t, msg("stopOnError", customerAddRq))
			wc := newConnector(h, srv)
			wc.Faults = tc.faults
			rep, err := wc.Run(context.Background())
			if !errors.Is(err, ErrConnectionDropped) {
				t.Fatalf("err = %v", err)
			}
			if got := srv.methods(); !reflect.DeepEqual(got, []string{"serverVersion", "clientVersion", "authenticate", "sendRequestXML"}) {
				t.Errorf("calls = %v", got)
			}
			if len(srv.received()) != 0 {
				t.Error("server heard a response")
			}
			_, cerr := h.c.Customer("Shannon 171 Daniels")
			if (cerr == nil) != tc.wantCustomer {
				t.Errorf("customer present = %v, want %v", cerr == nil, tc.wantCustomer)
			}
			if rep.InDoubt != tc.wantInDoubt {
				t.Errorf("InDoubt = %d", rep.InDoubt)
			}
		})
	}
}

func TestWebConnectorQuickBooksUnavailable(t *testing.T) {
	t.Parallel()
	t.Run("not running", func(t *testing.T) {
		h := newHarness(t)
		h.c.SetRunning(false)
		srv := newQBWCServer(t, msg("stopOnError", customerAddRq))
		rep, err := newConnector(h, srv).Run(context.Background())
		if !errors.Is(err, ErrQuickBooksUnavailable) {
			t.Fatalf("err = %v", err)
		}
		if got := srv.methods(); !reflect.DeepEqual(got, []string{"serverVersion", "clientVersion", "authenticate", "connectionError"}) {
			t.Fatalf("calls = %v", got)
		}
		p := srv.recorded()[3].params
		if p["ticket"] != srv.ticket || p["hresult"] != "0x80040408" || p["message"] != "Could not start QuickBooks." {
			t.Errorf("connectionError params = %v", p)
		}
		if rep.LastError != "Could not start QuickBooks." {
			t.Errorf("LastError = %q", rep.LastError)
		}
	})
	t.Run("wrong company file, retry with the open one", func(t *testing.T) {
		h := newHarness(t)
		srv := newQBWCServer(t, msg("stopOnError", customerAddRq))
		srv.authReply = []string{srv.ticket, `C:\Companies\Somebody Else.QBW`}
		srv.connErrReplies = []string{""}
		rep, err := newConnector(h, srv).Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"serverVersion", "clientVersion", "authenticate", "connectionError", "sendRequestXML", "receiveResponseXML", "closeConnection"}
		if got := srv.methods(); !reflect.DeepEqual(got, want) {
			t.Fatalf("calls = %v, want %v", got, want)
		}
		if p := srv.recorded()[3].params; p["hresult"] != HResultCannotOpenFile {
			t.Errorf("connectionError params = %v", p)
		}
		if !rep.Completed || len(rep.ConnectionErrors) != 1 {
			t.Errorf("report %+v", rep)
		}
	})
}

func TestWebConnectorExchangeTimeout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, prefix string
	}{
		{"authenticate", "QBWC1012: Authentication failed due to error message: The operation has timed out"},
		{"sendRequestXML", "QBWC1041: SendRequestXML failed due to error message: The operation has timed out"},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			srv := newQBWCServer(t, msg("stopOnError", customerAddRq))
			srv.delay[tc.method] = time.Second
			wc := newConnector(h, srv)
			wc.ExchangeTimeout = 50 * time.Millisecond
			rep, err := wc.Run(context.Background())
			var ce *CallError
			if !errors.As(err, &ce) || ce.Method != tc.method || !errors.Is(err, ErrTimeout) {
				t.Fatalf("err = %v", err)
			}
			if err.Error() != tc.prefix || rep.LastError != tc.prefix {
				t.Errorf("message %q / LastError %q, want %q", err, rep.LastError, tc.prefix)
			}
			if last := rep.Calls[len(rep.Calls)-1]; last.Method != tc.method || last.Duration > 900*time.Millisecond || last.Err == "" {
				t.Errorf("aborted call: %+v", last)
			}
			if got := srv.methods(); got[len(got)-1] != tc.method {
				t.Errorf("calls after the timeout: %v", got)
			}
		})
	}
}

// Iterators live in the QuickBooks session of one Web Connector run.
func TestWebConnectorIteratorsAreSessionBound(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	start := msg("continueOnError", `<ItemQueryRq requestID="it" iterator="Start"><MaxReturned>4</MaxReturned></ItemQueryRq>`)
	srv := newQBWCServer(t, start)
	var ids []string
	srv.onResponse = func(s *qbwcServer, resp string) {
		id := between(resp, `iteratorID="`, `">`)
		if id == "" || attrCount(resp, `iteratorRemainingCount="0"`) > 0 {
			return
		}
		ids = append(ids, id)
		s.queue = append(s.queue, msg("continueOnError", `<ItemQueryRq requestID="it" iterator="Continue" iteratorID="`+id+`"><MaxReturned>4</MaxReturned></ItemQueryRq>`))
	}
	if _, err := newConnector(h, srv).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	for _, r := range got {
		h.record(r.response)
	}
	if len(got) != 3 { // 10 seeded items: 4 + 4 + 2
		t.Fatalf("got %d pages", len(got))
	}
	if !strings.Contains(got[2].response, `iteratorRemainingCount="0"`) {
		t.Errorf("last page:\n%s", got[2].response)
	}
	// A new run (new QuickBooks session) cannot continue the old iterator.
	srv2 := newQBWCServer(t, msg("continueOnError", `<ItemQueryRq requestID="it" iterator="Continue" iteratorID="`+ids[0]+`"><MaxReturned>4</MaxReturned></ItemQueryRq>`))
	if _, err := newConnector(h, srv2).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := srv2.received()[0].response
	h.record(r)
	if !strings.Contains(r, `statusCode="3391" statusSeverity="Error" statusMessage="The iteratorID &quot;`+ids[0]+`&quot; is not valid."`) {
		t.Errorf("continuing in a new session:\n%s", r)
	}
}

func attrCount(s, a string) int { return strings.Count(s, a) }

// QuickBooks latency shows up between sendRequestXML and receiveResponseXML.
func TestWebConnectorLatency(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.c.SetLatency(25 * time.Millisecond)
	srv := newQBWCServer(t, msg("continueOnError",
		`<CustomerQueryRq><FullName>Jane Doe</FullName></CustomerQueryRq>`,
		`<ItemQueryRq><FullName>Widget</FullName></ItemQueryRq>`,
		`<ClassQueryRq/>`))
	rep, err := newConnector(h, srv).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.recorded()
	if gap := calls[4].at.Sub(calls[3].at); gap < 75*time.Millisecond {
		t.Errorf("QuickBooks answered 3 requests in %v, want >= 75ms", gap)
	}
	if rep.QuickBooksTime < 75*time.Millisecond || rep.RequestsApplied != 3 {
		t.Errorf("QuickBooksTime %v RequestsApplied %d", rep.QuickBooksTime, rep.RequestsApplied)
	}
}

// A transient lock error fails once; the server's resend succeeds.
func TestWebConnectorTransientLockError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if err := h.c.InjectLockFault(LockFault{Code: 3180, Element: "Newcastle Tenants Federation"}); err != nil {
		t.Fatal(err)
	}
	add := msg("stopOnError", `<CustomerAddRq requestID="Q3VzdG9tZXJBZGR8Mw=="><CustomerAdd><Name>Newcastle Tenants Federation</Name></CustomerAdd></CustomerAddRq>`)
	srv := newQBWCServer(t, add)
	srv.onResponse = func(s *qbwcServer, resp string) {
		if strings.Contains(resp, `statusCode="3180"`) {
			s.queue = append(s.queue, add)
		}
	}
	rep, err := newConnector(h, srv).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 2 || code(parseResponse(t, got[0].response)[0]) != "3180" || code(parseResponse(t, got[1].response)[0]) != "0" {
		t.Fatalf("responses: %+v", got)
	}
	for _, r := range got {
		h.record(r.response)
	}
	if !rep.Completed {
		t.Error("not completed")
	}
}
