package alerts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// ErrNoChannel is returned by Test when the account has neither recipients nor a webhook URL.
var ErrNoChannel = errors.New("add a recipient or a webhook URL, save, then send a test alert")

// Sender delivers digests. Set the fields before the first call; it is then safe for
// concurrent use.
type Sender struct {
	DB     *db.DB
	Sealer *db.Sealer
	// Mailer sends e-mail; nil when the server has no SMTP configuration (e-mail deliveries
	// then fail saying so).
	Mailer *Mailer
	// HTTP posts webhooks; nil is storenet.HTTPClient(), which refuses private addresses unless
	// LEDGERLINK_ALLOW_PRIVATE_STORE_ADDRESSES is set.
	HTTP      *http.Client
	PublicURL string
	Now       func() time.Time
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Result is how one channel's delivery went.
type Result struct {
	Channel string
	OK      bool
	Message string
}

// Deliver makes one attempt at delivery id of accountID and records it: sent, or the error
// (failed for good when final, i.e. the last retry). A delivery already sent is not sent again.
// The error is returned for the caller's retry.
func (s *Sender) Deliver(ctx context.Context, accountID, id int64, final bool) error {
	del, digest, events, err := s.DB.GetAlertDelivery(ctx, accountID, id)
	if err != nil {
		return err
	}
	if del.State != db.AlertDeliveryPending {
		return nil
	}
	sendErr := s.send(ctx, del, &Digest{DeliveryID: del.ID, Test: digest.Test, CreatedAt: digest.CreatedAt, Events: events, PublicURL: s.PublicURL})
	if err := s.DB.RecordAlertDelivery(ctx, accountID, id, sendErr, final, s.now()); err != nil {
		return errors.Join(sendErr, err)
	}
	return sendErr
}

func (s *Sender) send(ctx context.Context, del *db.AlertDelivery, d *Digest) error {
	settings, err := s.DB.GetAlertSettings(ctx, del.AccountID)
	if err != nil {
		return err
	}
	switch del.Channel {
	case db.AlertChannelEmail:
		if len(settings.Recipients) == 0 {
			return errors.New("no e-mail recipients any more")
		}
		return s.Mailer.Send(ctx, settings.Recipients, d.Subject(), d.Text())
	case db.AlertChannelWebhook:
		if settings.WebhookURL == "" {
			return errors.New("no webhook URL any more")
		}
		if settings.WebhookSecret == nil || s.Sealer == nil {
			return errors.New("the webhook has no secret: rotate the secret in Settings → Alerts")
		}
		secret, err := s.Sealer.Open(settings.WebhookSecret, db.AlertSecretAAD(del.AccountID))
		if err != nil {
			return fmt.Errorf("webhook secret: %w", err)
		}
		client := s.HTTP
		if client == nil {
			client = storenet.HTTPClient()
		}
		return PostWebhook(ctx, client, settings.WebhookURL, string(secret), del.ID, d.JSON(), s.now())
	}
	return fmt.Errorf("unknown alert channel %q", del.Channel)
}

// Test sends a test alert of accountID through every configured channel at once (one attempt
// each), writes the outcome to the sync log and returns it.
func (s *Sender) Test(ctx context.Context, accountID int64) ([]Result, error) {
	settings, err := s.DB.GetAlertSettings(ctx, accountID)
	if err != nil {
		return nil, err
	}
	_, deliveries, err := s.DB.CreateTestAlertDigest(ctx, settings, s.now())
	if err != nil {
		return nil, err
	}
	if len(deliveries) == 0 {
		return nil, ErrNoChannel
	}
	var out []Result
	var words []string
	level := db.LevelInfo
	for _, del := range deliveries {
		r := Result{Channel: del.Channel, OK: true}
		switch del.Channel {
		case db.AlertChannelEmail:
			r.Message = "Sent to " + strings.Join(settings.Recipients, ", ") + "."
		default:
			r.Message = "Delivered to " + redactURL(settings.WebhookURL) + "."
		}
		if err := s.Deliver(ctx, accountID, del.ID, true); err != nil {
			r.OK, r.Message, level = false, "Failed: "+err.Error(), db.LevelWarning
		}
		out = append(out, r)
		words = append(words, del.Channel+": "+r.Message)
	}
	if err := s.DB.AddLog(ctx, &db.SyncLog{AccountID: accountID, Level: level, Source: "alerts",
		Message: "Test alert — " + strings.Join(words, " ")}); err != nil {
		return nil, err
	}
	return out, nil
}
