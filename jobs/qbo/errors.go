package qbo

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Kinds of failure of an Accounting API call; test them with errors.Is on the error a Client
// returns (a *storenet.Error whose Kind is one of these, or whose Kind is a storenet kind for
// failures QuickBooks did not describe: ErrUnreachable).
var (
	// ErrStale: Fault 5010, the SyncToken sent is not the entity's current one (someone changed
	// it meanwhile). Re-read the entity and apply the change again.
	ErrStale = errors.New("QuickBooks Online: the record was changed meanwhile (stale SyncToken)")
	// ErrDuplicateName: Fault 6240, a customer, vendor or employee (or an item) already has
	// that name. Adopt the existing record, or create under another name.
	ErrDuplicateName = errors.New("QuickBooks Online: the name is already used")
	// ErrDuplicateNumber: Fault 6140 / 6210, the document number is already used and the
	// company forbids duplicates.
	ErrDuplicateNumber = errors.New("QuickBooks Online: the document number is already used")
	// ErrNotFound: Fault 610 (or HTTP 404), the object does not exist or was made inactive.
	ErrNotFound = errors.New("QuickBooks Online: object not found")
	// ErrThrottled: HTTP 429 (Fault 3001 ThrottleExceeded) after every wait the call allows
	// itself. Nothing was applied; send it again later.
	ErrThrottled = errors.New("QuickBooks Online: request limit reached")
	// ErrUnavailable: HTTP 5xx or a SystemFault after every retry. The write may or may not
	// have been applied: send it again later with the same requestid.
	ErrUnavailable = errors.New("QuickBooks Online is unavailable")
	// ErrUnauthorized: HTTP 401/403 (3200 AuthenticationFailed, 3100/120 AuthorizationFailed)
	// even with a fresh access token.
	ErrUnauthorized = errors.New("QuickBooks Online did not accept the connection's credentials")
	// ErrInvalid: any other ValidationFault (bad field, required field missing, business
	// rule): sending it again changes nothing; the merchant or Ledgerlink must change it.
	ErrInvalid = errors.New("QuickBooks Online refused the request")
)

// FaultError is one error of a Fault.
type FaultError struct {
	Message string `json:"Message"`
	Detail  string `json:"Detail"`
	Code    string `json:"code"`
	Element string `json:"element"`
}

// Fault is QuickBooks' description of a refusal: in the body of a 4xx/5xx answer, in a 200
// answer, or in one item of a batch answer.
type Fault struct {
	Type   string       `json:"type"`
	Errors []FaultError `json:"Error"`
}

// Code is the first error's code ("6240"), "" when there is none.
func (f *Fault) Code() string {
	if f == nil || len(f.Errors) == 0 {
		return ""
	}
	return f.Errors[0].Code
}

// Error is the fault in one line: "Duplicate Name Exists Error (6240): The name supplied…".
func (f *Fault) Error() string {
	if f == nil || len(f.Errors) == 0 {
		return "fault"
	}
	parts := make([]string, 0, len(f.Errors))
	for _, e := range f.Errors {
		s := fmt.Sprintf("%s (%s)", e.Message, e.Code)
		if e.Detail != "" && e.Detail != e.Message {
			s += ": " + e.Detail
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// Kind is the error kind of the fault's first code.
func (f *Fault) Kind() error {
	switch f.Code() {
	case "5010":
		return ErrStale
	case "6240":
		return ErrDuplicateName
	case "6140", "6210":
		return ErrDuplicateNumber
	case "610":
		return ErrNotFound
	case "3001", "003001":
		return ErrThrottled
	case "3200", "3100", "120":
		return ErrUnauthorized
	case "10000":
		return ErrUnavailable
	}
	if strings.EqualFold(f.Type, "SystemFault") {
		return ErrUnavailable
	}
	return ErrInvalid
}

// parseFault reads a fault from an answer body in any of the shapes QuickBooks uses:
// {"Fault":{…}} (JSON answers), {"fault":{"error":[{"message"…}]}} (the 401 of an expired
// token, cassette error/401.yml) and <IntuitResponse><Fault> (XML, which a 429 always is,
// errors-quickbooks-ruby/too_many_requests_error.xml). It returns nil when body holds none.
func parseFault(body []byte) *Fault {
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "<") {
		var x struct {
			Fault struct {
				Type   string `xml:"type,attr"`
				Errors []struct {
					Code    string `xml:"code,attr"`
					Element string `xml:"element,attr"`
					Message string `xml:"Message"`
					Detail  string `xml:"Detail"`
				} `xml:"Error"`
			} `xml:"Fault"`
		}
		if xml.Unmarshal(body, &x) != nil || len(x.Fault.Errors) == 0 {
			return nil
		}
		f := &Fault{Type: x.Fault.Type}
		for _, e := range x.Fault.Errors {
			f.Errors = append(f.Errors, FaultError{Message: e.Message, Detail: e.Detail, Code: e.Code, Element: e.Element})
		}
		return f
	}
	// encoding/json matches keys case-insensitively, so one struct reads "Fault"/"Error"/
	// "Message" and the 401's "fault"/"error"/"message" alike.
	var j struct {
		Fault *Fault `json:"Fault"`
	}
	if json.Unmarshal(body, &j) != nil || j.Fault == nil || len(j.Fault.Errors) == 0 {
		return nil
	}
	return j.Fault
}

// faultOf returns the Fault a client error carries, nil when it carries none.
func faultOf(err error) *Fault {
	var se *storenet.Error
	if errors.As(err, &se) {
		if f, ok := se.Detail.(*Fault); ok {
			return f
		}
	}
	return nil
}

// FaultOf returns the QuickBooks Fault behind err (from a Client call or a batch item), or
// nil.
func FaultOf(err error) *Fault { return faultOf(err) }

// describe is the Transport's Describe hook: the fault in the body decides the kind.
func describe(e *storenet.Error, body []byte) {
	f := parseFault(body)
	switch {
	case e.Status == 429:
		e.Kind = ErrThrottled
		e.Hint = "QuickBooks Online allows 500 requests a minute per company; Ledgerlink sends it again later"
	case e.Status == 401 || e.Status == 403:
		e.Kind = ErrUnauthorized
		e.Hint = "reconnect the QuickBooks Online company under Connections"
	case e.Status >= 500:
		e.Kind = ErrUnavailable
	case f != nil:
		e.Kind = f.Kind()
	case e.Status == 404:
		e.Kind = ErrNotFound
	default:
		e.Kind = ErrInvalid
	}
	if f != nil {
		e.Detail = f
		e.Code = f.Code()
		e.Message = f.Error()
	}
}
