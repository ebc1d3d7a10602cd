package invpush

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// Quantity is the stock one SKU should have in the store.
type Quantity struct {
	SKU       string
	Available int64
}

// Status is how the store took one Quantity.
type Status int

const (
	// Set: the store now has the quantity.
	Set Status = iota + 1
	// Unknown: no product or variant in the store has the SKU.
	Unknown
	// Refused: the store refused this SKU's quantity (Message says why); sending it again
	// would be refused again.
	Refused
	// NotDone: the call failed before this SKU was decided (the error returned with the
	// results says why); nothing is known to have changed.
	NotDone
)

// Result is the outcome of one Quantity.
type Result struct {
	Status  Status
	Message string // the store's words, for Refused
}

// Store sets quantities in one store, batched: Set gets every quantity of a push round and
// returns one Result per Quantity, in order. Its error is for a failure of a call (the
// storenet.Error kinds say whether waiting helps); the results then tell which SKUs were
// decided before it.
type Store interface {
	// Describe names the store for people: `the Shopify store "Main shop"`.
	Describe() string
	Set(ctx context.Context, qs []Quantity) ([]Result, error)
	// Has searches the store's catalogue for skus in bulk (many SKUs per request) and returns
	// those some product or variant has, keyed as given.
	Has(ctx context.Context, skus []string) (map[string]bool, error)
}

// StoreOptions configure the store client Open builds.
type StoreOptions struct {
	// Location is the connection's Shopify location setting (id or name; empty: primary).
	Location string
	// Reference names the push in the store's history where the store keeps one (Shopify's
	// referenceDocumentUri), e.g. "ledgerlink://inventory-push/12/345".
	Reference string
	// HTTPClient sends the calls (default storenet.HTTPClient(), which refuses internal
	// addresses unless the operator allows them).
	HTTPClient *http.Client
	Logger     *slog.Logger
	// Sleep is the clients' wait (default a timer); benchmarks and tests may count waits.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Open builds the Store of a store connection from its opened credentials: Shopify
// (inventorySetQuantities) and WooCommerce (products/batch, variations/batch). Other channels
// hold no stock Ledgerlink can set, and get an error.
func Open(conn *db.StoreConnection, creds ordersync.Credentials, o StoreOptions) (Store, error) {
	hc := o.HTTPClient
	if hc == nil {
		hc = storenet.HTTPClient()
	}
	switch conn.Channel {
	case "shopify":
		c, err := shopify.New(shopify.Config{BaseURL: conn.BaseURL, AccessToken: creds.AccessToken, InventoryReference: o.Reference,
			HTTPClient: hc, Logger: o.Logger, Sleep: o.Sleep})
		if err != nil {
			return nil, err
		}
		return &shopifyStore{c: c, name: fmt.Sprintf("the Shopify store %q", conn.Name), location: o.Location}, nil
	case "woocommerce":
		c, err := woocommerce.New(woocommerce.Config{BaseURL: conn.BaseURL, ConsumerKey: creds.ConsumerKey, ConsumerSecret: creds.ConsumerSecret,
			HTTPClient: hc, Logger: o.Logger, Sleep: o.Sleep})
		if err != nil {
			return nil, err
		}
		return wooStore{c: c, name: fmt.Sprintf("the WooCommerce store %q", conn.Name)}, nil
	default:
		return nil, fmt.Errorf("invpush: %s connections have no stock Ledgerlink can set", conn.Channel)
	}
}

type shopifyStore struct {
	c        *shopify.Client
	name     string
	location string
	once     sync.Once
	locErr   error
}

func (s *shopifyStore) Describe() string { return s.name }

func (s *shopifyStore) Set(ctx context.Context, qs []Quantity) ([]Result, error) {
	out := make([]Result, len(qs))
	// The location setting may be a name: resolved once per Store, i.e. per push run.
	s.once.Do(func() { s.locErr = s.c.SelectLocation(ctx, s.location) })
	if s.locErr != nil {
		for i := range out {
			out[i] = Result{Status: NotDone}
		}
		return out, s.locErr
	}
	in := make([]shopify.Quantity, len(qs))
	for i, q := range qs {
		in[i] = shopify.Quantity{SKU: q.SKU, Available: int(q.Available)}
	}
	res, err := s.c.SetInventory(ctx, in)
	for i, r := range res {
		out[i] = result(r.Status == shopify.InventoryOK, r.Status == shopify.InventoryUnknownSKU, r.NotDone, r.Message, r.Message)
	}
	return out, err
}

// result is the Result of one store answer: ok and unknown are the store's verdicts on the
// SKU, notDone says the store never got to it (a refusal of the whole call); anything else is
// a refusal of this SKU, with the store's message. okMessage is kept on a success (Shopify
// explains a quantity it had to clamp).
func result(ok, unknown, notDone bool, okMessage, message string) Result {
	switch {
	case ok:
		return Result{Status: Set, Message: okMessage}
	case unknown:
		return Result{Status: Unknown}
	case notDone:
		return Result{Status: NotDone}
	}
	return Result{Status: Refused, Message: message}
}

func (s *shopifyStore) Has(ctx context.Context, skus []string) (map[string]bool, error) {
	levels, err := s.c.Stock(ctx, skus)
	return found(levels), err
}

func found[L any](levels map[string]L) map[string]bool {
	out := make(map[string]bool, len(levels))
	for k := range levels {
		out[k] = true
	}
	return out
}

type wooStore struct {
	c    *woocommerce.Client
	name string
}

func (s wooStore) Describe() string { return s.name }

func (s wooStore) Set(ctx context.Context, qs []Quantity) ([]Result, error) {
	in := make([]woocommerce.Quantity, len(qs))
	for i, q := range qs {
		in[i] = woocommerce.Quantity{SKU: strings.TrimSpace(q.SKU), Available: int(q.Available)}
	}
	res, err := s.c.SetStock(ctx, in)
	out := make([]Result, len(qs))
	for i, r := range res {
		out[i] = result(r.Status == woocommerce.StockOK, r.Status == woocommerce.StockUnknownSKU, r.NotDone, "", r.Message)
	}
	return out, err
}

func (s wooStore) Has(ctx context.Context, skus []string) (map[string]bool, error) {
	levels, err := s.c.Stock(ctx, skus)
	return found(levels), err
}
