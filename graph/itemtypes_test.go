package graph

import "testing"

func TestItemTypeLabel(t *testing.T) {
	for in, want := range map[string]string{
		"ItemNonInventory":   "Non-inventory Part", // read through the Web Connector
		"Non-inventory Part": "Non-inventory Part", // from an uploaded item list
		"ItemInventory":      "Inventory Part",
		"ItemOtherCharge":    "Other Charge",
		"Something New":      "Something New",
		"":                   "",
	} {
		if got := itemTypeLabel(in); got != want {
			t.Errorf("itemTypeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
