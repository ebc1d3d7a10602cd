package qbxml

import (
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseResponse feeds receiveResponseXML arguments to ParseReceiveResponse (and the
// response alone to ParseResponse). Seeds are every response in shared/specs/qbwc/samples:
// captures from real QuickBooks, the SDK's templates and the SOAP captures. Properties:
//   - a failure is an error wrapping ErrMalformedResponse and no result;
//   - an hresult is accepted exactly when it is 32-bit hexadecimal, and then is carried with
//     its value and QBWC's message, and no responses;
//   - every string in a parsed result is valid UTF-8 (bytes that are not UTF-8 are read as
//     Latin-1), every Amount has at most 13 integer digits, every Quantity and Price at most
//     10, each formats and parses back to itself, every Date is a real day or unset;
//   - every response has a status, is found by its requestID, and every item names its type;
//   - a document of only Latin-1 characters parses the same sent as Latin-1 bytes.
func FuzzParseResponse(f *testing.F) {
	dir := filepath.Join(specsDir(f), "qbwc", "samples")
	var names [][2]string
	for _, pattern := range []string{"qbxml/*Rs*.xml", "qbxml/*.response.xml", "qbxml/osr-13.0/*Rs.xml", "soap/*receiveResponseXML.request*.xml"} {
		matches, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil || len(matches) == 0 {
			f.Fatalf("no samples match %s: %v", pattern, err)
		}
		for _, m := range matches {
			rel, _ := filepath.Rel(dir, m)
			names = append(names, [2]string{filepath.Dir(rel), filepath.Base(rel)})
		}
	}
	for _, n := range names {
		response, hresult, message := loadSample(f, n[0], n[1])
		if !strings.Contains(response, "<QBXML") {
			// The SDK's osr templates are a bare *Rs element with type names for values.
			response = "<QBXML><QBXMLMsgsRs>" + response + "</QBXMLMsgsRs></QBXML>"
		}
		f.Add([]byte(response), hresult, message)
	}
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode=\"0\"><CustomerRet><Name>Caf\xe9 M\xfcller</Name><Balance>-12.5</Balance></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"), "", "")
	f.Add([]byte{}, "0x80040400", "QuickBooks found an error when parsing the provided XML text stream.")
	f.Fuzz(func(t *testing.T, response []byte, hresult, message string) {
		m, err := ParseReceiveResponse(string(response), hresult, message)
		if err != nil {
			if m != nil || !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("ParseReceiveResponse = %+v, %v: want nil and an error wrapping ErrMalformedResponse", m, err)
			}
		}
		if strings.TrimSpace(hresult) != "" {
			if err != nil {
				if isHex32(strings.TrimSpace(hresult)) {
					t.Fatalf("hresult %q refused: %v", hresult, err)
				}
				return
			}
			want, _ := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(hresult)), "0x"), 16, 64)
			if m.HResult != strings.TrimSpace(hresult) || uint64(uint32(m.HResultCode)) != want || len(m.Responses) != 0 || m.Message != message {
				t.Fatalf("hresult %q gave %+v", hresult, m)
			}
			return
		}
		m2, err2 := ParseResponse(response)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(m, m2) {
			t.Fatalf("ParseResponse and ParseReceiveResponse disagree: %+v, %v / %+v, %v", m2, err2, m, err)
		}
		if err != nil {
			return
		}
		checkParsed(t, m)
		if latin1, ok := latin1Bytes(response); ok && !utf8.Valid(latin1) {
			m3, err := ParseResponse(latin1)
			if err != nil || !reflect.DeepEqual(m, m3) {
				t.Fatalf("the same document in Latin-1 parsed as %+v, %v; want %+v", m3, err, m)
			}
		}
	})
}

// checkParsed asserts the invariants of a successfully parsed message set.
func checkParsed(t *testing.T, m *MsgSetResponse) {
	t.Helper()
	if m.HResult != "" || m.HResultCode != 0 {
		t.Fatalf("a parsed document carries hresult %q", m.HResult)
	}
	for _, rs := range m.Responses {
		if rs.Name == "" {
			t.Fatal("response without an element name")
		}
		if got, err := byRequestID(m, rs.RequestID); err != nil || got.RequestID != rs.RequestID {
			t.Fatalf("byRequestID(%q) = %v, %v", rs.RequestID, got, err)
		}
		_ = rs.Class() // any status code classifies
		for _, it := range rs.Items {
			if !itemRets[it.Type+"Ret"] {
				t.Fatalf("item of unknown type %q", it.Type)
			}
		}
	}
	walkValues(t, "MsgSetResponse", reflect.ValueOf(m))
}

// maxFixed bounds the qbXML fixed-point types: AMTTYPE has at most 13 integer digits and 2
// decimals, QUANTYPE and PRICETYPE at most 10 and 5: both below 10^15 in their units.
const maxFixed = 1_000_000_000_000_000

var (
	amountType   = reflect.TypeFor[Amount]()
	quantityType = reflect.TypeFor[Quantity]()
	priceType    = reflect.TypeFor[Price]()
	dateType     = reflect.TypeFor[Date]()
)

// walkValues checks every string, number and date reachable from v.
func walkValues(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	switch v.Type() {
	case amountType, quantityType, priceType:
		n := v.Int()
		if n <= -maxFixed || n >= maxFixed {
			t.Fatalf("%s = %d is beyond the qbXML type's digits", path, n)
		}
		var back any
		var err error
		switch x := v.Interface().(type) {
		case Amount:
			back, err = ParseAmount(x.String())
		case Quantity:
			back, err = ParseQuantity(x.String())
		case Price:
			back, err = ParsePrice(x.String())
		}
		if err != nil || back != v.Interface() {
			t.Fatalf("%s = %v does not parse back from its text: %v, %v", path, v.Interface(), back, err)
		}
		return
	case dateType:
		if d := v.Interface().(Date); !d.IsZero() && !d.valid() {
			t.Fatalf("%s = %+v is not a real day", path, d)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkValues(t, path, v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkValues(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkValues(t, path+"[]", v.Index(i))
		}
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			t.Fatalf("%s = %q is not valid UTF-8", path, v.String())
		}
	}
}

// latin1Bytes encodes UTF-8 b as ISO-8859-1, when every character fits.
func latin1Bytes(b []byte) ([]byte, bool) {
	if !utf8.Valid(b) {
		return nil, false
	}
	out := make([]byte, 0, len(b))
	for _, r := range string(b) {
		if r > 0xFF {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}

func isHex32(s string) bool {
	h := strings.TrimPrefix(strings.ToLower(s), "0x")
	if h == "" || len(strings.TrimLeft(h, "0")) > 8 {
		return false
	}
	for _, c := range h {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}
