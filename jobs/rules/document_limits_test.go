package rules

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// docOf is an export document of n valid Map SKU rules.
func docOf(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"format":"ledgerlink.rules","version":1,"rules":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"Map SKU A%d","enabled":true,"pipelines":["orders_to_quickbooks"],"match":"all","conditions":[{"field":"lines[].sku","op":"equals","value":"A%d"}],"actions":[{"type":"set","field":"lines[].sku","value":"B%d"}]}`, i, i, i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// Issue 11 finding 1: one import may hold at most 5 000 rules (documented in the README and on
// importRules); before, 50 000 were accepted.
func TestImportCapsRulesPerDocument(t *testing.T) {
	if rs, err := ParseDocument(docOf(5000)); err != nil || len(rs) != 5000 {
		t.Fatalf("5000 rules: %d, %v", len(rs), err)
	}
	_, err := ParseDocument(docOf(5001))
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 1 || verr.Problems[0].Path != "rules" ||
		verr.Problems[0].Message != "A document may hold at most 5000 rules, not 5001." {
		t.Fatalf("5001 rules: %v", err)
	}
	big := append(docOf(1), make([]byte, 8<<20)...)
	if _, err := ParseDocument(big); !errors.As(err, &verr) || verr.Problems[0].Message != "The document is larger than 8 MB." {
		t.Fatalf("document over 8 MB: %v", err)
	}
}
