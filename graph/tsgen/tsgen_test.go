package tsgen

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// generated is what Generate writes for the project's schema.
func generated(t *testing.T) []byte {
	t.Helper()
	schema, err := LoadSchema("../schema/*.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	out, err := Generate(schema)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCommittedTypesAreCurrent fails when graph/schema changed without `make generate`.
func TestCommittedTypesAreCurrent(t *testing.T) {
	want := generated(t)
	got, err := os.ReadFile("../../frontend/src/graphql/schema.ts")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("frontend/src/graphql/schema.ts is out of date: run `make generate` and commit the result")
	}
}

func TestGenerateShapes(t *testing.T) {
	out := generated(t)
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
