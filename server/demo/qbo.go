package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/server"
)

// The demo's simulated Intuit: its app keys are fixed and public (they open nothing but the
// simulator), and it is served by `ledgerlink run` in demo mode under SimQBOPath.
const (
	SimQBOClientID     = "ABledgerlinkDemoQBOClientID"
	SimQBOClientSecret = "ledgerlink-demo-qbo-secret"
	SimQBOPath         = "/sim/qbo" // its consent page is server.SimQBOConsentPath
	// SimQBOWebhookToken is the simulated app's webhook verifier token: the simulator signs its
	// notifications to server.QBOWebhookPath with it.
	SimQBOWebhookToken = "ledgerlink-demo-qbo-webhook-verifier"
)

// SimulatedQBO opens the demo's simulated QuickBooks Online company (Intuit's sign-in and token
// endpoints plus the Accounting API, its data kept in file) and points cfg's QuickBooks Online
// settings at it — the consent page at the public URL the browser reaches, the token, revoke
// and API calls at this server's own address — so the demo account can connect it from the
// Connections page; its webhooks are delivered to server.QBOWebhookPath. Mount the result under SimQBOPath. When the operator set
// LEDGERLINK_QBO_CLIENT_ID (a real Intuit app) cfg is left alone and nil is returned.
func SimulatedQBO(cfg *server.Config, file string) (*qbosim.Server, error) {
	if cfg.QBOClientID != "" {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return nil, fmt.Errorf("demo: quickbooks online company: %w", err)
	}
	sim, err := qbosim.Open(qbosim.Options{ClientID: SimQBOClientID, ClientSecret: SimQBOClientSecret,
		RedirectURIs: []string{cfg.PublicURL + server.QBOCallbackPath}, File: file})
	if err != nil {
		return nil, fmt.Errorf("demo: quickbooks online company: %w", err)
	}
	local := "http://" + cfg.Addr + SimQBOPath
	cfg.QBOClientID, cfg.QBOClientSecret = SimQBOClientID, SimQBOClientSecret
	cfg.QBOAuthURL = cfg.PublicURL + SimQBOPath + "/connect/oauth2"
	cfg.QBOTokenURL, cfg.QBORevokeURL, cfg.QBOAPIURL = local+"/oauth2/v1/tokens/bearer", local+"/oauth2/v1/tokens/revoke", local
	// Stock moves in the simulated company reach the stores at once, as Intuit's webhooks do.
	cfg.QBOWebhookToken = SimQBOWebhookToken
	sim.SetWebhook("http://"+cfg.Addr+server.QBOWebhookPath, SimQBOWebhookToken)
	return sim, nil
}

// The demo's second Shopify shop posts to the simulated QuickBooks Online company, so the demo
// shows the Online flow beside the Desktop one. It is its own simulator (other orders, seed
// onlineShopSeed) rather than one of the Desktop stores switched: those keep showing the Web
// Connector flow, inventory sync and the ShipStation round trip they were built for.
const (
	OnlineShopSim       = "shopify-online" // served under /sim/shopify-online
	OnlineShopName      = "Demo Shopify Online (simulated)"
	QBOConnectionName   = "Demo company (simulated QuickBooks Online)"
	onlineShopSeed      = 2027
	onlineShopToken     = "shpat_ledgerlink_demo_online"
	onlineShopAppSecret = "shpss_ledgerlink_demo_online"
	// DemoQBOQtyOnHand is the stock each item of the demo's QuickBooks Online company starts with.
	DemoQBOQtyOnHand = 100
	// DemoQBOPaymentMethod is the payment method the demo company adds to QuickBooks' starter ones.
	DemoQBOPaymentMethod = "Shopify Payments"
)

// OnlineShop returns the demo's Shopify shop that posts to QuickBooks Online (mount it under
// /sim/OnlineShopSim) and gives the simulated company q an inventory item for each SKU the shop
// sells (once: an item already there, or renamed or adjusted since, is left alone).
func OnlineShop(publicURL string, q *qbosim.Server) (http.Handler, error) {
	sh := shopifysim.New(shopifysim.Options{AccessToken: onlineShopToken, AppSecret: onlineShopAppSecret, Seed: onlineShopSeed,
		WebhookClient: selfOnlyClient(publicURL)})
	sh.Generate(DemoOrders, onlineShopSeed)
	if err := SeedQBOCatalogue(q, sh.Products()); err != nil {
		return nil, err
	}
	return sh, nil
}

// SeedQBOCatalogue gives the simulated QuickBooks Online company q an inventory item per SKU of
// products (name "Title (Variant)", its price, DemoQBOQtyOnHand in stock, taxable with the
// starter company's California tax code, the starter income, cost and asset accounts) and the
// payment method DemoQBOPaymentMethod, skipping what it has already. Variants without a SKU get
// no item: their order lines meet the store's Missing Product Action, as with a real shop.
func SeedQBOCatalogue(q *qbosim.Server, products []shopifysim.Product) error {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	for _, p := range products {
		for _, v := range p.Variants {
			if v.SKU == "" {
				continue
			}
			if _, err := q.ItemBySku(v.SKU); err == nil {
				continue // already in the company (also a second product selling the same SKU)
			}
			name := p.Title
			if v.Title != "" && v.Title != "Default Title" {
				name += " (" + v.Title + ")"
			}
			if r := []rune(name); len(r) > 100 {
				name = string(r[:100])
			}
			_, err := q.Create(qbosim.KindItem, qbosim.Object{"Name": name, "Sku": v.SKU, "Type": "Inventory",
				"UnitPrice": float64(v.Price) / 100, "QtyOnHand": float64(DemoQBOQtyOnHand), "InvStartDate": start, "Taxable": true,
				"SalesTaxCodeRef":   qbosim.Object{"value": qbosim.TaxCodeCA},
				"IncomeAccountRef":  qbosim.Object{"value": qbosim.SalesIncomeAccountID},
				"ExpenseAccountRef": qbosim.Object{"value": qbosim.COGSAccountID},
				"AssetAccountRef":   qbosim.Object{"value": qbosim.InventoryAssetAccountID}})
			if err != nil {
				return fmt.Errorf("demo: quickbooks online item %s: %w", v.SKU, err)
			}
		}
	}
	_, err := q.Create(qbosim.KindPaymentMethod, qbosim.Object{"Name": DemoQBOPaymentMethod, "Type": "CREDIT_CARD"})
	if f := (*qbosim.Fault)(nil); errors.As(err, &f) && f.Code() == "6240" {
		return nil // added by an earlier start (names are unique among payment methods)
	}
	if err != nil {
		return fmt.Errorf("demo: quickbooks online payment method: %w", err)
	}
	return nil
}

// seedOnline makes sure the demo account has the simulated QuickBooks Online company connected
// and the Online Shopify shop posting to it. The company is connected once, as the Connect
// button would (tokens from the simulator's authorization server, sealed like any other); a
// company disconnected since is left so, and the shop left posting wherever it was sent since.
func seedOnline(ctx context.Context, d *db.DB, accountID int64, o StoreOptions) error {
	list, err := d.ListQBOConnections(ctx, accountID, db.Page{Limit: db.MaxPageSize})
	if err != nil {
		return err
	}
	var qc *db.QBOConnection
	for i := range list.Items {
		if list.Items[i].RealmID == o.QBO.Realm() {
			qc = &list.Items[i]
		}
	}
	if qc == nil {
		now := time.Now()
		access, refresh := o.QBO.IssueTokens()
		// The simulator's token lifetimes (Intuit's: an hour, 101 days); the first use refreshes.
		qc = &db.QBOConnection{AccountID: accountID, Name: QBOConnectionName, RealmID: o.QBO.Realm(), CompanyName: qbosim.DefaultCompanyName,
			Status: db.QBOStatusConnected}
		if err := d.SaveQBOConnection(ctx, o.Sealer, qc, db.QBOTokens{Access: access, Refresh: refresh,
			AccessExpiresAt: now.Add(time.Hour), RefreshExpiresAt: now.Add(8726400 * time.Second)}, now); err != nil {
			return err
		}
	}
	stores, err := d.ListStoreConnections(ctx, accountID, db.Page{Limit: db.MaxPageSize})
	if err != nil {
		return err
	}
	for i := range stores.Items {
		if c := &stores.Items[i]; c.Name == OnlineShopName {
			// A demo database from before the Online shop synced inventory: turn it on where
			// its settings are still those the demo stored, never over a choice made since.
			return enableDemoInventory(ctx, d, c, onlineShopSettings(false))
		}
	}
	creds, _ := json.Marshal(ordersync.Credentials{AccessToken: onlineShopToken, WebhookSecret: onlineShopAppSecret})
	c := &db.StoreConnection{AccountID: accountID, Channel: "shopify", Name: OnlineShopName, BaseURL: o.PublicURL + "/sim/" + OnlineShopSim,
		QBOConnectionID: &qc.ID, Enabled: true, SyncEveryMinutes: 5, Settings: onlineShopSettings(true)}
	return d.CreateStoreConnection(ctx, c, o.Sealer, creds)
}

// onlineShopSettings are the Online shop's settings: the defaults on the starter company's
// income account, with inventory sync on (inventory false: as the demo stored them before the
// Online company's quantities reached the shop), so its stock follows the company's items.
func onlineShopSettings(inventory bool) json.RawMessage {
	s := orders.DefaultSettings()
	// The starter company's income account; the Desktop default ("Sales") is not in it.
	s.IncomeAccount = "Sales of Product Income"
	s.Inventory.Enabled = inventory
	b, _ := json.Marshal(s.WithDefaults())
	return b
}
