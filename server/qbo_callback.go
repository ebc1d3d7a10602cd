package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// qboCallback is where Intuit sends the merchant's browser back from "Connect to QuickBooks":
// the state must be one this browser's session started (qbo.FinishConnect); the browser then
// goes to the SPA's Connections page with the outcome — ?qbo=connected&qboId=…, or
// ?qbo_error=denied|state|exchange|realm|setup — which the page explains in plain words.
func (a *App) qboCallback(w http.ResponseWriter, r *http.Request) {
	q := url.Values{}
	var sessionID int64
	if id, err := a.Auth.Authenticate(r); err == nil && id.Method == auth.MethodSession {
		sessionID = id.SessionID
	}
	var ce *qbo.ConnectError
	switch c, err := a.finishQBO(r, sessionID); {
	case err == nil:
		q.Set("qbo", "connected")
		q.Set("qboId", strconv.FormatInt(c, 10))
	case errors.As(err, &ce):
		a.Log.InfoContext(r.Context(), "qbo: connection refused", "reason", ce.Code, "err", err)
		q.Set("qbo_error", ce.Code)
	case errors.Is(err, qbo.ErrNotConfigured):
		q.Set("qbo_error", "setup")
	default:
		a.Log.ErrorContext(r.Context(), "qbo: callback", "err", err)
		q.Set("qbo_error", "internal")
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "/connections?"+q.Encode(), http.StatusSeeOther)
}

func (a *App) finishQBO(r *http.Request, sessionID int64) (int64, error) {
	if a.QBO == nil || !a.QBO.Config.Configured() {
		return 0, qbo.ErrNotConfigured
	}
	c, err := a.QBO.FinishConnect(r.Context(), sessionID, r.URL.Query())
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}
