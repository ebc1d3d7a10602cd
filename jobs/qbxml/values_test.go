package qbxml

import (
	"math"
	"testing"
	"time"
)

func TestAmount(t *testing.T) {
	for _, tc := range []struct {
		a    Amount
		want string
	}{
		{Cents(0), "0.00"}, {Cents(5), "0.05"}, {Cents(-5), "-0.05"}, {Cents(12345), "123.45"},
		{Cents(-100), "-1.00"}, {Cents(999999999999999), "9999999999999.99"}, {Amount(math.MinInt64), "-92233720368547758.08"},
	} {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("Amount(%d) = %q, want %q", int64(tc.a), got, tc.want)
		}
	}
	for in, want := range map[string]Amount{"206.00": 20600, "-3": -300, "0.5": 50, "+1.25": 125, "": 0, " 7.10 ": 710, "0012.34": 1234} {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"1.005", "1.", ".5", "1,00", "abc", "12345678901234.00", "--1", "1e3"} {
		if _, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
}

func TestQuantityAndPrice(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Units(2).String(), "2"}, {Quantity(150000).String(), "1.5"}, {Quantity(1).String(), "0.00001"},
		{Quantity(-250000).String(), "-2.5"}, {Units(0).String(), "0"},
		{PriceCents(1999).String(), "19.99"}, {PriceCents(1990).String(), "19.90"}, {Price(333333).String(), "3.33333"},
		{Price(0).String(), "0.00"}, {Price(-100000).String(), "-1.00"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if q, err := ParseQuantity("-1.25"); err != nil || q != -125000 {
		t.Errorf("ParseQuantity = %d, %v", q, err)
	}
	if p, err := ParsePrice("103.00"); err != nil || p != PriceCents(10300) {
		t.Errorf("ParsePrice = %d, %v", p, err)
	}
	for _, in := range []string{"1.123456", "12345678901", "x"} {
		if _, err := ParseQuantity(in); err == nil {
			t.Errorf("ParseQuantity(%q) accepted", in)
		}
		if _, err := ParsePrice(in); err == nil {
			t.Errorf("ParsePrice(%q) accepted", in)
		}
	}
	for _, v := range []interface{ MarshalText() ([]byte, error) }{Cents(12), Units(3), PriceCents(5), Date{2026, 1, 2}} {
		if b, err := v.MarshalText(); err != nil || len(b) == 0 {
			t.Errorf("MarshalText(%v) = %q, %v", v, b, err)
		}
	}
}

func TestDateAndDateTime(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		got, want string
	}{
		{DateOf(time.Date(2026, 3, 14, 23, 30, 0, 0, ny)).String(), "2026-03-14"},
		{Date{2026, time.January, 2}.String(), "2026-01-02"},
		{string(DateTimeOf(time.Date(2026, 1, 2, 3, 4, 5, 999, time.UTC))), "2026-01-02T03:04:05+00:00"},
		{string(DateTimeOf(time.Date(2015, 3, 30, 15, 6, 31, 0, ny))), "2015-03-30T15:06:31-04:00"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	for s, ok := range map[DateTime]bool{
		"2015-03-30T15:06:31-04:00": true, "2015-03-30": true, "2015-3-3T1:2": true, "2015-03-30T15:06:31": true,
		"2015-03-30T15:06:31Z": false, "2015-03-30T15:06:31.5-04:00": false, "yesterday": false,
	} {
		if s.Valid() != ok {
			t.Errorf("DateTime(%q).Valid() = %v", s, !ok)
		}
	}
	if tm, err := DateTime("2015-03-30T15:06:31").Time(); err != nil || tm.Hour() != 15 || tm.Location() != time.UTC {
		t.Errorf("Time() = %v, %v", tm, err)
	}
	if _, err := DateTime("soon").Time(); err == nil {
		t.Error("Time() accepted garbage")
	}
	if d, err := ParseDate("2014-02-03"); err != nil || d != (Date{2014, time.February, 3}) {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
	if d, err := ParseDate(""); err != nil || !d.IsZero() {
		t.Errorf("ParseDate(\"\") = %v, %v", d, err)
	}
	if (Date{2026, time.February, 29}).valid() || !(Date{2024, time.February, 29}).valid() || (Date{0, 1, 1}).valid() {
		t.Error("Date.valid is wrong about leap days or year 0")
	}
	if b, _ := (Date{}).MarshalText(); len(b) != 0 {
		t.Error("zero Date marshals to text")
	}
}
