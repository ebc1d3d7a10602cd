package qbxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	// ErrNotFound is returned by lookups that find nothing (Host, Company,
	// CompanyRet.DataExt).
	ErrNotFound = errors.New("qbxml: not found")
	// ErrMalformedResponse is wrapped by every ParseResponse and
	// ParseReceiveResponse error.
	ErrMalformedResponse = errors.New("qbxml: malformed response")
)

// MsgSetResponse is one qbXML response message set, or the failure QBWC
// reported instead of one.
type MsgSetResponse struct {
	// HResult is set when QuickBooks could not process the message set at all
	// and QBWC called receiveResponseXML with an empty response, e.g.
	// "0x80040400" ("QuickBooks found an error when parsing the provided XML
	// text stream"). Responses is then empty. HResultCode is its value and
	// Message QBWC's message.
	HResult     string
	HResultCode int
	Message     string

	// NewMessageSetID and MessageSetStatusCode are the error-recovery
	// attributes of QBXMLMsgsRs, when present.
	NewMessageSetID      string
	MessageSetStatusCode int

	// Responses holds one *Rs per request, in document order.
	Responses []*Rs
}

// Rs is one response element (CustomerAddRs, ItemInventoryQueryRs, ...).
type Rs struct {
	Name           string // element name, e.g. "SalesReceiptAddRs"
	RequestID      string // requestID of the request ("" if the request had none)
	StatusCode     int
	StatusSeverity string // "Info", "Warn" or "Error"
	StatusMessage  string
	RetCount       int
	// IteratorID and IteratorRemainingCount are set on iterator pages; the
	// count is meaningful only when IteratorID is not empty.
	IteratorID             string
	IteratorRemainingCount int

	// Records by type; a response may carry records even when it failed (a
	// 3200 response returns the current record with its new EditSequence).
	Customers            []CustomerRet
	Items                []ItemRet
	SalesReceipts        []SalesReceiptRet
	Invoices             []InvoiceRet
	SalesOrders          []SalesOrderRet
	Payments             []ReceivePaymentRet
	CreditMemos          []CreditMemoRet
	ARRefunds            []ARRefundCreditCardRet
	InventoryAdjustments []InventoryAdjustmentRet
	Bills                []BillRet
	ItemReceipts         []ItemReceiptRet
	Classes              []ClassRet
	ShipMethods          []ShipMethodRet
	Accounts             []AccountRet
	Host                 *HostRet
	Company              *CompanyRet
}

// Class classifies the response status (see Classify).
func (r *Rs) Class() Class { return Classify(r.StatusCode, r.StatusSeverity) }

// RequestElement returns the request element this responds to, e.g.
// "SalesReceiptAddRq" for "SalesReceiptAddRs".
func (r *Rs) RequestElement() string { return strings.TrimSuffix(r.Name, "Rs") + "Rq" }

// Class classifies the whole message set: the HResult class when QBWC
// reported a failure, otherwise OK (look at each Rs for per-request status).
func (m *MsgSetResponse) Class() Class {
	if m.HResult != "" {
		return Classify(m.HResultCode, "")
	}
	return OK
}

// Host returns the HostRet of the message set (present in strHCPResponse), or
// ErrNotFound.
func (m *MsgSetResponse) Host() (*HostRet, error) {
	for _, r := range m.Responses {
		if r.Host != nil {
			return r.Host, nil
		}
	}
	return nil, fmt.Errorf("HostRet: %w", ErrNotFound)
}

// Company returns the CompanyRet of the message set (present in
// strHCPResponse), or ErrNotFound.
func (m *MsgSetResponse) Company() (*CompanyRet, error) {
	for _, r := range m.Responses {
		if r.Company != nil {
			return r.Company, nil
		}
	}
	return nil, fmt.Errorf("CompanyRet: %w", ErrNotFound)
}

// ChooseVersion returns the newest qbXML version this package writes that the
// host supports: "16.0" if it lists 16.0 or later, else "13.0" if it lists
// 13.0 or later (QuickBooks 2013+), else ErrUnsupportedVersion.
func ChooseVersion(h *HostRet) (string, error) {
	best := 0.0
	for _, v := range h.SupportedQBXMLVersions {
		// Non-US editions have listed versions such as "CA3.0".
		f, err := strconv.ParseFloat(strings.TrimLeft(strings.TrimSpace(v), "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 64)
		if err == nil && f > best {
			best = f
		}
	}
	switch {
	case best >= 16:
		return Version16, nil
	case best >= 13:
		return Version13, nil
	}
	return "", fmt.Errorf("%w: QuickBooks %q supports qbXML up to %v, this package needs %s", ErrUnsupportedVersion, h.ProductName, best, Version13)
}

// ParseReceiveResponse interprets the three arguments of QBWC's
// receiveResponseXML call. When hresult is not empty QuickBooks failed the
// whole message set: the result carries HResult, HResultCode and Message and
// no responses. Otherwise response is parsed with ParseResponse.
func ParseReceiveResponse(response, hresult, message string) (*MsgSetResponse, error) {
	if h := strings.TrimSpace(hresult); h != "" {
		code, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(h), "0x"), 16, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: hresult %q is not hexadecimal", ErrMalformedResponse, hresult)
		}
		return &MsgSetResponse{HResult: h, HResultCode: int(code), Message: message}, nil
	}
	return ParseResponse([]byte(response))
}

// ParseResponse parses a qbXML response message (<QBXML><QBXMLMsgsRs>…). The
// input is expected as the SOAP layer delivers it: already-decoded text, so a
// declared encoding is ignored; bytes that are not valid UTF-8 are read as
// ISO-8859-1. Errors wrap ErrMalformedResponse.
func ParseResponse(data []byte) (*MsgSetResponse, error) {
	if !utf8.Valid(data) {
		data = latin1ToUTF8(data)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }

	root, err := nextStart(d)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedResponse, err)
	}
	if root.Name.Local != "QBXML" {
		return nil, fmt.Errorf("%w: root element is <%s>, want <QBXML>", ErrMalformedResponse, root.Name.Local)
	}
	for {
		se, err := nextStart(d)
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: no QBXMLMsgsRs element", ErrMalformedResponse)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformedResponse, err)
		}
		if se.Name.Local != "QBXMLMsgsRs" {
			if err := d.Skip(); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrMalformedResponse, err)
			}
			continue
		}
		m, err := decodeMsgsRs(d, se)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformedResponse, err)
		}
		return m, nil
	}
}

// nextStart returns the next start element at the current level, or io.EOF
// when the enclosing element (or the document) ends.
func nextStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, io.EOF
		}
	}
}

// eachChild calls f with each child element of the element being decoded, in order, until that
// element ends (nil) or the decoder or f fails (that error).
func eachChild(d *xml.Decoder, f func(se xml.StartElement) error) error {
	for {
		se, err := nextStart(d)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := f(se); err != nil {
			return err
		}
	}
}

func decodeMsgsRs(d *xml.Decoder, start xml.StartElement) (*MsgSetResponse, error) {
	m := &MsgSetResponse{}
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "newMessageSetID":
			m.NewMessageSetID = a.Value
		case "messageSetStatusCode":
			n, err := strconv.Atoi(strings.TrimSpace(a.Value))
			if err != nil {
				return nil, fmt.Errorf("QBXMLMsgsRs messageSetStatusCode %q: %w", a.Value, err)
			}
			m.MessageSetStatusCode = n
		}
	}
	err := eachChild(d, func(se xml.StartElement) error {
		rs, err := decodeRs(d, se)
		if err != nil {
			return err
		}
		m.Responses = append(m.Responses, rs)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

func decodeRs(d *xml.Decoder, start xml.StartElement) (*Rs, error) {
	rs := &Rs{Name: start.Name.Local}
	haveStatus := false
	for _, a := range start.Attr {
		var err error
		switch a.Name.Local {
		case "requestID":
			rs.RequestID = a.Value
		case "statusCode":
			rs.StatusCode, err = strconv.Atoi(strings.TrimSpace(a.Value))
			haveStatus = true
		case "statusSeverity":
			rs.StatusSeverity = a.Value
		case "statusMessage":
			rs.StatusMessage = a.Value
		case "retCount":
			rs.RetCount, err = strconv.Atoi(strings.TrimSpace(a.Value))
		case "iteratorRemainingCount":
			rs.IteratorRemainingCount, err = strconv.Atoi(strings.TrimSpace(a.Value))
		case "iteratorID":
			rs.IteratorID = a.Value
		}
		if err != nil {
			return nil, fmt.Errorf("%s %s=%q: %w", rs.Name, a.Name.Local, a.Value, err)
		}
	}
	if !haveStatus {
		return nil, fmt.Errorf("%s has no statusCode", rs.Name)
	}
	err := eachChild(d, func(se xml.StartElement) error {
		if err := rs.decodeRet(d, se); err != nil {
			return fmt.Errorf("%s requestID %q: %s: %w", rs.Name, rs.RequestID, se.Name.Local, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// decodeRet decodes one child of an *Rs element into the matching slice.
func (rs *Rs) decodeRet(d *xml.Decoder, se xml.StartElement) error {
	name := se.Name.Local
	switch {
	case name == "CustomerRet":
		return decodeAppend(d, se, &rs.Customers)
	case name == "SalesReceiptRet":
		return decodeAppend(d, se, &rs.SalesReceipts)
	case name == "InvoiceRet":
		return decodeAppend(d, se, &rs.Invoices)
	case name == "SalesOrderRet":
		return decodeAppend(d, se, &rs.SalesOrders)
	case name == "ReceivePaymentRet":
		return decodeAppend(d, se, &rs.Payments)
	case name == "CreditMemoRet":
		return decodeAppend(d, se, &rs.CreditMemos)
	case name == "ARRefundCreditCardRet":
		return decodeAppend(d, se, &rs.ARRefunds)
	case name == "InventoryAdjustmentRet":
		return decodeAppend(d, se, &rs.InventoryAdjustments)
	case name == "BillRet":
		return decodeAppend(d, se, &rs.Bills)
	case name == "ItemReceiptRet":
		return decodeAppend(d, se, &rs.ItemReceipts)
	case name == "ClassRet":
		return decodeAppend(d, se, &rs.Classes)
	case name == "ShipMethodRet":
		return decodeAppend(d, se, &rs.ShipMethods)
	case name == "AccountRet":
		return decodeAppend(d, se, &rs.Accounts)
	case itemRets[name]:
		var it ItemRet
		if err := d.DecodeElement(&it, &se); err != nil {
			return err
		}
		it.Type = strings.TrimSuffix(name, "Ret")
		rs.Items = append(rs.Items, it)
		return nil
	case name == "HostRet":
		rs.Host = new(HostRet)
		return d.DecodeElement(rs.Host, &se)
	case name == "CompanyRet":
		rs.Company = new(CompanyRet)
		return d.DecodeElement(rs.Company, &se)
	}
	return d.Skip()
}

// itemRets lists the item record elements (ItemQueryRs returns all of them;
// ItemReceiptRet, a transaction, is deliberately not here).
var itemRets = map[string]bool{
	"ItemServiceRet": true, "ItemNonInventoryRet": true, "ItemOtherChargeRet": true, "ItemInventoryRet": true,
	"ItemInventoryAssemblyRet": true, "ItemFixedAssetRet": true, "ItemSubtotalRet": true, "ItemDiscountRet": true,
	"ItemPaymentRet": true, "ItemSalesTaxRet": true, "ItemSalesTaxGroupRet": true, "ItemGroupRet": true,
}

func decodeAppend[T any](d *xml.Decoder, se xml.StartElement, dst *[]T) error {
	var v T
	if err := d.DecodeElement(&v, &se); err != nil {
		return err
	}
	*dst = append(*dst, v)
	return nil
}

// latin1ToUTF8 reads b as ISO-8859-1.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}
