package qbdsim

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// qbwcServer is a minimal QBWC web service for driving the WebConnector in
// tests: it hands out a queue of qbXML message sets and records every call.
// It is test-only on purpose (Ledgerlink's real /qbwc route lives elsewhere).
type qbwcServer struct {
	t   *testing.T
	srv *httptest.Server

	mu sync.Mutex
	// Behaviour.
	ticket         string
	authReply      []string // nil: [ticket, ""]
	clientVersion  string
	queue          []string // message sets still to hand out
	later          []string // message sets that "arrive" once noOps is used up
	noOps          int      // getLastError answers "NoOp" this many times
	failOnResponse int      // receiveResponseXML n (1-based) returns -1
	lastError      string   // getLastError's message when not NoOp
	interactive    bool     // getLastError asks for interactive mode
	sendNoOp       bool     // sendRequestXML answers "NoOp" instead of "" when idle
	connErrReplies []string // connectionError answers, in order (default "done")
	delay          map[string]time.Duration
	onResponse     func(s *qbwcServer, response string) // called under mu for each receiveResponseXML
	// Recorded.
	calls     []recordedCall
	responses []receivedResponse
}

type recordedCall struct {
	method  string
	header  http.Header
	body    string
	params  map[string]string
	present map[string]bool
	at      time.Time
}

type receivedResponse struct {
	response, hresult, message string
}

func newQBWCServer(t *testing.T, queue ...string) *qbwcServer {
	t.Helper()
	s := &qbwcServer{t: t, ticket: "ea0bf596246b623664adb465cc8662a2", queue: queue, lastError: "No more work.", delay: map[string]time.Duration{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *qbwcServer) URL() string { return s.srv.URL + "/qbwc" }

// methods returns the called methods in order.
func (s *qbwcServer) methods() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.calls {
		out = append(out, c.method)
	}
	return out
}

func (s *qbwcServer) recorded() []recordedCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recordedCall(nil), s.calls...)
}

func (s *qbwcServer) received() []receivedResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedResponse(nil), s.responses...)
}

// parseCall reads the method element and its parameters from a request.
func parseCall(body string) (string, map[string]string, map[string]bool, error) {
	d := xml.NewDecoder(strings.NewReader(body))
	var path []string
	method := ""
	params, present := map[string]string{}, map[string]bool{}
	var text strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if len(path) == 3 {
				if t.Name.Space != Namespace {
					return "", nil, nil, fmt.Errorf("method %s in namespace %q", t.Name.Local, t.Name.Space)
				}
				method = t.Name.Local
			}
			text.Reset()
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(path) == 4 {
				params[path[3]] = text.String()
				present[path[3]] = true
			}
			path = path[:len(path)-1]
		}
	}
	return method, params, present, nil
}

func (s *qbwcServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	method, params, present, err := parseCall(string(body))
	if err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, recordedCall{method: method, header: r.Header.Clone(), body: string(body), params: params, present: present, at: time.Now()})
	delay := s.delay[method]
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var result string
	var list []string
	switch method {
	case "serverVersion":
		result = "Ledgerlink test QBWC server"
	case "clientVersion":
		result = s.clientVersion
	case "authenticate":
		list = s.authReply
		if list == nil {
			list = []string{s.ticket, ""}
		}
	case "sendRequestXML":
		if hcp := params["strHCPResponse"]; hcp != "" {
			recordDoc(s.t.Name(), hcp)
		}
		if len(s.queue) > 0 {
			result = s.queue[0]
			s.queue = s.queue[1:]
		} else if s.sendNoOp {
			result = "NoOp"
		}
	case "receiveResponseXML":
		s.responses = append(s.responses, receivedResponse{params["response"], params["hresult"], params["message"]})
		if params["response"] != "" {
			recordDoc(s.t.Name(), params["response"])
		}
		if s.onResponse != nil {
			s.onResponse(s, params["response"])
		}
		switch {
		case s.failOnResponse == len(s.responses):
			result = "-1"
		case len(s.queue) == 0 && len(s.later) == 0 && s.noOps == 0:
			result = "100"
		default:
			// consolibyte's formula: processed / (processed + remaining), below 100.
			done := len(s.responses)
			result = fmt.Sprint(min(99, 100*done/(done+len(s.queue)+len(s.later))))
		}
	case "getLastError":
		switch {
		case s.interactive:
			result = "Interactive mode"
		case s.noOps > 0:
			s.noOps--
			result = "NoOp"
			if s.noOps == 0 {
				s.queue = append(s.queue, s.later...)
				s.later = nil
			}
		default:
			result = s.lastError
		}
	case "getInteractiveURL":
		result = s.srv.URL + "/interactive"
	case "interactiveRejected":
		result = "Interactive mode was rejected."
	case "connectionError":
		result = "done"
		if len(s.connErrReplies) > 0 {
			result = s.connErrReplies[0]
			s.connErrReplies = s.connErrReplies[1:]
		}
	case "closeConnection":
		result = "Complete!"
	default:
		http.Error(w, "unknown method", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	fmt.Fprint(w, soapResponse(method, result, list))
}

// soapResponse answers like consolibyte's PHP server in the captured
// session (SOAP-ENV / ns1 prefixes).
func soapResponse(method, result string, list []string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://developer.intuit.com/"><SOAP-ENV:Body>`)
	b.WriteString("<ns1:" + method + "Response><ns1:" + method + "Result>")
	if list != nil {
		for _, v := range list {
			b.WriteString("<ns1:string>")
			_ = xml.EscapeText(&b, []byte(v)) // a strings.Builder does not fail
			b.WriteString("</ns1:string>")
		}
	} else {
		_ = xml.EscapeText(&b, []byte(result))
	}
	b.WriteString("</ns1:" + method + "Result></ns1:" + method + "Response></SOAP-ENV:Body></SOAP-ENV:Envelope>")
	return b.String()
}
