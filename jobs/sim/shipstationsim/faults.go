package shipstationsim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Fault is one injected failure. Faults are checked after authentication
// and the rate limit, so a faulted request still uses up quota, as a real
// 500 from ShipStation does.
type Fault struct {
	// Status is the HTTP status to answer with: 429 (with X-Rate-Limit-
	// Remaining 0), 500 (ASP.NET exception body), 502/503/504 (the HTML
	// page of the load balancer in front of ShipStation) or any other
	// status (ASP.NET {"Message":…} body). 0 means no status fault: only
	// Delay applies and the request is then handled normally.
	Status int
	// Delay is waited before answering. The wait ends early when the
	// client goes away, so a client timeout shorter than Delay sees a
	// timeout. It uses real time, not Options.Clock.
	Delay time.Duration
	// Method and Path restrict the fault to requests with that method and
	// a path starting with Path (case-insensitive). Empty matches all.
	Method, Path string
	// AfterHandling makes the request take effect (an order is created, a
	// shipment voided…) before the client is answered with Status: the
	// "timed out but committed" case an idempotent client must survive.
	AfterHandling bool
}

func (f Fault) String() string {
	s := fmt.Sprintf("status=%d", f.Status)
	if f.Delay > 0 {
		s += " delay=" + f.Delay.String()
	}
	if f.AfterHandling {
		s += " after-handling"
	}
	return s
}

type faultRule struct {
	Fault
	remaining int     // FailNext: requests left; -1 for FailRandomly rules
	fraction  float64 // FailRandomly: probability per matching request
}

// FailNext makes the next n matching requests fail with f.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{Fault: f, remaining: n})
}

// FailRandomly makes each matching request fail with f with probability
// fraction (0..1), drawn from the Options.Seed sequence, until ClearFaults.
func (s *Server) FailRandomly(fraction float64, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{Fault: f, remaining: -1, fraction: fraction})
}

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// pickFault returns the fault for r, consuming one FailNext use, or nil.
func (s *Server) pickFault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, fr := range s.faults {
		if fr.Method != "" && !strings.EqualFold(fr.Method, r.Method) {
			continue
		}
		if fr.Path != "" && !strings.HasPrefix(strings.ToLower(r.URL.Path), strings.ToLower(fr.Path)) {
			continue
		}
		if fr.remaining < 0 {
			if s.rng.Float64() < fr.fraction {
				f := fr.Fault
				return &f
			}
			continue
		}
		f := fr.Fault
		fr.remaining--
		if fr.remaining <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return &f
	}
	return nil
}

// apply delays and/or answers r with the fault. It reports whether the
// request should still be handled normally.
func (f *Fault) apply(w http.ResponseWriter, r *http.Request, s *Server) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return false
		}
	}
	if f.Status == 0 {
		return true
	}
	if f.AfterHandling {
		// Run the endpoint for its side effects and throw its answer away.
		s.dispatch(httptest.NewRecorder(), r)
	}
	switch {
	case f.Status == http.StatusTooManyRequests:
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		writeTooMany(w)
	case f.Status == http.StatusInternalServerError:
		writeJSON(w, f.Status, apiError{
			Message:          "An error has occurred.",
			ExceptionMessage: "Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.",
			ExceptionType:    "System.Data.SqlClient.SqlException",
			StackTrace:       ptr(""),
		})
	case f.Status >= 502 && f.Status <= 504:
		text := fmt.Sprintf("%d %s", f.Status, http.StatusText(f.Status))
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n</body>\r\n</html>\r\n", text, text)
	default:
		writeMessage(w, f.Status, http.StatusText(f.Status))
	}
	return false
}
