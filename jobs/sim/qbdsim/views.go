package qbdsim

import (
	"fmt"
	"strings"
	"time"
)

// Customer is a read-only snapshot of a customer (or job) record.
type Customer struct {
	ListID       string
	Name         string
	FullName     string
	EditSequence string
	IsActive     bool
	Email        string
	Phone        string
	// Balance is the customer's own open balance; TotalBalance includes jobs.
	Balance      float64
	TotalBalance float64
	TimeCreated  time.Time
	TimeModified time.Time
}

// Item is a read-only snapshot of an item of any type.
type Item struct {
	ListID   string
	Name     string
	FullName string
	// Type is the qbXML item type: ItemInventory, ItemNonInventory,
	// ItemService, ItemOtherCharge, ItemDiscount, ItemSalesTax or ItemGroup.
	Type                 string
	EditSequence         string
	IsActive             bool
	SalesPrice           float64
	QuantityOnHand       float64 // inventory items only
	QuantityOnSalesOrder float64 // inventory items only
	TimeCreated          time.Time
	TimeModified         time.Time
}

// Txn is a read-only snapshot of a transaction.
type Txn struct {
	// Type is SalesReceipt, Invoice, SalesOrder, CreditMemo,
	// ReceivePayment or InventoryAdjustment.
	Type             string
	TxnID            string
	TxnNumber        int
	RefNumber        string
	TxnDate          string
	EditSequence     string
	CustomerFullName string
	Subtotal         float64
	SalesTaxTotal    float64
	// TotalAmount is the document total (the payment amount for a
	// ReceivePayment).
	TotalAmount float64
	// BalanceRemaining is TotalAmount less payments (invoices only).
	BalanceRemaining float64
	// Memo, ShipDate (YYYY-MM-DD) and ShipMethod (the ShipMethodRef's full name) are the
	// sale's header fields of those names ("" when unset).
	Memo, ShipDate, ShipMethod string
	Lines                      []TxnLine
	TimeCreated                time.Time
	TimeModified               time.Time
}

// TxnLine is one item line (group members are listed individually).
type TxnLine struct {
	TxnLineID    string
	ItemFullName string
	Quantity     float64
	Rate         float64
	Amount       float64
	Desc         string
}

func (c *Company) customerView(r *listRec) Customer {
	return Customer{ListID: r.ListID, Name: r.Name, FullName: c.fullName(r), EditSequence: fmt.Sprint(r.EditSeq),
		IsActive: r.Active, Email: r.fieldText("Email"), Phone: r.fieldText("Phone"),
		Balance: r.Balance.float(), TotalBalance: c.customerTotalBalance(r).float(),
		TimeCreated: r.Created.In(c.cfg.Location), TimeModified: r.Modified.In(c.cfg.Location)}
}

func (c *Company) itemView(r *listRec) Item {
	return Item{ListID: r.ListID, Name: r.Name, FullName: c.fullName(r), Type: r.Kind, EditSequence: fmt.Sprint(r.EditSeq),
		IsActive: r.Active, SalesPrice: r.salesPrice().float(), QuantityOnHand: r.QOH.float(), QuantityOnSalesOrder: r.QOSO.float(),
		TimeCreated: r.Created.In(c.cfg.Location), TimeModified: r.Modified.In(c.cfg.Location)}
}

func (c *Company) txnView(t *txnRec) Txn {
	v := Txn{Type: t.Kind, TxnID: t.TxnID, TxnNumber: t.TxnNumber, RefNumber: t.RefNumber, TxnDate: t.TxnDate,
		EditSequence: fmt.Sprint(t.EditSeq), Subtotal: t.Subtotal.float(), SalesTaxTotal: t.TaxTotal.float(),
		TotalAmount: t.Total.float(), TimeCreated: t.Created.In(c.cfg.Location), TimeModified: t.Modified.In(c.cfg.Location)}
	if t.Kind == "Invoice" {
		v.BalanceRemaining = (t.Total - t.Applied).float()
	}
	if f := t.field("Memo"); f != nil {
		v.Memo = f.Text
	}
	if f := t.field("ShipDate"); f != nil {
		v.ShipDate = f.Text
	}
	if f := t.field("ShipMethodRef"); f != nil {
		v.ShipMethod = f.text("FullName")
	}
	if cu := c.idx.byListID[t.CustomerID]; cu != nil {
		v.CustomerFullName = c.fullName(cu)
	}
	for _, l := range flatLines(t.Lines) {
		tl := TxnLine{TxnLineID: l.TxnLineID, Quantity: l.Qty.float(), Rate: l.Rate.float(), Amount: l.Amount.float()}
		if f := fieldOf(l.Fields, "Desc"); f != nil {
			tl.Desc = f.Text
		}
		if t.Kind == "InventoryAdjustment" {
			tl.Quantity, tl.Amount = l.QtyDiff.float(), l.ValueDiff.float()
		}
		if it := c.idx.byListID[l.ItemID]; it != nil {
			tl.ItemFullName = c.fullName(it)
		}
		v.Lines = append(v.Lines, tl)
	}
	return v
}

// Customer returns the customer with that full name (case-insensitive), or
// ErrNotFound.
func (c *Company) Customer(fullName string) (Customer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.idx.byName[nameKey("names", fullName)]
	if r == nil || r.Kind != "Customer" {
		return Customer{}, fmt.Errorf("customer %q: %w", fullName, ErrNotFound)
	}
	return c.customerView(r), nil
}

// Customers returns every customer, ordered by full name.
func (c *Company) Customers() []Customer {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Customer
	for _, r := range c.sortedLists(set("Customer")) {
		out = append(out, c.customerView(r))
	}
	return out
}

// Item returns the item with that full name (case-insensitive), or
// ErrNotFound.
func (c *Company) Item(fullName string) (Item, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.idx.byName[nameKey("items", fullName)]
	if r == nil {
		return Item{}, fmt.Errorf("item %q: %w", fullName, ErrNotFound)
	}
	return c.itemView(r), nil
}

// Items returns every item, ordered by full name.
func (c *Company) Items() []Item {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Item
	for _, r := range c.sortedLists(set(itemKinds...)) {
		out = append(out, c.itemView(r))
	}
	return out
}

// Txn returns the transaction with that TxnID, or ErrNotFound.
func (c *Company) Txn(txnID string) (Txn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.idx.byTxnID[txnID]
	if t == nil {
		return Txn{}, fmt.Errorf("transaction %q: %w", txnID, ErrNotFound)
	}
	return c.txnView(t), nil
}

// Txns returns the transactions of a type ("" for all) in creation order,
// optionally only those with RefNumber ref (case-insensitive; "" for any).
func (c *Company) Txns(typ, ref string) []Txn {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Txn
	for _, t := range c.st.Txns {
		if (typ == "" || t.Kind == typ) && (ref == "" || strings.EqualFold(t.RefNumber, ref)) {
			out = append(out, c.txnView(t))
		}
	}
	return out
}
