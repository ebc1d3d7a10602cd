package graph

// itemTypeWords names item types as QuickBooks' own screens and item-list exports do; items read
// through the Web Connector carry the qbXML element name instead ("ItemNonInventory").
var itemTypeWords = map[string]string{
	"ItemInventory":         "Inventory Part",
	"ItemInventoryAssembly": "Inventory Assembly",
	"ItemNonInventory":      "Non-inventory Part",
	"ItemService":           "Service",
	"ItemOtherCharge":       "Other Charge",
	"ItemFixedAsset":        "Fixed Asset",
	"ItemGroup":             "Group",
	"ItemDiscount":          "Discount",
	"ItemSubtotal":          "Subtotal",
	"ItemPayment":           "Payment",
	"ItemSalesTax":          "Sales Tax Item",
	"ItemSalesTaxGroup":     "Sales Tax Group",
}

// itemTypeLabel returns an item type in QuickBooks' words, whether it came from the Web Connector
// or from an uploaded export; a type it does not know is returned as it is.
func itemTypeLabel(t string) string {
	if w, ok := itemTypeWords[t]; ok {
		return w
	}
	return t
}
