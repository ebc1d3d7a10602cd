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
// and Enterprise); the same request as ItemInventoryQuery. Editions without
// assemblies answer status 1 (no match).
type ItemInventoryAssemblyQuery ListQuery

func (q ItemInventoryAssemblyQuery) encode(e *encoder) { ListQuery(q).write(e, MaxItemFullName) }

// CreditMemoQuery finds credit memos (returns: they raise quantities on
// hand; see LinkedTxnQuery).
type CreditMemoQuery LinkedTxnQuery

func (q CreditMemoQuery) encode(e *encoder) { LinkedTxnQuery(q).write(e, MaxRefNumber) }

// InventoryAdjustmentQuery finds inventory adjustments (see TxnQuery; there is
// no IncludeLinkedTxns for adjustments).
type InventoryAdjustmentQuery TxnQuery

func (q InventoryAdjustmentQuery) encode(e *encoder) { TxnQuery(q).write(e, MaxRefNumber) }

// BillQuery finds vendor bills (item lines raise quantities on hand; see
// PaidTxnQuery): RefNumbers hold 20 characters, the filter's EntityFilter
// names vendors.
type BillQuery PaidTxnQuery

func (q BillQuery) encode(e *encoder) { PaidTxnQuery(q).write(e, MaxPurchaseRefNumber) }

// ItemReceiptQuery finds item receipts (goods received without a bill; they
// raise quantities on hand; see LinkedTxnQuery): RefNumbers hold 20
// characters.
type ItemReceiptQuery LinkedTxnQuery

func (q ItemReceiptQuery) encode(e *encoder) { LinkedTxnQuery(q).write(e, MaxPurchaseRefNumber) }
