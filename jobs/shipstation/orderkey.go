package shipstation

import (
	"strconv"
	"strings"
)

// QuickBooks transaction types as they appear in an orderKey Ledgerlink gives an order it
// creates from a QuickBooks Desktop sale.
const (
	KeySalesReceipt = "SR"
	KeyInvoice      = "IN"
	KeySalesOrder   = "SO"
)

// quickBooksKeyPrefix starts every orderKey of an order created from a QuickBooks sale.
const quickBooksKeyPrefix = "llqb-"

// QuickBooksOrderKey is the orderKey of the ShipStation order Ledgerlink creates from QuickBooks
// sale txnID of type txnType (KeySalesReceipt, KeyInvoice, KeySalesOrder) in QuickBooks Desktop
// connection qbdConnID: "llqb-<qbdConnID>-<txnType>-<txnID>". It is deterministic, so sending
// a sale again updates its order instead of creating a second one.
func QuickBooksOrderKey(qbdConnID int64, txnType string, txnID string) string {
	return quickBooksKeyPrefix + strconv.FormatInt(qbdConnID, 10) + "-" + txnType + "-" + txnID
}

// CreatedFromQuickBooks reports whether orderKey is one Ledgerlink gives the orders it creates
// from QuickBooks sales (any connection's): such an order is a sale already in QuickBooks.
func CreatedFromQuickBooks(orderKey string) bool {
	_, _, _, ok := ParseQuickBooksOrderKey(orderKey)
	return ok
}

// ParseQuickBooksOrderKey is the inverse of QuickBooksOrderKey; ok is false for any other key
// (orders that did not come from QuickBooks through Ledgerlink). A TxnID may itself contain
// dashes ("1A2B-1701234567"): everything after the type is the TxnID.
func ParseQuickBooksOrderKey(key string) (qbdConnID int64, txnType string, txnID string, ok bool) {
	rest, found := strings.CutPrefix(key, quickBooksKeyPrefix)
	if !found {
		return 0, "", "", false
	}
	idText, rest, found := strings.Cut(rest, "-")
	if !found || idText == "" || idText[0] == '+' || idText[0] == '-' {
		return 0, "", "", false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", "", false
	}
	txnType, txnID, found = strings.Cut(rest, "-")
	if !found || txnID == "" || (txnType != KeySalesReceipt && txnType != KeyInvoice && txnType != KeySalesOrder) {
		return 0, "", "", false
	}
	return id, txnType, txnID, true
}
