package shopifysim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file validates and executes a parsed document against the schema
// subset and the resolver table, computing Shopify's requested and actual
// query cost on the way. Error messages and extension codes follow
// graphql-ruby, which Shopify runs.

// gqlError is one entry of the response's top-level "errors".
type gqlError struct {
	Message    string         `json:"message"`
	Locations  []gqlLoc       `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

type gqlLoc struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func locs(p pos) []gqlLoc { return []gqlLoc{{p.line, p.col}} }

// omap is a JSON object that keeps the order of its keys (GraphQL responses
// follow the order of the selection set).
type omap struct {
	keys []string
	vals map[string]any
}

func newOmap() *omap { return &omap{vals: map[string]any{}} }

func (m *omap) set(k string, v any) {
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

func (m *omap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := marshalTo(&b, k); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := marshalTo(&b, m.vals[k]); err != nil {
			return nil, fmt.Errorf("field %s: %w", k, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalTo writes v as JSON without escaping <, > and &, as Shopify's
// (Ruby) JSON does not.
func marshalTo(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// typed is implemented by values of abstract (interface or union) types.
type typed interface{ gqlType() string }

// resolver returns the value of one field of src. Lists are []any; objects
// are any Go value the child type's resolvers understand; leaves are
// string, int, int64, float64, bool, Money, time.Time or []string.
type resolver func(x *execCtx, src any, args map[string]any) (any, error)

// fieldError is an execution error that a resolver wants reported with
// extra extensions.
type fieldError struct {
	msg string
	ext map[string]any
}

func (e *fieldError) Error() string { return e.msg }

// execCtx carries one request through validation, costing and execution.
type execCtx struct {
	srv     *Server
	sch     *schema
	res     map[string]map[string]resolver
	doc     *document
	op      *operation
	vars    map[string]any
	varDefs map[string]*varDef
	args    map[*fieldSel]map[string]any
	errs    []gqlError
	search  []any // extensions.search entries (query-string warnings)
	usedVar map[string]bool
	usedFrg map[string]bool
	now     time.Time
	base    string // where the client reached the simulator (see graphQLRequest.base)
}

func (x *execCtx) rootType() string {
	if x.op.kind == "mutation" {
		return "Mutation"
	}
	return "QueryRoot"
}

// opPath is the first element of validation-error paths, e.g.
// "query GetOrders" or "mutation".
func (x *execCtx) opPath() string {
	if x.op.name != "" {
		return x.op.kind + " " + x.op.name
	}
	return x.op.kind
}

func (x *execCtx) errorf(p pos, path []any, ext map[string]any, format string, a ...any) {
	x.errs = append(x.errs, gqlError{Message: fmt.Sprintf(format, a...), Locations: locs(p), Path: path, Extensions: ext})
}

func appendPath(path []any, k any) []any {
	out := make([]any, len(path), len(path)+1)
	copy(out, path)
	return append(out, k)
}

// selectOperation picks the operation to run.
func (x *execCtx) selectOperation(name string) bool {
	var ops []*operation
	for _, op := range x.doc.ops {
		if name == "" || op.name == name {
			ops = append(ops, op)
		}
	}
	switch {
	case len(ops) == 0 && name != "":
		x.errs = append(x.errs, gqlError{Message: fmt.Sprintf("No operation named %q", name)})
		return false
	case len(ops) > 1:
		x.errs = append(x.errs, gqlError{Message: "An operation name is required"})
		return false
	}
	x.op = ops[0]
	if x.op.kind == "subscription" {
		x.errorf(x.op.pos, nil, nil, "Schema is not configured for subscriptions")
		return false
	}
	return true
}

// coerceVariables checks the variable definitions and coerces the JSON
// values the client sent.
func (x *execCtx) coerceVariables(raw map[string]any) bool {
	x.vars = map[string]any{}
	x.varDefs = map[string]*varDef{}
	ok := true
	for _, vd := range x.op.vars {
		x.varDefs[vd.name] = vd
		named := vd.typ.named()
		k := x.sch.kind(named)
		if k != "SCALAR" && k != "ENUM" && k != "INPUT_OBJECT" {
			x.errorf(vd.pos, []any{x.opPath()}, map[string]any{"code": "variableRequiresValidType", "typeName": named, "variableName": vd.name},
				"%s isn't a valid input type (on $%s)", named, vd.name)
			ok = false
			continue
		}
		v, present := raw[vd.name]
		if !present {
			if vd.def != nil {
				dv, msg := x.coerceLiteral(vd.typ, vd.def)
				if msg != "" {
					x.errorf(vd.pos, []any{x.opPath()}, map[string]any{"code": "defaultValueInvalidType"},
						"Default value for $%s doesn't match type %s", vd.name, vd.typ)
					ok = false
				}
				x.vars[vd.name] = dv
				continue
			}
			if vd.typ.nonNull {
				x.errs = append(x.errs, gqlError{
					Message:    fmt.Sprintf("Variable $%s of type %s was provided invalid value", vd.name, vd.typ),
					Locations:  locs(vd.pos),
					Extensions: map[string]any{"code": "INVALID_VARIABLE", "value": nil, "problems": []any{map[string]any{"path": []any{}, "explanation": "Expected value to not be null"}}},
				})
				ok = false
			}
			continue
		}
		cv, prob := x.coerceInput(vd.typ, v, []any{})
		if prob != nil {
			msg := fmt.Sprintf("Variable $%s of type %s was provided invalid value", vd.name, vd.typ)
			if len(prob.path) > 0 {
				parts := make([]string, len(prob.path))
				for i, p := range prob.path {
					parts[i] = fmt.Sprint(p)
				}
				msg += fmt.Sprintf(" for %s (%s)", strings.Join(parts, "."), prob.explanation)
			}
			x.errs = append(x.errs, gqlError{
				Message:    msg,
				Locations:  locs(vd.pos),
				Extensions: map[string]any{"code": "INVALID_VARIABLE", "value": v, "problems": []any{map[string]any{"path": prob.path, "explanation": prob.explanation}}},
			})
			ok = false
			continue
		}
		x.vars[vd.name] = cv
	}
	return ok
}

type problem struct {
	path        []any
	explanation string
}

// coerceInput coerces a JSON variable value to t.
func (x *execCtx) coerceInput(t *typeRef, v any, path []any) (any, *problem) {
	if v == nil {
		if t.nonNull {
			return nil, &problem{path, "Expected value to not be null"}
		}
		return nil, nil
	}
	if t.list != nil {
		arr, isArr := v.([]any)
		if !isArr {
			one, p := x.coerceInput(t.list, v, path)
			if p != nil {
				return nil, p
			}
			return []any{one}, nil
		}
		out := make([]any, len(arr))
		for i, el := range arr {
			cv, p := x.coerceInput(t.list, el, appendPath(path, i))
			if p != nil {
				return nil, p
			}
			out[i] = cv
		}
		return out, nil
	}
	name := t.name
	td := x.sch.types[name]
	switch x.sch.kind(name) {
	case "ENUM":
		s, isStr := v.(string)
		if !isStr || td == nil || !td.enumValues[s] {
			return nil, &problem{path, fmt.Sprintf("Expected %s to be one of: %s", jsonText(v), enumList(td))}
		}
		return s, nil
	case "INPUT_OBJECT":
		m, isMap := v.(map[string]any)
		if !isMap || td == nil {
			return nil, &problem{path, fmt.Sprintf("Expected %s to be a key-value object.", jsonText(v))}
		}
		out := map[string]any{}
		keys := sortedKeys(m)
		for _, k := range keys {
			if td.inputFields[k] == nil {
				return nil, &problem{appendPath(path, k), fmt.Sprintf("Field is not defined on %s", name)}
			}
		}
		for _, k := range sortedKeys(td.inputFields) {
			f := td.inputFields[k]
			fv, present := m[k]
			if !present {
				if f.hasDef {
					dv, _ := x.coerceLiteralString(f.typ, f.def)
					out[k] = dv
				} else if f.typ.nonNull {
					return nil, &problem{appendPath(path, k), "Expected value to not be null"}
				}
				continue
			}
			cv, p := x.coerceInput(f.typ, fv, appendPath(path, k))
			if p != nil {
				return nil, p
			}
			out[k] = cv
		}
		return out, nil
	}
	cv, ok := coerceScalar(name, v)
	if !ok {
		return nil, &problem{path, fmt.Sprintf("Could not coerce value %s to %s", jsonText(v), name)}
	}
	return cv, nil
}

// coerceScalar coerces a JSON value (numbers as json.Number or float64) to
// a built-in or Shopify scalar.
func coerceScalar(name string, v any) (any, bool) {
	num := func() (string, bool) {
		switch n := v.(type) {
		case json.Number:
			return n.String(), true
		case float64:
			return strconv.FormatFloat(n, 'f', -1, 64), true
		case int:
			return strconv.Itoa(n), true
		}
		return "", false
	}
	switch name {
	case "Int":
		s, ok := num()
		if !ok {
			return nil, false
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f != math.Trunc(f) || f > math.MaxInt32 || f < math.MinInt32 {
			return nil, false
		}
		return int(f), true
	case "Float":
		s, ok := num()
		if !ok {
			return nil, false
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	case "Boolean":
		b, ok := v.(bool)
		return b, ok
	case "ID", "UnsignedInt64", "Decimal", "Money":
		if s, ok := v.(string); ok {
			return s, true
		}
		s, ok := num()
		if !ok {
			return nil, false
		}
		if name == "ID" || name == "UnsignedInt64" {
			if _, err := strconv.ParseInt(s, 10, 64); err != nil {
				return nil, false
			}
		}
		return s, true
	case "DateTime":
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		if _, err := parseSearchTime(s, time.UTC); err != nil {
			return nil, false
		}
		return s, true
	case "JSON":
		return v, true
	}
	s, ok := v.(string) // String, URL, HTML, ARN, FormattedString, …
	return s, ok
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func enumList(td *typeDef) string {
	if td == nil {
		return ""
	}
	return strings.Join(sortedKeys(td.enumValues), ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// coerceLiteralString parses and coerces a default-value literal from the schema.
func (x *execCtx) coerceLiteralString(t *typeRef, lit string) (any, string) {
	p := &parser{lex: &lexer{src: lit, line: 1, col: 1}}
	if err := p.read(); err != nil {
		return nil, err.Error()
	}
	v, err := p.value(true)
	if err != nil {
		return nil, err.Error()
	}
	return x.coerceLiteral(t, v)
}

// coerceLiteral coerces a query literal (which may contain variables) to t.
// It returns a non-empty message when the literal does not fit.
func (x *execCtx) coerceLiteral(t *typeRef, v *value) (any, string) {
	if v.kind == valVar {
		x.usedVar[v.raw] = true
		return x.vars[v.raw], ""
	}
	if v.kind == valNull {
		if t.nonNull {
			return nil, "null"
		}
		return nil, ""
	}
	if t.list != nil {
		if v.kind != valList {
			one, msg := x.coerceLiteral(t.list, v)
			if msg != "" {
				return nil, msg
			}
			return []any{one}, ""
		}
		out := make([]any, len(v.list))
		for i, el := range v.list {
			cv, msg := x.coerceLiteral(t.list, el)
			if msg != "" {
				return nil, msg
			}
			out[i] = cv
		}
		return out, ""
	}
	name := t.name
	td := x.sch.types[name]
	switch x.sch.kind(name) {
	case "ENUM":
		if v.kind != valEnum || td == nil || !td.enumValues[v.raw] {
			return nil, literalText(v)
		}
		return v.raw, ""
	case "INPUT_OBJECT":
		if v.kind != valObject || td == nil {
			return nil, literalText(v)
		}
		out := map[string]any{}
		given := map[string]*value{}
		for _, of := range v.fields {
			if td.inputFields[of.name] == nil {
				return nil, literalText(v)
			}
			given[of.name] = of.val
		}
		for _, k := range sortedKeys(td.inputFields) {
			f := td.inputFields[k]
			fv, present := given[k]
			// A variable the client did not send counts as an absent field.
			if !present || fv.kind == valVar && !x.varProvided(fv.raw) {
				if present {
					x.usedVar[fv.raw] = true
				}
				if f.hasDef {
					dv, _ := x.coerceLiteralString(f.typ, f.def)
					out[k] = dv
				} else if f.typ.nonNull {
					return nil, literalText(v)
				}
				continue
			}
			cv, msg := x.coerceLiteral(f.typ, fv)
			if msg != "" {
				return nil, literalText(v)
			}
			out[k] = cv
		}
		return out, ""
	}
	var jv any
	switch v.kind {
	case valInt, valFloat:
		jv = json.Number(v.raw)
	case valString:
		if name == "Int" || name == "Float" {
			return nil, literalText(v)
		}
		jv = v.raw
	case valBool:
		jv = v.b
	default:
		return nil, literalText(v)
	}
	if name == "String" && v.kind != valString {
		return nil, literalText(v)
	}
	cv, ok := coerceScalar(name, jv)
	if !ok {
		return nil, literalText(v)
	}
	return cv, ""
}

func (x *execCtx) varProvided(name string) bool {
	_, ok := x.vars[name]
	return ok
}

func literalText(v *value) string {
	switch v.kind {
	case valVar:
		return "$" + v.raw
	case valString:
		return strconv.Quote(v.raw)
	case valBool:
		return strconv.FormatBool(v.b)
	case valNull:
		return "null"
	case valList:
		parts := make([]string, len(v.list))
		for i, el := range v.list {
			parts[i] = literalText(el)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case valObject:
		parts := make([]string, len(v.fields))
		for i, f := range v.fields {
			parts[i] = f.name + ": " + literalText(f.val)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.raw
}

// validate walks the operation's selection set and records every
// validation error; it also coerces each field's arguments into x.args.
func (x *execCtx) validate() bool {
	x.validateSel(x.rootType(), x.op.sel, []any{x.opPath()}, map[string]bool{})
	for _, d := range x.op.dirs {
		x.checkDirective(d, []any{x.opPath()})
	}
	for _, vd := range x.op.vars {
		if !x.usedVar[vd.name] {
			x.errorf(vd.pos, []any{x.opPath()}, map[string]any{"code": "variableNotUsed", "variableName": vd.name},
				"Variable $%s is declared by %s but not used", vd.name, x.opLabel())
		}
	}
	for _, name := range sortedKeys(x.doc.frags) {
		if !x.usedFrg[name] {
			f := x.doc.frags[name]
			x.errorf(f.pos, []any{"fragment " + name}, map[string]any{"code": "useAndDefineFragment", "fragmentName": name},
				"Fragment %s was defined, but not used", name)
		}
	}
	return len(x.errs) == 0
}

func (x *execCtx) opLabel() string {
	if x.op.name != "" {
		return x.op.name
	}
	return "anonymous " + x.op.kind
}

func (x *execCtx) checkDirective(d *directive, path []any) {
	if d.name != "include" && d.name != "skip" {
		x.errorf(d.pos, path, map[string]any{"code": "undefinedDirective", "directiveName": d.name},
			"Directive @%s is not defined", d.name)
		return
	}
	for _, a := range d.args {
		if a.val.kind == valVar {
			x.usedVar[a.val.raw] = true
		}
	}
}

func (x *execCtx) validateSel(parent string, sels []selection, path []any, visiting map[string]bool) {
	for _, s := range sels {
		switch s := s.(type) {
		case *fieldSel:
			x.validateField(parent, s, path, visiting)
		case *inlineFragment:
			for _, d := range s.dirs {
				x.checkDirective(d, path)
			}
			cond := parent
			if s.typeCond != "" {
				cond = s.typeCond
				if !x.checkFragmentType(parent, cond, s.pos, appendPath(path, "... on "+cond)) {
					continue
				}
			}
			x.validateSel(cond, s.sel, appendPath(path, "... on "+cond), visiting)
		case *fragmentSpread:
			for _, d := range s.dirs {
				x.checkDirective(d, path)
			}
			f := x.doc.frags[s.name]
			x.usedFrg[s.name] = true
			if f == nil {
				x.errorf(s.pos, appendPath(path, "... "+s.name), map[string]any{"code": "useAndDefineFragment", "fragmentName": s.name},
					"Fragment %s was used, but not defined", s.name)
				continue
			}
			if visiting[s.name] {
				x.errorf(s.pos, appendPath(path, "... "+s.name), map[string]any{"code": "infiniteLoop", "fragmentName": s.name},
					"Fragment %s contains an infinite loop", s.name)
				continue
			}
			if !x.checkFragmentType(parent, f.typeCond, s.pos, appendPath(path, "... "+s.name)) {
				continue
			}
			visiting[s.name] = true
			x.validateSel(f.typeCond, f.sel, appendPath(path, "... "+s.name), visiting)
			delete(visiting, s.name)
		}
	}
}

func (x *execCtx) checkFragmentType(parent, cond string, p pos, path []any) bool {
	k := x.sch.kind(cond)
	if k == "" {
		x.errorf(p, path, map[string]any{"code": "undefinedType", "typeName": cond},
			"No such type %s, so it can't be a fragment condition", cond)
		return false
	}
	overlap := false
	for _, a := range x.sch.possible(parent) {
		for _, b := range x.sch.possible(cond) {
			if a == b {
				overlap = true
			}
		}
	}
	if !overlap && x.sch.types[cond] != nil {
		x.errorf(p, path, map[string]any{"code": "cannotSpreadFragment", "typeName": cond},
			"Fragment on %s can't be spread inside %s", cond, parent)
		return false
	}
	return x.sch.types[cond] != nil
}

func (x *execCtx) validateField(parent string, f *fieldSel, path []any, visiting map[string]bool) {
	fpath := appendPath(path, f.alias)
	for _, d := range f.dirs {
		x.checkDirective(d, fpath)
	}
	if f.name == "__typename" {
		if len(f.sel) > 0 {
			x.errorf(f.pos, fpath, map[string]any{"code": "selectionMismatch", "nodeName": "field '__typename'", "typeName": "String"},
				"Selections can't be made on scalars (field '__typename' returns String but has selections [%s])", selNames(f.sel))
		}
		return
	}
	td := x.sch.types[parent]
	var fd *fieldDef
	if td != nil {
		fd = td.fields[f.name]
	}
	if fd == nil {
		x.errorf(f.pos, fpath, map[string]any{"code": "undefinedField", "typeName": parent, "fieldName": f.name},
			"Field '%s' doesn't exist on type '%s'", f.name, parent)
		return
	}
	if x.res[parent][f.name] == nil {
		x.errorf(f.pos, fpath, map[string]any{"code": "NOT_SIMULATED", "typeName": parent, "fieldName": f.name},
			"Field '%s' on type '%s' exists in the Shopify Admin API %s but is not simulated (see jobs/sim/shopifysim/README.md)", f.name, parent, x.sch.version)
		return
	}
	x.coerceArgs(parent, fd, f, fpath)
	named := fd.typ.named()
	if x.sch.isLeaf(named) {
		if len(f.sel) > 0 {
			x.errorf(f.pos, fpath, map[string]any{"code": "selectionMismatch", "nodeName": "field '" + f.name + "'", "typeName": named},
				"Selections can't be made on scalars (field '%s' returns %s but has selections [%s])", f.name, named, selNames(f.sel))
		}
		return
	}
	if len(f.sel) == 0 {
		x.errorf(f.pos, fpath, map[string]any{"code": "selectionMismatch", "nodeName": "field '" + f.name + "'", "typeName": named},
			"Field must have selections (field '%s' returns %s but has no selections. Did you mean '%s { ... }'?)", f.name, named, f.name)
		return
	}
	if x.sch.types[named] == nil {
		x.errorf(f.pos, fpath, map[string]any{"code": "NOT_SIMULATED", "typeName": named},
			"Type '%s' is not simulated (see jobs/sim/shopifysim/README.md)", named)
		return
	}
	x.validateSel(named, f.sel, fpath, visiting)
}

func selNames(sels []selection) string {
	var names []string
	for _, s := range sels {
		if f, ok := s.(*fieldSel); ok {
			names = append(names, f.name)
		}
	}
	return strings.Join(names, ", ")
}

// coerceArgs validates f's arguments against fd and stores the coerced values.
func (x *execCtx) coerceArgs(parent string, fd *fieldDef, f *fieldSel, path []any) {
	out := map[string]any{}
	given := map[string]*argument{}
	for _, a := range f.args {
		ad := fd.args[a.name]
		if ad == nil {
			x.errorf(a.pos, path, map[string]any{"code": "argumentNotAccepted", "name": f.name, "typeName": "Field", "argumentName": a.name},
				"Field '%s' doesn't accept argument '%s'", f.name, a.name)
			continue
		}
		given[a.name] = a
	}
	var missing []string
	for _, name := range sortedKeys(fd.args) {
		ad := fd.args[name]
		a, ok := given[name]
		if !ok {
			if ad.hasDef {
				v, _ := x.coerceLiteralString(ad.typ, ad.def)
				out[name] = v
			} else if ad.typ.nonNull {
				missing = append(missing, name)
			}
			continue
		}
		if a.val.kind == valVar {
			vd := x.varDefs[a.val.raw]
			x.usedVar[a.val.raw] = true
			if vd == nil {
				x.errorf(a.val.pos, path, map[string]any{"code": "variableNotDefined", "variableName": a.val.raw},
					"Variable $%s is used by %s but not declared", a.val.raw, x.opLabel())
				continue
			}
			if msg := varMismatch(vd, ad.typ); msg != "" {
				x.errorf(a.val.pos, path, map[string]any{"code": "variableMismatch", "variableName": vd.name, "typeName": vd.typ.String(), "argumentName": name, "errorMessage": msg},
					"%s on variable $%s and argument %s (%s / %s)", msg, vd.name, name, vd.typ, ad.typ)
				continue
			}
			v, present := x.vars[vd.name]
			if !present && ad.hasDef {
				v, _ = x.coerceLiteralString(ad.typ, ad.def)
			}
			out[name] = v
			continue
		}
		x.checkLiteralVars(a.val, path)
		v, msg := x.coerceLiteral(ad.typ, a.val)
		if msg != "" {
			x.errorf(a.pos, path, map[string]any{"code": "argumentLiteralsIncompatible", "typeName": "Field", "argumentName": name},
				"Argument '%s' on Field '%s' has an invalid value (%s). Expected type '%s'.", name, f.name, literalText(a.val), ad.typ)
			continue
		}
		out[name] = v
	}
	if len(missing) > 0 {
		x.errorf(f.pos, path, map[string]any{"code": "missingRequiredArguments", "className": "Field", "name": f.name, "arguments": strings.Join(missing, ", ")},
			"Field '%s' is missing required arguments: %s", f.name, strings.Join(missing, ", "))
	}
	x.args[f] = out
}

// checkLiteralVars reports variables used inside list/object literals that
// the operation does not declare.
func (x *execCtx) checkLiteralVars(v *value, path []any) {
	switch v.kind {
	case valVar:
		x.usedVar[v.raw] = true
		if x.varDefs[v.raw] == nil {
			x.errorf(v.pos, path, map[string]any{"code": "variableNotDefined", "variableName": v.raw},
				"Variable $%s is used by %s but not declared", v.raw, x.opLabel())
		}
	case valList:
		for _, el := range v.list {
			x.checkLiteralVars(el, path)
		}
	case valObject:
		for _, f := range v.fields {
			x.checkLiteralVars(f.val, path)
		}
	}
}

// varMismatch checks that a variable of type vt may be used where at is
// expected; it returns "Type mismatch", "Nullability mismatch" or "".
func varMismatch(vd *varDef, at *typeRef) string {
	vt := vd.typ
	if at.nonNull && !vt.nonNull && vd.def == nil {
		return "Nullability mismatch"
	}
	var same func(a, b *typeRef) bool
	same = func(v, a *typeRef) bool {
		if (v.list == nil) != (a.list == nil) {
			// A single value may be passed to a list argument.
			if a.list != nil {
				return same(v, a.list)
			}
			return false
		}
		if v.list != nil {
			if a.list.nonNull && !v.list.nonNull {
				return false
			}
			return same(v.list, a.list)
		}
		return v.name == a.name
	}
	if !same(vt, at) {
		return "Type mismatch"
	}
	return ""
}

// included evaluates @skip and @include.
func (x *execCtx) included(dirs []*directive) bool {
	for _, d := range dirs {
		if d.name != "skip" && d.name != "include" {
			continue
		}
		cond := false
		for _, a := range d.args {
			if a.name != "if" {
				continue
			}
			switch a.val.kind {
			case valBool:
				cond = a.val.b
			case valVar:
				b, _ := x.vars[a.val.raw].(bool)
				cond = b
			}
		}
		if d.name == "skip" && cond || d.name == "include" && !cond {
			return false
		}
	}
	return true
}

// collected is one response key with the field selections merged into it.
type collected struct {
	key    string
	fields []*fieldSel
}

func (c collected) sub() []selection {
	if len(c.fields) == 1 {
		return c.fields[0].sel
	}
	var out []selection
	for _, f := range c.fields {
		out = append(out, f.sel...)
	}
	return out
}

// collectFields implements CollectFields for an object type.
func (x *execCtx) collectFields(objType string, sels []selection, out []collected, seen map[string]bool) []collected {
	for _, s := range sels {
		switch s := s.(type) {
		case *fieldSel:
			if !x.included(s.dirs) {
				continue
			}
			found := false
			for i := range out {
				if out[i].key == s.alias {
					out[i].fields = append(out[i].fields, s)
					found = true
					break
				}
			}
			if !found {
				out = append(out, collected{key: s.alias, fields: []*fieldSel{s}})
			}
		case *inlineFragment:
			if !x.included(s.dirs) || s.typeCond != "" && !x.sch.implements(objType, s.typeCond) {
				continue
			}
			out = x.collectFields(objType, s.sel, out, seen)
		case *fragmentSpread:
			f := x.doc.frags[s.name]
			if !x.included(s.dirs) || f == nil || seen[s.name] || !x.sch.implements(objType, f.typeCond) {
				continue
			}
			seen[s.name] = true
			out = x.collectFields(objType, f.sel, out, seen)
			delete(seen, s.name)
		}
	}
	return out
}

// Cost model (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
// scalars and enums 0, objects 1, interfaces and unions the maximum of their
// possible selections, connections 2 + first/last × the cost of one item
// (edges/node and nodes; pageInfo and the edge wrapper are free), mutation
// root fields 10. The requested cost uses first/last; the actual cost uses
// the number of items returned and charges nothing for null objects.

const mutationCost = 10

// wrapperType reports types that never cost on their own: connection and
// edge wrappers and PageInfo.
func wrapperType(name string) bool {
	return strings.HasSuffix(name, "Connection") || strings.HasSuffix(name, "Edge") || name == "PageInfo"
}

// requestedCost computes the static cost of the operation and checks page
// sizes; it returns false when a page-size error was recorded.
func (x *execCtx) requestedCost() (int, bool) {
	root := x.rootType()
	total := 0
	for _, c := range x.collectFields(root, x.op.sel, nil, map[string]bool{}) {
		f := c.fields[0]
		if root == "Mutation" && f.name != "__typename" {
			total += mutationCost
			continue
		}
		total += x.fieldCost(root, f, c.sub(), []any{c.key})
	}
	return total, len(x.errs) == 0
}

// selectionCost is the cost of a selection set on a (possibly abstract) type.
func (x *execCtx) selectionCost(typeName string, sels []selection, path []any) int {
	best := 0
	for _, obj := range x.sch.possible(typeName) {
		sum := 0
		for _, c := range x.collectFields(obj, sels, nil, map[string]bool{}) {
			sum += x.fieldCost(obj, c.fields[0], c.sub(), appendPath(path, c.key))
		}
		if sum > best {
			best = sum
		}
	}
	return best
}

func (x *execCtx) fieldCost(parent string, f *fieldSel, sub []selection, path []any) int {
	if f.name == "__typename" {
		return 0
	}
	td := x.sch.types[parent]
	if td == nil || td.fields[f.name] == nil {
		return 0
	}
	fd := td.fields[f.name]
	named := fd.typ.named()
	if x.sch.isLeaf(named) {
		return 0
	}
	if isConnection(fd) {
		n, ok := x.pageSize(f, path)
		if !ok {
			return 0
		}
		return 2 + n*x.selectionCost(named, sub, path)
	}
	c := x.selectionCost(named, sub, path)
	if !wrapperType(named) {
		c++
	}
	return c
}

// maxPageSize is Shopify's limit on first/last.
const maxPageSize = 250

// pageSize returns first or last for a connection field, recording
// Shopify's errors for a missing or too large value.
func (x *execCtx) pageSize(f *fieldSel, path []any) (int, bool) {
	args := x.args[f]
	first, hasFirst := args["first"].(int)
	last, hasLast := args["last"].(int)
	n := first
	if !hasFirst {
		n = last
	}
	switch {
	case !hasFirst && !hasLast:
		x.errorf(f.pos, path, nil, "you must provide one of first or last")
		return 0, false
	case hasFirst && hasLast:
		x.errorf(f.pos, path, nil, "providing both first and last is not supported")
		return 0, false
	case n > maxPageSize || n < 0:
		arg := "first"
		if !hasFirst {
			arg = "last"
		}
		if n < 0 {
			x.errorf(f.pos, path, nil, "%s must be greater than or equal to 0", arg)
			return 0, false
		}
		x.errorf(f.pos, path, nil, "%s cannot exceed %d. To query larger amounts of data with fewer limits, bulk operations should be used instead.", arg, maxPageSize)
		return 0, false
	}
	return n, true
}

// execute runs the operation and returns the data object and actual cost.
func (x *execCtx) execute() (*omap, int) {
	root := x.rootType()
	data := newOmap()
	total := 0
	null := false
	for _, c := range x.collectFields(root, x.op.sel, nil, map[string]bool{}) {
		v, cost := x.execField(root, nil, c, []any{})
		data.set(c.key, v)
		if root == "Mutation" && c.fields[0].name != "__typename" {
			cost = mutationCost
		}
		total += cost
		null = null || v == nil && x.nonNull(root, c.fields[0].name)
	}
	if null {
		return nil, total
	}
	return data, total
}

// nonNull reports whether a field's type is non-null; a null there makes
// the parent null (errors propagate to the nearest nullable parent).
func (x *execCtx) nonNull(parent, field string) bool {
	if field == "__typename" {
		return true
	}
	return x.sch.types[parent].fields[field].typ.nonNull
}

func (x *execCtx) execObject(typeName string, src any, sels []selection, path []any) (*omap, int) {
	out := newOmap()
	total := 0
	null := false
	for _, c := range x.collectFields(typeName, sels, nil, map[string]bool{}) {
		v, cost := x.execField(typeName, src, c, path)
		out.set(c.key, v)
		total += cost
		null = null || v == nil && x.nonNull(typeName, c.fields[0].name)
	}
	if null {
		return nil, total
	}
	return out, total
}

func (x *execCtx) execField(parent string, src any, c collected, path []any) (any, int) {
	f := c.fields[0]
	fpath := appendPath(path, c.key)
	if f.name == "__typename" {
		return parent, 0
	}
	fd := x.sch.types[parent].fields[f.name]
	res := x.res[parent][f.name]
	v, err := res(x, src, x.args[f])
	if err != nil {
		ge := gqlError{Message: err.Error(), Locations: locs(f.pos), Path: fpath}
		if fe, ok := errors.AsType[*fieldError](err); ok && fe.ext != nil {
			ge.Extensions = fe.ext
		}
		x.errs = append(x.errs, ge)
		return nil, 0
	}
	out, cost := x.complete(parent, fd.typ, v, c.sub(), fpath)
	if isConnection(fd) {
		cost += 2
	}
	return out, cost
}

// complete turns a resolved Go value into its JSON form.
func (x *execCtx) complete(parent string, t *typeRef, v any, sub []selection, path []any) (any, int) {
	if v == nil {
		return nil, 0
	}
	if t.list != nil {
		items, _ := v.([]any)
		if ss, ok := v.([]string); ok {
			items = make([]any, len(ss))
			for i, s := range ss {
				items[i] = s
			}
		}
		out := make([]any, len(items))
		sum, best := 0, 0
		null := false
		for i, it := range items {
			cv, c := x.complete(parent, t.list, it, sub, appendPath(path, i))
			out[i] = cv
			sum += c
			best = max(best, c)
			null = null || cv == nil && t.list.nonNull
		}
		if null {
			return nil, sum
		}
		// Items of connection edges/nodes are charged one by one; other
		// lists of objects cost like one object.
		if strings.HasSuffix(parent, "Connection") {
			return out, sum
		}
		return out, best
	}
	named := t.name
	if x.sch.isLeaf(named) {
		return serializeLeaf(named, v), 0
	}
	obj := named
	if x.sch.isAbstract(named) {
		tv, ok := v.(typed)
		if !ok {
			x.errs = append(x.errs, gqlError{Message: "Internal error: no concrete type for " + named, Path: path})
			return nil, 0
		}
		obj = tv.gqlType()
	}
	m, c := x.execObject(obj, v, sub, path)
	if !wrapperType(obj) {
		c++
	}
	if m == nil {
		return nil, c
	}
	return m, c
}

// serializeLeaf converts a resolver's Go value to the JSON form of a scalar.
func serializeLeaf(typeName string, v any) any {
	switch v := v.(type) {
	case Money:
		return v.Decimal()
	case time.Time:
		if v.IsZero() {
			return nil
		}
		return v.UTC().Format(time.RFC3339)
	case int64:
		if typeName == "UnsignedInt64" || typeName == "ID" || typeName == "String" {
			return strconv.FormatInt(v, 10)
		}
		return v
	case *string:
		if v == nil {
			return nil
		}
		return *v
	case float64:
		return floatJSON(v) // Ruby prints floats with a fraction: 23.0
	}
	return v
}
