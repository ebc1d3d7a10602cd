package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
	"github.com/ledgerlink/ledgerlink/server/storehooks"
)

// QBOWebhookPath is where Intuit delivers the app's QuickBooks Online webhooks.
const QBOWebhookPath = jobs.WebhookPath + "qbo"

// qboWebhook is POST /webhooks/qbo: a notification signed with the app's verifier token
// (intuit-signature, Config.QBOWebhookToken) that reports a change that can move stock makes
// every connected company of its realm with a store whose inventory sync is on have its
// inventory read (inventory:detect-qbo, gathered over a few seconds so a burst of
// notifications is one read). It answers at once; the read runs on a worker. An unsigned,
// forged or altered body is refused (401) and logged without its content; a body over
// storehooks.MaxBody gets 413.
func (a *App) qboWebhook(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, storehooks.MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			storehooks.Answer(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The webhook body is larger than %d bytes.", storehooks.MaxBody))
			return
		}
		storehooks.Answer(w, http.StatusBadRequest, "The webhook body could not be read.")
		return
	}
	if !qbo.VerifyWebhook(body, r.Header.Get(qbo.SignatureHeader), a.Config.QBOWebhookToken) {
		why := "signature does not match the body (forged, altered, or signed with another app's verifier token)"
		switch {
		case a.Config.QBOWebhookToken == "":
			why = "no verifier token is configured (LEDGERLINK_QBO_WEBHOOK_TOKEN)"
		case r.Header.Get(qbo.SignatureHeader) == "":
			why = "no intuit-signature header"
		}
		a.Log.WarnContext(ctx, "webhook: QuickBooks Online notification refused", "why", why, "remote", r.RemoteAddr, "bytes", len(body))
		storehooks.Answer(w, http.StatusUnauthorized, "The QuickBooks Online notification is refused: "+why+".")
		return
	}
	notes, err := qbo.ParseWebhook(body)
	if err != nil {
		storehooks.Answer(w, http.StatusBadRequest, err.Error())
		return
	}
	for _, n := range notes {
		if !n.MovesStock() {
			continue
		}
		companies, err := a.DB.QBOCompaniesWithInventorySyncOfRealm(ctx, n.RealmID)
		if err == nil {
			for _, c := range companies {
				if err = jobs.EnqueueInventoryDetectOnline(ctx, a.tasks,
					jobs.InventoryDetectOnlinePayload{AccountID: c.AccountID, QBOConnectionID: c.QBOConnectionID}); err != nil {
					break
				}
			}
		}
		if err != nil {
			// Intuit delivers again later; the schedule reads the company meanwhile anyway.
			a.Log.ErrorContext(ctx, "webhook: QuickBooks Online notification not queued", "realm", n.RealmID, "err", err)
			storehooks.Answer(w, http.StatusServiceUnavailable, "The notification could not be queued; deliver it again later.")
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}
