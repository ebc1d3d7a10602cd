package inventory

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

func inv(id, name string, onHand, onSO int64) Item {
	return Item{ListID: id, FullName: name, Type: "ItemInventory", Active: true, OnHand: qbxml.Units(onHand), OnSalesOrder: qbxml.Units(onSO)}
}

// describe renders changes as "name: before → after" lines, the expected values in the
// tables below being written by hand.
func describe(cs []Change) string {
	var out []string
	for _, c := range cs {
		switch {
		case c.Removed:
			out = append(out, c.Item.FullName+": removed")
		case c.Before == nil:
			out = append(out, fmt.Sprintf("%s: new %s/%s", c.Item.FullName, c.Item.OnHand, c.Item.OnSalesOrder))
		default:
			out = append(out, fmt.Sprintf("%s: %s/%s → %s/%s qty=%v", c.Item.FullName, c.Before.OnHand, c.Before.OnSalesOrder, c.Item.OnHand, c.Item.OnSalesOrder, c.QuantityChanged()))
		}
	}
	return strings.Join(out, "\n")
}

func TestDetect(t *testing.T) {
	prev := []Item{inv("1", "redwine", 20, 0), inv("2", "Widget", 100, 2), inv("3", "Gadget", 40, 0)}
	renamed := inv("2", "Widget-XL", 100, 2)
	inactive := inv("3", "Gadget", 40, 0)
	inactive.Active = false
	tests := []struct {
		name      string
		prev      []Item
		reads     []Read
		changes   string
		save, del string
	}{
		{"first read of the company: everything is new", nil,
			[]Read{{Full, []Item{inv("2", "Widget", 100, 2), inv("1", "redwine", 20, 0)}}},
			"redwine: new 20/0\nWidget: new 100/2", "1,2", ""},
		{"a sale lowered redwine, read again through its transaction", prev,
			[]Read{{Partial, []Item{inv("1", "redwine", 15, 0)}}},
			"redwine: 20/0 → 15/0 qty=true", "1", ""},
		{"read again unchanged (the overlap): no change, still saved as seen", prev,
			[]Read{{Partial, []Item{inv("1", "redwine", 20, 0), inv("3", "Gadget", 40, 0)}}},
			"", "3,1", ""},
		{"sales order only", prev,
			[]Read{{Partial, []Item{inv("2", "Widget", 100, 5)}}},
			"Widget: 100/2 → 100/5 qty=true", "2", ""},
		{"rename and deactivation are changes without a quantity change", prev,
			[]Read{{Partial, []Item{renamed, inactive}}},
			"Gadget: 40/0 → 40/0 qty=false\nWidget-XL: 100/2 → 100/2 qty=false", "3,2", ""},
		{"partial read says nothing about items it lacks", prev,
			[]Read{{Partial, nil}},
			"", "", ""},
		{"full read finds a deleted item", prev,
			[]Read{{Full, []Item{inv("1", "redwine", 20, 0), inv("3", "Gadget", 41, 0)}}},
			"Gadget: 40/0 → 41/0 qty=true\nWidget: removed", "3,1", "2"},
		{"modified items then transaction items: the later read of an item wins", prev,
			[]Read{{Partial, []Item{inv("1", "redwine", 18, 0)}}, {Partial, []Item{inv("1", "redwine", 17, 0), inv("4", "New Tee", 5, 0)}}},
			"New Tee: new 5/0\nredwine: 20/0 → 17/0 qty=true", "4,1", ""},
		{"fractional quantities", []Item{inv("5", "Rope (m)", 10, 0)},
			[]Read{{Partial, []Item{{ListID: "5", FullName: "Rope (m)", Type: "ItemInventory", Active: true, OnHand: qbxml.Units(9) + qbxml.QuantityScale/2}}}},
			"Rope (m): 10/0 → 9.5/0 qty=true", "5", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Detect(tc.prev, tc.reads...)
			if got := describe(r.Changes); got != tc.changes {
				t.Errorf("changes:\n%s\nwant\n%s", got, tc.changes)
			}
			var save []string
			for _, it := range r.Save {
				save = append(save, it.ListID)
			}
			if got := strings.Join(save, ","); got != tc.save {
				t.Errorf("save %s, want %s", got, tc.save)
			}
			if got := strings.Join(r.Delete, ","); got != tc.del {
				t.Errorf("delete %s, want %s", got, tc.del)
			}
		})
	}
}

func TestFromItemRet(t *testing.T) {
	ret := qbxml.ItemRet{Type: "ItemInventoryAssembly", Name: "Kit", FullName: "Kits:Kit", IsActive: true,
		QuantityOnHand: qbxml.Units(7), QuantityOnSalesOrder: qbxml.Units(2)}
	ret.ListID, ret.TimeModified = "8000000A-1", "2026-12-05T10:00:00-05:00"
	it, ok := FromItemRet(ret)
	want := Item{ListID: "8000000A-1", FullName: "Kits:Kit", Type: "ItemInventoryAssembly", Active: true, OnHand: qbxml.Units(7), OnSalesOrder: qbxml.Units(2), TimeModified: "2026-12-05T10:00:00-05:00"}
	if !ok || it != want {
		t.Errorf("FromItemRet = %+v, %v", it, ok)
	}
	if _, ok := FromItemRet(qbxml.ItemRet{Type: "ItemService", Name: "Installation"}); ok {
		t.Error("a service item is not inventory")
	}
}

func TestToReread(t *testing.T) {
	snap := []Item{inv("1", "redwine", 20, 0), inv("2", "Widget", 100, 0), {ListID: "9", FullName: "Starter Kit Assembled", Type: "ItemInventoryAssembly"}}
	txns := []qbxml.TxnItems{
		{Kind: "SalesReceipt", Items: []qbxml.Ref{{ListID: "2", FullName: "Widget"}, {ListID: "70", FullName: "Shipping"}}},
		{Kind: "Invoice", Items: []qbxml.Ref{{FullName: "REDWINE"}, {ListID: "80", FullName: "Starter Kit"}, {ListID: "2"}}},
		{Kind: "Bill", Items: []qbxml.Ref{{ListID: "9"}, {ListID: "99", FullName: "Created Today"}}},
	}
	got := ToReread(txns, snap)
	if strings.Join(got.Inventory, ",") != "1,2" || strings.Join(got.Assembly, ",") != "9" || len(got.Inventory)+len(got.Assembly) == 0 {
		t.Errorf("ToReread = %+v", got)
	}
	if none := ToReread(nil, snap); len(none.Inventory)+len(none.Assembly) != 0 {
		t.Error("nothing touched should be empty")
	}
}

func TestStoreQuantity(t *testing.T) {
	tests := []struct {
		onHand, onSO qbxml.Quantity
		basis        Basis
		want         int64
	}{
		{qbxml.Units(15), qbxml.Units(3), OnHand, 15},
		{qbxml.Units(15), qbxml.Units(3), Available, 12},
		{qbxml.Units(2), qbxml.Units(5), Available, 0},
		{qbxml.Units(-4), 0, OnHand, 0},
		{qbxml.Units(9) + qbxml.QuantityScale*99/100, 0, OnHand, 9},
	}
	for _, tc := range tests {
		if got := StoreQuantity(Item{OnHand: tc.onHand, OnSalesOrder: tc.onSO}, tc.basis); got != tc.want {
			t.Errorf("StoreQuantity(%s, %s, %s) = %d, want %d", tc.onHand, tc.onSO, tc.basis, got, tc.want)
		}
	}
}

func TestPlanAndAdvance(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
	var p Policy // defaults: 5 min overlap, full read hourly
	tests := []struct {
		name string
		w    Watermark
		now  time.Time
		full bool
		from time.Time
	}{
		{"never read: full", Watermark{}, t0, true, time.Time{}},
		{"changes read 2 min ago: from 7 min ago", Watermark{ChangesThrough: t0.Add(-2 * time.Minute), FullSnapshotAt: t0.Add(-30 * time.Minute)}, t0, false, t0.Add(-7 * time.Minute)},
		{"full snapshot an hour old: full", Watermark{ChangesThrough: t0.Add(-time.Minute), FullSnapshotAt: t0.Add(-time.Hour)}, t0, true, time.Time{}},
		{"changes not read for an hour (failures): full instead of a huge window", Watermark{ChangesThrough: t0.Add(-61 * time.Minute), FullSnapshotAt: t0.Add(-10 * time.Minute)}, t0, true, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pl := p.Plan(tc.w, tc.now)
			if pl.Full != tc.full || !pl.From.Equal(tc.from) || !pl.Start.Equal(tc.now) {
				t.Errorf("Plan = %+v, want full=%v from=%v", pl, tc.full, tc.from)
			}
		})
	}

	// Incomplete reads keep the window; complete ones move it on; never backwards.
	w := Watermark{ChangesThrough: t0.Add(-2 * time.Minute), FullSnapshotAt: t0.Add(-30 * time.Minute)}
	pl := p.Plan(w, t0)
	if got := p.Advance(w, pl, false); got != w {
		t.Errorf("incomplete advanced to %+v", got)
	}
	w2 := p.Advance(w, pl, true)
	if !w2.ChangesThrough.Equal(t0) || !w2.FullSnapshotAt.Equal(w.FullSnapshotAt) {
		t.Errorf("complete partial: %+v", w2)
	}
	late := Plan{Start: t0.Add(-time.Minute)}
	if got := p.Advance(w2, late, true); !got.ChangesThrough.Equal(t0) {
		t.Errorf("moved backwards: %+v", got)
	}
	full := p.Plan(Watermark{}, t0)
	if got := p.Advance(Watermark{}, full, true); !got.ChangesThrough.Equal(t0) || !got.FullSnapshotAt.Equal(t0) {
		t.Errorf("complete full: %+v", got)
	}
	// A record modified once is re-read only while inside the overlap: successive 2-minute
	// detections ask from ever later times.
	custom := Policy{Overlap: 3 * time.Minute, FullEvery: 24 * time.Hour}
	w = Watermark{ChangesThrough: t0, FullSnapshotAt: t0}
	var froms []string
	for i := 1; i <= 3; i++ {
		pl := custom.Plan(w, t0.Add(time.Duration(2*i)*time.Minute))
		froms = append(froms, pl.From.Format("15:04"))
		w = custom.Advance(w, pl, true)
	}
	if got := strings.Join(froms, ","); got != "14:57,14:59,15:01" {
		t.Errorf("windows start at %s", got)
	}
}
