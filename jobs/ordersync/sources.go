package ordersync

import (
	"encoding/json"
	"fmt"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Credentials is the sealed JSON of a store connection. Only the fields of its channel are set.
type Credentials struct {
	AccessToken    string `json:"accessToken,omitempty"`
	ConsumerKey    string `json:"consumerKey,omitempty"`
	ConsumerSecret string `json:"consumerSecret,omitempty"`
	APIKey         string `json:"apiKey,omitempty"`
	APISecret      string `json:"apiSecret,omitempty"`
	// WebhookSecret signs the store's webhooks: for Shopify the app's client secret (given by
	// the merchant), for WooCommerce the secret Ledgerlink chose when it registered them.
	WebhookSecret string `json:"webhookSecret,omitempty"`
}

// Validate says which credentials a channel needs and are missing.
func (c Credentials) Validate(channel string) error {
	missing := func(names ...string) error { return fmt.Errorf("%s needs %v", channel, names) }
	switch channel {
	case "shopify":
		if c.AccessToken == "" {
			return missing("accessToken")
		}
	case "woocommerce":
		if c.ConsumerKey == "" || c.ConsumerSecret == "" {
			return missing("consumerKey", "consumerSecret")
		}
	case "shipstation":
		if c.APIKey == "" || c.APISecret == "" {
			return missing("apiKey", "apiSecret")
		}
	default:
		return fmt.Errorf("unknown channel %q", channel)
	}
	return nil
}

// Sources builds the client of a channel.
type Sources func(channel, baseURL string, creds Credentials) (Source, error)

// OpenCredentials decrypts a connection's credentials.
func OpenCredentials(sealed []byte, open func([]byte) ([]byte, error)) (Credentials, error) {
	var c Credentials
	plain, err := open(sealed)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(plain, &c); err != nil {
		return c, fmt.Errorf("ordersync: credentials: %w", err)
	}
	return c, nil
}

// DefaultSettingsJSON is a new connection's settings.
func DefaultSettingsJSON() json.RawMessage {
	b, _ := json.Marshal(orders.DefaultSettings())
	return b
}
