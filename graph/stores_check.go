package graph

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// checkTimeout bounds a connection test the merchant waits for; it is tried once
// (storenet.WithMaxAttempts), so a wrong address is reported in seconds.
const checkTimeout = 15 * time.Second

// storeChannel is what a connection test says about a channel: its name, its credential inputs
// in the order the forms show them, the one a refusal is shown under, and the advice that goes
// with each kind of failure.
type storeChannel struct {
	label        string
	credentials  []string // input names of StoreCredentialsInput a connection needs
	refusedField string   // where "not accepted" is shown: the secret people paste wrong or cut short
	refused      string
	forbidden    string // the credentials are right but lack a permission (403)
	addressHint  string
}

var storeChannels = map[string]storeChannel{
	"shopify": {
		label: "Shopify", credentials: []string{"accessToken"}, refusedField: "accessToken",
		refused:     "Shopify did not accept this access token. Copy the Admin API access token (it starts with shpat_) again from your app’s API credentials in Shopify admin.",
		forbidden:   "Shopify accepted the access token, but the app may not read orders. In Shopify admin allow read_orders (and read_products, read_inventory) for the app, then try again.",
		addressHint: "Enter your shop’s myshopify.com address, e.g. https://your-shop.myshopify.com.",
	},
	"woocommerce": {
		label: "WooCommerce", credentials: []string{"consumerKey", "consumerSecret"}, refusedField: "consumerSecret",
		refused:     "The store did not accept this consumer key and secret. Copy both again from WooCommerce › Settings › Advanced › REST API (the secret is shown only once: add a new key if you no longer have it).",
		forbidden:   "The store accepted the key, but it may not read orders. Give the key Read (or Read/Write) permission in WooCommerce › Settings › Advanced › REST API.",
		addressHint: "Enter the address of the WordPress site WooCommerce runs on, e.g. https://store.example.com.",
	},
	"shipstation": {
		label: "ShipStation", credentials: []string{"apiKey", "apiSecret"}, refusedField: "apiSecret",
		refused:     "ShipStation did not accept this API key and secret. Copy both again from ShipStation’s Settings › Account › API Settings.",
		forbidden:   "ShipStation accepted the API key but refused to list the stores. Check the account’s API access in Settings › Account › API Settings.",
		addressHint: "Leave it as https://ssapi.shipstation.com unless ShipStation support told you otherwise.",
	},
}

// storeProblem is a failed connection test as a form shows it: the input to correct (baseUrl,
// a credential's input name, or "" when it is none of them) and what to do, in plain words.
type storeProblem struct {
	Field, Message string
}

// input is p as createStoreConnection's BAD_USER_INPUT: a credential's problem under
// "credentials" (the field the create input has), one concerning no input without a field.
func (p *storeProblem) input() error {
	switch {
	case p.Field == "":
		return &Error{Code: CodeBadUserInput, Message: p.Message}
	case credentialLabel[p.Field] != "":
		return badInput("credentials", "%s", p.Message)
	default:
		return badInput(p.Field, "%s", p.Message)
	}
}

// checkStore tests a store connection before it is saved: the credentials are all there, the
// address makes a client, and one authenticated call (one try, at most checkTimeout)
// succeeds. nil means it worked.
func (r *Resolver) checkStore(ctx context.Context, channel, base string, creds ordersync.Credentials) *storeProblem {
	ch, ok := storeChannels[channel]
	if !ok {
		return &storeProblem{Field: "channel", Message: "Choose Shopify, WooCommerce or ShipStation."}
	}
	have := map[string]string{"accessToken": creds.AccessToken, "consumerKey": creds.ConsumerKey, "consumerSecret": creds.ConsumerSecret,
		"apiKey": creds.APIKey, "apiSecret": creds.APISecret}
	for _, f := range ch.credentials {
		if have[f] == "" {
			return &storeProblem{Field: f, Message: "Enter the " + credentialLabel[f] + "."}
		}
	}
	src, err := r.Sources(channel, base, creds)
	if err != nil {
		return &storeProblem{Field: "baseUrl", Message: "This is not an address Ledgerlink can use. " + ch.addressHint}
	}
	ctx, cancel := context.WithTimeout(storenet.WithMaxAttempts(ctx, 1), checkTimeout)
	defer cancel()
	if err := src.Check(ctx); err != nil {
		p := explainCheck(ch, base, err)
		return &p
	}
	return nil
}

var credentialLabel = map[string]string{"accessToken": "Admin API access token", "consumerKey": "consumer key", "consumerSecret": "consumer secret",
	"apiKey": "API key", "apiSecret": "API secret"}

// explainCheck turns the error of a connection test into the input it concerns and plain
// words, by its storenet kind; the transport's own text ("dial tcp: lookup …") is never shown.
func explainCheck(ch storeChannel, base string, err error) storeProblem {
	host := base
	if u, perr := url.Parse(base); perr == nil && u.Host != "" {
		host = u.Host
	}
	var se *storenet.Error
	isStoreErr := errors.As(err, &se)
	switch {
	case errors.Is(err, storenet.ErrUnauthorized):
		if isStoreErr && se.Status == http.StatusForbidden {
			return storeProblem{ch.refusedField, ch.forbidden}
		}
		// WooCommerce tells a wrong key ("Consumer key is invalid.", or an unknown key's request
		// treated as anonymous: …_cannot_view) from a wrong secret.
		if isStoreErr && (strings.Contains(strings.ToLower(se.Message), "consumer key") || strings.HasSuffix(se.Code, "_cannot_view") ||
			strings.HasSuffix(se.Code, "_cannot_list")) {
			return storeProblem{"consumerKey", ch.refused}
		}
		return storeProblem{ch.refusedField, ch.refused}
	case errors.Is(err, storenet.ErrInternalAddress):
		return storeProblem{"baseUrl", host + " is inside Ledgerlink’s own network, which store connections may not reach. Enter the store’s public address."}
	case errors.Is(err, storenet.ErrNoSuchHost):
		return storeProblem{"baseUrl", "There is no server named " + host + ". Check the address for a typing mistake. " + ch.addressHint}
	case errors.Is(err, storenet.ErrRefused):
		return storeProblem{"baseUrl", host + " refused the connection: nothing answers there. Check the address. " + ch.addressHint}
	case errors.Is(err, storenet.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return storeProblem{"baseUrl", host + " did not answer within 15 seconds. Check the address, or try again later."}
	case errors.Is(err, storenet.ErrUnreachable):
		return storeProblem{"baseUrl", "Ledgerlink could not reach " + host + ". Check the address. " + ch.addressHint}
	case errors.Is(err, storenet.ErrNotFound), errors.Is(err, storenet.ErrInvalid), isStoreErr && se.Status < 300:
		// A 404, or an answer that is not the API's: some other web site.
		return storeProblem{"baseUrl", host + " answered, but not as a " + ch.label + " store. " + ch.addressHint}
	case errors.Is(err, storenet.ErrRateLimited):
		return storeProblem{"", ch.label + " asked Ledgerlink to slow down. Try again in a minute."}
	case isStoreErr && se.Status >= 500:
		return storeProblem{"", ch.label + " failed to answer (HTTP " + http.StatusText(se.Status) + "). Try again in a few minutes."}
	default:
		return storeProblem{"", "The connection test failed: " + err.Error()}
	}
}
