package orders

import (
	"errors"
	"fmt"
	"strings"
)

// QuickBooks transaction types QuickBooksToShipStationSettings.TxnTypes may list.
const (
	QBTxnInvoice      = "invoice"
	QBTxnSalesReceipt = "salesReceipt"
	QBTxnSalesOrder   = "salesOrder"
)

// ShippingCostAs choices: how a ShipStation shipping cost is written into the QuickBooks sale.
const (
	// ShippingCostLine adds a line of ShippingItem with the label's cost.
	ShippingCostLine = "line"
	// ShippingCostNone writes no cost (tracking only, whatever AddShippingCost says).
	ShippingCostNone = "none"
)

// Defaults of the QuickBooks → ShipStation direction (seed 004).
const (
	// DefaultExportClass is the QuickBooks class a sale must have to be sent (seed 004 step 4).
	DefaultExportClass = "ShipStation"
	// DefaultExportOrderStatus is the ShipStation status new orders are created in.
	DefaultExportOrderStatus = "awaiting_shipment"
	// DefaultExportShippingItem is the QuickBooks item a shipping-cost line uses.
	DefaultExportShippingItem = "Shipping"
	// MaxTestOrderNumbers bounds the test-sales list (seed 004 step 5: "a" few numbers).
	MaxTestOrderNumbers = 50
)

// ShipStationOrderStatuses are the order statuses ShipStation V1 knows; OrderStatus and
// ShippedStatuses take them.
var ShipStationOrderStatuses = []string{"awaiting_payment", "awaiting_shipment", "pending_fulfillment", "shipped", "on_hold", "cancelled"}

// QuickBooksToShipStationSettings say whether and how a ShipStation store connection gets the
// QuickBooks Desktop company's sales as ShipStation orders (seed 004), and what comes back when
// they ship. The company is the connection's QuickBooks Desktop connection. Stored in the
// connection's settings JSON under "quickbooksToShipStation"; the zero value is "off" and
// WithDefaults fills the rest.
type QuickBooksToShipStationSettings struct {
	// Enabled turns the direction on ("Sync orders from QuickBooks to ShipStation").
	Enabled bool `json:"enabled"`
	// TxnTypes are the QuickBooks transactions sent: QBTxnInvoice, QBTxnSalesReceipt,
	// QBTxnSalesOrder. Empty means all three.
	TxnTypes []string `json:"txnTypes"`
	// ClassFilter is the QuickBooks class (full name, case-insensitive) a sale must have to be
	// sent, unless AllSales. Default DefaultExportClass.
	ClassFilter string `json:"classFilter"`
	// AllSales sends every sale of TxnTypes whatever its class.
	AllSales bool `json:"allSales"`
	// StoreID is the ShipStation store orders go to; 0 means the account's "Manual Orders"
	// store. A QUICKBOOKS_TO_SHIPSTATION rule may choose another per sale.
	StoreID int64 `json:"storeId"`
	// OrderStatus is the ShipStation status orders are created in (a rule may change it).
	OrderStatus string `json:"orderStatus"`
	// TestOrderNumbers are QuickBooks order numbers (RefNumber) to send on the next Web
	// Connector run whatever the class filter and the watermark say (seed 004 step 5).
	TestOrderNumbers []string `json:"testOrderNumbers"`
	// AddTracking writes the tracking number, carrier and ship date into the QuickBooks sale
	// when ShipStation shows the order in one of ShippedStatuses.
	AddTracking bool `json:"addTracking"`
	// AddShippingCost writes the shipping cost into the QuickBooks sale, as ShippingCostAs says.
	AddShippingCost bool `json:"addShippingCost"`
	// ShippingCostAs is ShippingCostLine (default) or ShippingCostNone.
	ShippingCostAs string `json:"shippingCostAs"`
	// ShippingItem is the QuickBooks item of the shipping-cost line (default "Shipping").
	ShippingItem string `json:"shippingItem"`
	// ShippedStatuses are the ShipStation statuses that count as shipped (seed 004: "enter
	// Shipped as the order status to export"). Default ["shipped"].
	ShippedStatuses []string `json:"shippedStatuses"`
}

// WithDefaults trims the text fields, lower-cases the statuses, drops blank and repeated list
// entries and fills ClassFilter, OrderStatus, ShippingCostAs, ShippingItem and ShippedStatuses.
func (s QuickBooksToShipStationSettings) WithDefaults() QuickBooksToShipStationSettings {
	s.ClassFilter = strings.TrimSpace(s.ClassFilter)
	if s.ClassFilter == "" {
		s.ClassFilter = DefaultExportClass
	}
	s.OrderStatus = strings.ToLower(strings.TrimSpace(s.OrderStatus))
	if s.OrderStatus == "" {
		s.OrderStatus = DefaultExportOrderStatus
	}
	s.ShippingCostAs = strings.ToLower(strings.TrimSpace(s.ShippingCostAs))
	if s.ShippingCostAs == "" {
		s.ShippingCostAs = ShippingCostLine
	}
	s.ShippingItem = strings.TrimSpace(s.ShippingItem)
	if s.ShippingItem == "" {
		s.ShippingItem = DefaultExportShippingItem
	}
	s.TxnTypes = uniq(s.TxnTypes, func(v string) string { return canonicalTxnType(strings.TrimSpace(v)) })
	if len(s.TxnTypes) == 0 {
		s.TxnTypes = []string{QBTxnInvoice, QBTxnSalesReceipt, QBTxnSalesOrder}
	}
	s.TestOrderNumbers = uniq(s.TestOrderNumbers, strings.TrimSpace)
	s.ShippedStatuses = uniq(s.ShippedStatuses, func(v string) string { return strings.ToLower(strings.TrimSpace(v)) })
	if len(s.ShippedStatuses) == 0 {
		s.ShippedStatuses = []string{"shipped"}
	}
	return s
}

// canonicalTxnType spells a transaction type the way TxnTypes stores it ("SalesReceipt",
// "sales_receipt" and "salesreceipt" are all QBTxnSalesReceipt); unknown values are kept for
// Validate to name.
func canonicalTxnType(v string) string {
	switch strings.ToLower(strings.ReplaceAll(v, "_", "")) {
	case "invoice":
		return QBTxnInvoice
	case "salesreceipt":
		return QBTxnSalesReceipt
	case "salesorder":
		return QBTxnSalesOrder
	}
	return v
}

// uniq maps every entry through norm and keeps the non-empty ones once (case-insensitive), in
// order.
func uniq(in []string, norm func(string) string) []string {
	if len(in) == 0 {
		return nil
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	for _, v := range in {
		v = norm(v)
		if v == "" || seen[strings.ToLower(v)] {
			continue
		}
		seen[strings.ToLower(v)] = true
		out = append(out, v)
	}
	return out
}

// Validate names every QuickBooks → ShipStation setting that is out of range, prefixed
// "quickbooksToShipStation.".
func (s QuickBooksToShipStationSettings) Validate() error {
	s = s.WithDefaults()
	var errs []error
	for _, t := range s.TxnTypes {
		if t != QBTxnInvoice && t != QBTxnSalesReceipt && t != QBTxnSalesOrder {
			errs = append(errs, fmt.Errorf("quickbooksToShipStation.txnTypes: %q is not one of %s, %s, %s", t, QBTxnInvoice, QBTxnSalesReceipt, QBTxnSalesOrder))
		}
	}
	// QuickBooks class full names are at most 159 characters (three levels of 31 plus colons).
	if len([]rune(s.ClassFilter)) > 159 {
		errs = append(errs, errors.New("quickbooksToShipStation.classFilter must be at most 159 characters"))
	}
	if s.StoreID < 0 {
		errs = append(errs, fmt.Errorf("quickbooksToShipStation.storeId must be 0 (Manual Orders) or a ShipStation store id, not %d", s.StoreID))
	}
	if !isShipStationStatus(s.OrderStatus) {
		errs = append(errs, fmt.Errorf("quickbooksToShipStation.orderStatus must be one of %s, not %q", strings.Join(ShipStationOrderStatuses, ", "), s.OrderStatus))
	}
	for _, st := range s.ShippedStatuses {
		if !isShipStationStatus(st) {
			errs = append(errs, fmt.Errorf("quickbooksToShipStation.shippedStatuses: %q is not one of %s", st, strings.Join(ShipStationOrderStatuses, ", ")))
		}
	}
	if s.ShippingCostAs != ShippingCostLine && s.ShippingCostAs != ShippingCostNone {
		errs = append(errs, fmt.Errorf("quickbooksToShipStation.shippingCostAs must be one of %s, %s, not %q", ShippingCostLine, ShippingCostNone, s.ShippingCostAs))
	}
	// QuickBooks item full names are at most 159 characters.
	if len([]rune(s.ShippingItem)) > 159 {
		errs = append(errs, errors.New("quickbooksToShipStation.shippingItem must be at most 159 characters"))
	}
	if len(s.TestOrderNumbers) > MaxTestOrderNumbers {
		errs = append(errs, fmt.Errorf("quickbooksToShipStation.testOrderNumbers may list at most %d numbers, not %d", MaxTestOrderNumbers, len(s.TestOrderNumbers)))
	}
	for _, n := range s.TestOrderNumbers {
		// RefNumber is at most 11 characters in QuickBooks.
		if len([]rune(n)) > 11 {
			errs = append(errs, fmt.Errorf("quickbooksToShipStation.testOrderNumbers: %q is longer than QuickBooks' 11-character order numbers", n))
			break
		}
	}
	return errors.Join(errs...)
}

func isShipStationStatus(v string) bool {
	for _, st := range ShipStationOrderStatuses {
		if v == st {
			return true
		}
	}
	return false
}

// Sends reports whether sales of QuickBooks transaction type txnType (QBTxnInvoice, …) are sent.
func (s QuickBooksToShipStationSettings) Sends(txnType string) bool {
	for _, t := range s.WithDefaults().TxnTypes {
		if t == txnType {
			return true
		}
	}
	return false
}

// ClassMatches reports whether a sale of QuickBooks class classFullName passes the class
// filter: always with AllSales, else when it names ClassFilter (case-insensitive; a subclass
// "ShipStation:East" matches "ShipStation").
func (s QuickBooksToShipStationSettings) ClassMatches(classFullName string) bool {
	s = s.WithDefaults()
	if s.AllSales {
		return true
	}
	c := strings.ToLower(strings.TrimSpace(classFullName))
	f := strings.ToLower(s.ClassFilter)
	return c == f || strings.HasPrefix(c, f+":")
}

// Shipped reports whether ShipStation status st counts as shipped.
func (s QuickBooksToShipStationSettings) Shipped(st string) bool {
	st = strings.ToLower(strings.TrimSpace(st))
	for _, v := range s.WithDefaults().ShippedStatuses {
		if v == st {
			return true
		}
	}
	return false
}
