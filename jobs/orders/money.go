package orders

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrAmount is returned by ParseMoney for text that is not a decimal amount.
var ErrAmount = errors.New("not a decimal amount")

// ParseMoney parses a decimal amount as stores send it ("12", "-3.5", "59.970000000000006",
// "16.528926", "1e2") into cents, rounding half away from zero. It never goes through a float
// for ordinary decimals, so "0.285" is 29 cents, not 28.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "eE") { // exponent form: rare, go through the exact decimal path
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("%q: %w", s, ErrAmount)
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("%q: %w", s, ErrAmount)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("%q: %w", s, ErrAmount)
			}
		}
	}
	var w int64
	if whole != "" {
		var err error
		if w, err = strconv.ParseInt(whole, 10, 64); err != nil || w > 1e15 {
			return 0, fmt.Errorf("%q: %w", s, ErrAmount)
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
	return Money(v), nil
}
