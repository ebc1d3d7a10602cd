package qbdsim

import (
	"fmt"
	"strings"
	"time"
)

// nameMax is the QuickBooks Desktop length of a list element's Name (OSR
// 13.0 "max length = N for QBD").
func nameMax(kind string) int {
	switch kind {
	case "Customer", "Vendor":
		return 41
	case "ShipMethod":
		return 15
	case "SalesTaxCode":
		return 3
	}
	return 31
}

// fieldMax is the QuickBooks Desktop length of a text element, by element
// name and the element it belongs to (OSR 13.0); 0 means unlimited here.
func fieldMax(parent, name string) int {
	switch name {
	case "RefNumber":
		if strings.HasSuffix(parent, "QueryRq") {
			// A query's RefNumber is searched for as given (OSR: STRTYPE without a length):
			// cutting it to 11 would miss a payment's 20-character RefNumber.
			return 0
		}
		switch parent {
		case "ReceivePaymentAdd", "ReceivePaymentMod", "BillAdd", "BillMod", "ItemReceiptAdd", "ItemReceiptMod":
			return 20 // a vendor's invoice number (qbxml130.xsd BillAdd/ItemReceiptAdd RefNumber)
		}
		return 11
	case "Note":
		if parent == "AdditionalNotes" || parent == "AdditionalNotesMod" {
			return 4095
		}
		return 41
	case "Addr1", "Addr2", "Addr3", "Addr4", "Addr5", "CompanyName", "JobTitle", "Contact", "AltContact", "PrintAs":
		return 41
	case "City", "Country", "ManufacturerPartNumber", "UnitOfMeasure":
		return 31
	case "State", "Phone", "AltPhone", "Fax", "Mobile", "Pager":
		return 21
	case "PostalCode", "FOB":
		return 13
	case "FirstName", "LastName", "PONumber", "CheckNumber":
		return 25
	case "MiddleName":
		return 5
	case "Salutation", "ResaleNumber":
		return 15
	case "Other", "Other1", "Other2":
		return 29
	case "Memo", "Desc", "SalesDesc", "PurchaseDesc", "ItemDesc", "Notes", "JobDesc":
		if name == "JobDesc" {
			return 99
		}
		if name == "Desc" && parent == "AccountAdd" {
			return 200
		}
		return 4095
	case "Email", "Cc":
		return 1023
	case "AccountNumber":
		if parent == "AccountAdd" {
			return 7
		}
		return 99
	case "BarCodeValue":
		return 50
	}
	return 0
}

func truncate(s string, max int) string {
	if max <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max])
}

// Value types of the qbXML elements the simulator reads or stores (from
// qbxmltypes130.xsd); used to normalise and check request values.
var (
	amtFields = set("Amount", "TotalAmount", "CreditLimit", "OpenBalance", "TotalValue", "PaymentAmount",
		"DiscountAmount", "AppliedAmount", "ValueDifference", "NewValue", "TaxAmount")
	priceFields = set("SalesPrice", "PurchaseCost", "Price", "Rate", "DiscountRate")
	pctFields   = set("PricePercent", "RatePercent", "TaxRate", "DiscountRatePercent")
	qtyFields   = set("Quantity", "ReorderPoint", "Max", "NewQuantity", "QuantityDifference", "QuantityOnHand")
	intFields   = set("MaxReturned", "ExpirationMonth", "ExpirationYear")
	boolFields  = set("IsActive", "IsPending", "IsToBePrinted", "IsToBeEmailed", "IsTaxIncluded", "IsAutoApply",
		"IncludeLineItems", "IncludeLinkedTxns", "IsTaxable", "IsFinanceCharge", "IsManuallyClosed",
		"IsPrintItemsInGroup", "DefaultShipTo", "IsStatementWithParent", "AssignEvenIfUsed", "AllowOverride", "Override")
	dateFields = set("TxnDate", "DueDate", "ShipDate", "ServiceDate", "FromTxnDate", "ToTxnDate", "JobStartDate",
		"JobProjectedEndDate", "JobEndDate", "OpenBalanceDate", "InventoryDate")
	dateTimeFields = set("FromModifiedDate", "ToModifiedDate")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// normalizeValues checks and canonicalises the values of a request
// message in place: numbers get QuickBooks' formatting, booleans become
// true/false, text longer than the QuickBooks field is truncated, and
// characters above U+00FF become "?". It fails on a value the schema types
// reject (QuickBooks' parser does too, before running any request).
func normalizeValues(n *node, parent string) error {
	n.Text = latin1(n.Text)
	if len(n.Children) > 0 {
		for _, c := range n.Children {
			if err := normalizeValues(c, n.Name); err != nil {
				return err
			}
		}
		return nil
	}
	v := strings.TrimSpace(n.Text)
	bad := func(err error) error {
		return fmt.Errorf("element %s value %q: %w", n.Name, n.Text, err)
	}
	switch {
	case amtFields[n.Name]:
		if v == "" {
			return nil
		}
		if _, frac, ok := strings.Cut(v, "."); ok && len(frac) != 2 {
			// AMTTYPE allows no decimals or exactly two.
			return bad(errNumber)
		}
		d, err := parseDec(v)
		if err != nil {
			return bad(err)
		}
		n.Text = d.amount()
	case priceFields[n.Name] || pctFields[n.Name]:
		if v == "" {
			return nil
		}
		d, err := parseDec(v)
		if err != nil {
			return bad(err)
		}
		n.Text = d.price()
	case qtyFields[n.Name]:
		if v == "" {
			return nil
		}
		d, err := parseDec(v)
		if err != nil {
			return bad(err)
		}
		n.Text = d.quantity()
	case intFields[n.Name]:
		for _, r := range v {
			if (r < '0' || r > '9') && r != '-' {
				return bad(errNumber)
			}
		}
		n.Text = v
	case boolFields[n.Name]:
		switch strings.ToLower(v) {
		case "true", "1":
			n.Text = "true"
		case "false", "0":
			n.Text = "false"
		case "":
			n.Text = ""
		default:
			return bad(fmt.Errorf("not a boolean"))
		}
	case dateFields[n.Name]:
		if v == "" {
			return nil
		}
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return bad(err)
		}
		n.Text = v
	case dateTimeFields[n.Name]:
		if v == "" {
			return nil
		}
		if _, err := parseDateTime(v, time.UTC); err != nil {
			return bad(err)
		}
		n.Text = v
	default:
		max := fieldMax(parent, n.Name)
		if n.Name == "Name" {
			// List names are truncated per list by addList/modList.
			max = 0
		}
		n.Text = truncate(n.Text, max)
	}
	return nil
}

// parseDateTime parses a DATETIMETYPE: a date, a local date-time, or a
// date-time with offset. Values without an offset are in loc (the time
// zone of the PC running QuickBooks).
func parseDateTime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15", "2006-01-02"} {
		if layout == time.RFC3339 {
			if t, err := time.Parse(layout, s); err == nil {
				return t, nil
			}
			continue
		}
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a qbXML date-time: %q", s)
}
