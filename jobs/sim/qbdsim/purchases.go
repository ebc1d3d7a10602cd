package qbdsim

import "fmt"

// addPurchase creates a Bill or an ItemReceipt from its *Add element: expense lines
// (ExpenseLineAdd, an account and an amount) and item lines (ItemLineAdd: Quantity × Cost,
// the cost defaulting to the item's PurchaseCost). Item lines of inventory parts raise the
// quantity on hand and re-average the cost, as receiving goods does in QuickBooks; like every
// transaction other than an inventory adjustment, they leave the item's TimeModified and
// EditSequence alone. Group lines (ItemGroupLineAdd) are not implemented (status 1030).
func (c *Company) addPurchase(kind string, add *node) (*txnRec, *statusError) {
	t := &txnRec{Kind: kind}
	vref := add.child("VendorRef")
	if vref == nil {
		return nil, invalidRef("Vendor", "", kind)
	}
	vendor, value, ok := c.lookupRef(vref, []string{"Vendor"})
	if !ok {
		return nil, invalidRef("Vendor", value, kind)
	}
	t.VendorID = vendor.ListID
	for _, ch := range add.Children {
		switch ch.Name {
		case "VendorRef", "TxnDate", "RefNumber", "ExpenseLineAdd", "ItemLineAdd", "LinkToTxnID":
			continue
		case "ItemGroupLineAdd":
			return nil, &statusError{code: 1030, msg: "This request is not supported by this implementation."}
		}
		nc, err := c.normalizeRefs(ch, kind)
		if err != nil {
			return nil, err
		}
		t.Fields = append(t.Fields, nc)
	}
	if t.field("APAccountRef") == nil {
		if ap := c.defaultAccount("Accounts Payable", "AccountsPayable"); ap != nil {
			t.Fields = append(t.Fields, c.refNode("APAccountRef", ap))
		}
	}
	t.TxnDate, t.RefNumber = add.text("TxnDate"), add.text("RefNumber")
	for _, ch := range add.Children {
		switch ch.Name {
		case "ExpenseLineAdd":
			l := &lineRec{Expense: true}
			for _, f := range ch.Children {
				if f.Name == "Amount" {
					l.Amount, _ = parseDec(f.Text)
					continue
				}
				nf, err := c.normalizeRefs(f, kind+" line")
				if err != nil {
					return nil, err
				}
				l.Fields = append(l.Fields, nf)
			}
			t.Lines = append(t.Lines, l)
		case "ItemLineAdd":
			l, err := c.buildPurchaseLine(kind, ch)
			if err != nil {
				return nil, err
			}
			t.Lines = append(t.Lines, l)
		}
	}
	for _, l := range t.Lines {
		t.Total += l.Amount
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
	c.receiveGoods(t)
	c.st.Txns = append(c.st.Txns, t)
	c.idx.byTxnID[t.TxnID] = t
	return t, nil
}

// buildPurchaseLine reads an ItemLineAdd.
func (c *Company) buildPurchaseLine(kind string, ln *node) (*lineRec, *statusError) {
	ref := ln.child("ItemRef")
	if ref == nil {
		return nil, invalidRef("Item", "", kind+" line")
	}
	item, value, ok := c.lookupRef(ref, itemKinds)
	if !ok {
		return nil, invalidRef("Item", value, kind+" line")
	}
	l := &lineRec{ItemID: item.ListID}
	for _, f := range ln.Children {
		switch f.Name {
		case "ItemRef", "Quantity", "Cost", "Amount":
			continue
		}
		nf, err := c.normalizeRefs(f, kind+" line")
		if err != nil {
			return nil, err
		}
		l.Fields = append(l.Fields, nf)
	}
	if v := ln.text("Quantity"); v != "" {
		l.Qty, _ = parseDec(v)
		l.HasQty = true
	}
	switch {
	case ln.has("Cost"):
		l.Rate, _ = parseDec(ln.text("Cost"))
		l.HasRate = true
	case ln.has("Amount") && l.HasQty && l.Qty != 0:
		a, _ := parseDec(ln.text("Amount"))
		l.Rate, l.HasRate = div(a, l.Qty), true
	default:
		l.Rate, _ = parseDec(item.fieldText("PurchaseCost"))
		l.HasRate = true
	}
	if ln.has("Amount") {
		l.Amount, _ = parseDec(ln.text("Amount"))
	} else {
		qty := l.Qty
		if !l.HasQty {
			qty = decFromInt(1)
		}
		l.Amount = mul(qty, l.Rate).cents()
	}
	return l, nil
}

// receiveGoods adds a purchase's item lines to the quantities on hand and averages their cost
// in. The items' TimeModified is not touched (see addPurchase).
func (c *Company) receiveGoods(t *txnRec) {
	for _, l := range t.Lines {
		item := c.idx.byListID[l.ItemID]
		if l.Expense || item == nil || item.Kind != "ItemInventory" || !l.HasQty || l.Qty == 0 {
			continue
		}
		oldValue := mul(item.QOH, item.AvgCost)
		item.QOH += l.Qty
		if item.QOH > 0 {
			item.AvgCost = div(oldValue+l.Amount, item.QOH)
		}
	}
}

// purchaseLineRet builds an ItemLineRet or ExpenseLineRet.
func (c *Company) purchaseLineRet(l *lineRec) *node {
	name := "ItemLineRet"
	if l.Expense {
		name = "ExpenseLineRet"
	}
	out := el(name)
	for _, f := range retOrder[name] {
		switch f {
		case "TxnLineID":
			out.Children = append(out.Children, leaf(f, l.TxnLineID))
		case "ItemRef":
			if r := c.idx.byListID[l.ItemID]; r != nil {
				out.Children = append(out.Children, c.refNode(f, r))
			}
		case "Desc":
			if d := fieldOf(l.Fields, f); d != nil {
				out.Children = append(out.Children, d)
			} else if r := c.idx.byListID[l.ItemID]; r != nil && r.fieldText("PurchaseDesc") != "" {
				out.Children = append(out.Children, leaf(f, r.fieldText("PurchaseDesc")))
			}
		case "Quantity":
			if l.HasQty {
				out.Children = append(out.Children, leaf(f, l.Qty.quantity()))
			}
		case "Cost":
			if l.HasRate {
				out.Children = append(out.Children, leaf(f, l.Rate.price()))
			}
		case "Amount":
			out.Children = append(out.Children, leaf(f, l.Amount.amount()))
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

// AdjustQuantity enters an inventory adjustment of item fullName (an inventory part) in the
// company, the way a person does in QuickBooks with Adjust Quantity/Value on Hand: by delta
// units, or to newQuantity when setTo is true. The adjustment goes against the cost of goods
// sold account, bumps the item's TimeModified (an adjustment edits the item) and is returned;
// the item's new quantity is in Item(fullName).QuantityOnHand.
func (c *Company) AdjustQuantity(fullName string, delta float64, setTo bool, memo string) (Txn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	item := c.idx.byName[nameKey("items", fullName)]
	if item == nil || item.Kind != "ItemInventory" {
		return Txn{}, fmt.Errorf("qbd: adjust %q: no inventory part with that name: %w", fullName, ErrNotFound)
	}
	acct := c.defaultAccount("Cost of Goods Sold", "CostOfGoodsSold")
	if acct == nil {
		return Txn{}, fmt.Errorf("qbd: adjust %q: the company has no cost of goods sold account", fullName)
	}
	qa := el("QuantityAdjustment", leaf("QuantityDifference", decFromFloat(delta).quantity()))
	if setTo {
		qa = el("QuantityAdjustment", leaf("NewQuantity", decFromFloat(delta).quantity()))
	}
	add := el("InventoryAdjustmentAdd", c.refNode("AccountRef", acct))
	if memo != "" {
		add.Children = append(add.Children, leaf("Memo", memo))
	}
	add.Children = append(add.Children, el("InventoryAdjustmentLineAdd", c.refNode("ItemRef", item), qa))
	t, serr := c.addInventoryAdjustment(add)
	if serr != nil {
		return Txn{}, fmt.Errorf("qbd: adjust %q: %w", fullName, serr)
	}
	return c.txnView(t), nil
}

func decFromFloat(f float64) dec {
	if f < 0 {
		return -dec(-f*decScale + 0.5)
	}
	return dec(f*decScale + 0.5)
}
