package main

import (
	"errors"
	"flag"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// saleLines is the repeatable -line flag: SKU:qty[:price], SKU being the QuickBooks item's full
// name (which may itself hold colons: sub-items, "Widgets:Blue").
type saleLines []qbxml.Line

func (l *saleLines) String() string { return fmt.Sprint(len(*l), " lines") }

func (l *saleLines) Set(v string) error {
	parts := strings.Split(v, ":")
	line := qbxml.Line{}
	if n := len(parts); n >= 3 {
		if p, err := qbxml.ParsePrice(parts[n-1]); err == nil {
			if q, err := qbxml.ParseQuantity(parts[n-2]); err == nil {
				line.Quantity, line.Rate, parts = &q, &p, parts[:n-2]
			}
		}
	}
	if line.Quantity == nil && len(parts) >= 2 {
		q, err := qbxml.ParseQuantity(parts[len(parts)-1])
		if err != nil {
			return fmt.Errorf("line %q: the quantity %q is not a number (want SKU:qty[:price])", v, parts[len(parts)-1])
		}
		line.Quantity, parts = &q, parts[:len(parts)-1]
	}
	sku := strings.Join(parts, ":")
	if line.Quantity == nil || strings.TrimSpace(sku) == "" {
		return fmt.Errorf("line %q: want SKU:qty[:price], e.g. Widget:2 or Gadget:1:49.00", v)
	}
	line.ItemRef = qbxml.ByName(sku)
	*l = append(*l, line)
	return nil
}

// saleTypes are the -type values and the QuickBooks transaction each enters.
var saleTypes = map[string]string{"invoice": "Invoice", "receipt": "SalesReceipt", "sales-receipt": "SalesReceipt", "order": "SalesOrder", "sales-order": "SalesOrder"}

var saleLabels = map[string]string{"SalesReceipt": "Sales receipt", "Invoice": "Invoice", "SalesOrder": "Sales order"}

// simQBDSale enters a sale in a simulated company file as a bookkeeper would at the QuickBooks
// PC: a sales receipt, invoice or sales order of a customer, in a class, with a ship-to address,
// ship via and item lines. A customer, class or ship method the company lacks is quick-added
// first, as QuickBooks offers; an unknown item is refused, as QuickBooks does. It works while
// the demo runs: the demo's Web Connector reads the sale in its next session and, in class
// ShipStation, the demo's ShipStation connection sends it to the simulated ShipStation.
func simQBDSale(args []string) error {
	fs := flag.NewFlagSet("sim qbd sale", flag.ContinueOnError)
	file := fs.String("company", demoCompanyFile(), "company file (JSON) to change; default: the demo's")
	typ := fs.String("type", "invoice", "invoice, receipt (sales receipt) or order (sales order)")
	customer := fs.String("customer", "", "customer name (quick-added when the company has none of that name)")
	class := fs.String("class", "ShipStation", "QuickBooks class of the sale (\"\" for none)")
	shipTo := fs.String("ship-to", "", "ship-to address lines separated by |, e.g. \"Acme Corp|ATTN: Jane Roe|400 W Madison St\"")
	city := fs.String("city", "", "ship-to city")
	state := fs.String("state", "", "ship-to state or province")
	zip := fs.String("zip", "", "ship-to postal code")
	country := fs.String("country", "", "ship-to country (empty: derived from the state by Ledgerlink)")
	shipVia := fs.String("ship-via", "", "ship via (QuickBooks ship method, ≤ 15 characters; quick-added when missing)")
	ref := fs.String("ref", "", "the sale's number (QuickBooks' No.; empty: QuickBooks numbers it)")
	date := fs.String("date", "", "the sale's date, YYYY-MM-DD (default today)")
	memo := fs.String("memo", "", "memo")
	var lines saleLines
	fs.Var(&lines, "line", "an item line SKU:qty[:price] (repeat for more lines); SKU is the QuickBooks item name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	txnType, ok := saleTypes[strings.ToLower(*typ)]
	if *customer == "" || len(lines) == 0 || !ok {
		return errors.New(`usage: ledgerlink sim qbd sale -customer NAME -line SKU:qty[:price] [-line …] [-type invoice|receipt|order] [-class ShipStation] [-ship-to "line 1|line 2|…" -city C -state S -zip Z -country C] [-ship-via UPS] [-ref NO] [-company FILE]`)
	}
	day := qbxml.DateOf(time.Now())
	if *date != "" {
		d, err := qbxml.ParseDate(*date)
		if err != nil {
			return fmt.Errorf("-date %q: want YYYY-MM-DD", *date)
		}
		day = d
	}
	var addr *qbxml.Address
	if *shipTo != "" || *city != "" || *state != "" || *zip != "" || *country != "" {
		l := append(strings.Split(*shipTo, "|"), "", "", "", "", "")
		if n := len(strings.Split(*shipTo, "|")); n > 5 {
			return fmt.Errorf("-ship-to has %d lines; QuickBooks keeps at most 5", n)
		}
		addr = &qbxml.Address{Addr1: l[0], Addr2: l[1], Addr3: l[2], Addr4: l[3], Addr5: l[4], City: *city, State: *state, PostalCode: *zip, Country: *country}
	}
	var sale qbxml.Request
	switch txnType {
	case "SalesReceipt":
		sale = qbxml.SalesReceiptAdd{CustomerRef: qbxml.ByName(*customer), ClassRef: optRef(*class), TxnDate: day, RefNumber: *ref, ShipAddress: addr,
			ShipMethodRef: optRef(*shipVia), Memo: *memo, Lines: lines}
	case "Invoice":
		sale = qbxml.InvoiceAdd{CustomerRef: qbxml.ByName(*customer), ClassRef: optRef(*class), TxnDate: day, RefNumber: *ref, ShipAddress: addr,
			ShipMethodRef: optRef(*shipVia), Memo: *memo, Lines: lines}
	default:
		sale = qbxml.SalesOrderAdd{CustomerRef: qbxml.ByName(*customer), ClassRef: optRef(*class), TxnDate: day, RefNumber: *ref, ShipAddress: addr,
			ShipMethodRef: optRef(*shipVia), Memo: *memo, Lines: lines}
	}
	var entered *qbxml.Rs
	f := &qbdsim.SharedFile{Path: *file}
	err := f.Update(func(c *qbdsim.Company) error {
		if err := quickAdd(c, *customer, *class, *shipVia); err != nil {
			return err
		}
		rs, err := processOne(c, sale)
		if err != nil {
			return err
		}
		entered = rs
		return nil
	})
	if errors.Is(err, qbdsim.ErrNotFound) {
		return fmt.Errorf("%w (the demo creates its company file when it starts: make run; or give -company)", err)
	}
	if err != nil {
		return err
	}
	id, ref2 := enteredSale(entered)
	fmt.Printf("%s %s entered for %s in class %q (TxnID %s) in %s.\n", saleLabels[txnType], ref2, *customer, *class, id, *file)
	if strings.EqualFold(*class, "ShipStation") {
		fmt.Println("The demo's next Web Connector run reads it; its ShipStation connection then sends it to the simulated ShipStation (Awaiting Shipment).")
	}
	return nil
}

func optRef(name string) qbxml.Ref {
	if name == "" {
		return qbxml.Ref{}
	}
	return qbxml.ByName(name)
}

// quickAdd adds the customer, class and ship method the sale names when the company lacks
// them, as QuickBooks' Quick Add does when a bookkeeper types a new name.
func quickAdd(c *qbdsim.Company, customer, class, shipVia string) error {
	if _, err := c.Customer(customer); errors.Is(err, qbdsim.ErrNotFound) {
		if _, err := processOne(c, qbxml.CustomerAdd{Name: customer}); err != nil {
			return err
		}
	}
	if class != "" {
		// qbxml has no ClassAdd request (Ledgerlink never makes classes): written by hand.
		rs, err := processRaw(c, `<ClassAddRq><ClassAdd><Name>`+html.EscapeString(class)+`</Name></ClassAdd></ClassAddRq>`)
		if err != nil && (rs == nil || rs.Class() != qbxml.NameInUse) {
			return err
		}
	}
	if shipVia != "" {
		if rs, err := processOne(c, qbxml.ShipMethodAdd{Name: shipVia}); err != nil && (rs == nil || rs.Class() != qbxml.NameInUse) {
			return err
		}
	}
	return nil
}

// processOne sends one request to the company; QuickBooks' refusal is the error (with rs).
func processOne(c *qbdsim.Company, rq qbxml.Request) (*qbxml.Rs, error) {
	frag, _, err := qbxml.Encode(rq)
	if err != nil {
		return nil, err
	}
	return processRaw(c, frag)
}

func processRaw(c *qbdsim.Company, fragment string) (*qbxml.Rs, error) {
	msg := qbxml.NewMsgSet(qbxml.Version13, qbxml.StopOnError)
	msg.AddEncoded(fragment)
	b, err := msg.Bytes()
	if err != nil {
		return nil, err
	}
	resp, err := c.ProcessQBXML(string(b))
	if err != nil {
		return nil, err
	}
	parsed, err := qbxml.ParseResponse([]byte(resp))
	if err != nil {
		return nil, err
	}
	if len(parsed.Responses) != 1 {
		return nil, fmt.Errorf("QuickBooks answered %d responses to one request", len(parsed.Responses))
	}
	rs := parsed.Responses[0]
	switch rs.Class() {
	case qbxml.OK, qbxml.Warning:
		return rs, nil
	}
	return rs, fmt.Errorf("QuickBooks refused %s: %s (status %d)", rs.RequestElement(), rs.StatusMessage, rs.StatusCode)
}

// enteredSale returns the TxnID and number of the sale an *AddRs carries.
func enteredSale(rs *qbxml.Rs) (txnID, ref string) {
	switch {
	case len(rs.SalesReceipts) > 0:
		return rs.SalesReceipts[0].TxnID, rs.SalesReceipts[0].RefNumber
	case len(rs.Invoices) > 0:
		return rs.Invoices[0].TxnID, rs.Invoices[0].RefNumber
	case len(rs.SalesOrders) > 0:
		return rs.SalesOrders[0].TxnID, rs.SalesOrders[0].RefNumber
	}
	return "", ""
}
