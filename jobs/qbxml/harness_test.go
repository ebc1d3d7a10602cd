package qbxml

import (
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/qbxml/qbxmltest"
)

// specsDir returns the shared/specs directory holding qbwc/xsd and qbwc/samples.
func specsDir(t testing.TB) string { return qbxmltest.SpecsDir(t) }

// xsdValidate validates docs against the qbXML schema of version (see qbxmltest.Validate).
func xsdValidate(t testing.TB, version string, docs map[string][]byte) map[string]string {
	return qbxmltest.Validate(t, version, docs)
}
