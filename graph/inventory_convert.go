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

// inventoryUpdateFilter checks the Inventory page's filter; failedOnly means FAILED and
// MISMATCHED and cannot be combined with another status.
func inventoryUpdateFilter(filter *model.InventoryUpdateFilter) (db.InventoryUpdateFilter, error) {
	var f db.InventoryUpdateFilter
	if filter == nil {
		return f, nil
	}
	if filter.StoreConnectionID != nil {
		f.StoreConnectionID = *filter.StoreConnectionID
	}
	if filter.Sku != nil {
		f.SKU = strings.TrimSpace(*filter.Sku)
		if len(f.SKU) > 255 {
			return f, badInput("filter.sku", "sku may be at most 255 characters")
		}
	}
	if filter.Status != nil {
		f.Statuses = []db.UpdateStatus{db.UpdateStatus(strings.ToLower(string(*filter.Status)))}
	}
	if filter.FailedOnly != nil && *filter.FailedOnly {
		if filter.Status != nil && *filter.Status != model.InventoryUpdateStatusFailed && *filter.Status != model.InventoryUpdateStatusMismatched {
			return f, badInput("filter.failedOnly", "failedOnly cannot be combined with status %s", *filter.Status)
		}
		if filter.Status == nil {
			f.Statuses = []db.UpdateStatus{db.UpdateFailed, db.UpdateMismatched}
		}
	}
	return f, nil
}

// pushLogFilter checks the push log's filter; failedOnly means FAILED and MISMATCHED and
// cannot be combined with another outcome.
func pushLogFilter(filter *model.InventoryPushLogFilter) (db.PushLogFilter, error) {
	var f db.PushLogFilter
	if filter == nil {
		return f, nil
	}
	if filter.StoreConnectionID != nil {
		f.StoreConnectionID = *filter.StoreConnectionID
	}
	if filter.Sku != nil {
		f.SKU = strings.TrimSpace(*filter.Sku)
		if len(f.SKU) > 255 {
			return f, badInput("filter.sku", "sku may be at most 255 characters")
		}
	}
	if filter.Outcome != nil {
		f.Outcomes = []db.PushOutcome{db.PushOutcome(strings.ToLower(string(*filter.Outcome)))}
	}
	if filter.FailedOnly != nil && *filter.FailedOnly {
		if filter.Outcome != nil && *filter.Outcome != model.InventoryPushOutcomeFailed && *filter.Outcome != model.InventoryPushOutcomeMismatched {
			return f, badInput("filter.failedOnly", "failedOnly cannot be combined with outcome %s", *filter.Outcome)
		}
		if filter.Outcome == nil {
			f.Outcomes = []db.PushOutcome{db.PushFailed, db.PushMismatched}
		}
	}
	return f, nil
}
