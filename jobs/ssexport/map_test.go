package ssexport

import (
	"errors"
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// The seed's address table, with real-looking QuickBooks addresses; every expected address is
// written out by hand.
func TestMapAddress(t *testing.T) {
	jane := Contact{FirstName: "Jane", LastName: "Doe", Phone: "217-555-0100", Email: "jane.doe@example.com"}
	acme := Contact{FirstName: "Jane", LastName: "Roe", Company: "Acme Corp", Phone: "312-555-0140"}
	companyOnly := Contact{Company: "Northwind Traders", Phone: "206-555-0188"}
	for _, tc := range []struct {
		name string
		in   qbxml.Address
		c    Contact
		want shipstation.Address
	}{
		{"person, line 1 is the customer's name", qbxml.Address{Addr1: "Jane Doe", Addr2: "12 Main Street", Addr3: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}, jane,
			shipstation.Address{Name: "Jane Doe", Street1: "12 Main Street", Street2: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US", Phone: "217-555-0100"}},
		{"name written differently still matches", qbxml.Address{Addr1: "JANE  doe", Addr2: "12 Main Street", City: "Springfield", State: "IL", PostalCode: "62701"}, jane,
			shipstation.Address{Name: "JANE  doe", Street1: "12 Main Street", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US", Phone: "217-555-0100"}},
		{"ATTN in line 2", qbxml.Address{Addr1: "Acme Corp", Addr2: "ATTN: Jane Roe", Addr3: "400 W Madison St", Addr4: "Suite 1200", City: "Chicago", State: "IL", PostalCode: "60606"}, acme,
			shipstation.Address{Name: "Jane Roe", Company: "Acme Corp", Street1: "400 W Madison St", Street2: "Suite 1200", City: "Chicago", State: "IL", PostalCode: "60606", Country: "US", Phone: "312-555-0140"}},
		{"ATTN in line 1", qbxml.Address{Addr1: "Attn. Shipping Dept", Addr2: "Acme Corp", Addr3: "400 W Madison St", City: "Chicago", State: "IL", PostalCode: "60606"}, acme,
			shipstation.Address{Name: "Shipping Dept", Company: "Acme Corp", Street1: "400 W Madison St", City: "Chicago", State: "IL", PostalCode: "60606", Country: "US", Phone: "312-555-0140"}},
		{"line 1 is the company, the person comes from the customer", qbxml.Address{Addr1: "Acme Corp", Addr2: "400 W Madison St", City: "Chicago", State: "IL", PostalCode: "60606"}, acme,
			shipstation.Address{Name: "Jane Roe", Company: "Acme Corp", Street1: "400 W Madison St", City: "Chicago", State: "IL", PostalCode: "60606", Country: "US", Phone: "312-555-0140"}},
		{"company-only customer", qbxml.Address{Addr1: "Northwind Traders", Addr2: "2732 Baker Blvd", City: "Eugene", State: "OR", PostalCode: "97403"}, companyOnly,
			shipstation.Address{Name: "Northwind Traders", Company: "Northwind Traders", Street1: "2732 Baker Blvd", City: "Eugene", State: "OR", PostalCode: "97403", Country: "US", Phone: "206-555-0188"}},
		{"Canadian province, no country", qbxml.Address{Addr1: "Luc Tremblay", Addr2: "1200 Rue Sainte-Catherine O", City: "Montréal", State: "QC", PostalCode: "H3B 1K9"}, Contact{FirstName: "Luc", LastName: "Tremblay"},
			shipstation.Address{Name: "Luc Tremblay", Street1: "1200 Rue Sainte-Catherine O", City: "Montréal", State: "QC", PostalCode: "H3B 1K9", Country: "CA"}},
		{"British Columbia spelled as a country", qbxml.Address{Addr1: "Luc Tremblay", Addr2: "88 W Pender St", City: "Vancouver", State: "BC", PostalCode: "V6B 6N9", Country: "Canada"}, Contact{},
			shipstation.Address{Name: "Luc Tremblay", Street1: "88 W Pender St", City: "Vancouver", State: "BC", PostalCode: "V6B 6N9", Country: "CA"}},
		{"United Kingdom, five lines", qbxml.Address{Addr1: "Oliver Smith", Addr2: "Flat 3", Addr3: "27 Old Gloucester St", Addr4: "Holborn", Addr5: "Bloomsbury", City: "London", PostalCode: "WC1N 3AX", Country: "United Kingdom"}, Contact{FirstName: "Oliver", LastName: "Smith"},
			shipstation.Address{Name: "Oliver Smith", Street1: "Flat 3", Street2: "27 Old Gloucester St", Street3: "Holborn, Bloomsbury", City: "London", PostalCode: "WC1N 3AX", Country: "GB"}},
		{"Australian state, no country", qbxml.Address{Addr1: "Mia Wilson", Addr2: "1 Macquarie St", City: "Sydney", State: "NSW", PostalCode: "2000"}, Contact{},
			shipstation.Address{Name: "Mia Wilson", Street1: "1 Macquarie St", City: "Sydney", State: "NSW", PostalCode: "2000", Country: "AU"}},
		{"no line 1: the customer's name", qbxml.Address{Addr2: "12 Main Street", City: "Springfield", State: "IL", PostalCode: "62701"}, jane,
			shipstation.Address{Name: "Jane Doe", Street1: "12 Main Street", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US", Phone: "217-555-0100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MapAddress(tc.in, tc.c); got != tc.want {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestDocumentParksFractionalQuantities(t *testing.T) {
	s := Sale{Type: shipstation.KeyInvoice, RefNumber: "1001", TxnDate: "2026-12-04",
		Lines: []SaleLine{{Item: "Widget", Quantity: qbxml.Units(2), HasQty: true, Rate: qbxml.PriceCents(1999), Amount: 3998},
			{Item: "Rope (ft)", Quantity: 150000, HasQty: true, Rate: qbxml.PriceCents(100), Amount: 150}}}
	_, err := Document(s, Contact{}, "Shipping")
	var p *Parked
	if !errors.As(err, &p) || !strings.Contains(p.Reason, "Line 2 (Rope (ft)) has quantity 1.5") || !strings.Contains(p.Reason, "whole quantities") {
		t.Fatalf("Document = %v, want it parked for line 2", err)
	}
}

func TestExplain(t *testing.T) {
	for msg, want := range map[string]string{
		"Provider and service mismatch for order 1001.": "two UPS",
		"The order with orderKey \"k\" is shipped; only awaiting_payment, awaiting_shipment and on_hold orders can be updated.": "already shipped or cancelled",
		"Store 99 does not exist on this account.": "does not exist",
		"The field orderNumber is required.":       "ShipStation refused the order: The field orderNumber is required.",
	} {
		if got := Explain(msg); !strings.Contains(got, want) {
			t.Errorf("Explain(%q) = %q, want it to say %q", msg, got, want)
		}
	}
}
