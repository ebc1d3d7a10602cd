package shopifysim

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// specsDir finds shared/specs/shopify ($LEDGERLINK_SPECS_DIR/shopify, or
// walking up from the package); tests that need it skip when it is absent.
func specsDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("LEDGERLINK_SPECS_DIR"); d != "" {
		return filepath.Join(d, "shopify")
	}
	wd, _ := os.Getwd()
	for dir := wd; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		if d := filepath.Join(dir, "shared", "specs", "shopify"); isFile(filepath.Join(d, "SOURCES.md")) {
			return d
		}
	}
	t.Fatal("shared/specs/shopify not found beside the repository: set LEDGERLINK_SPECS_DIR to the shared/specs directory")
	return ""
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// TestEmbeddedSchemaMatchesSpec checks that schema_2025-01.json agrees with
// the introspection result it was cut from (rerun go generate if not).
func TestEmbeddedSchemaMatchesSpec(t *testing.T) {
	f, err := os.Open(filepath.Join(specsDir(t), "graphql", "admin_schema_2025-01.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Data struct {
			Schema struct {
				Types []struct {
					Name   string
					Kind   string
					Fields []struct {
						Name string
						Type json.RawMessage
					}
				}
			} `json:"__schema"`
		}
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	sch, err := loadSchema(schemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range doc.Data.Schema.Types {
		if sch.kinds[st.Name] != st.Kind {
			t.Errorf("type %s: kind %q in the embedded schema, %q in the spec", st.Name, sch.kinds[st.Name], st.Kind)
		}
		td := sch.types[st.Name]
		if td == nil || td.fields == nil {
			continue
		}
		specFields := map[string]string{}
		for _, fl := range st.Fields {
			specFields[fl.Name] = renderRef(fl.Type)
		}
		for name, fd := range td.fields {
			if specFields[name] != fd.typ.String() {
				t.Errorf("%s.%s: %s embedded, %q in the spec", st.Name, name, fd.typ, specFields[name])
			}
		}
		if len(specFields) != len(td.fields) {
			t.Errorf("%s: %d fields embedded, %d in the spec", st.Name, len(td.fields), len(specFields))
		}
	}
}

func renderRef(raw json.RawMessage) string {
	var r struct {
		Kind   string
		Name   string
		OfType json.RawMessage
	}
	_ = json.Unmarshal(raw, &r)
	switch r.Kind {
	case "NON_NULL":
		return renderRef(r.OfType) + "!"
	case "LIST":
		return "[" + renderRef(r.OfType) + "]"
	}
	return r.Name
}

// TestGoldenFieldsExistInSchema walks testdata/order_full.json and checks
// every key is a field of its type (abstract types by __typename).
func TestGoldenFieldsExistInSchema(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(readFile(t, "testdata/order_full.json")), &doc); err != nil {
		t.Fatal(err)
	}
	sch, err := loadSchema(schemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(typ string, v any, path string)
	walk = func(typ string, v any, path string) {
		switch v := v.(type) {
		case []any:
			for i, el := range v {
				walk(typ, el, fmt.Sprintf("%s[%d]", path, i))
			}
		case map[string]any:
			if tn, ok := v["__typename"].(string); ok {
				typ = tn
			}
			td := sch.types[typ]
			if td == nil {
				t.Errorf("%s: type %s not in the schema", path, typ)
				return
			}
			for k, child := range v {
				if k == "__typename" {
					continue
				}
				fd := td.fields[k]
				if fd == nil {
					t.Errorf("%s.%s: no field %q on %s", path, k, k, typ)
					continue
				}
				walk(fd.typ.named(), child, path+"."+k)
			}
		}
	}
	walk("QueryRoot", doc["data"], "data")
}

// lastSeg keys fixture paths by their parent ("tax_lines[]"), so a key seen
// under order.tax_lines also counts under line_items[].tax_lines, where the
// fixtures hold empty arrays.
func lastSeg(path string) string { return path[strings.LastIndexByte(path, '.')+1:] }

// TestWebhookBodyMatchesRESTFixtures checks every key of the REST-shaped
// webhook body against the order fixtures in shared/specs/shopify.
func TestWebhookBodyMatchesRESTFixtures(t *testing.T) {
	dir := specsDir(t)
	known := map[string]bool{} // "path.key"
	var collect func(prefix string, v any)
	collect = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				known[lastSeg(prefix)+"."+k] = true
				collect(prefix+"."+k, c)
			}
		case []any:
			for _, c := range v {
				collect(prefix+"[]", c)
			}
		}
	}
	for _, f := range []string{"rest-fixtures-go-shopify/order.json", "rest-fixtures-go-shopify/orders.json",
		"rest-fixtures-go-shopify/order_with_transaction.json", "rest-fixtures-shopify_python_api/order.json",
		"rest-fixtures-shopify_python_api/orders.json"} {
		var doc map[string]any
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, f))), &doc); err != nil {
			t.Fatal(err)
		}
		if o, ok := doc["order"]; ok {
			collect("order", o)
		}
		if os, ok := doc["orders"].([]any); ok {
			for _, o := range os {
				collect("order", o)
			}
		}
	}
	h := newHarness(t, Options{})
	h.sim.Generate(0, 1)
	o, err := h.sim.AddOrder(goldenOrder(h.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	h.sim.mu.RLock()
	b, err := json.Marshal(h.sim.restOrder(h.sim.orderByID[o.ID]))
	h.sim.mu.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	emitted := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				emitted[lastSeg(prefix)+"."+k] = true
				walk(prefix+"."+k, c)
			}
		case []any:
			for _, c := range v {
				walk(prefix+"[]", c)
			}
		}
	}
	walk("order", body)
	var unknown []string
	for k := range emitted {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		t.Errorf("webhook body keys not in any REST order fixture:\n%s", strings.Join(unknown, "\n"))
	}
}
