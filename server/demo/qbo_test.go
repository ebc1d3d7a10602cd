package demo

import (
	"path/filepath"
	"testing"

	"github.com/ledgerlink/ledgerlink/server"
)

// TestSimulatedQBO: in demo mode QuickBooks Online is the simulator under /sim/qbo — the
// browser goes to the public address, the server's own calls to its listen address — unless a
// real Intuit app is configured.
func TestSimulatedQBO(t *testing.T) {
	cfg := &server.Config{Addr: "127.0.0.1:8080", PublicURL: "http://demo.example:8080"}
	sim, err := SimulatedQBO(cfg, filepath.Join(t.TempDir(), "qbo.json"))
	if err != nil || sim == nil {
		t.Fatal(err)
	}
	q := cfg.QBO()
	if !q.Configured() || q.AuthURL != "http://demo.example:8080/sim/qbo/connect/oauth2" ||
		q.TokenURL != "http://127.0.0.1:8080/sim/qbo/oauth2/v1/tokens/bearer" || q.RevokeURL != "http://127.0.0.1:8080/sim/qbo/oauth2/v1/tokens/revoke" ||
		q.APIURL != "http://127.0.0.1:8080/sim/qbo" || q.RedirectURL != "http://demo.example:8080/qbo/callback" {
		t.Fatalf("demo QuickBooks Online settings %+v", q)
	}
	real := &server.Config{Addr: "127.0.0.1:8080", PublicURL: "https://books.example", QBOClientID: "ABreal", QBOClientSecret: "s",
		QBOAuthURL: "https://appcenter.intuit.com/connect/oauth2"}
	if sim, err := SimulatedQBO(real, filepath.Join(t.TempDir(), "qbo.json")); sim != nil || err != nil || real.QBOAuthURL != "https://appcenter.intuit.com/connect/oauth2" {
		t.Fatalf("a configured Intuit app was replaced: %v %v %+v", sim, err, real)
	}
}
