// Package qbwctest speaks the Web Connector's side of the qbwc SOAP route for tests: it writes
// a call as the Web Connector sends it and reads the route's answer, independently of the
// route's own parser (see ../README.md for the wire contract).
package qbwctest

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// Call returns the SOAP request the Web Connector sends for method with params, given as
// name, value pairs in order; a parameter with an empty value is an empty element, as the
// Web Connector writes it.
func Call(method string, params ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>`)
	b.WriteString(`<` + method + ` xmlns="http://developer.intuit.com/">`)
	for i := 0; i+1 < len(params); i += 2 {
		if params[i+1] == "" {
			b.WriteString("<" + params[i] + " />")
			continue
		}
		b.WriteString("<" + params[i] + ">")
		_ = xml.EscapeText(&b, []byte(params[i+1]))
		b.WriteString("</" + params[i] + ">")
	}
	b.WriteString(`</` + method + `></soap:Body></soap:Envelope>`)
	return b.String()
}

// Result reads the route's answer to a call: the result element's text (a scalar result) and
// its string elements (an array result).
func Result(body []byte) (text string, strs []string, err error) {
	var env struct {
		Body struct {
			Inner struct {
				Result struct {
					Text    string   `xml:",chardata"`
					Strings []string `xml:"string"`
				} `xml:",any"`
			} `xml:",any"`
		}
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		return "", nil, fmt.Errorf("qbwctest: not a SOAP answer: %w", err)
	}
	return env.Body.Inner.Result.Text, env.Body.Inner.Result.Strings, nil
}
