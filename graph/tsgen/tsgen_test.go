package tsgen

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestCommittedTypesAreCurrent fails when graph/schema changed without `make generate`.
func TestCommittedTypesAreCurrent(t *testing.T) {
	schema, err := LoadSchema("../schema/*.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Generate(schema)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../frontend/src/graphql/schema.ts")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("frontend/src/graphql/schema.ts is out of date: run `make generate` and commit the result")
	}
}

func TestGenerateShapes(t *testing.T) {
	schema, err := LoadSchema("../schema/*.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	out, err := Generate(schema)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"export type Role = 'OWNER' | 'MEMBER' | 'SUPPORT';",
		"  user: User | null;",              // nullable object field
		"  edges: SyncLogEdge[];",           // non-null list of non-null
		"  level?: LogLevel | null;",        // nullable input field is optional
		"  lastHeartbeatAt: string | null;", // Time maps to string
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("generated TypeScript lacks %q", want)
		}
	}
}
