package shipback_test

import (
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml/qbxmltest"
	"github.com/ledgerlink/ledgerlink/jobs/shipback"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// The golden files under testdata are written by hand from the cases below; each must also
// validate against Intuit's qbXML 13.0 schema.

// checkGolden writes reqs as one qbXML 13.0 message set, the form of the golden files, compares
// it with testdata/name.xml and validates that file against the XSD.
func checkGolden(t *testing.T, name string, reqs ...qbxml.Request) {
	t.Helper()
	qbxmltest.Golden(t, qbxml.Version13, name, qbxmltest.Message(t, qbxml.NewMsgSet(qbxml.Version13, qbxml.ContinueOnError), reqs...))
}

var shipDay = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)

func label() shipback.Shipped {
	return shipback.Shipped{Source: "shipment", SourceID: 1234, Tracking: "1Z999AA10123456784", Carrier: "ups",
		Service: "ups_ground", ShipDate: shipDay, Cost: orders.Money(1234)}
}

func twoLines() []qbxml.LineRet {
	return []qbxml.LineRet{{TxnLineID: "2A-1764900000", Desc: "Standard widget"}, {TxnLineID: "2B-1764900000", Desc: "Gadget"}}
}

func TestModGolden(t *testing.T) {
	all := shipback.What{Tracking: true, CostLine: true, ShippingItem: "Shipping"}
	sr := shipback.Sale{TxnType: shipstation.KeySalesReceipt, TxnID: "1F-1764900000", EditSequence: "1764900001", Memo: "Phone order", Lines: twoLines()}
	srMod, note := shipback.Mod(sr, label(), all)
	if note != "" {
		t.Errorf("note %q", note)
	}
	// An invoice marked shipped elsewhere (a fulfillment, no cost, no memo yet) and a carrier
	// QuickBooks has no default ship method for.
	ful := shipback.Shipped{Source: "fulfillment", SourceID: 77, Tracking: "794612345678", Carrier: "dhl_express_worldwide", ShipDate: shipDay}
	inv := shipback.Sale{TxnType: shipstation.KeyInvoice, TxnID: "20-1764900000", EditSequence: "1764900002", Lines: twoLines()}
	invMod, _ := shipback.Mod(inv, ful, all)
	// A sales order with the cost only: the mark goes into the line.
	so := shipback.Sale{TxnType: shipstation.KeySalesOrder, TxnID: "30-1764900000", EditSequence: "1764900003", Memo: "Rush", Lines: twoLines()}
	soMod, _ := shipback.Mod(so, label(), shipback.What{CostLine: true, ShippingItem: "Freight"})
	checkGolden(t, "mods", shipback.Read(shipstation.KeySalesReceipt, sr.TxnID), srMod, invMod, soMod,
		qbxml.ShipMethodAdd{Name: shipback.ShipMethodName("canada_post")})

	// A sale with group lines cannot be listed line by line: the cost goes into the memo.
	grouped := sr
	grouped.HasGroups = true
	gMod, note := shipback.Mod(grouped, label(), all)
	if note == "" {
		t.Error("no note for a sale with group lines")
	}
	checkGolden(t, "mod-grouped", gMod)
}

func TestAppliedFindsOnlyItsOwnMark(t *testing.T) {
	s := label()
	for _, c := range []struct {
		memo, desc string
		want       bool
	}{
		{"Shipped 2026-12-05 [ShipStation shipment 1234]; Phone order", "", true},
		{"", "Shipping UPS ups_ground [ShipStation shipment 1234]", true},
		{"Shipped [ShipStation shipment 12345]", "", false}, // another shipment's number starts alike
		{"ShipStation fulfillment 1234", "", false},
		{"Phone order", "Gadget", false},
	} {
		sale := shipback.Sale{Memo: c.memo, Lines: []qbxml.LineRet{{Desc: c.desc}}}
		if got := sale.Applied(s); got != c.want {
			t.Errorf("Applied(memo %q, line %q) = %v, want %v", c.memo, c.desc, got, c.want)
		}
	}
}
