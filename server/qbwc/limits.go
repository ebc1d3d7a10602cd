package qbwc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
)

// Limits bound what unauthenticated callers of /qbwc can make the server do. The route has to be
// open to the internet (the Web Connector calls in from the merchant's PC), so every call is
// bounded before it is authenticated.
type Limits struct {
	// PerAddress and PerUser cap authenticate calls per Window from one client address and for
	// one Web Connector username. A real Web Connector authenticates once per scheduled run
	// (at most once a minute) per company file, so these leave room for a merchant pressing
	// "Update Selected" repeatedly, for the demo's simulated Web Connector (every 5 s under
	// scripts/e2e.sh) and for an office of company files behind one address.
	PerAddress, PerUser int
	Window              time.Duration
	// Hashes is how many argon2id password checks (19 MiB each) run at once; a caller that finds
	// no free slot within HashWait is answered "busy" instead of queueing memory.
	Hashes   int
	HashWait time.Duration
	// LargeBodies is how many requests with a body over SmallBody are parsed at once: parsing
	// costs about five times the body (a 39 MiB receiveResponseXML allocates ~200 MiB), before
	// the ticket is known. A request finding no free slot within LargeBodyWait is answered
	// 503 with a Server fault, which QBWC reports and retries on its next run.
	LargeBodies   int
	LargeBodyWait time.Duration
	// TicketIdle is how long a session ticket stays valid without a call. QBWC's own calls come
	// seconds apart (its longest wait is the ~2 minute QuickBooks timeout), so an idle ticket
	// belongs to a session that is gone.
	TicketIdle time.Duration
	// BadPasswordEvery coalesces the merchant-visible "wrong password" warning: at most one
	// entry per connection per this interval, counting the attempts in between.
	BadPasswordEvery time.Duration
}

// DefaultLimits are the limits of a Service whose Limits fields are zero.
var DefaultLimits = Limits{
	PerAddress: 120, PerUser: 30, Window: time.Minute,
	Hashes: 4, HashWait: 2 * time.Second,
	LargeBodies: 4, LargeBodyWait: 10 * time.Second,
	TicketIdle:       10 * time.Minute,
	BadPasswordEvery: 15 * time.Minute,
}

// MaxBodyBytes caps a SOAP request's body. The largest legitimate request is a
// receiveResponseXML answering a full work batch: TestLargestResponseFitsTheBodyCap measures
// qbd.DefaultMaxBatch (250) sales receipts of 100 maximal lines each at 25.9 MiB, and the whole
// item-list read of a 14 500-item company at 15.5 MiB; 40 MiB leaves half again as much. A
// larger body is refused with 413 and a SOAP Client fault before it is parsed further.
const MaxBodyBytes = 40 << 20

// SmallBody is the body size under which a request needs no large-body slot: every call but a
// receiveResponseXML answering a big message set.
const SmallBody = 1 << 20

// errNoSlot means every slot of a semaphore stayed taken for the wait.
var errNoSlot = errors.New("qbwc: no free slot")

// acquire takes a slot of sem (created with n slots on first use), waiting at most wait; the
// returned function releases it.
func acquire(ctx context.Context, once *sync.Once, sem *chan struct{}, n int, wait time.Duration) (func(), error) {
	once.Do(func() { *sem = make(chan struct{}, n) })
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case *sem <- struct{}{}:
		return func() { <-*sem }, nil
	case <-t.C:
		return nil, errNoSlot
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// MaxConnectionErrorText caps the Web Connector's connectionError message kept in the merchant's
// log and the session (QBWC's own messages are one or two sentences).
const MaxConnectionErrorText = 500

func (s *Service) limits() Limits {
	l, d := s.Limits, DefaultLimits
	l.PerAddress = orDefault(l.PerAddress, d.PerAddress)
	l.PerUser = orDefault(l.PerUser, d.PerUser)
	l.Window = orDefault(l.Window, d.Window)
	l.Hashes = orDefault(l.Hashes, d.Hashes)
	l.HashWait = orDefault(l.HashWait, d.HashWait)
	l.LargeBodies = orDefault(l.LargeBodies, d.LargeBodies)
	l.LargeBodyWait = orDefault(l.LargeBodyWait, d.LargeBodyWait)
	l.TicketIdle = orDefault(l.TicketIdle, d.TicketIdle)
	l.BadPasswordEvery = orDefault(l.BadPasswordEvery, d.BadPasswordEvery)
	return l
}

// orDefault is v, or d when v is not set (zero or negative).
func orDefault[T int | time.Duration](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}

const redisPrefix = "ledgerlink:qbwc:"

// redisKey names a per-subject key; the subject (an address or a caller-chosen username) is
// hashed so keys stay short whatever the caller sent.
func redisKey(kind, subject string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(subject)))
	return redisPrefix + kind + ":" + hex.EncodeToString(sum[:12])
}

// allowAuthenticate counts one authenticate call for addr and user and reports whether both are
// within their limits. The counts are taken before any password is checked, atomically
// (INCR + EXPIRE NX in one MULTI), so parallel callers cannot all slip under the limit.
func (s *Service) allowAuthenticate(ctx context.Context, addr, user string) (bool, error) {
	if s.Redis == nil {
		return true, nil
	}
	l := s.limits()
	var byAddr, byUser *redis.IntCmd
	_, err := s.Redis.TxPipelined(ctx, func(p redis.Pipeliner) error {
		ka, ku := redisKey("auth:addr", addr), redisKey("auth:user", user)
		byAddr = p.Incr(ctx, ka)
		p.ExpireNX(ctx, ka, l.Window)
		byUser = p.Incr(ctx, ku)
		p.ExpireNX(ctx, ku, l.Window)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("qbwc: count authenticate: %w", err)
	}
	return byAddr.Val() <= int64(l.PerAddress) && byUser.Val() <= int64(l.PerUser), nil
}

// verifyPassword runs the password check in one of Limits.Hashes slots, waiting at most HashWait
// for one (errNoSlot when none frees up).
func (s *Service) verifyPassword(ctx context.Context, hash, password string) (bool, error) {
	l := s.limits()
	release, err := acquire(ctx, &s.slotsOnce, &s.slots, l.Hashes, l.HashWait)
	if err != nil {
		return false, err
	}
	defer release()
	return s.verify(hash, password)
}

// badPassword records a wrong Web Connector password in the merchant's log, at most once per
// BadPasswordEvery per connection; the entry counts the attempts since the previous one.
func (s *Service) badPassword(ctx context.Context, accountID, connectionID int64) {
	const hint = "Open the QuickBooks Web Connector, click the password field of this application and enter the password Ledgerlink showed when you downloaded the .qwc file (or reset it on the Connections page)."
	msg := "The Web Connector signed in with a wrong password."
	if s.Redis != nil {
		l := s.limits()
		subject := fmt.Sprint(connectionID)
		gate, count := redisKey("badpw:gate", subject), redisKey("badpw:count", subject)
		first, err := s.Redis.SetNX(ctx, gate, 1, l.BadPasswordEvery).Result()
		if err != nil {
			s.logger().WarnContext(ctx, "qbwc: coalesce wrong-password entries", "err", err)
		} else if !first {
			if err := s.Redis.Incr(ctx, count).Err(); err != nil {
				s.logger().WarnContext(ctx, "qbwc: count wrong passwords", "err", err)
			}
			return
		} else if n, err := s.Redis.GetDel(ctx, count).Int(); err == nil && n > 0 {
			msg = fmt.Sprintf("The Web Connector signed in with a wrong password %d times since the previous such entry.", n+1)
		}
	}
	s.log(ctx, accountID, connectionID, db.LevelWarning, msg, hint)
}

// clip shortens caller-supplied text to at most n bytes without splitting a character.
func clip(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}
