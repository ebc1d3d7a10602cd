package qbdsim

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
)

// TestSharedFileTwoWriters plays the demo's Web Connector loop and `ledgerlink sim qbd adjust`
// as two SharedFiles on one path: each sees the other's changes, none is lost.
func TestSharedFileTwoWriters(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "company.json")
	seeded := func(cfg Config) (*Company, error) {
		c := New(cfg)
		return c, c.Seed()
	}
	demo := &SharedFile{Path: path, Create: seeded}
	cli := &SharedFile{Path: path} // the command line never creates a company
	if err := cli.Update(func(*Company) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update of a missing file without Create: %v", err)
	}
	if err := demo.Update(func(c *Company) error { return nil }); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for _, f := range []*SharedFile{demo, cli} {
		wg.Add(1)
		go func(f *SharedFile) {
			defer wg.Done()
			for range n {
				errs <- f.Update(func(c *Company) error {
					_, err := c.AdjustQuantity("Widget", 1, false, "")
					return err
				})
			}
		}(f)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var qoh float64
	if err := demo.Update(func(c *Company) error {
		w, err := c.Item("Widget")
		qoh = w.QuantityOnHand
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// Seeded with 100 on hand, plus 2 × 20 adjustments of one unit.
	if qoh != 140 {
		t.Errorf("Widget QuantityOnHand %v, want 140", qoh)
	}
	loaded, err := Load(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := loaded.Item("Widget"); w.QuantityOnHand != 140 || len(loaded.Txns("InventoryAdjustment", "")) != 40 {
		t.Errorf("file: Widget %v, %d adjustments", w.QuantityOnHand, len(loaded.Txns("InventoryAdjustment", "")))
	}
}
