package shopifysim

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:generate go run gen_schema.go -in ../../../../shared/specs/shopify/graphql/admin_schema_2025-01.json.gz

// schemaJSON is the subset of Shopify's Admin GraphQL introspection (API
// version 2025-01) written by gen_schema.go.
//
//go:embed schema_2025-01.json
var schemaJSON []byte

// typeRef is a GraphQL type reference such as "[LineItem!]!".
type typeRef struct {
	name    string   // named type, set when list == nil
	list    *typeRef // element type of a list
	nonNull bool
}

func parseTypeRef(s string) (*typeRef, error) {
	t := &typeRef{}
	if strings.HasSuffix(s, "!") {
		t.nonNull = true
		s = s[:len(s)-1]
	}
	if strings.HasPrefix(s, "[") {
		if !strings.HasSuffix(s, "]") {
			return nil, fmt.Errorf("schema: bad type %q", s)
		}
		el, err := parseTypeRef(s[1 : len(s)-1])
		if err != nil {
			return nil, err
		}
		t.list = el
		return t, nil
	}
	if s == "" {
		return nil, fmt.Errorf("schema: empty type name")
	}
	t.name = s
	return t, nil
}

// named returns the innermost named type.
func (t *typeRef) named() string {
	for t.list != nil {
		t = t.list
	}
	return t.name
}

func (t *typeRef) String() string {
	s := t.name
	if t.list != nil {
		s = "[" + t.list.String() + "]"
	}
	if t.nonNull {
		s += "!"
	}
	return s
}

type argDef struct {
	name   string
	typ    *typeRef
	def    string // default value as a GraphQL literal, "" when none
	hasDef bool
}

type fieldDef struct {
	name       string
	typ        *typeRef
	args       map[string]*argDef
	deprecated bool
}

type typeDef struct {
	name          string
	kind          string // OBJECT, INTERFACE, UNION, ENUM, INPUT_OBJECT, SCALAR
	fields        map[string]*fieldDef
	inputFields   map[string]*argDef
	interfaces    []string
	enumValues    map[string]bool
	possibleTypes []string
}

// schema is the loaded subset. kinds covers every type of the real schema;
// types only those the simulator knows in detail.
type schema struct {
	version string
	kinds   map[string]string
	types   map[string]*typeDef
}

func loadSchema(b []byte) (*schema, error) {
	var raw struct {
		Version string            `json:"version"`
		Kinds   map[string]string `json:"kinds"`
		Types   map[string]struct {
			Kind   string `json:"kind"`
			Fields map[string]struct {
				Type       string `json:"type"`
				Args       map[string]struct{ Type, Default string }
				Deprecated bool `json:"deprecated"`
			} `json:"fields"`
			InputFields   map[string]struct{ Type, Default string } `json:"inputFields"`
			Interfaces    []string                                  `json:"interfaces"`
			EnumValues    []string                                  `json:"enumValues"`
			PossibleTypes []string                                  `json:"possibleTypes"`
		} `json:"types"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("schema: decode: %w", err)
	}
	s := &schema{version: raw.Version, kinds: raw.Kinds, types: map[string]*typeDef{}}
	for name, rt := range raw.Types {
		td := &typeDef{name: name, kind: rt.Kind, interfaces: rt.Interfaces, possibleTypes: rt.PossibleTypes}
		if len(rt.Fields) > 0 {
			td.fields = map[string]*fieldDef{}
		}
		for fname, rf := range rt.Fields {
			ft, err := parseTypeRef(rf.Type)
			if err != nil {
				return nil, fmt.Errorf("schema: %s.%s: %w", name, fname, err)
			}
			fd := &fieldDef{name: fname, typ: ft, args: map[string]*argDef{}, deprecated: rf.Deprecated}
			for aname, ra := range rf.Args {
				at, err := parseTypeRef(ra.Type)
				if err != nil {
					return nil, fmt.Errorf("schema: %s.%s(%s): %w", name, fname, aname, err)
				}
				fd.args[aname] = &argDef{name: aname, typ: at, def: ra.Default, hasDef: ra.Default != ""}
			}
			td.fields[fname] = fd
		}
		if len(rt.InputFields) > 0 {
			td.inputFields = map[string]*argDef{}
		}
		for iname, ri := range rt.InputFields {
			it, err := parseTypeRef(ri.Type)
			if err != nil {
				return nil, fmt.Errorf("schema: %s.%s: %w", name, iname, err)
			}
			td.inputFields[iname] = &argDef{name: iname, typ: it, def: ri.Default, hasDef: ri.Default != ""}
		}
		if len(rt.EnumValues) > 0 {
			td.enumValues = map[string]bool{}
			for _, v := range rt.EnumValues {
				td.enumValues[v] = true
			}
		}
		s.types[name] = td
	}
	for _, root := range []string{"QueryRoot", "Mutation"} {
		if s.types[root] == nil {
			return nil, fmt.Errorf("schema: no %s type", root)
		}
	}
	return s, nil
}

// kind returns the kind of a named type, "" when the schema has no such type.
func (s *schema) kind(name string) string {
	if td := s.types[name]; td != nil {
		return td.kind
	}
	return s.kinds[name]
}

// isLeaf reports whether values of the named type are scalars or enums.
func (s *schema) isLeaf(name string) bool {
	k := s.kind(name)
	return k == "SCALAR" || k == "ENUM"
}

func (s *schema) isAbstract(name string) bool {
	k := s.kind(name)
	return k == "INTERFACE" || k == "UNION"
}

// implements reports whether object type obj can be used where typeCond is
// expected (typeCond is obj itself, an interface it implements, or a union
// containing it).
func (s *schema) implements(obj, typeCond string) bool {
	if obj == typeCond {
		return true
	}
	if td := s.types[typeCond]; td != nil {
		for _, p := range td.possibleTypes {
			if p == obj {
				return true
			}
		}
	}
	if td := s.types[obj]; td != nil {
		for _, i := range td.interfaces {
			if i == typeCond {
				return true
			}
		}
	}
	return false
}

// possible returns the object types a selection on the named type may
// resolve to (the type itself for objects).
func (s *schema) possible(name string) []string {
	if s.isAbstract(name) {
		if td := s.types[name]; td != nil {
			return td.possibleTypes
		}
		return nil
	}
	return []string{name}
}

// isConnection reports whether a field is a Relay connection sized by
// first/last (the cost model multiplies by its page size).
func isConnection(fd *fieldDef) bool {
	if fd.typ.list != nil || !strings.HasSuffix(fd.typ.named(), "Connection") {
		return false
	}
	_, first := fd.args["first"]
	_, last := fd.args["last"]
	return first || last
}
