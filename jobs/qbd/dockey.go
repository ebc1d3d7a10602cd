package qbd

import (
	"fmt"
	"strconv"
	"strings"
)

// DocKey names one of our documents in the queue and the ledger (the doc_key of work items and
// ledger entries): its kind, a colon, and its identity within the kind, e.g. "order:42",
// "customer:jane doe". The kind routes what QuickBooks did with the document to the handler
// registered for it (Engine.Handle). Every key format is made here, so the owners that read
// them back and the engine agree.
type DocKey string

// Document kinds.
const (
	KindOrder    = "order"    // an order's sale (sales receipt, invoice or sales order): "order:<order id>"
	KindPayment  = "payment"  // the payment of an order posted as an invoice: "payment:<order id>"
	KindCustomer = "customer" // a customer Ledgerlink creates: "customer:<name as QuickBooks stores it, lower case>"
	KindItem     = "item"     // an item Ledgerlink creates: "item:<name, lower case>"
	KindItemList = "itemlist" // one page of a read of the item list: "itemlist:<all|changed>:<start, Unix ns>:<page>"
	// KindInventory is one step of an inventory detection (jobs/invsync):
	// "inventory:<start, Unix ns>:<from, Unix ns; 0 = full snapshot>:<step>:<page>".
	KindInventory = "inventory"
	// KindRefund is a store refund (jobs/ordersync): "refund:<refund id>" its credit memo,
	// "refund:<refund id>:apply" the credit applied to the invoice, "refund:<refund id>:card"
	// the credit paid back to the card.
	KindRefund = "refund"
	// KindShipStationExport is one step of a read of QuickBooks sales for a ShipStation
	// connection (jobs/ssexport): "ssexport:<store connection id>:<start ns>:<from ns>:<step>:<page>".
	KindShipStationExport = "ssexport"
)

// NewDocKey is the key of the document id of kind.
func NewDocKey(kind, id string) DocKey { return DocKey(kind + ":" + id) }

// OrderKey names an order's sale.
func OrderKey(orderID int64) DocKey { return NewDocKey(KindOrder, strconv.FormatInt(orderID, 10)) }

// PaymentKey names the payment of an order (posted as an invoice).
func PaymentKey(orderID int64) DocKey { return NewDocKey(KindPayment, strconv.FormatInt(orderID, 10)) }

// CustomerKey names the creation of QuickBooks customer name. QuickBooks compares names
// without regard to case, so "Acme" and "ACME" are one customer and one key.
func CustomerKey(name string) DocKey { return NewDocKey(KindCustomer, strings.ToLower(name)) }

// ItemKey names the creation of QuickBooks item name (without regard to case, as CustomerKey).
func ItemKey(name string) DocKey { return NewDocKey(KindItem, strings.ToLower(name)) }

// ItemListKey names page of the item-list read that started at start (Unix ns); changed reads
// only the items modified since the last read.
func ItemListKey(changed bool, start int64, page int) DocKey {
	mode := "all"
	if changed {
		mode = "changed"
	}
	return NewDocKey(KindItemList, fmt.Sprintf("%s:%d:%d", mode, start, page))
}

// InventoryReadKey names page of step of the inventory detection that started at start (Unix
// ns) reading what changed since from (Unix ns; 0 reads every item's quantity). step is the
// read's name in jobs/invsync, without colons.
func InventoryReadKey(start, from int64, step string, page int) DocKey {
	return NewDocKey(KindInventory, fmt.Sprintf("%d:%d:%s:%d", start, from, step, page))
}

// Parts of a refund's documents (RefundKey).
const (
	RefundCredit = ""      // the credit memo
	RefundApply  = "apply" // the credit applied to the invoice (ReceivePaymentAdd with SetCredit)
	RefundCard   = "card"  // the credit paid back to the card (ARRefundCreditCardAdd)
)

// RefundKey names part (RefundCredit, RefundApply, RefundCard) of refund refundID's documents.
func RefundKey(refundID int64, part string) DocKey {
	id := strconv.FormatInt(refundID, 10)
	if part != RefundCredit {
		id += ":" + part
	}
	return NewDocKey(KindRefund, id)
}

// Refund returns the refund and the part a KindRefund key names.
func (k DocKey) Refund() (refundID int64, part string, ok bool) {
	if k.Kind() != KindRefund {
		return 0, "", false
	}
	id, part, _ := strings.Cut(k.ID(), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	return n, part, err == nil
}

// Kind is the key's kind: the text before the first colon ("" for a key without one).
func (k DocKey) Kind() string {
	kind, _, ok := strings.Cut(string(k), ":")
	if !ok {
		return ""
	}
	return kind
}

// ID is the key's identity within its kind: the text after the first colon.
func (k DocKey) ID() string {
	_, id, _ := strings.Cut(string(k), ":")
	return id
}

// OrderID returns the order the key names when it is of kind (KindOrder or KindPayment) and
// its identity is an order id.
func (k DocKey) OrderID(kind string) (int64, bool) {
	if k.Kind() != kind {
		return 0, false
	}
	id, err := strconv.ParseInt(k.ID(), 10, 64)
	return id, err == nil
}

func (k DocKey) String() string { return string(k) }
