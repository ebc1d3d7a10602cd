package orders

import (
	"errors"
	"math"
	"testing"
)

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]Money{
		"12": 1200, "-3.5": -350, "59.970000000000006": 5997, "16.528926": 1653, "0.285": 29, "0.284": 28,
		"1e2": 10000, ".5": 50, "+7.01": 701, " 8.00 ": 800, "-0.005": -1,
	} {
		if got, err := ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", ".", "12,50", "abc", "1.2.3", "9999999999999999"} {
		if _, err := ParseMoney(bad); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
}

// TestParseMoneyRefusesWhatQuickBooksCannotHold: qbXML AMTTYPE has at most 13 integer digits,
// so 9,999,999,999,999.99 is the largest amount; one cent more is refused, not wrapped later.
func TestParseMoneyRefusesWhatQuickBooksCannotHold(t *testing.T) {
	if got, err := ParseMoney("-9999999999999.99"); err != nil || got != -999_999_999_999_999 {
		t.Errorf("ParseMoney(largest negative) = %d, %v", got, err)
	}
	for _, bad := range []string{"10000000000000", "-10000000000000.00", "9999999999999.995", "1e13"} {
		if got, err := ParseMoney(bad); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseMoney(%q) = %d, %v; want ErrAmount", bad, got, err)
		}
	}
}

// TestCheckAmounts: an order whose line amount UnitPrice × Quantity overflows int64 (found by
// FuzzNormalize: 999,999,999,999,999 × 100,000 became Total 18,647,120,494,130,241.28), or
// whose amounts or quantities QuickBooks cannot hold, is refused with ErrAmount.
func TestCheckAmounts(t *testing.T) {
	ok := Order{Lines: []Line{{UnitPrice: 999_999_999_999_999, Quantity: 1, Total: 999_999_999_999_999}}, Subtotal: 999_999_999_999_999}
	if err := CheckAmounts(ok); err != nil {
		t.Errorf("largest amount refused: %v", err)
	}
	for name, o := range map[string]Order{
		"product overflows": {Lines: []Line{{UnitPrice: 99_999_999_999_999_900, Quantity: 100_000}}},
		"product too large": {Lines: []Line{{UnitPrice: 500_000_000_000_000, Quantity: 2}}},
		"min int quantity":  {Lines: []Line{{UnitPrice: 1, Quantity: math.MinInt64}}},
		"quantity":          {Lines: []Line{{Quantity: 10_000_000_000}}},
		"line total":        {Lines: []Line{{Total: -1_000_000_000_000_000}}},
		"sum of lines":      {Lines: []Line{{UnitPrice: 600_000_000_000_000, Quantity: 1}, {UnitPrice: 600_000_000_000_000, Quantity: 1}}},
		"order total":       {Total: 1_000_000_000_000_000},
		"discount":          {Discounts: []Discount{{Amount: math.MaxInt64}}},
		"payment":           {Payments: []Payment{{Amount: math.MinInt64}}},
		"tax line":          {Taxes: []TaxLine{{Amount: 1_000_000_000_000_000}}},
		"shipping tax":      {Shipping: Shipping{Tax: 1_000_000_000_000_000}},
	} {
		if err := CheckAmounts(o); !errors.Is(err, ErrAmount) {
			t.Errorf("%s: CheckAmounts = %v, want ErrAmount", name, err)
		}
	}
}
