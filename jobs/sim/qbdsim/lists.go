package qbdsim

import (
	"fmt"
	"strings"
	"time"
)

// listRec is one element of a QuickBooks list (customer, vendor, item,
// account, class, ship method, sales tax code, payment method, terms,
// template). Fields keeps the element's remaining qbXML children in schema
// order, references normalised to ListID+FullName.
type listRec struct {
	Kind     string    `json:"kind"`
	ListID   string    `json:"list_id"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	EditSeq  int64     `json:"edit_seq"`
	Name     string    `json:"name"`
	ParentID string    `json:"parent_id,omitempty"`
	Active   bool      `json:"active"`
	Fields   []*node   `json:"fields,omitempty"`

	Balance dec `json:"balance,omitempty"` // customers (own, excluding jobs), accounts
	QOH     dec `json:"qoh,omitempty"`     // inventory: QuantityOnHand
	QOSO    dec `json:"qoso,omitempty"`    // inventory: QuantityOnSalesOrder
	AvgCost dec `json:"avg_cost,omitempty"`
}

// Item kinds, in the order ItemQuery returns them within one name.
var itemKinds = []string{"ItemService", "ItemNonInventory", "ItemOtherCharge", "ItemInventory", "ItemDiscount", "ItemSalesTax", "ItemGroup"}

func isItemKind(k string) bool { return strings.HasPrefix(k, "Item") }

// namespace returns the name space a kind's names must be unique in: the
// customer, vendor, employee and other-name lists share one (QuickBooks'
// "names" list); all item types share another; every other list is its own.
func namespace(kind string) string {
	switch {
	case kind == "Customer" || kind == "Vendor" || kind == "Employee" || kind == "OtherName":
		return "names"
	case isItemKind(kind):
		return "items"
	}
	return kind
}

func (c *Company) fullName(r *listRec) string {
	if r.ParentID == "" {
		return r.Name
	}
	if p := c.idx.byListID[r.ParentID]; p != nil {
		return c.fullName(p) + ":" + r.Name
	}
	return r.Name
}

func (c *Company) sublevel(r *listRec) int {
	n := 0
	for p := c.idx.byListID[r.ParentID]; p != nil; p = c.idx.byListID[p.ParentID] {
		n++
	}
	return n
}

func (r *listRec) field(name string) *node {
	for _, f := range r.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (r *listRec) fieldText(name string) string {
	if f := r.field(name); f != nil {
		return f.Text
	}
	return ""
}

// setField replaces every field called name with ns (in place of the first
// one, or at the end).
func (r *listRec) setField(name string, ns ...*node) {
	r.Fields = replaceFields(r.Fields, name, ns)
}

func replaceFields(fields []*node, name string, ns []*node) []*node {
	var out []*node
	done := false
	for _, f := range fields {
		if f.Name != name {
			out = append(out, f)
			continue
		}
		if !done {
			out = append(out, ns...)
			done = true
		}
	}
	if !done {
		out = append(out, ns...)
	}
	return out
}

// refKinds maps a reference element to the list kinds it may name. References
// not listed here point at lists the simulator does not keep (sales reps,
// customer messages, price levels…) and are echoed unvalidated.
var refKinds = map[string][]string{
	"CustomerRef":               {"Customer"},
	"ItemRef":                   itemKinds,
	"ItemGroupRef":              {"ItemGroup"},
	"ItemSalesTaxRef":           {"ItemSalesTax"},
	"ClassRef":                  {"Class"},
	"DiscountClassRef":          {"Class"},
	"AccountRef":                {"Account"},
	"IncomeAccountRef":          {"Account"},
	"COGSAccountRef":            {"Account"},
	"AssetAccountRef":           {"Account"},
	"ExpenseAccountRef":         {"Account"},
	"ARAccountRef":              {"Account"},
	"DepositToAccountRef":       {"Account"},
	"RefundFromAccountRef":      {"Account"},
	"DiscountAccountRef":        {"Account"},
	"OverrideItemAccountRef":    {"Account"},
	"SalesTaxCodeRef":           {"SalesTaxCode"},
	"CustomerSalesTaxCodeRef":   {"SalesTaxCode"},
	"PurchaseTaxCodeRef":        {"SalesTaxCode"},
	"ShipMethodRef":             {"ShipMethod"},
	"PaymentMethodRef":          {"PaymentMethod"},
	"PreferredPaymentMethodRef": {"PaymentMethod"},
	"TermsRef":                  {"StandardTerms"},
	"TemplateRef":               {"Template"},
	"PrefVendorRef":             {"Vendor"},
	"VendorRef":                 {"Vendor"},
	"APAccountRef":              {"Account"},
	"TaxVendorRef":              {"Vendor"},
}

// refLabel is the list name QuickBooks uses in 3140 messages.
func refLabel(kinds []string) string {
	switch k := kinds[0]; {
	case isItemKind(k):
		return "Item"
	case k == "StandardTerms":
		return "Terms"
	default:
		return k
	}
}

// statusError is a request-level failure: the request is answered with
// this status and nothing is changed.
type statusError struct {
	code int
	msg  string
	ret  *node // current record, for 3200
}

func (e *statusError) Error() string { return fmt.Sprintf("status %d: %s", e.code, e.msg) }

func invalidRef(label, value, object string) *statusError {
	return &statusError{code: 3140, msg: fmt.Sprintf("There is an invalid reference to QuickBooks %s \"%s\" in the %s.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.", label, value, object)}
}

func objectNotFound(id string) *statusError {
	return &statusError{code: 3120, msg: fmt.Sprintf("Object \"%s\" specified in the request cannot be found.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.", id)}
}

func nameInUse(name string) *statusError {
	return &statusError{code: 3100, msg: fmt.Sprintf("The name \"%s\" of the list element is already in use.", name)}
}

func staleEditSeq(given string, ret *node) *statusError {
	return &statusError{code: 3200, msg: fmt.Sprintf("The provided edit sequence \"%s\" is out-of-date.", given), ret: ret}
}

// lookupRef finds the record a reference names: by ListID when given,
// else by FullName (case-insensitive, like QuickBooks). ok is false when
// it names nothing of the given kinds; value is what the reference said.
func (c *Company) lookupRef(ref *node, kinds []string) (rec *listRec, value string, ok bool) {
	if id := ref.text("ListID"); id != "" {
		r := c.idx.byListID[id]
		if r != nil && contains(kinds, r.Kind) {
			return r, id, true
		}
		return nil, id, false
	}
	name := ref.text("FullName")
	ns := namespace(kinds[0])
	r := c.idx.byName[nameKey(ns, name)]
	if r != nil && contains(kinds, r.Kind) {
		return r, name, true
	}
	return nil, name, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// resolveRef validates a reference element and returns the record, or a
// 3140 status naming object (e.g. "SalesOrder", "SalesOrder line").
func (c *Company) resolveRef(ref *node, object string) (*listRec, *statusError) {
	kinds := refKinds[ref.Name]
	r, value, ok := c.lookupRef(ref, kinds)
	if !ok {
		return nil, invalidRef(refLabel(kinds), value, object)
	}
	return r, nil
}

func (c *Company) refNode(name string, r *listRec) *node {
	return el(name, leaf("ListID", r.ListID), leaf("FullName", c.fullName(r)))
}

// normalizeRefs resolves every known reference inside n (n itself
// included), replacing it with ListID+FullName, or reports the first
// invalid one.
func (c *Company) normalizeRefs(n *node, object string) (*node, *statusError) {
	if _, known := refKinds[n.Name]; known && strings.HasSuffix(n.Name, "Ref") {
		r, err := c.resolveRef(n, object)
		if err != nil {
			return nil, err
		}
		return c.refNode(n.Name, r), nil
	}
	out := &node{Name: n.Name, Text: n.Text, Attrs: n.Attrs}
	for _, ch := range n.Children {
		nc, err := c.normalizeRefs(ch, object)
		if err != nil {
			return nil, err
		}
		out.Children = append(out.Children, nc)
	}
	return out, nil
}

// refresh returns a copy of n whose references carry the current FullName
// of the record they point at (records can be renamed after being
// referenced).
func (c *Company) refresh(n *node) *node {
	out := &node{Name: n.Name, Text: n.Text, Attrs: n.Attrs}
	if strings.HasSuffix(n.Name, "Ref") {
		if r := c.idx.byListID[n.text("ListID")]; r != nil {
			return c.refNode(n.Name, r)
		}
	}
	for _, ch := range n.Children {
		out.Children = append(out.Children, c.refresh(ch))
	}
	return out
}

// addressBlock formats an address the way QuickBooks prints it.
func addressBlock(name string, a *node) *node {
	if a == nil {
		return nil
	}
	var lines []string
	for _, f := range []string{"Addr1", "Addr2", "Addr3", "Addr4", "Addr5"} {
		if v := a.text(f); v != "" {
			lines = append(lines, v)
		}
	}
	city, state, zip := a.text("City"), a.text("State"), a.text("PostalCode")
	cs := city
	if state != "" {
		if cs != "" {
			cs += ", "
		}
		cs += state
	}
	if zip != "" {
		if cs != "" {
			cs += " "
		}
		cs += zip
	}
	if cs != "" {
		lines = append(lines, cs)
	}
	if v := a.text("Country"); v != "" {
		lines = append(lines, v)
	}
	if len(lines) == 0 {
		return nil
	}
	if len(lines) > 5 {
		lines = lines[:5]
	}
	b := el(name)
	for i, l := range lines {
		b.Children = append(b.Children, leaf(fmt.Sprintf("Addr%d", i+1), truncate(l, 41)))
	}
	return b
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// listAddSkip are Add children that are not stored as pass-through fields.
var listAddSkip = map[string]bool{
	"Name": true, "ParentRef": true, "IsActive": true, "BarCode": true, "OpenBalance": true,
	"OpenBalanceDate": true, "QuantityOnHand": true, "TotalValue": true, "InventoryDate": true,
	"Contacts": true, "AdditionalNotes": true,
}

// addList creates a list element from an *Add element (e.g. CustomerAdd).
func (c *Company) addList(kind string, add *node) (*listRec, *statusError) {
	name := truncate(add.text("Name"), nameMax(kind))
	object := kind
	if isItemKind(kind) {
		object = "Item"
	}
	var parent *listRec
	if p := add.child("ParentRef"); p != nil {
		r, value, ok := c.lookupRef(p, []string{kind})
		if !ok && isItemKind(kind) {
			r, value, ok = c.lookupRef(p, itemKinds)
		}
		if !ok {
			return nil, &statusError{code: 3130, msg: fmt.Sprintf("There is an invalid reference to a parent \"%s\" in the %s list.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.", value, pluralList(kind))}
		}
		parent = r
	}
	full := name
	if parent != nil {
		full = c.fullName(parent) + ":" + name
	}
	if c.idx.byName[nameKey(namespace(kind), full)] != nil {
		return nil, nameInUse(name)
	}
	now := c.now()
	r := &listRec{Kind: kind, Name: name, Active: true, Created: now, Modified: now}
	if parent != nil {
		r.ParentID = parent.ListID
	}
	if v := add.text("IsActive"); v != "" {
		r.Active = v == "true"
	}
	for _, ch := range add.Children {
		if listAddSkip[ch.Name] {
			continue
		}
		nc, err := c.normalizeRefs(ch, object)
		if err != nil {
			return nil, err
		}
		r.Fields = append(r.Fields, nc)
	}
	if bc := add.child("BarCode"); bc != nil && bc.text("BarCodeValue") != "" {
		r.Fields = append(r.Fields, leaf("BarCodeValue", bc.text("BarCodeValue")))
	}
	if v := add.text("OpenBalance"); v != "" {
		r.Balance, _ = parseDec(v)
	}
	if kind == "ItemInventory" {
		if v := add.text("QuantityOnHand"); v != "" {
			r.QOH, _ = parseDec(v)
		}
		r.AvgCost, _ = parseDec(add.text("PurchaseCost"))
		if tv := add.text("TotalValue"); tv != "" && r.QOH != 0 {
			t, _ := parseDec(tv)
			r.AvgCost = div(t, r.QOH)
		}
	}
	if kind == "Customer" {
		id := 1
		for _, n := range add.all("AdditionalNotes") {
			r.Fields = append(r.Fields, el("AdditionalNotesRet", leaf("NoteID", fmt.Sprint(id)), leaf("Date", now.Format("2006-01-02")), leaf("Note", n.text("Note"))))
			id++
		}
	}
	r.ListID = c.newListID(now)
	r.EditSeq = nextEditSeq(0, now)
	c.st.Lists = append(c.st.Lists, r)
	c.idx.byListID[r.ListID] = r
	c.idx.byName[nameKey(namespace(kind), full)] = r
	return r, nil
}

func pluralList(kind string) string {
	switch {
	case isItemKind(kind):
		return "Items"
	case kind == "Class":
		return "Classes"
	}
	return kind + "s"
}

// listModSkip are Mod children handled outside the pass-through fields.
var listModSkip = map[string]bool{"ListID": true, "EditSequence": true, "Name": true, "ParentRef": true, "IsActive": true, "BarCode": true, "ContactsMod": true, "AdditionalNotesMod": true}

// modList applies an *Mod element (e.g. CustomerMod) to an existing record:
// every field present replaces the stored one, absent fields are kept.
func (c *Company) modList(kind string, mod *node) (*listRec, *statusError) {
	id := mod.text("ListID")
	r := c.idx.byListID[id]
	if r == nil || r.Kind != kind {
		return nil, objectNotFound(id)
	}
	if es := mod.text("EditSequence"); es != fmt.Sprint(r.EditSeq) {
		return nil, staleEditSeq(es, c.listRet(r, nil))
	}
	object := kind
	if isItemKind(kind) {
		object = "Item"
	}
	oldFull := c.fullName(r)
	name, parentID := r.Name, r.ParentID
	if mod.has("Name") {
		name = truncate(mod.text("Name"), nameMax(kind))
	}
	if p := mod.child("ParentRef"); p != nil {
		pr, value, ok := c.lookupRef(p, []string{kind})
		if !ok {
			return nil, &statusError{code: 3130, msg: fmt.Sprintf("There is an invalid reference to a parent \"%s\" in the %s list.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.", value, pluralList(kind))}
		}
		parentID = pr.ListID
	}
	full := name
	if p := c.idx.byListID[parentID]; p != nil {
		full = c.fullName(p) + ":" + name
	}
	if other := c.idx.byName[nameKey(namespace(kind), full)]; other != nil && other != r {
		return nil, nameInUse(name)
	}
	var repl []*node
	for _, ch := range mod.Children {
		if listModSkip[ch.Name] || strings.HasPrefix(ch.Name, "Apply") || ch.Name == "ForceUOMChange" {
			continue
		}
		nc, err := c.normalizeRefs(ch, object)
		if err != nil {
			return nil, err
		}
		if order, ok := priceBlocks[strings.TrimSuffix(nc.Name, "Mod")]; ok && strings.HasSuffix(nc.Name, "Mod") {
			nc = mergeBlock(r.field(strings.TrimSuffix(nc.Name, "Mod")), nc, order)
		}
		repl = append(repl, nc)
	}
	// Commit.
	delete(c.idx.byName, nameKey(namespace(kind), oldFull))
	r.Name, r.ParentID = name, parentID
	if v := mod.text("IsActive"); v != "" {
		r.Active = v == "true"
	}
	for _, f := range repl {
		// SalesOrPurchase and SalesAndPurchase exclude each other.
		switch f.Name {
		case "SalesOrPurchase":
			r.setField("SalesAndPurchase")
		case "SalesAndPurchase":
			r.setField("SalesOrPurchase")
		}
	}
	seen := map[string]bool{}
	for _, f := range repl {
		if seen[f.Name] {
			continue
		}
		seen[f.Name] = true
		var same []*node
		for _, g := range repl {
			if g.Name == f.Name {
				same = append(same, g)
			}
		}
		r.setField(f.Name, same...)
	}
	if bc := mod.child("BarCode"); bc != nil {
		r.setField("BarCodeValue", leaf("BarCodeValue", bc.text("BarCodeValue")))
	}
	c.touch(r)
	c.reindexNames()
	return r, nil
}

// priceBlocks lists the children of the item price aggregates in schema
// order.
var priceBlocks = map[string][]string{
	"SalesOrPurchase":  {"Desc", "Price", "PricePercent", "AccountRef"},
	"SalesAndPurchase": {"SalesDesc", "SalesPrice", "IncomeAccountRef", "PurchaseDesc", "PurchaseCost", "PurchaseTaxCodeRef", "ExpenseAccountRef", "PrefVendorRef"},
}

// mergeBlock applies a SalesOrPurchaseMod/SalesAndPurchaseMod to the stored
// aggregate: given children replace stored ones, the rest are kept.
func mergeBlock(stored, mod *node, order []string) *node {
	out := el(strings.TrimSuffix(mod.Name, "Mod"))
	for _, name := range order {
		v := mod.child(name)
		if v == nil && !(name == "Price" && mod.has("PricePercent")) && !(name == "PricePercent" && mod.has("Price")) {
			v = stored.child(name)
		}
		if v != nil {
			out.Children = append(out.Children, v)
		}
	}
	return out
}

// reindexNames rebuilds the name index (after renames, whose children's
// full names change too).
func (c *Company) reindexNames() {
	c.idx.byName = map[string]*listRec{}
	for _, r := range c.st.Lists {
		c.idx.byName[nameKey(namespace(r.Kind), c.fullName(r))] = r
	}
}

// touch records a modification: TimeModified and EditSequence change.
func (c *Company) touch(r *listRec) {
	r.Modified = c.now()
	r.EditSeq = nextEditSeq(r.EditSeq, r.Modified)
}

// customerTotalBalance is the customer's balance including its jobs.
func (c *Company) customerTotalBalance(r *listRec) dec {
	t := r.Balance
	for _, o := range c.st.Lists {
		if o.Kind == "Customer" && o.ParentID == r.ListID {
			t += c.customerTotalBalance(o)
		}
	}
	return t
}

// listRet builds the *Ret element of a list record in schema order. keep,
// when non-nil, limits the output to those elements (IncludeRetElement).
func (c *Company) listRet(r *listRec, keep map[string]bool) *node {
	retName := r.Kind + "Ret"
	out := el(retName)
	add := func(n *node) {
		if n != nil && (keep == nil || keep[n.Name]) {
			out.Children = append(out.Children, n)
		}
	}
	for _, f := range retOrder[retName] {
		switch f {
		case "ListID":
			add(leaf(f, r.ListID))
		case "TimeCreated":
			add(leaf(f, fmtTime(r.Created)))
		case "TimeModified":
			add(leaf(f, fmtTime(r.Modified)))
		case "EditSequence":
			add(leaf(f, fmt.Sprint(r.EditSeq)))
		case "Name":
			add(leaf(f, r.Name))
		case "FullName":
			add(leaf(f, c.fullName(r)))
		case "IsActive":
			add(leaf(f, boolText(r.Active)))
		case "ParentRef":
			if p := c.idx.byListID[r.ParentID]; p != nil {
				add(c.refNode(f, p))
			}
		case "Sublevel":
			add(leaf(f, fmt.Sprint(c.sublevel(r))))
		case "BillAddressBlock":
			add(addressBlock(f, r.field("BillAddress")))
		case "ShipAddressBlock":
			add(addressBlock(f, r.field("ShipAddress")))
		case "Balance":
			add(leaf(f, r.Balance.amount()))
		case "TotalBalance":
			if r.Kind == "Customer" {
				add(leaf(f, c.customerTotalBalance(r).amount()))
			} else {
				add(leaf(f, r.Balance.amount()))
			}
		case "QuantityOnHand":
			add(leaf(f, r.QOH.quantity()))
		case "QuantityOnSalesOrder":
			add(leaf(f, r.QOSO.quantity()))
		case "QuantityOnOrder":
			add(leaf(f, "0"))
		case "AverageCost":
			add(leaf(f, r.AvgCost.price()))
		case "SalesPrice", "PurchaseCost":
			if r.Kind == "ItemInventory" && r.field(f) == nil {
				add(leaf(f, "0.00"))
				continue
			}
			c.addFields(r, f, add)
		case "JobStatus":
			if r.Kind == "Customer" && r.field(f) == nil {
				add(leaf(f, "None"))
				continue
			}
			c.addFields(r, f, add)
		case "SalesTaxCodeRef":
			if r.Kind == "Customer" && r.field(f) == nil {
				if t := c.idx.byListID[c.st.Prefs.TaxableCode]; t != nil {
					add(c.refNode(f, t))
				}
				continue
			}
			c.addFields(r, f, add)
		case "ItemSalesTaxRef":
			if r.Kind == "Customer" && r.field(f) == nil {
				if t := c.idx.byListID[c.st.Prefs.DefaultItemSalesTax]; t != nil {
					add(c.refNode(f, t))
				}
				continue
			}
			c.addFields(r, f, add)
		default:
			c.addFields(r, f, add)
		}
	}
	return out
}

func (c *Company) addFields(r *listRec, name string, add func(*node)) {
	for _, fld := range r.Fields {
		if fld.Name == name {
			add(c.refresh(fld))
		}
	}
}

// salesPrice is the price QuickBooks puts on a sales line when none is given.
func (r *listRec) salesPrice() dec {
	var s string
	switch r.Kind {
	case "ItemInventory":
		s = r.fieldText("SalesPrice")
	case "ItemDiscount":
		s = r.fieldText("DiscountRate")
	default:
		if sp := r.field("SalesOrPurchase"); sp != nil {
			s = sp.text("Price")
		} else if sp := r.field("SalesAndPurchase"); sp != nil {
			s = sp.text("SalesPrice")
		}
	}
	d, _ := parseDec(s)
	return d
}

// salesDesc is the description QuickBooks copies onto a sales line.
func (r *listRec) salesDesc() string {
	switch r.Kind {
	case "ItemInventory":
		return r.fieldText("SalesDesc")
	case "ItemDiscount", "ItemSalesTax", "ItemGroup":
		return r.fieldText("ItemDesc")
	}
	if sp := r.field("SalesOrPurchase"); sp != nil {
		return sp.text("Desc")
	}
	if sp := r.field("SalesAndPurchase"); sp != nil {
		return sp.text("SalesDesc")
	}
	return ""
}

// pricePercent is an item's percentage price (discounts, percent charges).
func (r *listRec) pricePercent() (dec, bool) {
	var s string
	switch r.Kind {
	case "ItemDiscount":
		s = r.fieldText("DiscountRatePercent")
	default:
		if sp := r.field("SalesOrPurchase"); sp != nil {
			s = sp.text("PricePercent")
		}
	}
	if s == "" {
		return 0, false
	}
	d, err := parseDec(s)
	return d, err == nil
}

// taxable reports whether a sales tax code record is taxable.
func (r *listRec) taxable() bool { return r != nil && r.fieldText("IsTaxable") == "true" }
