package posting

import "github.com/ledgerlink/ledgerlink/jobs/qbd"

// The document keys of what this package builds are qbd.DocKeys (the one place their formats
// are made); these name them in the order model's terms.

// DocKey names an order's sale in the QuickBooks ledger.
func DocKey(orderID int64) string { return qbd.OrderKey(orderID).String() }

// PaymentDocKey names an order's payment in the ledger (invoice + payment).
func PaymentDocKey(orderID int64) string { return qbd.PaymentKey(orderID).String() }

// CustomerDocKey names the creation of QuickBooks customer name (as QuickBooks stores it).
func CustomerDocKey(name string) string { return qbd.CustomerKey(name).String() }

// ItemDocKey names the creation of QuickBooks item name.
func ItemDocKey(name string) string { return qbd.ItemKey(name).String() }

// SaleOrder returns the order whose sale docKey names (DocKey), ok=false for any other key.
func SaleOrder(docKey string) (int64, bool) { return qbd.DocKey(docKey).OrderID(qbd.KindOrder) }

// PaymentOrder returns the order whose payment docKey names (PaymentDocKey), ok=false for any
// other key.
func PaymentOrder(docKey string) (int64, bool) { return qbd.DocKey(docKey).OrderID(qbd.KindPayment) }

// IsPaymentKey reports whether docKey names an order's payment, even one whose id cannot be
// read (such a key belongs to no order, and is settled as nobody's).
func IsPaymentKey(docKey string) bool { return qbd.DocKey(docKey).Kind() == qbd.KindPayment }
