package qbdsim

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// dec is a fixed-point number with five decimal places, enough for every
// qbXML numeric type (AMTTYPE has 2, PRICETYPE/QUANTYPE/PERCENTTYPE up to 5).
type dec int64

const decScale = 100000

var errNumber = errors.New("invalid number")

// parseDec parses "12", "-3.5", "0.00001", "+7.25".
func parseDec(s string) (dec, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errNumber
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return 0, errNumber
	}
	if len(frac) > 5 {
		return 0, fmt.Errorf("%q: more than 5 decimals: %w", s, errNumber)
	}
	for _, p := range []string{intPart, frac} {
		for _, r := range p {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("%q: %w", s, errNumber)
			}
		}
	}
	var v int64
	if intPart != "" {
		i, err := strconv.ParseInt(intPart, 10, 64)
		if err != nil || i > 1e13 {
			return 0, fmt.Errorf("%q: %w", s, errNumber)
		}
		v = i * decScale
	}
	if frac != "" {
		f, _ := strconv.ParseInt((frac + "00000")[:5], 10, 64)
		v += f
	}
	if neg {
		v = -v
	}
	return dec(v), nil
}

func decFromInt(i int64) dec { return dec(i * decScale) }

// mul multiplies with rounding half away from zero.
func mul(a, b dec) dec {
	p := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(int64(b)))
	return dec(roundQuo(p, big.NewInt(decScale)))
}

// div divides a by b (b != 0) with rounding half away from zero.
func div(a, b dec) dec {
	p := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(decScale))
	return dec(roundQuo(p, big.NewInt(int64(b))))
}

func roundQuo(p, q *big.Int) int64 {
	neg := (p.Sign() < 0) != (q.Sign() < 0)
	p = new(big.Int).Abs(p)
	q = new(big.Int).Abs(q)
	r := new(big.Int)
	z, r := new(big.Int).QuoRem(p, q, r)
	if r.Mul(r, big.NewInt(2)).Cmp(q) >= 0 {
		z.Add(z, big.NewInt(1))
	}
	if neg {
		z.Neg(z)
	}
	return z.Int64()
}

// cents rounds to two decimals.
func (d dec) cents() dec {
	const step = decScale / 100
	v := int64(d)
	neg := v < 0
	if neg {
		v = -v
	}
	v = (v + step/2) / step * step
	if neg {
		v = -v
	}
	return dec(v)
}

func (d dec) float() float64 { return float64(d) / decScale }

// amount formats an AMTTYPE: always two decimals ("206.00", "-5.50").
func (d dec) amount() string {
	c := int64(d.cents())
	sign := ""
	if c < 0 {
		sign = "-"
		c = -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/decScale, (c%decScale)/(decScale/100))
}

// quantity formats a QUANTYPE: no trailing zeros ("2", "2.5").
func (d dec) quantity() string { return d.trimmed(0) }

// price formats a PRICETYPE or PERCENTTYPE: at least two decimals ("103.00",
// "22.335").
func (d dec) price() string { return d.trimmed(2) }

func (d dec) trimmed(minDecimals int) string {
	v := int64(d)
	sign := ""
	if v < 0 {
		sign = "-"
		v = -v
	}
	frac := fmt.Sprintf("%05d", v%decScale)
	frac = strings.TrimRight(frac, "0")
	for len(frac) < minDecimals {
		frac += "0"
	}
	s := sign + strconv.FormatInt(v/decScale, 10)
	if frac != "" {
		s += "." + frac
	}
	return s
}
