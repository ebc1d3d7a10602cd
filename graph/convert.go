package graph

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

func toAccount(a *db.Account) *model.Account {
	return &model.Account{ID: a.ID, Name: a.Name, CreatedAt: a.CreatedAt}
}

func toUser(u *db.User) *model.User {
	return &model.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: toRole(u.Role), CreatedAt: u.CreatedAt}
}

func toRole(r db.Role) model.Role { return model.Role(strings.ToUpper(string(r))) }

func toAPIKey(k *db.APIKey) *model.APIKey {
	return &model.APIKey{ID: k.ID, Name: k.Name, Prefix: k.Prefix, CreatedAt: k.CreatedAt,
		CreatedByID: k.CreatedBy, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt}
}

func toSyncLog(l *db.SyncLog) *model.SyncLog {
	out := &model.SyncLog{ID: l.ID, Level: model.LogLevel(strings.ToUpper(string(l.Level))), Source: l.Source,
		Message: l.Message, Hint: l.Hint, ConnectionID: l.ConnectionID, CreatedAt: l.CreatedAt, Details: nonEmpty(string(l.Details))}
	if len(l.Details) > 0 {
		var d struct {
			OrderID int64 `json:"orderId"`
		}
		if json.Unmarshal(l.Details, &d) == nil && d.OrderID > 0 {
			out.OrderID = &d.OrderID
		}
	}
	return out
}

func toAuthMethod(m auth.Method) model.AuthMethod {
	if m == auth.MethodAPIKey {
		return model.AuthMethodAPIKey
	}
	return model.AuthMethodSession
}

func toQBDConnection(c *db.QBDConnection) *model.QuickBooksDesktopConnection {
	return &model.QuickBooksDesktopConnection{ID: c.ID, Name: c.Name, WebConnectorUsername: c.WCUsername,
		CompanyFile: c.CompanyFile, RunEveryMinutes: c.RunEveryMinutes, LastContactAt: c.LastContactAt, CreatedAt: c.CreatedAt,
		QbxmlVersion: nonEmpty(c.QBXMLVersion)}
}

func toWorkItem(w *db.QBDWorkItem) *model.WorkItem {
	return &model.WorkItem{ID: w.ID, DocKey: w.DocKey, Kind: w.Kind, Status: model.WorkItemStatus(strings.ToUpper(w.Status)),
		Attempts: w.Attempts, StatusCode: w.StatusCode, StatusMessage: w.StatusMessage, Request: w.Request,
		Response: w.Response, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, QuickBooksID: nonEmpty(w.QBID)}
}

func toOrder(o *db.Order) *model.Order {
	var n orders.Order
	_ = json.Unmarshal(o.Normalized, &n) // stored by us; a bad row still shows its columns
	name := orders.DisplayName(n)
	return &model.Order{ID: o.ID, Channel: o.Channel, ConnectionID: o.ConnectionID, ExternalID: o.ExternalID, Number: o.Number,
		State: model.OrderState(strings.ToUpper(o.State)), StateReason: o.StateReason, CustomerName: name,
		Total: orders.Money(o.TotalCents).String(), Currency: n.Currency, StoreCreatedAt: o.StoreCreatedAt, StoreUpdatedAt: o.StoreUpdatedAt,
		ChangedAfterPost: o.ChangedAfterPost, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Normalized: string(o.Normalized), Raw: string(o.Raw)}
}

func toOrderEvent(e *db.OrderEvent) *model.OrderEvent {
	return &model.OrderEvent{ID: e.ID, Kind: e.Kind, Message: e.Message, CreatedAt: e.CreatedAt, Details: nonEmpty(string(e.Details))}
}

func toOrderRefund(r *db.OrderRefund) *model.OrderRefund {
	return &model.OrderRefund{ID: r.ID, ExternalID: r.ExternalID, Seq: r.Seq, RefNumber: r.RefNumber,
		State: model.RefundState(strings.ToUpper(r.State)), StateReason: r.StateReason, Total: orders.Money(r.TotalCents).String(),
		Restocked: int(r.Restocked), Applied: orders.Money(r.AppliedCents).String(), Refunded: orders.Money(r.RefundedCents).String(),
		CreditTxnID: r.CreditTxnID, StoreCreatedAt: r.StoreCreatedAt, UpdatedAt: r.UpdatedAt}
}

func toProductMapping(m *db.ProductMapping) *model.ProductMapping {
	return &model.ProductMapping{ID: m.ID, Kind: model.MappingKind(strings.ToUpper(m.Kind)), StoreValue: m.StoreValue,
		ItemName: m.ItemName, CreatedBy: m.CreatedBy, CreatedAt: m.CreatedAt}
}

func itoa(n int) string { return strconv.Itoa(n) }

// counted says n with its noun in the right number: "1 order", "2 orders", "0 orders".
func counted(n int, one, many string) string { return itoa(n) + " " + plural(n, one, many) }

// plural is one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// nonEmpty is a pointer to s, or nil for "" (a nullable GraphQL string).
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nonNil is s, or an empty slice for nil (a GraphQL list that is never null).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// toQuickBooksItem is an item of a company's item list, its type in QuickBooks' words.
func toQuickBooksItem(it *db.QBItem) *model.QuickBooksItem {
	return &model.QuickBooksItem{ID: it.ID, FullName: it.FullName, Type: itemTypeLabel(it.ItemType), Description: it.Description,
		Price: it.Price, QuantityOnHand: it.QuantityOnHand, Active: it.Active, Source: it.Source, UpdatedAt: it.UpdatedAt}
}

// convertAll converts every element of in with conv, in order (a list field's resolver).
func convertAll[T, M any](in []T, conv func(*T) M) []M {
	out := make([]M, 0, len(in))
	for i := range in {
		out = append(out, conv(&in[i]))
	}
	return out
}

// optionalRow is the conversion of the row of *id that get reads, or nil when id is nil or the
// row is gone (ErrNotFound): a nullable field naming a row that may have been deleted since.
func optionalRow[T, M any](id *int64, get func(int64) (*T, error), conv func(*T) *M) (*M, error) {
	if id == nil {
		return nil, nil
	}
	row, err := get(*id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return conv(row), nil
}

// convertRows is convertAll of rows read with err: a failed read converts nothing.
func convertRows[T, M any](rows []T, err error, conv func(*T) M) ([]M, error) {
	if err != nil {
		return nil, err
	}
	return convertAll(rows, conv), nil
}
