package tsgen

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	spaSrc  = "../../frontend/src"
	spaDocs = "../../frontend/src/graphql"
)

// TestSPADocumentsMatchSchema checks every query and mutation the SPA sends against the real
// schema, and that none is written outside src/graphql where this check would miss it.
func TestSPADocumentsMatchSchema(t *testing.T) {
	ops, errs := checkSPADocuments(t)
	for _, e := range errs {
		t.Error(e)
	}
	// A floor, so that a broken extractor finding nothing cannot pass: the SPA sent 48
	// operations when this test was written.
	if len(ops) < 48 {
		t.Errorf("found %d operations in %s, want at least 48", len(ops), spaDocs)
	}
	strays, err := StrayDocuments(spaSrc, spaDocs)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range strays {
		t.Errorf("%s: a GraphQL document outside src/graphql (or untagged there): move it to src/graphql/<area>.ts as a gql`…` constant", s)
	}
}

// checkSPADocuments checks the SPA's documents against the real schema.
func checkSPADocuments(t *testing.T) ([]CheckedOperation, []error) {
	t.Helper()
	schema, err := LoadSchema("../schema/*.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := LoadDocuments(spaDocs + "/*.ts")
	if err != nil {
		t.Fatal(err)
	}
	return CheckDocuments(schema, docs)
}

// TestCommittedOperationTypesAreCurrent fails when a document or the schema changed without
// `make generate`.
func TestCommittedOperationTypesAreCurrent(t *testing.T) {
	ops, errs := checkSPADocuments(t)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got, err := os.ReadFile(spaDocs + "/operations.ts")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, GenerateOperations(ops)) {
		t.Fatal("frontend/src/graphql/operations.ts is out of date: run `make generate` and commit the result")
	}
}

func TestExtractDocumentsResolvesFieldLists(t *testing.T) {
	src := "import { gql } from './gql';\n" +
		"const INNER = 'id name';\n" +
		"export const FIELDS =\n  `${INNER} role`;\n" +
		"export const ME_QUERY = gql`query Me { viewer { user { ${FIELDS} } } }`;\n" +
		"export const NOTE = 'not a document';\n"
	docs, err := ExtractDocuments("x.ts", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1: %+v", len(docs), docs)
	}
	if want := "query Me { viewer { user { id name role } } }"; docs[0].Text != want || docs[0].Const != "ME_QUERY" || docs[0].Line != 5 {
		t.Errorf("got %+v, want ME_QUERY on line 5 with text %q", docs[0], want)
	}
}

func TestExtractDocumentsRejectsExpressions(t *testing.T) {
	for _, src := range []string{
		"export const Q = gql`query Q { ${fields()} }`;",
		"export const Q = gql`query Q { ${MISSING} }`;",
	} {
		if _, err := ExtractDocuments("x.ts", src); err == nil {
			t.Errorf("ExtractDocuments(%q) succeeded; want an error", src)
		}
	}
}

func TestCheckDocumentsReportsSchemaErrors(t *testing.T) {
	schema, err := LoadSchema("../schema/*.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	docs := []Document{
		{Const: "A", File: "a.ts", Text: "query Dup { viewer { role } }"},
		{Const: "B", File: "b.ts", Text: "query Dup { viewer { role } }"},
		{Const: "C", File: "c.ts", Text: "query Bad { viewer { noSuchField } }"},
		{Const: "D", File: "d.ts", Text: "query Vars($n: Int) { orders(first: $m) { totalCount } }"},
		{Const: "E", File: "e.ts", Text: "{ viewer { role } }"},
	}
	ops, errs := CheckDocuments(schema, docs)
	if len(ops) != 1 || ops[0].Doc.Const != "A" {
		t.Errorf("passed %v, want only A", ops)
	}
	joined := ""
	for _, e := range errs {
		joined += e.Error() + "\n"
	}
	for _, want := range []string{"b.ts:0 B: operation Dup is also defined by A", "c.ts:0 C: Cannot query field \"noSuchField\"", "d.ts:0 D:", "e.ts:0 E: a document must hold exactly one named operation"} {
		if !strings.Contains(joined, want) {
			t.Errorf("errors lack %q:\n%s", want, joined)
		}
	}
}

func TestGenerateOperationsShapes(t *testing.T) {
	schema, err := LoadSchema("../schema/*.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	ops, errs := CheckDocuments(schema, []Document{{Const: "LOGS_QUERY", File: "frontend/src/graphql/logs.ts",
		Text: "query Logs($filter: LogFilter, $first: Int!) { logs(filter: $filter, first: $first) { edges { node { id level hint } } pageInfo { endCursor } } }"}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	out := string(GenerateOperations(ops))
	for _, want := range []string{
		"import type { LogFilter, LogLevel } from './schema';",
		"/** The answer to LOGS_QUERY (graphql/logs.ts). */",
		"export interface LogsQuery {\n  logs: {\n    edges: Array<{\n      node: {\n        id: string;\n        level: LogLevel;\n        hint: string | null;\n      };\n    }>;\n    pageInfo: {\n      endCursor: string | null;\n    };\n  };\n}",
		"export interface LogsQueryVariables {\n  filter?: LogFilter | null;\n  first: number;\n}",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("generated TypeScript lacks\n%s\ngot\n%s", want, out)
		}
	}
}

func TestStrayDocumentsFindsQueriesOutsideGraphqlDir(t *testing.T) {
	root := t.TempDir()
	docs := filepath.Join(root, "graphql")
	write := func(rel, body string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("graphql/ok.ts", "export const Q = gql`query Q { viewer { role } }`;\n")
	write("graphql/untagged.ts", "\nexport const Q = `mutation M($id: ID!) { x }`;\n")
	write("pages/Page.tsx", "const a = 1;\nexport const Q = `query Orders { orders { totalCount } }`;\n")
	write("pages/Inline.tsx", "graphql<{ a: 1 }>('{ viewer { role } }');\n")
	write("pages/Page.test.tsx", "const Q = `query T { viewer { role } }`;\n")
	write("test/helpers.tsx", "const Q = `query T { viewer { role } }`;\n")
	write("pages/Prose.tsx", "// the `orders` query's variables\nconst s = 'query the server';\n")
	got, err := StrayDocuments(root, docs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.ToSlash(filepath.Join(root, "graphql/untagged.ts")) + ":2",
		filepath.ToSlash(filepath.Join(root, "pages/Inline.tsx")) + ":1",
		filepath.ToSlash(filepath.Join(root, "pages/Page.tsx")) + ":2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("strays:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
