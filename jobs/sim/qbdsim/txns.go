package qbdsim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// txnRec is one transaction. Sales documents (SalesReceipt, Invoice,
// SalesOrder, CreditMemo) use Lines and the sales totals; ReceivePayment
// uses Apps; InventoryAdjustment uses Lines with QtyDiff/ValueDiff.
type txnRec struct {
	Kind       string     `json:"kind"`
	TxnID      string     `json:"txn_id"`
	TxnNumber  int        `json:"txn_number"`
	Created    time.Time  `json:"created"`
	Modified   time.Time  `json:"modified"`
	EditSeq    int64      `json:"edit_seq"`
	TxnDate    string     `json:"txn_date"`
	RefNumber  string     `json:"ref_number,omitempty"`
	CustomerID string     `json:"customer_id,omitempty"`
	VendorID   string     `json:"vendor_id,omitempty"` // bills and item receipts
	Fields     []*node    `json:"fields,omitempty"`
	Lines      []*lineRec `json:"lines,omitempty"`

	Subtotal  dec    `json:"subtotal,omitempty"`
	TaxPct    dec    `json:"tax_pct,omitempty"`
	TaxTotal  dec    `json:"tax_total,omitempty"`
	Total     dec    `json:"total,omitempty"`
	TaxItemID string `json:"tax_item_id,omitempty"`
	Applied   dec    `json:"applied,omitempty"` // invoices: payments and credits applied; credit memos: credit used

	Apps   []*application `json:"apps,omitempty"` // receive payments
	Unused dec            `json:"unused,omitempty"`
}

type lineRec struct {
	TxnLineID  string     `json:"txn_line_id"`
	ItemID     string     `json:"item_id,omitempty"`
	GroupID    string     `json:"group_id,omitempty"` // group lines: the ItemGroup
	Fields     []*node    `json:"fields,omitempty"`
	Qty        dec        `json:"qty,omitempty"`
	HasQty     bool       `json:"has_qty,omitempty"`
	Rate       dec        `json:"rate,omitempty"`
	HasRate    bool       `json:"has_rate,omitempty"`
	RatePct    dec        `json:"rate_pct,omitempty"`
	HasRatePct bool       `json:"has_rate_pct,omitempty"`
	Amount     dec        `json:"amount,omitempty"`
	Children   []*lineRec `json:"children,omitempty"`
	Expense    bool       `json:"expense,omitempty"`    // bills and item receipts: an ExpenseLineRet
	QtyDiff    dec        `json:"qty_diff,omitempty"`   // inventory adjustments
	ValueDiff  dec        `json:"value_diff,omitempty"` // inventory adjustments
}

type application struct {
	TxnID    string    `json:"txn_id"`
	Amount   dec       `json:"amount"`
	Discount dec       `json:"discount,omitempty"`
	Credits  []*credit `json:"credits,omitempty"` // credit memos set against the invoice (SetCredit)
}

// credit is a part of a credit memo used: set against an invoice, or refunded.
type credit struct {
	TxnID  string `json:"txn_id"`
	Amount dec    `json:"amount"`
}

func (t *txnRec) field(name string) *node {
	for _, f := range t.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func fieldOf(fields []*node, name string) *node {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// salesKinds are the transactions built from item lines.
var salesKinds = set("SalesReceipt", "Invoice", "SalesOrder", "CreditMemo")

// Header children of sales Add/Mod elements handled outside Fields.
var salesHeaderSkip = set("TxnID", "EditSequence", "CustomerRef", "TxnDate", "RefNumber", "LinkToTxnID", "SetCredit", "ExchangeRate",
	"DiscountLineAdd", "SalesTaxLineAdd", "ShippingLineAdd")

// Line children handled outside Fields (or not echoed in *LineRet).
var lineSkip = set("TxnLineID", "ItemRef", "ItemGroupRef", "Quantity", "Rate", "RatePercent", "Amount", "PriceLevelRef",
	"OptionForPriceRuleConflict", "OverrideItemAccountRef", "LinkToTxn", "TaxAmount", "OverrideUOMSetRef")

// buildSalesLine turns a *LineAdd/*LineMod element into a line, starting
// from base (a copy of the existing line for a mod, nil otherwise). prev is
// the amount of the preceding line, used by percentage lines.
func (c *Company) buildSalesLine(kind string, ln *node, base *lineRec, prev dec) (*lineRec, *statusError) {
	object := kind + " line"
	l := &lineRec{}
	if base != nil {
		*l = *base
		l.Fields = append([]*node(nil), base.Fields...)
	}
	var item *listRec
	if ref := ln.child("ItemRef"); ref != nil {
		r, err := c.resolveRef(ref, object)
		if err != nil {
			return nil, err
		}
		item = r
		l.ItemID = r.ListID
	} else if l.ItemID != "" {
		item = c.idx.byListID[l.ItemID]
	}
	for _, ch := range ln.Children {
		if lineSkip[ch.Name] {
			if ch.Name == "OverrideItemAccountRef" {
				if _, err := c.resolveRef(ch, object); err != nil {
					return nil, err
				}
			}
			continue
		}
		nc, err := c.normalizeRefs(ch, object)
		if err != nil {
			return nil, err
		}
		l.Fields = replaceFields(l.Fields, nc.Name, []*node{nc})
	}
	if base == nil && item != nil {
		if fieldOf(l.Fields, "Desc") == nil {
			if d := item.salesDesc(); d != "" {
				l.Fields = append(l.Fields, leaf("Desc", d))
			}
		}
		if fieldOf(l.Fields, "SalesTaxCodeRef") == nil {
			code := item.field("SalesTaxCodeRef")
			if code == nil {
				if r := c.idx.byListID[c.st.Prefs.NonTaxableCode]; r != nil {
					code = c.refNode("SalesTaxCodeRef", r)
				}
			}
			if code != nil && item.Kind != "ItemSalesTax" && item.Kind != "ItemGroup" {
				l.Fields = append(l.Fields, code.clone())
			}
		}
	}
	qtyGiven, rateGiven, pctGiven, amtGiven := ln.has("Quantity"), ln.has("Rate"), ln.has("RatePercent"), ln.has("Amount")
	if qtyGiven {
		l.Qty, _ = parseDec(ln.text("Quantity"))
		l.HasQty = true
	}
	if rateGiven {
		l.Rate, _ = parseDec(ln.text("Rate"))
		l.HasRate, l.HasRatePct = true, false
	}
	if pctGiven {
		l.RatePct, _ = parseDec(ln.text("RatePercent"))
		l.HasRatePct, l.HasRate = true, false
	}
	if base != nil && !qtyGiven && !rateGiven && !pctGiven && !amtGiven && ln.child("ItemRef") == nil {
		return l, nil
	}
	discount := item != nil && item.Kind == "ItemDiscount"
	switch {
	case amtGiven:
		l.Amount, _ = parseDec(ln.text("Amount"))
		if !l.HasRate && !l.HasRatePct && l.HasQty && l.Qty != 0 {
			l.Rate, l.HasRate = div(l.Amount, l.Qty), true
		} else if !l.HasRate && !l.HasRatePct {
			l.Rate, l.HasRate = l.Amount, true
		}
	case l.HasRatePct:
		l.Amount = mul(prev, div(l.RatePct, decFromInt(100))).cents()
		if discount && l.Amount > 0 {
			l.Amount = -l.Amount
		}
	case l.HasRate:
		l.Amount = l.lineAmount()
	case item != nil:
		if pct, ok := item.pricePercent(); ok {
			l.RatePct, l.HasRatePct = pct, true
			l.Amount = mul(prev, div(pct, decFromInt(100))).cents()
			if discount && l.Amount > 0 {
				l.Amount = -l.Amount
			}
			break
		}
		l.Rate, l.HasRate = item.salesPrice(), true
		if discount && l.Rate > 0 {
			l.Rate = -l.Rate
		}
		l.Amount = l.lineAmount()
	}
	return l, nil
}

func (l *lineRec) lineAmount() dec {
	if l.HasQty {
		return mul(l.Qty, l.Rate).cents()
	}
	return l.Rate.cents()
}

// buildGroupLine expands a *LineGroupAdd into the group's member lines.
func (c *Company) buildGroupLine(kind string, ln *node) (*lineRec, *statusError) {
	object := kind + " line"
	ref := ln.child("ItemGroupRef")
	if ref == nil {
		return nil, invalidRef("Item", "", object)
	}
	g, err := c.resolveRef(ref, object)
	if err != nil {
		return nil, err
	}
	l := &lineRec{GroupID: g.ListID, Qty: decFromInt(1)}
	if ln.has("Quantity") {
		l.Qty, _ = parseDec(ln.text("Quantity"))
		l.HasQty = true
	}
	desc := ln.text("Desc")
	if desc == "" {
		desc = g.salesDesc()
	}
	if desc != "" {
		l.Fields = append(l.Fields, leaf("Desc", desc))
	}
	for _, name := range []string{"UnitOfMeasure", "ServiceDate", "InventorySiteRef", "InventorySiteLocationRef"} {
		if f := ln.child(name); f != nil {
			l.Fields = append(l.Fields, f.clone())
		}
	}
	var prev dec
	for _, gl := range g.Fields {
		if gl.Name != "ItemGroupLine" {
			continue
		}
		member := el("Member", gl.child("ItemRef").clone())
		q, err := parseDec(gl.text("Quantity"))
		if err != nil {
			q = decFromInt(1)
		}
		member.Children = append(member.Children, leaf("Quantity", mul(q, l.Qty).quantity()))
		child, serr := c.buildSalesLine(kind, member, nil, prev)
		if serr != nil {
			return nil, serr
		}
		prev = child.Amount
		l.Children = append(l.Children, child)
		l.Amount += child.Amount
	}
	return l, nil
}

// assignLineIDs gives new lines (TxnLineID "") IDs from the transaction
// sequence, as QuickBooks does.
func (c *Company) assignLineIDs(lines []*lineRec, t time.Time) {
	for _, l := range lines {
		if l.TxnLineID == "" {
			l.TxnLineID = c.newTxnID(t)
		}
		c.assignLineIDs(l.Children, t)
	}
}

// flatLines returns the item lines, group members expanded.
func flatLines(lines []*lineRec) []*lineRec {
	var out []*lineRec
	for _, l := range lines {
		if l.GroupID != "" {
			out = append(out, l.Children...)
		} else {
			out = append(out, l)
		}
	}
	return out
}

// computeSalesTotals sets Subtotal, tax and Total from the lines.
func (c *Company) computeSalesTotals(t *txnRec) {
	t.Subtotal = 0
	var taxable dec
	custTaxable := true
	if f := t.field("CustomerSalesTaxCodeRef"); f != nil {
		custTaxable = c.idx.byListID[f.text("ListID")].taxable()
	} else if cust := c.idx.byListID[t.CustomerID]; cust != nil {
		if f := cust.field("SalesTaxCodeRef"); f != nil {
			custTaxable = c.idx.byListID[f.text("ListID")].taxable()
		}
	}
	for _, l := range flatLines(t.Lines) {
		t.Subtotal += l.Amount
		if f := fieldOf(l.Fields, "SalesTaxCodeRef"); f != nil && c.idx.byListID[f.text("ListID")].taxable() {
			taxable += l.Amount
		}
	}
	t.TaxItemID, t.TaxPct, t.TaxTotal = "", 0, 0
	taxItem := ""
	if f := t.field("ItemSalesTaxRef"); f != nil {
		taxItem = f.text("ListID")
	} else if cust := c.idx.byListID[t.CustomerID]; cust != nil && cust.field("ItemSalesTaxRef") != nil {
		taxItem = cust.field("ItemSalesTaxRef").text("ListID")
	} else {
		taxItem = c.st.Prefs.DefaultItemSalesTax
	}
	if ti := c.idx.byListID[taxItem]; ti != nil {
		t.TaxItemID = ti.ListID
		t.TaxPct, _ = parseDec(ti.fieldText("TaxRate"))
		if custTaxable {
			t.TaxTotal = mul(taxable, div(t.TaxPct, decFromInt(100))).cents()
		}
	}
	t.Total = t.Subtotal + t.TaxTotal
}

// inventoryEffect applies (sign +1) or reverses (sign -1) what a sales
// document does to item quantities and customer balances.
func (c *Company) inventoryEffect(t *txnRec, sign int64) {
	s := dec(sign * decScale)
	for _, l := range flatLines(t.Lines) {
		item := c.idx.byListID[l.ItemID]
		if item == nil || item.Kind != "ItemInventory" || !l.HasQty || l.Qty == 0 {
			continue
		}
		switch t.Kind {
		case "SalesReceipt", "Invoice":
			item.QOH -= mul(l.Qty, s)
		case "CreditMemo":
			item.QOH += mul(l.Qty, s)
		case "SalesOrder":
			item.QOSO += mul(l.Qty, s)
		}
		// QuickBooks does not bump an item's TimeModified or EditSequence when a
		// transaction changes its quantities (issue 12; an inventory adjustment or an
		// edit of the item does), so a FromModifiedDate poll of items misses sales.
	}
	cust := c.idx.byListID[t.CustomerID]
	if cust == nil {
		return
	}
	switch t.Kind {
	case "Invoice":
		cust.Balance += mul(t.Total, s)
	case "CreditMemo":
		cust.Balance -= mul(t.Total, s)
	}
}

// nextRefNumber is the RefNumber QuickBooks fills in when none is given:
// one more than the highest numeric RefNumber of that kind.
func (c *Company) nextRefNumber(kind string) string {
	max := int64(0)
	for _, t := range c.st.Txns {
		if t.Kind != kind {
			continue
		}
		if n, err := strconv.ParseInt(t.RefNumber, 10, 64); err == nil && n > max {
			max = n
		}
	}
	return strconv.FormatInt(max+1, 10)
}

// defaultAccount finds the account QuickBooks uses by default.
func (c *Company) defaultAccount(name, accountType string) *listRec {
	if r := c.idx.byName[nameKey("Account", name)]; r != nil {
		return r
	}
	for _, r := range c.st.Lists {
		if r.Kind == "Account" && r.fieldText("AccountType") == accountType {
			return r
		}
	}
	return nil
}

// addSalesTxn creates a SalesReceipt, Invoice, SalesOrder or CreditMemo
// from its *Add element.
func (c *Company) addSalesTxn(kind string, add *node) (*txnRec, *statusError) {
	t := &txnRec{Kind: kind}
	if err := c.applySalesHeader(t, add); err != nil {
		return nil, err
	}
	if t.CustomerID == "" && kind != "SalesReceipt" {
		return nil, invalidRef("Customer", "", kind)
	}
	var prev dec
	for _, ch := range add.Children {
		var l *lineRec
		var err *statusError
		switch ch.Name {
		case kind + "LineAdd":
			l, err = c.buildSalesLine(kind, ch, nil, prev)
		case kind + "LineGroupAdd":
			l, err = c.buildGroupLine(kind, ch)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		prev = l.Amount
		t.Lines = append(t.Lines, l)
	}
	now := c.now()
	t.Created, t.Modified = now, now
	if t.TxnDate == "" {
		t.TxnDate = now.Format("2006-01-02")
	}
	if t.RefNumber == "" {
		t.RefNumber = c.nextRefNumber(kind)
	}
	c.computeSalesTotals(t)
	t.TxnID = c.newTxnID(now)
	c.assignLineIDs(t.Lines, now)
	t.TxnNumber = c.st.NextTxnNum
	c.st.NextTxnNum++
	t.EditSeq = nextEditSeq(0, now)
	c.inventoryEffect(t, 1)
	c.st.Txns = append(c.st.Txns, t)
	c.idx.byTxnID[t.TxnID] = t
	return t, nil
}

// applySalesHeader validates and stores the header fields of a sales
// Add/Mod element on t (fields absent from a Mod are kept).
func (c *Company) applySalesHeader(t *txnRec, n *node) *statusError {
	kind := t.Kind
	if ref := n.child("CustomerRef"); ref != nil {
		r, err := c.resolveRef(ref, kind)
		if err != nil {
			return err
		}
		t.CustomerID = r.ListID
	}
	fields := append([]*node(nil), t.Fields...)
	for _, ch := range n.Children {
		if salesHeaderSkip[ch.Name] || strings.HasPrefix(ch.Name, kind+"Line") {
			continue
		}
		nc, err := c.normalizeRefs(ch, kind)
		if err != nil {
			return err
		}
		fields = replaceFields(fields, nc.Name, []*node{nc})
	}
	if n.has("TxnDate") {
		t.TxnDate = n.text("TxnDate")
	}
	if n.has("RefNumber") {
		t.RefNumber = n.text("RefNumber")
	}
	cust := c.idx.byListID[t.CustomerID]
	if t.TxnID == "" {
		// QuickBooks fills addresses and default accounts on new documents.
		for _, a := range []string{"BillAddress", "ShipAddress"} {
			if fieldOf(fields, a) == nil && cust != nil && cust.field(a) != nil {
				fields = append(fields, cust.field(a).clone())
			}
		}
		switch kind {
		case "Invoice", "CreditMemo":
			if fieldOf(fields, "ARAccountRef") == nil {
				if a := c.defaultAccount("Accounts Receivable", "AccountsReceivable"); a != nil {
					fields = append(fields, c.refNode("ARAccountRef", a))
				}
			}
		case "SalesReceipt":
			if fieldOf(fields, "DepositToAccountRef") == nil {
				if a := c.defaultAccount("Undeposited Funds", "OtherCurrentAsset"); a != nil {
					fields = append(fields, c.refNode("DepositToAccountRef", a))
				}
			}
		}
	}
	t.Fields = fields
	return nil
}

// modSalesTxn applies a SalesReceiptMod/InvoiceMod.
func (c *Company) modSalesTxn(kind string, mod *node) (*txnRec, *statusError) {
	id := mod.text("TxnID")
	t := c.idx.byTxnID[id]
	if t == nil || t.Kind != kind {
		return nil, objectNotFound(id)
	}
	if es := mod.text("EditSequence"); es != fmt.Sprint(t.EditSeq) {
		return nil, staleEditSeq(es, c.txnRet(t, retOptions{lines: true}))
	}
	nt := *t
	nt.Fields = append([]*node(nil), t.Fields...)
	if err := c.applySalesHeader(&nt, mod); err != nil {
		return nil, err
	}
	var lineMods []*node
	for _, ch := range mod.Children {
		if ch.Name == kind+"LineMod" || ch.Name == kind+"LineGroupMod" {
			lineMods = append(lineMods, ch)
		}
	}
	if len(lineMods) > 0 {
		existing := map[string]*lineRec{}
		for _, l := range t.Lines {
			existing[l.TxnLineID] = l
		}
		nt.Lines = nil
		var prev dec
		for _, lm := range lineMods {
			lid := lm.text("TxnLineID")
			var l *lineRec
			var err *statusError
			if lid == "-1" {
				if lm.Name == kind+"LineGroupMod" {
					l, err = c.buildGroupLine(kind, lm)
				} else {
					l, err = c.buildSalesLine(kind, lm, nil, prev)
				}
			} else {
				base := existing[lid]
				if base == nil {
					return nil, objectNotFound(lid)
				}
				if base.GroupID != "" {
					cp := *base
					l = &cp
				} else {
					l, err = c.buildSalesLine(kind, lm, base, prev)
				}
			}
			if err != nil {
				return nil, err
			}
			prev = l.Amount
			nt.Lines = append(nt.Lines, l)
		}
	}
	c.computeSalesTotals(&nt)
	if kind == "Invoice" && nt.Total < t.Applied {
		return nil, &statusError{code: 3210, msg: fmt.Sprintf("The \"TotalAmount\" field has an invalid value \"%s\".  QuickBooks error message: The invoice total is less than the payments already applied to it.", nt.Total.amount())}
	}
	// Commit: reverse the old effects, apply the new ones.
	c.inventoryEffect(t, -1)
	now := c.now()
	c.assignLineIDs(nt.Lines, now)
	*t = nt
	t.Modified = now
	t.EditSeq = nextEditSeq(t.EditSeq, now)
	c.inventoryEffect(t, 1)
	return t, nil
}

// addReceivePayment creates a ReceivePayment and applies it to invoices.
func (c *Company) addReceivePayment(add *node) (*txnRec, *statusError) {
	const kind = "ReceivePayment"
	t := &txnRec{Kind: kind}
	cust, err := c.moneyHeader(t, add, set("TotalAmount", "IsAutoApply", "AppliedToTxnAdd"), "DepositToAccountRef")
	if err != nil {
		return nil, err
	}
	var applied dec
	pending := map[string]dec{}       // per invoice, within this payment
	pendingCredit := map[string]dec{} // per credit memo, within this payment
	for _, a := range add.all("AppliedToTxnAdd") {
		id := a.text("TxnID")
		inv := c.idx.byTxnID[id]
		if inv == nil || inv.Kind != "Invoice" || inv.CustomerID != cust.ListID {
			return nil, objectNotFound(id)
		}
		amt, _ := parseDec(a.text("PaymentAmount"))
		disc, _ := parseDec(a.text("DiscountAmount"))
		if a.has("DiscountAccountRef") {
			if _, err := c.resolveRef(a.child("DiscountAccountRef"), kind); err != nil {
				return nil, err
			}
		}
		// SetCredit applies a credit memo of the customer to the invoice (the documented
		// way to apply a credit: no money moves, the credit and the invoice settle each other).
		var credits []*credit
		var credited dec
		for _, sc := range a.all("SetCredit") {
			cid := sc.text("CreditTxnID")
			cm := c.idx.byTxnID[cid]
			if cm == nil || cm.Kind != "CreditMemo" || cm.CustomerID != cust.ListID {
				return nil, objectNotFound(cid)
			}
			ca, _ := parseDec(sc.text("AppliedAmount"))
			if ca <= 0 || ca > cm.Total-cm.Applied-pendingCredit[cid] {
				return nil, &statusError{code: 3210, msg: fmt.Sprintf("The \"SetCredit AppliedAmount\" field has an invalid value \"%s\".  QuickBooks error message: The credit applied is more than the credit remaining.", ca.amount())}
			}
			pendingCredit[cid] += ca
			credited += ca
			credits = append(credits, &credit{TxnID: cid, Amount: ca})
		}
		due := inv.Total - inv.Applied - pending[id]
		if amt+disc+credited > due {
			return nil, &statusError{code: 3210, msg: fmt.Sprintf("The \"AppliedToTxnAdd payment amount\" field has an invalid value \"%s\".  QuickBooks error message: You cannot pay more than the amount due.", amt.amount())}
		}
		pending[id] += amt + disc + credited
		applied += amt
		t.Apps = append(t.Apps, &application{TxnID: id, Amount: amt, Discount: disc, Credits: credits})
	}
	total := applied
	if add.has("TotalAmount") {
		total, _ = parseDec(add.text("TotalAmount"))
	}
	if add.text("IsAutoApply") == "true" {
		remaining := total
		for _, inv := range c.st.Txns {
			if remaining <= 0 {
				break
			}
			if inv.Kind != "Invoice" || inv.CustomerID != cust.ListID {
				continue
			}
			due := inv.Total - inv.Applied
			if due <= 0 {
				continue
			}
			amt := min(due, remaining)
			t.Apps = append(t.Apps, &application{TxnID: inv.TxnID, Amount: amt})
			applied += amt
			remaining -= amt
		}
	}
	if applied > total {
		return nil, &statusError{code: 3210, msg: fmt.Sprintf("The \"TotalAmount\" field has an invalid value \"%s\".  QuickBooks error message: The amounts applied to transactions exceed the payment amount.", total.amount())}
	}
	now := c.now()
	t.Created, t.Modified = now, now
	if t.TxnDate == "" {
		t.TxnDate = now.Format("2006-01-02")
	}
	t.Total, t.Unused = total, total-applied
	t.TxnID = c.newTxnID(now)
	t.TxnNumber = c.st.NextTxnNum
	c.st.NextTxnNum++
	t.EditSeq = nextEditSeq(0, now)
	for _, a := range t.Apps {
		inv := c.idx.byTxnID[a.TxnID]
		inv.Applied += a.Amount + a.Discount
		for _, cr := range a.Credits {
			inv.Applied += cr.Amount
			cm := c.idx.byTxnID[cr.TxnID]
			cm.Applied += cr.Amount
			cm.Modified = now
			cm.EditSeq = nextEditSeq(cm.EditSeq, now)
		}
		inv.Modified = now
		inv.EditSeq = nextEditSeq(inv.EditSeq, now)
		cust.Balance -= a.Discount
	}
	cust.Balance -= total
	c.st.Txns = append(c.st.Txns, t)
	c.idx.byTxnID[t.TxnID] = t
	return t, nil
}

// moneyHeader reads the header of a ReceivePayment or ARRefundCreditCard Add into t: its
// customer (returned), TxnDate and RefNumber, the other children but skip as they are, and the
// accounts QuickBooks fills in when absent: Accounts Receivable, and Undeposited Funds as
// moneyRef (where the money comes in or goes out).
func (c *Company) moneyHeader(t *txnRec, add *node, skip map[string]bool, moneyRef string) (*listRec, *statusError) {
	ref := add.child("CustomerRef")
	if ref == nil {
		return nil, invalidRef("Customer", "", t.Kind)
	}
	cust, err := c.resolveRef(ref, t.Kind)
	if err != nil {
		return nil, err
	}
	t.CustomerID = cust.ListID
	for _, ch := range add.Children {
		switch {
		case skip[ch.Name]:
			continue
		case ch.Name == "CustomerRef" || ch.Name == "TxnDate" || ch.Name == "RefNumber" || ch.Name == "ExchangeRate":
			continue
		}
		nc, err := c.normalizeRefs(ch, t.Kind)
		if err != nil {
			return nil, err
		}
		t.Fields = append(t.Fields, nc)
	}
	for _, d := range []struct{ ref, name, typ string }{
		{"ARAccountRef", "Accounts Receivable", "AccountsReceivable"},
		{moneyRef, "Undeposited Funds", "OtherCurrentAsset"},
	} {
		if fieldOf(t.Fields, d.ref) == nil {
			if a := c.defaultAccount(d.name, d.typ); a != nil {
				t.Fields = append(t.Fields, c.refNode(d.ref, a))
			}
		}
	}
	t.TxnDate, t.RefNumber = add.text("TxnDate"), add.text("RefNumber")
	return cust, nil
}

// addCardRefund creates an ARRefundCreditCard: credit memos of the customer paid back to a
// card, out of RefundFromAccountRef (Undeposited Funds when not given).
func (c *Company) addCardRefund(add *node) (*txnRec, *statusError) {
	const kind = "ARRefundCreditCard"
	t := &txnRec{Kind: kind}
	cust, err := c.moneyHeader(t, add, set("RefundAppliedToTxnAdd"), "RefundFromAccountRef")
	if err != nil {
		return nil, err
	}
	pending := map[string]dec{}
	for _, a := range add.all("RefundAppliedToTxnAdd") {
		id := a.text("TxnID")
		cm := c.idx.byTxnID[id]
		if cm == nil || cm.Kind != "CreditMemo" || cm.CustomerID != cust.ListID {
			return nil, objectNotFound(id)
		}
		amt, _ := parseDec(a.text("RefundAmount"))
		if amt <= 0 || amt > cm.Total-cm.Applied-pending[id] {
			return nil, &statusError{code: 3210, msg: fmt.Sprintf("The \"RefundAmount\" field has an invalid value \"%s\".  QuickBooks error message: The refund is more than the credit remaining.", amt.amount())}
		}
		pending[id] += amt
		t.Total += amt
		t.Apps = append(t.Apps, &application{TxnID: id, Amount: amt})
	}
	now := c.now()
	t.Created, t.Modified = now, now
	if t.TxnDate == "" {
		t.TxnDate = now.Format("2006-01-02")
	}
	t.TxnID = c.newTxnID(now)
	t.TxnNumber = c.st.NextTxnNum
	c.st.NextTxnNum++
	t.EditSeq = nextEditSeq(0, now)
	for _, a := range t.Apps {
		cm := c.idx.byTxnID[a.TxnID]
		cm.Applied += a.Amount
		cm.Modified = now
		cm.EditSeq = nextEditSeq(cm.EditSeq, now)
	}
	// The credit was owed to the customer; paying it back brings the balance up again.
	cust.Balance += t.Total
	c.st.Txns = append(c.st.Txns, t)
	c.idx.byTxnID[t.TxnID] = t
	return t, nil
}

// addInventoryAdjustment changes quantities (and values) on hand.
func (c *Company) addInventoryAdjustment(add *node) (*txnRec, *statusError) {
	const kind = "InventoryAdjustment"
	t := &txnRec{Kind: kind}
	if add.child("AccountRef") == nil {
		return nil, invalidRef("Account", "", kind)
	}
	for _, ch := range add.Children {
		switch ch.Name {
		case "TxnDate", "RefNumber", "InventoryAdjustmentLineAdd":
			continue
		case "CustomerRef":
			r, err := c.resolveRef(ch, kind)
			if err != nil {
				return nil, err
			}
			t.CustomerID = r.ListID
			continue
		}
		nc, err := c.normalizeRefs(ch, kind)
		if err != nil {
			return nil, err
		}
		t.Fields = append(t.Fields, nc)
	}
	t.TxnDate, t.RefNumber = add.text("TxnDate"), add.text("RefNumber")
	pendingQty := map[string]dec{}
	for _, ln := range add.all("InventoryAdjustmentLineAdd") {
		ref := ln.child("ItemRef")
		if ref == nil {
			return nil, invalidRef("Item", "", kind+" line")
		}
		item, value, ok := c.lookupRef(ref, []string{"ItemInventory"})
		if !ok {
			return nil, invalidRef("Item", value, kind+" line")
		}
		l := &lineRec{ItemID: item.ListID}
		qoh := item.QOH + pendingQty[item.ListID]
		switch {
		case ln.has("QuantityAdjustment"):
			qa := ln.child("QuantityAdjustment")
			if qa.has("SerialNumber") || qa.has("LotNumber") {
				return nil, featureNotAvailable()
			}
			if qa.has("NewQuantity") {
				nq, _ := parseDec(qa.text("NewQuantity"))
				l.QtyDiff = nq - qoh
			} else {
				l.QtyDiff, _ = parseDec(qa.text("QuantityDifference"))
			}
			l.ValueDiff = mul(l.QtyDiff, item.AvgCost).cents()
		case ln.has("ValueAdjustment"):
			va := ln.child("ValueAdjustment")
			if va.has("NewQuantity") {
				nq, _ := parseDec(va.text("NewQuantity"))
				l.QtyDiff = nq - qoh
			} else {
				l.QtyDiff, _ = parseDec(va.text("QuantityDifference"))
			}
			oldValue := mul(qoh, item.AvgCost).cents()
			if va.has("NewValue") {
				nv, _ := parseDec(va.text("NewValue"))
				l.ValueDiff = nv - oldValue
			} else {
				l.ValueDiff, _ = parseDec(va.text("ValueDifference"))
			}
		default:
			// Serial and lot number adjustments need Enterprise Advanced Inventory.
			return nil, featureNotAvailable()
		}
		pendingQty[item.ListID] += l.QtyDiff
		t.Lines = append(t.Lines, l)
	}
	now := c.now()
	t.Created, t.Modified = now, now
	if t.TxnDate == "" {
		t.TxnDate = now.Format("2006-01-02")
	}
	t.TxnID = c.newTxnID(now)
	c.assignLineIDs(t.Lines, now)
	t.TxnNumber = c.st.NextTxnNum
	c.st.NextTxnNum++
	t.EditSeq = nextEditSeq(0, now)
	for _, l := range t.Lines {
		item := c.idx.byListID[l.ItemID]
		oldValue := mul(item.QOH, item.AvgCost)
		item.QOH += l.QtyDiff
		if item.QOH > 0 {
			item.AvgCost = div(oldValue+l.ValueDiff, item.QOH)
		}
		c.touch(item)
	}
	c.st.Txns = append(c.st.Txns, t)
	c.idx.byTxnID[t.TxnID] = t
	return t, nil
}

func featureNotAvailable() *statusError {
	return &statusError{code: 3250, msg: "This feature is not enabled or not available in this version of QuickBooks."}
}

// retOptions selects the optional parts of a transaction *Ret.
type retOptions struct {
	lines  bool            // IncludeLineItems (always on for Add/Mod answers)
	linked bool            // IncludeLinkedTxns
	keep   map[string]bool // IncludeRetElement
}

// txnRet builds the *Ret element of a transaction in schema order.
func (c *Company) txnRet(t *txnRec, o retOptions) *node {
	retName := t.Kind + "Ret"
	out := el(retName)
	add := func(n *node) {
		if n != nil && (o.keep == nil || o.keep[n.Name]) {
			out.Children = append(out.Children, n)
		}
	}
	sales := salesKinds[t.Kind]
	for _, f := range retOrder[retName] {
		switch f {
		case "TxnID":
			add(leaf(f, t.TxnID))
		case "TimeCreated":
			add(leaf(f, fmtTime(t.Created)))
		case "TimeModified":
			add(leaf(f, fmtTime(t.Modified)))
		case "EditSequence":
			add(leaf(f, fmt.Sprint(t.EditSeq)))
		case "TxnNumber":
			add(leaf(f, fmt.Sprint(t.TxnNumber)))
		case "CustomerRef":
			if r := c.idx.byListID[t.CustomerID]; r != nil {
				add(c.refNode(f, r))
			}
		case "TxnDate":
			add(leaf(f, t.TxnDate))
		case "RefNumber":
			if t.RefNumber != "" {
				add(leaf(f, t.RefNumber))
			}
		case "BillAddressBlock":
			add(addressBlock(f, t.field("BillAddress")))
		case "ShipAddressBlock":
			add(addressBlock(f, t.field("ShipAddress")))
		case "Subtotal":
			add(leaf(f, t.Subtotal.amount()))
		case "ItemSalesTaxRef":
			if r := c.idx.byListID[t.TaxItemID]; r != nil && sales {
				add(c.refNode(f, r))
			}
		case "SalesTaxPercentage":
			add(leaf(f, t.TaxPct.price()))
		case "SalesTaxTotal":
			add(leaf(f, t.TaxTotal.amount()))
		case "TotalAmount":
			add(leaf(f, t.Total.amount()))
		case "AppliedAmount":
			add(leaf(f, (-t.Applied).amount()))
		case "BalanceRemaining":
			add(leaf(f, (t.Total - t.Applied).amount()))
		case "CreditRemaining":
			add(leaf(f, (t.Total - t.Applied).amount()))
		case "RefundAppliedToTxnRet":
			for _, a := range t.Apps {
				cm := c.idx.byTxnID[a.TxnID]
				r := el(f, leaf("TxnID", cm.TxnID), leaf("TxnType", "CreditMemo"), leaf("TxnDate", cm.TxnDate))
				if cm.RefNumber != "" {
					r.Children = append(r.Children, leaf("RefNumber", cm.RefNumber))
				}
				r.Children = append(r.Children, leaf("CreditRemaining", (cm.Total-cm.Applied).amount()), leaf("RefundAmount", a.Amount.amount()))
				add(r)
			}
		case "IsPaid":
			add(leaf(f, boolText(t.Total-t.Applied <= 0)))
		case "IsPending", "IsFinanceCharge", "IsToBeEmailed", "IsManuallyClosed", "IsFullyInvoiced":
			c.addTxnField(t, f, "false", add)
		case "IsToBePrinted":
			c.addTxnField(t, f, "true", add)
		case "DueDate":
			if t.Kind == "Invoice" || t.Kind == "SalesOrder" {
				c.addTxnField(t, f, c.dueDate(t), add)
			} else {
				c.addTxnField(t, f, "", add)
			}
		case "UnusedPayment":
			add(leaf(f, t.Unused.amount()))
		case "UnusedCredits":
			add(leaf(f, "0.00"))
		case "AppliedToTxnRet":
			for _, a := range t.Apps {
				inv := c.idx.byTxnID[a.TxnID]
				r := el(f, leaf("TxnID", inv.TxnID), leaf("TxnType", "Invoice"), leaf("TxnDate", inv.TxnDate))
				if inv.RefNumber != "" {
					r.Children = append(r.Children, leaf("RefNumber", inv.RefNumber))
				}
				r.Children = append(r.Children, leaf("BalanceRemaining", (inv.Total-inv.Applied).amount()), leaf("Amount", a.Amount.amount()))
				if a.Discount != 0 {
					r.Children = append(r.Children, leaf("DiscountAmount", a.Discount.amount()))
				}
				add(r)
			}
		case "LinkedTxn":
			if o.linked && t.Kind == "Invoice" {
				for _, p := range c.st.Txns {
					for _, a := range p.Apps {
						if a.TxnID != t.TxnID {
							continue
						}
						lt := el(f, leaf("TxnID", p.TxnID), leaf("TxnType", "ReceivePayment"), leaf("TxnDate", p.TxnDate))
						if p.RefNumber != "" {
							lt.Children = append(lt.Children, leaf("RefNumber", p.RefNumber))
						}
						lt.Children = append(lt.Children, leaf("LinkType", "AMTTYPE"), leaf("Amount", (-a.Amount).amount()))
						add(lt)
					}
				}
			}
		case "VendorRef":
			if r := c.idx.byListID[t.VendorID]; r != nil {
				add(c.refNode(f, r))
			}
		case "AmountDue", "OpenAmount":
			add(leaf(f, (t.Total - t.Applied).amount()))
		case "ExpenseLineRet", "ItemLineRet":
			if o.lines {
				for _, l := range t.Lines {
					if l.Expense == (f == "ExpenseLineRet") {
						add(c.purchaseLineRet(l))
					}
				}
			}
		case "ItemGroupLineRet":
			// group lines on purchases are not implemented (addPurchase refuses them)
		case "InventoryAdjustmentLineRet":
			if o.lines {
				for _, l := range t.Lines {
					add(el(f, leaf("TxnLineID", l.TxnLineID), c.refNode("ItemRef", c.idx.byListID[l.ItemID]),
						leaf("QuantityDifference", l.QtyDiff.quantity()), leaf("ValueDifference", l.ValueDiff.amount())))
				}
			}
		case t.Kind + "LineRet":
			if o.lines {
				for _, l := range t.Lines {
					add(c.lineRet(t.Kind, l))
				}
			}
		case t.Kind + "LineGroupRet":
			// emitted in line order together with the plain lines
		default:
			c.addTxnField(t, f, "", add)
		}
	}
	return out
}

// dueDate is the DueDate QuickBooks computes when none is given: the
// transaction date plus the terms' due days.
func (c *Company) dueDate(t *txnRec) string {
	days := 0
	if f := t.field("TermsRef"); f != nil {
		if terms := c.idx.byListID[f.text("ListID")]; terms != nil {
			// Terms without a readable StdDueDays leave the transaction due on its date.
			if _, err := fmt.Sscan(terms.fieldText("StdDueDays"), &days); err != nil {
				days = 0
			}
		}
	}
	d, err := time.Parse("2006-01-02", t.TxnDate)
	if err != nil {
		return t.TxnDate
	}
	return d.AddDate(0, 0, days).Format("2006-01-02")
}

func (c *Company) addTxnField(t *txnRec, name, def string, add func(*node)) {
	found := false
	for _, f := range t.Fields {
		if f.Name == name {
			add(c.refresh(f))
			found = true
		}
	}
	if !found && def != "" {
		add(leaf(name, def))
	}
}

// lineRet builds a *LineRet or *LineGroupRet.
func (c *Company) lineRet(kind string, l *lineRec) *node {
	if l.GroupID != "" {
		name := kind + "LineGroupRet"
		out := el(name)
		for _, f := range retOrder[name] {
			switch f {
			case "TxnLineID":
				out.Children = append(out.Children, leaf(f, l.TxnLineID))
			case "ItemGroupRef":
				out.Children = append(out.Children, c.refNode(f, c.idx.byListID[l.GroupID]))
			case "Quantity":
				out.Children = append(out.Children, leaf(f, l.Qty.quantity()))
			case "IsPrintItemsInGroup":
				v := "false"
				if g := c.idx.byListID[l.GroupID]; g != nil && g.fieldText(f) != "" {
					v = g.fieldText(f)
				}
				out.Children = append(out.Children, leaf(f, v))
			case "TotalAmount":
				out.Children = append(out.Children, leaf(f, l.Amount.amount()))
			case kind + "LineRet":
				for _, ch := range l.Children {
					out.Children = append(out.Children, c.lineRet(kind, ch))
				}
			default:
				for _, fl := range l.Fields {
					if fl.Name == f {
						out.Children = append(out.Children, c.refresh(fl))
					}
				}
			}
		}
		return out
	}
	name := kind + "LineRet"
	out := el(name)
	for _, f := range retOrder[name] {
		switch f {
		case "TxnLineID":
			out.Children = append(out.Children, leaf(f, l.TxnLineID))
		case "ItemRef":
			if r := c.idx.byListID[l.ItemID]; r != nil {
				out.Children = append(out.Children, c.refNode(f, r))
			}
		case "Quantity":
			if l.HasQty {
				out.Children = append(out.Children, leaf(f, l.Qty.quantity()))
			}
		case "Rate":
			if l.HasRate {
				out.Children = append(out.Children, leaf(f, l.Rate.price()))
			}
		case "RatePercent":
			if l.HasRatePct {
				out.Children = append(out.Children, leaf(f, l.RatePct.price()))
			}
		case "Amount":
			out.Children = append(out.Children, leaf(f, l.Amount.amount()))
		case "Invoiced":
			out.Children = append(out.Children, leaf(f, "0"))
		case "IsManuallyClosed":
			if fieldOf(l.Fields, f) == nil {
				out.Children = append(out.Children, leaf(f, "false"))
				continue
			}
			fallthrough
		default:
			for _, fl := range l.Fields {
				if fl.Name == f {
					out.Children = append(out.Children, c.refresh(fl))
				}
			}
		}
	}
	return out
}
