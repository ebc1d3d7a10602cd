package ordersync

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// ItemListDocPrefix starts the document key of an item-list read.
const ItemListDocPrefix = "itemlist:"

// RefreshItemList queues a read of the QuickBooks company's whole item list (active and
// inactive) for the next Web Connector run; the answer replaces the list used for matching and
// autocomplete (the uploaded CSV rows of the same names are updated).
func (p *Pipeline) RefreshItemList(ctx context.Context, accountID, qbdConnectionID int64) error {
	_, err := p.Engine.Enqueue(ctx, qbd.Item{AccountID: accountID, ConnectionID: qbdConnectionID,
		DocKey:  ItemListDocPrefix + strconv.FormatInt(p.now().UnixNano(), 10),
		Request: qbxml.ItemQuery{Filter: qbxml.ListFilter{ActiveStatus: qbxml.ActiveAll}}})
	return err
}

// settledItemList stores the items an item-list read returned.
func (p *Pipeline) settledItemList(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	level, msg := db.LevelInfo, ""
	if out.Status != db.WorkDone || out.Response == nil {
		level, msg = db.LevelError, "Reading the item list from QuickBooks failed: "+out.Message
	} else {
		now := time.Now()
		for _, it := range out.Response.Items {
			name := it.Ref().FullName
			desc := strings.TrimSpace(it.SalesDesc + " " + it.ItemDesc)
			_, err := tx.NewRaw(`INSERT INTO qb_items (account_id, qbd_connection_id, full_name, item_type, description, price, quantity_on_hand, active, source, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'quickbooks', ?)
				ON CONFLICT (qbd_connection_id, lower(full_name)) DO UPDATE SET full_name = EXCLUDED.full_name, item_type = EXCLUDED.item_type,
					description = EXCLUDED.description, price = EXCLUDED.price, quantity_on_hand = EXCLUDED.quantity_on_hand,
					active = EXCLUDED.active, source = 'quickbooks', updated_at = EXCLUDED.updated_at`,
				item.AccountID, item.ConnectionID, name, it.Type, desc, priceText(it.SalesPrice), qtyText(it), it.IsActive, now).Exec(ctx)
			if err != nil {
				return fmt.Errorf("ordersync: store item %q: %w", name, err)
			}
		}
		msg = fmt.Sprintf("Read %d items from QuickBooks.", len(out.Response.Items))
	}
	l := &db.SyncLog{AccountID: item.AccountID, Level: level, Source: "qbd", Message: msg}
	_, err := tx.NewInsert().Model(l).Exec(ctx)
	return err
}

func priceText(p qbxml.Price) string {
	if p == 0 {
		return ""
	}
	return p.String()
}

func qtyText(it qbxml.ItemRet) string {
	if it.Type != "ItemInventory" && it.Type != "ItemInventoryAssembly" {
		return ""
	}
	return it.QuantityOnHand.String()
}
