package graph

import (
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
)

// NeedsAttentionRows is how many orders Overview.needsAttention lists.
const NeedsAttentionRows = 10

// overviewArgs checks overview's arguments: a time zone name (default UTC) short and plain enough
// to hand to Postgres, which knows the zones, and a day count within 1..db.MaxActivityDays
// (default 30).
func overviewArgs(timeZone *string, days *int) (string, int, error) {
	tz, n := "UTC", 30
	if timeZone != nil && *timeZone != "" {
		tz = *timeZone
		if len(tz) > 64 || strings.IndexFunc(tz, func(r rune) bool {
			return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r))
		}) >= 0 {
			return "", 0, badInput("timeZone", "Unknown time zone %q: use an IANA name such as America/Chicago.", tz)
		}
	}
	if days != nil {
		n = *days
		if n < 1 || n > db.MaxActivityDays {
			return "", 0, badInput("days", "days must be between 1 and %d.", db.MaxActivityDays)
		}
	}
	return tz, n, nil
}
