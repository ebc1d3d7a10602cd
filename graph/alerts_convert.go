package graph

import (
	"context"
	"net/mail"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs/alerts"
)

// maxAlertRecipients bounds the e-mail recipients of an account.
const maxAlertRecipients = 20

// latestAlertDeliveries is how many deliveries the settings show.
const latestAlertDeliveries = 10

func toAlertKind(k string) model.AlertKind { return model.AlertKind(strings.ToUpper(k)) }

func fromAlertKind(k model.AlertKind) string { return strings.ToLower(string(k)) }

func (r *Resolver) alertSettings(ctx context.Context, s *db.AlertSettings) (*model.AlertSettings, error) {
	out := &model.AlertSettings{Kinds: []model.AlertKind{}, Recipients: s.Recipients, WebhookURL: s.WebhookURL,
		WebhookSecretSet: s.WebhookSecret != nil, DigestMinutes: s.DigestMinutes, WaitingHours: s.WaitingHours,
		EmailAvailable: r.Alerts != nil && r.Alerts.Mailer != nil, LastDigestAt: s.LastDigestAt, Deliveries: []*model.AlertDelivery{}}
	if out.Recipients == nil {
		out.Recipients = []string{}
	}
	for _, k := range s.Kinds {
		out.Kinds = append(out.Kinds, toAlertKind(k))
	}
	dels, err := r.DB.LatestAlertDeliveries(ctx, s.AccountID, latestAlertDeliveries)
	if err != nil {
		return nil, err
	}
	for _, d := range dels {
		out.Deliveries = append(out.Deliveries, &model.AlertDelivery{ID: d.ID, Channel: model.AlertChannel(strings.ToUpper(d.Channel)),
			State: model.AlertDeliveryState(strings.ToUpper(d.State)), Test: d.Test, Attempts: d.Attempts, LastError: d.LastError,
			SentAt: d.SentAt, UpdatedAt: d.UpdatedAt})
	}
	return out, nil
}

func toAlertEvent(e *db.AlertEvent) *model.AlertEvent {
	return &model.AlertEvent{ID: e.ID, Kind: toAlertKind(e.Kind), Message: e.Message, Link: e.Link, RaisedAt: e.RaisedAt,
		ResolvedAt: e.ResolvedAt, Sent: e.DigestID != nil}
}

// alertSettingsFrom checks in and returns the settings it asks for accountID.
func alertSettingsFrom(accountID int64, in model.AlertSettingsInput) (*db.AlertSettings, error) {
	s := &db.AlertSettings{AccountID: accountID, Kinds: []string{}, Recipients: []string{}, WebhookURL: strings.TrimSpace(in.WebhookURL),
		DigestMinutes: in.DigestMinutes, WaitingHours: in.WaitingHours}
	seen := map[string]bool{}
	for _, k := range in.Kinds {
		if k := fromAlertKind(k); !seen[k] {
			seen[k] = true
			s.Kinds = append(s.Kinds, k)
		}
	}
	for i, raw := range in.Recipients {
		addr := strings.TrimSpace(raw)
		if addr == "" {
			continue
		}
		a, err := mail.ParseAddress(addr)
		if err != nil || a.Address != addr || !strings.Contains(addr[strings.LastIndexByte(addr, '@')+1:], ".") {
			return nil, badInput("recipients", "Recipient %d (%q) is not an e-mail address like name@example.com.", i+1, addr)
		}
		if !seen["@"+strings.ToLower(addr)] {
			seen["@"+strings.ToLower(addr)] = true
			s.Recipients = append(s.Recipients, addr)
		}
	}
	if len(s.Recipients) > maxAlertRecipients {
		return nil, badInput("recipients", "At most %d recipients; use a mailing list for more.", maxAlertRecipients)
	}
	if s.WebhookURL != "" {
		if err := alerts.CheckWebhookURL(s.WebhookURL); err != nil {
			return nil, badInput("webhookUrl", "%s", capitalize(err.Error()))
		}
		if len(s.WebhookURL) > 2000 {
			return nil, badInput("webhookUrl", "The webhook URL is longer than 2000 characters.")
		}
	}
	if s.DigestMinutes < db.MinDigestMinutes || s.DigestMinutes > db.MaxDigestMinutes {
		return nil, badInput("digestMinutes", "Send digests every %d to %d minutes.", db.MinDigestMinutes, db.MaxDigestMinutes)
	}
	if s.WaitingHours < db.MinWaitingHours || s.WaitingHours > db.MaxWaitingHours {
		return nil, badInput("waitingHours", "The waiting threshold is %d to %d hours.", db.MinWaitingHours, db.MaxWaitingHours)
	}
	return s, nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// newAlertSecret makes, seals and stores a new webhook secret of accountID and returns it.
func (r *Resolver) newAlertSecret(ctx context.Context, accountID int64) (string, error) {
	if r.Sealer == nil {
		return "", badInput("webhookUrl", "This server has no LEDGERLINK_SECRET_KEY, so it cannot keep a webhook secret.")
	}
	secret := alerts.NewSecret()
	if err := r.DB.SetAlertWebhookSecret(ctx, accountID, r.Sealer.Seal([]byte(secret), db.AlertSecretAAD(accountID)), r.now()); err != nil {
		return "", err
	}
	return secret, nil
}
