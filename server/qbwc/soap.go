package qbwc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Namespace is the Web Connector's SOAP namespace; QBWC insists on it.
const Namespace = "http://developer.intuit.com/"

const envelopeNS = "http://schemas.xmlsoap.org/soap/envelope/"

// Methods the Web Connector calls, as named in the WSDL.
const (
	MethodServerVersion      = "serverVersion"
	MethodClientVersion      = "clientVersion"
	MethodAuthenticate       = "authenticate"
	MethodSendRequestXML     = "sendRequestXML"
	MethodReceiveResponseXML = "receiveResponseXML"
	MethodGetLastError       = "getLastError"
	MethodConnectionError    = "connectionError"
	MethodCloseConnection    = "closeConnection"
	MethodGetInteractiveURL  = "getInteractiveURL"
)

// Call is one parsed SOAP request: the method and its string parameters by local name.
type Call struct {
	Method string
	Params map[string]string
}

// Param returns a parameter's value, "" when absent or empty (<hresult />).
func (c *Call) Param(name string) string { return c.Params[name] }

var errNoBody = errors.New("qbwc: SOAP envelope has no Body element")

// MaxDepth is how deeply a SOAP request's elements may nest. A Web Connector call is
// Envelope > Body > method > parameter (4 levels; qbXML travels escaped inside a parameter, not
// as elements), so 32 leaves room for headers while refusing nesting bombs before the decoder's
// per-element state grows with them.
const MaxDepth = 32

// ErrTooDeep is returned by ParseCall for a request nested more than MaxDepth elements deep.
var ErrTooDeep = fmt.Errorf("qbwc: SOAP request nests elements more than %d deep", MaxDepth)

// ParseCall reads a SOAP 1.1 request leniently: any namespace prefixes, whitespace, empty
// elements. The method is the first element inside Body; when soapAction names a method and the
// body disagrees, the body wins (it is what the WSDL binds the parameters to). It stops with
// ErrTooDeep at the first element nested deeper than MaxDepth, reading no further.
func ParseCall(r io.Reader, soapAction string) (*Call, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	depth, bodyDepth := 0, -1
	var call *Call
	var field string
	var text strings.Builder // String() hands over its bytes: no second copy of a large response
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("qbwc: malformed SOAP request: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxDepth {
				return nil, ErrTooDeep
			}
			switch {
			case bodyDepth < 0 && t.Name.Local == "Body":
				bodyDepth = depth
			case bodyDepth > 0 && depth == bodyDepth+1 && call == nil:
				call = &Call{Method: t.Name.Local, Params: map[string]string{}}
			case call != nil && depth == bodyDepth+2:
				field = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if field != "" {
				text.Write(t)
			}
		case xml.EndElement:
			if call != nil && depth == bodyDepth+2 && field != "" {
				call.Params[field] = text.String()
				field = ""
			}
			depth--
		}
	}
	if call == nil {
		if action := actionMethod(soapAction); action != "" {
			return nil, fmt.Errorf("qbwc: %s request: %w", action, errNoBody)
		}
		return nil, errNoBody
	}
	return call, nil
}

// actionMethod extracts the method from a SOAPAction header such as
// "http://developer.intuit.com/authenticate" (quotes included).
func actionMethod(h string) string {
	h = strings.Trim(strings.TrimSpace(h), `"`)
	if i := strings.LastIndex(h, "/"); i >= 0 {
		return h[i+1:]
	}
	return h
}

// writeResponse renders <methodResponse><methodResult>…</methodResult></methodResponse> in the
// Web Connector namespace. result is a string, an int or a []string (ArrayOfString).
func writeResponse(w io.Writer, method string, result any) error {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>`)
	b.WriteString(`<soap:Envelope xmlns:soap="` + envelopeNS + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`)
	b.WriteString(`<soap:Body><` + method + `Response xmlns="` + Namespace + `"><` + method + `Result>`)
	switch v := result.(type) {
	case string:
		_ = xml.EscapeText(&b, []byte(v)) // a bytes.Buffer does not fail
	case int:
		b.WriteString(strconv.Itoa(v))
	case []string:
		for _, s := range v {
			b.WriteString("<string>")
			_ = xml.EscapeText(&b, []byte(s))
			b.WriteString("</string>")
		}
	default:
		return fmt.Errorf("qbwc: unsupported result type %T", result)
	}
	b.WriteString(`</` + method + `Result></` + method + `Response></soap:Body></soap:Envelope>`)
	_, err := w.Write(b.Bytes())
	return err
}

// writeFault renders a SOAP 1.1 Fault. QBWC shows faultstring to the user.
func writeFault(w io.Writer, code, msg string) error {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="` + envelopeNS + `"><soap:Body><soap:Fault><faultcode>soap:` + code + `</faultcode><faultstring>`)
	_ = xml.EscapeText(&b, []byte(msg)) // a bytes.Buffer does not fail
	b.WriteString(`</faultstring></soap:Fault></soap:Body></soap:Envelope>`)
	_, err := w.Write(b.Bytes())
	return err
}
