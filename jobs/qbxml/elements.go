package qbxml

import (
	"fmt"
	"reflect"
	"strings"
)

// This file writes the Add and Mod documents. Like Intuit's XSD, which defines
// each element (CustomerRef, Memo, ShipDate, ...) once and lets every document
// list the ones it has in its own sequence, the writers below are defined once
// by element name, and each document type declares its fields in the order of
// its XSD sequence: document walks the fields in that order and writes each
// through the writer of its name. So an Add and its Mod write their common
// fields through the same writers, and a field in the wrong place or without
// a writer fails the XSD validation of the build tests (or panics) at once.

// elementWriter writes field f of document doc as element name.
type elementWriter func(e *encoder, name string, f, doc reflect.Value)

// elements are the writers of a family of documents, by field name.
type elements map[string]elementWriter

// with returns a copy of els with more (which wins on the same name).
func (els elements) with(more elements) elements {
	out := make(elements, len(els)+len(more))
	for _, m := range []elements{els, more} {
		for name, w := range m {
			out[name] = w
		}
	}
	return out
}

// document writes the document of the request being encoded (SalesReceiptAdd
// in SalesReceiptAddRq) with the fields of *doc (a pointer to the request) in
// their declaration order. A field without a writer in els is a programming
// error in this package.
func (e *encoder) document(doc any, els elements) {
	v := reflect.ValueOf(doc).Elem()
	e.open(strings.TrimSuffix(e.rq, "Rq"))
	for i := range v.NumField() {
		field := v.Type().Field(i).Name
		w, ok := els[field]
		if !ok {
			panic(fmt.Sprintf("qbxml: no element writer for %s.%s", v.Type().Name(), field))
		}
		w(e, field, v.Field(i), v)
	}
	e.close()
}

// The writers of the element types; max is the FullName or text limit.

func refElement(max int) elementWriter {
	return func(e *encoder, name string, f, _ reflect.Value) { e.ref(name, f.Interface().(Ref), max) }
}

func requiredRefElement(max int) elementWriter {
	return func(e *encoder, name string, f, _ reflect.Value) { e.reqRef(name, f.Interface().(Ref), max) }
}

func strElement(max int) elementWriter {
	return func(e *encoder, name string, f, _ reflect.Value) { e.str(name, f.String(), max) }
}

func requiredStrElement(max int) elementWriter {
	return func(e *encoder, name string, f, _ reflect.Value) { e.reqStr(name, f.String(), max) }
}

func textElement(max int) elementWriter {
	return func(e *encoder, name string, f, _ reflect.Value) { e.text(name, f.String(), max) }
}

func refNumberElement(max int) elementWriter {
	return func(e *encoder, name string, f, _ reflect.Value) { e.refNumber(name, f.String(), max) }
}

func requiredIDElement(max int) elementWriter {
	return func(e *encoder, name string, f, _ reflect.Value) { e.requiredID(name, f.String(), max) }
}

// idsElement writes a []string field as one element name per ID (LinkToTxnIDs
// → LinkToTxnID).
func idsElement(name string) elementWriter {
	return func(e *encoder, _ string, f, _ reflect.Value) { e.ids(name, f.Interface().([]string)) }
}

func guidElement(e *encoder, name string, f, _ reflect.Value) { e.guid(name, f.String()) }

func dateElement(e *encoder, name string, f, _ reflect.Value) { e.date(name, f.Interface().(Date)) }

func boolElement(e *encoder, name string, f, _ reflect.Value) { e.boolp(name, f.Interface().(*bool)) }

func addressElement(e *encoder, name string, f, _ reflect.Value) {
	e.address(name, f.Interface().(*Address))
}

func amountElement(e *encoder, name string, f, _ reflect.Value) {
	e.amount(name, f.Interface().(*Amount))
}

func priceElement(e *encoder, name string, f, _ reflect.Value) { e.price(name, f.Interface().(*Price)) }

func quantityElement(e *encoder, name string, f, _ reflect.Value) {
	e.quantity(name, f.Interface().(*Quantity))
}

// linesElement writes the Lines field as lineName elements of kind, at least
// min of them.
func linesElement(lineName string, kind lineKind, min int) elementWriter {
	return func(e *encoder, _ string, f, _ reflect.Value) { lines(e, lineName, f.Interface().([]Line), kind, min) }
}

// salesElements are the elements of the sales transactions (sales receipts,
// invoices, sales orders, credit memos) and payments, Adds and Mods.
var salesElements = elements{
	"TxnID":                   requiredIDElement(MaxID),
	"EditSequence":            requiredIDElement(MaxEditSequence),
	"CustomerRef":             refElement(MaxCustomerFullName),
	"ClassRef":                refElement(MaxListFullName),
	"ARAccountRef":            refElement(MaxListFullName),
	"TemplateRef":             refElement(MaxSimpleListFullName),
	"TxnDate":                 dateElement,
	"RefNumber":               refNumberElement(MaxRefNumber),
	"BillAddress":             addressElement,
	"ShipAddress":             addressElement,
	"IsPending":               boolElement,
	"CheckNumber":             strElement(MaxCheckNumber),
	"PONumber":                strElement(MaxPONumber),
	"TermsRef":                refElement(MaxSimpleListFullName),
	"PaymentMethodRef":        refElement(MaxSimpleListFullName),
	"DueDate":                 dateElement,
	"SalesRepRef":             refElement(MaxSalesRepFullName),
	"ShipDate":                dateElement,
	"ShipMethodRef":           refElement(MaxShipMethodFullName),
	"FOB":                     strElement(MaxFOB),
	"ItemSalesTaxRef":         refElement(MaxSimpleListFullName),
	"IsManuallyClosed":        boolElement,
	"Memo":                    textElement(MaxMemo),
	"CustomerMsgRef":          refElement(MaxCustomerMsgFullName),
	"IsToBePrinted":           boolElement,
	"IsToBeEmailed":           boolElement,
	"CustomerSalesTaxCodeRef": refElement(MaxSalesTaxCodeName),
	"DepositToAccountRef":     refElement(MaxListFullName),
	"Other":                   strElement(MaxOther),
	"ExternalGUID":            guidElement,
	"LinkToTxnIDs":            idsElement("LinkToTxnID"),
	"TotalAmount":             amountElement,
}

// salesDocument returns the writers of a sales transaction whose Lines are
// lineName elements of kind, at least min of them. Adds of invoices, sales
// orders and credit memos require CustomerRef; Mods leave an unset one as it is.
func salesDocument(lineName string, kind lineKind, min int, customerRequired bool) elements {
	els := elements{"Lines": linesElement(lineName, kind, min)}
	if customerRequired {
		els["CustomerRef"] = requiredRefElement(MaxCustomerFullName)
	}
	return salesElements.with(els)
}

// listElements are the elements of the list Adds (customers and items).
var listElements = elements{
	"IsActive":                  boolElement,
	"ClassRef":                  refElement(MaxListFullName),
	"CompanyName":               strElement(MaxCompanyName),
	"Salutation":                strElement(MaxSalutation),
	"FirstName":                 strElement(MaxFirstName),
	"MiddleName":                strElement(MaxMiddleName),
	"LastName":                  strElement(MaxLastName),
	"JobTitle":                  strElement(MaxJobTitle),
	"BillAddress":               addressElement,
	"ShipAddress":               addressElement,
	"Phone":                     strElement(MaxPhone),
	"AltPhone":                  strElement(MaxPhone),
	"Fax":                       strElement(MaxPhone),
	"Email":                     strElement(MaxEmail),
	"Cc":                        strElement(MaxEmail),
	"Contact":                   strElement(MaxContact),
	"AltContact":                strElement(MaxContact),
	"CustomerTypeRef":           refElement(MaxListFullName),
	"TermsRef":                  refElement(MaxSimpleListFullName),
	"SalesRepRef":               refElement(MaxSalesRepFullName),
	"SalesTaxCodeRef":           refElement(MaxSalesTaxCodeName),
	"ItemSalesTaxRef":           refElement(MaxSimpleListFullName),
	"ResaleNumber":              strElement(MaxResaleNumber),
	"AccountNumber":             strElement(MaxAccountNumber),
	"CreditLimit":               amountElement,
	"PreferredPaymentMethodRef": refElement(MaxSimpleListFullName),
	"Notes":                     textElement(MaxMemo),
	"PriceLevelRef":             refElement(MaxSimpleListFullName),
	"ManufacturerPartNumber":    strElement(MaxManufacturerPartNo),
	"SalesDesc":                 textElement(MaxDesc),
	"SalesPrice":                priceElement,
	"IncomeAccountRef":          refElement(MaxListFullName),
	"PurchaseDesc":              textElement(MaxDesc),
	"PurchaseCost":              priceElement,
	"COGSAccountRef":            refElement(MaxListFullName),
	"PrefVendorRef":             refElement(MaxVendorFullName),
	"AssetAccountRef":           refElement(MaxListFullName),
	"ReorderPoint":              quantityElement,
	"Max":                       quantityElement,
	"QuantityOnHand":            quantityElement,
	"TotalValue":                amountElement,
	"InventoryDate":             dateElement,
	"ExternalGUID":              guidElement,
}

// customerElements are CustomerAdd's: a job's ParentRef is a customer.
var customerElements = listElements.with(elements{
	"Name":      requiredStrElement(MaxCustomerName),
	"ParentRef": refElement(MaxCustomerFullName),
})

// itemElements are the item Adds': BarCodeValue goes inside BarCode, and the
// non-inventory, service and other-charge items have the SalesOrPurchase |
// SalesAndPurchase choice.
var itemElements = listElements.with(elements{
	"Name":      requiredStrElement(MaxItemName),
	"ParentRef": refElement(MaxItemFullName),
	"BarCodeValue": func(e *encoder, _ string, f, _ reflect.Value) {
		barCode(e, f.String())
	},
	// The choice is written at SalesOrPurchase (first in the sequence);
	// SalesAndPurchase, which follows it, is its other alternative.
	"SalesOrPurchase": func(e *encoder, _ string, f, doc reflect.Value) {
		salesPurchase(e, f.Interface().(*SalesOrPurchase), doc.FieldByName("SalesAndPurchase").Interface().(*SalesAndPurchase))
	},
	"SalesAndPurchase": func(*encoder, string, reflect.Value, reflect.Value) {},
})
