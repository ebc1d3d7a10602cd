package woocommerce

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// amount is a WooCommerce money value: a decimal string ("29.35") or, in a
// few places, a JSON number. It is read exactly into cents; digits past the
// cent round half away from zero, like wc_format_decimal with dp=2.
type amount int64

func (a *amount) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if s == "null" || s == "" {
		*a = 0
		return nil
	}
	v, err := parseCents(s)
	if err != nil {
		return err
	}
	*a = amount(v)
	return nil
}

var errAmount = errors.New("not a decimal amount")

// parseCents parses a decimal ("12", "-3.5", "16.528926", "1e2") into cents,
// rounding half away from zero.
func parseCents(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("%q: %w", s, errAmount)
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("%q: %w", s, errAmount)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("%q: %w", s, errAmount)
			}
		}
	}
	var w int64
	if whole != "" {
		var err error
		if w, err = strconv.ParseInt(whole, 10, 64); err != nil || w > 1e15 {
			return 0, fmt.Errorf("%q: %w", s, errAmount)
		}
	}
	frac += "000"
	f, _ := strconv.ParseInt(frac[:2], 10, 64)
	if frac[2] >= '5' {
		f++
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return v, nil
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
