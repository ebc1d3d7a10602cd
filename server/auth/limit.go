package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Login limiting. Every attempt reserves its place in Redis, atomically and before the password
// is checked, so parallel guesses cannot all slip past a limit they were each below when they
// started. Two counters apply:
//
//   - Per account (or per known device, see DeviceCookieName): the first FreeLoginFailures
//     failures cost nothing; after that each attempt must wait a delay that doubles with every
//     further failure (1 s, 2 s, 4 s, … at most MaxLoginDelay). Nobody is locked out for a fixed
//     time: the owner with the right password gets in once the current delay has passed, and a
//     browser that signed in to the account before is not slowed by other people's failures.
//   - Per client address: at most addressLimit failures per limitWindow, so one address cannot
//     try many accounts. Behind a proxy the address is the one the proxy saw, and only proxies
//     listed in TrustedProxies are believed.
const (
	FreeLoginFailures = 5
	FirstLoginDelay   = time.Second
	MaxLoginDelay     = 5 * time.Minute
	limitWindow       = 15 * time.Minute
	addressLimit      = 30

	// DeviceCookieName marks a browser that signed in to an account before. Its attempts on
	// that account count against the device, not the account, so a stranger's wrong guesses
	// cannot keep the owner out (OWASP's "device cookies").
	DeviceCookieName = "ledgerlink_device"
	deviceLifetime   = 180 * 24 * time.Hour
)

// reserveScript checks the address and account counters and, when both allow it, counts the
// attempt as a failure in advance (success undoes it). KEYS: account (or device) hash, address
// counter. ARGV: now (ms), free failures, first delay (ms), max delay (ms), address limit,
// window (ms). Returns {1, 0} when allowed, {0, wait ms} when not.
var reserveScript = redis.NewScript(`
local now, free, first, maxd, alimit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local a = tonumber(redis.call('GET', KEYS[2]) or '0')
if a >= alimit then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 0 then ttl = window end
  return {0, ttl}
end
local nxt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if now < nxt then
  return {0, nxt - now}
end
local f = redis.call('HINCRBY', KEYS[1], 'f', 1)
local hold = 0
if f >= free then
  local n = f - free
  if n > 30 then n = 30 end
  hold = math.min(first * math.pow(2, n), maxd)
  redis.call('HSET', KEYS[1], 'next', string.format('%d', now + hold))
end
redis.call('PEXPIRE', KEYS[1], string.format('%d', window + hold))
if redis.call('INCR', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[2], window)
end
return {1, 0}
`)

// releaseScript undoes a reservation after the right password: the account (or device) starts
// over and the address keeps counting only failures.
var releaseScript = redis.NewScript(`
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then
  redis.call('DECR', KEYS[2])
end
return 1
`)

// reserveAttempt counts an attempt before the password is checked; it returns
// *RateLimitedError when the caller must wait.
func (s *Service) reserveAttempt(ctx context.Context, keys []string) error {
	res, err := reserveScript.Run(ctx, s.Redis, keys, s.now().UnixMilli(), FreeLoginFailures,
		FirstLoginDelay.Milliseconds(), MaxLoginDelay.Milliseconds(), addressLimit, limitWindow.Milliseconds()).Int64Slice()
	if err != nil || len(res) != 2 {
		return fmt.Errorf("auth: rate limit: %w", err)
	}
	if res[0] == 0 {
		return &RateLimitedError{RetryAfter: time.Duration(res[1]) * time.Millisecond}
	}
	return nil
}

func (s *Service) releaseAttempt(ctx context.Context, keys []string) error {
	if err := releaseScript.Run(ctx, s.Redis, keys).Err(); err != nil {
		return fmt.Errorf("auth: rate limit: %w", err)
	}
	return nil
}

// limiterKeys are the counters of an attempt: the device's when device is a cookie this email
// signed in with before, the account's otherwise; and the address's.
func (s *Service) limiterKeys(ctx context.Context, email, device, addr string) ([]string, error) {
	subject := limitKey("email", strings.ToLower(email))
	if device != "" {
		owner, err := s.Redis.Get(ctx, deviceKey(device)).Result()
		switch {
		case err == nil && owner == subject:
			subject = limitKey("device", device)
		case err != nil && !errors.Is(err, redis.Nil):
			return nil, fmt.Errorf("auth: device: %w", err)
		}
	}
	return []string{subject, limitKey("addr", addr)}, nil
}

// rememberDevice returns the device cookie value to set after a successful login: the
// browser's own when it already belongs to this email, a new one otherwise.
func (s *Service) rememberDevice(ctx context.Context, email, device string) (string, error) {
	subject := limitKey("email", strings.ToLower(email))
	if device != "" {
		if owner, err := s.Redis.Get(ctx, deviceKey(device)).Result(); err == nil && owner == subject {
			return device, nil
		}
	}
	device = newToken()
	if err := s.Redis.Set(ctx, deviceKey(device), subject, deviceLifetime).Err(); err != nil {
		return "", fmt.Errorf("auth: device: %w", err)
	}
	return device, nil
}

func deviceKey(device string) string {
	sum := sha256.Sum256([]byte(device))
	return "ledgerlink:login-device:" + hex.EncodeToString(sum[:16])
}

// ParseTrustedProxies reads a comma-separated list of IP addresses and CIDR prefixes
// (LEDGERLINK_TRUSTED_PROXIES).
func ParseTrustedProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// ClientAddr is the address a request came from. X-Forwarded-For is believed only when the
// peer is a trusted proxy, and then read from the right: the first address that is not itself
// a trusted proxy is the client (entries to its left are whatever the client claimed).
func ClientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return host
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer.Unmap().String() // a garbled chain: the last trustworthy hop
		}
		if !isTrusted(a, trusted) {
			return a.Unmap().String()
		}
		peer = a
	}
	return peer.Unmap().String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
