package demo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstation"
)

// Simulated stores of the demo, served by `ledgerlink run` under /sim/<channel>/ so a newcomer
// sees orders flow without any real account. Their credentials are the simulators' defaults.
const (
	simShipStationKey    = "ShipStation"
	simShipStationSecret = "Rocks"
	// DemoOrders is how many orders each simulated store starts with.
	DemoOrders = 40
)

// Simulators returns the demo's simulated stores as handlers to mount at /sim/<name>/, their
// data generated from a fixed seed (a restart serves the same orders, which Ledgerlink then
// recognises and does not pull twice).
func Simulators(publicURL string) map[string]http.Handler {
	ss := shipstation.New(shipstation.Options{APIKey: simShipStationKey, APISecret: simShipStationSecret, Seed: 2026})
	ss.SetBaseURL(publicURL + "/sim/shipstation")
	ss.Generate(DemoOrders, 2026)
	return map[string]http.Handler{"shipstation": ss}
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
	for _, c := range existing.Items {
		if c.Channel == "shipstation" && c.Name == "Demo ShipStation (simulated)" {
			return nil
		}
	}
	creds, _ := json.Marshal(ordersync.Credentials{APIKey: simShipStationKey, APISecret: simShipStationSecret})
	c := &db.StoreConnection{AccountID: accountID, Channel: "shipstation", Name: "Demo ShipStation (simulated)",
		BaseURL: o.PublicURL + "/sim/shipstation", QBDConnectionID: &qc.ID, Enabled: true, SyncEveryMinutes: 5,
		Settings: ordersync.DefaultSettingsJSON()}
	return d.CreateStoreConnection(ctx, c, o.Sealer, creds)
}
