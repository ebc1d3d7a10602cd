package qbdsim

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// node is one element of a qbXML document: requests are parsed into nodes,
// stored records keep their pass-through fields as nodes, and responses are
// built as nodes and serialised with writeNode. Fields are exported only so
// that encoding/json can persist them (see Company.Save).
type node struct {
	Name     string  `json:"n"`
	Attrs    []attr  `json:"a,omitempty"`
	Text     string  `json:"t,omitempty"`
	Children []*node `json:"c,omitempty"`
}

type attr struct {
	Name  string `json:"n"`
	Value string `json:"v"`
}

// errLatin1 reports a character QuickBooks' request processor does not accept.
var errLatin1 = errors.New("character outside ISO-8859-1")

// el builds an element with children.
func el(name string, children ...*node) *node {
	n := &node{Name: name}
	for _, c := range children {
		if c != nil {
			n.Children = append(n.Children, c)
		}
	}
	return n
}

// leaf builds a text element.
func leaf(name, text string) *node { return &node{Name: name, Text: text} }

// child returns the first child called name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// all returns every child called name.
func (n *node) all(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// text returns the text of the first child called name ("" when absent).
func (n *node) text(name string) string {
	if c := n.child(name); c != nil {
		return c.Text
	}
	return ""
}

// has reports whether a child called name exists.
func (n *node) has(name string) bool { return n.child(name) != nil }

// attr returns the value of attribute name and whether it is present.
func (n *node) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) setAttr(name, value string) {
	for i := range n.Attrs {
		if n.Attrs[i].Name == name {
			n.Attrs[i].Value = value
			return
		}
	}
	n.Attrs = append(n.Attrs, attr{name, value})
}

// clone deep-copies n.
func (n *node) clone() *node {
	if n == nil {
		return nil
	}
	c := &node{Name: n.Name, Text: n.Text}
	c.Attrs = append([]attr(nil), n.Attrs...)
	for _, ch := range n.Children {
		c.Children = append(c.Children, ch.clone())
	}
	return c
}

// parsedDoc is a qbXML request document.
type parsedDoc struct {
	version string // from <?qbxml version="…"?>, "" when absent
	root    *node
}

// parseQBXML parses a request message the way QuickBooks' request processor
// accepts it: well-formed XML whose characters are all within ISO-8859-1. Any
// character above U+00FF written literally is rejected with errLatin1;
// characters written as character references are accepted here and later
// stored as "?" (see sanitizeLatin1).
func parseQBXML(msg string) (*parsedDoc, error) {
	for i, r := range msg {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(msg[i:]); size == 1 {
				return nil, fmt.Errorf("byte %d: invalid UTF-8: %w", i, errLatin1)
			}
		}
		if r > 0xFF {
			return nil, fmt.Errorf("byte %d: %U: %w", i, r, errLatin1)
		}
	}
	d := xml.NewDecoder(strings.NewReader(msg))
	d.Strict = true
	// The message is already a Unicode string (QBWC hands QuickBooks a
	// string); an encoding="ISO-8859-1" declaration changes nothing.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	doc := &parsedDoc{}
	var stack []*node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target == "qbxml" && doc.root == nil && len(stack) == 0 {
				doc.version = piVersion(string(t.Inst))
			}
		case xml.StartElement:
			n := &node{Name: t.Name.Local}
			for _, a := range t.Attr {
				n.Attrs = append(n.Attrs, attr{a.Name.Local, a.Value})
			}
			if len(stack) == 0 {
				if doc.root != nil {
					return nil, errors.New("more than one root element")
				}
				doc.root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			n := stack[len(stack)-1]
			if len(n.Children) > 0 {
				n.Text = ""
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			} else if strings.TrimSpace(string(t)) != "" {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if doc.root == nil {
		return nil, errors.New("no root element")
	}
	return doc, nil
}

// piVersion extracts version="X" from a processing instruction body.
func piVersion(inst string) string {
	i := strings.Index(inst, "version")
	if i < 0 {
		return ""
	}
	rest := strings.TrimSpace(inst[i+len("version"):])
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimSpace(rest[1:])
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	end := strings.IndexByte(rest[1:], q)
	if end < 0 {
		return ""
	}
	return rest[1 : 1+end]
}

// latin1 replaces every character above U+00FF (which can only have
// arrived as a character reference) with "?", as QuickBooks stores them.
func latin1(s string) string {
	for _, r := range s {
		if r > 0xFF {
			return strings.Map(func(r rune) rune {
				if r > 0xFF {
					return '?'
				}
				return r
			}, s)
		}
	}
	return s
}

// writeNode serialises n in QuickBooks' response layout: one element per
// line, no indentation, leaves inline, empty elements as "<X ... />".
func writeNode(b *strings.Builder, n *node) {
	b.WriteByte('<')
	b.WriteString(n.Name)
	for _, a := range n.Attrs {
		b.WriteByte(' ')
		b.WriteString(a.Name)
		b.WriteString(`="`)
		escapeAttr(b, a.Value)
		b.WriteByte('"')
	}
	switch {
	case len(n.Children) > 0:
		b.WriteString(">\n")
		for _, c := range n.Children {
			writeNode(b, c)
		}
		b.WriteString("</")
		b.WriteString(n.Name)
		b.WriteString(">\n")
	case n.Text != "":
		b.WriteByte('>')
		escapeText(b, n.Text)
		b.WriteString("</")
		b.WriteString(n.Name)
		b.WriteString(">\n")
	default:
		b.WriteString(" />\n")
	}
}

func escapeText(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
}

func escapeAttr(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}
