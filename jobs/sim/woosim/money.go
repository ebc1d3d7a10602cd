package woosim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// cents is an amount in the store currency's minor unit. The store keeps
// money as WooCommerce prints it (decimal strings); cents is only used to
// compute totals.
type cents int64

var errAmount = errors.New("invalid amount")

// parseCents parses a WooCommerce decimal string ("12", "12.5", "-3.99",
// ""). The empty string is zero; more than two decimals are rounded half
// away from zero, like wc_format_decimal with dp=2.
func parseCents(s string) (cents, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
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
		if w, err = strconv.ParseInt(whole, 10, 64); err != nil || w > 1e13 {
			return 0, fmt.Errorf("%q: %w", s, errAmount)
		}
	}
	frac += "000"
	f, _ := strconv.ParseInt(frac[:2], 10, 64)
	if frac[2] >= '5' {
		f++
	}
	v := cents(w*100 + f)
	if neg {
		v = -v
	}
	return v, nil
}

// mustCents is parseCents for amounts the simulator wrote itself; a bad
// one is treated as zero.
func mustCents(s string) cents {
	c, _ := parseCents(s)
	return c
}

// String formats c with two decimals, the way WooCommerce prints order
// amounts ("29.35", "-5.00").
func (c cents) String() string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// raw formats c without trailing zeros, the way WooCommerce stores
// per-rate tax amounts in an item's taxes array ("0.9", "1", "0.45").
func (c cents) raw() string {
	s := c.String()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// float is c as a PHP float (line item "price").
func (c cents) float() float64 { return float64(c) / 100 }

// percentOf returns rate percent of c, rounded half away from zero.
func (c cents) percentOf(ratePercent float64) cents {
	v := float64(c) * ratePercent / 100
	if v < 0 {
		return -cents(-v + 0.5)
	}
	return cents(v + 0.5)
}
