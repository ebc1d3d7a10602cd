package qbxml

// SalesOrderMod changes a sales order. TxnID and the current EditSequence are
// required (status 3200 if EditSequence is stale). Unset fields are left
// unchanged; Lines, when given, replace the order's lines (see Line); sales
// order lines have no ServiceDate.
type SalesOrderMod struct {
	TxnID                   string
	EditSequence            string
	CustomerRef             Ref
	ClassRef                Ref
	TemplateRef             Ref
	TxnDate                 Date
	RefNumber               string
	BillAddress             *Address
	ShipAddress             *Address
	PONumber                string
	TermsRef                Ref
	DueDate                 Date
	SalesRepRef             Ref
	FOB                     string
	ShipDate                Date
	ShipMethodRef           Ref
	ItemSalesTaxRef         Ref
	IsManuallyClosed        *bool
	Memo                    string
	CustomerMsgRef          Ref
	IsToBePrinted           *bool
	IsToBeEmailed           *bool
	CustomerSalesTaxCodeRef Ref
	Other                   string
	Lines                   []Line
}

func (SalesOrderMod) element() string { return "SalesOrderModRq" }

func (t SalesOrderMod) encode(e *encoder) {
	e.open("SalesOrderMod")
	e.requiredID("TxnID", t.TxnID, MaxID)
	e.requiredID("EditSequence", t.EditSequence, MaxEditSequence)
	e.ref("CustomerRef", t.CustomerRef, MaxCustomerFullName)
	e.ref("ClassRef", t.ClassRef, MaxListFullName)
	e.ref("TemplateRef", t.TemplateRef, MaxSimpleListFullName)
	e.date("TxnDate", t.TxnDate)
	e.refNumber("RefNumber", t.RefNumber, MaxRefNumber)
	e.address("BillAddress", t.BillAddress)
	e.address("ShipAddress", t.ShipAddress)
	e.str("PONumber", t.PONumber, MaxPONumber)
	e.ref("TermsRef", t.TermsRef, MaxSimpleListFullName)
	e.date("DueDate", t.DueDate)
	e.ref("SalesRepRef", t.SalesRepRef, MaxSalesRepFullName)
	e.str("FOB", t.FOB, MaxFOB)
	e.date("ShipDate", t.ShipDate)
	e.ref("ShipMethodRef", t.ShipMethodRef, MaxShipMethodFullName)
	e.ref("ItemSalesTaxRef", t.ItemSalesTaxRef, MaxSimpleListFullName)
	e.boolp("IsManuallyClosed", t.IsManuallyClosed)
	e.text("Memo", t.Memo, MaxMemo)
	e.ref("CustomerMsgRef", t.CustomerMsgRef, MaxCustomerMsgFullName)
	e.boolp("IsToBePrinted", t.IsToBePrinted)
	e.boolp("IsToBeEmailed", t.IsToBeEmailed)
	e.ref("CustomerSalesTaxCodeRef", t.CustomerSalesTaxCodeRef, MaxSalesTaxCodeName)
	e.str("Other", t.Other, MaxOther)
	lines(e, "SalesOrderLineMod", t.Lines, lineSalesOrderMod, 0)
	e.close()
}

// ShipMethodAdd creates a ship method ("UPS", "FedEx"): the list a sale's
// ShipMethodRef names. Name is at most 15 characters.
type ShipMethodAdd struct {
	Name     string
	IsActive *bool
}

func (ShipMethodAdd) element() string { return "ShipMethodAddRq" }

func (s ShipMethodAdd) encode(e *encoder) {
	e.open("ShipMethodAdd")
	e.reqStr("Name", s.Name, MaxShipMethodFullName)
	e.boolp("IsActive", s.IsActive)
	e.close()
}
