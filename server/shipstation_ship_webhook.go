package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shipback"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// ShipNotifyRoute is ShipStation's SHIP_NOTIFY webhook: POST /webhooks/shipstation-ship/<token>,
// one unguessable token per ShipStation connection (jobs/shipback registers it).
const ShipNotifyRoute = "POST " + shipback.WebhookPath + "{token}"

// maxShipNotifyBody bounds a delivery: ShipStation's is {"resource_url": …, "resource_type": …}.
const maxShipNotifyBody = 16 << 10

// newShipBack builds the process's shipments-back service on the engine.
func (a *App) newShipBack() *shipback.Service {
	s := &shipback.Service{DB: a.DB, Engine: a.engine, Log: a.Log, Sealer: a.Sealer, PublicURL: a.Config.PublicURL,
		Client: func(sc *db.StoreConnection) (*shipstation.Client, error) {
			if a.Sealer == nil {
				return nil, errors.New("LEDGERLINK_SECRET_KEY is not set, so store credentials cannot be read")
			}
			creds, err := ordersync.OpenCredentials(sc.Credentials, func(b []byte) ([]byte, error) {
				return a.Sealer.Open(b, db.CredentialsAAD(sc.ID))
			})
			if err != nil {
				return nil, err
			}
			return shipstation.New(shipstation.Config{BaseURL: sc.BaseURL, APIKey: creds.APIKey, APISecret: creds.APISecret,
				HTTPClient: storenet.HTTPClient(), Logger: a.Log})
		}}
	s.Register(a.engine)
	return s
}

// shipNotify answers a SHIP_NOTIFY delivery fast: it finds the connection by the token (404 for
// an unknown one), refuses a resource_url off the connection's ShipStation host (422, logged
// for the merchant), queues the reading of the resource for a worker and answers 200. Nothing
// of ShipStation is fetched here.
func (a *App) shipNotify(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if len(token) < 32 || len(token) > 128 {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxShipNotifyBody))
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	ctx := r.Context()
	st, err := a.DB.ShipBackStateByToken(ctx, shipback.HashToken(token), time.Now())
	if errors.Is(err, db.ErrNotFound) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		a.Log.ErrorContext(ctx, "ship notify: find connection", "err", err)
		http.Error(w, "try again later", http.StatusServiceUnavailable)
		return
	}
	var n shipstation.Notification
	if err := json.Unmarshal(body, &n); err != nil || n.ResourceURL == "" {
		http.Error(w, "expected {\"resource_url\": …, \"resource_type\": \"SHIP_NOTIFY\"}", http.StatusBadRequest)
		return
	}
	if n.ResourceType != shipstation.EventShipNotify {
		w.WriteHeader(http.StatusOK) // not an event this URL was subscribed to: nothing to do
		return
	}
	sc, err := a.DB.GetStoreConnection(ctx, st.AccountID, st.StoreConnectionID)
	if err != nil {
		a.Log.ErrorContext(ctx, "ship notify: store connection", "err", err)
		http.Error(w, "try again later", http.StatusServiceUnavailable)
		return
	}
	if err := a.ShipBack.CheckResource(ctx, sc, n.ResourceURL); err != nil {
		http.Error(w, "resource_url is not on this connection's ShipStation host", http.StatusUnprocessableEntity)
		return
	}
	if err := jobs.EnqueueShipNotify(ctx, a.tasks, jobs.ShipBackPayload{AccountID: st.AccountID,
		StoreConnectionID: st.StoreConnectionID, ResourceURL: n.ResourceURL}); err != nil {
		a.Log.ErrorContext(ctx, "ship notify: enqueue", "err", err)
		http.Error(w, "try again later", http.StatusServiceUnavailable) // ShipStation retries
		return
	}
	w.WriteHeader(http.StatusOK)
}
