package itemlist

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ledgerlink/ledgerlink/internal/specs"
)

// specItemNames is the text of the item names in a qbXML item response.
var specItemNames = regexp.MustCompile(`<(?:FullName|Name)>([^<]*)</`)

// FuzzParse feeds any bytes to Parse. Seeds: the QuickBooks-shaped export of the unit tests,
// a Windows-1252 file, and exports built from the item names of QuickBooks' published item
// responses (shared/specs/qbwc/samples). Properties:
//   - a failure is ErrNoHeader or an error naming itemlist, and no items or row reports;
//   - every item has a trimmed, non-empty FullName of at most 159 characters (QuickBooks'
//     limit), names are unique ignoring case, and all text is valid UTF-8;
//   - row reports carry 1-based rows in file order;
//   - the items written back as a CSV export parse to the same items with no row reports;
//   - a file of Latin-1 letters parses the same sent as Windows-1252 bytes.
func FuzzParse(f *testing.F) {
	f.Add([]byte(export))
	f.Add([]byte("Name,Description\nCaf\xe9 Cr\xe8me,\x93smart\x94\n"))
	f.Add([]byte("Item,Type\n\"Parent:Child\",Service\n\"a\"\"b\",\"multi\nline\"\n"))
	for _, doc := range specs.Sorted(specs.Files(f, "qbwc/samples/qbxml/Item*Rs*.xml", "qbwc/samples/qbxml/osr-13.0/Item*Rs.xml")) {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.Write([]string{"", "Active Status", "Type", "Item", "Description", "Quantity On Hand", "Price"})
		for _, m := range specItemNames.FindAllSubmatch(doc, -1) {
			_ = w.Write([]string{"", "Active", "Inventory Part", string(m[1]), "from " + string(m[1]), "1", "9.99"})
		}
		w.Flush()
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, bad, err := Parse(bytes.NewReader(data))
		if err != nil {
			if items != nil || bad != nil || (!errors.Is(err, ErrNoHeader) && !strings.HasPrefix(err.Error(), "itemlist: ")) {
				t.Fatalf("Parse = %v, %v, %v: want nothing and ErrNoHeader or an itemlist error", items, bad, err)
			}
			return
		}
		checkItems(t, items, bad)

		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.Write([]string{"Item", "Type", "Description", "Price", "Quantity On Hand", "Active Status"})
		for _, it := range items {
			status := "Active"
			if !it.Active {
				status = "Inactive"
			}
			_ = w.Write([]string{it.FullName, it.Type, it.Description, it.Price, it.QuantityOnHand, status})
		}
		w.Flush()
		again, bad2, err := Parse(&b)
		if err != nil || len(bad2) != 0 || !reflect.DeepEqual(again, items) {
			t.Fatalf("written back and parsed again: %+v, %+v, %v\nwant %+v", again, bad2, err, items)
		}

		if latin1, ok := windows1252(data); ok && !utf8.Valid(latin1) {
			items3, bad3, err := Parse(bytes.NewReader(latin1))
			if err != nil || !reflect.DeepEqual(items3, items) || !reflect.DeepEqual(bad3, bad) {
				t.Fatalf("the same file in Windows-1252 parsed as %+v, %+v, %v; want %+v, %+v", items3, bad3, err, items, bad)
			}
		}
	})
}

func checkItems(t *testing.T, items []Item, bad []RowError) {
	t.Helper()
	seen := map[string]bool{}
	for _, it := range items {
		n := it.FullName
		if n == "" || n != strings.TrimSpace(n) || utf8.RuneCountInString(n) > 159 {
			t.Fatalf("item name %q: want trimmed, not empty, at most 159 characters", n)
		}
		if seen[strings.ToLower(n)] {
			t.Fatalf("item %q listed twice", n)
		}
		seen[strings.ToLower(n)] = true
		for _, s := range []string{n, it.Type, it.Description, it.Price, it.QuantityOnHand} {
			if !utf8.ValidString(s) {
				t.Fatalf("item %q has text that is not UTF-8: %q", n, s)
			}
		}
	}
	for i, r := range bad {
		if r.Row < 1 || (i > 0 && r.Row < bad[i-1].Row) || r.Problem == "" || !utf8.ValidString(r.Problem) {
			t.Fatalf("row reports %+v: want 1-based rows in order, each with a problem", bad)
		}
	}
}

// windows1252 encodes UTF-8 b as Windows-1252 when every character is a Latin-1 letter or
// symbol (U+00A0–U+00FF) or ASCII: those bytes mean the same in both.
func windows1252(b []byte) ([]byte, bool) {
	if !utf8.Valid(b) || bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		return nil, false
	}
	out := make([]byte, 0, len(b))
	for _, r := range string(b) {
		if r > 0xFF || (r >= 0x80 && r < 0xA0) {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}
