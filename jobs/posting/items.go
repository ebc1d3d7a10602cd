package posting

import (
	"slices"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// ChargeItems are the items of s that sales post their shipping, discount, tax and rounding
// lines to. They are created when QuickBooks lacks them, never parked for mapping.
func ChargeItems(s orders.Settings) []string {
	return []string{s.ShippingItem, s.DiscountItem, s.TaxItem, s.RoundingItem}
}

// MissingCustomer is the customer to create when QuickBooks refused a sale for customer name
// (as QuickBooks named it), or nil when the settings s do not create customers.
func MissingCustomer(name string, s orders.Settings) *qbd.Item {
	if !s.CreateMissingCustomers {
		return nil
	}
	return &qbd.Item{DocKey: CustomerDocKey(name), Request: qbxml.CustomerAdd{Name: name},
		Lookup: &qbd.Lookup{Type: qbd.LookupCustomer, Value: name}}
}

// MissingItem is the item to create when QuickBooks refused a sale for item name (as
// QuickBooks named it), or nil when the order is to be parked for mapping instead (Missing
// Product Action "flag"; charge items are always created). An inventory item starts without a
// quantity: the caller sets the opening stock it knows (see Untracked).
func MissingItem(name string, s orders.Settings) *qbd.Item {
	charge := slices.Contains(ChargeItems(s), name)
	if !charge && s.MissingProduct != orders.MissingCreate {
		return nil
	}
	return &qbd.Item{DocKey: ItemDocKey(name), Request: newItem(name, charge, s),
		Lookup: &qbd.Lookup{Type: qbd.LookupItem, Value: name}}
}

// newItem is the item Ledgerlink creates for a missing name: an other-charge item for the
// charge items, else the connection's new item type, each selling to the income account.
func newItem(name string, charge bool, s orders.Settings) qbxml.Request {
	income := qbxml.ByName(s.IncomeAccount)
	switch {
	case charge:
		return qbxml.ItemOtherChargeAdd{Name: name, SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: name, AccountRef: income}}
	case s.NewItemType == orders.ItemService:
		return qbxml.ItemServiceAdd{Name: name, SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: name, AccountRef: income}}
	case s.NewItemType == orders.ItemInventory:
		return qbxml.ItemInventoryAdd{Name: name, SalesDesc: name, IncomeAccountRef: income,
			COGSAccountRef: qbxml.ByName(s.COGSAccount), AssetAccountRef: qbxml.ByName(s.AssetAccount)}
	default:
		return qbxml.ItemNonInventoryAdd{Name: name, SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: name, AccountRef: income}}
	}
}

// Untracked is what inventory item inv becomes when the store counts no stock of it (gift
// card, service, no stock management): a non-inventory part, or a service when it never
// ships, so that QuickBooks never holds a negative stock of something nobody counts.
func Untracked(inv qbxml.ItemInventoryAdd, shipped bool, s orders.Settings) qbxml.Request {
	income := qbxml.ByName(s.IncomeAccount)
	if !shipped {
		return qbxml.ItemServiceAdd{Name: inv.Name, SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: inv.SalesDesc, AccountRef: income}}
	}
	return qbxml.ItemNonInventoryAdd{Name: inv.Name, SalesOrPurchase: &qbxml.SalesOrPurchase{Desc: inv.SalesDesc, AccountRef: income}}
}

// OpeningStock is inventory item inv starting with quantity on hand, as of day.
func OpeningStock(inv qbxml.ItemInventoryAdd, quantity int64, day time.Time) qbxml.ItemInventoryAdd {
	inv.QuantityOnHand = qbxml.Ptr(qbxml.Units(quantity))
	inv.InventoryDate = qbxml.DateOf(day)
	return inv
}
