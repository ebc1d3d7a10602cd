package shopifysim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Webhooks: orders/create and orders/updated are delivered to subscribed
// URLs with Shopify's headers and a REST-shaped JSON body (the body of the
// API version the request was served with; Shopify webhooks are
// REST-shaped even for GraphQL apps). Delivery is asynchronous,
// at-least-once, retried on non-2xx or network errors.

// Delivery is one webhook event and the outcome of delivering it.
type Delivery struct {
	Topic     string
	URL       string
	WebhookID string // X-Shopify-Webhook-Id; the same on every retry
	EventID   string // X-Shopify-Event-Id
	Body      []byte
	Attempts  int
	Status    int    // HTTP status of the last attempt, 0 on network errors
	Err       string // last network error
	Delivered bool
}

type webhookEvent struct {
	topic string
	body  []byte
	at    time.Time
}

type subscription struct {
	id         int64
	topic, url string
	createdAt  time.Time
}

type webhooks struct {
	s          *Server
	mu         sync.Mutex
	subs       []subscription
	subSeq     int64
	deliveries []*Delivery
	seq        int
	wg         sync.WaitGroup
	ctx        context.Context
	cancel     context.CancelFunc
}

func (h *webhooks) init(s *Server) {
	h.s = s
	h.ctx, h.cancel = context.WithCancel(context.Background())
}

// Subscribe registers url for a topic ("orders/create", "orders/updated"; "refunds/create"
// is accepted but never delivered: refunds are not simulated).
func (s *Server) Subscribe(topic, url string) error {
	_, err := s.subscribe(topic, url, s.opts.Clock())
	return err
}

func (s *Server) subscribe(topic, url string, now time.Time) (subscription, error) {
	if topic != "orders/create" && topic != "orders/updated" && topic != "refunds/create" {
		return subscription{}, fmt.Errorf("webhook topic %q: %w", topic, ErrNotFound)
	}
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.subSeq++
	sub := subscription{id: 1_147_000_000 + s.hooks.subSeq, topic: topic, url: url, createdAt: now}
	s.hooks.subs = append(s.hooks.subs, sub)
	return sub, nil
}

// Subscriptions returns the callback URL of every subscription per topic.
func (s *Server) Subscriptions() map[string][]string {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	out := map[string][]string{}
	for _, sub := range s.hooks.subs {
		out[sub.topic] = append(out[sub.topic], sub.url)
	}
	return out
}

// Deliveries returns a snapshot of every webhook delivery, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	out := make([]Delivery, len(s.hooks.deliveries))
	for i, d := range s.hooks.deliveries {
		out[i] = *d
		out[i].Body = slices.Clone(d.Body)
	}
	return out
}

// WaitWebhooks blocks until every delivery in flight has succeeded or used
// up its attempts, or ctx ends.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.hooks.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for webhooks: %w", ctx.Err())
	}
}

// Close stops webhook retries and waits for deliveries in flight.
func (s *Server) Close() {
	s.hooks.cancel()
	s.hooks.wg.Wait()
}

// event renders a webhook body of order o; the caller holds s.mu. It returns nil when
// nobody subscribed to the topic.
func (h *webhooks) event(topic string, o *Order) *webhookEvent {
	return h.render(topic, func() any { return h.s.restOrder(o) })
}

// refundEvent renders a refunds/create body; the caller holds s.mu. It returns nil when
// nobody subscribed.
func (h *webhooks) refundEvent(o *Order, r Refund) *webhookEvent {
	return h.render("refunds/create", func() any { return h.s.restRefund(o, r) })
}

// render renders the body of a topic's event, or nil when nobody subscribed to the topic.
func (h *webhooks) render(topic string, body func() any) *webhookEvent {
	h.mu.Lock()
	subscribed := slices.ContainsFunc(h.subs, func(sub subscription) bool { return sub.topic == topic })
	h.mu.Unlock()
	if !subscribed {
		return nil
	}
	b, err := json.Marshal(body())
	if err != nil {
		return nil
	}
	return &webhookEvent{topic: topic, body: b, at: h.s.opts.Clock()}
}

// send starts one delivery per subscriber of the event's topic.
func (h *webhooks) send(ev *webhookEvent) {
	if ev == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, sub := range h.subs {
		if sub.topic != ev.topic {
			continue
		}
		h.seq++
		d := &Delivery{
			Topic:     ev.topic,
			URL:       sub.url,
			WebhookID: fmt.Sprintf("b54557e4-bdd9-4b37-8a5f-%012d", h.seq),
			EventID:   fmt.Sprintf("98880550-7158-44d4-b7cd-%012d", h.seq),
			Body:      ev.body,
		}
		h.deliveries = append(h.deliveries, d)
		h.wg.Add(1)
		go h.deliver(d, ev.at)
	}
}

// Sign returns the X-Shopify-Hmac-Sha256 value for a body: base64 of
// HMAC-SHA256 keyed with the app secret.
func (s *Server) Sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(s.opts.AppSecret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func (h *webhooks) deliver(d *Delivery, at time.Time) {
	defer h.wg.Done()
	for attempt := 1; attempt <= h.s.opts.WebhookAttempts; attempt++ {
		if attempt > 1 {
			select {
			case <-h.ctx.Done():
				return
			case <-time.After(h.s.opts.WebhookBackoff):
			}
		}
		status, err := h.post(d, at)
		h.mu.Lock()
		d.Attempts, d.Status = attempt, status
		d.Err = ""
		if err != nil {
			d.Err = err.Error()
		}
		d.Delivered = err == nil && status >= 200 && status < 300
		done := d.Delivered
		h.mu.Unlock()
		if done {
			return
		}
	}
}

func (h *webhooks) post(d *Delivery, at time.Time) (int, error) {
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Shopify-Captain-Hook")
	req.Header.Set("X-Shopify-Topic", d.Topic)
	req.Header.Set("X-Shopify-Hmac-Sha256", h.s.Sign(d.Body))
	req.Header.Set("X-Shopify-Shop-Domain", h.s.opts.ShopDomain)
	req.Header.Set("X-Shopify-API-Version", h.s.opts.Versions[0])
	req.Header.Set("X-Shopify-Webhook-Id", d.WebhookID)
	req.Header.Set("X-Shopify-Event-Id", d.EventID)
	req.Header.Set("X-Shopify-Triggered-At", at.UTC().Format("2006-01-02T15:04:05.000000000Z"))
	resp, err := h.s.opts.WebhookClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook post: %w", err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// restOrder renders an order the way REST payloads and webhooks do; every
// key appears in the REST order fixtures under shared/specs/shopify.
func (s *Server) restOrder(o *Order) *omap {
	m := newOmap()
	ts := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.In(s.opts.Timezone).Format("2006-01-02T15:04:05-07:00")
	}
	str := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	cur := s.orderCurrency(o)
	m.set("id", o.ID)
	m.set("admin_graphql_api_id", gid("Order", o.ID))
	m.set("email", o.Email)
	m.set("closed_at", ts(o.ClosedAt))
	m.set("created_at", ts(o.CreatedAt))
	m.set("updated_at", ts(o.UpdatedAt))
	m.set("number", o.Number-1000)
	m.set("note", str(o.Note))
	m.set("test", o.Test)
	m.set("total_price", o.Total().restDecimal())
	m.set("subtotal_price", o.Subtotal().restDecimal())
	m.set("total_tax", o.TotalTax().restDecimal())
	m.set("taxes_included", o.TaxesIncluded)
	m.set("currency", cur)
	m.set("financial_status", strings.ToLower(o.FinancialStatus))
	m.set("confirmed", true)
	m.set("total_discounts", o.TotalDiscounts().restDecimal())
	m.set("total_line_items_price", o.LineItemsTotal().restDecimal())
	m.set("name", o.Name)
	m.set("cancelled_at", ts(o.CancelledAt))
	m.set("cancel_reason", str(strings.ToLower(o.CancelReason)))
	m.set("processed_at", ts(o.ProcessedAt))
	m.set("order_number", o.Number)
	codes := []any{}
	for i, d := range o.DiscountApplications {
		if d.kind() != DiscountCode {
			continue
		}
		var amt Money
		for _, l := range o.LineItems {
			for _, a := range l.Discounts {
				if a.Application == i {
					amt += a.Amount
				}
			}
		}
		codes = append(codes, map[string]any{"code": d.Code, "amount": amt.restDecimal()})
	}
	m.set("discount_codes", codes)
	notes := []any{}
	for _, a := range o.CustomAttributes {
		notes = append(notes, map[string]any{"name": a.Key, "value": a.Value})
	}
	m.set("note_attributes", notes)
	m.set("payment_gateway_names", gatewayNames(o))
	m.set("source_name", o.SourceName)
	m.set("fulfillment_status", restFulfillment(o.FulfillmentStatus))
	m.set("tax_lines", restTaxes(o.TaxLines()))
	m.set("tags", strings.Join(o.Tags, ", "))
	m.set("contact_email", str(o.Email))
	lines := []any{}
	for _, l := range o.LineItems {
		li := newOmap()
		li.set("id", l.ID)
		li.set("variant_id", nilIfZero(l.VariantID))
		li.set("title", l.Title)
		li.set("quantity", l.Quantity)
		li.set("price", l.UnitPrice.restDecimal())
		li.set("sku", l.SKU)
		li.set("variant_title", str(l.VariantTitle))
		li.set("vendor", str(l.Vendor))
		li.set("fulfillment_service", "manual")
		li.set("product_id", nilIfZero(l.ProductID))
		li.set("requires_shipping", l.RequiresShipping)
		li.set("taxable", l.Taxable)
		li.set("gift_card", l.GiftCard)
		li.set("name", l.Name())
		props := []any{}
		for _, p := range l.Properties {
			props = append(props, map[string]any{"name": p.Key, "value": p.Value})
		}
		li.set("properties", props)
		li.set("fulfillable_quantity", max(0, l.Quantity-l.RefundedQuantity-l.FulfilledQuantity))
		li.set("total_discount", l.lineLevelDiscount(o.DiscountApplications).restDecimal())
		li.set("fulfillment_status", restLineFulfillment(l))
		li.set("tax_lines", restTaxes(l.TaxLines))
		lines = append(lines, li)
	}
	m.set("line_items", lines)
	ships := []any{}
	for _, sl := range o.ShippingLines {
		sm := newOmap()
		sm.set("id", sl.ID)
		sm.set("title", sl.Title)
		sm.set("price", sl.Price.restDecimal())
		sm.set("code", str(sl.Code))
		sm.set("source", str(sl.Source))
		sm.set("phone", nil)
		sm.set("carrier_identifier", str(sl.CarrierIdentifier))
		sm.set("tax_lines", restTaxes(sl.TaxLines))
		ships = append(ships, sm)
	}
	m.set("shipping_lines", ships)
	m.set("billing_address", restAddress(o.BillingAddress))
	m.set("shipping_address", restAddress(o.ShippingAddress))
	if o.Customer != nil {
		c := newOmap()
		c.set("id", o.Customer.ID)
		c.set("email", str(o.Customer.Email))
		c.set("first_name", str(o.Customer.FirstName))
		c.set("last_name", str(o.Customer.LastName))
		c.set("phone", str(o.Customer.Phone))
		c.set("currency", cur)
		c.set("admin_graphql_api_id", gid("Customer", o.Customer.ID))
		m.set("customer", c)
	} else {
		m.set("customer", nil)
	}
	return m
}

func nilIfZero(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func restTaxes(ts []TaxLine) []any {
	out := []any{}
	for _, t := range ts {
		out = append(out, map[string]any{"title": t.Title, "price": t.Amount.restDecimal(), "rate": t.Rate})
	}
	return out
}

func restFulfillment(s string) any {
	switch s {
	case "FULFILLED":
		return "fulfilled"
	case "PARTIALLY_FULFILLED":
		return "partial"
	case "RESTOCKED":
		return "restocked"
	}
	return nil
}

func restLineFulfillment(l LineItem) any {
	switch {
	case l.FulfilledQuantity >= l.Quantity && l.Quantity > 0:
		return "fulfilled"
	case l.FulfilledQuantity > 0:
		return "partial"
	}
	return nil
}

func restAddress(a *Address) any {
	if a == nil {
		return nil
	}
	m := newOmap()
	str := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	m.set("first_name", str(a.FirstName))
	m.set("address1", str(a.Address1))
	m.set("phone", str(a.Phone))
	m.set("city", str(a.City))
	m.set("zip", str(a.Zip))
	m.set("province", str(a.Province))
	m.set("country", str(a.Country))
	m.set("last_name", str(a.LastName))
	m.set("address2", str(a.Address2))
	m.set("company", str(a.Company))
	m.set("latitude", nil)
	m.set("longitude", nil)
	m.set("name", a.Name())
	m.set("country_code", str(a.CountryCode))
	m.set("province_code", str(a.ProvinceCode))
	return m
}
