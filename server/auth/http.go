package auth

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type sessionJSON struct {
	User      userJSON    `json:"user"`
	Account   accountJSON `json:"account"`
	CSRFToken string      `json:"csrfToken"`
}

type userJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

type accountJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Routes registers /auth/login, /auth/logout and /auth/session on mux.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /auth/login", s.handleLogin)
	mux.HandleFunc("POST /auth/logout", s.handleLogout)
	mux.HandleFunc("GET /auth/session", s.handleSession)
}

func (s *Service) handleLogin(w http.ResponseWriter, r *http.Request) {
	// JSON only: a cross-site form cannot send it without a CORS preflight, which we never grant.
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeJSONError(w, http.StatusUnsupportedMediaType, "Send the credentials as JSON.")
		return
	}
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<10)).Decode(&in); err != nil {
		writeJSONError(w, http.StatusBadRequest, "The request body is not valid JSON.")
		return
	}
	if strings.TrimSpace(in.Email) == "" || in.Password == "" {
		writeJSONError(w, http.StatusBadRequest, "Enter your email and password.")
		return
	}
	var device string
	if c, err := r.Cookie(DeviceCookieName); err == nil {
		device = c.Value
	}
	tok, sess, device, err := s.Login(r.Context(), LoginAttempt{Email: in.Email, Password: in.Password,
		Addr: ClientAddr(r, s.TrustedProxies), UserAgent: r.UserAgent(), Device: device})
	var rl *RateLimitedError
	switch {
	case errors.As(err, &rl):
		secs := int(math.Ceil(rl.RetryAfter.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{
			"error":             "Too many login attempts. Try again in " + waitWords(secs) + ".",
			"retryAfterSeconds": secs,
		})
		return
	case errors.Is(err, ErrInvalidCredentials):
		writeJSONError(w, http.StatusUnauthorized, "Invalid email or password.")
		return
	case err != nil:
		s.logger().Error("auth: login", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "Signing in failed on our side. Try again in a minute.")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: tok, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt,
	})
	// Only the sign-in route reads the device cookie.
	http.SetCookie(w, &http.Cookie{
		Name: DeviceCookieName, Value: device, Path: "/auth/login", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: int(deviceLifetime.Seconds()),
	})
	s.writeSession(w, r, &Identity{User: sess.User, AccountID: sess.User.AccountID, HomeAccountID: sess.User.AccountID,
		Role: sess.User.Role, Method: MethodSession, SessionID: sess.ID, CSRFToken: sess.CSRFToken})
}

func (s *Service) handleLogout(w http.ResponseWriter, r *http.Request) {
	id, err := s.Authenticate(r)
	if err == nil && id.Method == MethodSession {
		if !CheckCSRF(r, id) {
			writeJSONError(w, http.StatusForbidden, "Missing or wrong CSRF token.")
			return
		}
		if c, err := r.Cookie(CookieName); err == nil {
			if err := s.Logout(r.Context(), c.Value); err != nil {
				s.logger().Error("auth: logout", "err", err)
			}
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1, Expires: time.Unix(0, 0)})
	w.WriteHeader(http.StatusNoContent)
}

// handleSession answers the SPA's probe for a session: 200 with the session, or 204 No Content
// when nobody is signed in. Being signed out is an answer, not a failure: a 401 here would be
// logged as an error on every browser console that opens the login page.
func (s *Service) handleSession(w http.ResponseWriter, r *http.Request) {
	id, err := s.Authenticate(r)
	if err != nil || id.Method != MethodSession {
		if err != nil && !errors.Is(err, ErrNoCredentials) && !errors.Is(err, ErrInvalidCredentials) && !errors.Is(err, ErrForbiddenAccount) {
			s.logger().Error("auth: session", "err", err)
			writeJSONError(w, http.StatusInternalServerError, "Could not check your session. Try again in a minute.")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.writeSession(w, r, id)
}

func (s *Service) writeSession(w http.ResponseWriter, r *http.Request, id *Identity) {
	acct, err := s.DB.GetAccount(r.Context(), id.HomeAccountID)
	if err != nil {
		s.logger().Error("auth: session account", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "Could not load your account.")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, sessionJSON{
		User: userJSON{ID: strconv.FormatInt(id.User.ID, 10), Email: id.User.Email, Name: id.User.Name,
			Role: strings.ToUpper(string(id.User.Role))},
		Account:   accountJSON{ID: strconv.FormatInt(acct.ID, 10), Name: acct.Name},
		CSRFToken: id.CSRFToken,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("auth: write response", "err", err)
	}
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// waitWords says how long to wait in words: "1 second", "45 seconds", "5 minutes".
func waitWords(secs int) string {
	switch {
	case secs == 1:
		return "1 second"
	case secs < 120:
		return strconv.Itoa(secs) + " seconds"
	default:
		return strconv.Itoa((secs+59)/60) + " minutes"
	}
}
