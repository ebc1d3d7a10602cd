package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs/inventory"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
)

func credentials(in model.StoreCredentialsInput) ordersync.Credentials {
	v := func(p *string) string {
		if p == nil {
			return ""
		}
		return strings.TrimSpace(*p)
	}
	return ordersync.Credentials{AccessToken: v(in.AccessToken), ConsumerKey: v(in.ConsumerKey), ConsumerSecret: v(in.ConsumerSecret),
		APIKey: v(in.APIKey), APISecret: v(in.APISecret), WebhookSecret: v(in.WebhookSecret)}
}

// checkBaseURL accepts an http(s) URL without credentials or query, and returns it without a
// trailing slash.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return "", badInput("baseUrl", "Enter the store's address, e.g. https://example.myshopify.com.")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// applySettings merges the given settings into stored ones of a connection of channel and
// validates the result.
func applySettings(stored json.RawMessage, in *model.PostingSettingsInput, channel string) (json.RawMessage, error) {
	var s orders.Settings
	if len(stored) > 0 {
		if err := json.Unmarshal(stored, &s); err != nil {
			return nil, fmt.Errorf("graph: stored settings: %w", err)
		}
	}
	s = s.WithDefaults()
	if in != nil {
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = strings.TrimSpace(*v)
			}
		}
		if in.TransactionType != nil {
			s.TransactionType = strings.ToLower(string(*in.TransactionType))
		}
		if in.CustomerMatch != nil {
			s.CustomerMatch = strings.ToLower(string(*in.CustomerMatch))
		}
		if in.MissingProductAction != nil {
			s.MissingProduct = strings.ToLower(string(*in.MissingProductAction))
		}
		if in.NewItemType != nil {
			s.NewItemType = strings.ToLower(string(*in.NewItemType))
		}
		set(&s.RefPrefix, in.RefPrefix)
		set(&s.DepositAccount, in.DepositAccount)
		set(&s.ShippingItem, in.ShippingItem)
		set(&s.DiscountItem, in.DiscountItem)
		set(&s.TaxItem, in.TaxItem)
		set(&s.RoundingItem, in.RoundingItem)
		set(&s.IncomeAccount, in.IncomeAccount)
		set(&s.COGSAccount, in.CogsAccount)
		set(&s.AssetAccount, in.AssetAccount)
		set(&s.Class, in.Class)
		set(&s.SingleCustomer, in.SingleCustomer)
		if in.CreateMissingCustomers != nil {
			s.CreateMissingCustomers = *in.CreateMissingCustomers
		}
		if in.Statuses != nil {
			s.Statuses = in.Statuses
		}
		if err := applyInventorySettings(&s.Inventory, in.Inventory, channel); err != nil {
			return nil, err
		}
		if err := applyQuickBooksToShipStation(&s.QuickBooksToShipStation, in.QuickbooksToShipStation, channel); err != nil {
			return nil, err
		}
	}
	s = s.WithDefaults()
	if err := s.Validate(); err != nil {
		return nil, badInput("settings", "%s", err.Error())
	}
	return json.Marshal(s)
}

func toStoreConnection(c *db.StoreConnection) (*model.StoreConnection, error) {
	var s orders.Settings
	if err := json.Unmarshal(c.Settings, &s); err != nil {
		return nil, fmt.Errorf("graph: settings of connection %d: %w", c.ID, err)
	}
	s = s.WithDefaults()
	statuses := s.Statuses
	if statuses == nil {
		statuses = []string{}
	}
	return &model.StoreConnection{ID: c.ID, Channel: model.Channel(strings.ToUpper(c.Channel)), Name: c.Name, BaseURL: c.BaseURL,
		QuickBooksConnectionID: c.QBDConnectionID, QuickBooksOnlineConnectionID: c.QBOConnectionID, SyncEveryMinutes: c.SyncEveryMinutes, Enabled: c.Enabled,
		SyncedThrough: c.SyncedThrough, LastSyncAt: c.LastSyncAt, LastSyncError: c.LastSyncError, CreatedAt: c.CreatedAt,
		Settings: &model.PostingSettings{TransactionType: model.TransactionType(strings.ToUpper(s.TransactionType)), RefPrefix: s.RefPrefix,
			DepositAccount: s.DepositAccount, ShippingItem: s.ShippingItem, DiscountItem: s.DiscountItem, TaxItem: s.TaxItem,
			RoundingItem: s.RoundingItem, IncomeAccount: s.IncomeAccount, CogsAccount: s.COGSAccount, AssetAccount: s.AssetAccount,
			NewItemType: model.NewItemType(strings.ToUpper(s.NewItemType)), Class: s.Class,
			CustomerMatch: model.CustomerMatch(strings.ToUpper(s.CustomerMatch)), SingleCustomer: s.SingleCustomer,
			CreateMissingCustomers: s.CreateMissingCustomers, MissingProductAction: model.MissingProductAction(strings.ToUpper(s.MissingProduct)),
			Statuses: statuses, Inventory: toInventorySettings(s.Inventory),
			QuickbooksToShipStation: toQuickBooksToShipStation(s.QuickBooksToShipStation)}}, nil
}

// applyInventorySettings merges in into s. Choices a channel cannot act on are refused rather
// than stored: ShipStation ships orders and holds no stock, and only Shopify has locations.
func applyInventorySettings(s *orders.InventorySettings, in *model.InventorySettingsInput, channel string) error {
	if in == nil {
		return nil
	}
	if in.Enabled != nil {
		s.Enabled = *in.Enabled
	}
	if in.Basis != nil {
		s.Basis = inventory.Basis(strings.ToLower(string(*in.Basis)))
	}
	if in.Location != nil {
		s.Location = strings.TrimSpace(*in.Location)
	}
	if in.ExcludeSkus != nil {
		s.ExcludeSKUs = in.ExcludeSkus
	}
	if in.SafetyStock != nil {
		s.SafetyStock = int64(*in.SafetyStock)
	}
	if s.Enabled && channel == "shipstation" {
		return badInput("settings.inventory.enabled", "ShipStation holds no stock: turn inventory sync on for the store connection instead.")
	}
	if s.Location != "" && channel != "shopify" {
		return badInput("settings.inventory.location", "Only Shopify stores have locations; leave the location empty.")
	}
	return nil
}

func toInventorySettings(s orders.InventorySettings) *model.InventorySettings {
	skus := s.ExcludeSKUs
	if skus == nil {
		skus = []string{}
	}
	return &model.InventorySettings{Enabled: s.Enabled, Basis: model.InventoryBasis(strings.ToUpper(string(s.Basis))), Location: s.Location,
		ExcludeSkus: skus, SafetyStock: int(s.SafetyStock)}
}

// applyQuickBooksToShipStation merges in into s. Only ShipStation connections can turn the
// direction on.
func applyQuickBooksToShipStation(s *orders.QuickBooksToShipStationSettings, in *model.QuickBooksToShipStationSettingsInput, channel string) error {
	if in == nil {
		return nil
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	setBool := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	setBool(&s.Enabled, in.Enabled)
	setBool(&s.AllSales, in.AllSales)
	setBool(&s.AddTracking, in.AddTracking)
	setBool(&s.AddShippingCost, in.AddShippingCost)
	if in.TxnTypes != nil {
		s.TxnTypes = make([]string, 0, len(in.TxnTypes))
		for _, t := range in.TxnTypes {
			s.TxnTypes = append(s.TxnTypes, txnTypeSetting(t))
		}
	}
	set(&s.ClassFilter, in.ClassFilter)
	if in.StoreID != nil {
		s.StoreID = int64(*in.StoreID)
	}
	set(&s.OrderStatus, in.OrderStatus)
	if in.TestOrderNumbers != nil {
		s.TestOrderNumbers = in.TestOrderNumbers
	}
	if in.ShippingCostAs != nil {
		s.ShippingCostAs = strings.ToLower(string(*in.ShippingCostAs))
	}
	set(&s.ShippingItem, in.ShippingItem)
	if in.ShippedStatuses != nil {
		s.ShippedStatuses = in.ShippedStatuses
	}
	if s.Enabled && channel != "shipstation" {
		return badInput("settings.quickbooksToShipStation.enabled", "Only a ShipStation connection can receive QuickBooks sales: add or choose a ShipStation connection.")
	}
	return nil
}

// txnTypeSetting is the QuickBooksToShipStationSettings.TxnTypes spelling of t.
func txnTypeSetting(t model.TransactionType) string {
	switch t {
	case model.TransactionTypeInvoice:
		return orders.QBTxnInvoice
	case model.TransactionTypeSalesReceipt:
		return orders.QBTxnSalesReceipt
	case model.TransactionTypeSalesOrder:
		return orders.QBTxnSalesOrder
	}
	return string(t)
}

func toQuickBooksToShipStation(s orders.QuickBooksToShipStationSettings) *model.QuickBooksToShipStationSettings {
	s = s.WithDefaults()
	types := make([]model.TransactionType, 0, len(s.TxnTypes))
	for _, t := range s.TxnTypes {
		switch t {
		case orders.QBTxnInvoice:
			types = append(types, model.TransactionTypeInvoice)
		case orders.QBTxnSalesReceipt:
			types = append(types, model.TransactionTypeSalesReceipt)
		case orders.QBTxnSalesOrder:
			types = append(types, model.TransactionTypeSalesOrder)
		}
	}
	tests := s.TestOrderNumbers
	if tests == nil {
		tests = []string{}
	}
	return &model.QuickBooksToShipStationSettings{Enabled: s.Enabled, TxnTypes: types, ClassFilter: s.ClassFilter, AllSales: s.AllSales,
		StoreID: int(s.StoreID), OrderStatus: s.OrderStatus, TestOrderNumbers: tests, AddTracking: s.AddTracking,
		AddShippingCost: s.AddShippingCost, ShippingCostAs: model.ShippingCostAs(strings.ToUpper(s.ShippingCostAs)),
		ShippingItem: s.ShippingItem, ShippedStatuses: s.ShippedStatuses}
}

func toSyncProgress(p ordersync.Progress) *model.SyncProgress {
	t := func(v time.Time) *time.Time {
		if v.IsZero() {
			return nil
		}
		return &v
	}
	return &model.SyncProgress{State: p.State, From: t(p.From), To: t(p.To), Pages: p.Pages, Orders: p.Orders, NewOrders: p.NewOrders,
		Queued: p.Queued, Errors: p.Errors, Error: p.Error, StartedAt: t(p.StartedAt), FinishedAt: t(p.FinishedAt)}
}

// changedStoreFields names what an update changed on a store connection, in words: the
// connection's own fields, then each posting setting that differs ("setting refPrefix"), the
// settings as stored before read with today's defaults so a default filled in is no change.
// New credentials always count (sealed, they cannot be compared).
func changedStoreFields(before, after *db.StoreConnection, newCredentials bool) []string {
	var out []string
	if before.Name != after.Name {
		out = append(out, "name")
	}
	if before.SyncEveryMinutes != after.SyncEveryMinutes {
		out = append(out, "sync interval")
	}
	if before.Enabled != after.Enabled {
		out = append(out, map[bool]string{true: "turned on", false: "turned off"}[after.Enabled])
	}
	if !equalPtr(before.QBDConnectionID, after.QBDConnectionID) {
		out = append(out, "QuickBooks company")
	}
	if newCredentials {
		out = append(out, "credentials")
	}
	if old, err := applySettings(before.Settings, nil, before.Channel); err == nil {
		for _, k := range changedKeys(old, after.Settings) {
			out = append(out, "setting "+k)
		}
	}
	return out
}

func equalPtr[T comparable](a, b *T) bool {
	return a == b || a != nil && b != nil && *a == *b
}

// changedKeys lists, sorted, the top-level keys of two JSON objects whose values differ.
func changedKeys(a, b json.RawMessage) []string {
	var x, y map[string]json.RawMessage
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return nil
	}
	var out []string
	for k := range y {
		if !jsonEqual(x[k], y[k]) {
			out = append(out, k)
		}
	}
	for k := range x {
		if _, ok := y[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// jsonEqual compares two JSON values as values (key order and spacing aside).
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(x, y)
}

// checkCompanies checks the QuickBooks company a store connection is to post to: at most one
// of a Desktop (qbd) and an Online (qbo) company, each of accountID.
func (r *Resolver) checkCompanies(ctx context.Context, accountID int64, qbd, qbo *int64) error {
	if qbd != nil && qbo != nil {
		return badInput("quickBooksOnlineConnectionId", "Choose one QuickBooks company: Desktop or Online, not both.")
	}
	if qbd != nil {
		if _, err := r.DB.GetQBDConnection(ctx, accountID, *qbd); err != nil {
			return badInput("quickBooksConnectionId", "No such QuickBooks Desktop connection in this account.")
		}
	}
	if qbo != nil {
		if _, err := r.DB.GetQBOConnection(ctx, accountID, *qbo); err != nil {
			return badInput("quickBooksOnlineConnectionId", "No such QuickBooks Online connection in this account.")
		}
	}
	return nil
}
