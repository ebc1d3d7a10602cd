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

// Fetched is one order as a store channel returned it, and normalized: the one shape every
// client (shopify, woocommerce, shipstation) delivers pages of and the order pipeline ingests.
type Fetched struct {
	// Raw is the order exactly as the store sent it (a client documents any completion it
	// makes, such as Shopify appending further pages of line items).
	Raw   json.RawMessage
	Order Order
	// Err, when set, is why the client's Normalize refused Raw (wrapping ErrAmount for an
	// amount QuickBooks cannot hold); Order then holds only the store's id and number read
	// from Raw, either possibly empty. Clients deliver such an order in its page instead of
	// ending the walk, and the pipeline records it in error.
	Err error
}
