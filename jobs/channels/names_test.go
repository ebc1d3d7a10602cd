package channels_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/shopify"
	"github.com/ledgerlink/ledgerlink/jobs/woocommerce"
)

// TestCustomerNamesEveryChannelEveryMatchingMode normalizes orders as each channel sends them
// (testdata/customer-names.json) and checks the QuickBooks customer every matching mode picks,
// the buyer's first and last name, and the name shown for the order, against names written by
// hand in the fixture.
func TestCustomerNamesEveryChannelEveryMatchingMode(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "customer-names.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Cases []struct {
			Case    string            `json:"case"`
			Channel string            `json:"channel"`
			Order   json.RawMessage   `json:"order"`
			Want    map[string]string `json:"want"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	modes := []string{orders.MatchLastFirst, orders.MatchFirstLast, orders.MatchCompany, orders.MatchEmail, orders.MatchSingle, orders.MatchStore}
	seen := map[string]int{}
	for _, c := range fx.Cases {
		var o orders.Order
		switch c.Channel {
		case "shipstation":
			o, err = shipstation.Normalize(c.Order, "USD")
		case "shopify":
			o, err = shopify.Normalize(c.Order)
		case "woocommerce":
			o, err = woocommerce.Normalize(c.Order)
		default:
			t.Fatalf("%s: unknown channel %q", c.Case, c.Channel)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.Case, err)
		}
		seen[c.Channel]++
		for _, mode := range modes {
			want, ok := c.Want[mode]
			if !ok {
				t.Fatalf("%s: the fixture has no expected name for mode %s", c.Case, mode)
			}
			s := orders.DefaultSettings()
			s.CustomerMatch, s.SingleCustomer = mode, "Web Store"
			if got := posting.CustomerName(o, s, "Main Street Shop"); got != want {
				t.Errorf("%s: %s → %q, want %q", c.Case, mode, got, want)
			}
		}
		if o.Customer.FirstName != c.Want["firstName"] || o.Customer.LastName != c.Want["lastName"] {
			t.Errorf("%s: first/last %q / %q, want %q / %q", c.Case, o.Customer.FirstName, o.Customer.LastName, c.Want["firstName"], c.Want["lastName"])
		}
		if got := orders.DisplayName(o); got != c.Want["displayName"] {
			t.Errorf("%s: shown as %q, want %q", c.Case, got, c.Want["displayName"])
		}
	}
	for _, ch := range []string{"shipstation", "shopify", "woocommerce"} {
		if seen[ch] == 0 {
			t.Errorf("the fixture has no %s order", ch)
		}
	}
}
