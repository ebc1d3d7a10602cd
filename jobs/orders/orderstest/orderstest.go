// Package orderstest checks what every channel's normalizer promises about the orders.Order it
// returns, whatever the store sent: the sums the normalizer computes hold to the cent without
// overflow, the order names its channel and store id, text is valid UTF-8, and the order
// survives the JSON round trip it takes into the database. For tests (fuzz targets) only.
package orderstest

import (
	"bytes"
	"encoding/json"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// CheckResult checks one result of channel's Normalize: a refusal must be an error whose text
// starts with "<channel>: " and come with the zero Order; an accepted order must pass
// CheckNormalized. It reports whether the order was accepted.
func CheckResult(t *testing.T, channel string, o orders.Order, err error) bool {
	t.Helper()
	if err != nil {
		if !strings.HasPrefix(err.Error(), channel+": ") || !reflect.DeepEqual(o, orders.Order{}) {
			t.Fatalf("Normalize = %+v, %q: want no order and an error naming %s", o, err, channel)
		}
		return false
	}
	CheckNormalized(t, channel, o)
	return true
}

// CheckPositiveID fails t unless o's ExternalID is a positive decimal integer, as the order
// ids of WooCommerce and ShipStation are.
func CheckPositiveID(t *testing.T, o orders.Order) {
	t.Helper()
	if id, err := strconv.ParseInt(o.ExternalID, 10, 64); err != nil || id <= 0 {
		t.Fatalf("order accepted with external id %q: %s order ids are positive numbers", o.ExternalID, o.Channel)
	}
}

// CheckNormalized fails t when o, returned by channel's normalizer, breaks one of:
//   - Channel is channel and ExternalID is not empty;
//   - every line's Total = UnitPrice × Quantity − Discount, Subtotal = Σ UnitPrice × Quantity,
//     Σ Discounts = DiscountTotal and Shipping.Amount = ShippingTotal, computed here in
//     arbitrary precision so an int64 overflow cannot pass for a sum;
//   - every string (keys of Custom too) is valid UTF-8;
//   - json.Marshal succeeds and unmarshalling its output gives an order that marshals the same.
func CheckNormalized(t *testing.T, channel string, o orders.Order) {
	t.Helper()
	if o.Channel != channel || o.ExternalID == "" {
		t.Fatalf("order of channel %q with external id %q, want channel %q and an id", o.Channel, o.ExternalID, channel)
	}
	sub := new(big.Int)
	for i, l := range o.Lines {
		gross := new(big.Int).Mul(big.NewInt(int64(l.UnitPrice)), big.NewInt(l.Quantity))
		sub.Add(sub, gross)
		if want := new(big.Int).Sub(gross, big.NewInt(int64(l.Discount))); want.Cmp(big.NewInt(int64(l.Total))) != 0 {
			t.Fatalf("line %d: UnitPrice %v × Quantity %d − Discount %v = %v cents, Total = %v", i, l.UnitPrice, l.Quantity, l.Discount, want, l.Total)
		}
	}
	if sub.Cmp(big.NewInt(int64(o.Subtotal))) != 0 {
		t.Fatalf("Σ UnitPrice × Quantity = %v cents, Subtotal = %v", sub, o.Subtotal)
	}
	disc := new(big.Int)
	for _, d := range o.Discounts {
		disc.Add(disc, big.NewInt(int64(d.Amount)))
	}
	if disc.Cmp(big.NewInt(int64(o.DiscountTotal))) != 0 {
		t.Fatalf("Σ Discounts = %v cents, DiscountTotal = %v", disc, o.DiscountTotal)
	}
	if o.Shipping.Amount != o.ShippingTotal {
		t.Fatalf("Shipping.Amount = %v, ShippingTotal = %v", o.Shipping.Amount, o.ShippingTotal)
	}
	checkUTF8(t, "Order", reflect.ValueOf(o))
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("the order cannot be stored as JSON: %v", err)
	}
	var back orders.Order
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("the order's JSON does not read back: %v", err)
	}
	if b2, err := json.Marshal(back); err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("JSON round trip changed the order:\n%s\n%s (%v)", b, b2, err)
	}
}

func checkUTF8(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			t.Fatalf("%s = %q is not valid UTF-8", path, v.String())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				checkUTF8(t, path+"."+v.Type().Field(i).Name, v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			checkUTF8(t, path+"[]", v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			checkUTF8(t, path+" key", it.Key())
			checkUTF8(t, path+"["+it.Key().String()+"]", it.Value())
		}
	}
}
