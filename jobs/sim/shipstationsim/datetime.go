package shipstationsim

import (
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // ShipStation's clock is America/Los_Angeles; do not depend on the host's zoneinfo.
)

// ShipStation V1 reads and writes every datetime as Pacific wall-clock time
// (PST or PDT, whichever applies on that date) and never writes an offset.
// Three renderings appear in its responses, and the simulator keeps each one
// where the samples show it:
const (
	// OrderTimeLayout is used for the order-level dates (orderDate,
	// createDate, modifyDate, paymentDate, shipByDate): always seven
	// fractional digits, e.g. "2015-06-29T08:46:27.0000000".
	OrderTimeLayout = "2006-01-02T15:04:05.0000000"
	// NetTimeLayout is Json.NET's default DateTime rendering used by
	// everything else (order items, shipments, fulfillments, stores,
	// products): trailing fractional zeros are dropped, e.g.
	// "2014-10-03T06:51:33.627" or "2016-06-07T00:00:00".
	NetTimeLayout = "2006-01-02T15:04:05.9999999"
	// DateLayout is used for pure dates: order and shipment shipDate,
	// holdUntilDate.
	DateLayout = "2006-01-02"
)

var pacific = mustLoadPacific()

func mustLoadPacific() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		// time/tzdata is linked in, so this cannot happen short of a broken toolchain.
		panic(fmt.Sprintf("shipstation: load America/Los_Angeles: %v", err))
	}
	return loc
}

// Pacific returns the America/Los_Angeles location in which the simulator
// (like ShipStation) interprets and renders datetimes.
func Pacific() *time.Location { return pacific }

// tick truncates t to the precision ShipStation stores (milliseconds; its
// samples never show more) and moves it to Pacific time.
func tick(t time.Time) time.Time { return t.Truncate(time.Millisecond).In(pacific) }

func fmtOrderTime(t time.Time) string { return t.In(pacific).Format(OrderTimeLayout) }
func fmtNetTime(t time.Time) string   { return t.In(pacific).Format(NetTimeLayout) }
func fmtDate(t time.Time) string      { return t.In(pacific).Format(DateLayout) }

func fmtOrderTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := fmtOrderTime(*t)
	return &s
}

// errBadTime is wrapped by parseTime so callers can tell a malformed value
// from a missing one.
var errBadTime = errors.New("not a valid date")

// Layouts accepted in request bodies and query strings. Without an offset
// the value is Pacific wall-clock time; with one (RFC 3339) it is converted,
// which is what Json.NET does with DateTimeZoneHandling.Local on a Pacific
// server.
var (
	localLayouts = []string{
		"2006-01-02T15:04:05.9999999",
		"2006-01-02 15:04:05.9999999",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		"2006-01-02",
		"1/2/2006 15:04:05",
		"1/2/2006 3:04:05 PM",
		"1/2/2006",
	}
	offsetLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999Z0700"}
)

// parseTime reads a ShipStation datetime. The result is in Pacific time.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.In(pacific), nil
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, pacific); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: %w", s, errBadTime)
}

// parseDate reads a date filter such as shipDateStart ("2015-01-01"); a
// datetime is accepted and its time of day dropped.
func parseDate(s string) (time.Time, error) {
	t, err := parseTime(s)
	if err != nil {
		return t, err
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, pacific), nil
}
