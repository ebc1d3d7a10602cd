package shipback_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/jobstest"
	"github.com/ledgerlink/ledgerlink/jobs/shipback"
)

// duringShipments makes r's polls run during, once, while the first GET /shipments is on the
// wire.
func (r *rig) duringShipments(during func()) {
	r.svc.Client = jobstest.ShipStationClientDuring(func(req *http.Request) bool {
		return req.Method == http.MethodGet && strings.EqualFold(req.URL.Path, "/shipments")
	}, during)
}

func (r *rig) state() *db.ShipBackState {
	r.t.Helper()
	st, err := r.d.GetShipBackState(context.Background(), r.sc.AccountID, r.sc.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

// A SHIP_NOTIFY delivery that arrives while a poll reads ShipStation stays recorded: the poll
// does not write back the state as it read it (which showed "no delivery yet" again).
func TestDeliveryDuringPollStaysRecorded(t *testing.T) {
	t.Parallel()
	r := newRig(t, both)
	r.svc.PublicURL = "https://ledgerlink.example"
	r.poll() // registers the webhook
	st := r.state()
	if st.WebhookID == nil || st.LastWebhookAt != nil {
		t.Fatalf("after the first poll: webhook %v, last delivery %v; want a webhook, no delivery", st.WebhookID, st.LastWebhookAt)
	}
	at := time.Now().UTC().Truncate(time.Second)
	r.duringShipments(func() {
		// What the SHIP_NOTIFY route does with a delivery to the connection's address.
		if _, err := r.d.ShipBackStateByToken(context.Background(), st.TokenHash, at); err != nil {
			t.Error(err)
		}
	})
	r.poll()
	if got := r.state().LastWebhookAt; got == nil || !got.Equal(at) {
		t.Errorf("last delivery %v after the poll, want %v", got, at)
	}
}

// A poll that starts while another is reading ShipStation (a slow first poll outlasting the
// schedule's uniqueness) does not subscribe a second webhook: ShipStation ends with one
// SHIP_NOTIFY subscription, the one whose address and id Ledgerlink keeps. (Before, each poll
// made its own token and subscribed it, and the last to save forgot the other's: a webhook left
// at ShipStation delivering to an address that answers 404, never unsubscribed.)
func TestOverlappingPollsSubscribeOneWebhook(t *testing.T) {
	t.Parallel()
	r := newRig(t, both)
	r.svc.PublicURL = "https://ledgerlink.example"
	r.duringShipments(func() {
		if _, err := r.svc.Poll(context.Background(), r.sc.AccountID, r.sc.ID); err != nil && !errors.Is(err, shipback.ErrPollBusy) {
			t.Error(err)
		}
	})
	r.poll()
	c, err := r.svc.Client(r.sc)
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := c.Webhooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st := r.state()
	if len(hooks) != 1 || st.WebhookID == nil || hooks[0].ID != *st.WebhookID {
		t.Fatalf("ShipStation holds %+v, Ledgerlink keeps webhook %v: want one, that one", hooks, st.WebhookID)
	}
	if st.Watermark == nil {
		t.Errorf("no watermark after the polls")
	}
}
