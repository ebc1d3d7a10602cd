package qbosim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	_ "time/tzdata" // the sandbox companies' clock is America/Los_Angeles; do not depend on the host's zoneinfo
)

// pacific is the company's time zone: every "time" and MetaData stamp in the
// recorded sandbox answers carries a Pacific offset.
var pacific = func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil { // time/tzdata is linked in
		panic(err)
	}
	return loc
}()

// stamp formats MetaData times: "2020-09-29T05:58:07-07:00".
func stamp(t time.Time) string { return t.In(pacific).Format("2006-01-02T15:04:05-07:00") }

// answerTime formats the "time" of an answer: "2020-09-29T05:58:07.300-07:00".
func answerTime(t time.Time) string { return t.In(pacific).Format("2006-01-02T15:04:05.000-07:00") }

// qbError is one Error of a Fault.
type qbError struct {
	Message string  `json:"Message"`
	Detail  string  `json:"Detail"`
	Code    string  `json:"code"`
	Element *string `json:"element,omitempty"`
}

// Fault is a QuickBooks Online error answer: HTTP status, fault type and errors.
// In a batch it becomes the item's "Fault" inside a 200.
type Fault struct {
	Status int
	Type   string // ValidationFault, SystemFault, AuthenticationFault, AuthorizationFault
	Errors []qbError
}

func (f *Fault) Error() string {
	if len(f.Errors) == 0 {
		return f.Type
	}
	return fmt.Sprintf("%s %s: %s", f.Errors[0].Code, f.Errors[0].Message, f.Errors[0].Detail)
}

// Code is the first error's code ("6240", "5010"…).
func (f *Fault) Code() string {
	if len(f.Errors) == 0 {
		return ""
	}
	return f.Errors[0].Code
}

type faultJSON struct {
	Error []qbError `json:"Error"`
	Type  string    `json:"type"`
}

func (f *Fault) wire() faultJSON { return faultJSON{Error: f.Errors, Type: f.Type} }

var empty = ""

func validation(code, message, detail string, element *string) *Fault {
	return &Fault{Status: http.StatusBadRequest, Type: "ValidationFault",
		Errors: []qbError{{Message: message, Detail: detail, Code: code, Element: element}}}
}

// Faults with their wording from the recorded sandbox answers
// (shared/specs/qbo) where one exists; see README for the rest.

// errDuplicateName is error/validation.yml.
func errDuplicateName() *Fault {
	return validation("6240", "Duplicate Name Exists Error", "The name supplied already exists. : null", nil)
}

// errNotFound is the 610 of batch/basic.yml.
func errNotFound() *Fault {
	return validation("610", "Object Not Found", "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.", &empty)
}

// errStale is the 5010 of batch/basic.yml.
func errStale(user string) *Fault {
	return validation("5010", "Stale Object Error", fmt.Sprintf(
		"Stale Object Error : You and %s were working on this at the same time. %s finished before you did, so your work was not saved.", user, user), &empty)
}

// errUnknownProperty is error/400_json.yml (without the list of known properties).
func errUnknownProperty(name, kind string) *Fault {
	return validation("2010", "Request has invalid or unsupported property",
		fmt.Sprintf("Property Name:Unrecognized field %q (class com.intuit.schema.finance.v3.%s), not marked as ignorable", name, kind), nil)
}

// errInvalidID is the second interaction of error/500.yml.
func errInvalidID(id string) *Fault {
	el := "Id"
	return validation("2030", "Invalid ID", "Id should be a valid number. Supplied value:"+id, &el)
}

// errUnsupported is the first interaction of error/500.yml (HTTP 400, code "500").
func errUnsupported(path, full string) *Fault {
	return validation("500", "Unsupported Operation", fmt.Sprintf(
		"Operation Could not find resource for relative : %s of full path: %s is not supported.", path, full), nil)
}

// errQueryValidation is the 4001 of error/400.yml and query_validation_error.xml.
func errQueryValidation(detail string) *Fault {
	return validation("4001", "Invalid query", "QueryValidationError: "+detail, nil)
}

func errQueryParser(detail string) *Fault {
	return validation("4000", "Error parsing query", "QueryParserError: "+detail, nil)
}

func errRequired(field string) *Fault {
	el := field
	return validation("2020", "Required param missing, need to supply the required value for the API",
		"Required parameter "+field+" is missing in the request", &el)
}

func errInvalidRef(kind, id string) *Fault {
	el := kind + "Ref"
	return validation("2500", "Invalid Reference Id", fmt.Sprintf("Invalid Reference Id : %s %q does not exist", kind, id), &el)
}

func errLength(field string, maxLen, got int) *Fault {
	el := field
	return validation("2050", "String length is either shorter or longer than supported by specification",
		fmt.Sprintf("String length specified does not match the supported length. Min:0 Max:%d supplied length:%d", maxLen, got), &el)
}

func errAmount(supplied float64) *Fault {
	return validation("6070", "Amount is not equal to UnitPrice * Qty",
		"Amount is not equal to UnitPrice * Qty. Supplied value:"+str(supplied), &empty)
}

// errBusiness is the generic 6000 (wording of the Java SDK issue #180 answer for a long request_id).
func errBusiness(detail string) *Fault {
	return validation("6000", "A business validation error has occurred while processing your request",
		"Business Validation Error: "+detail, &empty)
}

func errRequestIDLength(id string, maxLen int) *Fault {
	shown := id
	if len(shown) > 10 {
		shown = shown[:10] + "..."
	}
	return errBusiness(fmt.Sprintf("You cannot enter more than %d characters in the request_id field. You tried entering %s, which is %d characters.", maxLen, shown, len(id)))
}

// errSystem is the answer to an injected HTTP 500: Intuit's SystemFault 10000.
func errSystem() *Fault {
	return &Fault{Status: http.StatusInternalServerError, Type: "SystemFault", Errors: []qbError{{
		Message: "An application error has occurred while processing your request",
		Detail:  "System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.",
		Code:    "10000"}}}
}

// errForbidden answers a token used on another company.
func errForbidden() *Fault {
	return &Fault{Status: http.StatusForbidden, Type: "AuthorizationFault", Errors: []qbError{{
		Message: "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", Code: "3100"}}}
}

// writeFault answers with f as JSON ({"Fault":{…},"time":…}).
func writeFault(w http.ResponseWriter, f *Fault, now time.Time) {
	writeJSON(w, f.Status, struct {
		Fault faultJSON `json:"Fault"`
		Time  string    `json:"time"`
	}{f.wire(), answerTime(now)})
}

// write401 is error/401.yml: the lower-case envelope of Intuit's gateway and a
// Bearer challenge.
func write401(w http.ResponseWriter, token string, now time.Time) {
	detail := "Token expired: " + token
	if token == "" {
		detail = "Token invalid"
	}
	body, _ := json.Marshal(map[string]any{
		"warnings": nil, "intuitObject": nil,
		"fault": map[string]any{"error": []any{map[string]any{
			"message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
			"detail":  detail, "code": "3200", "element": nil}}, "type": "AUTHENTICATION"},
		"report": nil, "queryResponse": nil, "batchItemResponse": []any{}, "attachableResponse": []any{},
		"syncErrorResponse": nil, "requestId": nil, "time": now.UnixMilli(), "status": nil, "cdcresponse": []any{},
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Www-Authenticate", `Bearer realm="Intuit", error="invalid_token"`)
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write(body)
}

// write429 is errors/too_many_requests_error.xml: QuickBooks answers
// throttling in XML even when JSON was asked for.
func write429(w http.ResponseWriter, now time.Time) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusTooManyRequests)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse time="%s" xmlns="http://schema.intuit.com/finance/v3">
  <Fault type="SERVICE">
    <Error code="3001">
      <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
      <Detail>The request limit was reached.  Try again later</Detail>
    </Error>
  </Fault>
</IntuitResponse>
`, answerTime(now))
}
