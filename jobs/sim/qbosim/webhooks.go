package qbosim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// DefaultWebhookRetryDelays is Intuit's retry policy ("Retry at intervals of
// 20, 30, and 50 minutes"), for 500, 502, 503, 504 and 408 answers and
// endpoints that cannot be reached.
var DefaultWebhookRetryDelays = []time.Duration{20 * time.Minute, 30 * time.Minute, 50 * time.Minute}

// retryStatuses are the answers Intuit retries on.
var retryStatuses = []int{500, 502, 503, 504, 408}

// WebhookDelivery is one POST attempt of a notification.
type WebhookDelivery struct {
	Time      time.Time // real time of the attempt
	Attempt   int       // 1 for the first try
	Body      []byte    // the raw payload (what intuit-signature signs)
	Signature string
	Status    int // 0 when the endpoint could not be reached
	Err       string
}

// Webhook notification payload ("Webhooks": eventNotifications).
type notification struct {
	EventNotifications []eventNotification `json:"eventNotifications"`
}

type eventNotification struct {
	RealmID         string          `json:"realmId"`
	DataChangeEvent dataChangeEvent `json:"dataChangeEvent"`
}

type dataChangeEvent struct {
	Entities []entityChange `json:"entities"`
}

type entityChange struct {
	Name        string `json:"name"`
	ID          string `json:"id"`
	Operation   string `json:"operation"`
	LastUpdated string `json:"lastUpdated"`
}

// SetWebhook points notifications at url, signed with verifier (the app's
// verifier token). An empty url stops notifications.
func (s *Server) SetWebhook(url, verifier string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL, s.hookVerifier = url, verifier
}

// Sign is what Intuit puts in intuit-signature: base64(HMAC-SHA256(verifier, body)).
func Sign(verifier string, body []byte) string {
	m := hmac.New(sha256.New, []byte(verifier))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// queueWebhookLocked sends one notification for a write's changes (one realm
// per notification, as Intuit sends them). The caller holds s.mu.
func (s *Server) queueWebhookLocked(events []changeEvent) {
	if s.hookURL == "" || len(events) == 0 {
		return
	}
	var ents []entityChange
	for _, e := range events {
		c := entityChange{Name: e.Name, ID: e.ID, Operation: e.Operation, LastUpdated: e.At.In(pacific).Format("2006-01-02T15:04:05-0700")}
		if !slices.Contains(ents, c) {
			ents = append(ents, c)
		}
	}
	body, _ := json.Marshal(notification{EventNotifications: []eventNotification{{RealmID: s.opts.Realm,
		DataChangeEvent: dataChangeEvent{Entities: ents}}}})
	url, sig := s.hookURL, Sign(s.hookVerifier, body)
	s.hooks.Add(1)
	go func() {
		defer s.hooks.Done()
		s.deliver(url, body, sig)
	}()
}

// deliver POSTs one notification, retrying on Intuit's schedule.
func (s *Server) deliver(url string, body []byte, sig string) {
	for attempt := 1; ; attempt++ {
		d := WebhookDelivery{Time: time.Now(), Attempt: attempt, Body: body, Signature: sig}
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("User-Agent", "intuit_notification_server/0.1")
			req.Header.Set("intuit-signature", sig)
			req.Header.Set("intuit-created-time", time.Now().In(pacific).Format("2006-01-02T15:04:05-0700"))
			req.Header.Set("intuit-notification-schema-version", "0.1")
			req.Header.Set("intuit-t-id", randomToken("", 16, b64))
			var resp *http.Response
			resp, err = s.opts.WebhookClient.Do(req)
			if err == nil {
				d.Status = resp.StatusCode
				resp.Body.Close()
			}
		}
		if err != nil {
			d.Err = err.Error()
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		s.mu.Unlock()
		retry := err != nil || slices.Contains(retryStatuses, d.Status)
		if !retry || attempt > len(s.opts.WebhookRetryDelays) {
			return
		}
		select {
		case <-time.After(s.opts.WebhookRetryDelays[attempt-1]):
		case <-s.closed:
			return
		}
	}
}

// WebhookDeliveries returns every webhook POST attempt so far.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

// Close stops pending webhook retries and waits for deliveries in progress.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.hooks.Wait()
}
