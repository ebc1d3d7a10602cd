package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// MonitoringPath is where asynqmon is mounted.
const MonitoringPath = "/monitoring"

// monitoringHandler mounts asynqmon for support staff only: anonymous callers get 401, any
// other role 403. asynqmon's own API writes (retry, delete) have no CSRF token, so writes must
// come from our own origin.
func monitoringHandler(authn *auth.Service, redisOpt asynq.RedisConnOpt) http.Handler {
	mon := asynqmon.New(asynqmon.Options{RootPath: MonitoringPath, RedisConnOpt: redisOpt})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := authn.Authenticate(r)
		switch {
		case errors.Is(err, auth.ErrNoCredentials), errors.Is(err, auth.ErrInvalidCredentials):
			http.Error(w, "Sign in as Ledgerlink support to open the job monitor.", http.StatusUnauthorized)
			return
		case err != nil:
			http.Error(w, "Forbidden.", http.StatusForbidden)
			return
		}
		if id.Role != db.RoleSupport || id.Method != auth.MethodSession {
			http.Error(w, "The job monitor is for Ledgerlink support staff only.", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(r) {
			http.Error(w, "Cross-origin request refused.", http.StatusForbidden)
			return
		}
		mon.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether the request's Origin (or Referer) names this host.
func sameOrigin(r *http.Request) bool {
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	u, err := url.Parse(src)
	return err == nil && src != "" && u.Host == r.Host
}
