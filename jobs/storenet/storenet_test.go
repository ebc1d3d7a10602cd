package storenet

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"syscall"
	"testing"
)

func TestInternalAddresses(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "127.8.9.10": true, "::1": true, "::ffff:127.0.0.1": true,
		"10.1.2.3": true, "172.16.0.1": true, "192.168.1.1": true, "::ffff:192.168.1.1": true, "fd00::1": true,
		"169.254.169.254": true, "fe80::1": true, "::ffff:169.254.169.254": true,
		"0.0.0.0": true, "::": true, "0.1.2.3": true, "100.64.0.1": true,
		"224.0.0.1": true, "ff02::1": true, "ff01::1": true, "239.255.255.250": true,
		"8.8.8.8": false, "23.227.38.65": false, "2606:4700::6810:84e5": false, "::ffff:8.8.8.8": false,
	} {
		if got := internal(netip.MustParseAddr(addr)); got != want {
			t.Errorf("internal(%s) = %v, want %v", addr, got, want)
		}
	}
}

// A public-looking first hop that redirects inside is refused at the redirect's connection: the
// check is on every dial, not on the URL a caller typed.
func TestRedirectInsideIsRefused(t *testing.T) {
	var inside atomic.Int64
	internalSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inside.Add(1)
		_, _ = w.Write([]byte("internal admin page"))
	}))
	defer internalSrv.Close()
	first := httptest.NewServer(http.RedirectHandler(internalSrv.URL+"/admin", http.StatusFound))
	defer first.Close()
	// Stand-in for a public store: the first server's address is let through as if it were public.
	firstAddr := first.Listener.Addr().String()
	c := newClient(func(network, address string, raw syscall.RawConn) error {
		if address == firstAddr {
			return nil
		}
		return refuseInternal(network, address, raw)
	})
	resp, err := c.Get(first.URL + "/orders")
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, ErrInternalAddress) {
		t.Fatalf("redirect inside: err = %v, want ErrInternalAddress", err)
	}
	if n := inside.Load(); n != 0 {
		t.Fatalf("the internal server was reached %d times", n)
	}
}

func TestLocalhostNameIsRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	t.Setenv(AllowPrivateEnv, "")
	resp, err := HTTPClient().Get("http://localhost:" + port + "/")
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, ErrInternalAddress) {
		t.Fatalf("localhost: err = %v, want ErrInternalAddress", err)
	}
}
