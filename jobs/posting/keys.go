package posting

import (
	"fmt"
	"strconv"
	"strings"
)

// Document-key prefixes of the documents this package builds. A key is a prefix and the
// document's identity: an order id, or a QuickBooks name in lower case (QuickBooks compares
// names without case, so "Acme" and "ACME" are one customer).
const (
	orderPrefix    = "order:"
	paymentPrefix  = "payment:"
	customerPrefix = "customer:"
	itemPrefix     = "item:"
)

// DocKey names an order's sale in the QuickBooks ledger.
func DocKey(orderID int64) string { return fmt.Sprintf("%s%d", orderPrefix, orderID) }

// PaymentDocKey names an order's payment in the ledger (invoice + payment).
func PaymentDocKey(orderID int64) string { return fmt.Sprintf("%s%d", paymentPrefix, orderID) }

// CustomerDocKey names the creation of QuickBooks customer name (as QuickBooks stores it).
func CustomerDocKey(name string) string { return customerPrefix + strings.ToLower(name) }

// ItemDocKey names the creation of QuickBooks item name.
func ItemDocKey(name string) string { return itemPrefix + strings.ToLower(name) }

// SaleOrder returns the order whose sale docKey names (DocKey), ok=false for any other key.
func SaleOrder(docKey string) (int64, bool) { return idAfter(docKey, orderPrefix) }

// PaymentOrder returns the order whose payment docKey names (PaymentDocKey), ok=false for any
// other key.
func PaymentOrder(docKey string) (int64, bool) { return idAfter(docKey, paymentPrefix) }

// IsPaymentKey reports whether docKey names an order's payment, even one whose id cannot be
// read (such a key belongs to no order, and is settled as nobody's).
func IsPaymentKey(docKey string) bool { return strings.HasPrefix(docKey, paymentPrefix) }

// IsItemKey reports whether docKey names an item's creation (ItemDocKey).
func IsItemKey(docKey string) bool { return strings.HasPrefix(docKey, itemPrefix) }

func idAfter(docKey, prefix string) (int64, bool) {
	rest, ok := strings.CutPrefix(docKey, prefix)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil
}
