package woosim

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is a failure of the host in front of the store (web server, PHP,
// WAF), answered instead of the REST API. Real hosts answer these with
// HTML, not WordPress JSON, and so does the simulator unless Body is set.
type Fault struct {
	// Status is the HTTP status to answer with: 429, 500 (a WordPress
	// "critical error" page), 502, 503, 504, or any other. 0 means no
	// error: the request is served normally after Delay.
	Status int
	// Delay is waited before answering (or before serving, for Status 0).
	// A client that gives up earlier sees a timeout.
	Delay time.Duration
	// RetryAfter is sent as a Retry-After header in whole seconds. For 429
	// and 503 it defaults to 1 s.
	RetryAfter time.Duration
	// Path limits the fault to requests whose path contains it
	// ("/orders", "/products/batch"); empty matches every request.
	Path string
	// Body replaces the default HTML page; ContentType goes with it
	// (default "text/html; charset=UTF-8").
	Body        string
	ContentType string
}

type faultRule struct {
	f         Fault
	remaining int     // FailNext: requests left; -1 for a fraction rule
	fraction  float64 // FailFraction probability
}

// FailNext makes the next n requests that match f.Path fail with f.
// Rules apply in the order they were added; the first that matches wins.
func (s *Server) FailNext(n int, f Fault) {
	if n <= 0 {
		return
	}
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = append(s.faults, &faultRule{f: f, remaining: n})
}

// FailFraction makes each request that matches f.Path fail with f with
// probability p (0..1), until ClearFaults. The draws come from a source
// seeded with Options.Seed, so a run is repeatable for a given request
// order.
func (s *Server) FailFraction(p float64, f Fault) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = append(s.faults, &faultRule{f: f, remaining: -1, fraction: p})
}

// ClearFaults removes every FailNext and FailFraction rule.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = nil
}

// pickFault returns the fault for r, consuming a FailNext count.
func (s *Server) pickFault(r *http.Request) (Fault, bool) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for i, rule := range s.faults {
		if rule.f.Path != "" && !strings.Contains(r.URL.Path, rule.f.Path) {
			continue
		}
		if rule.remaining > 0 {
			rule.remaining--
			if rule.remaining == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			return rule.f, true
		}
		if rule.remaining < 0 && s.rng.Float64() < rule.fraction {
			return rule.f, true
		}
	}
	return Fault{}, false
}

// injectFault answers r with an injected fault, reporting whether it did.
// A delay-only fault waits and lets the request through.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request) bool {
	f, ok := s.pickFault(r)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	if f.Status == 0 {
		return false
	}
	writeHostError(w, f)
	return true
}

// writeHostError writes a host-level error page.
func writeHostError(w http.ResponseWriter, f Fault) {
	retry := f.RetryAfter
	if retry == 0 && (f.Status == http.StatusTooManyRequests || f.Status == http.StatusServiceUnavailable) {
		retry = time.Second
	}
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
	}
	body, ct := f.Body, f.ContentType
	if body == "" {
		body = hostErrorPage(f.Status)
	}
	if ct == "" {
		ct = "text/html; charset=UTF-8"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(f.Status)
	_, _ = io.WriteString(w, body)
}

// hostErrorPage is the page a typical host answers with: WordPress's
// wp_die() "critical error" page for a PHP fatal error (500), nginx's
// pages otherwise.
func hostErrorPage(status int) string {
	if status == http.StatusInternalServerError {
		return wpCriticalErrorPage
	}
	text := http.StatusText(status)
	switch status {
	case http.StatusServiceUnavailable:
		text = "Service Temporarily Unavailable"
	case http.StatusGatewayTimeout:
		text = "Gateway Time-out"
	}
	title := fmt.Sprintf("%d %s", status, text)
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// wpCriticalErrorPage is _default_wp_die_handler's output for
// WP_Fatal_Error_Handler (the "critical error" screen since WordPress 5.2).
const wpCriticalErrorPage = `<!DOCTYPE html>
<html lang="en-US">
<head>
	<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
		<title>WordPress &rsaquo; Error</title>
	<style type="text/css">
		html { background: #f1f1f1; }
		body { background: #fff; border: 1px solid #ccd0d4; color: #444; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Oxygen-Sans, Ubuntu, Cantarell, "Helvetica Neue", sans-serif; margin: 2em auto; padding: 1em 2em; max-width: 700px; -webkit-box-shadow: 0 1px 1px rgba(0, 0, 0, .04); box-shadow: 0 1px 1px rgba(0, 0, 0, .04); }
		#error-page { margin-top: 50px; }
		#error-page p, #error-page .wp-die-message { font-size: 14px; line-height: 1.5; margin: 25px 0 20px; }
	</style>
</head>
<body id="error-page">
	<div class="wp-die-message"><p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p></div></body>
</html>
	`

// tokenBucket is the optional host-level rate limit.
type tokenBucket struct {
	rate, burst, tokens float64
	last                time.Time
}

// rateLimited answers r with 429 when the bucket is empty, reporting
// whether it did.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.RateLimit <= 0 {
		return false
	}
	now := s.now()
	s.faultMu.Lock()
	b := &s.bucket
	if !b.last.IsZero() {
		b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		s.faultMu.Unlock()
		return false
	}
	wait := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
	s.faultMu.Unlock()
	writeHostError(w, Fault{Status: http.StatusTooManyRequests, RetryAfter: max(wait, time.Second)})
	return true
}
