package shipstation

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // ShipStation's clock is America/Los_Angeles; do not depend on the host's zoneinfo.

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Money is an amount in cents that travels as a JSON decimal number
// (ShipStation's unitPrice, taxAmount, orderTotal…). Decoding is exact: the
// number's text is read, not a float64; digits past the cent are rounded
// half away from zero (ShipStation sometimes prints float artefacts such as
// 59.970000000000006).
type Money int64

// MarshalJSON writes m as a decimal number with two places, e.g. 19.99.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(orders.Money(m).String()), nil }

// UnmarshalJSON reads a JSON number (or a numeric string); null is 0.
func (m *Money) UnmarshalJSON(b []byte) error {
	v, err := orders.UnmarshalMoney(b)
	if err != nil {
		return err
	}
	*m = Money(v)
	return nil
}

var pacific = mustLoadPacific()

func mustLoadPacific() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil { // time/tzdata is linked in
		panic(fmt.Sprintf("shipstation: load America/Los_Angeles: %v", err))
	}
	return loc
}

// Pacific is the America/Los_Angeles zone, in which ShipStation V1 reads and
// writes every datetime (without an offset).
func Pacific() *time.Location { return pacific }

// Time is a ShipStation datetime: Pacific wall-clock time without an
// offset. It decodes every rendering V1 uses ("2015-06-29T08:46:27.0000000",
// "2014-10-03T06:51:33.627", "2015-07-02") and encodes as
// "2006-01-02T15:04:05.0000000" in Pacific time. The zero Time encodes as
// null.
type Time struct{ time.Time }

// orderTimeLayout is how V1 writes order datetimes.
const orderTimeLayout = "2006-01-02T15:04:05.0000000"

var timeLayouts = []string{
	"2006-01-02T15:04:05.9999999",
	"2006-01-02 15:04:05.9999999",
	"2006-01-02T15:04",
	"2006-01-02",
}

// MarshalJSON writes t in Pacific time without an offset.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.In(pacific).Format(orderTimeLayout) + `"`), nil
}

// UnmarshalJSON reads a Pacific datetime (or one with an explicit offset).
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		t.Time = time.Time{}
		return nil
	}
	v, err := parseTime(strings.Trim(s, `"`))
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// parseTime reads a ShipStation datetime and returns it in UTC.
func parseTime(s string) (time.Time, error) {
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return v.UTC(), nil
	}
	for _, layout := range timeLayouts {
		if v, err := time.ParseInLocation(layout, s, pacific); err == nil {
			return v.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("shipstation: %q is not a ShipStation datetime", s)
}

// filterTime renders t for a query filter: Pacific "yyyy-MM-dd HH:mm:ss",
// the format the V1 docs give.
func filterTime(t time.Time) string { return t.In(pacific).Format("2006-01-02 15:04:05") }
