package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// SignatureHeader carries the webhook's signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<raw body>" keyed with the account's secret>.
const SignatureHeader = "X-Ledgerlink-Signature"

// DeliveryHeader carries the delivery's id, the same on every retry (receivers deduplicate).
const DeliveryHeader = "X-Ledgerlink-Delivery"

// webhookTimeout bounds one webhook call.
const webhookTimeout = 15 * time.Second

// NewSecret returns a new webhook secret: "whsec_" and 32 random bytes, base64url.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("alerts: crypto/rand failed: " + err.Error())
	}
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}

// Sign returns the SignatureHeader value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// CheckWebhookURL says what is wrong with a webhook URL typed by a merchant, or nil.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("the webhook URL must be an http(s) address like https://example.com/ledgerlink")
	}
	if u.User != nil {
		return fmt.Errorf("put no user name or password in the webhook URL: the signature authenticates the call")
	}
	return nil
}

// PostWebhook sends body to target signed with secret at now, through client (the guarded
// storenet client: private addresses refused unless the operator allows them). Any 2xx answer
// is a delivery; anything else is an error naming the status.
func PostWebhook(ctx context.Context, client *http.Client, target, secret string, deliveryID int64, body []byte, now time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Ledgerlink-Alerts/1")
	req.Header.Set(SignatureHeader, Sign(secret, now, body))
	req.Header.Set(DeliveryHeader, strconv.FormatInt(deliveryID, 10))
	resp, err := client.Do(req)
	if errors.Is(err, storenet.ErrInternalAddress) {
		return fmt.Errorf("webhook %s: the address points inside Ledgerlink's own network (loopback, private, link-local); use a public address, or ask the operator to set %s: %w",
			redactURL(target), storenet.AllowPrivateEnv, storenet.ErrInternalAddress)
	} else if err != nil {
		return fmt.Errorf("webhook %s: %w", redactURL(target), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %s answered HTTP %d %s", redactURL(target), resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return nil
}

// redactURL is target without its query (which may hold a receiver's token).
func redactURL(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "(the webhook URL)"
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}
