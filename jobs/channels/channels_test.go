package channels

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

var creds = ordersync.Credentials{AccessToken: "shpat_x", ConsumerKey: "ck_x", ConsumerSecret: "cs_x", APIKey: "k", APISecret: "s"}

var channelNames = []string{"shopify", "woocommerce", "shipstation"}

// A store connection whose address is inside Ledgerlink's network is refused when it connects,
// for every channel and every way of writing such an address; nothing reaches the inside.
func TestStoreAddressesInsideAreRefused(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "")
	var reached atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		_, _ = w.Write([]byte("<html>Ledgerlink's own page</html>"))
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	for _, ch := range channelNames {
		for _, base := range []string{
			srv.URL, "http://localhost:" + port, "http://[::ffff:127.0.0.1]:" + port, "http://0.0.0.0:" + port,
			"http://[::1]:" + port, "http://10.0.0.1", "http://192.168.0.10:5432", "http://169.254.169.254/latest",
			"http://[fe80::1]", "http://100.64.0.1", "http://224.0.0.1",
		} {
			src, err := Sources(ch, base, creds)
			if err != nil {
				t.Fatalf("%s %s: %v", ch, base, err)
			}
			err = src.Check(context.Background())
			if !errors.Is(err, storenet.ErrInternalAddress) {
				t.Errorf("%s %s: err = %v, want ErrInternalAddress", ch, base, err)
			}
			if err != nil && strings.Contains(err.Error(), "own page") {
				t.Errorf("%s %s: the error echoes the reply: %v", ch, base, err)
			}
		}
	}
	if n := reached.Load(); n != 0 {
		t.Fatalf("the loopback server was reached %d times", n)
	}
}

// An operator who opts in (a store on the LAN, the demo, tests with simulators on 127.0.0.1)
// reaches such addresses.
func TestPrivateStoreAddressesWhenAllowed(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1")
	var reached atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	defer srv.Close()
	for _, ch := range channelNames {
		src, err := Sources(ch, srv.URL, creds)
		if err != nil {
			t.Fatal(err)
		}
		if err := src.Check(context.Background()); errors.Is(err, storenet.ErrInternalAddress) {
			t.Errorf("%s: refused although allowed: %v", ch, err)
		}
	}
	if reached.Load() < int64(len(channelNames)) {
		t.Fatalf("the store server was reached %d times, want once per channel at least", reached.Load())
	}
}

// Whatever answers at a store's address, its reply body is never part of the error shown to
// the merchant (it may be some other server's page).
func TestStoreErrorsDoNotEchoTheReply(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1")
	for _, status := range []int{http.StatusOK, http.StatusNotFound, http.StatusForbidden} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html><title>Admin</title>secret-internal-page</html>"))
		}))
		for _, ch := range channelNames {
			src, err := Sources(ch, srv.URL, creds)
			if err != nil {
				t.Fatal(err)
			}
			err = src.Check(context.Background())
			if err == nil {
				t.Errorf("%s HTTP %d: an HTML page passed the connection check", ch, status)
			} else if strings.Contains(err.Error(), "secret-internal-page") {
				t.Errorf("%s HTTP %d: the error echoes the reply: %v", ch, status, err)
			}
		}
		srv.Close()
	}
}
