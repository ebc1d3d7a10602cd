package qbxml

// This file holds the reads that inventory sync needs: quantities of
// inventory parts and assemblies, and the transactions whose lines change
// quantities (credit memos, inventory adjustments, bills, item receipts; sales
// receipts, invoices and sales orders are in requests_txn.go). Element orders
// follow the XSD groups ListQueryWithOwnerIDAndClass, CreditMemoQuery,
// InventoryAdjustmentQuery, BillQuery and ItemReceiptQuery (13.0 and 16.0
// agree).

// Max RefNumber lengths of the purchase documents (XSD maxLength of
// BillAdd/ItemReceiptAdd RefNumber); inventory adjustments use MaxRefNumber.
const MaxPurchaseRefNumber = 20

// InventoryItemRetElements is the IncludeRetElement list for quantity reads
// of ItemInventoryQuery and ItemInventoryAssemblyQuery: identity, name,
// active flag, modification time and the two quantities inventory sync uses.
// Both Ret types carry all of these elements.
var InventoryItemRetElements = []string{"ListID", "TimeModified", "EditSequence", "Name", "FullName", "IsActive",
	"QuantityOnHand", "QuantityOnSalesOrder"}

// InventoryTxnRetElements returns the IncludeRetElement list that keeps, of a
// transaction Ret, only what change detection needs: TxnID, TimeModified and
// the lines with their item refs (plain and grouped lines). kind is the
// transaction type: "SalesReceipt", "Invoice", "SalesOrder", "CreditMemo",
// "InventoryAdjustment", "Bill" or "ItemReceipt". Send it with
// IncludeLineItems, without which QuickBooks returns no lines at all.
func InventoryTxnRetElements(kind string) []string {
	switch kind {
	case "Bill", "ItemReceipt":
		// Item lines of purchases are ItemLineRet / ItemGroupLineRet.
		return []string{"TxnID", "TimeModified", "ItemLineRet", "ItemGroupLineRet"}
	case "InventoryAdjustment":
		return []string{"TxnID", "TimeModified", "InventoryAdjustmentLineRet"}
	}
	return []string{"TxnID", "TimeModified", kind + "LineRet", kind + "LineGroupRet"}
}

// ItemInventoryAssemblyQuery reads inventory assemblies (QuickBooks Premier
// and Enterprise); the same choice of ListIDs, FullNames or Filter as
// ItemInventoryQuery, with iterators. Editions without assemblies answer
// status 1 (no match).
type ItemInventoryAssemblyQuery struct {
	ListIDs            []string
	FullNames          []string
	Filter             ListFilter
	IncludeRetElements []string
	Iterator           IteratorMode
	IteratorID         string
}

func (ItemInventoryAssemblyQuery) element() string { return "ItemInventoryAssemblyQueryRq" }

func (q ItemInventoryAssemblyQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	listQuery(e, q.ListIDs, q.FullNames, MaxItemFullName, q.Filter, false, nil)
	e.includeRet(q.IncludeRetElements)
}

// CreditMemoQuery finds credit memos (returns: they raise quantities on
// hand) by many TxnIDs or RefNumbers, or by Filter. Supports iterators.
type CreditMemoQuery struct {
	TxnIDs                  []string
	RefNumbers              []string
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	IncludeLineItems        bool
	IncludeLinkedTxns       bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

func (CreditMemoQuery) element() string { return "CreditMemoQueryRq" }

func (q CreditMemoQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	txnQuery(e, q.TxnIDs, q.RefNumbers, q.RefNumbersCaseSensitive, !q.Filter.isZero(), func() { q.Filter.encode(e) })
	txnIncludes(e, q.IncludeLineItems, q.IncludeLinkedTxns, q.IncludeRetElements)
}

// InventoryAdjustmentQuery finds inventory adjustments by TxnIDs or
// RefNumbers, or by Filter. Supports iterators. (There is no
// IncludeLinkedTxns for adjustments.)
type InventoryAdjustmentQuery struct {
	TxnIDs                  []string
	RefNumbers              []string
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	IncludeLineItems        bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

func (InventoryAdjustmentQuery) element() string { return "InventoryAdjustmentQueryRq" }

func (q InventoryAdjustmentQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	txnQuery(e, q.TxnIDs, q.RefNumbers, q.RefNumbersCaseSensitive, !q.Filter.isZero(), func() { q.Filter.encode(e) })
	txnIncludes(e, q.IncludeLineItems, false, q.IncludeRetElements)
}

// BillQuery finds vendor bills (item lines raise quantities on hand) by
// TxnIDs or RefNumbers (≤ 20), or by Filter (EntityFilter names vendors)
// and PaidStatus. Supports iterators.
type BillQuery struct {
	TxnIDs                  []string
	RefNumbers              []string
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	PaidStatus              PaidStatus
	IncludeLineItems        bool
	IncludeLinkedTxns       bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

func (BillQuery) element() string { return "BillQueryRq" }

func (q BillQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	txnQueryMax(e, MaxPurchaseRefNumber, q.TxnIDs, q.RefNumbers, q.RefNumbersCaseSensitive, !q.Filter.isZero() || q.PaidStatus != "", func() {
		q.Filter.encode(e)
		switch q.PaidStatus {
		case "":
		case PaidAll, PaidOnly, NotPaidOnly:
			e.raw("PaidStatus", string(q.PaidStatus))
		default:
			e.fail("PaidStatus", "unknown value %q", q.PaidStatus)
		}
	})
	txnIncludes(e, q.IncludeLineItems, q.IncludeLinkedTxns, q.IncludeRetElements)
}

// ItemReceiptQuery finds item receipts (goods received without a bill; they
// raise quantities on hand) by TxnIDs or RefNumbers (≤ 20), or by Filter.
// Supports iterators.
type ItemReceiptQuery struct {
	TxnIDs                  []string
	RefNumbers              []string
	RefNumbersCaseSensitive []string
	Filter                  TxnFilter
	IncludeLineItems        bool
	IncludeLinkedTxns       bool
	IncludeRetElements      []string
	Iterator                IteratorMode
	IteratorID              string
}

func (ItemReceiptQuery) element() string { return "ItemReceiptQueryRq" }

func (q ItemReceiptQuery) encode(e *encoder) {
	e.iterator(q.Iterator, q.IteratorID)
	txnQueryMax(e, MaxPurchaseRefNumber, q.TxnIDs, q.RefNumbers, q.RefNumbersCaseSensitive, !q.Filter.isZero(), func() { q.Filter.encode(e) })
	txnIncludes(e, q.IncludeLineItems, q.IncludeLinkedTxns, q.IncludeRetElements)
}

// txnIncludes writes IncludeLineItems, IncludeLinkedTxns and
// IncludeRetElement, which follow the TxnID | RefNumber | filter choice in
// every transaction query.
func txnIncludes(e *encoder, lineItems, linked bool, keep []string) {
	if lineItems {
		e.raw("IncludeLineItems", "true")
	}
	if linked {
		e.raw("IncludeLinkedTxns", "true")
	}
	e.includeRet(keep)
}
