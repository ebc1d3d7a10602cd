package qbosim

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Injected is a failure the next matching API requests meet. It is checked
// after authentication and throttling, so a faulted request uses quota.
type Injected struct {
	// Status answers with 429 (the XML throttling body), 500 (SystemFault
	// 10000) or 502/503/504 (the gateway's HTML page). Ignored with Drop.
	Status int
	// Drop applies the request and then closes the connection without an
	// answer: the lost answer a requestid retry must survive.
	Drop bool
	// Method and PathContains restrict the fault (case-insensitive; the path
	// is the part after /v3/company/{realmId}, e.g. "/salesreceipt", "/batch").
	Method, PathContains string
}

func (f Injected) String() string {
	if f.Drop {
		return "drop-after-apply"
	}
	return fmt.Sprintf("status=%d", f.Status)
}

type injectedRule struct {
	Injected
	left int
}

// FailNext makes the next n matching API requests meet f.
func (s *Server) FailNext(n int, f Injected) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.injected = append(s.injected, &injectedRule{Injected: f, left: n})
}

// ClearFaults drops every pending injected fault and ends a ThrottleFor storm.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.injected = nil
	s.mu.Unlock()
	s.throttle.mu.Lock()
	s.throttle.stormUntil = time.Time{}
	s.throttle.mu.Unlock()
}

func (s *Server) pickInjected(method, path string) *Injected {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, rule := range s.injected {
		if rule.Method != "" && !strings.EqualFold(rule.Method, method) {
			continue
		}
		if rule.PathContains != "" && !strings.Contains(strings.ToLower(path), strings.ToLower(rule.PathContains)) {
			continue
		}
		f := rule.Injected
		rule.left--
		if rule.left <= 0 {
			s.injected = append(s.injected[:i], s.injected[i+1:]...)
		}
		return &f
	}
	return nil
}

func (s *Server) answerInjected(w http.ResponseWriter, f *Injected, now time.Time) {
	switch {
	case f.Status == http.StatusTooManyRequests:
		s.count(func(c *Counts) { c.Throttled++ })
		write429(w, now)
	case f.Status >= 502 && f.Status <= 504:
		text := fmt.Sprintf("%d %s", f.Status, http.StatusText(f.Status))
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", text, text)
	default:
		writeFault(w, errSystem(), now)
	}
}
