package qbxml

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Amount is a money amount in integer cents. It is written as qbXML AMTTYPE:
// an optional sign, at most 13 integer digits and exactly two decimals
// ("1234.50", "-0.05"). Money never passes through a float.
type Amount int64

// Cents returns the Amount of c cents.
func Cents(c int64) Amount { return Amount(c) }

// String formats a with exactly two decimals, e.g. Cents(-5) → "-0.05".
func (a Amount) String() string { return formatFixed(int64(a), 2, 2) }

// ParseAmount parses a qbXML AMTTYPE value ("206.00", "-3", "0.5"). At most two
// decimals are accepted; more would need rounding, which is left to the caller.
// The empty string is zero (AMTTYPE's pattern allows it).
func ParseAmount(s string) (Amount, error) {
	return parseFixedAs[Amount](s, 2, 13, "amount")
}

// UnmarshalText implements encoding.TextUnmarshaler for response decoding.
func (a *Amount) UnmarshalText(b []byte) error { return unmarshalFixed(a, b, ParseAmount) }

// MarshalText implements encoding.TextMarshaler.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// fixedScale is the number of decimals kept by Quantity and Price: QUANTYPE and
// PRICETYPE allow up to five.
const fixedScale = 5

// QuantityScale is the number of Quantity units in one whole unit.
const QuantityScale = 100000

// Quantity is a count of units in hundred-thousandths (qbXML QUANTYPE: at most
// 10 integer digits and 5 decimals). Units(3) is three whole units.
type Quantity int64

// Units returns n whole units.
func Units(n int64) Quantity { return Quantity(n * QuantityScale) }

// String formats q with up to five decimals and no trailing zeros ("2", "1.5").
func (q Quantity) String() string { return formatFixed(int64(q), fixedScale, 0) }

// ParseQuantity parses a QUANTYPE value ("2", "-1.25", "0.00001").
func ParseQuantity(s string) (Quantity, error) {
	return parseFixedAs[Quantity](s, fixedScale, 10, "quantity")
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (q *Quantity) UnmarshalText(b []byte) error { return unmarshalFixed(q, b, ParseQuantity) }

// MarshalText implements encoding.TextMarshaler.
func (q Quantity) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// Price is a unit price or rate in hundred-thousandths of the currency unit
// (qbXML PRICETYPE: at most 10 integer digits and 5 decimals), so a rate such as
// 3.33333 is exact. PriceCents(1999) is 19.99.
type Price int64

// PriceCents returns the Price of c cents.
func PriceCents(c int64) Price { return Price(c * (QuantityScale / 100)) }

// String formats p with at least two and at most five decimals ("19.99",
// "3.33333").
func (p Price) String() string { return formatFixed(int64(p), fixedScale, 2) }

// ParsePrice parses a PRICETYPE value.
func ParsePrice(s string) (Price, error) {
	return parseFixedAs[Price](s, fixedScale, 10, "price")
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Price) UnmarshalText(b []byte) error { return unmarshalFixed(p, b, ParsePrice) }

// MarshalText implements encoding.TextMarshaler.
func (p Price) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Ptr returns a pointer to v. Optional numeric and boolean request fields are
// pointers so that zero ("0.00", false) can be sent; nil means "omit".
func Ptr[T any](v T) *T { return &v }

// parseFixedAs parses s as a fixed-point T with scale decimals and at most
// intDigits integer digits; what names the type in the error.
func parseFixedAs[T ~int64](s string, scale, intDigits int, what string) (T, error) {
	v, err := parseFixed(s, scale, intDigits)
	if err != nil {
		return 0, fmt.Errorf("qbxml: %s %q: %w", what, s, err)
	}
	return T(v), nil
}

// unmarshalFixed sets *p to parse(b); on error *p is parse's zero value, as
// before decoding stopped.
func unmarshalFixed[T any](p *T, b []byte, parse func(string) (T, error)) error {
	v, err := parse(string(b))
	*p = v
	return err
}

// formatFixed prints v/10^scale with between minDec and scale decimals
// (trailing zeros beyond minDec are dropped).
func formatFixed(v int64, scale, minDec int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u // two's complement: correct for math.MinInt64 too
	}
	pow := uint64(1)
	for range scale {
		pow *= 10
	}
	intPart, frac := u/pow, u%pow
	digits := fmt.Sprintf("%0*d", scale, frac)
	end := len(digits)
	for end > minDec && digits[end-1] == '0' {
		end--
	}
	var b strings.Builder
	if neg && u != 0 {
		b.WriteByte('-')
	}
	b.WriteString(strconv.FormatUint(intPart, 10))
	if end > 0 {
		b.WriteByte('.')
		b.WriteString(digits[:end])
	}
	return b.String()
}

// parseFixed parses "[+-]digits[.digits]" into an integer scaled by 10^scale,
// rejecting more than maxInt integer digits or more than scale decimals.
func parseFixed(s string, scale, maxInt int) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	intStr, fracStr, hasDot := strings.Cut(s, ".")
	if intStr == "" || (hasDot && fracStr == "") {
		return 0, errBadNumber
	}
	if len(strings.TrimLeft(intStr, "0")) > maxInt || len(fracStr) > scale {
		return 0, errBadNumber
	}
	for _, c := range intStr + fracStr {
		if c < '0' || c > '9' {
			return 0, errBadNumber
		}
	}
	fracStr += strings.Repeat("0", scale-len(fracStr))
	v, err := strconv.ParseInt(strings.TrimLeft(intStr, "0")+fracStr, 10, 64)
	if err != nil {
		// All zeros trims to the fraction alone, which still parses; anything
		// else failing here overflowed int64.
		return 0, errBadNumber
	}
	if neg {
		v = -v
	}
	return v, nil
}

var errBadNumber = fmt.Errorf("not a qbXML number with the allowed digits")

// Date is a calendar date without time zone (qbXML DATETYPE, "YYYY-MM-DD").
// The zero Date means "not set" and is omitted from requests.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// valid reports whether d names a real day in years 1..9999.
func (d Date) valid() bool {
	if d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// ParseDate parses a qbXML DATETYPE ("2014-02-03"). The empty string is the
// zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("qbxml: date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	*d = v
	return err
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return nil, nil
	}
	return []byte(d.String()), nil
}

// DateTime is a qbXML DATETIMETYPE literal such as "2015-03-30T15:06:31-04:00".
// It is kept as text on purpose: QuickBooks reports TimeModified with the
// offset of its own PC (wrong during DST, per the jsgoupil/quickbooks-sync
// README), and a FromModifiedDate filter works best when it replays that exact
// string. The schema forbids "Z" and fractional seconds; use DateTimeOf to
// build one from a time.Time.
type DateTime string

// DateTimeOf formats t as "2006-01-02T15:04:05-07:00" in t's location (UTC is
// written "+00:00", never "Z"); fractional seconds are dropped.
func DateTimeOf(t time.Time) DateTime {
	return DateTime(t.Format("2006-01-02T15:04:05-07:00"))
}

// dateTimePattern is DATETIMETYPE's pattern from qbxmltypes130.xsd/160.xsd.
var dateTimePattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(T[0-9]{1,2}(:[0-9]{1,2}(:[0-9]{1,2}([+\-][0-9]{1,2}:[0-9]{1,2})?)?)?)?$`)

// Valid reports whether d matches the DATETIMETYPE pattern.
func (d DateTime) Valid() bool { return dateTimePattern.MatchString(string(d)) }

// Time parses d. A value without an offset is returned in UTC, although
// QuickBooks means the local time of the PC it runs on.
func (d DateTime) Time() (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05-07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, string(d)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("qbxml: datetime %q: not a qbXML date-time", string(d))
}
