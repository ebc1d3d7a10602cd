package orders

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrAmount is returned by ParseMoney for text that is not a decimal amount.
var ErrAmount = errors.New("not a decimal amount")

// MaxMoney is the largest amount QuickBooks holds (qbXML AMTTYPE: 13 integer digits), and the
// largest ParseMoney reads: any few thousand such amounts add up without overflowing int64.
const MaxMoney Money = 999_999_999_999_999

// MaxQuantity is the largest whole quantity QuickBooks holds (qbXML QUANTYPE: 10 integer digits).
const MaxQuantity = 9_999_999_999

// UnmarshalMoney reads a money value of a store's JSON as ParseMoney does: a decimal string
// ("29.35") or a JSON number, whose text is read rather than a float64; null and "" are 0. The
// clients' money types call it from their UnmarshalJSON.
func UnmarshalMoney(b []byte) (Money, error) {
	s := string(bytes.Trim(b, `"`))
	if s == "null" || s == "" {
		return 0, nil
	}
	return ParseMoney(s)
}

// ParseMoney parses a decimal amount as stores send it ("12", "-3.5", "59.970000000000006",
// "16.528926", "1e2") into cents, rounding half away from zero. It never goes through a float
// for ordinary decimals, so "0.285" is 29 cents, not 28. Amounts beyond ±MaxMoney are
// ErrAmount.
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
	if v > int64(MaxMoney) {
		return 0, fmt.Errorf("%q is beyond the largest amount QuickBooks holds: %w", s, ErrAmount)
	}
	if neg {
		v = -v
	}
	return Money(v), nil
}

// CheckAmounts reports an error wrapping ErrAmount when an amount of o is beyond ±MaxMoney, a
// line's quantity beyond ±MaxQuantity, or a line's UnitPrice × Quantity, or their sum, beyond
// ±MaxMoney. Normalizers call it on what they built: with every amount parsed within
// ±MaxMoney (ParseMoney), an order it passes was computed without int64 overflow, and
// QuickBooks can hold every figure of it.
func CheckAmounts(o Order) error {
	in := func(m Money) bool { return m >= -MaxMoney && m <= MaxMoney }
	var sub Money
	for i, l := range o.Lines {
		if l.Quantity < -MaxQuantity || l.Quantity > MaxQuantity {
			return fmt.Errorf("line %d: quantity %d is beyond what QuickBooks holds: %w", i+1, l.Quantity, ErrAmount)
		}
		for _, m := range []Money{l.UnitPrice, l.Discount, l.Tax, l.Total} {
			if !in(m) {
				return fmt.Errorf("line %d: amount %s is beyond what QuickBooks holds: %w", i+1, m, ErrAmount)
			}
		}
		// |UnitPrice| ≤ MaxMoney < 2^50 and |Quantity| < 2^34, so the product fits in int64;
		// the bound then applies to the exact value.
		gross := l.UnitPrice * Money(l.Quantity)
		if !in(gross) {
			return fmt.Errorf("line %d: %s × %d is beyond what QuickBooks holds: %w", i+1, l.UnitPrice, l.Quantity, ErrAmount)
		}
		if sub += gross; !in(sub) {
			return fmt.Errorf("the lines add up beyond what QuickBooks holds: %w", ErrAmount)
		}
	}
	amounts := []Money{o.Subtotal, o.DiscountTotal, o.ShippingTotal, o.TaxTotal, o.Total, o.Shipping.Amount, o.Shipping.Tax}
	for _, d := range o.Discounts {
		amounts = append(amounts, d.Amount)
	}
	for _, t := range o.Taxes {
		amounts = append(amounts, t.Amount)
	}
	for _, p := range o.Payments {
		amounts = append(amounts, p.Amount)
	}
	for _, m := range amounts {
		if !in(m) {
			return fmt.Errorf("amount %s is beyond what QuickBooks holds: %w", m, ErrAmount)
		}
	}
	return nil
}
