package orders

import (
	"bytes"
	"encoding/json"
	"strings"
)

// RawField reads the top-level field key of the JSON object raw as text: a string as it is, a
// number as written. It returns "" when raw is not an object, the field is absent, or it holds
// anything else. Clients use it to name an order their normalizer refused, so that the order
// can still be recorded and shown under the store's id and number.
func RawField(raw json.RawMessage, key string) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	v := bytes.TrimSpace(obj[key])
	var s string
	if json.Unmarshal(v, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String()
	}
	return ""
}
