package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// TestSimQBDAdjust changes stock in a company file the way people do in the demo, then reads
// the file back. The seed holds 100 Widgets.
func TestSimQBDAdjust(t *testing.T) {
	path := seededCompanyFile(t)
	if err := simQBDAdjust([]string{"-company", path, "-item", "widget", "-by", "-7"}); err != nil {
		t.Fatal(err)
	}
	if err := simQBDAdjust([]string{"-company", path, "--item", "Gadget", "--set", "3"}); err != nil {
		t.Fatal(err)
	}
	got, err := qbdsim.Load(path, qbdsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := got.Item("Widget")
	g, _ := got.Item("Gadget")
	if w.QuantityOnHand != 93 || g.QuantityOnHand != 3 || len(got.Txns("InventoryAdjustment", "")) != 2 {
		t.Errorf("Widget %v, Gadget %v, %d adjustments", w.QuantityOnHand, g.QuantityOnHand, len(got.Txns("InventoryAdjustment", "")))
	}
	if err := simQBDAdjust([]string{"-company", path, "-item", "Installation", "-by", "1"}); !errors.Is(err, qbdsim.ErrNotFound) {
		t.Errorf("service item: %v", err)
	}
	if err := simQBDAdjust([]string{"-company", filepath.Join(t.TempDir(), "none.json"), "-item", "Widget", "-by", "1"}); !errors.Is(err, qbdsim.ErrNotFound) {
		t.Errorf("missing file: %v", err)
	}
}

// TestSimQBDSale enters sales by hand in a company file the way the README's demo section tells
// a newcomer to, then reads them back as Ledgerlink's Web Connector would: class, ship-to
// address, ship via, lines and a quick-added customer; an unknown item is refused and nothing
// is entered.
func TestSimQBDSale(t *testing.T) {
	path := seededCompanyFile(t)
	if err := simQBDSale([]string{"-company", path, "-type", "receipt", "-customer", "Harbor & Pine Co", "-ref", "HP-1",
		"-ship-to", "Harbor & Pine Co|ATTN: Mia Chen|88 Water St", "-city", "Halifax", "-state", "NS", "-zip", "B3J 1S9",
		"-ship-via", "UPSGrd", "-date", "2026-12-05", "-line", "Widget:3:19.99", "-line", "Gadget:1.5"}); err != nil {
		t.Fatal(err)
	}
	if err := simQBDSale([]string{"-company", path, "-customer", "Jane Doe", "-ref", "INV-2", "-line", "Gizmo Deluxe:1"}); err != nil {
		t.Fatal(err)
	}
	if err := simQBDSale([]string{"-company", path, "-customer", "Jane Doe", "-ref", "BAD-3", "-line", "No Such Thing:1"}); err == nil || !strings.Contains(err.Error(), "No Such Thing") {
		t.Errorf("unknown item: %v", err)
	}
	if err := simQBDSale([]string{"-company", path, "-customer", "Jane Doe", "-line", "Widget"}); err == nil {
		t.Error("a line without a quantity was accepted")
	}

	got, err := qbdsim.Load(path, qbdsim.Config{ValidateSchema: true})
	if err != nil {
		t.Fatal(err)
	}
	receipts := got.Txns("SalesReceipt", "HP-1")
	if len(receipts) != 1 {
		t.Fatalf("%d sales receipts HP-1", len(receipts))
	}
	sr := receipts[0]
	if sr.CustomerFullName != "Harbor & Pine Co" || sr.TxnDate != "2026-12-05" || sr.ShipMethod != "UPSGrd" || len(sr.Lines) != 2 ||
		sr.Lines[0].ItemFullName != "Widget" || sr.Lines[0].Quantity != 3 || sr.Lines[0].Rate != 19.99 || sr.Lines[1].Quantity != 1.5 {
		t.Errorf("sales receipt HP-1: %+v", sr)
	}
	resp, err := got.ProcessQBXML(`<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">` +
		`<SalesReceiptQueryRq><RefNumber>HP-1</RefNumber></SalesReceiptQueryRq></QBXMLMsgsRq></QBXML>`)
	if err != nil {
		t.Fatal(err)
	}
	resp = strings.ReplaceAll(resp, "\n", "")
	for _, want := range []string{"<ClassRef><ListID>", "<FullName>ShipStation</FullName></ClassRef>", "<Addr1>Harbor &amp; Pine Co</Addr1><Addr2>ATTN: Mia Chen</Addr2><Addr3>88 Water St</Addr3>",
		"<City>Halifax</City><State>NS</State><PostalCode>B3J 1S9</PostalCode>"} {
		if !strings.Contains(resp, want) {
			t.Errorf("sales receipt as QuickBooks answers it lacks %s:\n%s", want, resp)
		}
	}
	if inv := got.Txns("Invoice", "INV-2"); len(inv) != 1 || inv[0].Lines[0].ItemFullName != "Gizmo Deluxe" {
		t.Errorf("invoice INV-2: %+v", inv)
	}
	if bad := got.Txns("", "BAD-3"); len(bad) != 0 {
		t.Errorf("the refused sale was entered: %+v", bad)
	}
}

// seededCompanyFile saves a company with qbdsim's starter data where the demo keeps its own.
func seededCompanyFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo-company.json")
	c := qbdsim.New(qbdsim.Config{})
	if err := c.Seed(); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}
