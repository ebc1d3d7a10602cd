package demo

import (
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// The demo company holds three hand-entered sales in class ShipStation.
func TestDemoCompanyHasShipStationSales(t *testing.T) {
	c := qbdsim.New(qbdsim.Config{ValidateSchema: true})
	if err := c.Seed(); err != nil {
		t.Fatal(err)
	}
	if err := seedShipStationSales(c); err != nil {
		t.Fatal(err)
	}
	resp, err := c.ProcessQBXML(`<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">` +
		`<InvoiceQueryRq><RefNumber>QB-7001</RefNumber></InvoiceQueryRq><SalesReceiptQueryRq><RefNumber>QB-7002</RefNumber></SalesReceiptQueryRq>` +
		`<SalesOrderQueryRq><RefNumber>QB-7003</RefNumber></SalesOrderQueryRq></QBXMLMsgsRq></QBXML>`)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(resp, "<FullName>ShipStation</FullName>"); n != 3 {
		t.Fatalf("%d sales in class ShipStation, want 3: %.400s", n, resp)
	}
}
