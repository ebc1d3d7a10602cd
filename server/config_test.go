package server

import (
	"strings"
	"testing"
	"time"
)

// TestLoadConfigInDoubtGrace: the lost-answer grace is read as a duration of at least a second;
// anything else is refused with the variable's name.
func TestLoadConfigInDoubtGrace(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://x@127.0.0.1/db")
	t.Setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
	for _, tc := range []struct {
		value string
		want  time.Duration
		err   bool
	}{{"", 0, false}, {"5s", 5 * time.Second, false}, {"3m", 3 * time.Minute, false}, {"500ms", 0, true}, {"soon", 0, true}} {
		t.Setenv("LEDGERLINK_QBD_IN_DOUBT_GRACE", tc.value)
		c, err := LoadConfig()
		if tc.err {
			if err == nil || !strings.Contains(err.Error(), "LEDGERLINK_QBD_IN_DOUBT_GRACE") {
				t.Errorf("%q: err %v, want one naming the variable", tc.value, err)
			}
			continue
		}
		if err != nil || c.InDoubtGrace != tc.want {
			t.Errorf("%q: %v, %v; want %v", tc.value, c.InDoubtGrace, err, tc.want)
		}
	}
}
