package tsgen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Document is one GraphQL document the SPA sends: a `gql`-tagged constant of a file in
// frontend/src/graphql, with its interpolated field lists resolved.
type Document struct {
	Const string // the constant's name, e.g. ORDERS_QUERY
	File  string // slash-separated path as given to LoadDocuments
	Line  int
	Text  string // the text as sent
}

// constStart finds `[export] const NAME = [gql]` followed by a string literal.
var constStart = regexp.MustCompile(`(?m)^(?:export\s+)?const\s+([A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*(gql\s*)?([` + "`" + `'"])`)

// interpolation is the only expression a document may interpolate: a constant's name.
var interpolation = regexp.MustCompile(`^\$\{\s*([A-Za-z_$][\w$]*)\s*\}`)

type literal struct {
	name, text string // text with each interpolation as \x00NAME\x00
	tagged     bool
	line       int
}

// ExtractDocuments returns the gql-tagged constants of one TypeScript source, each with the
// `${NAME}` interpolations of string constants of the same source resolved. Any other
// interpolation in a document is an error: the checker could not know the text sent.
func ExtractDocuments(file, src string) ([]Document, error) {
	lits := map[string]literal{}
	var order []string
	for _, m := range constStart.FindAllStringSubmatchIndex(src, -1) {
		name := src[m[2]:m[3]]
		quote := src[m[6]]
		text, err := readLiteral(src[m[6]+1:], quote)
		if err != nil {
			return nil, fmt.Errorf("%s: constant %s: %w", file, name, err)
		}
		lits[name] = literal{name: name, text: text, tagged: m[4] >= 0, line: 1 + strings.Count(src[:m[0]], "\n")}
		order = append(order, name)
	}
	var docs []Document
	for _, name := range order {
		l := lits[name]
		if !l.tagged {
			continue
		}
		text, err := resolve(lits, name, map[string]bool{})
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", file, l.line, name, err)
		}
		docs = append(docs, Document{Const: name, File: file, Line: l.line, Text: text})
	}
	return docs, nil
}

// readLiteral reads a string or template literal whose opening quote was just consumed.
func readLiteral(s string, quote byte) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
		case c == quote:
			return b.String(), nil
		case quote == '`' && strings.HasPrefix(s[i:], "${"):
			m := interpolation.FindStringSubmatch(s[i:])
			if m == nil {
				return "", errors.New("interpolates an expression; only the name of a string constant of the same file is allowed")
			}
			b.WriteString("\x00" + m[1] + "\x00")
			i += len(m[0]) - 1
		case c == '\n' && quote != '`':
			return "", errors.New("unterminated string")
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unterminated literal")
}

func resolve(lits map[string]literal, name string, seen map[string]bool) (string, error) {
	if seen[name] {
		return "", fmt.Errorf("constant %s interpolates itself", name)
	}
	l, ok := lits[name]
	if !ok {
		return "", fmt.Errorf("interpolates %s, which is not a string constant of the same file", name)
	}
	seen[name] = true
	defer delete(seen, name)
	parts := strings.Split(l.text, "\x00")
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 0 {
			b.WriteString(p)
			continue
		}
		sub, err := resolve(lits, p, seen)
		if err != nil {
			return "", err
		}
		b.WriteString(sub)
	}
	return b.String(), nil
}

// LoadDocuments extracts the documents of every file matching glob, in file order.
func LoadDocuments(glob string) ([]Document, error) {
	files, err := filepath.Glob(glob)
	if err != nil {
		return nil, fmt.Errorf("tsgen: glob %q: %w", glob, err)
	}
	sort.Strings(files)
	var docs []Document
	for _, f := range files {
		if strings.HasSuffix(f, ".test.ts") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("tsgen: %w", err)
		}
		d, err := ExtractDocuments(filepath.ToSlash(f), string(src))
		if err != nil {
			return nil, fmt.Errorf("tsgen: %w", err)
		}
		docs = append(docs, d...)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("tsgen: no gql documents in %q", glob)
	}
	return docs, nil
}

// strayDocument matches a string literal that starts like a GraphQL operation, or a call of
// graphql() with a literal: a document written outside src/graphql.
var strayDocument = regexp.MustCompile("(gql\\s*)?[`'\"]\\s*(?:query|mutation|subscription|fragment)\\b\\s*[_A-Za-z]?\\w*\\s*[({@]|graphql(?:<[^>]*>)?\\(\\s*[`'\"]")

// StrayDocuments lists "file:line" for every GraphQL document the SPA's sources under root
// define outside docsDir (tests and test helpers aside), and for every document inside docsDir
// that is not gql-tagged: such a document would be sent unchecked.
func StrayDocuments(root, docsDir string) ([]string, error) {
	var strays []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "test" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if !(strings.HasSuffix(name, ".ts") || strings.HasSuffix(name, ".tsx")) || strings.Contains(name, ".test.") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		inDocs := filepath.Clean(filepath.Dir(path)) == filepath.Clean(docsDir)
		for _, m := range strayDocument.FindAllStringSubmatchIndex(string(src), -1) {
			if inDocs && m[2] >= 0 {
				continue // a gql-tagged document where documents belong
			}
			strays = append(strays, fmt.Sprintf("%s:%d", filepath.ToSlash(path), 1+strings.Count(string(src[:m[0]]), "\n")))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tsgen: %w", err)
	}
	return strays, nil
}
