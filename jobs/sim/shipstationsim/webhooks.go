package shipstationsim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Webhook events a subscription can name (POST /webhooks/subscribe).
const (
	EventOrderNotify     = "ORDER_NOTIFY"
	EventItemOrderNotify = "ITEM_ORDER_NOTIFY"
	EventShipNotify      = "SHIP_NOTIFY"
	EventItemShipNotify  = "ITEM_SHIP_NOTIFY"
)

type webhook struct {
	id            int64
	target, event string
	storeID       *int64
	name          string
}

// WebhookDelivery is one POST the simulator made to a subscriber.
type WebhookDelivery struct {
	WebhookID int64
	Target    string
	Body      []byte // {"resource_url": …, "resource_type": …}
	Status    int    // 0 when the POST failed
	Err       error
	Attempt   int // 1 for the first POST of an event, 2 for its first retry, …
}

// subscribeWebhook is POST /webhooks/subscribe
// {target_url, event, store_id?, friendly_name?} → {"id": n}.
func (s *Server) subscribeWebhook(w http.ResponseWriter, r *http.Request) {
	if !checkJSON(w, r, "SS.OpenApi.Models.Webhooks.SubscribeRequest") {
		return
	}
	var req struct {
		TargetURL    string `json:"target_url"`
		Event        string `json:"event"`
		StoreID      *int64 `json:"store_id"`
		FriendlyName string `json:"friendly_name"`
	}
	if bad := decodeBody(readBody(r), &req, "model", "SS.OpenApi.Models.Webhooks.SubscribeRequest"); bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	if u, err := url.Parse(req.TargetURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		writeInvalid(w, "model.target_url", "The target_url field is required and must be an absolute http(s) URL.")
		return
	}
	switch req.Event {
	case EventOrderNotify, EventItemOrderNotify, EventShipNotify, EventItemShipNotify:
	default:
		writeInvalid(w, "model.event", fmt.Sprintf("Invalid event type: %s", req.Event))
		return
	}
	s.mu.Lock()
	if req.StoreID != nil {
		if _, ok := s.storeMap[*req.StoreID]; !ok {
			s.mu.Unlock()
			writeInvalid(w, "model.store_id", fmt.Sprintf("Store %d was not found.", *req.StoreID))
			return
		}
	}
	s.seq.webhook += 1 + s.rng.Int64N(7)
	h := &webhook{id: s.seq.webhook, target: req.TargetURL, event: req.Event, storeID: req.StoreID, name: req.FriendlyName}
	s.hooks = append(s.hooks, h)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]int64{"id": h.id})
}

// listWebhooks is GET /webhooks, in ShipStation's PascalCase shape.
func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	type hookJSON struct {
		IsLabelAPIHook   bool    `json:"IsLabelAPIHook"`
		WebHookID        int64   `json:"WebHookID"`
		SellerID         int64   `json:"SellerID"`
		StoreID          *int64  `json:"StoreID"`
		HookType         string  `json:"HookType"`
		MessageFormat    string  `json:"MessageFormat"`
		URL              string  `json:"Url"`
		Name             string  `json:"Name"`
		BulkCopyBatchID  *string `json:"BulkCopyBatchID"`
		BulkCopyRecordID *string `json:"BulkCopyRecordID"`
		Active           bool    `json:"Active"`
		WebhookLogs      []any   `json:"WebhookLogs"`
		Seller           any     `json:"Seller"`
		Store            any     `json:"Store"`
	}
	s.mu.Lock()
	list := []hookJSON{}
	for _, h := range s.hooks {
		list = append(list, hookJSON{WebHookID: h.id, SellerID: 100000, StoreID: h.storeID, HookType: h.event,
			MessageFormat: "Json", URL: h.target, Name: h.name, Active: true, WebhookLogs: []any{}})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": list})
}

// unsubscribeWebhook is DELETE /webhooks/{webhookId}: 200 with no body.
func (s *Server) unsubscribeWebhook(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("webhookId")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		writeInvalid(w, "webhookId", fmt.Sprintf("The value '%s' is not valid for Int32.", raw))
		return
	}
	s.mu.Lock()
	found := false
	for i, h := range s.hooks {
		if h.id == id {
			s.hooks = append(s.hooks[:i], s.hooks[i+1:]...)
			found = true
			break
		}
	}
	s.mu.Unlock()
	if !found {
		writeMessage(w, http.StatusNotFound, fmt.Sprintf("Webhook %d was not found.", id))
		return
	}
	w.WriteHeader(http.StatusOK)
}

// notifyOrders sends ORDER_NOTIFY for new import batches (store → batch).
// The resource_url is the one ShipStation documents:
// <base>/orders?storeID=<id>&importBatch=<batch>.
func (s *Server) notifyOrders(batches map[int64]string) {
	s.mu.Lock()
	base := s.base()
	s.mu.Unlock()
	for store, batch := range batches {
		u := fmt.Sprintf("%s/orders?storeID=%d&importBatch=%s", base, store, batch)
		s.deliver(EventOrderNotify, store, u)
	}
}

// notifyShipments sends SHIP_NOTIFY for one label batch; the resource_url
// has the shape of ShipStation's older docs:
// <base>/shipments?storeID=<id>&batchId=<batch>&includeShipmentItems=False.
func (s *Server) notifyShipments(store int64, batch string) {
	s.mu.Lock()
	base := s.base()
	s.mu.Unlock()
	u := fmt.Sprintf("%s/shipments?storeID=%d&batchId=%s&includeShipmentItems=False", base, store, batch)
	s.deliver(EventShipNotify, store, u)
}

// deliver POSTs {resource_url, resource_type} to every subscription for
// event whose store matches, each in its own goroutine, and retries a POST
// that failed (network error, timeout or a non-2xx answer) after each of
// Options.WebhookRetryDelays in turn (see FlushWebhooks, WaitWebhooks). The
// ITEM_* variants are accepted at subscribe time but never delivered.
func (s *Server) deliver(event string, store int64, resourceURL string) {
	s.mu.Lock()
	var targets []*webhook
	for _, h := range s.hooks {
		if h.event == event && (h.storeID == nil || *h.storeID == store) {
			targets = append(targets, h)
		}
	}
	s.mu.Unlock()
	body := []byte(`{"resource_url":` + quote(resourceURL) + `,"resource_type":` + quote(event) + `}`)
	for _, h := range targets {
		if !s.hk.begin() {
			return // closed
		}
		go s.deliverOne(h, event, body)
	}
}

// deliverOne makes the attempts of one delivery; the first is counted in
// flight by the caller.
func (s *Server) deliverOne(h *webhook, event string, body []byte) {
	defer s.hk.finish()
	delays := s.opts.WebhookRetryDelays
	for attempt := 1; ; attempt++ {
		d := s.post(h, event, body, attempt)
		s.mu.Lock()
		s.sent = append(s.sent, d)
		s.mu.Unlock()
		s.hk.attemptDone()
		if d.Delivered() || attempt > len(delays) {
			if !d.Delivered() {
				s.log.Debug("shipstation sim: webhook given up", "event", event, "target", h.target, "attempts", attempt)
			}
			return
		}
		wait := delays[attempt-1]
		s.log.Debug("shipstation sim: webhook delivery failed, retrying", "event", event, "target", h.target,
			"attempt", attempt, "status", d.Status, "err", d.Err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-s.hk.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if !s.hk.retry() {
			return
		}
	}
}

// post makes one attempt of a delivery.
func (s *Server) post(h *webhook, event string, body []byte, attempt int) WebhookDelivery {
	d := WebhookDelivery{WebhookID: h.id, Target: h.target, Body: body, Attempt: attempt}
	ctx, cancel := context.WithTimeout(s.hk.ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.target, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "ShipStation Webhook")
		var resp *http.Response
		if resp, err = s.opts.WebhookClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			d.Status = resp.StatusCode
		}
	}
	if err != nil {
		d.Err = fmt.Errorf("shipstation: deliver %s to %s: %w", event, h.target, err)
	}
	return d
}

// Delivered reports whether the attempt reached the subscriber and got a 2xx answer.
func (d WebhookDelivery) Delivered() bool { return d.Err == nil && d.Status >= 200 && d.Status < 300 }

// hookCounts tracks webhook deliveries: POSTs in flight and deliveries still
// open (in flight or waiting for a retry).
type hookCounts struct {
	mu       sync.Mutex
	cond     *sync.Cond
	inFlight int
	open     int
	closed   bool
	ctx      context.Context
	cancel   context.CancelFunc
}

func (c *hookCounts) init() {
	c.cond = sync.NewCond(&c.mu)
	c.ctx, c.cancel = context.WithCancel(context.Background())
}

// begin counts a new delivery with its first POST in flight; false once closed.
func (c *hookCounts) begin() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.inFlight++
	c.open++
	return true
}

// retry counts the next POST of an open delivery in flight; false once closed.
func (c *hookCounts) retry() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.inFlight++
	return true
}

func (c *hookCounts) attemptDone() {
	c.mu.Lock()
	c.inFlight--
	c.mu.Unlock()
	c.cond.Broadcast()
}

func (c *hookCounts) finish() {
	c.mu.Lock()
	c.open--
	c.mu.Unlock()
	c.cond.Broadcast()
}

// waitFor blocks until done, which reads the counts, holds.
func (c *hookCounts) waitFor(done func() bool) {
	c.mu.Lock()
	for !done() {
		c.cond.Wait()
	}
	c.mu.Unlock()
}

// FlushWebhooks waits until every webhook POST started so far has finished
// (a failed one is then in WebhookDeliveries, its retry not yet made). Call
// it after the triggering call (Ship, AddOrder, Generate) returned, not
// concurrently with one.
func (s *Server) FlushWebhooks() { s.hk.waitFor(func() bool { return s.hk.inFlight == 0 }) }

// WaitWebhooks waits until every delivery started so far was answered with
// a 2xx or used up its retries (Options.WebhookRetryDelays), or ctx ends.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.hk.waitFor(func() bool { return s.hk.open == 0 })
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("shipstation sim: wait for webhooks: %w", ctx.Err())
	}
}

// Close stops webhook retries, cancels POSTs in flight and waits for their
// goroutines; later events deliver nothing. The API keeps answering.
func (s *Server) Close() {
	s.hk.mu.Lock()
	s.hk.closed = true
	s.hk.mu.Unlock()
	s.hk.cancel()
	s.hk.waitFor(func() bool { return s.hk.open == 0 })
}

// WebhookDeliveries returns the webhook POSTs made so far (each attempt of a
// delivery is one entry), in completion order. Call FlushWebhooks first to
// include those still in flight.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebhookDelivery(nil), s.sent...)
}
