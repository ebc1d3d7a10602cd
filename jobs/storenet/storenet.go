// Package storenet is the one outbound path from Ledgerlink to store APIs (Shopify, WooCommerce,
// ShipStation). It holds two things that belong together:
//
//   - HTTPClient, an HTTP client that refuses, at connect time, every address inside the network
//     Ledgerlink runs in, unless the operator opts in. A store's address is typed by a merchant,
//     so without this a store connection could make the server fetch its own admin pages, its
//     database port or a cloud metadata service.
//   - Transport, the request/retry/backoff/redaction loop every store client sends its calls
//     through, and Error, the one error type of a failed call, whose kinds (ErrUnauthorized,
//     ErrNotFound, ErrUnreachable, ErrRateLimited, ErrInvalid, ErrServer) callers test with
//     errors.Is. An address refused by HTTPClient ends a call at once as ErrUnreachable wrapping
//     ErrInternalAddress. Credentials never appear in an Error or a log line, and a reply's body
//     never appears in an Error's message.
//
// A client keeps only what its API says about waiting: Shopify's query cost, ShipStation's
// X-Rate-Limit-Reset, WooCommerce's Retry-After — as Transport's hooks.
package storenet

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// AllowPrivateEnv is the environment variable with which an operator lets store connections
// reach loopback, private and link-local addresses: self-hosters whose store is on their LAN,
// the demo (its simulated stores are served by Ledgerlink itself on 127.0.0.1) and tests.
const AllowPrivateEnv = "LEDGERLINK_ALLOW_PRIVATE_STORE_ADDRESSES"

// ErrInternalAddress is returned (wrapped) when a store address resolves to an address inside
// the network Ledgerlink runs in.
var ErrInternalAddress = errors.New("the store address points inside Ledgerlink's own network (loopback, private, link-local or multicast); use the store's public address")

// AllowPrivate reports whether AllowPrivateEnv is set to a true value.
func AllowPrivate() bool {
	v, _ := strconv.ParseBool(os.Getenv(AllowPrivateEnv))
	return v
}

// internal reports whether ip is an address a store connection must not reach: loopback,
// private (RFC 1918, RFC 4193), carrier-grade NAT, link-local, unspecified or multicast, for
// IPv4, IPv6 and IPv4-mapped IPv6 alike.
func internal(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() ||
		cgnat.Contains(ip) || thisNetwork.Contains(ip)
}

var (
	cgnat       = netip.MustParsePrefix("100.64.0.0/10") // RFC 6598 shared address space
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")     // "this network": Linux routes 0.x to the host
)

// refuseInternal is a net.Dialer Control function: it runs after name resolution, on the very
// address about to be connected to, so neither DNS tricks nor redirects get past it.
func refuseInternal(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("store address %q: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("store address %q: %w", address, err)
	}
	if internal(ip) {
		return ErrInternalAddress
	}
	return nil
}

var (
	clientsOnce             sync.Once
	publicClient, anyClient *http.Client
)

// HTTPClient returns the HTTP client every store client uses: it connects only to public
// addresses — checked at connect time on every connection, redirects included — unless the
// operator set AllowPrivateEnv. It uses no proxy from the environment, since a proxy would make
// the check see the proxy's address instead of the store's.
func HTTPClient() *http.Client {
	clientsOnce.Do(func() {
		publicClient = newClient(refuseInternal)
		anyClient = newClient(nil)
	})
	if AllowPrivate() {
		return anyClient
	}
	return publicClient
}

func newClient(control func(network, address string, c syscall.RawConn) error) *http.Client {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: control}
	t := &http.Transport{
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Timeout: 60 * time.Second, Transport: t, CheckRedirect: keepCredentialsAtHome}
}

// safeOnRedirect are the request headers a redirect to another host may carry on.
var safeOnRedirect = map[string]bool{"Accept": true, "Accept-Encoding": true, "Content-Type": true, "User-Agent": true}

// keepCredentialsAtHome is the clients' redirect policy: at most 10 redirects, as Go's default,
// and a redirect to another host or port (or from https to http) keeps only the headers in
// safeOnRedirect. Go itself drops Authorization and Cookie only when the host name changes, and
// never custom headers, so a store answering with a redirect elsewhere would otherwise receive
// X-Shopify-Access-Token or an API key header.
func keepCredentialsAtHome(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	first := via[0].URL
	if req.URL.Host != first.Host || (first.Scheme == "https" && req.URL.Scheme != "https") {
		for k := range req.Header {
			if !safeOnRedirect[k] {
				delete(req.Header, k)
			}
		}
	}
	return nil
}
