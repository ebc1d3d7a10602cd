package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/server"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// openRunApp opens what `ledgerlink run` serves, in demo mode or not, with email as the demo
// user's; the App closes when the test ends.
func openRunApp(t *testing.T, demoMode bool, email string) (*server.App, *server.Config) {
	t.Helper()
	cfg := &server.Config{DatabaseURL: dbtest.DatabaseURL(t), RedisURL: dbtest.RedisURL(t), Addr: "127.0.0.1:0",
		PublicURL: "http://127.0.0.1", Concurrency: 1, SecretKey: strings.Repeat("k", 32), Demo: demoMode,
		DemoEmail: email, DemoPassword: "ledgerlink-demo", DemoQBWCUser: "qbwc-" + email, DemoQBWCPassword: "ledgerlink-demo-qbwc",
		DemoSimEvery: time.Minute, DemoCompanyFile: filepath.Join(t.TempDir(), "demo-company.json")} // the simulated companies' files: not in the source tree
	app, err := openRun(context.Background(), slog.New(slog.DiscardHandler), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	return app, cfg
}

// simStores asks the ShipStation simulator's route for its stores with the simulator's fixed
// credentials and reports whether the simulator answered.
func simStores(t *testing.T, app *server.App) bool {
	return simStoresAs(t, app, "ShipStation", "Rocks")
}

// simStoresAs is simStores with the API key and secret given.
func simStoresAs(t *testing.T, app *server.App, key, secret string) bool {
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/sim/shipstation/stores", nil)
	req.SetBasicAuth(key, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") &&
		strings.Contains(string(body), "storeId")
}

// A production `ledgerlink run` (no LEDGERLINK_DEMO, no -demo) serves no simulators with fixed
// credentials and creates no demo account.
func TestRunWithoutDemoModeHasNoSimulatorsNorDemoAccount(t *testing.T) {
	app, cfg := openRunApp(t, false, "nodemo@ledgerlink.local")
	if simStores(t, app) {
		t.Fatal("/sim/shipstation answered outside demo mode")
	}
	if _, err := app.DB.GetUserByEmail(context.Background(), cfg.DemoEmail); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("demo user outside demo mode: err = %v, want not found", err)
	}
	if len(app.DemoStores) != 0 {
		t.Fatalf("the Add store wizard is offered demo stores outside demo mode: %+v", app.DemoStores)
	}
}

// Demo mode seeds the demo account and serves the simulated stores.
func TestRunInDemoModeSeedsAndServesSimulators(t *testing.T) {
	app, cfg := openRunApp(t, true, "demo-mode@ledgerlink.local")
	if !simStores(t, app) {
		t.Fatal("/sim/shipstation did not answer in demo mode")
	}
	if _, err := app.DB.GetUserByEmail(context.Background(), cfg.DemoEmail); err != nil {
		t.Fatalf("demo user in demo mode: %v", err)
	}
	// The Add store wizard offers the three simulated stores, at this server's /sim/, with
	// credentials the simulators accept.
	var channels []string
	for _, p := range app.DemoStores {
		channels = append(channels, p.Channel)
		if p.BaseURL != "http://"+cfg.Addr+"/sim/"+p.Channel {
			t.Errorf("%s preset at %s", p.Channel, p.BaseURL)
		}
		if p.Channel == "shipstation" && !simStoresAs(t, app, p.Credentials.APIKey, p.Credentials.APISecret) {
			t.Errorf("the simulated ShipStation refused its preset's credentials")
		}
	}
	if strings.Join(channels, " ") != "shopify woocommerce shipstation" {
		t.Errorf("demo presets: %v, want shopify woocommerce shipstation", channels)
	}
}
