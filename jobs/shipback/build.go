package shipback

import (
	"fmt"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// Shipped is one ShipStation shipment as it is written into a QuickBooks sale.
type Shipped struct {
	// Source is db.ShipBackShipment (a label) or db.ShipBackFulfillment (marked shipped
	// elsewhere); SourceID is ShipStation's shipmentId or fulfillmentId.
	Source   string
	SourceID int64
	Tracking string
	Carrier  string // ShipStation carrier code: "ups", "fedex", "stamps_com", …
	Service  string // ShipStation service code: "ups_ground", …
	ShipDate time.Time
	Cost     orders.Money // the label's cost; 0 for fulfillments
}

// Marker names the shipment in the sale ("ShipStation shipment 123"): written with every
// change, it is how a later read tells that the change is already there (after a lost answer,
// a 3200 or a second announcement), so nothing is applied twice.
func (s Shipped) Marker() string { return "ShipStation " + s.Source + " " + fmt.Sprint(s.SourceID) }

// Sale is what the read of a QuickBooks sale returned that a change needs.
type Sale struct {
	TxnType      string // shipstation.KeySalesReceipt, KeyInvoice or KeySalesOrder
	TxnID        string
	EditSequence string
	Memo         string
	Lines        []qbxml.LineRet
	// HasGroups: the sale has group lines, which a Mod listing lines cannot carry over here.
	HasGroups bool
}

// SaleFrom reads the one sale of a query answer of txnType; ok is false when there is none.
func SaleFrom(txnType string, rs *qbxml.Rs) (Sale, bool) {
	if rs == nil {
		return Sale{}, false
	}
	switch {
	case txnType == shipstation.KeySalesReceipt && len(rs.SalesReceipts) == 1:
		r := rs.SalesReceipts[0]
		return Sale{TxnType: txnType, TxnID: r.TxnID, EditSequence: r.EditSequence, Memo: r.Memo, Lines: r.Lines, HasGroups: len(r.LineGroups) > 0}, true
	case txnType == shipstation.KeyInvoice && len(rs.Invoices) == 1:
		r := rs.Invoices[0]
		return Sale{TxnType: txnType, TxnID: r.TxnID, EditSequence: r.EditSequence, Memo: r.Memo, Lines: r.Lines, HasGroups: len(r.LineGroups) > 0}, true
	case txnType == shipstation.KeySalesOrder && len(rs.SalesOrders) == 1:
		r := rs.SalesOrders[0]
		return Sale{TxnType: txnType, TxnID: r.TxnID, EditSequence: r.EditSequence, Memo: r.Memo, Lines: r.Lines, HasGroups: len(r.LineGroups) > 0}, true
	}
	return Sale{}, false
}

// Applied reports whether sale already carries shipment s (its marker in the memo or a line).
func (sale Sale) Applied(s Shipped) bool {
	m := s.Marker()
	if containsMarker(sale.Memo, m) {
		return true
	}
	for _, l := range sale.Lines {
		if containsMarker(l.Desc, m) {
			return true
		}
	}
	return false
}

// containsMarker finds m in text not followed by another digit ("shipment 12" is not in
// "shipment 123").
func containsMarker(text, m string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], m)
		if j < 0 {
			return false
		}
		end := i + j + len(m)
		if end == len(text) || text[end] < '0' || text[end] > '9' {
			return true
		}
		i = end
	}
}

// What says what is written: the merchant's settings for the direction.
type What struct {
	Tracking     bool   // tracking number, carrier (ShipMethodRef) and ship date
	CostLine     bool   // the cost as a line of ShippingItem
	ShippingItem string // QuickBooks item of the cost line
}

// WhatOf reads the settings (orders.QuickBooksToShipStationSettings, defaults applied).
func WhatOf(s orders.QuickBooksToShipStationSettings) What {
	s = s.WithDefaults()
	return What{Tracking: s.AddTracking, CostLine: s.AddShippingCost && s.ShippingCostAs == orders.ShippingCostLine, ShippingItem: s.ShippingItem}
}

// Any reports whether anything is written at all.
func (w What) Any() bool { return w.Tracking || w.CostLine }

// Mod builds the change writing shipment s into sale: a SalesReceiptMod, InvoiceMod or
// SalesOrderMod on the sale's current EditSequence. With w.Tracking, the memo starts with
// "Shipped <date> via <carrier> <service>, tracking <number> [<marker>]" (the old memo kept
// after it), ShipDate and ShipMethodRef are set. With w.CostLine and a cost, a line of
// w.ShippingItem with the cost is added after the sale's lines (listed by TxnLineID, so they
// stay as they are); a sale with group lines gets the cost in the memo instead, since a Mod
// that lists lines must list every line. The marker is always written (memo or line), so
// Sale.Applied recognises the change. note says what was done differently, "" when nothing.
func Mod(sale Sale, s Shipped, w What) (rq qbxml.Request, note string) {
	var memoParts []string
	var lines []qbxml.Line
	var shipDate qbxml.Date
	var shipMethod qbxml.Ref
	costInMemo := false
	if w.CostLine && s.Cost > 0 {
		if sale.HasGroups {
			costInMemo = true
			note = "The sale has group items, so the shipping cost was written in the memo instead of as a line."
		} else {
			for _, l := range sale.Lines {
				lines = append(lines, qbxml.Line{TxnLineID: l.TxnLineID})
			}
			desc := strings.TrimSpace("Shipping " + CarrierName(s.Carrier) + " " + s.Service + " [" + s.Marker() + "]")
			amt := qbxml.Cents(int64(s.Cost))
			lines = append(lines, qbxml.Line{TxnLineID: "-1", ItemRef: qbxml.ByName(w.ShippingItem), Desc: desc, Amount: &amt})
		}
	}
	if w.Tracking {
		text := "Shipped"
		if !s.ShipDate.IsZero() {
			text += " " + s.ShipDate.Format("2006-01-02")
			shipDate = qbxml.DateOf(s.ShipDate)
		}
		if s.Carrier != "" {
			text += " via " + strings.TrimSpace(CarrierName(s.Carrier)+" "+s.Service)
			shipMethod = qbxml.ByName(ShipMethodName(s.Carrier))
		}
		if s.Tracking != "" {
			text += ", tracking " + s.Tracking
		}
		memoParts = append(memoParts, text)
	}
	if costInMemo {
		memoParts = append(memoParts, "shipping cost "+s.Cost.String())
	}
	memo := ""
	if len(memoParts) > 0 || len(lines) == 0 {
		// The marker goes first so that cutting an old memo to QuickBooks' length never cuts it.
		memo = strings.Join(memoParts, ", ")
		if memo == "" {
			memo = "Shipped"
		}
		memo += " [" + s.Marker() + "]"
		if old := strings.TrimSpace(sale.Memo); old != "" {
			memo = cutRunes(memo+"; "+old, qbxml.MaxMemo)
		}
	}
	switch sale.TxnType {
	case shipstation.KeyInvoice:
		return qbxml.InvoiceMod{TxnID: sale.TxnID, EditSequence: sale.EditSequence, ShipDate: shipDate, ShipMethodRef: shipMethod, Memo: memo, Lines: lines}, note
	case shipstation.KeySalesOrder:
		return qbxml.SalesOrderMod{TxnID: sale.TxnID, EditSequence: sale.EditSequence, ShipDate: shipDate, ShipMethodRef: shipMethod, Memo: memo, Lines: lines}, note
	default:
		return qbxml.SalesReceiptMod{TxnID: sale.TxnID, EditSequence: sale.EditSequence, ShipDate: shipDate, ShipMethodRef: shipMethod, Memo: memo, Lines: lines}, note
	}
}

// Read is the query reading sale txnID of txnType with its lines.
func Read(txnType, txnID string) qbxml.Request {
	switch txnType {
	case shipstation.KeyInvoice:
		return qbxml.InvoiceQuery{TxnIDs: []string{txnID}, IncludeLineItems: true}
	case shipstation.KeySalesOrder:
		return qbxml.SalesOrderQuery{TxnIDs: []string{txnID}, IncludeLineItems: true}
	default:
		return qbxml.SalesReceiptQuery{TxnIDs: []string{txnID}, IncludeLineItems: true}
	}
}

// carriers maps ShipStation carrier codes to the name people (and QuickBooks' default ship
// methods) use.
var carriers = map[string]string{
	"ups": "UPS", "ups_walleted": "UPS", "fedex": "FedEx", "fedex_walleted": "FedEx",
	"stamps_com": "USPS", "usps": "USPS", "endicia": "USPS", "express_1": "USPS",
	"dhl_express": "DHL", "dhl_express_worldwide": "DHL", "dhl_global_mail": "DHL", "dhl_ecommerce": "DHL",
	"canada_post": "Canada Post", "royal_mail": "Royal Mail", "australia_post": "Australia Post",
	"ontrac": "OnTrac", "lasership": "LaserShip", "amazon_buy_shipping": "Amazon", "amazon_shipping_us": "Amazon",
}

// CarrierName is the name of ShipStation carrier code ("ups" → "UPS"); an unknown code is
// returned as it is.
func CarrierName(code string) string {
	if n, ok := carriers[strings.ToLower(strings.TrimSpace(code))]; ok {
		return n
	}
	return strings.TrimSpace(code)
}

// ShipMethodName is the QuickBooks ship method of carrier code: its name, cut to the 15
// characters a ship method's name may have.
func ShipMethodName(code string) string {
	return cutRunes(CarrierName(code), qbxml.MaxShipMethodFullName)
}

func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n]))
}
