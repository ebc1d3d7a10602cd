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

// TestLoadConfigQBO: QuickBooks Online talks to Intuit's production endpoints unless told
// otherwise; the app's id and secret come together; an endpoint must be an http(s) URL.
func TestLoadConfigQBO(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://x@127.0.0.1/db")
	t.Setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
	t.Setenv("LEDGERLINK_PUBLIC_URL", "https://books.example.com/")
	c, err := LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	q := c.QBO()
	if q.Configured() || q.AuthURL != "https://appcenter.intuit.com/connect/oauth2" || q.TokenURL != "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer" ||
		q.RevokeURL != "https://developer.api.intuit.com/v2/oauth2/tokens/revoke" || q.APIURL != "https://quickbooks.api.intuit.com" ||
		q.RedirectURL != "https://books.example.com/qbo/callback" {
		t.Fatalf("defaults %+v", q)
	}
	t.Setenv("LEDGERLINK_QBO_CLIENT_ID", "ABclient")
	t.Setenv("LEDGERLINK_QBO_TOKEN_URL", "oauth.example/token")
	_, err = LoadConfig()
	if err == nil || !strings.Contains(err.Error(), "LEDGERLINK_QBO_CLIENT_SECRET") || !strings.Contains(err.Error(), "LEDGERLINK_QBO_TOKEN_URL") {
		t.Fatalf("half-set client and a bad URL: %v", err)
	}
	t.Setenv("LEDGERLINK_QBO_CLIENT_SECRET", "secret")
	t.Setenv("LEDGERLINK_QBO_TOKEN_URL", "http://127.0.0.1:9/sim/qbo/oauth2/v1/tokens/bearer")
	if c, err = LoadConfig(); err != nil || !c.QBO().Configured() || c.QBO().TokenURL != "http://127.0.0.1:9/sim/qbo/oauth2/v1/tokens/bearer" {
		t.Fatalf("set: %+v %v", c.QBO(), err)
	}
}
