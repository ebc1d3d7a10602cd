package qbxml

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Supported qbXML versions. Both schemas are byte-for-byte the same for every
// element this package writes except SalesOrderAdd, which gains optional fields
// in 16.0 that this package does not send.
const (
	Version13 = "13.0"
	Version16 = "16.0"
)

// OnError is the QBXMLMsgsRq onError attribute: what QuickBooks does with the
// rest of a message set after one request fails.
type OnError string

const (
	// ContinueOnError processes every request; each gets its own status.
	ContinueOnError OnError = "continueOnError"
	// StopOnError stops at the first error; later requests get no response.
	StopOnError OnError = "stopOnError"
	// RollbackOnError stops at the first error and rolls back the earlier ones.
	RollbackOnError OnError = "rollbackOnError"
)

// ResponseData is the QBXMLMsgsRq responseData attribute.
type ResponseData string

const (
	// IncludeAll (QuickBooks' default) returns the *Ret records.
	IncludeAll ResponseData = "includeAll"
	// IncludeNone returns statuses only: smaller responses for bulk Adds whose
	// records are not needed.
	IncludeNone ResponseData = "includeNone"
)

var (
	// ErrInvalidRequest is wrapped by every error about a request that cannot
	// be written as valid qbXML (missing required field, conflicting filters,
	// over-long ID, ...). The concrete error is a *RequestError.
	ErrInvalidRequest = errors.New("qbxml: invalid request")
	// ErrUnsupportedVersion is returned for a qbXML version other than 13.0 or
	// 16.0, and by ChooseVersion (server/qbwc's choice) when QuickBooks supports neither.
	ErrUnsupportedVersion = errors.New("qbxml: unsupported qbXML version")
	// ErrInvalidMessageSet is wrapped when the message set itself (not one of
	// its requests) is unusable, e.g. an unknown onError value.
	ErrInvalidMessageSet = errors.New("qbxml: invalid message set")
)

// RequestError describes why one request of a message set was rejected.
type RequestError struct {
	RequestID string // requestID returned by MsgSet.Add ("" from Encode)
	Element   string // request element, e.g. "SalesReceiptAddRq"
	Field     string // path inside the request, e.g. "SalesReceiptAdd/SalesReceiptLineAdd[2]/ItemRef"
	Problem   string
}

func (e *RequestError) Error() string {
	id := ""
	if e.RequestID != "" {
		id = " requestID " + e.RequestID
	}
	return fmt.Sprintf("qbxml: %s%s: %s: %s", e.Element, id, e.Field, e.Problem)
}

// Unwrap makes errors.Is(err, ErrInvalidRequest) true.
func (e *RequestError) Unwrap() error { return ErrInvalidRequest }

// Reason says why a value was changed on its way into qbXML.
type Reason string

const (
	// Transliterated: characters outside ISO-8859-1 were replaced or removed.
	Transliterated Reason = "transliterated"
	// Truncated: the value was longer than QuickBooks allows for the field.
	Truncated Reason = "truncated"
)

// Adjustment records one change made to a caller's value so the caller can
// tell the merchant ("order #… RefNumber truncated, full value kept in memo").
// A value that was both transliterated and truncated yields two Adjustments:
// From of the second is To of the first.
type Adjustment struct {
	RequestID string // requestID of the request ("" from Encode)
	Field     string // element path, e.g. "SalesReceiptAdd/RefNumber"
	From, To  string
	Reason    Reason
	Limit     int // the field's length limit when Reason is Truncated
}

// Request is one qbXML request (CustomerAdd, SalesReceiptQuery, ...). The set
// of implementations is closed: the types in this package, each named like its
// request element without "Rq" (see element).
type Request interface {
	// encode writes the element's content (without the *Rq wrapper) and its
	// attributes into e.
	encode(e *encoder)
}

// element returns the request element name of rq: its type's name + "Rq",
// e.g. "CustomerAddRq".
func element(rq Request) string {
	t := reflect.TypeOf(rq)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name() + "Rq"
}

// MsgSet builds one qbXML request message set (one sendRequestXML payload).
// Requests are encoded when added, so later changes to a request value do not
// affect the message. A MsgSet is not safe for concurrent use.
type MsgSet struct {
	version string
	onError OnError

	// NewMessageSetID and OldMessageSetID set the error-recovery attributes of
	// QBXMLMsgsRq (Programmer's Guide p.42; Intuit ErrRecovery1-3.xml samples).
	NewMessageSetID, OldMessageSetID string
	// ResponseData, when set, is written as the responseData attribute.
	ResponseData ResponseData

	reqs []encodedRequest
}

type encodedRequest struct {
	id  string
	xml string
	adj []Adjustment
	err error
}

// NewMsgSet starts a message set for qbXML version ("13.0" or "16.0") with the
// given onError policy. An unsupported version or policy is reported by Bytes.
func NewMsgSet(version string, onError OnError) *MsgSet {
	return &MsgSet{version: version, onError: onError}
}

// Add appends rq and returns its requestID: "1" for the first request, "2" for
// the second, and so on, so IDs are stable for a given sequence of Adds.
// QuickBooks echoes the ID on the matching *Rs. Problems with rq are reported
// by Bytes; use Encode to check a request before adding it.
func (m *MsgSet) Add(rq Request) (requestID string) {
	id := strconv.Itoa(len(m.reqs) + 1)
	xml, adj, err := encodeRequest(rq, id)
	m.reqs = append(m.reqs, encodedRequest{id: id, xml: xml, adj: adj, err: err})
	return id
}

// Bytes returns the qbXML message:
//
//	<?xml version="1.0" encoding="utf-8"?>
//	<?qbxml version="13.0"?>
//	<QBXML><QBXMLMsgsRq onError="continueOnError">
//	<CustomerQueryRq requestID="1">…</CustomerQueryRq>
//	</QBXMLMsgsRq></QBXML>
//
// with one request per line. The error joins a *RequestError for every invalid
// request (errors.Is(err, ErrInvalidRequest)), or wraps ErrUnsupportedVersion /
// ErrInvalidMessageSet; no bytes are returned with an error.
func (m *MsgSet) Bytes() ([]byte, error) {
	if m.version != Version13 && m.version != Version16 {
		return nil, fmt.Errorf("%w: %q (want %s or %s)", ErrUnsupportedVersion, m.version, Version13, Version16)
	}
	switch m.onError {
	case ContinueOnError, StopOnError, RollbackOnError:
	default:
		return nil, fmt.Errorf("%w: onError %q", ErrInvalidMessageSet, m.onError)
	}
	switch m.ResponseData {
	case "", IncludeAll, IncludeNone:
	default:
		return nil, fmt.Errorf("%w: responseData %q", ErrInvalidMessageSet, m.ResponseData)
	}
	for _, id := range []string{m.NewMessageSetID, m.OldMessageSetID} {
		if id != "" && !printableASCII(id) {
			return nil, fmt.Errorf("%w: message set ID %q must be printable ASCII", ErrInvalidMessageSet, id)
		}
	}
	var errs []error
	for _, r := range m.reqs {
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<?qbxml version="` + m.version + `"?>` + "\n")
	b.WriteString(`<QBXML><QBXMLMsgsRq onError="` + string(m.onError) + `"`)
	writeAttr(&b, "newMessageSetID", m.NewMessageSetID)
	writeAttr(&b, "oldMessageSetID", m.OldMessageSetID)
	writeAttr(&b, "responseData", string(m.ResponseData))
	b.WriteString(">\n")
	for _, r := range m.reqs {
		b.WriteString(r.xml)
		b.WriteByte('\n')
	}
	b.WriteString("</QBXMLMsgsRq></QBXML>")
	return []byte(b.String()), nil
}

func writeAttr(b *strings.Builder, name, value string) {
	if value == "" {
		return
	}
	b.WriteString(" " + name + `="`)
	escapeText(b, value)
	b.WriteByte('"')
}

func encodeRequest(rq Request, id string) (string, []Adjustment, error) {
	e := &encoder{reqID: id, rq: element(rq)}
	e.b.WriteString("<" + e.rq)
	writeAttr(&e.b, "requestID", id)
	e.attrsOpen = true
	rq.encode(e)
	e.closeAttrs()
	e.b.WriteString("</" + e.rq + ">")
	if e.err != nil {
		return "", nil, e.err
	}
	return e.b.String(), e.adj, nil
}
