package woocommerce

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// amount is a WooCommerce money value: a decimal string ("29.35") or, in a
// few places, a JSON number. It is read exactly into cents; digits past the
// cent round half away from zero, like wc_format_decimal with dp=2.
type amount int64

func (a *amount) UnmarshalJSON(b []byte) error {
	v, err := orders.UnmarshalMoney(b)
	if err != nil {
		return err
	}
	*a = amount(v)
	return nil
}

// gmtTime is a WordPress *_gmt date ("2017-03-22T19:28:02", no offset,
// UTC); null is the zero time.
type gmtTime struct{ time.Time }

func (t *gmtTime) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", time.RFC3339Nano} {
		if v, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("woocommerce: %q is not a WordPress GMT date", s)
}

// percentToRate turns WooCommerce's rate_percent (8.25) into the fraction
// orders.TaxLine.Rate uses ("0.0825"), by moving the decimal point in the
// number's text, so nothing is lost to floating point.
func percentToRate(n json.Number) string {
	s := n.String()
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "eE") {
		f, err := n.Float64()
		if err != nil {
			return s
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	whole = strings.Repeat("0", max(0, 3-len(whole))) + whole
	digits := whole[:len(whole)-2] + "." + whole[len(whole)-2:] + frac
	intPart, fracPart, _ := strings.Cut(digits, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	fracPart = strings.TrimRight(fracPart, "0")
	out := intPart
	if fracPart != "" {
		out += "." + fracPart
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}
