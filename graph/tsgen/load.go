package tsgen

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// LoadSchema parses and validates every file matching glob into one schema.
func LoadSchema(glob string) (*ast.Schema, error) {
	files, err := filepath.Glob(glob)
	if err != nil {
		return nil, fmt.Errorf("tsgen: glob %q: %w", glob, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("tsgen: no schema files match %q", glob)
	}
	sort.Strings(files)
	sources := make([]*ast.Source, 0, len(files))
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("tsgen: %w", err)
		}
		sources = append(sources, &ast.Source{Name: filepath.ToSlash(f), Input: string(body)})
	}
	schema, gerr := gqlparser.LoadSchema(sources...)
	if gerr != nil {
		return nil, fmt.Errorf("tsgen: load schema: %w", gerr)
	}
	return schema, nil
}
