package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Finding 11 (issue 11): responses carried no CSP and no HSTS. Every route now carries a CSP
// that denies framing, nosniff, a same-origin referrer policy and, behind an https public URL,
// HSTS. (The Chromium e2e checks that the built SPA runs under the CSP without violations.)
func TestSecurityHeaders(t *testing.T) {
	app, srv := newTestApp(t)
	check := func(base string, https bool) {
		t.Helper()
		for _, rt := range []struct{ method, path, csp string }{
			{http.MethodGet, "/", ContentSecurityPolicy},
			{http.MethodGet, "/orders/12", ContentSecurityPolicy},
			{http.MethodGet, "/healthz", ContentSecurityPolicy},
			{http.MethodGet, "/auth/session", ContentSecurityPolicy},
			{http.MethodPost, "/graphql", ContentSecurityPolicy},
			{http.MethodGet, "/qbwc/support", supportPageCSP},
			{http.MethodGet, SimQBOConsentPath, simConsentCSP},
			{http.MethodGet, MonitoringPath + "/", monitoringCSP},
		} {
			req, _ := http.NewRequest(rt.method, base+rt.path, strings.NewReader(`{}`))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			h := resp.Header
			if h.Get("Content-Security-Policy") != rt.csp || !strings.Contains(rt.csp, "frame-ancestors 'none'") ||
				h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" ||
				h.Get("Referrer-Policy") != "same-origin" {
				t.Errorf("%s %s: headers %v", rt.method, rt.path, h)
			}
			if hsts := h.Get("Strict-Transport-Security"); (hsts == "max-age=31536000") != https {
				t.Errorf("%s %s (https %v): Strict-Transport-Security %q", rt.method, rt.path, https, hsts)
			}
		}
	}
	check(srv.URL, false)

	app.Config.PublicURL = "https://ledgerlink.example"
	secure := httptest.NewServer(app.Handler())
	t.Cleanup(secure.Close)
	check(secure.URL, true)
}
