package qbxml

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// TestEncodeAndAddEncoded checks the queue path: every build case encoded
// with Encode, stored as text and assembled with AddEncoded gives the same
// message as Add, for both versions.
func TestEncodeAndAddEncoded(t *testing.T) {
	for _, version := range []string{Version13, Version16} {
		for _, c := range buildCases() {
			direct := c.build(t, version)
			m := NewMsgSet(version, c.onError)
			for i, r := range c.reqs {
				frag, _, err := Encode(r)
				if err != nil {
					t.Fatalf("%s: Encode: %v", c.name, err)
				}
				if strings.Contains(frag, "requestID") || !strings.HasPrefix(frag, "<"+Kind(r)) {
					t.Fatalf("%s: fragment %.80s", c.name, frag)
				}
				if id := m.AddEncoded(string([]byte(frag))); id != strconv.Itoa(i+1) { // as loaded back from the queue
					t.Fatalf("%s: requestID %s, want %d", c.name, id, i+1)
				}
			}
			viaQueue, err := m.Bytes()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !bytes.Equal(direct, viaQueue) {
				t.Errorf("%s %s: AddEncoded message differs from Add:\n%s\n%s", c.name, version, viaQueue, direct)
			}
		}
	}
	if k := Kind(SalesReceiptAdd{}); k != "SalesReceiptAddRq" {
		t.Errorf("Kind = %s", k)
	}
}

func TestAddEncodedRejects(t *testing.T) {
	good, _, err := Encode(ItemInventoryQuery{Iterator: IteratorStart, Filter: ListFilter{MaxReturned: 10}})
	if err != nil {
		t.Fatal(err)
	}
	for name, frag := range map[string]string{
		"empty fragment":        "",
		"unclosed":              "<CustomerAddRq>",
		"mismatched end tag":    "<CustomerAddRq></ItemQueryRq>",
		"already has requestID": `<CustomerAddRq requestID="1"></CustomerAddRq>`,
		"not a request":         "<Foo></Foo>",
		"invalid UTF-8":         "<CustomerAddRq>\xff</CustomerAddRq>",
	} {
		t.Run(name, func(t *testing.T) {
			m := NewMsgSet(Version13, StopOnError)
			m.Add(ClassQuery{})
			id := m.AddEncoded(frag)
			var re *RequestError
			if _, err := m.Bytes(); !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &re) || re.RequestID != id || id != "2" {
				t.Errorf("Bytes err = %v (requestID %s)", err, id)
			}
		})
	}
	m := NewMsgSet(Version13, StopOnError)
	m.Add(ClassQuery{})
	m.AddEncoded(good)
	b, err := m.Bytes()
	if err != nil || !bytes.Contains(b, []byte(`<ItemInventoryQueryRq requestID="2" iterator="Start"><MaxReturned>10</MaxReturned></ItemInventoryQueryRq>`)) {
		t.Errorf("AddEncoded output %s, %v", b, err)
	}
}

func TestIdentityAndSummary(t *testing.T) {
	doc := `<QBXML><QBXMLMsgsRs>` +
		`<CustomerAddRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CustomerRet><ListID>C-1</ListID><EditSequence>11</EditSequence></CustomerRet></CustomerAddRs>` +
		`<ItemQueryRs requestID="2" statusCode="0" statusSeverity="Info"><ItemServiceRet><ListID>I-1</ListID><EditSequence>12</EditSequence></ItemServiceRet></ItemQueryRs>` +
		`<SalesReceiptAddRs requestID="3" statusCode="0" statusSeverity="Info"><SalesReceiptRet><TxnID>S-1</TxnID><EditSequence>13</EditSequence></SalesReceiptRet></SalesReceiptAddRs>` +
		`<InvoiceAddRs requestID="4" statusCode="0" statusSeverity="Info"><InvoiceRet><TxnID>V-1</TxnID><EditSequence>14</EditSequence></InvoiceRet></InvoiceAddRs>` +
		`<SalesOrderAddRs requestID="5" statusCode="0" statusSeverity="Info"><SalesOrderRet><TxnID>O-1</TxnID><EditSequence>15</EditSequence></SalesOrderRet></SalesOrderAddRs>` +
		`<ReceivePaymentAddRs requestID="6" statusCode="0" statusSeverity="Info"><ReceivePaymentRet><TxnID>P-1</TxnID><EditSequence>16</EditSequence></ReceivePaymentRet></ReceivePaymentAddRs>` +
		`<CreditMemoAddRs requestID="7" statusCode="0" statusSeverity="Info"><CreditMemoRet><TxnID>M-1</TxnID><EditSequence>17</EditSequence></CreditMemoRet></CreditMemoAddRs>` +
		`<ClassQueryRs requestID="8" statusCode="0" statusSeverity="Info"><ClassRet><ListID>K-1</ListID><EditSequence>18</EditSequence></ClassRet></ClassQueryRs>` +
		`<ShipMethodQueryRs requestID="9" statusCode="0" statusSeverity="Info"><ShipMethodRet><ListID>H-1</ListID><EditSequence>19</EditSequence></ShipMethodRet></ShipMethodQueryRs>` +
		`<AccountQueryRs requestID="10" statusCode="0" statusSeverity="Info"><AccountRet><ListID>A-1</ListID><EditSequence>20</EditSequence></AccountRet></AccountQueryRs>` +
		`<CustomerAddRs requestID="11" statusCode="3100" statusSeverity="Error" statusMessage="The name &quot;Acme&quot; of the list element is already in use."/>` +
		`</QBXMLMsgsRs></QBXML>`
	m, err := ParseResponse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := [][3]string{
		{"C-1", "11", "Customer"}, {"I-1", "12", "ItemService"}, {"S-1", "13", "SalesReceipt"}, {"V-1", "14", "Invoice"},
		{"O-1", "15", "SalesOrder"}, {"P-1", "16", "ReceivePayment"}, {"M-1", "17", "CreditMemo"}, {"K-1", "18", "Class"},
		{"H-1", "19", "ShipMethod"}, {"A-1", "20", "Account"}, {"", "", ""},
	}
	for i, w := range want {
		id, seq, typ := m.Responses[i].Identity()
		if [3]string{id, seq, typ} != w {
			t.Errorf("response %d Identity = %s %s %s, want %v", i, id, seq, typ, w)
		}
	}
	if s := m.Responses[0].Summary(); s != `CustomerAddRs requestID=1 statusCode=0 (Info) "Status OK" Customer=C-1 EditSequence=11` {
		t.Errorf("Summary = %s", s)
	}
	if s := m.Responses[10].Summary(); s != `CustomerAddRs requestID=11 statusCode=3100 (Error) "The name \"Acme\" of the list element is already in use."` {
		t.Errorf("Summary = %s", s)
	}
}
