package graph

import (
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
)

// maxPushNowSKUs bounds the SKUs one Push now may name; pushing more is "every SKU".
const maxPushNowSKUs = 1000

func toInventoryUpdate(u *db.InventoryUpdateView) *model.InventoryUpdate {
	out := &model.InventoryUpdate{ID: u.ID, Sku: u.SKU, StoreConnectionID: u.StoreConnectionID, StoreConnectionName: u.StoreName,
		Channel: model.Channel(strings.ToUpper(u.Channel)), QuickBooksItem: u.QBFullName, StoreQuantity: int(u.TargetQuantity),
		Status: model.InventoryUpdateStatus(strings.ToUpper(string(u.Status))), Attempts: u.Attempts, LastPushAt: u.PushedAt,
		Reason: u.LastError, UpdatedAt: u.UpdatedAt}
	if u.QBOnHand != nil {
		q := float64(*u.QBOnHand) / db.QtyScale
		out.QuickBooksQuantity = &q
	}
	if u.QBOnSalesOrder != nil {
		q := float64(*u.QBOnSalesOrder) / db.QtyScale
		out.QuickBooksOnSalesOrder = &q
	}
	if u.PushedQuantity != nil {
		q := int(*u.PushedQuantity)
		out.PushedQuantity = &q
	}
	if u.Status == db.UpdatePending {
		t := u.NextAttemptAt
		out.NextAttemptAt = &t
	}
	if u.Status == db.UpdateMismatched && out.Reason == "" {
		// The pusher writes which name it looked for and where; a row settled without one
		// still tells the merchant what the status means.
		out.Reason = fmt.Sprintf("%s is in QuickBooks but no product in %s has that SKU.", u.SKU, u.StoreName)
	}
	return out
}

func toInventoryPush(l *db.PushLogView) *model.InventoryPush {
	return &model.InventoryPush{ID: l.ID, Sku: l.SKU, StoreConnectionID: l.StoreConnectionID, StoreConnectionName: l.StoreName,
		Channel: model.Channel(strings.ToUpper(l.Channel)), Quantity: int(l.Quantity),
		Outcome: model.InventoryPushOutcome(strings.ToUpper(string(l.Outcome))), Reason: l.Reason, CreatedAt: l.CreatedAt}
}
