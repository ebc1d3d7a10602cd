// Package itemlist reads the item list QuickBooks Desktop exports (Lists > Item List > Excel >
// Export all items, saved as CSV): the Missing Product Mapping page autocompletes from it.
package itemlist

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Item is one row of the item list.
type Item struct {
	FullName       string // "Parent:Child" for sub-items
	Type           string // as QuickBooks writes it: Inventory Part, Non-inventory Part, Service, …
	Description    string
	Price          string
	QuantityOnHand string
	Active         bool
}

// RowError says why a row was not read. Row is the 1-based line of the file.
type RowError struct {
	Row     int
	Problem string
}

// ErrNoHeader is returned when no row names an item column.
var ErrNoHeader = errors.New(`the file has no header row with an "Item" (or "Name") column: export the item list from QuickBooks with Excel > Export all items and save it as CSV`)

// maxFullName is QuickBooks' item FullName limit.
const maxFullName = 159

// columns maps the header names QuickBooks (and people editing the export) use to our fields.
var columns = map[string]string{
	"item": "name", "name": "name", "item name": "name", "item name/number": "name", "full name": "name",
	"type": "type", "item type": "type",
	"description": "desc", "sales description": "desc",
	"price": "price", "sales price": "price", "rate": "price",
	"quantity on hand": "qoh", "qty on hand": "qoh", "on hand": "qoh", "qoh": "qoh",
	"active status": "active", "active": "active",
}

// Parse reads a QuickBooks item list CSV. Rows it cannot read are reported, not fatal; the file
// as a whole fails only when it is not CSV or has no item column. A UTF-8 BOM and the leading
// unnamed columns and blank lines of QuickBooks' export are accepted; the text may be UTF-8 or
// Windows-1252 (what Excel writes on Windows).
func Parse(r io.Reader) ([]Item, []RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, 20<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("itemlist: read: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		data = fromWindows1252(data)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	// encoding/csv skips blank lines, so keep each record's own line number for the report.
	var rows [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("itemlist: the file is not CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rows, lines = append(rows, rec), append(lines, line)
	}
	header, idx := -1, map[string]int{}
	for i, row := range rows {
		for j, cell := range row {
			if f, ok := columns[strings.ToLower(strings.TrimSpace(cell))]; ok {
				if _, dup := idx[f]; !dup {
					idx[f] = j
				}
			}
		}
		if _, ok := idx["name"]; ok {
			header = i
			break
		}
		idx = map[string]int{}
	}
	if header < 0 {
		return nil, nil, ErrNoHeader
	}
	get := func(row []string, f string) string {
		j, ok := idx[f]
		if !ok || j >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[j])
	}
	var items []Item
	var bad []RowError
	seen := map[string]int{}
	for i := header + 1; i < len(rows); i++ {
		row := rows[i]
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		it := Item{FullName: get(row, "name"), Type: get(row, "type"), Description: get(row, "desc"),
			Price: get(row, "price"), QuantityOnHand: get(row, "qoh"), Active: !strings.EqualFold(get(row, "active"), "inactive")}
		switch {
		case it.FullName == "":
			bad = append(bad, RowError{Row: lines[i], Problem: "no item name"})
			continue
		case utf8.RuneCountInString(it.FullName) > maxFullName:
			bad = append(bad, RowError{Row: lines[i], Problem: fmt.Sprintf("item name is longer than QuickBooks' %d characters", maxFullName)})
			continue
		}
		key := strings.ToLower(it.FullName)
		if first, dup := seen[key]; dup {
			bad = append(bad, RowError{Row: lines[i], Problem: fmt.Sprintf("%q repeats row %d", it.FullName, first)})
			continue
		}
		seen[key] = lines[i]
		items = append(items, it)
	}
	return items, bad, nil
}

// fromWindows1252 decodes Windows-1252 (a superset of Latin-1 in the printable range) to UTF-8.
func fromWindows1252(b []byte) []byte {
	special := map[byte]rune{0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰',
		0x8A: 'Š', 0x8B: '‹', 0x8C: 'Œ', 0x8E: 'Ž', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—',
		0x98: '˜', 0x99: '™', 0x9A: 'š', 0x9B: '›', 0x9C: 'œ', 0x9E: 'ž', 0x9F: 'Ÿ'}
	var out bytes.Buffer
	for _, c := range b {
		if r, ok := special[c]; ok {
			out.WriteRune(r)
		} else {
			out.WriteRune(rune(c))
		}
	}
	return out.Bytes()
}
