package server

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Content-Security-Policy values. The SPA loads only its own bundle (Vite emits no inline
// script or style; React sets styles through the DOM, which CSP allows), its API and data: icons.
// The two third-party UIs need more: asynqmon (support only) has inline bootstrap scripts, JSS
// styles and Google Fonts; GraphiQL (dev mode only) comes from jsDelivr.
const (
	ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	monitoringCSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; " +
		"img-src 'self' data:; font-src 'self' https://fonts.gstatic.com; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
		"form-action 'self'; frame-ancestors 'none'"
	// The Web Connector's help page is static HTML styled by one style attribute.
	supportPageCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	// The demo's simulated Intuit sign-in page (demo mode's /sim/qbo/, jobs/sim/qbosim) has an
	// inline stylesheet and posts its form back to itself, as Intuit's own page would on its site.
	simConsentCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	playgroundCSP = "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; " +
		"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://cdn.jsdelivr.net; " +
		"font-src 'self' data: https://cdn.jsdelivr.net; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

// SimQBOConsentPath is the simulated Intuit consent page where demo mode serves it (server/demo).
const SimQBOConsentPath = "/sim/qbo/connect/oauth2"

// securityHeaders sets the headers every response should carry: a CSP that denies framing,
// no MIME sniffing, no referrer to other sites and, when the public URL is https, HSTS.
func securityHeaders(next http.Handler, https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		csp := ContentSecurityPolicy
		switch {
		case strings.HasPrefix(r.URL.Path, MonitoringPath+"/"):
			csp = monitoringCSP
		case r.URL.Path == "/graphql" && r.Method == http.MethodGet:
			csp = playgroundCSP
		case r.URL.Path == "/qbwc/support":
			csp = supportPageCSP
		case r.URL.Path == SimQBOConsentPath:
			csp = simConsentCSP
		}
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin") // /monitoring/ checks same-origin writes by Referer
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs method, path, status and duration. Headers and bodies are never logged:
// they carry cookies, API keys and Web Connector passwords.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		lvl := slog.LevelDebug
		if rec.status >= 500 {
			lvl = slog.LevelWarn
		}
		log.Log(r.Context(), lvl, "http", "method", r.Method, "path", logPath(r.URL.Path), "status", rec.status, "took", time.Since(start))
	})
}
