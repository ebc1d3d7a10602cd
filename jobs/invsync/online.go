package invsync

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/inventory"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// OnlineFullEvery is how often DetectOnline reads every inventory item of a QuickBooks Online
// company when the policy does not say: it bounds how long a store changed by hand, or a
// store whose inventory sync was just turned on, waits for QuickBooks' quantities. It is well
// inside change data capture's 30-day look-back, so a changes read is never refused for age.
const OnlineFullEvery = 24 * time.Hour

// ErrOnlineBusy is returned by DetectOnline when another worker is detecting the same company:
// the caller tries again later (that detection may have read before the change it was asked
// for).
var ErrOnlineBusy = errors.New("invsync: another worker is reading this QuickBooks Online company's inventory")

// policy is how company co is read.
func (d *Detector) policy(co db.InventoryCompany) inventory.Policy {
	if co.QBO == 0 {
		return d.Policy
	}
	p := d.OnlinePolicy
	if p.FullEvery <= 0 || p.FullEvery > qbo.CDCLookBack-p.Overlap-time.Hour {
		p.FullEvery = OnlineFullEvery
	}
	return p
}

// DetectOnline reads the inventory of QuickBooks Online company qboConnectionID of accountID
// and queues what changed for its stores, like a Desktop detection (same snapshot comparison,
// INVENTORY rules, settings, sync log and update queue), in one call:
//
//   - a changes read (the policy's watermark − overlap): change data capture of Item
//     (GET /cdc?entities=Item&changedSince=…). Sales lower an item's QtyOnHand, refund receipts
//     and credit memos raise it, and each such change updates the item, so the item itself is
//     in the answer; deleted items leave the snapshot;
//   - a full read (first read, daily, or a changes answer at CDC's 1000-object cap):
//     select * from Item where Type = 'Inventory', paged with STARTPOSITION / MAXRESULTS.
//
// Detections of one company are serialized (a second one gets ErrOnlineBusy). The reads and
// their effects are one transaction: a failed read changes nothing, is written to the sync log
// and returned, and the watermark stays, so the next detection asks for the same window.
func (d *Detector) DetectOnline(ctx context.Context, accountID, qboConnectionID int64) error {
	if d.Online == nil {
		return errors.New("invsync: QuickBooks Online is not configured")
	}
	co := db.OnlineCompany(qboConnectionID)
	err := d.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		mine, err := db.TryLockQBOInventoryDetection(ctx, tx, qboConnectionID)
		if err != nil {
			return fmt.Errorf("invsync: %w", err)
		}
		if !mine {
			return ErrOnlineBusy
		}
		w, err := db.GetInventoryWatermarkOf(ctx, tx, accountID, co)
		if err != nil {
			return fmt.Errorf("invsync: %w", err)
		}
		pl := d.policy(co).Plan(inventory.Watermark{ChangesThrough: w.ChangesThrough, FullSnapshotAt: w.FullSnapshotAt}, d.now())
		c, err := d.Online(ctx, accountID, qboConnectionID)
		if err != nil {
			return err
		}
		items, deleted, full, err := readOnline(ctx, c, pl)
		if err != nil {
			return err
		}
		if full && !pl.Full {
			pl = inventory.Plan{Full: true, Start: pl.Start}
		}
		if err := db.DeleteInventorySnapshotItemsOf(ctx, tx, accountID, co, deleted); err != nil {
			return fmt.Errorf("invsync: %w", err)
		}
		if err := d.apply(ctx, tx, accountID, co, items); err != nil {
			return err
		}
		return d.complete(ctx, tx, accountID, co, pl)
	})
	if err == nil || errors.Is(err, ErrOnlineBusy) || ctx.Err() != nil {
		return err
	}
	msg := "Reading inventory from QuickBooks Online failed: " + err.Error() + " The next inventory check reads the same changes again."
	if errors.Is(err, qbo.ErrReconnectNeeded) {
		msg = "Reading inventory from QuickBooks Online needs the company to be reconnected (Connections → Reconnect)."
	}
	if lerr := d.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return d.log(ctx, tx, accountID, db.LevelError, msg)
	}); lerr != nil {
		return errors.Join(err, lerr)
	}
	return err
}

// readOnline reads what plan pl asks for. full reports that every inventory item was read
// (pl.Full, or a changes answer too large to trust, which is replaced by a full read).
func readOnline(ctx context.Context, c *qbo.Client, pl inventory.Plan) (items []inventory.Item, deleted []string, full bool, err error) {
	if !pl.Full {
		ch, err := c.ChangedItemsSince(ctx, pl.From)
		if err != nil {
			return nil, nil, false, fmt.Errorf("invsync: change data capture: %w", err)
		}
		if !ch.Full() {
			return onlineItems(ch.Items), ch.Deleted, false, nil
		}
	}
	for start := 1; ; start += qbo.MaxResults {
		var page struct{ Item []qbo.Item }
		q := fmt.Sprintf("select * from Item where Type = 'Inventory' STARTPOSITION %d MAXRESULTS %d", start, qbo.MaxResults)
		if err := c.Query(ctx, q, &page); err != nil {
			return nil, nil, false, fmt.Errorf("invsync: read inventory items from %d: %w", start, err)
		}
		items = append(items, onlineItems(page.Item)...)
		if len(page.Item) < qbo.MaxResults {
			return items, nil, true, nil
		}
	}
}

// onlineItems converts QuickBooks Online items to detection's items, leaving out those that
// hold no stock. The item's Sku (its name when it has none: the SKU preference may be off) is
// what stores know it by, so it stands where a Desktop item's full name does; its Id is the
// ListID. QuickBooks Online has no sales orders: nothing is on sales order.
func onlineItems(in []qbo.Item) []inventory.Item {
	var out []inventory.Item
	for _, it := range in {
		if it.Type != qbo.ItemInventory || it.QtyOnHand == nil || it.ID == "" {
			continue
		}
		name := it.Sku
		if name == "" {
			name = it.FullyQualifiedName
		}
		if name == "" {
			name = it.Name
		}
		var modified string
		if it.MetaData != nil {
			modified = it.MetaData.LastUpdatedTime
		}
		out = append(out, inventory.Item{ListID: it.ID, FullName: name, Type: "ItemInventory", Active: it.Active == nil || *it.Active,
			OnHand: qbxml.Quantity(math.Round(*it.QtyOnHand * db.QtyScale)), TimeModified: qbxml.DateTime(modified)})
	}
	return out
}
