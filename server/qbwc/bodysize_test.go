package qbwc

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// Assumptions of the body-size measurement (README.md, "Request size"): what the largest
// legitimate receiveResponseXML answers.
const (
	// measuredLines is the line count of every sales receipt in the largest work batch: order
	// lines plus shipping, discount and rounding lines of a very large web order.
	measuredLines = 100
	// measuredLineDesc is a line description's length: Shopify and WooCommerce product titles
	// (255) with room for a variant.
	measuredLineDesc = 300
	// measuredItems is the item list a company may hold in QuickBooks Desktop Pro and Premier
	// (14 500 names across item, customer, vendor and other lists), all of it items: the
	// whole-list read (ordersync.RefreshItemList) answers with every one.
	measuredItems = 14_500
)

// soapBody wraps a qbXML response in receiveResponseXML exactly as QBWC posts it (the qbXML
// escaped as text inside <response>).
func soapBody(ticket, response string) int {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><receiveResponseXML xmlns="http://developer.intuit.com/"><ticket>` + ticket + `</ticket><response>`)
	_ = xml.EscapeText(&b, []byte(response))
	b.WriteString(`</response><hresult /><message /></receiveResponseXML></soap:Body></soap:Envelope>`)
	return b.Len()
}

func process(t *testing.T, c *qbdsim.Company, reqs ...qbxml.Request) string {
	t.Helper()
	m := qbxml.NewMsgSet("13.0", qbxml.ContinueOnError)
	for _, r := range reqs {
		m.Add(r)
	}
	msg, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.ProcessQBXML(string(msg))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `statusSeverity="Error"`) {
		t.Fatalf("the simulated QuickBooks refused a request: %.600s", out)
	}
	return out
}

func fill(prefix string, n int) string { return (prefix + strings.Repeat("x", n))[:n] }

func maxAddress(tag string) *qbxml.Address {
	return &qbxml.Address{Addr1: fill(tag+"1", qbxml.MaxAddrLine), Addr2: fill(tag+"2", qbxml.MaxAddrLine),
		Addr3: fill(tag+"3", qbxml.MaxAddrLine), City: fill("c", qbxml.MaxCity), State: fill("s", qbxml.MaxState),
		PostalCode: fill("p", qbxml.MaxPostalCode), Country: fill("k", qbxml.MaxCountry)}
}

// TestLargestResponseFitsTheBodyCap measures, against the simulated QuickBooks company, the two
// largest receiveResponseXML bodies Ledgerlink's message sets can produce — a full work batch
// (qbd.DefaultMaxBatch sales receipts, every field at its qbXML maximum) and the whole item-list
// read — and checks that MaxBodyBytes holds the larger with at least 50 % to spare.
func TestLargestResponseFitsTheBodyCap(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement")
	}
	c := qbdsim.New(qbdsim.Config{})
	if err := c.Seed(); err != nil {
		t.Fatal(err)
	}
	// Items and a customer for the receipts, with maximal names.
	items := make([]string, measuredLines)
	var adds []qbxml.Request
	for i := range items {
		items[i] = fill(fmt.Sprintf("L%03d-", i), qbxml.MaxItemName)
		adds = append(adds, qbxml.ItemNonInventoryAdd{Name: items[i],
			SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: fill("d", measuredLineDesc), Price: qbxml.Ptr(qbxml.Price(99999999)), AccountRef: qbxml.ByName("Sales")}})
	}
	customer := fill("Customer ", qbxml.MaxCustomerName)
	adds = append(adds, qbxml.CustomerAdd{Name: customer, CompanyName: fill("Co ", qbxml.MaxCompanyName),
		FirstName: fill("F", qbxml.MaxFirstName), LastName: fill("L", qbxml.MaxLastName), BillAddress: maxAddress("b"), ShipAddress: maxAddress("s")})
	process(t, c, adds...)

	lines := make([]qbxml.Line, measuredLines)
	for i := range lines {
		lines[i] = qbxml.Line{ItemRef: qbxml.ByName(items[i]), Desc: fill("desc ", measuredLineDesc),
			Quantity: qbxml.Ptr(qbxml.Quantity(99999)), Rate: qbxml.Ptr(qbxml.Price(99999)), Other1: fill("o", 29), Other2: fill("o", 29)}
	}
	var receipts []qbxml.Request
	for i := range qbd.DefaultMaxBatch {
		receipts = append(receipts, qbxml.SalesReceiptAdd{CustomerRef: qbxml.ByName(customer), RefNumber: fmt.Sprintf("%011d", i),
			BillAddress: maxAddress("b"), ShipAddress: maxAddress("s"), Memo: fill("memo ", qbxml.MaxMemo),
			Other: fill("other", 29), Lines: lines})
	}
	work := soapBody(strings.Repeat("f", 32), process(t, c, receipts...))

	// The item list: measure a sample of maximal items and scale to measuredItems.
	const sample = 500
	var more []qbxml.Request
	for i := range sample - measuredLines {
		more = append(more, qbxml.ItemNonInventoryAdd{Name: fill(fmt.Sprintf("I%05d-", i), qbxml.MaxItemName),
			SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: fill("d", measuredLineDesc), Price: qbxml.Ptr(qbxml.Price(99999999)), AccountRef: qbxml.ByName("Sales")}})
	}
	process(t, c, more...)
	before := soapBody(strings.Repeat("f", 32), process(t, c, qbxml.ItemQuery{Filter: qbxml.ListFilter{ActiveStatus: qbxml.ActiveAll}}))
	// Per item: the sample's body over its item count (the seeded items only make it larger).
	itemList := before / sample * measuredItems

	largest := max(work, itemList)
	t.Logf("largest work batch (%d receipts × %d lines): %.1f MiB; item list of %d items: %.1f MiB (%d bytes/item); cap %d MiB",
		qbd.DefaultMaxBatch, measuredLines, float64(work)/(1<<20), measuredItems, float64(itemList)/(1<<20), before/sample, MaxBodyBytes>>20)
	if MaxBodyBytes < largest*3/2 {
		t.Fatalf("MaxBodyBytes (%d) leaves less than 50%% margin over the largest legitimate body (%d)", MaxBodyBytes, largest)
	}
}
