package main

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// TestSimQBDAdjust changes stock in a company file the way people do in the demo, then reads
// the file back. The seed holds 100 Widgets.
func TestSimQBDAdjust(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo-company.json")
	c := qbdsim.New(qbdsim.Config{})
	if err := c.Seed(); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	if err := simQBDAdjust([]string{"-company", path, "-item", "widget", "-by", "-7"}); err != nil {
		t.Fatal(err)
	}
	if err := simQBDAdjust([]string{"-company", path, "--item", "Gadget", "--set", "3"}); err != nil {
		t.Fatal(err)
	}
	got, err := qbdsim.Load(path, qbdsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := got.Item("Widget")
	g, _ := got.Item("Gadget")
	if w.QuantityOnHand != 93 || g.QuantityOnHand != 3 || len(got.Txns("InventoryAdjustment", "")) != 2 {
		t.Errorf("Widget %v, Gadget %v, %d adjustments", w.QuantityOnHand, g.QuantityOnHand, len(got.Txns("InventoryAdjustment", "")))
	}
	if err := simQBDAdjust([]string{"-company", path, "-item", "Installation", "-by", "1"}); !errors.Is(err, qbdsim.ErrNotFound) {
		t.Errorf("service item: %v", err)
	}
	if err := simQBDAdjust([]string{"-company", filepath.Join(t.TempDir(), "none.json"), "-item", "Widget", "-by", "1"}); !errors.Is(err, qbdsim.ErrNotFound) {
		t.Errorf("missing file: %v", err)
	}
}
