package ssexport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// ClientFor returns the Exporter.Client of a process: the connection's credentials opened
// with sealer, HTTP through storenet (the one outbound path to store APIs).
func ClientFor(sealer *db.Sealer) func(ctx context.Context, sc *db.StoreConnection) (*shipstation.Client, error) {
	return func(_ context.Context, sc *db.StoreConnection) (*shipstation.Client, error) {
		if sealer == nil {
			return nil, errors.New("ssexport: no SECRET_KEY: ShipStation credentials cannot be opened")
		}
		if sc.Channel != "shipstation" {
			return nil, fmt.Errorf("ssexport: %s is a %s connection, not ShipStation", sc.Name, sc.Channel)
		}
		plain, err := sealer.Open(sc.Credentials, db.CredentialsAAD(sc.ID))
		if err != nil {
			return nil, fmt.Errorf("ssexport: credentials of %s: %w", sc.Name, err)
		}
		var creds ordersync.Credentials
		if err := json.Unmarshal(plain, &creds); err != nil {
			return nil, fmt.Errorf("ssexport: credentials of %s: %w", sc.Name, err)
		}
		return shipstation.New(shipstation.Config{BaseURL: sc.BaseURL, APIKey: creds.APIKey, APISecret: creds.APISecret, HTTPClient: storenet.HTTPClient()})
	}
}
