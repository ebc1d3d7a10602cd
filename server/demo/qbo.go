package demo

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
	"github.com/ledgerlink/ledgerlink/server"
)

// The demo's simulated Intuit: its app keys are fixed and public (they open nothing but the
// simulator), and it is served by `ledgerlink run` in demo mode under SimQBOPath.
const (
	SimQBOClientID     = "ABledgerlinkDemoQBOClientID"
	SimQBOClientSecret = "ledgerlink-demo-qbo-secret"
	SimQBOPath         = "/sim/qbo" // its consent page is server.SimQBOConsentPath
)

// SimulatedQBO opens the demo's simulated QuickBooks Online company (Intuit's sign-in and token
// endpoints plus the Accounting API, its data kept in file) and points cfg's QuickBooks Online
// settings at it — the consent page at the public URL the browser reaches, the token, revoke
// and API calls at this server's own address — so the demo account can connect it from the
// Connections page. Mount the result under SimQBOPath. When the operator set
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
	return sim, nil
}
