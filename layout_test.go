package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sqlCalls are the bun and database/sql calls that issue a statement.
var sqlCalls = []string{"NewRaw", "NewSelect", "NewInsert", "NewUpdate", "NewDelete", "NewValues", "NewMerge",
	"NewCreateTable", "NewDropTable", "NewTruncateTable", "ExecContext", "QueryContext", "QueryRowContext"}

// TestSQLOnlyInDB keeps the shape the README's layout section describes: the db package owns
// every SQL statement; the rest of the product composes its methods (the simulators, which keep
// their own fake state, and tests, which seed and inspect rows, aside).
func TestSQLOnlyInDB(t *testing.T) {
	var found []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch path {
			case "db", filepath.Join("jobs", "sim"), "frontend", ".data", ".git":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && slices.Contains(sqlCalls, sel.Sel.Name) {
					found = append(found, fset.Position(call.Pos()).String()+": "+sel.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Fatalf("SQL outside db/ (move it into a db method that takes a bun.IDB):\n%s", strings.Join(found, "\n"))
	}
}

// TestStoreClientsNeedNoStorage: a store client, the transport under it, the order model and the
// qbXML builder can be built and used without Postgres or Redis (issue 10: "building a Shopify
// client pulls in bun, lib/pq and redis").
func TestStoreClientsNeedNoStorage(t *testing.T) {
	pkgs := []string{"./jobs/shopify", "./jobs/woocommerce", "./jobs/shipstation", "./jobs/storenet", "./jobs/orders", "./jobs/qbxml"}
	out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, storage := range []string{"github.com/uptrace/bun", "github.com/lib/pq", "github.com/redis/go-redis"} {
			if strings.HasPrefix(dep, storage) {
				t.Errorf("%s depends on %s", strings.Join(pkgs, " "), dep)
			}
		}
	}
}
