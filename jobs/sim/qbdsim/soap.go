package qbdsim

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Namespace is the QBWC SOAP namespace ("You must keep the namespace as
// http://developer.intuit.com/", PG p.41).
const Namespace = "http://developer.intuit.com/"

// param is one argument of a QBWC call, in WSDL order.
type param struct {
	name  string
	value string
}

// soapEnvelope builds a request body byte-for-byte like QBWC's .NET client
// (samples/soap/01…08): one line, the method element in the default
// namespace, empty strings as "<name />".
func soapEnvelope(method string, params []param) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><`)
	b.WriteString(method)
	b.WriteString(` xmlns="` + Namespace + `"`)
	if len(params) == 0 {
		b.WriteString(` /></soap:Body></soap:Envelope>`)
		return b.String()
	}
	b.WriteByte('>')
	for _, p := range params {
		if p.value == "" {
			b.WriteString("<" + p.name + " />")
			continue
		}
		b.WriteString("<" + p.name + ">")
		for _, r := range p.value {
			switch r {
			case '&':
				b.WriteString("&amp;")
			case '<':
				b.WriteString("&lt;")
			case '>':
				b.WriteString("&gt;")
			case '\r':
				b.WriteString("&#xD;")
			default:
				b.WriteRune(r)
			}
		}
		b.WriteString("</" + p.name + ">")
	}
	b.WriteString("</" + method + "></soap:Body></soap:Envelope>")
	return b.String()
}

// ErrSOAPFault is wrapped by errors for a SOAP Fault answer.
var ErrSOAPFault = errors.New("qbd: SOAP fault")

// soapResult extracts <method>Result from a SOAP response body: its text
// and, for string arrays (authenticate), its <string> children; a response
// element without a Result (a null string) gives "". Element prefixes are
// ignored, as any SOAP stack may be on the other side.
func soapResult(body io.Reader, method string) (text string, list []string, err error) {
	d := xml.NewDecoder(body)
	want := method + "Result"
	var path []string
	inResult, inFault := false, false
	var cur strings.Builder
	var fault string
	for {
		tok, terr := d.Token()
		if errors.Is(terr, io.EOF) {
			break
		}
		if terr != nil {
			return "", nil, fmt.Errorf("qbd: %s response is not well-formed XML: %w", method, terr)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			switch {
			case t.Name.Local == "Fault":
				inFault = true
			case t.Name.Local == want:
				inResult = true
				cur.Reset()
			case inResult && t.Name.Local == "string":
				cur.Reset()
			}
		case xml.CharData:
			if inResult || inFault {
				cur.Write(t)
			}
		case xml.EndElement:
			name := path[len(path)-1]
			path = path[:len(path)-1]
			switch {
			case inFault && name == "faultstring":
				fault = cur.String()
			case inFault && name == "Fault":
				return "", nil, fmt.Errorf("%w: %s", ErrSOAPFault, strings.TrimSpace(fault))
			case inResult && name == "string":
				list = append(list, cur.String())
				cur.Reset()
			case inResult && name == want:
				if list == nil {
					text = cur.String()
				}
				return text, list, nil
			case name == method+"Response":
				// A null result is sent as an empty response element.
				return "", nil, nil
			}
			if inFault && name != "faultstring" {
				cur.Reset()
			}
		}
	}
	if inFault {
		return "", nil, fmt.Errorf("%w: %s", ErrSOAPFault, strings.TrimSpace(fault))
	}
	return "", nil, fmt.Errorf("qbd: %s response has no %s element", method, want)
}
