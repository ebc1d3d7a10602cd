package graph

import (
	"strings"
	"testing"
)

// Every costly field names a real field: a typo would silently leave it unlimited.
func TestCostlyFieldsExist(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	for key := range costlyFields {
		typ, field, _ := strings.Cut(key, ".")
		def := schema.Types[typ]
		if def == nil || def.Fields.ForName(field) == nil {
			t.Errorf("costlyFields names %s, which the schema does not have", key)
		}
	}
}
