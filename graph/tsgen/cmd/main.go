// Command tsgen writes the SPA's TypeScript schema types: go run ./graph/tsgen/cmd -out FILE.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ledgerlink/ledgerlink/graph/tsgen"
)

func main() {
	schemaGlob := flag.String("schema", "graph/schema/*.graphqls", "schema files")
	out := flag.String("out", "frontend/src/graphql/schema.ts", "output file")
	flag.Parse()
	if err := run(*schemaGlob, *out); err != nil {
		fmt.Fprintln(os.Stderr, "tsgen:", err)
		os.Exit(1)
	}
}

func run(glob, out string) error {
	schema, err := tsgen.LoadSchema(glob)
	if err != nil {
		return err
	}
	src, err := tsgen.Generate(schema)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}
