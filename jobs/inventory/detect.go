// Package inventory decides which QuickBooks inventory items changed quantity, from what the
// Web Connector read, and when to read what. It is pure: no database, no Redis, no clock of its
// own — callers pass the previous snapshot, the reads and the time, and store the results
// (db.SaveInventorySnapshotOf, db.SetInventoryWatermarkOf, db.EnqueueInventoryUpdates).
//
// QuickBooks does not bump an item's TimeModified when a transaction changes its quantity on
// hand (an inventory adjustment or an edit of the item does), so one detection combines three
// reads (see Plan): the items modified since the watermark, the items on the transactions
// modified since the watermark (re-read by ListID: ToReread), and from time to time every
// item's quantity (a full snapshot), which also finds deleted items.
package inventory

import (
	"sort"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// Item is one QuickBooks inventory part or assembly as read, or as last stored.
type Item struct {
	ListID       string
	FullName     string
	Type         string // "ItemInventory" or "ItemInventoryAssembly"
	Active       bool
	OnHand       qbxml.Quantity
	OnSalesOrder qbxml.Quantity
	TimeModified qbxml.DateTime // QuickBooks' text, shown only
}

// FromItemRet converts an item QuickBooks returned; ok is false for item types that hold no
// stock (services, groups, non-inventory parts…), which detection ignores.
func FromItemRet(r qbxml.ItemRet) (Item, bool) {
	if r.Type != "ItemInventory" && r.Type != "ItemInventoryAssembly" {
		return Item{}, false
	}
	return Item{ListID: r.ListID, FullName: r.Ref().FullName, Type: r.Type, Active: r.IsActive,
		OnHand: r.QuantityOnHand, OnSalesOrder: r.QuantityOnSalesOrder, TimeModified: r.TimeModified}, true
}

// ReadKind says what a Read covers.
type ReadKind int

const (
	// Partial reads (items modified since the watermark, items re-read because transactions
	// touched them) say nothing about items they do not return.
	Partial ReadKind = iota
	// Full is a complete read of every inventory part and assembly (ActiveStatus All, every
	// iterator page): an item of the snapshot it does not return was deleted in QuickBooks.
	Full
)

// Read is one set of items read from QuickBooks in a detection.
type Read struct {
	Kind  ReadKind
	Items []Item
}

// Change is an item whose stock-relevant data differ from the snapshot.
type Change struct {
	Item   Item
	Before *Item // nil: not in the snapshot (new item, or the first read of the company)
	// Removed: a full read no longer has the item (Item is the snapshot's last state).
	Removed bool
}

// QuantityChanged reports whether a store could need a new quantity: a new item, or a
// different quantity on hand or on sales order. Renames and (de)activations are changes too,
// but leave quantities alone.
func (c Change) QuantityChanged() bool {
	return !c.Removed && (c.Before == nil || c.Before.OnHand != c.Item.OnHand || c.Before.OnSalesOrder != c.Item.OnSalesOrder)
}

// Result is the outcome of Detect.
type Result struct {
	// Changes lists new, changed and removed items, by FullName (case-insensitive), then ListID.
	Changes []Change
	// Save holds the items read, to store as the new snapshot state (read again or changed);
	// Delete the ListIDs to remove from it.
	Save   []Item
	Delete []string
}

// Detect compares the reads of one detection with the previous snapshot. Reads are applied in
// order; an item read twice keeps its last state. An item is a change when it is not in the
// snapshot or its quantity on hand, quantity on sales order, full name, type or active flag
// differ; an item the snapshot has and a Full read lacks is removed. Reading an item again
// unchanged is not a change, which is what makes the watermark's overlap harmless.
func Detect(prev []Item, reads ...Read) Result {
	before := make(map[string]Item, len(prev))
	for _, it := range prev {
		before[it.ListID] = it
	}
	read := map[string]Item{}
	full := false
	for _, r := range reads {
		if r.Kind == Full {
			full = true
		}
		for _, it := range r.Items {
			if it.ListID != "" {
				read[it.ListID] = it
			}
		}
	}
	var res Result
	for id, it := range read {
		res.Save = append(res.Save, it)
		b, had := before[id]
		switch {
		case !had:
			res.Changes = append(res.Changes, Change{Item: it})
		case b.OnHand != it.OnHand || b.OnSalesOrder != it.OnSalesOrder || b.FullName != it.FullName || b.Type != it.Type || b.Active != it.Active:
			bb := b
			res.Changes = append(res.Changes, Change{Item: it, Before: &bb})
		}
	}
	if full {
		for id, b := range before {
			if _, ok := read[id]; !ok {
				res.Delete = append(res.Delete, id)
				res.Changes = append(res.Changes, Change{Item: b, Removed: true})
			}
		}
	}
	sort.Slice(res.Changes, func(i, j int) bool { return itemLess(res.Changes[i].Item, res.Changes[j].Item) })
	sort.Slice(res.Save, func(i, j int) bool { return itemLess(res.Save[i], res.Save[j]) })
	sort.Strings(res.Delete)
	return res
}

func itemLess(a, b Item) bool {
	an, bn := strings.ToLower(a.FullName), strings.ToLower(b.FullName)
	if an != bn {
		return an < bn
	}
	return a.ListID < b.ListID
}

// Reread lists the snapshot's items to read again because transactions have them on lines,
// split by the query that reads them (an assembly's ListID in an ItemInventoryQuery is an
// error, and the other way round).
type Reread struct {
	Inventory []string // ListIDs for ItemInventoryQuery
	Assembly  []string // ListIDs for ItemInventoryAssemblyQuery
}

// ToReread returns the snapshot items named on the lines of txns (transactions modified since
// the watermark), each once, sorted. Refs are matched by ListID, or by full name
// (case-insensitive) when a ref has no ListID. Items the snapshot does not have are left out:
// services, groups and non-inventory parts hold no stock, and an inventory item created since
// the last read has a TimeModified after the watermark, so the modified-items read returns it.
func ToReread(txns []qbxml.TxnItems, snapshot []Item) Reread {
	byID := make(map[string]Item, len(snapshot))
	byName := make(map[string]Item, len(snapshot))
	for _, it := range snapshot {
		byID[it.ListID] = it
		byName[strings.ToLower(it.FullName)] = it
	}
	seen := map[string]bool{}
	var out Reread
	for _, t := range txns {
		for _, ref := range t.Items {
			it, ok := byID[ref.ListID]
			if !ok && ref.ListID == "" {
				it, ok = byName[strings.ToLower(ref.FullName)]
			}
			if !ok || seen[it.ListID] {
				continue
			}
			seen[it.ListID] = true
			if it.Type == "ItemInventoryAssembly" {
				out.Assembly = append(out.Assembly, it.ListID)
			} else {
				out.Inventory = append(out.Inventory, it.ListID)
			}
		}
	}
	sort.Strings(out.Inventory)
	sort.Strings(out.Assembly)
	return out
}

// Basis is which QuickBooks quantity a store gets.
type Basis string

const (
	// OnHand is QuickBooks' quantity on hand.
	OnHand Basis = "on_hand"
	// Available is on hand minus what open sales orders hold.
	Available Basis = "available"
)

// StoreQuantity is the whole number of units a store should show for it: the basis quantity
// rounded down (stores count whole units; half a unit cannot be sold), and never below zero.
func StoreQuantity(it Item, b Basis) int64 {
	q := int64(it.OnHand)
	if b == Available {
		q -= int64(it.OnSalesOrder)
	}
	if q <= 0 {
		return 0
	}
	return q / qbxml.QuantityScale
}
