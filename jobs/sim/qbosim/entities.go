package qbosim

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// knownFields are the top-level properties each kind accepts (the field
// tables of Intuit's API reference, shared/specs/qbo/
// intuit-docs-scraped/api-reference_*.md). Others are refused with 2010 as in
// error/400_json.yml. Kinds without a list accept any property.
var knownFields = func() map[string][]string {
	common := []string{"Id", "SyncToken", "MetaData", "domain", "sparse"}
	sales := []string{"ApplyTaxAfterDiscount", "Balance", "BillAddr", "BillEmail", "ClassRef", "CreditCardPayment",
		"CurrencyRef", "CustomField", "CustomerMemo", "CustomerRef", "DeliveryInfo", "DepartmentRef", "DepositToAccountRef",
		"DocNumber", "EmailStatus", "ExchangeRate", "FreeFormAddress", "GlobalTaxCalculation", "HomeBalance", "HomeTotalAmt",
		"Line", "LinkedTxn", "PaymentMethodRef", "PaymentRefNum", "PrintStatus", "PrivateNote", "ProjectRef", "RecurDataRef",
		"ShipAddr", "ShipDate", "ShipFromAddr", "ShipMethodRef", "TotalAmt", "TrackingNum", "TransactionLocationType",
		"TxnDate", "TxnSource", "TxnTaxDetail"}
	m := map[string][]string{
		KindSalesReceipt:  sales,
		KindRefundReceipt: append(slices.Clone(sales), "CheckPayment", "PaymentType"),
		KindCreditMemo:    append(slices.Clone(sales), "RemainingCredit", "InvoiceRef", "SalesTermRef"),
		KindInvoice: append(slices.Clone(sales), "AllowIPNPayment", "AllowOnlineACHPayment", "AllowOnlineCreditCardPayment",
			"AllowOnlinePayment", "BillEmailBcc", "BillEmailCc", "Deposit", "DueDate", "InvoiceLink", "SalesTermRef", "TaxExemptionRef"),
		KindPayment: {"ARAccountRef", "CreditCardPayment", "CurrencyRef", "CustomerRef", "DepositToAccountRef", "ExchangeRate",
			"Line", "LinkedTxn", "PaymentMethodRef", "PaymentRefNum", "PrivateNote", "ProcessPayment", "TotalAmt", "TxnDate",
			"TxnSource", "TxnStatus", "UnappliedAmt", "ProjectRef"},
		KindItem: {"AbatementRate", "Active", "AssetAccountRef", "ClassRef", "Description", "ExpenseAccountRef",
			"FullyQualifiedName", "IncomeAccountRef", "InvStartDate", "ItemCategoryType", "Level", "Name", "ParentRef",
			"PrefVendorRef", "PurchaseCost", "PurchaseDesc", "QtyOnHand", "ReorderPoint", "ReverseChargeRate", "ServiceType",
			"Sku", "Source", "SubItem", "TaxClassificationRef", "Taxable", "Type", "UnitPrice", "TrackQtyOnHand",
			"SalesTaxCodeRef", "PurchaseTaxCodeRef", "SalesTaxIncluded", "PurchaseTaxIncluded"},
		KindPaymentMethod: {"Active", "Name", "Type"},
		KindClass:         {"Active", "FullyQualifiedName", "Name", "ParentRef", "SubClass"},
	}
	for k, v := range m {
		m[k] = append(v, common...)
	}
	return m
}()

// opCtx is one write's context: its time, the entities created earlier in the
// same batch (invisible to later items: "a newly created customer is not
// available for a subsequent invoice create operation within the same batch"),
// and the change events it produced (webhooks).
type opCtx struct {
	now    time.Time
	hidden map[string]bool // kind + "/" + id
	events []changeEvent
	undo   []undoEntry // what put replaced, to roll a failed write back
}

type undoEntry struct {
	kind, id string
	prev     *record // nil: the entity did not exist
}

// put stores rec and remembers what it replaced.
func (s *Server) put(ctx *opCtx, rec *record) {
	ctx.undo = append(ctx.undo, undoEntry{rec.Kind, rec.id(), s.co.Entities[rec.Kind][rec.id()]})
	s.co.put(rec)
}

// mark is a point a failed write rolls back to.
type mark struct{ undo, events int }

func (c *opCtx) mark() mark { return mark{len(c.undo), len(c.events)} }

// rollback restores every entity put after m and drops its events.
func (s *Server) rollback(ctx *opCtx, m mark) {
	for i := len(ctx.undo) - 1; i >= m.undo; i-- {
		u := ctx.undo[i]
		if u.prev == nil {
			delete(s.co.Entities[u.kind], u.id)
		} else {
			s.co.Entities[u.kind][u.id] = u.prev
		}
	}
	ctx.undo, ctx.events = ctx.undo[:m.undo], ctx.events[:m.events]
}

// changeEvent is one entity change, as a webhook reports it.
type changeEvent struct {
	Name, ID, Operation string
	At                  time.Time
}

func (c *opCtx) visible(kind, id string) bool { return !c.hidden[kind+"/"+id] }

// lookup returns a live record the operation may see.
func (s *Server) lookup(ctx *opCtx, kind, id string) *record {
	if !ctx.visible(kind, id) {
		return nil
	}
	return s.co.get(kind, id)
}

// view is the wire copy of a record: without the simulator's private
// "voided" marker, and without Sku when the company's SKU preference is off.
func (s *Server) view(r *record) Object {
	o := deepCopy(r.Data)
	delete(o, "voided")
	if r.Kind == KindItem && !s.co.SKU {
		delete(o, "Sku")
	}
	return o
}

// ---- create / update / delete / void ----------------------------------------

// create adds an entity of kind from the client's object.
func (s *Server) create(ctx *opCtx, kind string, in Object) (Object, *Fault) {
	if f := checkFields(kind, in); f != nil {
		return nil, f
	}
	if slices.Contains(readOnlyKinds, kind) || kind == KindPreferences {
		return nil, errBusiness("Operation Create is not supported for " + kind + ".")
	}
	data := deepCopy(in)
	delete(data, "Id")
	delete(data, "SyncToken")
	delete(data, "MetaData")
	rec := &record{Kind: kind, Data: data}
	if f := s.normalize(ctx, rec, nil); f != nil {
		return nil, f
	}
	id := s.co.newID(kind)
	data["Id"] = id
	data["SyncToken"] = "0"
	data["domain"] = "QBO"
	data["sparse"] = false
	data["MetaData"] = Object{"CreateTime": stamp(ctx.now), "LastUpdatedTime": stamp(ctx.now)}
	if kind == KindInvoice || kind == KindSalesReceipt || kind == KindCreditMemo || kind == KindRefundReceipt {
		if str(data["DocNumber"]) == "" {
			data["DocNumber"] = s.co.newDocNumber(kind)
		}
	}
	rec.Updated = ctx.now
	s.put(ctx, rec)
	s.applyEffects(ctx, rec, +1)
	if ctx.hidden != nil {
		ctx.hidden[kind+"/"+id] = true
	}
	ctx.events = append(ctx.events, changeEvent{kind, id, "Create", ctx.now})
	return s.view(rec), nil
}

// update replaces (or, with "sparse":true, merges into) an existing entity.
func (s *Server) update(ctx *opCtx, kind string, in Object) (Object, *Fault) {
	if f := checkFields(kind, in); f != nil {
		return nil, f
	}
	rec, f := s.current(ctx, kind, in)
	if f != nil {
		return nil, f
	}
	if slices.Contains(readOnlyKinds, kind) {
		return nil, errBusiness("Operation Update is not supported for " + kind + ".")
	}
	var data Object
	if isTrue(in["sparse"], false) {
		data = deepCopy(rec.Data)
		for k, v := range deepCopy(in) {
			data[k] = v
		}
	} else {
		data = deepCopy(in)
	}
	// System fields stay the server's.
	data["Id"], data["domain"], data["MetaData"] = rec.Data["Id"], "QBO", rec.Data["MetaData"]
	data["sparse"] = false
	if txnKind(kind) && str(data["DocNumber"]) == "" && rec.Data["DocNumber"] != nil {
		data["DocNumber"] = rec.Data["DocNumber"]
	}
	next := &record{Kind: kind, Data: data}
	m := ctx.mark()
	s.applyEffects(ctx, rec, -1)   // undo the old version before checking the new one
	rec = s.co.get(kind, rec.id()) // reverting may have changed it (an invoice's payments)
	if f := s.normalize(ctx, next, rec); f != nil {
		s.rollback(ctx, m)
		return nil, f
	}
	s.bump(ctx, next, rec)
	s.put(ctx, next)
	s.applyEffects(ctx, next, +1)
	ctx.events = append(ctx.events, changeEvent{kind, next.id(), "Update", ctx.now})
	return s.view(next), nil
}

// bump gives next the SyncToken and LastUpdatedTime after prev.
func (s *Server) bump(ctx *opCtx, next, prev *record) {
	n, _ := strconv.Atoi(str(prev.Data["SyncToken"]))
	next.Data["SyncToken"] = strconv.Itoa(n + 1)
	md := obj(deepCopy(Object{"m": prev.Data["MetaData"]})["m"])
	if md == nil {
		md = Object{"CreateTime": stamp(ctx.now)}
	}
	md["LastUpdatedTime"] = stamp(ctx.now)
	next.Data["MetaData"] = md
	next.Updated = ctx.now
}

// current finds the record an update, delete or void names and checks its SyncToken.
func (s *Server) current(ctx *opCtx, kind string, in Object) (*record, *Fault) {
	id := str(in["Id"])
	if id == "" {
		return nil, errRequired("Id")
	}
	if _, err := strconv.Atoi(id); err != nil {
		return nil, errInvalidID(id)
	}
	rec := s.lookup(ctx, kind, id)
	if rec == nil {
		return nil, errNotFound()
	}
	tok, ok := in["SyncToken"]
	if !ok || str(tok) == "" {
		return nil, errRequired("SyncToken")
	}
	if str(tok) != str(rec.Data["SyncToken"]) {
		return nil, errStale(s.opts.UserName)
	}
	return rec, nil
}

// remove deletes a transaction (…?operation=delete): it leaves a tombstone for CDC.
func (s *Server) remove(ctx *opCtx, kind string, in Object) (Object, *Fault) {
	if !txnKind(kind) {
		return nil, errBusiness("Operation Delete is not supported for " + kind + ". Make it inactive instead (Active: false).")
	}
	rec, f := s.current(ctx, kind, in)
	if f != nil {
		return nil, f
	}
	s.applyEffects(ctx, rec, -1)
	gone := &record{Kind: kind, Data: rec.Data, Deleted: true, Updated: ctx.now}
	s.put(ctx, gone)
	ctx.events = append(ctx.events, changeEvent{kind, rec.id(), "Delete", ctx.now})
	return Object{"domain": "QBO", "status": "Deleted", "Id": rec.id()}, nil
}

// void zeroes a sale or payment and keeps it (void/invoice.yml: amounts 0,
// PrivateNote "Voided", SyncToken + 1).
func (s *Server) void(ctx *opCtx, kind string, in Object) (Object, *Fault) {
	if kind != KindInvoice && kind != KindSalesReceipt && kind != KindPayment {
		return nil, errBusiness("Operation Void is not supported for " + kind + ".")
	}
	rec, f := s.current(ctx, kind, in)
	if f != nil {
		return nil, f
	}
	s.applyEffects(ctx, rec, -1)
	rec = s.co.get(kind, rec.id())
	next := &record{Kind: kind, Data: deepCopy(rec.Data)}
	for _, l := range list(next.Data["Line"]) {
		if lo := obj(l); lo != nil {
			lo["Amount"] = 0.0
		}
	}
	next.Data["TotalAmt"], next.Data["Balance"] = 0.0, 0.0
	if tx := obj(next.Data["TxnTaxDetail"]); tx != nil {
		tx["TotalTax"] = 0.0
	}
	next.Data["PrivateNote"] = "Voided"
	next.Data["voided"] = true
	s.bump(ctx, next, rec)
	s.put(ctx, next)
	ctx.events = append(ctx.events, changeEvent{kind, next.id(), "Void", ctx.now})
	return s.view(next), nil
}

func txnKind(kind string) bool { return slices.Contains(txnKinds, kind) }

func checkFields(kind string, in Object) *Fault {
	known, ok := knownFields[kind]
	if !ok {
		return nil
	}
	names := make([]string, 0, len(in))
	for k := range in {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !slices.Contains(known, k) {
			return errUnknownProperty(k, kind)
		}
	}
	return nil
}

// ---- validation and derived fields --------------------------------------------

// normalize checks rec's data for its kind and fills what QuickBooks fills.
// prev is the version being updated (nil on create).
func (s *Server) normalize(ctx *opCtx, rec *record, prev *record) *Fault {
	d := rec.Data
	switch rec.Kind {
	case KindItem:
		return s.normalizeItem(ctx, d, prev)
	case KindCustomer, KindVendor, KindEmployee:
		return s.normalizeName(d, rec.Kind, prev)
	case KindAccount:
		if str(d["Name"]) == "" {
			return errRequired("Name")
		}
		if str(d["AccountType"]) == "" {
			return errRequired("AccountType")
		}
		if s.nameTaken(KindAccount, "Name", str(d["Name"]), prev) {
			return errDuplicateName()
		}
		setDefault(d, "Active", true)
		d["FullyQualifiedName"] = d["Name"]
		setDefault(d, "CurrentBalance", 0.0)
	case KindPaymentMethod:
		if str(d["Name"]) == "" {
			return errRequired("Name")
		}
		if s.nameTaken(KindPaymentMethod, "Name", str(d["Name"]), prev) {
			return errDuplicateName()
		}
		setDefault(d, "Active", true)
		setDefault(d, "Type", "NON_CREDIT_CARD")
	case KindClass:
		return s.normalizeClass(ctx, d, prev)
	case KindPreferences:
		// Only the SKU switch and class tracking have an effect; the rest is stored as sent.
	case KindPayment:
		return s.normalizePayment(ctx, d)
	case KindSalesReceipt, KindInvoice, KindCreditMemo, KindRefundReceipt:
		return s.normalizeSale(ctx, rec.Kind, d)
	}
	return nil
}

func setDefault(d Object, key string, v any) {
	if _, ok := d[key]; !ok {
		d[key] = v
	}
}

// nameTaken reports whether another live entity of kind has field == name
// (case-insensitive, as QuickBooks compares names).
func (s *Server) nameTaken(kind, field, name string, self *record) bool {
	for _, r := range s.co.Entities[kind] {
		if r.Deleted || (self != nil && r.id() == self.id()) {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(str(r.Data[field])), strings.TrimSpace(name)) {
			return true
		}
	}
	return false
}

func (s *Server) normalizeName(d Object, kind string, prev *record) *Fault {
	name := strings.TrimSpace(str(d["DisplayName"]))
	if name == "" {
		// QuickBooks builds the display name from the person or company name.
		parts := []string{str(d["Title"]), str(d["GivenName"]), str(d["MiddleName"]), str(d["FamilyName"]), str(d["Suffix"])}
		name = strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
		if name == "" {
			name = strings.TrimSpace(str(d["CompanyName"]))
		}
		if name == "" {
			return errRequired("DisplayName")
		}
		d["DisplayName"] = name
	}
	if len(name) > 500 {
		return errLength("DisplayName", 500, len(name))
	}
	// DisplayName is unique across customers, vendors and employees (6240).
	for _, k := range nameKinds {
		if s.nameTaken(k, "DisplayName", name, sameKind(prev, k)) {
			return errDuplicateName()
		}
	}
	setDefault(d, "Active", true)
	d["FullyQualifiedName"] = name
	setDefault(d, "PrintOnCheckName", name)
	setDefault(d, "Balance", 0.0)
	if kind == KindCustomer {
		setDefault(d, "Taxable", true)
		setDefault(d, "Job", false)
		setDefault(d, "BillWithParent", false)
		setDefault(d, "BalanceWithJobs", 0.0)
		setDefault(d, "PreferredDeliveryMethod", "Print")
	}
	setDefault(d, "CurrencyRef", Object{"value": "USD", "name": "United States Dollar"})
	return nil
}

func sameKind(r *record, kind string) *record {
	if r != nil && r.Kind == kind {
		return r
	}
	return nil
}

// listName is d's Name as a list entity (item, class) has it: required, trimmed, at most 100.
func listName(d Object) (string, *Fault) {
	name := strings.TrimSpace(str(d["Name"]))
	if name == "" {
		return "", errRequired("Name")
	}
	if len(name) > 100 {
		return "", errLength("Name", 100, len(name))
	}
	return name, nil
}

func (s *Server) normalizeItem(ctx *opCtx, d Object, prev *record) *Fault {
	name, f := listName(d)
	if f != nil {
		return f
	}
	if s.nameTaken(KindItem, "Name", name, prev) {
		return errDuplicateName()
	}
	typ := str(d["Type"])
	if typ == "" {
		return errRequired("Type")
	}
	if !slices.Contains([]string{"Inventory", "NonInventory", "Service", "Category"}, typ) {
		return errBusiness("Invalid Type " + typ + " for Item. Valid values: Inventory, NonInventory, Service, Category.")
	}
	if sku := str(d["Sku"]); len(sku) > 100 {
		return errLength("Sku", 100, len(sku))
	}
	if !s.co.SKU {
		delete(d, "Sku") // the company does not track SKUs: QuickBooks drops the field
	}
	if typ == "Inventory" {
		for _, f := range []string{"IncomeAccountRef", "ExpenseAccountRef", "AssetAccountRef", "InvStartDate"} {
			if d[f] == nil {
				return errRequired(f)
			}
		}
		if _, ok := num(d["QtyOnHand"]); !ok {
			return errRequired("QtyOnHand")
		}
		d["TrackQtyOnHand"] = true
	} else {
		d["TrackQtyOnHand"] = false
		delete(d, "QtyOnHand")
		if typ == "Service" && d["IncomeAccountRef"] == nil {
			return errRequired("IncomeAccountRef")
		}
	}
	for _, f := range []string{"IncomeAccountRef", "ExpenseAccountRef", "AssetAccountRef"} {
		if d[f] == nil {
			continue
		}
		if f := s.resolveRef(ctx, d, f, KindAccount); f != nil {
			return f
		}
	}
	if q, ok := num(d["QtyOnHand"]); ok {
		d["QtyOnHand"] = q
	}
	setDefault(d, "Active", true)
	setDefault(d, "Taxable", false)
	setDefault(d, "UnitPrice", 0.0)
	d["FullyQualifiedName"] = name
	d["Name"] = name
	return nil
}

// normalizeClass checks a class: a Name without ':', and for a sub-class (SubClass with
// ParentRef) a live parent; FullyQualifiedName is Parent:Child and unique.
func (s *Server) normalizeClass(ctx *opCtx, d Object, prev *record) *Fault {
	name, f := listName(d)
	if f != nil {
		return f
	}
	if strings.Contains(name, ":") {
		return errBusiness("Invalid character ':' in Name for Class.")
	}
	full := name
	if isTrue(d["SubClass"], false) {
		if d["ParentRef"] == nil {
			return errRequired("ParentRef")
		}
		if f := s.resolveRef(ctx, d, "ParentRef", KindClass); f != nil {
			return f
		}
		full = str(obj(d["ParentRef"])["name"]) + ":" + name
	} else {
		d["SubClass"] = false
		delete(d, "ParentRef")
	}
	if s.nameTaken(KindClass, "FullyQualifiedName", full, prev) {
		return errDuplicateName()
	}
	d["Name"], d["FullyQualifiedName"] = name, full
	setDefault(d, "Active", true)
	return nil
}

// classTracking reports whether the company tracks a class per transaction
// (Preferences.AccountingInfoPrefs.ClassTrackingPerTxn), without which sales
// have no ClassRef.
func (s *Server) classTracking() bool {
	p := s.co.get(KindPreferences, "1")
	return p != nil && isTrue(obj(p.Data["AccountingInfoPrefs"])["ClassTrackingPerTxn"], false)
}

// resolveRef checks that d[field] names a live, active entity of kind and fills its name.
func (s *Server) resolveRef(ctx *opCtx, d Object, field, kind string) *Fault {
	ref := obj(d[field])
	id := str(ref["value"])
	if id == "" {
		return errRequired(field)
	}
	r := s.lookup(ctx, kind, id)
	if r == nil {
		return errInvalidRef(kind, id)
	}
	if !isTrue(r.Data["Active"], true) {
		return errNotFound() // "Something you're trying to use has been made inactive"
	}
	name := str(r.Data["FullyQualifiedName"])
	if name == "" {
		name = str(r.Data["Name"])
	}
	if kind == KindCustomer {
		name = str(r.Data["DisplayName"])
	}
	d[field] = Object{"value": id, "name": name}
	return nil
}

// normalizeSale checks a sales receipt, invoice, credit memo or refund
// receipt, numbers its lines, adds the subtotal line and computes TotalAmt and
// Balance, as QuickBooks does.
func (s *Server) normalizeSale(ctx *opCtx, kind string, d Object) *Fault {
	if doc := str(d["DocNumber"]); len(doc) > 21 {
		return errLength("DocNumber", 21, len(doc))
	}
	if d["CustomerRef"] != nil || kind == KindInvoice || kind == KindCreditMemo {
		if f := s.resolveRef(ctx, d, "CustomerRef", KindCustomer); f != nil {
			return f
		}
		if cust := s.lookup(ctx, KindCustomer, refValue(d["CustomerRef"])); cust != nil {
			setDefault(d, "BillAddr", cust.Data["BillAddr"])
			setDefault(d, "ShipAddr", cust.Data["ShipAddr"])
			if d["BillAddr"] == nil {
				delete(d, "BillAddr")
			}
			if d["ShipAddr"] == nil {
				delete(d, "ShipAddr")
			}
		}
	}
	if d["PaymentMethodRef"] != nil {
		if f := s.resolveRef(ctx, d, "PaymentMethodRef", KindPaymentMethod); f != nil {
			return f
		}
	}
	if d["ClassRef"] != nil {
		if !s.classTracking() {
			return errBusiness("ClassRef is available only when the company tracks a class per transaction (Preferences.AccountingInfoPrefs.ClassTrackingPerTxn).")
		}
		if f := s.resolveRef(ctx, d, "ClassRef", KindClass); f != nil {
			return f
		}
	}
	if kind == KindRefundReceipt && d["DepositToAccountRef"] == nil {
		return errRequired("DepositToAccountRef")
	}
	if kind == KindSalesReceipt {
		setDefault(d, "DepositToAccountRef", Object{"value": undepositedFundsID})
	}
	if d["DepositToAccountRef"] != nil {
		if f := s.resolveRef(ctx, d, "DepositToAccountRef", KindAccount); f != nil {
			return f
		}
	}
	txnDate := str(d["TxnDate"])
	if txnDate == "" {
		txnDate = ctx.now.In(pacific).Format(time.DateOnly)
		d["TxnDate"] = txnDate
	} else if _, err := time.Parse(time.DateOnly, txnDate); err != nil {
		return errBusiness("Invalid date " + txnDate + " for TxnDate (YYYY-MM-DD).")
	}
	lines := list(d["Line"])
	if len(lines) == 0 {
		return errRequired("Line")
	}
	var out []any
	var discounts []Object
	subtotal := 0.0
	n := 0
	for _, l := range lines {
		lo := obj(l)
		if lo == nil {
			return errBusiness("Each Line must be an object.")
		}
		switch str(lo["DetailType"]) {
		case "SubTotalLineDetail":
			continue // QuickBooks computes the subtotal line itself
		case "SalesItemLineDetail":
			amt, f := s.salesLine(ctx, lo)
			if f != nil {
				return f
			}
			subtotal += amt
		case "DiscountLineDetail":
			discounts = append(discounts, lo)
			continue
		case "DescriptionOnly":
			lo["Amount"] = 0.0
			setDefault(lo, "DescriptionLineDetail", Object{})
		case "":
			return errRequired("Line.DetailType")
		default:
			return errBusiness("Unsupported line DetailType " + str(lo["DetailType"]) + " on " + kind + ".")
		}
		n++
		lo["Id"], lo["LineNum"] = strconv.Itoa(n), float64(n)
		out = append(out, lo)
	}
	subtotal = roundCents(subtotal)
	out = append(out, Object{"Amount": subtotal, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": Object{}})
	discount := 0.0
	for _, lo := range discounts {
		det := obj(lo["DiscountLineDetail"])
		amt, ok := num(lo["Amount"])
		if isTrue(det["PercentBased"], false) {
			pct, _ := num(det["DiscountPercent"])
			amt, ok = roundCents(subtotal*pct/100), true
		}
		if !ok {
			return errRequired("Line.Amount")
		}
		lo["Amount"] = roundCents(amt)
		discount += roundCents(amt)
		n++
		lo["Id"], lo["LineNum"] = strconv.Itoa(n), float64(n)
		out = append(out, lo)
	}
	d["Line"] = out
	tax := 0.0
	tx := obj(d["TxnTaxDetail"])
	if tx == nil {
		tx = Object{}
		d["TxnTaxDetail"] = tx
	}
	if t, ok := num(tx["TotalTax"]); ok {
		tax = roundCents(t)
	}
	if tx["TxnTaxCodeRef"] != nil {
		if f := s.resolveRef(ctx, tx, "TxnTaxCodeRef", KindTaxCode); f != nil {
			return f
		}
	}
	tx["TotalTax"] = tax
	total := roundCents(subtotal - discount + tax)
	d["TotalAmt"] = total
	setDefault(d, "CurrencyRef", Object{"value": "USD", "name": "United States Dollar"})
	setDefault(d, "ApplyTaxAfterDiscount", false)
	setDefault(d, "PrintStatus", "NeedToPrint") // as create/invoice.yml and update/sales_receipt.yml
	setDefault(d, "EmailStatus", "NotSet")
	switch kind {
	case KindInvoice:
		due, _ := time.Parse(time.DateOnly, txnDate)
		setDefault(d, "DueDate", due.AddDate(0, 0, 30).Format(time.DateOnly)) // Net 30, as create/invoice.yml
		d["Balance"] = roundCents(total - s.paidOn(ctx, str(d["Id"])))
		setDefault(d, "LinkedTxn", []any{})
	case KindCreditMemo:
		d["Balance"], d["RemainingCredit"] = total, total
	default:
		d["Balance"] = 0.0
	}
	return nil
}

// salesLine checks one SalesItemLine and returns its amount.
func (s *Server) salesLine(ctx *opCtx, lo Object) (float64, *Fault) {
	det := obj(lo["SalesItemLineDetail"])
	if det == nil {
		det = Object{}
		lo["SalesItemLineDetail"] = det
	}
	if det["ItemRef"] == nil {
		return 0, errRequired("ItemRef")
	}
	if f := s.resolveRef(ctx, det, "ItemRef", KindItem); f != nil {
		return 0, f
	}
	qty, hasQty := num(det["Qty"])
	price, hasPrice := num(det["UnitPrice"])
	amt, hasAmt := num(lo["Amount"])
	switch {
	case hasAmt && hasQty && hasPrice:
		if math.Abs(roundCents(qty*price)-roundCents(amt)) > 0.005 {
			return 0, errAmount(amt)
		}
	case hasQty && hasPrice:
		amt = qty * price
	case hasAmt && hasQty && qty != 0:
		det["UnitPrice"] = amt / qty
	case hasAmt:
	default:
		return 0, errRequired("Line.Amount")
	}
	if hasQty {
		det["Qty"] = qty
	}
	if hasPrice {
		det["UnitPrice"] = price
	}
	setDefault(det, "TaxCodeRef", Object{"value": "NON"})
	lo["Amount"] = roundCents(amt)
	return roundCents(amt), nil
}

func roundCents(f float64) float64 { return math.Round(f*100) / 100 }

// normalizePayment checks a payment and the invoices its lines pay.
func (s *Server) normalizePayment(ctx *opCtx, d Object) *Fault {
	if f := s.resolveRef(ctx, d, "CustomerRef", KindCustomer); f != nil {
		if d["CustomerRef"] == nil {
			return errRequired("CustomerRef")
		}
		return f
	}
	total, ok := num(d["TotalAmt"])
	if !ok {
		return errRequired("TotalAmt")
	}
	total = roundCents(total)
	d["TotalAmt"] = total
	if d["PaymentMethodRef"] != nil {
		if f := s.resolveRef(ctx, d, "PaymentMethodRef", KindPaymentMethod); f != nil {
			return f
		}
	}
	setDefault(d, "DepositToAccountRef", Object{"value": undepositedFundsID})
	if f := s.resolveRef(ctx, d, "DepositToAccountRef", KindAccount); f != nil {
		return f
	}
	if str(d["TxnDate"]) == "" {
		d["TxnDate"] = ctx.now.In(pacific).Format(time.DateOnly)
	}
	// A line linked to a CreditMemo applies that much of its credit: the invoices' lines are
	// paid by the payment's total plus the credits (a Payment of 0 linking an invoice and a
	// credit memo for the same amount applies the credit to the invoice).
	applied := 0.0
	for _, l := range list(d["Line"]) {
		lo := obj(l)
		amt, ok := num(lo["Amount"])
		if !ok {
			return errRequired("Line.Amount")
		}
		sign := 1.0
		for _, lt := range list(lo["LinkedTxn"]) {
			lto := obj(lt)
			kind := str(lto["TxnType"])
			if kind != KindInvoice && kind != KindCreditMemo {
				return errBusiness("A payment line can only be linked to an Invoice or a CreditMemo here.")
			}
			txn := s.lookup(ctx, kind, str(lto["TxnId"]))
			if txn == nil || isTrue(txn.Data["voided"], false) {
				return errInvalidRef(kind, str(lto["TxnId"]))
			}
			if refValue(txn.Data["CustomerRef"]) != refValue(d["CustomerRef"]) {
				return errBusiness("The " + strings.ToLower(kind) + " " + txn.id() + " belongs to another customer.")
			}
			if bal, _ := num(txn.Data["Balance"]); roundCents(amt) > roundCents(bal)+0.005 {
				return errBusiness("The payment amount " + str(amt) + " is more than the open balance " + str(bal) + " of " + kind + " " + txn.id() + ".")
			}
			if kind == KindCreditMemo {
				sign = -1
			}
		}
		applied += sign * roundCents(amt)
	}
	if applied < -0.005 {
		return errBusiness("The credits applied exceed the invoices they are applied to.")
	}
	if roundCents(applied) > total+0.005 {
		return errBusiness("The amounts applied (" + str(roundCents(applied)) + ") exceed the payment total (" + str(total) + ").")
	}
	d["UnappliedAmt"] = roundCents(total - applied)
	setDefault(d, "CurrencyRef", Object{"value": "USD", "name": "United States Dollar"})
	return nil
}

// paidOn is what live payments apply to invoice id.
func (s *Server) paidOn(ctx *opCtx, invoiceID string) float64 {
	if invoiceID == "" {
		return 0
	}
	paid := 0.0
	for _, p := range s.co.Entities[KindPayment] {
		if p.Deleted || isTrue(p.Data["voided"], false) || !ctx.visible(KindPayment, p.id()) {
			continue
		}
		for _, l := range list(p.Data["Line"]) {
			for _, lt := range list(obj(l)["LinkedTxn"]) {
				if str(obj(lt)["TxnId"]) == invoiceID && str(obj(lt)["TxnType"]) == KindInvoice {
					a, _ := num(obj(l)["Amount"])
					paid += a
				}
			}
		}
	}
	return roundCents(paid)
}

// ---- effects on other entities -------------------------------------------------

// applyEffects applies (sign +1) or reverts (-1) what rec does to other
// entities: sales lower and credits raise QtyOnHand of inventory items;
// payments lower their invoices' Balance.
func (s *Server) applyEffects(ctx *opCtx, rec *record, sign float64) {
	if rec.Deleted || isTrue(rec.Data["voided"], false) {
		return
	}
	switch rec.Kind {
	case KindSalesReceipt, KindInvoice:
		s.moveStock(ctx, rec, -sign)
	case KindCreditMemo, KindRefundReceipt:
		s.moveStock(ctx, rec, sign)
	case KindPayment:
		s.linkPayment(ctx, rec, sign)
	}
}

func (s *Server) moveStock(ctx *opCtx, rec *record, dir float64) {
	for _, l := range list(rec.Data["Line"]) {
		lo := obj(l)
		if str(lo["DetailType"]) != "SalesItemLineDetail" {
			continue
		}
		det := obj(lo["SalesItemLineDetail"])
		qty, ok := num(det["Qty"])
		if !ok {
			qty = 1 // a line without Qty sells one unit
		}
		item := s.co.get(KindItem, refValue(det["ItemRef"]))
		if item == nil || !isTrue(item.Data["TrackQtyOnHand"], false) || qty == 0 {
			continue
		}
		on, _ := num(item.Data["QtyOnHand"])
		s.setQty(ctx, item, on+dir*qty)
	}
}

// setQty changes an item's QtyOnHand as an update of the item (new
// SyncToken and LastUpdatedTime, so CDC and webhooks report it).
func (s *Server) setQty(ctx *opCtx, item *record, qty float64) {
	next := &record{Kind: KindItem, Data: deepCopy(item.Data)}
	next.Data["QtyOnHand"] = math.Round(qty*1e6) / 1e6
	s.bump(ctx, next, item)
	s.put(ctx, next)
	ctx.events = append(ctx.events, changeEvent{KindItem, next.id(), "Update", ctx.now})
}

// linkPayment records (or removes) a payment on the invoices it pays and the credit memos
// whose credit it applies.
func (s *Server) linkPayment(ctx *opCtx, pay *record, sign float64) {
	for _, l := range list(pay.Data["Line"]) {
		lo := obj(l)
		for _, lt := range list(lo["LinkedTxn"]) {
			kind := str(obj(lt)["TxnType"])
			if kind != KindCreditMemo {
				kind = KindInvoice
			}
			inv := s.co.get(kind, str(obj(lt)["TxnId"]))
			if inv == nil {
				continue
			}
			amt, _ := num(lo["Amount"])
			next := &record{Kind: kind, Data: deepCopy(inv.Data)}
			bal, _ := num(next.Data["Balance"])
			next.Data["Balance"] = roundCents(bal - sign*amt)
			if kind == KindCreditMemo {
				next.Data["RemainingCredit"] = next.Data["Balance"]
			}
			links := slices.DeleteFunc(list(next.Data["LinkedTxn"]), func(x any) bool {
				return str(obj(x)["TxnId"]) == pay.id() && str(obj(x)["TxnType"]) == KindPayment
			})
			if sign > 0 {
				links = append(links, Object{"TxnId": pay.id(), "TxnType": KindPayment})
			}
			if links == nil {
				links = []any{}
			}
			next.Data["LinkedTxn"] = links
			s.bump(ctx, next, inv)
			s.put(ctx, next)
			ctx.events = append(ctx.events, changeEvent{kind, next.id(), "Update", ctx.now})
		}
	}
}
