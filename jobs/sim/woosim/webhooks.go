package woosim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Webhook is a WooCommerce webhook subscription.
type Webhook struct {
	ID          int
	Name        string
	Topic       string // "order.created", "order.updated", "product.created", "product.updated"
	DeliveryURL string
	// Secret signs deliveries; WooCommerce decodes HTML entities in it
	// before signing (wp_specialchars_decode).
	Secret string
	// Status is "active" (default), "paused" or "disabled". WooCommerce
	// disables a webhook after more than 5 consecutive failed deliveries.
	Status string
}

// WebhookDelivery is one delivery attempt, in the order it finished.
type WebhookDelivery struct {
	WebhookID  int
	DeliveryID string // X-WC-Webhook-Delivery-ID
	Topic      string
	ResourceID int
	Header     http.Header
	Body       []byte
	Status     int   // the receiver's status code; 0 when the request failed
	Err        error // transport error
	Time       time.Time
}

type webhooks struct {
	mu         sync.Mutex
	list       []*hookState
	nextID     int
	deliveries []WebhookDelivery
	wg         sync.WaitGroup
	lastHome   string
}

type hookState struct {
	Webhook
	failures int
}

func (h *webhooks) init() { h.nextID = 1 }

// AddWebhook registers a webhook and, like WooCommerce on creation, pings
// its delivery URL with a form-encoded "webhook_id=<id>" POST (no
// signature). The webhook is stored either way; the error reports a ping
// that failed or did not answer 2xx. Topics other than order.created,
// order.updated, product.created and product.updated never fire.
func (s *Server) AddWebhook(w Webhook) (Webhook, error) {
	s.hooks.mu.Lock()
	if w.ID == 0 {
		w.ID = s.hooks.nextID
	}
	s.hooks.nextID = max(s.hooks.nextID, w.ID) + 1
	if w.Status == "" {
		w.Status = "active"
	}
	if w.Name == "" {
		w.Name = "Webhook created on " + s.now().In(s.loc).Format("Jan 02, 2006 @ 03:04 PM")
	}
	s.hooks.list = append(s.hooks.list, &hookState{Webhook: w})
	s.hooks.mu.Unlock()

	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, w.DeliveryURL, strings.NewReader("webhook_id="+strconv.Itoa(w.ID)))
	if err != nil {
		return w, fmt.Errorf("woocommerce: ping webhook %d: %w", w.ID, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", s.userAgent())
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		return w, fmt.Errorf("woocommerce: ping webhook %d: %w", w.ID, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return w, errorf("ping webhook %d: Delivery URL returned response code: %d", w.ID, resp.StatusCode)
	}
	return w, nil
}

// Webhooks returns the registered webhooks with their current status.
func (s *Server) Webhooks() []Webhook {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	out := make([]Webhook, 0, len(s.hooks.list))
	for _, h := range s.hooks.list {
		out = append(out, h.Webhook)
	}
	return out
}

// WebhookDeliveries returns the deliveries finished so far. Deliveries
// are asynchronous (WooCommerce queues them in Action Scheduler); call
// WaitWebhooks first to see all of them.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	out := make([]WebhookDelivery, len(s.hooks.deliveries))
	copy(out, s.hooks.deliveries)
	return out
}

// WaitWebhooks blocks until every delivery started so far has finished.
func (s *Server) WaitWebhooks() { s.hooks.wg.Wait() }

func (s *Server) userAgent() string {
	return fmt.Sprintf("WooCommerce/%s Hookshot (WordPress/%s)", s.opts.WCVersion, s.opts.WPVersion)
}

// webhookHome is the home URL used in webhook payloads: HomeURL, else the
// home of the last request served, else http://localhost.
func (s *Server) webhookHome() string {
	if s.opts.HomeURL != "" {
		return s.opts.HomeURL
	}
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	if s.hooks.lastHome != "" {
		return s.hooks.lastHome
	}
	return "http://localhost"
}

func (s *Server) rememberHome(home string) {
	s.hooks.mu.Lock()
	s.hooks.lastHome = home
	s.hooks.mu.Unlock()
}

// fireOrderWebhooks delivers topic for an order to every active webhook
// subscribed to it. The body is the order as GET /orders/{id} prints it.
func (s *Server) fireOrderWebhooks(topic string, id int) {
	s.fire(topic, id, func(c *call) (any, bool) {
		o, ok := s.orders[id]
		if !ok {
			return nil, false
		}
		return s.orderJSON(c, o, 2), true
	})
}

// fireProductWebhooks delivers topic for a product or variation.
func (s *Server) fireProductWebhooks(topic string, id int) {
	s.fire(topic, id, func(c *call) (any, bool) {
		p, ok := s.products[id]
		if !ok {
			return nil, false
		}
		return s.productJSON(c, p), true
	})
}

func (s *Server) fire(topic string, id int, render func(c *call) (any, bool)) {
	s.hooks.mu.Lock()
	var targets []*hookState
	for _, h := range s.hooks.list {
		if h.Status == "active" && h.Topic == topic {
			targets = append(targets, h)
		}
	}
	s.hooks.mu.Unlock()
	if len(targets) == 0 {
		return
	}
	home := s.webhookHome()
	s.mu.Lock()
	payload, ok := render(&call{s: s, home: home})
	s.mu.Unlock()
	if !ok {
		return
	}
	body, err := marshalPHP(payload)
	if err != nil {
		s.log.Error("woocommerce sim: webhook payload", "err", err)
		return
	}
	now := s.now()
	for _, h := range targets {
		s.hooks.wg.Add(1)
		go s.deliver(h, topic, id, home, body, now)
	}
}

// deliver is WC_Webhook::deliver.
func (s *Server) deliver(h *hookState, topic string, resourceID int, home string, body []byte, now time.Time) {
	defer s.hooks.wg.Done()
	s.hooks.mu.Lock()
	w := h.Webhook
	s.hooks.mu.Unlock()
	resource, event, _ := strings.Cut(topic, ".")
	d := WebhookDelivery{WebhookID: w.ID, DeliveryID: deliveryID(w.ID, now), Topic: topic, ResourceID: resourceID, Body: body, Time: now}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, w.DeliveryURL, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", s.userAgent())
		// Set verbatim so the wire shows WooCommerce's spelling (X-WC-…).
		for k, v := range map[string]string{
			"X-WC-Webhook-Source":      home + "/",
			"X-WC-Webhook-Topic":       topic,
			"X-WC-Webhook-Resource":    resource,
			"X-WC-Webhook-Event":       event,
			"X-WC-Webhook-Signature":   WebhookSignature(body, w.Secret),
			"X-WC-Webhook-ID":          strconv.Itoa(w.ID),
			"X-WC-Webhook-Delivery-ID": d.DeliveryID,
		} {
			req.Header[k] = []string{v}
		}
		d.Header = http.Header{}
		for k, v := range req.Header {
			d.Header[http.CanonicalHeaderKey(k)] = v // so Header.Get works
		}
		var resp *http.Response
		if resp, err = s.opts.HTTPClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			d.Status = resp.StatusCode
		}
	}
	d.Err = err
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.deliveries = append(s.hooks.deliveries, d)
	if err == nil && (d.Status >= 200 && d.Status < 300 || d.Status == 301 || d.Status == 302) {
		h.failures = 0
		return
	}
	h.failures++
	if h.failures > 5 {
		h.Status = "disabled"
	}
}

// WebhookSignature is the X-WC-Webhook-Signature of body:
// base64(HMAC-SHA256(body, secret)) with HTML entities in the secret
// decoded first, as WC_Webhook::generate_signature does.
func WebhookSignature(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(specialcharsDecode(secret)))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// deliveryID is WC_Webhook::get_new_delivery_id: wp_hash(id . time()), an
// HMAC-MD5 keyed with the site's salt. It only changes once a second, so
// two deliveries of one webhook within the same second share an ID.
func deliveryID(webhookID int, now time.Time) string {
	mac := hmac.New(md5.New, []byte("ledgerlink-simulated-wp-salt"))
	fmt.Fprintf(mac, "%d%d", webhookID, now.Unix())
	return hex.EncodeToString(mac.Sum(nil))
}

// specialcharsDecode is wp_specialchars_decode($s, ENT_QUOTES).
func specialcharsDecode(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#039;", "'", "&#39;", "'", "&#x27;", "'", "&#x22;", `"`, "&#34;", `"`).Replace(s)
}
