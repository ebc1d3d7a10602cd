package qbxml

import (
	"fmt"
	"regexp"
	"strings"
)

// encoder writes one request element in schema order. Each request type's
// encode method lists its elements in the order of the XSD sequence; the
// helpers below omit empty optional values, transliterate and truncate text,
// record Adjustments and keep the first error.
type encoder struct {
	b         strings.Builder
	reqID     string
	rq        string   // request element name
	path      []string // labels of the open elements below the *Rq element
	openNames []string // names of the open elements, for the end tags
	attrsOpen bool     // the *Rq start tag still accepts attributes
	adj       []Adjustment
	err       error
}

// attr adds an attribute to the *Rq start tag; only valid before any child.
func (e *encoder) attr(name, value string) {
	if !e.attrsOpen {
		panic("qbxml: attribute after content") // programming error in this package
	}
	writeAttr(&e.b, name, value)
}

func (e *encoder) closeAttrs() {
	if e.attrsOpen {
		e.b.WriteByte('>')
		e.attrsOpen = false
	}
}

func (e *encoder) field(name string) string {
	return strings.Join(append(append([]string(nil), e.path...), name), "/")
}

// fail records a problem with element name (relative to the open path).
func (e *encoder) fail(name, format string, args ...any) {
	if e.err != nil {
		return
	}
	e.err = &RequestError{RequestID: e.reqID, Element: e.rq, Field: e.field(name), Problem: fmt.Sprintf(format, args...)}
}

// open starts element name; label (default name) is how it appears in paths,
// e.g. "SalesReceiptLineAdd[2]".
func (e *encoder) open(name string, label ...string) {
	e.closeAttrs()
	e.b.WriteString("<" + name + ">")
	l := name
	if len(label) > 0 {
		l = label[0]
	}
	e.path = append(e.path, l)
	e.openNames = append(e.openNames, name)
}

func (e *encoder) close() {
	n := len(e.openNames) - 1
	e.b.WriteString("</" + e.openNames[n] + ">")
	e.openNames = e.openNames[:n]
	e.path = e.path[:len(e.path)-1]
}

// raw writes <name>value</name>, escaping value. value must already be
// Latin-1 text from prepText or a checked ASCII token (ID, number, enum).
func (e *encoder) raw(name, value string) {
	e.closeAttrs()
	e.b.WriteString("<" + name + ">")
	escapeText(&e.b, value)
	e.b.WriteString("</" + name + ">")
}

// textMode says how a text value is normalised.
type textMode int

const (
	singleLine textMode = iota // newlines become spaces; cut at the end
	multiLine                  // newlines kept; cut at the end
	keepTail                   // single line; an over-long value keeps its last characters
)

// prepText transliterates and truncates v for element name, recording
// adjustments. It returns "" when nothing is left.
func (e *encoder) prepText(name, v string, max int, mode textMode) string {
	if v == "" {
		return ""
	}
	field := e.field(name)
	s, lossy := toLatin1(v, mode == multiLine)
	if lossy {
		e.adj = append(e.adj, Adjustment{RequestID: e.reqID, Field: field, From: v, To: s, Reason: Transliterated})
	}
	truncate := truncateRunes
	if mode == keepTail {
		truncate = truncateRunesKeepTail
	}
	if t, cut := truncate(s, max); cut {
		e.adj = append(e.adj, Adjustment{RequestID: e.reqID, Field: field, From: s, To: t, Reason: Truncated, Limit: max})
		s = t
	}
	return s
}

// str writes an optional single-line text element.
func (e *encoder) str(name, v string, max int) {
	if s := e.prepText(name, v, max, singleLine); s != "" {
		e.raw(name, s)
	}
}

// refNumber writes an optional RefNumber. An over-long one keeps its last max
// characters: order numbers share prefixes ("SHOP-2026-000123456") and differ
// at the end, so the tail keeps them apart in QuickBooks.
func (e *encoder) refNumber(name, v string, max int) {
	if s := e.prepText(name, v, max, keepTail); s != "" {
		e.raw(name, s)
	}
}

// text writes an optional multi-line text element (Memo, Desc, Notes).
func (e *encoder) text(name, v string, max int) {
	if s := e.prepText(name, v, max, multiLine); s != "" {
		e.raw(name, s)
	}
}

// reqStr writes a required single-line text element.
func (e *encoder) reqStr(name, v string, max int) {
	s := e.prepText(name, v, max, singleLine)
	if s == "" {
		if v == "" {
			e.fail(name, "required")
		} else {
			e.fail(name, "%q has no characters QuickBooks can store", v)
		}
		return
	}
	e.raw(name, s)
}

// id writes an identifier (ListID, TxnID, TxnLineID, EditSequence): never
// transliterated or truncated, only checked.
func (e *encoder) id(name, v string, max int) {
	if v == "" {
		return
	}
	if !printableASCII(v) || len(v) > max {
		e.fail(name, "%q is not a QuickBooks ID (printable ASCII, at most %d characters)", v, max)
		return
	}
	e.raw(name, v)
}

func (e *encoder) requiredID(name, v string, max int) {
	if v == "" {
		e.fail(name, "required")
		return
	}
	e.id(name, v, max)
}

// ids writes one element per ID (the repeatable ListID/TxnID filters).
func (e *encoder) ids(name string, vs []string) {
	for _, v := range vs {
		if v == "" {
			e.fail(name, "empty ID in list")
			return
		}
		e.id(name, v, MaxID)
	}
}

// strs writes one element per value (the repeatable FullName/RefNumber
// filters), normalised like the corresponding Add field (mode) so a lookup
// matches what this package created.
func (e *encoder) strs(name string, vs []string, max int, mode textMode) {
	for _, v := range vs {
		s := e.prepText(name, v, max, mode)
		if s == "" {
			e.fail(name, "empty value in list")
			return
		}
		e.raw(name, s)
	}
}

// ref writes an optional list reference with the FullName limit max.
func (e *encoder) ref(name string, r Ref, max int) {
	if r.IsZero() {
		return
	}
	e.open(name)
	e.id("ListID", r.ListID, MaxID)
	e.str("FullName", r.FullName, max)
	e.close()
}

func (e *encoder) reqRef(name string, r Ref, max int) {
	if r.IsZero() {
		e.fail(name, "required (ListID or FullName)")
		return
	}
	e.ref(name, r, max)
}

// address writes an optional address block.
func (e *encoder) address(name string, a *Address) {
	if a == nil || *a == (Address{}) {
		return
	}
	e.open(name)
	e.str("Addr1", a.Addr1, MaxAddrLine)
	e.str("Addr2", a.Addr2, MaxAddrLine)
	e.str("Addr3", a.Addr3, MaxAddrLine)
	e.str("Addr4", a.Addr4, MaxAddrLine)
	e.str("Addr5", a.Addr5, MaxAddrLine)
	e.str("City", a.City, MaxCity)
	e.str("State", a.State, MaxState)
	e.str("PostalCode", a.PostalCode, MaxPostalCode)
	e.str("Country", a.Country, MaxCountry)
	e.str("Note", a.Note, MaxAddrNote)
	e.close()
}

func (e *encoder) boolp(name string, v *bool) {
	if v == nil {
		return
	}
	if *v {
		e.raw(name, "true")
	} else {
		e.raw(name, "false")
	}
}

// amount writes an optional AMTTYPE (at most 13 integer digits).
func (e *encoder) amount(name string, v *Amount) { writeFixed(e, name, v, ParseAmount, "amounts") }

// price writes an optional PRICETYPE (at most 10 integer digits).
func (e *encoder) price(name string, v *Price) { writeFixed(e, name, v, ParsePrice, "prices") }

// quantity writes an optional QUANTYPE (at most 10 integer digits).
func (e *encoder) quantity(name string, v *Quantity) {
	writeFixed(e, name, v, ParseQuantity, "quantities")
}

// writeFixed writes an optional fixed-point value, failing when parse (the
// type's own range check) rejects its text; what names the type in the error.
func writeFixed[T interface{ String() string }](e *encoder, name string, v *T, parse func(string) (T, error), what string) {
	if v == nil {
		return
	}
	s := (*v).String()
	if _, err := parse(s); err != nil {
		e.fail(name, "%s is out of range for QuickBooks %s", s, what)
		return
	}
	e.raw(name, s)
}

func (e *encoder) date(name string, d Date) {
	if d.IsZero() {
		return
	}
	if !d.valid() {
		e.fail(name, "%s is not a valid date", d)
		return
	}
	e.raw(name, d.String())
}

func (e *encoder) dateTime(name string, d DateTime) {
	if d == "" {
		return
	}
	if !d.Valid() {
		e.fail(name, "%q is not a qbXML date-time (use DateTimeOf; no Z, no fractional seconds)", string(d))
		return
	}
	e.raw(name, string(d))
}

func (e *encoder) maxReturned(n int) {
	if n < 0 {
		e.fail("MaxReturned", "must be positive, got %d", n)
		return
	}
	if n > 0 {
		e.raw("MaxReturned", fmt.Sprint(n))
	}
}

var guidPattern = regexp.MustCompile(`^\{?([0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})\}?$`)

// guid writes an optional GUIDTYPE, adding the braces QuickBooks requires.
func (e *encoder) guid(name, v string) {
	if v == "" {
		return
	}
	m := guidPattern.FindStringSubmatch(v)
	if m == nil || (strings.HasPrefix(v, "{") != strings.HasSuffix(v, "}")) {
		e.fail(name, "%q is not a GUID like {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}", v)
		return
	}
	e.raw(name, "{"+m[1]+"}")
}

// includeRet writes IncludeRetElement names (element names: ASCII letters and
// digits, at most 50).
func (e *encoder) includeRet(names []string) {
	for _, n := range names {
		ok := n != "" && len(n) <= MaxIncludeRetElement
		for _, c := range n {
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				ok = false
			}
		}
		if !ok {
			e.fail("IncludeRetElement", "%q is not an element name", n)
			return
		}
		e.raw("IncludeRetElement", n)
	}
}

// iterator adds the iterator attributes of a query.
func (e *encoder) iterator(mode IteratorMode, id string) {
	switch mode {
	case "":
		if id != "" {
			e.fail("@iteratorID", "set without iterator")
		}
		return
	case IteratorStart:
		if id != "" {
			e.fail("@iteratorID", "must be empty with iterator=Start")
			return
		}
	case IteratorContinue, IteratorStop:
		if id == "" || !printableASCII(id) {
			e.fail("@iteratorID", "required with iterator=%s (printable ASCII)", mode)
			return
		}
	default:
		e.fail("@iterator", "unknown iterator mode %q", mode)
		return
	}
	e.attr("iterator", string(mode))
	e.attr("iteratorID", id)
}

// notAllowed fails when a field the element does not have was set.
func (e *encoder) notAllowed(name string, set bool, where string) {
	if set {
		e.fail(name, "not allowed in %s", where)
	}
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}
