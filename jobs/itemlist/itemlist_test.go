package itemlist

import (
	"errors"
	"strings"
	"testing"
)

// export is shaped like QuickBooks Desktop's "Export all items" saved as CSV: an unnamed first
// column, sub-items as Parent:Child, a blank line, an inactive item, a row without a name.
const export = "\xef\xbb\xbf" + `,Active Status,Type,Item,Description,Sales Tax Code,Account,Quantity On Hand,Price
,Active,Inventory Part,Widget,Standard widget,Tax,Sales,100,25.00
,Active,Inventory Part,Apparel:TSHIRT-RED-L,"Red T-shirt, large",Tax,Sales,12,19.99

,Inactive,Non-inventory Part,Old Thing,Discontinued,Tax,Sales,,5.00
,Active,Service,,No name here,Non,Sales,,
,Active,Other Charge,Shipping,Shipping and handling,Non,Shipping Income,,0.00
,Active,Inventory Part,widget,Same name in other case,Tax,Sales,1,1.00
`

func TestParseQuickBooksExport(t *testing.T) {
	items, bad, err := Parse(strings.NewReader(export))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, it := range items {
		names = append(names, it.FullName)
	}
	if strings.Join(names, "|") != "Widget|Apparel:TSHIRT-RED-L|Old Thing|Shipping" {
		t.Fatalf("items %q", names)
	}
	if it := items[1]; it.Description != "Red T-shirt, large" || it.QuantityOnHand != "12" || it.Price != "19.99" || it.Type != "Inventory Part" || !it.Active {
		t.Fatalf("TSHIRT row %+v", it)
	}
	if items[2].Active {
		t.Fatal("Inactive status not read")
	}
	if len(bad) != 2 || bad[0].Row != 6 || bad[0].Problem != "no item name" || !strings.Contains(bad[1].Problem, "repeats row 2") {
		t.Fatalf("row errors %+v", bad)
	}
}

func TestParseRejectsFilesWithoutAnItemColumn(t *testing.T) {
	if _, _, err := Parse(strings.NewReader("a,b,c\n1,2,3\n")); !errors.Is(err, ErrNoHeader) {
		t.Fatalf("err = %v", err)
	}
}

func TestParseWindows1252(t *testing.T) {
	items, _, err := Parse(strings.NewReader("Name,Description\nCaf\xe9 Cr\xe8me,\x93smart\x94\n"))
	if err != nil || len(items) != 1 || items[0].FullName != "Café Crème" || items[0].Description != "“smart”" {
		t.Fatalf("items %+v err %v", items, err)
	}
}
