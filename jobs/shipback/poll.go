package shipback

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

const (
	// Overlap is how far before the watermark each poll reads again: ShipStation filters whole
	// seconds in Pacific time, and a label bought while the last poll ran may carry a
	// createDate before that poll's start.
	Overlap = 10 * time.Minute
	// FirstLookBack is how far back the first poll of a connection reads.
	FirstLookBack = 14 * 24 * time.Hour
	// WebhookPath is where ShipStation delivers SHIP_NOTIFY: WebhookPath + <token>.
	WebhookPath = "/webhooks/shipstation-ship/"
)

// ErrPollBusy: another poll of the connection is under way (it reads what this one would).
var ErrPollBusy = errors.New("shipback: another poll of this connection is under way")

// Poll is the safety net behind the webhook: it reads the shipments and fulfillments of store
// connection id created since its watermark (minus Overlap), ingests them, moves the
// watermark to the poll's start, and makes sure ShipStation has the SHIP_NOTIFY subscription.
// A connection whose direction is off is left alone (its webhook, if any, unsubscribed).
// ShipStation's 40 requests a minute are the client's to respect: it waits for the window.
// Polls of a connection run one at a time (each writes the state it read before its calls,
// and makes a webhook token when it finds none): one finding another under way does nothing
// and returns ErrPollBusy.
func (s *Service) Poll(ctx context.Context, accountID, storeConnectionID int64) (Summary, error) {
	var sum Summary
	var err error
	got, lerr := s.DB.WithShipBackPollLock(ctx, storeConnectionID, func(ctx context.Context) error {
		sum, err = s.poll(ctx, accountID, storeConnectionID)
		return nil
	})
	switch {
	case lerr != nil:
		return sum, errors.Join(err, fmt.Errorf("shipback: poll %d: %w", storeConnectionID, lerr))
	case !got:
		return sum, ErrPollBusy
	}
	return sum, err
}

func (s *Service) poll(ctx context.Context, accountID, storeConnectionID int64) (Summary, error) {
	var sum Summary
	sc, err := s.DB.GetStoreConnection(ctx, accountID, storeConnectionID)
	if err != nil {
		return sum, fmt.Errorf("shipback: poll: %w", err)
	}
	st, err := s.DB.GetShipBackState(ctx, accountID, storeConnectionID)
	if err != nil {
		return sum, err
	}
	set, err := Settings(sc)
	if err != nil {
		return sum, err
	}
	start := s.now()
	on, why := On(sc, set)
	if !on {
		if sc.Channel == "shipstation" {
			st.LastPollAt, st.LastPollError = &start, "Not polled: "+why+"."
			if st.WebhookID != nil {
				s.unsubscribe(ctx, sc, st)
			}
			return sum, s.DB.SaveShipBackState(ctx, st)
		}
		return sum, nil
	}
	c, err := s.Client(sc)
	if err != nil {
		return sum, fmt.Errorf("shipback: poll %d: %w", sc.ID, err)
	}
	since := start.Add(-FirstLookBack)
	if st.Watermark != nil {
		since = st.Watermark.Add(-Overlap)
	}
	ships, err := c.Shipments(ctx, since)
	var fuls []shipstation.Fulfillment
	if err == nil {
		fuls, err = c.Fulfillments(ctx, since)
	}
	if err == nil {
		sum, err = s.Ingest(ctx, sc, ships, fuls)
	}
	st.LastPollAt = &start
	if err != nil {
		st.LastPollError = err.Error()
		if serr := s.DB.SaveShipBackState(ctx, st); serr != nil {
			return sum, errors.Join(err, serr)
		}
		return sum, fmt.Errorf("shipback: poll %d: %w", sc.ID, err)
	}
	st.Watermark, st.LastPollError = &start, ""
	s.ensureWebhook(ctx, sc, st, c)
	return sum, s.DB.SaveShipBackState(ctx, st)
}

// Notified handles one SHIP_NOTIFY delivery for store connection storeConnectionID: it reads
// the shipments of the resource_url (only on the connection's ShipStation host) and ingests
// them. A resource_url elsewhere is refused with shipstation.ErrForeignResource and logged.
func (s *Service) Notified(ctx context.Context, accountID, storeConnectionID int64, resourceURL string) (Summary, error) {
	sc, err := s.DB.GetStoreConnection(ctx, accountID, storeConnectionID)
	if err != nil {
		return Summary{}, fmt.Errorf("shipback: notified: %w", err)
	}
	c, err := s.Client(sc)
	if err != nil {
		return Summary{}, fmt.Errorf("shipback: notified %d: %w", sc.ID, err)
	}
	ships, err := c.ResourceShipments(ctx, resourceURL)
	if errors.Is(err, shipstation.ErrForeignResource) {
		s.refused(ctx, sc, resourceURL)
		return Summary{}, err
	} else if err != nil {
		return Summary{}, fmt.Errorf("shipback: notified %d: %w", sc.ID, err)
	}
	return s.Ingest(ctx, sc, ships, nil)
}

// CheckResource refuses (shipstation.ErrForeignResource, logged) a resource_url that is not
// on sc's ShipStation host, before anything is queued for it.
func (s *Service) CheckResource(ctx context.Context, sc *db.StoreConnection, resourceURL string) error {
	if err := shipstation.CheckResourceURL(sc.BaseURL, resourceURL); err != nil {
		s.refused(ctx, sc, resourceURL)
		return err
	}
	return nil
}

func (s *Service) refused(ctx context.Context, sc *db.StoreConnection, resourceURL string) {
	host := resourceURL
	if i := strings.Index(host, "?"); i >= 0 {
		host = host[:i] // the query may hold anything; the address is what matters
	}
	if len(host) > 200 {
		host = host[:200]
	}
	msg := "A SHIP_NOTIFY webhook named a resource outside this connection's ShipStation address (" + host + "); it was not fetched."
	hint := "If you did not set up this webhook yourself, someone may know the webhook address: turn the QuickBooks → ShipStation direction off and on again to get a new one."
	s.logger().WarnContext(ctx, "shipback: refused foreign resource_url", "store_connection", sc.ID, "url", host)
	if err := s.DB.AddLog(ctx, &db.SyncLog{AccountID: sc.AccountID, ConnectionID: &sc.ID, Level: db.LevelWarning,
		Source: "shipstation", Message: msg, Hint: &hint}); err != nil {
		s.logger().ErrorContext(ctx, "shipback: write sync log", "err", err)
	}
}

// HashToken is how a webhook token is stored and looked up.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// ensureWebhook subscribes the connection's SHIP_NOTIFY URL unless ShipStation has it. The
// token is made once (32 random bytes), stored hashed to find deliveries and sealed to
// subscribe the same URL again. Failures are kept on the state for the merchant to see;
// polling goes on regardless.
func (s *Service) ensureWebhook(ctx context.Context, sc *db.StoreConnection, st *db.ShipBackState, c *shipstation.Client) {
	if s.PublicURL == "" || s.Sealer == nil {
		return
	}
	var token string
	if len(st.TokenSealed) > 0 {
		b, err := s.Sealer.Open(st.TokenSealed, db.ShipBackStateAAD(sc.ID))
		if err != nil {
			st.WebhookError = "The stored webhook address cannot be read (was LEDGERLINK_SECRET_KEY changed?); a new one is made."
		} else {
			token = string(b)
		}
	}
	if token == "" {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			st.WebhookError = "Could not make a webhook address: " + err.Error()
			return
		}
		token = base64.RawURLEncoding.EncodeToString(raw)
		st.TokenHash, st.TokenSealed, st.WebhookID = HashToken(token), s.Sealer.Seal([]byte(token), db.ShipBackStateAAD(sc.ID)), nil
	}
	target := strings.TrimRight(s.PublicURL, "/") + WebhookPath + token
	hooks, err := c.Webhooks(ctx)
	if err != nil {
		st.WebhookError = "Could not list ShipStation's webhooks: " + err.Error()
		return
	}
	for _, h := range hooks {
		if h.URL == target && h.Event == shipstation.EventShipNotify {
			id := h.ID
			st.WebhookID, st.WebhookError = &id, ""
			return
		}
	}
	id, err := c.SubscribeWebhook(ctx, target, shipstation.EventShipNotify, "Ledgerlink: tracking to QuickBooks")
	if err != nil {
		st.WebhookError = "ShipStation refused the SHIP_NOTIFY webhook: " + err.Error() + " (polling every few minutes still brings shipments back)."
		return
	}
	st.WebhookID, st.WebhookError = &id, ""
}

func (s *Service) unsubscribe(ctx context.Context, sc *db.StoreConnection, st *db.ShipBackState) {
	c, err := s.Client(sc)
	if err == nil {
		err = c.UnsubscribeWebhook(ctx, *st.WebhookID)
	}
	if err != nil {
		st.WebhookError = "Could not remove the SHIP_NOTIFY webhook from ShipStation: " + err.Error()
		return
	}
	// A new address next time: whoever might know this one learns nothing.
	st.WebhookID, st.WebhookError, st.TokenHash, st.TokenSealed = nil, "", nil, nil
}
