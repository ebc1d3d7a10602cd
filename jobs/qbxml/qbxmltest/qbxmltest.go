// Package qbxmltest validates qbXML documents against Intuit's qbXML schemas (shared/specs,
// qbwc/xsd) with xmllint, for tests of every package that writes qbXML: the builders of
// package qbxml itself and the documents packages posting and shipback build, which compare
// them with golden files through Message and Golden. It imports no package of ours but specs,
// so package qbxml's own tests can use it.
package qbxmltest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/internal/specs"
)

// MsgSet is what Message needs of a *qbxml.MsgSet (this package imports no package of ours
// but specs, so that package qbxml's own tests can use it).
type MsgSet[R any] interface {
	Add(rq R) (requestID string)
	Bytes() ([]byte, error)
}

// Message adds reqs to m and returns its bytes: the form of a builder test's golden file.
func Message[R any](t testing.TB, m MsgSet[R], reqs ...R) []byte {
	t.Helper()
	for _, rq := range reqs {
		m.Add(rq)
	}
	b, err := m.Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	return b
}

// Golden compares got with testdata/<name>.xml and validates that file against the schema of
// qbXML version.
func Golden(t testing.TB, version, name string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join("testdata", name+".xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
	for doc, problem := range Validate(t, version, map[string][]byte{name: want}) {
		if problem != "" {
			t.Errorf("golden %s does not validate: %s", doc, problem)
		}
	}
}

// SpecsDir returns the shared/specs directory holding qbwc/xsd and qbwc/samples (see
// specs.Dir: $LEDGERLINK_SPECS_DIR, or found walking up from the package directory).
func SpecsDir(t testing.TB) string {
	t.Helper()
	d := specs.Dir(t)
	if fi, err := os.Stat(filepath.Join(d, "qbwc", "xsd")); err != nil || !fi.IsDir() {
		t.Fatalf("qbXML schemas not found: %s has no qbwc/xsd directory", d)
	}
	return d
}

// schemaFile returns the entry-point XSD for a qbXML version.
func schemaFile(t testing.TB, version string) string {
	t.Helper()
	v := strings.ReplaceAll(version, ".", "")
	p := filepath.Join(SpecsDir(t), "qbwc", "xsd", version, "qbxmlops"+v+".xsd")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("schema for qbXML %s: %v", version, err)
	}
	return p
}

func xmllint(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint missing: install libxml2-utils (make test does this)")
	}
	return p
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// Validate validates every document against the qbXML schema of version
// with a single xmllint run and returns, per document name, "" when it
// validates or xmllint's complaints otherwise. xmllint ignores the
// <?qbxml version?> instruction, so the version only selects the schema.
func Validate(t testing.TB, version string, docs map[string][]byte) map[string]string {
	t.Helper()
	bin := xmllint(t)
	schema := schemaFile(t, version)
	dir := t.TempDir()
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	files := make(map[string]string, len(docs)) // path → doc name
	args := []string{"--noout", "--nonet", "--schema", schema}
	for i, n := range names {
		p := filepath.Join(dir, fmt.Sprintf("%03d-%s.xml", i, unsafeName.ReplaceAllString(n, "_")))
		if err := os.WriteFile(p, docs[n], 0o644); err != nil {
			t.Fatal(err)
		}
		files[p] = n
		args = append(args, p)
	}
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("running xmllint: %v", err)
	}

	result := make(map[string]string, len(docs))
	complaints := make(map[string][]string)
	verdict := make(map[string]bool)
	for _, line := range strings.Split(stderr.String(), "\n") {
		for p, n := range files {
			if !strings.HasPrefix(line, p) {
				continue
			}
			rest := strings.TrimPrefix(line, p)
			switch rest {
			case " validates":
				verdict[n] = true
			case " fails to validate":
				verdict[n] = false
			default:
				if strings.HasPrefix(rest, ":") {
					complaints[n] = append(complaints[n], strings.TrimPrefix(rest, ":"))
				}
			}
		}
	}
	for _, n := range names {
		ok, seen := verdict[n]
		switch {
		case !seen:
			result[n] = "no verdict from xmllint (schema or parse failure?):\n" + stderr.String()
		case ok:
			result[n] = ""
		default:
			result[n] = strings.Join(complaints[n], "\n")
			if result[n] == "" {
				result[n] = "fails to validate"
			}
		}
	}
	return result
}
