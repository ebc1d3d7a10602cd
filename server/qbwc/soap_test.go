package qbwc

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// specsDir finds ../shared/specs/qbwc by walking up from the package directory.
func specsDir(t testing.TB) string {
	t.Helper()
	dir, _ := os.Getwd()
	for range 8 {
		p := filepath.Join(dir, "shared", "specs", "qbwc")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		p = filepath.Join(dir, "..", "shared", "specs", "qbwc")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		dir = filepath.Dir(dir)
	}
	t.Fatal("shared/specs/qbwc not found beside the repository")
	return ""
}

func TestParseCapturedRequests(t *testing.T) {
	dir := filepath.Join(specsDir(t), "samples", "soap")
	cases := []struct {
		file, method string
		want         map[string]string
	}{
		{"01_serverVersion.request.xml", "serverVersion", map[string]string{}},
		{"02_clientVersion.request.xml", "clientVersion", map[string]string{"strVersion": "2.0.0.116"}},
		{"03_authenticate.request.xml", "authenticate", map[string]string{"strUserName": "api", "strPassword": "password"}},
		{"06_sendRequestXML.request.subsequent-call.xml", "sendRequestXML", map[string]string{
			"ticket": "ea0bf596246b623664adb465cc8662a2", "strHCPResponse": "", "qbXMLMajorVers": "5",
			"strCompanyFileName": `C:\KPALMER\QBW\Test Company.QBW`}},
		{"09_receiveResponseXML.request.hresult-0x80040400-parse-error.royendgel.xml", "receiveResponseXML", map[string]string{
			"ticket": "438d2fc02a519df5fcc2eef0e7ad3898", "response": "", "hresult": "0x80040400",
			"message": "QuickBooks found an error when parsing the provided XML text stream."}},
		{"08_closeConnection.request.xml", "closeConnection", nil},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			c, err := ParseCall(f, `"http://developer.intuit.com/`+tc.method+`"`)
			if err != nil {
				t.Fatal(err)
			}
			if c.Method != tc.method {
				t.Fatalf("method %q, want %q", c.Method, tc.method)
			}
			for k, v := range tc.want {
				if got, ok := c.Params[k]; !ok || got != v {
					t.Errorf("param %s = %q (present %v), want %q", k, got, ok, v)
				}
			}
		})
	}
}

func TestParseFirstSendRequestCarriesEscapedHCP(t *testing.T) {
	f, err := os.Open(filepath.Join(specsDir(t), "samples", "soap", "04_sendRequestXML.request.first-call-with-strHCPResponse.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ParseCall(f, "")
	if err != nil {
		t.Fatal(err)
	}
	if hcp := c.Param("strHCPResponse"); !strings.Contains(hcp, "<HostQueryRs") || !strings.Contains(hcp, "<SupportedQBXMLVersion>") {
		t.Fatalf("HCP response not unescaped: %.200q", hcp)
	}
}

func TestParseLenientPrefixes(t *testing.T) {
	body := `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:q="http://developer.intuit.com/">
	  <S:Header/><S:Body><q:getLastError><q:ticket>abc</q:ticket></q:getLastError></S:Body></S:Envelope>`
	c, err := ParseCall(strings.NewReader(body), "")
	if err != nil || c.Method != "getLastError" || c.Param("ticket") != "abc" {
		t.Fatalf("got %+v, %v", c, err)
	}
	if _, err := ParseCall(strings.NewReader(`<Envelope><NoBody/></Envelope>`), ""); err == nil {
		t.Fatal("an envelope without Body was accepted")
	}
	if _, err := ParseCall(strings.NewReader(`<Envelope><Body><x>`), ""); err == nil {
		t.Fatal("truncated XML was accepted")
	}
}

func TestWriteResponseRoundTrips(t *testing.T) {
	var b bytes.Buffer
	if err := writeResponse(&b, "authenticate", []string{"tick<et>", "none", "", "300"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, `<authenticateResult><string>tick&lt;et&gt;</string><string>none</string><string></string><string>300</string></authenticateResult>`) {
		t.Fatalf("authenticate response: %s", out)
	}
	b.Reset()
	qbxml := `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError"/></QBXML>`
	if err := writeResponse(&b, "sendRequestXML", qbxml); err != nil {
		t.Fatal(err)
	}
	// The qbXML travels as an escaped string; a SOAP client must get it back byte for byte.
	parsed, err := ParseCall(strings.NewReader(strings.Replace(b.String(), "sendRequestXMLResponse", "x", 2)), "")
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Param("sendRequestXMLResult") != qbxml {
		t.Fatalf("round trip: %q", parsed.Param("sendRequestXMLResult"))
	}
}
