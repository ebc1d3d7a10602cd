package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shopifysim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/woosim"
)

// Simulated stores of the demo, served by `ledgerlink run` in demo mode under /sim/<channel>/ so a newcomer
// sees orders flow without any real account. Their credentials are the simulators' defaults.
const (
	simShipStationKey    = "ShipStation"
	simShipStationSecret = "Rocks"
	simShopifyToken      = "shpat_ledgerlink_demo"
	simShopifyAppSecret  = "shpss_ledgerlink_demo"
	simWooKey            = "ck_ledgerlink_demo"
	simWooSecret         = "cs_ledgerlink_demo"
	// DemoOrders is how many orders each simulated store starts with.
	DemoOrders = 40
)

// Simulators returns the demo's simulated stores as handlers to mount at /sim/<name>/, their
// data generated from a fixed seed (a restart serves the same orders, which Ledgerlink then
// recognises and does not pull twice).
//
// Their webhooks go only to publicURL's own host: a subscription naming any other address is
// accepted (as the real platforms do) but its deliveries fail, so the simulators cannot be used
// to make this server send requests elsewhere.
func Simulators(publicURL string) map[string]http.Handler {
	hooks := selfOnlyClient(publicURL)
	ss := shipstationsim.New(shipstationsim.Options{APIKey: simShipStationKey, APISecret: simShipStationSecret, Seed: 2026, WebhookClient: hooks,
		AutoShipAfter: 3 * time.Minute}) // its warehouse ships orders sent from QuickBooks after a few minutes
	ss.SetBaseURL(publicURL + "/sim/shipstation")
	ss.Generate(DemoOrders, 2026)
	sh := shopifysim.New(shopifysim.Options{AccessToken: simShopifyToken, AppSecret: simShopifyAppSecret, Seed: 2026, WebhookClient: hooks})
	sh.Generate(DemoOrders, 2026)
	wc := woosim.New(woosim.Options{ConsumerKey: simWooKey, ConsumerSecret: simWooSecret, Seed: 2026, HTTPClient: hooks})
	if _, err := wc.Generate(DemoOrders, 2026); err != nil {
		panic("demo: woocommerce simulator: " + err.Error()) // generated from a fixed seed: cannot fail at run time
	}
	if err := addInventoryProducts(sh, wc); err != nil {
		panic("demo: inventory products: " + err.Error()) // fixed products added to fresh simulators: cannot fail at run time
	}
	return map[string]http.Handler{"shipstation": ss, "shopify": sh, "woocommerce": wc}
}

// DemoShopifyMissingSKU is the simulated QuickBooks company's inventory item the demo's
// Shopify shop has no product for, so the Inventory page shows a mismatched SKU and its
// explanation from the first run.
const DemoShopifyMissingSKU = "Gizmo Deluxe"

// addInventoryProducts gives the simulated stores products whose SKUs are the simulated
// QuickBooks company's inventory items (qbdsim's seed: Widget, Gadget, Gizmo Deluxe), stock
// tracked and at 0, so inventory sync has something to set: WooCommerce sells all three, the
// Shopify shop all but DemoShopifyMissingSKU. They are added after the orders are generated,
// so the demo's orders stay the same.
func addInventoryProducts(sh *shopifysim.Server, wc *woosim.Server) error {
	for _, p := range []struct {
		sku   string
		title string
		cents int64
	}{{"Widget", "Standard Widget", 1999}, {"Gadget", "Multi-purpose Gadget", 4900}, {"Gizmo Deluxe", "Gizmo Deluxe with case", 12900}} {
		if p.sku != DemoShopifyMissingSKU {
			_, err := sh.AddProduct(shopifysim.Product{Title: p.title, Vendor: "Ledgerlink Demo Store", ProductType: "Inventory demo",
				Variants: []shopifysim.Variant{{SKU: p.sku, Price: shopifysim.Money(p.cents)}}})
			if err != nil {
				return fmt.Errorf("shopify product %s: %w", p.sku, err)
			}
		}
		zero := 0
		_, err := wc.AddProduct(woosim.Product{Type: "simple", Name: p.title, SKU: p.sku, RegularPrice: fmt.Sprintf("%d.%02d", p.cents/100, p.cents%100),
			ManageStock: true, StockQuantity: &zero})
		if err != nil {
			return fmt.Errorf("woocommerce product %s: %w", p.sku, err)
		}
	}
	return nil
}

// errNotSelf refuses a simulated webhook delivery to anywhere but the app itself.
var errNotSelf = errors.New("demo: simulated stores deliver webhooks only to this server")

// selfOnlyClient is an HTTP client that sends requests (redirects included) only to the host
// of publicURL.
func selfOnlyClient(publicURL string) *http.Client {
	self := ""
	if u, err := url.Parse(publicURL); err == nil {
		self = u.Host
	}
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if self == "" || !strings.EqualFold(r.URL.Host, self) {
				return nil, fmt.Errorf("%w (not %s)", errNotSelf, r.URL.Host)
			}
			return http.DefaultTransport.RoundTrip(r)
		}),
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// demoStores are the demo account's store connections, one per simulator.
var demoStores = []struct {
	channel, name string
	creds         ordersync.Credentials
}{
	{"shopify", "Demo Shopify (simulated)", ordersync.Credentials{AccessToken: simShopifyToken, WebhookSecret: simShopifyAppSecret}},
	{"woocommerce", "Demo WooCommerce (simulated)", ordersync.Credentials{ConsumerKey: simWooKey, ConsumerSecret: simWooSecret}},
	{"shipstation", "Demo ShipStation (simulated)", ordersync.Credentials{APIKey: simShipStationKey, APISecret: simShipStationSecret}},
}

// StorePreset is a simulated store with its credentials, as the Add store wizard offers it in
// demo mode so a newcomer can connect one without reading source code.
type StorePreset struct {
	Channel, Name, BaseURL string
	Credentials            ordersync.Credentials
}

// StorePresets are the demo's simulated stores, served by Simulators under publicURL/sim/.
func StorePresets(publicURL string) []StorePreset {
	out := make([]StorePreset, 0, len(demoStores))
	for _, ds := range demoStores {
		out = append(out, StorePreset{Channel: ds.channel, Name: ds.name, BaseURL: publicURL + "/sim/" + ds.channel, Credentials: ds.creds})
	}
	return out
}

// demoSettings are a demo store connection's settings: the defaults, with inventory sync on
// for the stores that hold stock (Shopify and WooCommerce; ShipStation ships and has none), so
// the simulated QuickBooks company's quantities reach them after the first Web Connector runs.
func demoSettings(channel string) json.RawMessage {
	s := orders.DefaultSettings()
	s.Inventory.Enabled = channel == "shopify" || channel == "woocommerce"
	// The demo company's sales in class ShipStation go to the simulated ShipStation, and what
	// its warehouse ships brings tracking and cost back into them (issue 13).
	ss := channel == "shipstation"
	s.QuickBooksToShipStation.Enabled, s.QuickBooksToShipStation.AddTracking, s.QuickBooksToShipStation.AddShippingCost = ss, ss, ss
	b, _ := json.Marshal(s.WithDefaults())
	return b
}

// enableDemoInventory turns inventory sync on for demo connection c when nobody has chosen for
// it yet: its stored settings have no inventory settings at all (a demo database from before
// inventory sync), or are exactly seededOff, the settings the demo itself stored for c before
// it turned inventory sync on there (nil: the demo never stored c with it off). Settings saved
// since with anything changed are a choice and left alone.
func enableDemoInventory(ctx context.Context, d *db.DB, c *db.StoreConnection, seededOff json.RawMessage) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(c.Settings, &raw); err != nil {
		return fmt.Errorf("demo: settings of %s: %w", c.Name, err)
	}
	if c.Channel != "shopify" && c.Channel != "woocommerce" {
		return nil
	}
	if _, chosen := raw["inventory"]; chosen && (seededOff == nil || !asSeeded(c.Settings, seededOff)) {
		return nil
	}
	var s orders.Settings
	if err := json.Unmarshal(c.Settings, &s); err != nil {
		return fmt.Errorf("demo: settings of %s: %w", c.Name, err)
	}
	s.Inventory.Enabled = true
	b, err := json.Marshal(s.WithDefaults())
	if err != nil {
		return fmt.Errorf("demo: settings of %s: %w", c.Name, err)
	}
	c.Settings = b
	return d.UpdateStoreConnection(ctx, c, "settings")
}

// asSeeded reports whether stored settings are seeded's, once both are read as settings with
// their defaults (older stored settings may lack fields added since).
func asSeeded(stored, seeded json.RawMessage) bool {
	norm := func(b json.RawMessage) []byte {
		var s orders.Settings
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		out, _ := json.Marshal(s.WithDefaults())
		return out
	}
	a := norm(stored)
	return a != nil && bytes.Equal(a, norm(seeded))
}

// StoreOptions wires the demo account's store connections to the simulators at publicURL.
type StoreOptions struct {
	PublicURL string
	Sealer    *db.Sealer
	// QBO, when set, is the demo's simulated QuickBooks Online company (SimulatedQBO): the demo
	// account gets it connected and the Online shop (OnlineShop) posting to it.
	QBO *qbosim.Server
}

// seedStores makes sure the demo account has a connection to each simulated store, posting
// to its simulated QuickBooks Desktop company.
func seedStores(ctx context.Context, d *db.DB, accountID int64, qbdUsername string, o StoreOptions) error {
	if o.Sealer == nil {
		return errors.New("demo: the simulated stores need LEDGERLINK_SECRET_KEY")
	}
	qc, err := d.GetQBDConnectionByUsername(ctx, qbdUsername)
	if err != nil {
		return err
	}
	existing, err := d.ListStoreConnections(ctx, accountID, db.Page{Limit: db.MaxPageSize})
	if err != nil {
		return err
	}
	have := map[string]*db.StoreConnection{}
	for i := range existing.Items {
		have[existing.Items[i].Name] = &existing.Items[i]
	}
	for _, ds := range demoStores {
		if c := have[ds.name]; c != nil {
			// A demo database from before inventory sync existed: turn it on where nobody
			// has chosen yet (no inventory settings stored), never over a choice made since.
			if err := enableDemoInventory(ctx, d, c, nil); err != nil {
				return err
			}
			continue
		}
		creds, _ := json.Marshal(ds.creds)
		c := &db.StoreConnection{AccountID: accountID, Channel: ds.channel, Name: ds.name,
			BaseURL: o.PublicURL + "/sim/" + ds.channel, QBDConnectionID: &qc.ID, Enabled: true, SyncEveryMinutes: 5,
			Settings: demoSettings(ds.channel)}
		if err := d.CreateStoreConnection(ctx, c, o.Sealer, creds); err != nil {
			return err
		}
	}
	if o.QBO != nil {
		return seedOnline(ctx, d, accountID, o)
	}
	return nil
}
