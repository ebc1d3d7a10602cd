package demo

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// TestDemoShipStationOrdersAreUnderPeoplesNames pulls the demo's simulated ShipStation store
// through the real client, as a fresh `ledgerlink run` does, and checks that every order is
// shown under the buyer the store names (billTo.name), and posts to a customer named for that
// person under the demo's settings: only a name in a script QuickBooks cannot store (Latin-1)
// falls back to the e-mail (issue 9: all 40 went to e-mail-named customers).
func TestDemoShipStationOrdersAreUnderPeoplesNames(t *testing.T) {
	srv := httptest.NewServer(Simulators("")["shipstation"])
	t.Cleanup(srv.Close)
	c, err := shipstation.New(shipstation.Config{BaseURL: srv.URL, APIKey: simShipStationKey, APISecret: simShipStationSecret})
	if err != nil {
		t.Fatal(err)
	}
	var s orders.Settings
	if err := json.Unmarshal(ordersync.DefaultSettingsJSON(), &s); err != nil {
		t.Fatal(err)
	}
	n, people := 0, 0
	err = c.Orders(context.Background(), shipstation.Query{UpdatedFrom: time.Now().AddDate(-1, 0, 0), UpdatedTo: time.Now().Add(time.Hour)},
		func(p shipstation.Page) error {
			for _, f := range p.Orders {
				n++
				var raw struct {
					BillTo        struct{ Name string } `json:"billTo"`
					CustomerEmail string                `json:"customerEmail"`
				}
				if err := json.Unmarshal(f.Raw, &raw); err != nil {
					return err
				}
				if got := orders.DisplayName(f.Order); got != raw.BillTo.Name {
					t.Errorf("order %s is shown under %q, the store names %q", f.Order.Number, got, raw.BillTo.Name)
				}
				latin := true
				for _, r := range raw.BillTo.Name {
					latin = latin && (!unicode.IsLetter(r) || unicode.Is(unicode.Latin, r))
				}
				customer := posting.CustomerName(f.Order, s.WithDefaults(), "Demo ShipStation (simulated)")
				switch {
				case latin && (strings.Contains(customer, "@") || !strings.Contains(customer, ", ")):
					t.Errorf("order %s of %q posts to customer %q, not the person", f.Order.Number, raw.BillTo.Name, customer)
				case !latin && customer != raw.CustomerEmail:
					t.Errorf("order %s of %q posts to %q, want the e-mail %q", f.Order.Number, raw.BillTo.Name, customer, raw.CustomerEmail)
				case latin:
					people++
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if n != DemoOrders || people == 0 {
		t.Fatalf("%d demo orders (want %d), %d under people's names", n, DemoOrders, people)
	}
}
