package shopifysim

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a GraphQL executable-document parser (operations, variables,
// fields with aliases and arguments, fragments, inline fragments,
// directives) following the October 2021 GraphQL specification. It does not
// parse type-system definitions, which clients never send.

type pos struct{ line, col int }

type tokKind int

const (
	tokEOF tokKind = iota
	tokPunct
	tokName
	tokInt
	tokFloat
	tokString
)

type token struct {
	kind tokKind
	val  string // punctuator, name, number text or decoded string
	pos  pos
}

// parseError is a syntax error with the location graphql-ruby reports.
type parseError struct {
	msg string
	pos pos
}

func (e *parseError) Error() string { return e.msg }

type lexer struct {
	src       string
	i         int
	line, col int
}

func (l *lexer) errf(p pos, format string, args ...any) error {
	return &parseError{msg: fmt.Sprintf(format, args...), pos: p}
}

func (l *lexer) advance(n int) {
	for k := 0; k < n && l.i < len(l.src); k++ {
		if l.src[l.i] == '\n' {
			l.line++
			l.col = 1
		} else if l.src[l.i] < 0x80 || l.src[l.i] >= 0xC0 {
			l.col++
		}
		l.i++
	}
}

func (l *lexer) next() (token, error) {
	// Skip ignored tokens: whitespace, commas, comments, BOM.
	for l.i < len(l.src) {
		c := l.src[l.i]
		switch {
		case c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r':
			l.advance(1)
		case c == '#':
			for l.i < len(l.src) && l.src[l.i] != '\n' {
				l.advance(1)
			}
		case strings.HasPrefix(l.src[l.i:], "\uFEFF"):
			l.i += 3
		default:
			goto tok
		}
	}
tok:
	p := pos{l.line, l.col}
	if l.i >= len(l.src) {
		return token{kind: tokEOF, pos: p}, nil
	}
	c := l.src[l.i]
	switch {
	case strings.HasPrefix(l.src[l.i:], "..."):
		l.advance(3)
		return token{kind: tokPunct, val: "...", pos: p}, nil
	case strings.ContainsRune("!$&():=@[]{}|", rune(c)):
		l.advance(1)
		return token{kind: tokPunct, val: string(c), pos: p}, nil
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		start := l.i
		for l.i < len(l.src) && isNameChar(l.src[l.i]) {
			l.advance(1)
		}
		return token{kind: tokName, val: l.src[start:l.i], pos: p}, nil
	case c == '-' || c >= '0' && c <= '9':
		return l.number(p)
	case c == '"':
		if strings.HasPrefix(l.src[l.i:], `"""`) {
			return l.blockString(p)
		}
		return l.str(p)
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.i:])
	return token{}, l.errf(p, "Parse error on %q (error) at [%d, %d]", string(r), p.line, p.col)
}

func isNameChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (l *lexer) number(p pos) (token, error) {
	start := l.i
	float := false
	if l.src[l.i] == '-' {
		l.advance(1)
	}
	digits := func() int {
		n := 0
		for l.i < len(l.src) && l.src[l.i] >= '0' && l.src[l.i] <= '9' {
			l.advance(1)
			n++
		}
		return n
	}
	if digits() == 0 {
		return token{}, l.errf(p, "Parse error on %q (error) at [%d, %d]", l.src[start:l.i], p.line, p.col)
	}
	if l.i < len(l.src) && l.src[l.i] == '.' {
		float = true
		l.advance(1)
		if digits() == 0 {
			return token{}, l.errf(p, "Parse error on %q (error) at [%d, %d]", l.src[start:l.i], p.line, p.col)
		}
	}
	if l.i < len(l.src) && (l.src[l.i] == 'e' || l.src[l.i] == 'E') {
		float = true
		l.advance(1)
		if l.i < len(l.src) && (l.src[l.i] == '+' || l.src[l.i] == '-') {
			l.advance(1)
		}
		if digits() == 0 {
			return token{}, l.errf(p, "Parse error on %q (error) at [%d, %d]", l.src[start:l.i], p.line, p.col)
		}
	}
	k := tokInt
	if float {
		k = tokFloat
	}
	return token{kind: k, val: l.src[start:l.i], pos: p}, nil
}

func (l *lexer) str(p pos) (token, error) {
	l.advance(1)
	var b strings.Builder
	for {
		if l.i >= len(l.src) || l.src[l.i] == '\n' {
			return token{}, l.errf(p, "Parse error on unterminated string at [%d, %d]", p.line, p.col)
		}
		c := l.src[l.i]
		if c == '"' {
			l.advance(1)
			return token{kind: tokString, val: b.String(), pos: p}, nil
		}
		if c != '\\' {
			r, size := utf8.DecodeRuneInString(l.src[l.i:])
			b.WriteRune(r)
			l.advance(size)
			continue
		}
		if l.i+1 >= len(l.src) {
			return token{}, l.errf(p, "Parse error on bad escape at [%d, %d]", l.line, l.col)
		}
		e := l.src[l.i+1]
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if l.i+6 > len(l.src) {
				return token{}, l.errf(p, "Parse error on bad unicode escape at [%d, %d]", l.line, l.col)
			}
			n, err := strconv.ParseUint(l.src[l.i+2:l.i+6], 16, 32)
			if err != nil {
				return token{}, l.errf(p, "Parse error on bad unicode escape at [%d, %d]", l.line, l.col)
			}
			r := rune(n)
			l.advance(6)
			// Surrogate pairs, as JSON-encoding clients send for emoji.
			if r >= 0xD800 && r < 0xDC00 && strings.HasPrefix(l.src[l.i:], `\u`) && l.i+6 <= len(l.src) {
				if lo, err := strconv.ParseUint(l.src[l.i+2:l.i+6], 16, 32); err == nil && lo >= 0xDC00 && lo < 0xE000 {
					r = (r-0xD800)<<10 + (rune(lo) - 0xDC00) + 0x10000
					l.advance(6)
				}
			}
			b.WriteRune(r)
			continue
		default:
			return token{}, l.errf(p, "Parse error on bad escape \\%c at [%d, %d]", e, l.line, l.col)
		}
		l.advance(2)
	}
}

func (l *lexer) blockString(p pos) (token, error) {
	l.advance(3)
	var raw strings.Builder
	for {
		if l.i >= len(l.src) {
			return token{}, l.errf(p, "Parse error on unterminated string at [%d, %d]", p.line, p.col)
		}
		if strings.HasPrefix(l.src[l.i:], `"""`) {
			l.advance(3)
			return token{kind: tokString, val: blockStringValue(raw.String()), pos: p}, nil
		}
		if strings.HasPrefix(l.src[l.i:], `\"""`) {
			raw.WriteString(`"""`)
			l.advance(4)
			continue
		}
		raw.WriteByte(l.src[l.i])
		l.advance(1)
	}
}

// blockStringValue implements the spec's BlockStringValue: common
// indentation and leading/trailing blank lines are removed.
func blockStringValue(raw string) string {
	lines := strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n")
	common := -1
	for i, ln := range lines {
		if i == 0 {
			continue
		}
		ind := len(ln) - len(strings.TrimLeft(ln, " \t"))
		if ind < len(ln) && (common < 0 || ind < common) {
			common = ind
		}
	}
	if common > 0 {
		for i := 1; i < len(lines); i++ {
			if len(lines[i]) >= common {
				lines[i] = lines[i][common:]
			} else {
				lines[i] = strings.TrimLeft(lines[i], " \t")
			}
		}
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// AST.

type document struct {
	ops   []*operation
	frags map[string]*fragmentDef
}

type operation struct {
	kind string // query or mutation (subscription is parsed and refused)
	name string
	vars []*varDef
	dirs []*directive
	sel  []selection
	pos  pos
}

type varDef struct {
	name   string
	typ    *typeRef
	def    *value
	pos    pos
	rawTyp string
}

type selection interface{ position() pos }

type fieldSel struct {
	alias string // response key; equals name when no alias was given
	name  string
	args  []*argument
	dirs  []*directive
	sel   []selection
	pos   pos
}

type fragmentSpread struct {
	name string
	dirs []*directive
	pos  pos
}

type inlineFragment struct {
	typeCond string // "" when absent
	dirs     []*directive
	sel      []selection
	pos      pos
}

type fragmentDef struct {
	name     string
	typeCond string
	dirs     []*directive
	sel      []selection
	pos      pos
}

func (f *fieldSel) position() pos       { return f.pos }
func (f *fragmentSpread) position() pos { return f.pos }
func (f *inlineFragment) position() pos { return f.pos }

type argument struct {
	name string
	val  *value
	pos  pos
}

type directive struct {
	name string
	args []*argument
	pos  pos
}

type valueKind int

const (
	valVar valueKind = iota
	valInt
	valFloat
	valString
	valBool
	valNull
	valEnum
	valList
	valObject
)

type value struct {
	kind   valueKind
	raw    string // variable name, number text, string, enum name
	b      bool
	list   []*value
	fields []*objectField
	pos    pos
}

type objectField struct {
	name string
	val  *value
	pos  pos
}

type parser struct {
	lex *lexer
	tok token
}

// parseDocument parses a GraphQL executable document.
func parseDocument(src string) (*document, error) {
	p := &parser{lex: &lexer{src: src, line: 1, col: 1}}
	if err := p.read(); err != nil {
		return nil, err
	}
	doc := &document{frags: map[string]*fragmentDef{}}
	if p.tok.kind == tokEOF {
		return nil, &parseError{msg: "Unexpected end of document", pos: p.tok.pos}
	}
	for p.tok.kind != tokEOF {
		switch {
		case p.isPunct("{"):
			sel, err := p.selectionSet()
			if err != nil {
				return nil, err
			}
			doc.ops = append(doc.ops, &operation{kind: "query", sel: sel, pos: sel[0].position()})
		case p.tok.kind == tokName && (p.tok.val == "query" || p.tok.val == "mutation" || p.tok.val == "subscription"):
			op, err := p.operation()
			if err != nil {
				return nil, err
			}
			doc.ops = append(doc.ops, op)
		case p.tok.kind == tokName && p.tok.val == "fragment":
			f, err := p.fragment()
			if err != nil {
				return nil, err
			}
			doc.frags[f.name] = f
		default:
			return nil, p.unexpected()
		}
	}
	return doc, nil
}

func (p *parser) read() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) isPunct(s string) bool { return p.tok.kind == tokPunct && p.tok.val == s }

func tokenName(t token) string {
	switch t.kind {
	case tokEOF:
		return "EOF"
	case tokName:
		return "IDENTIFIER"
	case tokInt:
		return "INT"
	case tokFloat:
		return "FLOAT"
	case tokString:
		return "STRING"
	}
	return map[string]string{"{": "LCURLY", "}": "RCURLY", "(": "LPAREN", ")": "RPAREN", "[": "LBRACKET", "]": "RBRACKET",
		":": "COLON", "!": "BANG", "$": "VAR_SIGN", "=": "EQUALS", "@": "DIR_SIGN", "...": "ELLIPSIS", "&": "AMP", "|": "PIPE"}[t.val]
}

func (p *parser) unexpected() error {
	if p.tok.kind == tokEOF {
		return &parseError{msg: "Unexpected end of document", pos: p.tok.pos}
	}
	return &parseError{msg: fmt.Sprintf("Parse error on %q (%s) at [%d, %d]", p.tok.val, tokenName(p.tok), p.tok.pos.line, p.tok.pos.col), pos: p.tok.pos}
}

func (p *parser) expect(s string) error {
	if !p.isPunct(s) {
		return p.unexpected()
	}
	return p.read()
}

func (p *parser) name() (string, error) {
	if p.tok.kind != tokName {
		return "", p.unexpected()
	}
	n := p.tok.val
	return n, p.read()
}

func (p *parser) operation() (*operation, error) {
	op := &operation{kind: p.tok.val, pos: p.tok.pos}
	if err := p.read(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokName {
		op.name = p.tok.val
		if err := p.read(); err != nil {
			return nil, err
		}
	}
	if p.isPunct("(") {
		if err := p.read(); err != nil {
			return nil, err
		}
		for !p.isPunct(")") {
			vd, err := p.varDef()
			if err != nil {
				return nil, err
			}
			op.vars = append(op.vars, vd)
		}
		if err := p.read(); err != nil {
			return nil, err
		}
	}
	var err error
	if op.dirs, err = p.directives(false); err != nil {
		return nil, err
	}
	if op.sel, err = p.selectionSet(); err != nil {
		return nil, err
	}
	return op, nil
}

func (p *parser) varDef() (*varDef, error) {
	vd := &varDef{pos: p.tok.pos}
	if err := p.expect("$"); err != nil {
		return nil, err
	}
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	vd.name = n
	if err := p.expect(":"); err != nil {
		return nil, err
	}
	if vd.typ, err = p.typ(); err != nil {
		return nil, err
	}
	vd.rawTyp = vd.typ.String()
	if p.isPunct("=") {
		if err := p.read(); err != nil {
			return nil, err
		}
		if vd.def, err = p.value(true); err != nil {
			return nil, err
		}
	}
	if _, err := p.directives(true); err != nil {
		return nil, err
	}
	return vd, nil
}

func (p *parser) typ() (*typeRef, error) {
	t := &typeRef{}
	if p.isPunct("[") {
		if err := p.read(); err != nil {
			return nil, err
		}
		el, err := p.typ()
		if err != nil {
			return nil, err
		}
		t.list = el
		if err := p.expect("]"); err != nil {
			return nil, err
		}
	} else {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		t.name = n
	}
	if p.isPunct("!") {
		t.nonNull = true
		if err := p.read(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (p *parser) directives(constant bool) ([]*directive, error) {
	var ds []*directive
	for p.isPunct("@") {
		d := &directive{pos: p.tok.pos}
		if err := p.read(); err != nil {
			return nil, err
		}
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		d.name = n
		if d.args, err = p.arguments(constant); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

func (p *parser) arguments(constant bool) ([]*argument, error) {
	if !p.isPunct("(") {
		return nil, nil
	}
	if err := p.read(); err != nil {
		return nil, err
	}
	var args []*argument
	for !p.isPunct(")") {
		a := &argument{pos: p.tok.pos}
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		a.name = n
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		if a.val, err = p.value(constant); err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	if len(args) == 0 {
		return nil, p.unexpected()
	}
	return args, p.read()
}

func (p *parser) selectionSet() ([]selection, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	var sels []selection
	for !p.isPunct("}") {
		s, err := p.selection()
		if err != nil {
			return nil, err
		}
		sels = append(sels, s)
	}
	if len(sels) == 0 {
		return nil, p.unexpected()
	}
	return sels, p.read()
}

func (p *parser) selection() (selection, error) {
	start := p.tok.pos
	if p.isPunct("...") {
		if err := p.read(); err != nil {
			return nil, err
		}
		if p.tok.kind == tokName && p.tok.val != "on" {
			fs := &fragmentSpread{name: p.tok.val, pos: start}
			if err := p.read(); err != nil {
				return nil, err
			}
			var err error
			fs.dirs, err = p.directives(false)
			return fs, err
		}
		inl := &inlineFragment{pos: start}
		if p.tok.kind == tokName && p.tok.val == "on" {
			if err := p.read(); err != nil {
				return nil, err
			}
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			inl.typeCond = n
		}
		var err error
		if inl.dirs, err = p.directives(false); err != nil {
			return nil, err
		}
		inl.sel, err = p.selectionSet()
		return inl, err
	}
	f := &fieldSel{pos: start}
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	f.alias, f.name = n, n
	if p.isPunct(":") {
		if err := p.read(); err != nil {
			return nil, err
		}
		if f.name, err = p.name(); err != nil {
			return nil, err
		}
	}
	if f.args, err = p.arguments(false); err != nil {
		return nil, err
	}
	if f.dirs, err = p.directives(false); err != nil {
		return nil, err
	}
	if p.isPunct("{") {
		if f.sel, err = p.selectionSet(); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (p *parser) fragment() (*fragmentDef, error) {
	fd := &fragmentDef{pos: p.tok.pos}
	if err := p.read(); err != nil {
		return nil, err
	}
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	if n == "on" {
		return nil, &parseError{msg: fmt.Sprintf("Parse error on \"on\" (ON) at [%d, %d]", fd.pos.line, fd.pos.col), pos: fd.pos}
	}
	fd.name = n
	if p.tok.kind != tokName || p.tok.val != "on" {
		return nil, p.unexpected()
	}
	if err := p.read(); err != nil {
		return nil, err
	}
	if fd.typeCond, err = p.name(); err != nil {
		return nil, err
	}
	if fd.dirs, err = p.directives(false); err != nil {
		return nil, err
	}
	fd.sel, err = p.selectionSet()
	return fd, err
}

func (p *parser) value(constant bool) (*value, error) {
	t := p.tok
	v := &value{pos: t.pos}
	switch {
	case t.kind == tokPunct && t.val == "$" && !constant:
		if err := p.read(); err != nil {
			return nil, err
		}
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		v.kind, v.raw = valVar, n
		return v, nil
	case t.kind == tokInt:
		v.kind, v.raw = valInt, t.val
	case t.kind == tokFloat:
		v.kind, v.raw = valFloat, t.val
	case t.kind == tokString:
		v.kind, v.raw = valString, t.val
	case t.kind == tokName:
		switch t.val {
		case "true", "false":
			v.kind, v.b = valBool, t.val == "true"
		case "null":
			v.kind = valNull
		default:
			v.kind, v.raw = valEnum, t.val
		}
	case t.kind == tokPunct && t.val == "[":
		if err := p.read(); err != nil {
			return nil, err
		}
		v.kind = valList
		for !p.isPunct("]") {
			el, err := p.value(constant)
			if err != nil {
				return nil, err
			}
			v.list = append(v.list, el)
		}
	case t.kind == tokPunct && t.val == "{":
		if err := p.read(); err != nil {
			return nil, err
		}
		v.kind = valObject
		for !p.isPunct("}") {
			of := &objectField{pos: p.tok.pos}
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			of.name = n
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			if of.val, err = p.value(constant); err != nil {
				return nil, err
			}
			v.fields = append(v.fields, of)
		}
	default:
		return nil, p.unexpected()
	}
	return v, p.read()
}
