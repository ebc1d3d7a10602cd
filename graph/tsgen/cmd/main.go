// Command tsgen writes the SPA's TypeScript schema types and the result and variables types of
// every GraphQL document the SPA sends:
//
//	go run ./graph/tsgen/cmd -out frontend/src/graphql/schema.ts -ops frontend/src/graphql/operations.ts
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ledgerlink/ledgerlink/graph/tsgen"
)

func main() {
	schemaGlob := flag.String("schema", "graph/schema/*.graphqls", "schema files")
	out := flag.String("out", "frontend/src/graphql/schema.ts", "output file of the schema types")
	docsGlob := flag.String("docs", "frontend/src/graphql/*.ts", "files holding the SPA's gql documents")
	ops := flag.String("ops", "frontend/src/graphql/operations.ts", "output file of the operation types")
	flag.Parse()
	if err := run(*schemaGlob, *out, *docsGlob, *ops); err != nil {
		fmt.Fprintln(os.Stderr, "tsgen:", err)
		os.Exit(1)
	}
}

func run(glob, out, docsGlob, opsOut string) error {
	schema, err := tsgen.LoadSchema(glob)
	if err != nil {
		return err
	}
	src, err := tsgen.Generate(schema)
	if err != nil {
		return err
	}
	if err := write(out, src); err != nil {
		return err
	}
	docs, err := tsgen.LoadDocuments(docsGlob)
	if err != nil {
		return err
	}
	checked, errs := tsgen.CheckDocuments(schema, docs)
	if len(errs) > 0 {
		return fmt.Errorf("documents do not match the schema:\n%w", errors.Join(errs...))
	}
	return write(opsOut, tsgen.GenerateOperations(checked))
}

func write(path string, src []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}
