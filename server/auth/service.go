package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ledgerlink/ledgerlink/db"
)

const (
	// CookieName is the session cookie. It is HttpOnly and SameSite=Lax.
	CookieName = "ledgerlink_session"
	// CSRFHeader must echo the session's CSRF token on every cookie-authenticated write.
	CSRFHeader = "X-CSRF-Token"
	// AccountHeader lets support staff choose which account a request reads.
	AccountHeader = "X-Ledgerlink-Account"

	// SessionIdle is the sliding lifetime: a session unused this long ends.
	SessionIdle = 14 * 24 * time.Hour
	// SessionAbsolute is the absolute lifetime: a session ends this long after sign-in however
	// active it is, so a stolen cookie does not live forever.
	SessionAbsolute = 30 * 24 * time.Hour
	touchEvery      = 5 * time.Minute
)

var (
	// ErrInvalidCredentials means the email/password or key is wrong, revoked or expired.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrNoCredentials means the request carried neither a session cookie nor an API key.
	ErrNoCredentials = errors.New("no credentials")
	// ErrForbiddenAccount means a non-support user asked to read another account.
	ErrForbiddenAccount = errors.New("this user may not read other accounts")
)

// RateLimitedError is returned by Login while an account, device or address must wait.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many login attempts; retry in %s", e.RetryAfter.Round(time.Second))
}

// Service authenticates requests. SecureCookies should be true when served over HTTPS.
// TrustedProxies are the peers whose X-Forwarded-For is believed (see ClientAddr).
type Service struct {
	DB             *db.DB
	Redis          redis.UniversalClient
	Log            *slog.Logger
	SecureCookies  bool
	TrustedProxies []netip.Prefix
	Now            func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// LoginAttempt is one sign-in: the credentials, where it came from, and the browser's device
// cookie (empty without one).
type LoginAttempt struct {
	Email, Password string
	Addr, UserAgent string
	Device          string
}

// Login checks email and password and opens a session. It returns the cookie token (to send
// once, never stored), the session, and the device cookie value that marks this browser as one
// that signed in to the account. Every attempt is counted before the password is checked (see
// limit.go); while the account, the device or the address must wait it returns
// *RateLimitedError without checking the password.
func (s *Service) Login(ctx context.Context, in LoginAttempt) (string, *db.Session, string, error) {
	email := strings.TrimSpace(in.Email)
	keys, err := s.limiterKeys(ctx, email, in.Device, in.Addr)
	if err != nil {
		return "", nil, "", err
	}
	if err := s.reserveAttempt(ctx, keys); err != nil {
		return "", nil, "", err
	}
	password := in.Password

	u, err := s.DB.GetUserByEmail(ctx, email)
	ok := false
	switch {
	case errors.Is(err, db.ErrNotFound):
		_, _ = VerifyPassword(dummyHash, password) // same cost as a real check
	case err != nil:
		return "", nil, "", err
	default:
		if ok, err = VerifyPassword(u.PasswordHash, password); err != nil {
			return "", nil, "", fmt.Errorf("auth: user %d: %w", u.ID, err)
		}
	}
	if !ok {
		return "", nil, "", ErrInvalidCredentials // the reservation stays counted as the failure
	}
	if err := s.releaseAttempt(ctx, keys); err != nil {
		return "", nil, "", err
	}
	device, err := s.rememberDevice(ctx, email, in.Device)
	if err != nil {
		return "", nil, "", err
	}

	tok := newToken()
	now := s.now()
	sess := &db.Session{
		TokenHash: hashToken(tok),
		UserID:    u.ID,
		CSRFToken: newToken(),
		UserAgent: truncate(in.UserAgent, 300),
		IP:        in.Addr,
		// The service's clock, not the database's: both lifetimes count from it.
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(SessionIdle),
	}
	if err := s.DB.CreateSession(ctx, sess); err != nil {
		return "", nil, "", err
	}
	sess.User = u
	return tok, sess, device, nil
}

// Logout ends the session whose cookie token is tok.
func (s *Service) Logout(ctx context.Context, tok string) error {
	return s.DB.DeleteSessionByTokenHash(ctx, hashToken(tok))
}

// Authenticate resolves the request's credentials: a Bearer API key wins over a cookie.
// It returns ErrNoCredentials when there are none, ErrInvalidCredentials when they are wrong.
func (s *Service) Authenticate(r *http.Request) (*Identity, error) {
	ctx := r.Context()
	now := s.now()
	var id *Identity
	if h := r.Header.Get("Authorization"); h != "" {
		key, found := strings.CutPrefix(h, "Bearer ")
		if !found || !strings.HasPrefix(strings.TrimSpace(key), APIKeyPrefix) {
			return nil, ErrInvalidCredentials
		}
		k, err := s.DB.GetActiveAPIKeyByHash(ctx, hashToken(strings.TrimSpace(key)))
		if errors.Is(err, db.ErrNotFound) {
			return nil, ErrInvalidCredentials
		} else if err != nil {
			return nil, err
		}
		if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
			if err := s.DB.TouchAPIKey(ctx, k.ID, now); err != nil {
				s.logger().Warn("auth: touch api key", "err", err)
			}
		}
		// An API key acts as a member of its account: it can sync and read, but cannot mint or
		// revoke keys, so a leaked key cannot entrench itself.
		id = &Identity{AccountID: k.AccountID, HomeAccountID: k.AccountID, Role: db.RoleMember, Method: MethodAPIKey, APIKeyID: k.ID}
	} else if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		sess, err := s.DB.GetSessionByTokenHash(ctx, hashToken(c.Value), now)
		if errors.Is(err, db.ErrNotFound) {
			return nil, ErrInvalidCredentials
		} else if err != nil {
			return nil, err
		}
		if now.Sub(sess.CreatedAt) >= SessionAbsolute {
			return nil, ErrInvalidCredentials
		}
		if now.Sub(sess.LastSeenAt) > touchEvery {
			// Slide the idle expiry, but never past the absolute one.
			expires := now.Add(SessionIdle)
			if end := sess.CreatedAt.Add(SessionAbsolute); end.Before(expires) {
				expires = end
			}
			if err := s.DB.TouchSession(ctx, sess.ID, now, expires); err != nil {
				s.logger().Warn("auth: touch session", "err", err)
			}
		}
		u := sess.User
		id = &Identity{User: u, AccountID: u.AccountID, HomeAccountID: u.AccountID, Role: u.Role,
			Method: MethodSession, SessionID: sess.ID, CSRFToken: sess.CSRFToken}
	} else {
		return nil, ErrNoCredentials
	}

	if v := strings.TrimSpace(r.Header.Get(AccountHeader)); v != "" {
		acct, err := strconv.ParseInt(v, 10, 64)
		if err != nil || acct <= 0 {
			return nil, fmt.Errorf("%w: %s is not an account id", ErrForbiddenAccount, AccountHeader)
		}
		if acct != id.HomeAccountID {
			if id.Role != db.RoleSupport {
				return nil, ErrForbiddenAccount
			}
			if _, err := s.DB.GetAccount(ctx, acct); err != nil {
				return nil, fmt.Errorf("%w: account %d: %w", ErrForbiddenAccount, acct, err)
			}
			id.AccountID = acct
		}
	}
	return id, nil
}

// CheckCSRF reports whether a cookie-authenticated request carries the session's CSRF token.
// Requests authenticated otherwise always pass.
func CheckCSRF(r *http.Request, id *Identity) bool {
	if id == nil || id.Method != MethodSession {
		return true
	}
	got := r.Header.Get(CSRFHeader)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(id.CSRFToken)) == 1
}

func (s *Service) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// limitKey hashes the subject so emails never sit in Redis in clear text.
func limitKey(kind, subject string) string {
	sum := sha256.Sum256([]byte(subject))
	return "ledgerlink:login-fail:" + kind + ":" + hex.EncodeToString(sum[:12])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
