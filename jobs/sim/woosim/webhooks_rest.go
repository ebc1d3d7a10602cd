package woosim

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The REST webhooks routes (WC_REST_Webhooks_Controller): POST /webhooks creates one (and,
// through AddWebhook, pings its delivery URL), GET /webhooks/{id} reads one, DELETE
// /webhooks/{id}?force=true removes it (webhooks cannot be trashed: without force the answer
// is 501 woocommerce_rest_trash_not_supported).

var webhookTopics = map[string]bool{
	"order.created": true, "order.updated": true, "order.deleted": true, "order.restored": true,
	"product.created": true, "product.updated": true, "product.deleted": true, "product.restored": true,
	"customer.created": true, "customer.updated": true, "customer.deleted": true,
	"coupon.created": true, "coupon.updated": true, "coupon.deleted": true, "coupon.restored": true,
}

var webhookCreateArgs = []arg{
	{name: "name", kind: argString, def: ""},
	{name: "status", kind: argEnum, enum: []string{"active", "paused", "disabled"}, def: "active"},
	{name: "topic", kind: argString, required: true},
	{name: "secret", kind: argString, def: ""},
	{name: "delivery_url", kind: argString, required: true},
}

var webhookDeleteArgs = []arg{{name: "force", kind: argBoolean, def: false}}

func (s *Server) createWebhook(c *call) (*reply, *wpError) {
	topic := strings.ToLower(c.params["topic"].(string))
	if !webhookTopics[topic] {
		return nil, newError("woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.", http.StatusBadRequest)
	}
	target := c.params["delivery_url"].(string)
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, newError("woocommerce_rest_webhook_invalid_delivery_url", "Webhook delivery URL must be a valid URL starting with http:// or https://.", http.StatusBadRequest)
	}
	// The ping's outcome does not undo the save (AddWebhook stores the webhook either way).
	w, _ := s.AddWebhook(Webhook{Name: c.params["name"].(string), Topic: topic, DeliveryURL: target,
		Secret: c.params["secret"].(string), Status: c.params["status"].(string)})
	h := http.Header{}
	h.Set("Location", c.restURL(fmt.Sprintf("/wc/v3/webhooks/%d", w.ID)))
	return &reply{status: http.StatusCreated, body: s.webhookJSON(c, w), headers: h}, nil
}

func (s *Server) getWebhook(c *call) (*reply, *wpError) {
	w, ok := s.webhookByID(c.vars["id"])
	if !ok {
		return nil, newError("woocommerce_rest_webhook_invalid_id", "Invalid ID.", http.StatusNotFound)
	}
	return &reply{status: http.StatusOK, body: s.webhookJSON(c, w)}, nil
}

func (s *Server) deleteWebhook(c *call) (*reply, *wpError) {
	w, ok := s.webhookByID(c.vars["id"])
	if !ok {
		return nil, newError("woocommerce_rest_webhook_invalid_id", "Invalid ID.", http.StatusNotFound)
	}
	if !c.params["force"].(bool) {
		return nil, newError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", http.StatusNotImplemented)
	}
	s.hooks.mu.Lock()
	for i, h := range s.hooks.list {
		if h.ID == w.ID {
			s.hooks.list = append(s.hooks.list[:i], s.hooks.list[i+1:]...)
			break
		}
	}
	s.hooks.mu.Unlock()
	return &reply{status: http.StatusOK, body: s.webhookJSON(c, w)}, nil
}

func (s *Server) webhookByID(raw string) (Webhook, bool) {
	id, _ := strconv.Atoi(raw)
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	for _, h := range s.hooks.list {
		if h.ID == id {
			return h.Webhook, true
		}
	}
	return Webhook{}, false
}

// webhookJSON is the REST representation of a webhook (the secret is never shown).
func (s *Server) webhookJSON(c *call, w Webhook) obj {
	resource, event, _ := strings.Cut(w.Topic, ".")
	now := s.now()
	return obj{
		{"id", w.ID}, {"name", w.Name}, {"status", w.Status}, {"topic", w.Topic}, {"resource", resource}, {"event", event},
		{"hooks", []string{"woocommerce_new_" + resource, "woocommerce_update_" + resource}},
		{"delivery_url", w.DeliveryURL},
		{"date_created", wpDate(now, s.loc)}, {"date_created_gmt", wpDate(now, time.UTC)},
		{"date_modified", wpDate(now, s.loc)}, {"date_modified_gmt", wpDate(now, time.UTC)},
		{"_links", obj{
			{"self", []href{{c.restURL(fmt.Sprintf("/wc/v3/webhooks/%d", w.ID))}}},
			{"collection", []href{{c.restURL("/wc/v3/webhooks")}}},
		}},
	}
}
