package shopifysim

import (
	"net/url"
	"strings"
)

// webhookSubscriptionCreate / webhookSubscriptionDelete: the Admin API's way to register the
// webhooks Subscribe registers from Go. Only HTTP callbacks in JSON are simulated (the
// EventBridge/Pub/Sub endpoints and XML format are refused as userErrors).

func (s *Server) resolveWebhookSubscriptionCreate(x *execCtx, _ any, args map[string]any) (any, error) {
	enum, _ := args["topic"].(string)
	in, _ := args["webhookSubscription"].(map[string]any)
	callback, _ := in["callbackUrl"].(string)
	format, _ := in["format"].(string)
	fail := func(field, msg string) (any, error) {
		return hookPayload{errs: []any{userError{field: []string{"webhookSubscription", field}, msg: msg}}}, nil
	}
	if u, err := url.Parse(callback); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fail("callbackUrl", "Address is invalid")
	}
	if format != "" && format != "JSON" {
		return fail("format", "Format is not simulated")
	}
	topic := strings.ToLower(strings.Replace(enum, "_", "/", 1))
	sub, err := s.subscribe(topic, callback, x.now)
	if err != nil {
		return hookPayload{errs: []any{userError{field: []string{"topic"}, msg: "Topic is not simulated"}}}, nil
	}
	return hookPayload{sub: &sub, errs: []any{}}, nil
}

func (s *Server) resolveWebhookSubscriptionDelete(_ *execCtx, _ any, args map[string]any) (any, error) {
	id, err := globalID("WebhookSubscription", args["id"])
	if err != nil {
		return nil, err
	}
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	for i, sub := range s.hooks.subs {
		if sub.id == id {
			s.hooks.subs = append(s.hooks.subs[:i], s.hooks.subs[i+1:]...)
			return hookPayload{deleted: gid("WebhookSubscription", id), errs: []any{}}, nil
		}
	}
	return hookPayload{errs: []any{userError{field: []string{"id"}, msg: "Webhook subscription does not exist"}}}, nil
}

// hookPayload is a WebhookSubscriptionCreatePayload or …DeletePayload.
type hookPayload struct {
	sub     *subscription
	deleted string
	errs    []any
}

func (s *Server) webhookResolvers(reg func(string, map[string]resolver)) {
	type R = map[string]resolver
	reg("WebhookSubscriptionCreatePayload", R{
		"webhookSubscription": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			if p := src.(hookPayload); p.sub != nil {
				return p.sub, nil
			}
			return nil, nil
		},
		"userErrors": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(hookPayload).errs, nil },
	})
	reg("WebhookSubscriptionDeletePayload", R{
		"deletedWebhookSubscriptionId": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			return strPtr(src.(hookPayload).deleted), nil
		},
		"userErrors": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(hookPayload).errs, nil },
	})
	reg("UserError", R{
		"field":   func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(userError).field, nil },
		"message": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(userError).msg, nil },
	})
	reg("WebhookSubscription", R{
		"id": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			return gid("WebhookSubscription", src.(*subscription).id), nil
		},
		"legacyResourceId": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*subscription).id, nil },
		"topic": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			return strings.ToUpper(strings.ReplaceAll(src.(*subscription).topic, "/", "_")), nil
		},
		"callbackUrl": func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*subscription).url, nil },
		"format":      func(_ *execCtx, src any, _ map[string]any) (any, error) { return "JSON", nil },
		"createdAt":   func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*subscription).createdAt, nil },
		"updatedAt":   func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(*subscription).createdAt, nil },
	})
}
