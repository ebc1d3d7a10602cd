package qbxml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// receiveResponseXML is the body of QBWC's receiveResponseXML SOAP call.
type receiveEnvelope struct {
	Response struct {
		Text  string `xml:",chardata"`
		Inner string `xml:",innerxml"`
	} `xml:"Body>receiveResponseXML>response"`
	HResult string `xml:"Body>receiveResponseXML>hresult"`
	Message string `xml:"Body>receiveResponseXML>message"`
}

// loadSample returns the receiveResponseXML arguments stored in a sample file:
// a SOAP envelope (escaped qbXML in <response>, or nested XML in the
// hand-made fixtures) or a bare qbXML document.
func loadSample(t testing.TB, dir, name string) (response, hresult, message string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(specsDir(t), "qbwc", "samples", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "soap:Envelope") {
		return string(b), "", ""
	}
	var env receiveEnvelope
	if err := xml.Unmarshal(b, &env); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	response = env.Response.Text
	if !strings.Contains(response, "<QBXML") {
		response = env.Response.Inner // fixture with the qbXML nested as elements
	}
	return response, env.HResult, env.Message
}

type wantRs struct {
	name, requestID, severity string
	code                      int
	class                     Class
	records                   int // number of records of any type
}

func (r *Rs) recordCount() int {
	n := len(r.Customers) + len(r.Items) + len(r.SalesReceipts) + len(r.Invoices) + len(r.SalesOrders) +
		len(r.Payments) + len(r.CreditMemos) + len(r.Classes) + len(r.ShipMethods) + len(r.Accounts)
	if r.Host != nil {
		n++
	}
	if r.Company != nil {
		n++
	}
	return n
}

// TestParseRealResponses parses every real response document in
// samples/qbxml (the osr-13.0 and osr-template files are placeholder
// templates, the *Rq files are requests) and the hresult capture in
// samples/soap.
func TestParseRealResponses(t *testing.T) {
	tests := []struct {
		dir, file string
		want      []wantRs
		check     func(t *testing.T, m *MsgSetResponse)
	}{
		{"qbxml", "CustomerAddRs.consolibyte-capture-2008.decoded.xml",
			[]wantRs{{"CustomerAddRs", "Q3VzdG9tZXJBZGR8MTU=", "Info", 0, OK, 1}},
			func(t *testing.T, m *MsgSetResponse) {
				c := m.Responses[0].Customers[0]
				eq(t, "ListID", c.ListID, "F0000-1215265593")
				eq(t, "EditSequence", c.EditSequence, "1215265593")
				eq(t, "FullName", c.FullName, "Shannon 171 Daniels")
				eq(t, "TimeModified", c.TimeModified, DateTime("2008-07-05T09:46:33-05:00"))
				eq(t, "ShipAddress.City", c.ShipAddress.City, "Willington")
				eq(t, "ItemSalesTaxRef", c.ItemSalesTaxRef, Ref{"10000-1211066051", "Out of State"})
				eq(t, "Sublevel/IsActive", [2]any{c.Sublevel, c.IsActive}, [2]any{0, true})
				tm, err := c.TimeModified.Time()
				if err != nil || !tm.Equal(time.Date(2008, 7, 5, 14, 46, 33, 0, time.UTC)) {
					t.Errorf("TimeModified.Time() = %v, %v", tm, err)
				}
			}},
		{"soap", "05_receiveResponseXML.request.CustomerAddRs-ok.xml",
			[]wantRs{{"CustomerAddRs", "Q3VzdG9tZXJBZGR8MTU=", "Info", 0, OK, 1}}, nil},
		{"qbxml", "CustomerAddRs.qbwc-gem-test.xml",
			[]wantRs{{"CustomerAddRs", "", "Info", 0, OK, 1}},
			func(t *testing.T, m *MsgSetResponse) {
				c := m.Responses[0].Customers[0]
				eq(t, "CompanyName", c.CompanyName, "Joes Garage")
				eq(t, "CreditLimit", c.CreditLimit, Cents(200000))
				eq(t, "BillAddress.PostalCode", c.BillAddress.PostalCode, "94566")
			}},
		{"qbxml", "CustomerQueryRs.qbwc-gem-test.xml",
			[]wantRs{{"CustomerQueryRs", "", "Info", 0, OK, 1}},
			func(t *testing.T, m *MsgSetResponse) {
				eq(t, "Email", m.Responses[0].Customers[0].Email, "myUserName@gmail.com")
			}},
		{"qbxml", "HostQuery-CompanyQuery-PreferencesQuery.strHCPResponse.consolibyte-capture-2008.decoded.xml",
			[]wantRs{{"HostQueryRs", "0", "Info", 0, OK, 1}, {"CompanyQueryRs", "1", "Info", 0, OK, 1}, {"PreferencesQueryRs", "2", "Info", 0, OK, 0}},
			func(t *testing.T, m *MsgSetResponse) {
				h, err := m.Host()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "ProductName", h.ProductName, "QuickBooks Pro 2006")
				eq(t, "MajorVersion", h.MajorVersion, "16")
				eq(t, "QBFileMode", h.QBFileMode, "SingleUser")
				eq(t, "SupportedQBXMLVersions", strings.Join(h.SupportedQBXMLVersions, ","), "1.0,1.1,2.0,2.1,3.0,4.0,4.1,5.0")
				if _, err := ChooseVersion(h); !errors.Is(err, ErrUnsupportedVersion) {
					t.Errorf("ChooseVersion for QuickBooks 2006 = %v, want ErrUnsupportedVersion", err)
				}
				c, err := m.Company()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "CompanyName", c.CompanyName, "Test Company")
				fileID, err := c.DataExt("FileID")
				eq(t, "FileID", fileID, "{ee032e95-47f7-2564-096f-2d4545fcb021}")
				if err != nil {
					t.Error(err)
				}
				if _, err := c.DataExt("Nope"); !errors.Is(err, ErrNotFound) {
					t.Errorf("DataExt(Nope) err = %v", err)
				}
			}},
		{"qbxml", "InvoiceAddRs.soap-receiveResponseXML.flowlink-capture.xml",
			[]wantRs{{"InvoiceAddRs", "", "Info", 0, OK, 1}},
			func(t *testing.T, m *MsgSetResponse) {
				inv := m.Responses[0].Invoices[0]
				eq(t, "TxnID", inv.TxnID, "C5-1417118624")
				eq(t, "RefNumber", inv.RefNumber, "R1TT46883")
				eq(t, "TxnDate", inv.TxnDate, Date{2014, time.February, 3})
				eq(t, "Subtotal", inv.Subtotal, Cents(20600))
				eq(t, "Total", inv.Total(), Cents(20600))
				eq(t, "BalanceRemaining", inv.BalanceRemaining, Cents(20600))
				eq(t, "CustomerRef", inv.CustomerRef.FullName, "spree@example.com")
				if len(inv.Lines) != 1 {
					t.Fatalf("%d lines", len(inv.Lines))
				}
				l := inv.Lines[0]
				eq(t, "line", [4]string{l.ItemRef.FullName, l.Quantity.String(), l.Rate.String(), l.Amount.String()}, [4]string{"SPREE-T-SHIRT", "2", "103.00", "206.00"})
			}},
		{"qbxml", "ItemInventoryAddRs.soap-receiveResponseXML.flowlink.xml",
			[]wantRs{{"ItemInventoryAddRs", "", "Info", 0, OK, 1}},
			func(t *testing.T, m *MsgSetResponse) {
				it := m.Responses[0].Items[0]
				eq(t, "Type", it.Type, "ItemInventory")
				eq(t, "Ref", it.Ref(), Ref{"80000005-1415103643", "SPREE-T-SHIRT-1"})
				eq(t, "AssetAccountRef", it.AssetAccountRef.FullName, "Inventory Asset")
				eq(t, "QuantityOnHand", it.QuantityOnHand, Quantity(0))
			}},
		{"qbxml", "ItemInventoryQueryRs.soap-receiveResponseXML.flowlink-capture.xml",
			[]wantRs{{"ItemInventoryQueryRs", "", "Info", 0, OK, -1}},
			func(t *testing.T, m *MsgSetResponse) {
				items := m.Responses[0].Items
				if len(items) < 2 {
					t.Fatalf("%d items", len(items))
				}
				eq(t, "first", [3]string{items[0].Type, items[0].FullName, string(items[0].TimeModified)}, [3]string{"ItemInventory", "12797", "2014-11-11T10:47:43-03:00"})
			}},
		{"qbxml", "ItemInventoryQueryRs.statusCode-1-no-match.soap.flowlink.xml",
			[]wantRs{{"ItemInventoryQueryRs", "1", "Info", 1, NoMatch, 0}}, nil},
		{"qbxml", "ReceivePaymentAddRs.soap-receiveResponseXML.flowlink-capture.xml",
			[]wantRs{{"ReceivePaymentAddRs", "0bb737ee-2862-4ab7-8d35-f551f84793c9", "Info", 0, OK, 1}},
			func(t *testing.T, m *MsgSetResponse) {
				p := m.Responses[0].Payments[0]
				eq(t, "payment", [4]string{p.TxnID, p.RefNumber, p.TotalAmount.String(), p.UnusedPayment.String()}, [4]string{"B7-1417040299", "R154817935", "210.00", "210.00"})
				eq(t, "DepositToAccountRef", p.DepositToAccountRef.FullName, "Undeposited Funds")
			}},
		{"qbxml", "batch-ItemInventoryQueryRs-x2-SalesOrderAddRs.soap.flowlink-capture.xml",
			[]wantRs{
				{"ItemInventoryQueryRs", "", "Info", 1, NoMatch, 0},
				{"ItemInventoryQueryRs", "", "Info", 1, NoMatch, 0},
				{"SalesOrderAddRs", "", "Info", 0, OK, 1},
				{"SalesOrderAddRs", "", "Error", 3140, InvalidReference, 0},
			},
			func(t *testing.T, m *MsgSetResponse) {
				so := m.Responses[2].SalesOrders[0]
				eq(t, "sales order", [4]string{so.TxnID, so.RefNumber, so.PONumber, so.TotalAmount.String()}, [4]string{"4C-1415942229", "13", "R15408534641", "200.00"})
				eq(t, "line", so.Lines[0].SalesTaxCodeRef.FullName, "Non")
				eq(t, "3140 message", strings.Contains(m.Responses[3].StatusMessage, `"nononononoImNotThereAlrightDylan"`), true)
			}},
		{"qbxml", "error-3100-name-in-use.ItemServiceAddRs.soap-receiveResponseXML.consolibyte-capture.xml",
			[]wantRs{{"ItemServiceAddRs", "SXRlbVNlcnZpY2VBZGR8c2hpcHBpbmc=", "Error", 3100, NameInUse, 0}},
			func(t *testing.T, m *MsgSetResponse) {
				// Escaped twice on the wire (&amp;quot; inside the SOAP string) — once left after XML decoding.
				eq(t, "message", m.Responses[0].StatusMessage, `The name "Shipping Item - QuickBooks Inte" of the list element is already in use.`)
			}},
		{"qbxml", "error-3120-object-not-found.CustomerQueryRs.qbwc-gem-test.xml",
			[]wantRs{{"CustomerQueryRs", "", "Error", 3120, NotFound, 0}}, nil},
		{"qbxml", "error-3140-invalid-reference.SalesOrderAddRs.soap.flowlink.xml",
			[]wantRs{{"SalesOrderAddRs", "", "Error", 3140, InvalidReference, 0}}, nil},
		{"qbxml", "error-3180-list-modified-by-another-user.CustomerAddRs.consolibyte.xml",
			[]wantRs{{"CustomerAddRs", "Q3VzdG9tZXJBZGR8Mw==", "Error", 3180, Transient, 0}}, nil},
		{"qbxml", "error-3210-pay-more-than-amount-due.ReceivePaymentAddRs.consolibyte.xml",
			[]wantRs{{"ReceivePaymentAddRs", "U2hpcE1ldGhvZEltcG9ydHxmMmMyNzk1OGQ5Y2UwMTZiYzViN2RmYTZlMDJlODM5NA==", "Info", 3210, Other, 0}}, nil},
		{"qbxml", "warn-500-object-not-found.CustomerQueryRs.qbwc-gem-test.xml",
			[]wantRs{{"CustomerQueryRs", "", "Warn", 500, Warning, 0}}, nil},
		{"qbxml", "hotglue-account-add.response.xml",
			[]wantRs{{"AccountAddRs", "", "Info", 0, OK, 1}},
			func(t *testing.T, m *MsgSetResponse) {
				a := m.Responses[0].Accounts[0]
				eq(t, "account", [3]string{a.ListID, a.AccountType, a.Balance.String()}, [3]string{"80000035-1785958998", "Income", "0.00"})
			}},
		{"qbxml", "hotglue-customer-batch-mixed.response.xml",
			[]wantRs{
				{"CustomerAddRs", "ext-mix-1", "Info", 0, OK, 1},
				{"CustomerAddRs", "ext-mix-2", "Error", 3100, NameInUse, 0},
				{"CustomerAddRs", "ext-mix-3", "Error", 3250, FeatureOff, 0},
				{"CustomerAddRs", "ext-mix-4", "Error", 3130, InvalidReference, 0},
				{"CustomerAddRs", "ext-mix-5", "Info", 0, OK, 1},
			},
			func(t *testing.T, m *MsgSetResponse) {
				rs, err := byRequestID(m, "ext-mix-5")
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "CompanyName", rs.Customers[0].CompanyName, "Valid last")
				if _, err := byRequestID(m, "ext-mix-9"); !errors.Is(err, ErrNotFound) {
					t.Errorf("byRequestID(missing) err = %v", err)
				}
			}},
		{"qbxml", "hotglue-customer-batch-valid.response.xml",
			[]wantRs{
				{"CustomerAddRs", "ext-ok-1", "Info", 0, OK, 1}, {"CustomerAddRs", "ext-ok-2", "Info", 0, OK, 1},
				{"CustomerAddRs", "ext-ok-3", "Info", 0, OK, 1}, {"CustomerAddRs", "ext-ok-4", "Info", 0, OK, 1},
				{"CustomerAddRs", "ext-ok-5", "Info", 0, OK, 1},
			}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			resp, hresult, msg := loadSample(t, tc.dir, tc.file)
			m, err := ParseReceiveResponse(resp, hresult, msg)
			if err != nil {
				t.Fatal(err)
			}
			if m.HResult != "" || m.Class() != OK {
				t.Errorf("HResult %q class %v", m.HResult, m.Class())
			}
			if len(m.Responses) != len(tc.want) {
				t.Fatalf("%d responses, want %d", len(m.Responses), len(tc.want))
			}
			for i, w := range tc.want {
				r := m.Responses[i]
				got := wantRs{r.Name, r.RequestID, r.StatusSeverity, r.StatusCode, r.Class(), r.recordCount()}
				if w.records < 0 {
					got.records = w.records
				}
				if got != w {
					t.Errorf("response %d = %+v, want %+v", i, got, w)
				}
				if msg, hint := MerchantMessage(r.StatusCode, r.StatusMessage); msg == "" || (r.Class() != OK && hint == "") {
					t.Errorf("response %d: no merchant message for %d", i, r.StatusCode)
				}
			}
			if tc.check != nil {
				tc.check(t, m)
			}
		})
	}
}

func TestParseHResult(t *testing.T) {
	resp, hresult, msg := loadSample(t, "soap", "09_receiveResponseXML.request.hresult-0x80040400-parse-error.royendgel.xml")
	m, err := ParseReceiveResponse(resp, hresult, msg)
	if err != nil {
		t.Fatal(err)
	}
	if m.HResult != "0x80040400" || m.HResultCode != HResultParseError || len(m.Responses) != 0 {
		t.Fatalf("got %+v", m)
	}
	if m.Class() != ParseError {
		t.Errorf("class %v, want ParseError", m.Class())
	}
	if m.Message != "QuickBooks found an error when parsing the provided XML text stream." {
		t.Errorf("message %q", m.Message)
	}
	if text, hint := MerchantMessage(m.HResultCode, m.Message); !strings.Contains(text, "nothing in that batch was saved") || hint == "" {
		t.Errorf("merchant message %q / %q", text, hint)
	}
	if _, err := ParseReceiveResponse("", "0xZZ", ""); !errors.Is(err, ErrMalformedResponse) {
		t.Errorf("bad hresult err = %v", err)
	}
}

func TestParseResponseDetails(t *testing.T) {
	t.Run("iterator, retCount, message set attributes, Latin-1 bytes", func(t *testing.T) {
		doc := "<?xml version=\"1.0\" encoding=\"windows-1252\" ?>\n<QBXML><QBXMLMsgsRs newMessageSetID=\"b-1\" messageSetStatusCode=\"0\">" +
			`<ItemInventoryQueryRs requestID="7" statusCode="0" statusSeverity="Info" statusMessage="Status OK" retCount="2" iteratorRemainingCount="5" iteratorID="{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}">` +
			"<ItemInventoryRet><ListID>1-1</ListID><Name>Caf\xe9</Name><QuantityOnHand>-2.5</QuantityOnHand><SalesPrice>3.33333</SalesPrice></ItemInventoryRet>" +
			"<ItemGroupRet><ListID>2-2</ListID><Name>Bundle</Name><Unknown><Deep/></Unknown></ItemGroupRet>" +
			`</ItemInventoryQueryRs><ClassQueryRs statusCode="0" statusSeverity="Info"><ClassRet><ListID>3-3</ListID><FullName>Web:EU</FullName><Sublevel>1</Sublevel></ClassRet></ClassQueryRs>` +
			`<ShipMethodQueryRs statusCode="0" statusSeverity="Info"><ShipMethodRet><ListID>4-4</ListID><Name>UPS</Name><IsActive>true</IsActive></ShipMethodRet></ShipMethodQueryRs>` +
			`<SalesReceiptQueryRs statusCode="0" statusSeverity="Info"><SalesReceiptRet><TxnID>5-5</TxnID><RefNumber>1001</RefNumber><TotalAmount>-12.5</TotalAmount><Other>x</Other>` +
			`<SalesReceiptLineRet><TxnLineID>6-6</TxnLineID><Amount>1.00</Amount></SalesReceiptLineRet><SalesReceiptLineGroupRet><TxnLineID>7-7</TxnLineID></SalesReceiptLineGroupRet></SalesReceiptRet></SalesReceiptQueryRs>` +
			`<CreditMemoAddRs statusCode="0" statusSeverity="Info"><CreditMemoRet><TxnID>8-8</TxnID><TotalAmount>3.00</TotalAmount><CreditRemaining>3.00</CreditRemaining><CreditMemoLineRet><TxnLineID>9-9</TxnLineID></CreditMemoLineRet></CreditMemoRet></CreditMemoAddRs>` +
			`<InvoiceModRs statusCode="3200" statusSeverity="Error" statusMessage="The provided edit sequence &quot;1272664823&quot; is out-of-date."><InvoiceRet><TxnID>10-10</TxnID><EditSequence>1272664999</EditSequence></InvoiceRet></InvoiceModRs>` +
			`</QBXMLMsgsRs></QBXML>`
		m, err := ParseResponse([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "message set", [2]any{m.NewMessageSetID, m.MessageSetStatusCode}, [2]any{"b-1", 0})
		r := m.Responses[0]
		eq(t, "iterator", [3]any{r.RetCount, r.IteratorRemainingCount, r.IteratorID}, [3]any{2, 5, "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}"})
		eq(t, "RequestElement", r.RequestElement(), "ItemInventoryQueryRq")
		eq(t, "Latin-1 name", r.Items[0].Name, "Café")
		eq(t, "QuantityOnHand", r.Items[0].QuantityOnHand, Quantity(-250000))
		eq(t, "SalesPrice", r.Items[0].SalesPrice.String(), "3.33333")
		eq(t, "group item", r.Items[1].Ref(), Ref{"2-2", "Bundle"})
		eq(t, "group type", r.Items[1].Type, "ItemGroup")
		eq(t, "class", m.Responses[1].Classes[0].FullName, "Web:EU")
		eq(t, "ship method", m.Responses[2].ShipMethods[0].Name, "UPS")
		sr := m.Responses[3].SalesReceipts[0]
		eq(t, "sales receipt", [4]any{sr.TxnID, sr.TotalAmount, sr.Other, len(sr.Lines)}, [4]any{"5-5", Cents(-1250), "x", 1})
		cm := m.Responses[4].CreditMemos[0]
		eq(t, "credit memo", [3]any{cm.TotalAmount, cm.CreditRemaining, cm.Lines[0].TxnLineID}, [3]any{Cents(300), Cents(300), "9-9"})
		stale := m.Responses[5]
		eq(t, "stale", [3]any{stale.Class(), stale.Invoices[0].EditSequence, stale.StatusMessage}, [3]any{StaleEditSequence, "1272664999", `The provided edit sequence "1272664823" is out-of-date.`})
	})

	bad := map[string]string{
		"empty":                    "",
		"not XML":                  "statusCode=0",
		"wrong root":               `<QBXMLMsgsRs/>`,
		"no message set":           `<QBXML><SignonMsgsRs/></QBXML>`,
		"no statusCode":            `<QBXML><QBXMLMsgsRs><CustomerQueryRs statusSeverity="Info"/></QBXMLMsgsRs></QBXML>`,
		"non-numeric statusCode":   `<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="x" statusSeverity="Info"/></QBXMLMsgsRs></QBXML>`,
		"bad amount":               `<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0"><CustomerRet><Balance>1.234</Balance></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>`,
		"bad date":                 `<QBXML><QBXMLMsgsRs><InvoiceQueryRs statusCode="0"><InvoiceRet><TxnDate>03/02/2014</TxnDate></InvoiceRet></InvoiceQueryRs></QBXMLMsgsRs></QBXML>`,
		"truncated":                `<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0">`,
		"bad messageSetStatusCode": `<QBXML><QBXMLMsgsRs messageSetStatusCode="x"/></QBXML>`,
	}
	for name, doc := range bad {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseResponse([]byte(doc)); !errors.Is(err, ErrMalformedResponse) {
				t.Errorf("err = %v, want ErrMalformedResponse", err)
			}
		})
	}
	t.Run("lookups on an empty set", func(t *testing.T) {
		m, err := ParseResponse([]byte(`<QBXML><QBXMLMsgsRs/></QBXML>`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Host(); !errors.Is(err, ErrNotFound) {
			t.Errorf("Host err = %v", err)
		}
		if _, err := m.Company(); !errors.Is(err, ErrNotFound) {
			t.Errorf("Company err = %v", err)
		}
	})
}

func TestChooseVersion(t *testing.T) {
	tests := []struct {
		supported []string
		want      string
		err       error
	}{
		{[]string{"1.0", "2.0", "13.0", "14.0", "15.0", "16.0"}, Version16, nil},
		{[]string{"1.0", "13.0", "14.0"}, Version13, nil},
		{[]string{"2.0", "9.0", "10.0", "12.0"}, "", ErrUnsupportedVersion},
		{[]string{"CA2.0", "CA3.0", "13.0"}, Version13, nil},
		{nil, "", ErrUnsupportedVersion},
	}
	for _, tc := range tests {
		got, err := ChooseVersion(&HostRet{SupportedQBXMLVersions: tc.supported})
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("ChooseVersion(%v) = %q, %v; want %q, %v", tc.supported, got, err, tc.want, tc.err)
		}
	}
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestParseHCPFromSendRequestXML parses strHCPResponse exactly as QBWC sends
// it in the first sendRequestXML of a session (real capture).
func TestParseHCPFromSendRequestXML(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(specsDir(t), "qbwc", "samples", "soap", "04_sendRequestXML.request.first-call-with-strHCPResponse.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		HCP   string `xml:"Body>sendRequestXML>strHCPResponse"`
		Major string `xml:"Body>sendRequestXML>qbXMLMajorVers"`
	}
	if err := xml.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	m, err := ParseResponse([]byte(env.HCP))
	if err != nil {
		t.Fatal(err)
	}
	h, err := m.Host()
	if err != nil {
		t.Fatal(err)
	}
	// qbXMLMajorVers (5) is the qbXML version; HostRet.MajorVersion (16) is the product's.
	eq(t, "versions", [3]string{env.Major, h.MajorVersion, h.SupportedQBXMLVersions[len(h.SupportedQBXMLVersions)-1]}, [3]string{"5", "16", "5.0"})
	if _, err := ChooseVersion(h); !errors.Is(err, ErrUnsupportedVersion) {
		t.Errorf("ChooseVersion = %v", err)
	}
	if len(m.Responses) != 3 || m.Responses[2].Name != "PreferencesQueryRs" {
		t.Errorf("responses: %d", len(m.Responses))
	}
}

func TestItemReceiptIsNotAnItem(t *testing.T) {
	m, err := ParseResponse([]byte(`<QBXML><QBXMLMsgsRs><ItemReceiptQueryRs statusCode="0" statusSeverity="Info"><ItemReceiptRet><TxnID>1-1</TxnID></ItemReceiptRet></ItemReceiptQueryRs></QBXMLMsgsRs></QBXML>`))
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Responses[0].recordCount(); n != 0 {
		t.Errorf("ItemReceiptRet decoded as %d records", n)
	}
}

// byRequestID returns the response of m with the given requestID, or ErrNotFound (with
// stopOnError, requests after the failing one get no response). The engine keeps its own
// requestID → work item map instead.
func byRequestID(m *MsgSetResponse, id string) (*Rs, error) {
	for _, r := range m.Responses {
		if r.RequestID == id {
			return r, nil
		}
	}
	return nil, fmt.Errorf("requestID %q: %w", id, ErrNotFound)
}
