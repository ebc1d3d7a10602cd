package qbwc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ledgerlink/ledgerlink/server/qbwc/qbwctest"
)

// xmlChar reports whether r may appear in XML 1.0 text (the Char production).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// renderCall writes c as the Web Connector would send it, independently of ParseCall.
func renderCall(c *Call) string {
	params := make([]string, 0, 2*len(c.Params))
	for k, v := range c.Params {
		params = append(params, k, v)
	}
	return qbwctest.Call(c.Method, params...)
}

// FuzzParseCall feeds ParseCall arbitrary request bodies, seeded with the captured Web Connector
// requests in shared/specs/qbwc/samples/soap. It must never panic; an accepted body names a
// method, has no more parameters than it has elements, and its call survives being sent again
// (re-rendered and re-parsed) unchanged; a body nested deeper than MaxDepth is never accepted.
func FuzzParseCall(f *testing.F) {
	dir := filepath.Join(specsDir(f), "samples", "soap")
	files, _ := filepath.Glob(filepath.Join(dir, "*.request.xml"))
	more, _ := filepath.Glob(filepath.Join(dir, "templates-flowlink", "*"))
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "")
		}
	}
	if len(files) == 0 {
		f.Fatal("no captured requests in " + dir)
	}
	f.Add([]byte(`<Envelope><Body><authenticate><strUserName>u</strUserName><strPassword>p&amp;&lt;</strPassword></authenticate></Body></Envelope>`), `"http://developer.intuit.com/authenticate"`)
	f.Add([]byte(strings.Repeat("<a>", MaxDepth+1)), "")
	f.Fuzz(func(t *testing.T, body []byte, action string) {
		c, err := ParseCall(bytes.NewReader(body), action)
		if err != nil {
			if c != nil {
				t.Fatalf("error %v with a call %+v", err, c)
			}
			return
		}
		if c.Method == "" {
			t.Fatalf("accepted a call without a method: %q", body)
		}
		if opens := bytes.Count(body, []byte("<")); len(c.Params) > opens {
			t.Fatalf("%d parameters from %d elements", len(c.Params), opens)
		}
		if depth := maxDepth(body); depth > MaxDepth && !errors.Is(err, ErrTooDeep) {
			// maxDepth only counts well-formed nesting; it is a lower bound of what ParseCall saw.
			t.Fatalf("accepted a body nested %d deep", depth)
		}
		for _, v := range c.Params {
			if !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return !xmlChar(r) }) >= 0 {
				return // not representable in XML text as is: no round trip to check
			}
		}
		again, err := ParseCall(strings.NewReader(renderCall(c)), "")
		if err != nil {
			t.Fatalf("re-parsing %+v: %v", c, err)
		}
		if again.Method != c.Method || len(again.Params) != len(c.Params) {
			t.Fatalf("round trip changed the call: %+v → %+v", c, again)
		}
		for k, v := range c.Params {
			if again.Params[k] != v {
				t.Fatalf("round trip changed %s: %q → %q", k, v, again.Params[k])
			}
		}
	})
}

// maxDepth is the deepest element nesting of a well-formed prefix of body, by a plain
// encoding/xml token walk independent of ParseCall.
func maxDepth(body []byte) int {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth, deepest := 0, 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return deepest
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			deepest = max(deepest, depth)
		case xml.EndElement:
			depth--
		}
	}
}
