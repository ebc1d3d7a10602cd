// Package storehooks receives the stores' order webhooks at /webhooks/<channel>/<token> (see
// README.md for the wire contract). A webhook is only a hint: it is verified, deduplicated in
// the database and answered at once; the order itself is then read from the store's API by a
// queued task (jobs.TypeWebhookOrder), through the normal order pipeline.
package storehooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// Channels are the channels whose order webhooks are received.
var Channels = []string{"shopify", "woocommerce", "shipstation"}

// MaxBody is the largest webhook body accepted (413 past it). Shopify's order payloads with
// hundreds of lines stay well below it.
const MaxBody = 2 << 20

// Enqueuer queues the pull of what an accepted webhook names.
type Enqueuer func(ctx context.Context, conn *db.StoreConnection, topic string, n ordersync.Notice) error

// Receiver answers store webhooks.
type Receiver struct {
	DB      *db.DB
	Sealer  *db.Sealer
	Log     *slog.Logger
	Enqueue Enqueuer
}

// refusal is a delivery answered 4xx: status, what the store (or caller) is told, and whether
// it goes to the account's log (only once the connection is known).
type refusal struct {
	status int
	msg    string
}

func (r *refusal) Error() string { return r.msg }

func refuse(status int, format string, args ...any) *refusal {
	return &refusal{status: status, msg: fmt.Sprintf(format, args...)}
}

// delivery is a verified webhook, ready to deduplicate and queue.
type delivery struct {
	topic, key string
	notice     ordersync.Notice
	ignore     string // why a verified delivery is acknowledged without queueing anything
}

// Handler serves POST /webhooks/<channel>/{token} for channel.
func (rc *Receiver) Handler(channel string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.serve(w, r, channel)
	})
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request, channel string) {
	ctx := r.Context()
	token := r.PathValue("token")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			answer(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The webhook body is larger than %d bytes.", MaxBody))
			return
		}
		answer(w, http.StatusBadRequest, "The webhook body could not be read.")
		return
	}
	if token == "" || len(token) > 100 {
		rc.Log.WarnContext(ctx, "webhook: unknown address", "channel", channel, "remote", r.RemoteAddr)
		answer(w, http.StatusNotFound, "No store connection has this webhook address.")
		return
	}
	conn, err := rc.DB.StoreConnectionByWebhookToken(ctx, channel, token)
	if errors.Is(err, db.ErrNotFound) {
		// The token is the address's only secret: it is never logged.
		rc.Log.WarnContext(ctx, "webhook: unknown address", "channel", channel, "remote", r.RemoteAddr)
		answer(w, http.StatusNotFound, "No store connection has this webhook address.")
		return
	} else if err != nil {
		rc.Log.ErrorContext(ctx, "webhook: look up connection", "channel", channel, "err", err)
		answer(w, http.StatusServiceUnavailable, "Try again later.")
		return
	}
	if !conn.Enabled {
		answer(w, http.StatusOK, "The store connection is turned off; the webhook was ignored.")
		return
	}
	d, err := rc.verify(conn, r.Header, body)
	if ref, ok := errors.AsType[*refusal](err); ok {
		rc.refused(ctx, conn, r, d.topic, ref)
		answer(w, ref.status, ref.msg)
		return
	} else if err != nil {
		rc.Log.ErrorContext(ctx, "webhook: verify", "connection", conn.ID, "err", err)
		answer(w, http.StatusServiceUnavailable, "Try again later.")
		return
	}
	if d.ignore != "" {
		answer(w, http.StatusOK, d.ignore)
		return
	}
	resource := d.notice.OrderID + d.notice.ResourceURL
	rec := &db.WebhookDelivery{ConnectionID: conn.ID, AccountID: conn.AccountID, DedupeKey: d.key, Topic: d.topic, Resource: resource}
	fresh, err := rc.DB.RecordWebhookDelivery(ctx, rec)
	if err != nil {
		rc.Log.ErrorContext(ctx, "webhook: record delivery", "connection", conn.ID, "err", err)
		answer(w, http.StatusServiceUnavailable, "Try again later.")
		return
	}
	if !fresh {
		// A retry of a delivery already queued, or a replay: acknowledged, nothing done.
		rc.Log.InfoContext(ctx, "webhook: duplicate delivery ignored", "connection", conn.ID, "topic", d.topic, "remote", r.RemoteAddr)
		answer(w, http.StatusOK, "Already received.")
		return
	}
	if err := rc.Enqueue(ctx, conn, d.topic, d.notice); err != nil {
		// Forget the delivery so the store's retry is accepted.
		if ferr := rc.DB.ForgetWebhookDelivery(context.WithoutCancel(ctx), conn.AccountID, conn.ID, d.key); ferr != nil {
			rc.Log.ErrorContext(ctx, "webhook: forget delivery", "connection", conn.ID, "err", ferr)
		}
		rc.Log.ErrorContext(ctx, "webhook: queue pull", "connection", conn.ID, "err", err)
		answer(w, http.StatusServiceUnavailable, "Try again later.")
		return
	}
	answer(w, http.StatusOK, "Queued.")
}

// refused logs a refused delivery: the server log, the topic's refusal count and the account's
// log (the caller knew the connection's address, so the merchant should hear of it).
func (rc *Receiver) refused(ctx context.Context, conn *db.StoreConnection, r *http.Request, topic string, ref *refusal) {
	rc.Log.WarnContext(ctx, "webhook: refused", "connection", conn.ID, "channel", conn.Channel, "topic", topic, "status", ref.status,
		"why", ref.msg, "remote", r.RemoteAddr)
	if topic != "" {
		if err := rc.DB.CountRefusedWebhook(ctx, conn.AccountID, conn.ID, topic); err != nil {
			rc.Log.ErrorContext(ctx, "webhook: count refusal", "connection", conn.ID, "err", err)
		}
	}
	hint := "If this keeps happening, use “Register webhooks” on the Connections page: Ledgerlink gives the store a new address and secret, and the old address stops working."
	if err := rc.DB.AddLog(ctx, &db.SyncLog{AccountID: conn.AccountID, ConnectionID: &conn.ID, Level: db.LevelWarning, Source: "webhooks",
		Message: "A webhook call to " + conn.Name + " was refused: " + ref.msg, Hint: &hint}); err != nil {
		rc.Log.ErrorContext(ctx, "webhook: log refusal", "connection", conn.ID, "err", err)
	}
}

// verify checks a delivery the way its channel signs it and reads what it names.
func (rc *Receiver) verify(conn *db.StoreConnection, h http.Header, body []byte) (delivery, error) {
	switch conn.Channel {
	case "shopify":
		return rc.shopify(conn, h, body)
	case "woocommerce":
		return rc.woocommerce(conn, h, body)
	case "shipstation":
		return shipStation(conn, body)
	}
	return delivery{}, refuse(http.StatusNotFound, "Unknown channel.")
}

func (rc *Receiver) secret(conn *db.StoreConnection) (string, error) {
	if rc.Sealer == nil {
		return "", errors.New("LEDGERLINK_SECRET_KEY is not set")
	}
	creds, err := ordersync.OpenCredentials(conn.Credentials, func(b []byte) ([]byte, error) {
		return rc.Sealer.Open(b, db.CredentialsAAD(conn.ID))
	})
	if err != nil {
		return "", fmt.Errorf("storehooks: credentials of connection %d: %w", conn.ID, err)
	}
	return creds.WebhookSecret, nil
}

// orderRef is the part of a REST order (or refund) body that names the order.
type orderRef struct {
	ID      json.Number `json:"id"`
	OrderID json.Number `json:"order_id"`
}

// accept reads what every verified delivery of channel carries: a topic Ledgerlink acts on
// (act false, and d says why it is ignored, for another) and the store's id of the delivery,
// in the header idHeader (a delivery without one, or with one too long to be one, is refused).
func (d *delivery) accept(channel string, h http.Header, idHeader string) (id string, act bool, err error) {
	if !slices.Contains(channels.WebhookTopics[channel], d.topic) {
		d.ignore = "Topic " + d.topic + " is not one Ledgerlink acts on."
		return "", false, nil
	}
	id = h.Get(idHeader)
	if id == "" || len(id) > 200 {
		return "", false, refuse(http.StatusBadRequest, "The webhook carries no %s.", idHeader)
	}
	return id, true, nil
}

func (rc *Receiver) shopify(conn *db.StoreConnection, h http.Header, body []byte) (delivery, error) {
	d := delivery{topic: h.Get("X-Shopify-Topic")}
	secret, err := rc.secret(conn)
	if err != nil {
		return d, err
	}
	if secret == "" {
		return d, refuse(http.StatusUnauthorized, "Shopify webhooks cannot be verified: the store's client secret is not set.")
	}
	if h.Get(shopify.HMACHeader) == "" {
		return d, refuse(http.StatusUnauthorized, "The webhook carries no X-Shopify-Hmac-Sha256 signature.")
	}
	if !shopify.VerifyWebhook(body, h.Get(shopify.HMACHeader), secret) {
		return d, refuse(http.StatusUnauthorized, "The X-Shopify-Hmac-Sha256 signature does not match the body (forged, altered, or signed with another app's secret).")
	}
	id, act, err := d.accept("shopify", h, "X-Shopify-Webhook-Id")
	if !act || err != nil {
		return d, err
	}
	var ref orderRef
	if err := json.Unmarshal(body, &ref); err != nil {
		return d, refuse(http.StatusBadRequest, "The webhook body is not a JSON object.")
	}
	order := ref.ID
	if d.topic == "refunds/create" {
		order = ref.OrderID
	}
	if !digits(order.String()) {
		return d, refuse(http.StatusBadRequest, "The webhook body names no order id.")
	}
	d.key, d.notice = "shopify:"+id, ordersync.Notice{OrderID: order.String()}
	return d, nil
}

func (rc *Receiver) woocommerce(conn *db.StoreConnection, h http.Header, body []byte) (delivery, error) {
	d := delivery{topic: h.Get("X-WC-Webhook-Topic")}
	sig := h.Get(woocommerce.SignatureHeader)
	if sig == "" {
		// WooCommerce pings a new webhook with an unsigned form "webhook_id=<id>": answered
		// 200 (or WooCommerce refuses to save the webhook), never acted on.
		if v, err := url.ParseQuery(string(body)); err == nil && len(v) == 1 && digits(v.Get("webhook_id")) {
			d.ignore = "Ping received."
			return d, nil
		}
		return d, refuse(http.StatusUnauthorized, "The webhook carries no X-WC-Webhook-Signature.")
	}
	secret, err := rc.secret(conn)
	if err != nil {
		return d, err
	}
	if !woocommerce.VerifyWebhook(body, sig, secret) {
		return d, refuse(http.StatusUnauthorized, "The X-WC-Webhook-Signature does not match the body (forged, altered, or signed with an old secret).")
	}
	id, act, err := d.accept("woocommerce", h, "X-WC-Webhook-Delivery-ID")
	if !act || err != nil {
		return d, err
	}
	var ref orderRef
	if err := json.Unmarshal(body, &ref); err != nil || !digits(ref.ID.String()) {
		return d, refuse(http.StatusBadRequest, "The webhook body names no order id.")
	}
	// WooCommerce's delivery id is wp_hash(webhook id . time()): two deliveries of one
	// webhook within a second share it, so the body tells them apart.
	sum := sha256.Sum256(body)
	d.key, d.notice = "woocommerce:"+id+":"+hex.EncodeToString(sum[:8]), ordersync.Notice{OrderID: ref.ID.String()}
	return d, nil
}

func shipStation(conn *db.StoreConnection, body []byte) (delivery, error) {
	var in struct {
		ResourceURL  string `json:"resource_url"`
		ResourceType string `json:"resource_type"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return delivery{}, refuse(http.StatusBadRequest, "The webhook body is not ShipStation's {resource_url, resource_type}.")
	}
	d := delivery{topic: in.ResourceType}
	if !slices.Contains(channels.WebhookTopics["shipstation"], d.topic) {
		d.ignore = "Event " + d.topic + " is not one this address acts on."
		return d, nil
	}
	// ShipStation signs nothing: only an orders list on the connection's own ShipStation
	// host is ever read, with the connection's credentials.
	if _, err := shipstation.ResourceQuery(conn.BaseURL, in.ResourceURL); err != nil {
		return d, refuse(http.StatusBadRequest, "The resource_url is not an orders import of this ShipStation account's API address.")
	}
	sum := sha256.Sum256([]byte(in.ResourceURL))
	d.key, d.notice = "shipstation:"+hex.EncodeToString(sum[:]), ordersync.Notice{ResourceURL: in.ResourceURL}
	return d, nil
}

func digits(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}

func answer(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}

// Answer writes a webhook's plain-text answer (what the sender's delivery log shows): status
// and msg. Other webhook routes of the server answer the same way.
func Answer(w http.ResponseWriter, status int, msg string) { answer(w, status, msg) }
