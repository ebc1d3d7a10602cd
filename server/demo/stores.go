package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
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
	ss := shipstationsim.New(shipstationsim.Options{APIKey: simShipStationKey, APISecret: simShipStationSecret, Seed: 2026, WebhookClient: hooks})
	ss.SetBaseURL(publicURL + "/sim/shipstation")
	ss.Generate(DemoOrders, 2026)
	sh := shopifysim.New(shopifysim.Options{AccessToken: simShopifyToken, Seed: 2026, WebhookClient: hooks})
	sh.Generate(DemoOrders, 2026)
	wc := woosim.New(woosim.Options{ConsumerKey: simWooKey, ConsumerSecret: simWooSecret, Seed: 2026, HTTPClient: hooks})
	if _, err := wc.Generate(DemoOrders, 2026); err != nil {
		panic("demo: woocommerce simulator: " + err.Error()) // generated from a fixed seed: cannot fail at run time
	}
	return map[string]http.Handler{"shipstation": ss, "shopify": sh, "woocommerce": wc}
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
	{"shopify", "Demo Shopify (simulated)", ordersync.Credentials{AccessToken: simShopifyToken}},
	{"woocommerce", "Demo WooCommerce (simulated)", ordersync.Credentials{ConsumerKey: simWooKey, ConsumerSecret: simWooSecret}},
	{"shipstation", "Demo ShipStation (simulated)", ordersync.Credentials{APIKey: simShipStationKey, APISecret: simShipStationSecret}},
}

// StoreOptions wires the demo account's store connections to the simulators at publicURL.
type StoreOptions struct {
	PublicURL string
	Sealer    *db.Sealer
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
	have := map[string]bool{}
	for _, c := range existing.Items {
		have[c.Name] = true
	}
	for _, ds := range demoStores {
		if have[ds.name] {
			continue
		}
		creds, _ := json.Marshal(ds.creds)
		c := &db.StoreConnection{AccountID: accountID, Channel: ds.channel, Name: ds.name,
			BaseURL: o.PublicURL + "/sim/" + ds.channel, QBDConnectionID: &qc.ID, Enabled: true, SyncEveryMinutes: 5,
			Settings: ordersync.DefaultSettingsJSON()}
		if err := d.CreateStoreConnection(ctx, c, o.Sealer, creds); err != nil {
			return err
		}
	}
	return nil
}
