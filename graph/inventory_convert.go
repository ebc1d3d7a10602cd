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
func inventoryUpdateFilter(filter *model.InventoryUpdateFilter) (f db.InventoryUpdateFilter, err error) {
	if filter != nil {
		f.StoreConnectionID, f.SKU, f.Statuses, err = storeSKUFilter[model.InventoryUpdateStatus, db.UpdateStatus](filter.StoreConnectionID, filter.Sku,
			filter.Status, filter.FailedOnly, model.InventoryUpdateStatusFailed, model.InventoryUpdateStatusMismatched, "status")
	}
	return f, err
}

// pushLogFilter checks the push log's filter; failedOnly means FAILED and MISMATCHED and
// cannot be combined with another outcome.
func pushLogFilter(filter *model.InventoryPushLogFilter) (f db.PushLogFilter, err error) {
	if filter != nil {
		f.StoreConnectionID, f.SKU, f.Outcomes, err = storeSKUFilter[model.InventoryPushOutcome, db.PushOutcome](filter.StoreConnectionID, filter.Sku,
			filter.Outcome, filter.FailedOnly, model.InventoryPushOutcomeFailed, model.InventoryPushOutcomeMismatched, "outcome")
	}
	return f, err
}

// storeSKUFilter checks the part the two inventory filters share: the store, a SKU of at most
// 255 characters, and a status (named what) that failedOnly replaces by failed and
// mismatched and may only be combined with one of them. Statuses come back as db's D,
// lower-case as db spells them.
func storeSKUFilter[S, D ~string](storeID *int64, sku *string, status *S, failedOnly *bool, failed, mismatched S, what string) (int64, string, []D, error) {
	var store int64
	var text string
	var statuses []D
	if storeID != nil {
		store = *storeID
	}
	if sku != nil {
		text = strings.TrimSpace(*sku)
		if len(text) > 255 {
			return store, text, nil, badInput("filter.sku", "sku may be at most 255 characters")
		}
	}
	if status != nil {
		statuses = []D{D(strings.ToLower(string(*status)))}
	}
	if failedOnly != nil && *failedOnly {
		if status != nil && *status != failed && *status != mismatched {
			return store, text, nil, badInput("filter.failedOnly", "failedOnly cannot be combined with %s %s", what, *status)
		}
		if status == nil {
			statuses = []D{D(strings.ToLower(string(failed))), D(strings.ToLower(string(mismatched)))}
		}
	}
	return store, text, statuses, nil
}
