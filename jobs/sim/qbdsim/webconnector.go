package qbdsim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Defaults of the Web Connector client, from the captured QBWC session
// (samples/soap/00_qbwc_http_request_headers.txt, 02_clientVersion…) and
// the Programmer's Guide.
const (
	DefaultUserAgent       = "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 2.0.50727.1433)"
	DefaultClientVersion   = "2.0.0.116"
	DefaultNoOpWait        = 5 * time.Second // PG p.72: "pause … (currently 5 seconds)"
	DefaultExchangeTimeout = 2 * time.Minute // qbwc.md §2.6: QBWC gives up after ~2 minutes
	DefaultComputerName    = "LEDGERLINK-SIM"
)

// Errors a Web Connector session ends with.
var (
	// ErrInvalidUser: authenticate answered "nvu".
	ErrInvalidUser = errors.New("qbd: web service rejected the user (nvu)")
	// ErrClientVersionRejected: clientVersion answered "E:…" or "O:…".
	ErrClientVersionRejected = errors.New("qbd: web service rejected this Web Connector version")
	// ErrQuickBooksUnavailable: QuickBooks could not be opened and
	// connectionError answered "done" (or asked for too many retries).
	ErrQuickBooksUnavailable = errors.New("qbd: could not connect to QuickBooks")
	// ErrConnectionDropped: a Faults knob dropped the connection.
	ErrConnectionDropped = errors.New("qbd: connection dropped (fault injection)")
	// ErrTimeout: a call to the web service did not answer within
	// ExchangeTimeout (QBWC's "The operation has timed out").
	ErrTimeout = errors.New("The operation has timed out") //nolint:staticcheck // ST1005: QBWC's own words, quoted in its QBWC1012/QBWC1041 messages
)

// qbwcErrorCodes are the QBWC error codes shown when a call to the web
// service throws (PG Appendix A).
var qbwcErrorCodes = map[string]string{
	"authenticate":       "QBWC1012: Authentication failed due to error message",
	"sendRequestXML":     "QBWC1041: SendRequestXML failed due to error message",
	"receiveResponseXML": "QBWC1042: ReceiveResponseXML failed due to error message",
	"getLastError":       "QBWC1043: getLastError failed due to error message",
	"closeConnection":    "QBWC1044: CloseConnection failed due to error message",
	"connectionError":    "QBWC1045: ConnectionError failed due to error message",
}

// CallError is a failed call to the web service (transport error, timeout,
// SOAP fault, unreadable answer). Error() reads like QBWC's message.
type CallError struct {
	Method string
	Err    error
}

func (e *CallError) Error() string {
	prefix, ok := qbwcErrorCodes[e.Method]
	if !ok {
		prefix = e.Method + " failed due to error message"
	}
	return fmt.Sprintf("%s: %v", prefix, e.Err)
}

func (e *CallError) Unwrap() error { return e.Err }

// Faults are client-side failure knobs (QuickBooks-side ones live on the
// Company: SetLatency, SetRunning, InjectLockFault, Config.FilePath).
type Faults struct {
	// DropBeforeApply drops the connection after receiving the Nth
	// (1-based) qbXML message set, before QuickBooks applies it.
	DropBeforeApply int
	// DropAfterApply drops the connection after QuickBooks applied the Nth
	// message set, before receiveResponseXML is sent: the company has the
	// changes, the server never hears about them (the in-doubt case).
	DropAfterApply int
	// BeforeApply, when set, runs before QuickBooks applies each message set
	// (n counts them from 1, msg is the qbXML): what someone at the
	// QuickBooks PC does meanwhile, e.g. edit a sale the set is about to
	// change (its EditSequence goes stale), or a slow QuickBooks while tests
	// run another Web Connector session.
	BeforeApply func(n int, msg string)
	// BeforeReceive, when set, runs after QuickBooks applied message set n
	// and before receiveResponseXML is sent; the session waits until it
	// returns (a delayed call: tests run another session meanwhile).
	BeforeReceive func(n int)
	// DropRate drops the connection after QuickBooks applied a message set,
	// before receiveResponseXML, with this probability per message set (0–1):
	// the share of answers lost on the way back. The session ends there, as
	// QBWC's does when receiveResponseXML fails.
	DropRate float64
}

// WebConnector plays the QuickBooks Web Connector and QuickBooks together:
// it polls a QBWC SOAP server over HTTP and applies the qbXML it gets to
// Company. Zero values get the defaults documented on each field.
type WebConnector struct {
	// URL is the web service's AppURL.
	URL string
	// URLs, when set, replaces URL: successive calls go to these web
	// services in turn, like a load balancer spreading one Web Connector's
	// calls over several replicas of the server.
	URLs []string
	// Username is sent to authenticate (the .qwc UserName); Password is
	// what the user typed into QBWC.
	Username, Password string
	// Company is the QuickBooks company file QBWC talks to.
	Company *Company
	// HTTPClient defaults to a client with no overall timeout (each call
	// is bounded by ExchangeTimeout).
	HTTPClient *http.Client
	// ClientVersion is sent to clientVersion (default "2.0.0.116").
	ClientVersion string
	// UserAgent defaults to the captured QBWC 2.0 User-Agent.
	UserAgent string
	// Country, QBXMLMajorVers and QBXMLMinorVers describe the request
	// processor in sendRequestXML (defaults "US", 13, 0).
	Country        string
	QBXMLMajorVers int
	QBXMLMinorVers int
	// NoOpWait is the pause after getLastError answers "NoOp" (default 5s).
	NoOpWait time.Duration
	// ExchangeTimeout bounds every call to the web service (default 2
	// minutes); a slower answer aborts the session like QBWC does.
	ExchangeTimeout time.Duration
	// MaxConnectionRetries bounds how often a company path returned by
	// connectionError is tried (default 3).
	MaxConnectionRetries int
	// ComputerName appears in the AppLock data extension (default
	// "LEDGERLINK-SIM").
	ComputerName string
	// Faults injects connection failures.
	Faults Faults
	// Logger receives one debug record per call (default: discard).
	Logger *slog.Logger
}

// Call is one SOAP call of a session.
type Call struct {
	Method   string
	Start    time.Time
	Duration time.Duration
	// Result is the returned value (authenticate: joined with ","), or
	// empty when the call failed.
	Result string
	Err    string
}

// RunReport is everything one Web Connector session did.
type RunReport struct {
	Ticket              string
	ServerVersion       string
	ClientVersionResult string
	// AuthResult is authenticate's whole answer; AuthStatus its second
	// element ("", "none", "nvu", "busy" or a company file path).
	AuthResult []string
	AuthStatus string
	// NoWork: authenticate answered "none". Busy: it answered "busy".
	NoWork, Busy bool
	// ConnectionErrors holds the "hresult message" of every failed attempt
	// to open QuickBooks (each reported with connectionError).
	ConnectionErrors []string
	Calls            []Call
	// Progress holds every receiveResponseXML return value.
	Progress []int
	// NoOps counts getLastError "NoOp" pauses.
	NoOps int
	// MessageSets counts qbXML message sets received from sendRequestXML;
	// RequestsApplied the requests QuickBooks processed in them;
	// ParseErrors the message sets QuickBooks rejected (hresult 0x80040400).
	MessageSets, RequestsApplied, ParseErrors int
	// InDoubt counts message sets applied whose response never reached the
	// server (Faults.DropAfterApply).
	InDoubt int
	// Interactive: getLastError asked for interactive mode;
	// InteractiveURL is what getInteractiveURL returned.
	Interactive    bool
	InteractiveURL string
	// LastError is the message QBWC would show (getLastError's answer, the
	// connection error, or the failed call).
	LastError string
	// Completed: receiveResponseXML returned 100.
	Completed   bool
	CloseResult string
	Started     time.Time
	Duration    time.Duration
	// QuickBooksTime is the time QuickBooks spent processing qbXML.
	QuickBooksTime time.Duration
}

func (w *WebConnector) defaults() {
	if w.HTTPClient == nil {
		w.HTTPClient = &http.Client{}
	}
	if w.ClientVersion == "" {
		w.ClientVersion = DefaultClientVersion
	}
	if w.UserAgent == "" {
		w.UserAgent = DefaultUserAgent
	}
	if w.Country == "" {
		w.Country = "US"
	}
	if w.QBXMLMajorVers == 0 {
		w.QBXMLMajorVers = 13
	}
	if w.NoOpWait == 0 {
		w.NoOpWait = DefaultNoOpWait
	}
	if w.ExchangeTimeout == 0 {
		w.ExchangeTimeout = DefaultExchangeTimeout
	}
	if w.MaxConnectionRetries == 0 {
		w.MaxConnectionRetries = 3
	}
	if w.ComputerName == "" {
		w.ComputerName = DefaultComputerName
	}
	if w.Logger == nil {
		w.Logger = slog.New(slog.DiscardHandler)
	}
}

// session is the state of one Run.
type session struct {
	w     *WebConnector
	rep   *RunReport
	posts int // calls posted, to pick the next of WebConnector.URLs
}

// Run plays one complete QBWC update session against the web service:
// serverVersion, clientVersion, authenticate, opening QuickBooks
// (connectionError on failure), then sendRequestXML / receiveResponseXML
// until the service reports 100, an error (negative → getLastError), or
// nothing to do (empty → getLastError; "NoOp" pauses NoOpWait and asks
// again), and closeConnection. The report is filled even when Run fails.
// Run returns nil for every ending the protocol foresees (done, none, busy,
// a server-reported error — see RunReport.LastError); it returns
// ErrInvalidUser for "nvu", ErrClientVersionRejected, ErrQuickBooksUnavailable,
// ErrConnectionDropped, a *CallError when a call fails (wrapping ErrTimeout
// after ExchangeTimeout), or the context's error.
func (w *WebConnector) Run(ctx context.Context) (RunReport, error) {
	w.defaults()
	rep := RunReport{Started: time.Now()}
	s := &session{w: w, rep: &rep}
	err := s.run(ctx)
	rep.Duration = time.Since(rep.Started)
	if err != nil && rep.LastError == "" {
		rep.LastError = err.Error()
	}
	return rep, err
}

func (s *session) run(ctx context.Context) error {
	w, rep := s.w, s.rep
	if w.Company == nil {
		return errors.New("qbd: WebConnector.Company is nil")
	}
	var err error
	if rep.ServerVersion, err = s.call(ctx, "serverVersion"); err != nil {
		return err
	}
	if rep.ClientVersionResult, err = s.call(ctx, "clientVersion", param{"strVersion", w.ClientVersion}); err != nil {
		return err
	}
	switch v := rep.ClientVersionResult; {
	case strings.HasPrefix(v, "E:"):
		rep.LastError = v[2:]
		return fmt.Errorf("%w: %s", ErrClientVersionRejected, v[2:])
	case strings.HasPrefix(v, "O:"):
		rep.LastError = "The web service requires QuickBooks Web Connector version " + v[2:]
		return fmt.Errorf("%w: server expects QBWC %s", ErrClientVersionRejected, v[2:])
	}
	auth, err := s.callList(ctx, "authenticate", param{"strUserName", w.Username}, param{"strPassword", w.Password})
	if err != nil {
		return err
	}
	rep.AuthResult = auth
	if len(auth) > 0 {
		rep.Ticket = auth[0]
	}
	if len(auth) > 1 {
		rep.AuthStatus = auth[1]
	}
	switch rep.AuthStatus {
	case "nvu":
		rep.LastError = "The web service reported an invalid user (nvu)."
		s.close(ctx)
		return ErrInvalidUser
	case "none":
		rep.NoWork = true
		s.close(ctx)
		return nil
	case "busy":
		rep.Busy = true
		s.close(ctx)
		return nil
	}
	if err := s.connect(ctx, rep.AuthStatus); err != nil {
		return err
	}
	qb := w.Company.BeginSession()
	defer qb.End()
	w.Company.setAppLock(fmt.Sprintf("LOCKED:%s:%d", w.ComputerName, time.Now().UnixNano()/100+621355968000000000))
	defer w.Company.setAppLock("")
	hcp, err := s.hcp(qb)
	if err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		req, err := s.call(ctx, "sendRequestXML",
			param{"ticket", rep.Ticket}, param{"strHCPResponse", hcp}, param{"strCompanyFileName", w.Company.FilePath()},
			param{"qbXMLCountry", w.Country}, param{"qbXMLMajorVers", strconv.Itoa(w.QBXMLMajorVers)},
			param{"qbXMLMinorVers", strconv.Itoa(w.QBXMLMinorVers)})
		if err != nil {
			return err
		}
		hcp = ""
		if req == "" || req == "NoOp" {
			again, err := s.lastError(ctx)
			if err != nil || !again {
				return err
			}
			continue
		}
		rep.MessageSets++
		if w.Faults.DropBeforeApply == rep.MessageSets {
			return fmt.Errorf("%w: before QuickBooks applied message set %d", ErrConnectionDropped, rep.MessageSets)
		}
		if w.Faults.BeforeApply != nil {
			w.Faults.BeforeApply(rep.MessageSets, req)
		}
		start := time.Now()
		resp, perr := qb.ProcessQBXML(req)
		rep.QuickBooksTime += time.Since(start)
		hresult, message := "", ""
		if perr != nil {
			var he *HResultError
			if !errors.As(perr, &he) {
				return perr
			}
			hresult, message = he.HResult, he.Message
			rep.ParseErrors++
		} else if doc, err := parseQBXML(resp); err == nil {
			rep.RequestsApplied += len(doc.root.child("QBXMLMsgsRs").Children)
		}
		if w.Faults.DropAfterApply == rep.MessageSets || (w.Faults.DropRate > 0 && rand.Float64() < w.Faults.DropRate) {
			rep.InDoubt++
			return fmt.Errorf("%w: after QuickBooks applied message set %d", ErrConnectionDropped, rep.MessageSets)
		}
		if w.Faults.BeforeReceive != nil {
			w.Faults.BeforeReceive(rep.MessageSets)
		}
		pct, err := s.call(ctx, "receiveResponseXML", param{"ticket", rep.Ticket}, param{"response", resp},
			param{"hresult", hresult}, param{"message", message})
		if err != nil {
			return err
		}
		n, cerr := strconv.Atoi(strings.TrimSpace(pct))
		if cerr != nil {
			return &CallError{Method: "receiveResponseXML", Err: fmt.Errorf("result %q is not an integer", pct)}
		}
		rep.Progress = append(rep.Progress, n)
		switch {
		case n < 0:
			msg, err := s.call(ctx, "getLastError", param{"ticket", rep.Ticket})
			if err != nil {
				return err
			}
			rep.LastError = msg
			s.close(ctx)
			return nil
		case n >= 100:
			rep.Completed = true
			s.close(ctx)
			return nil
		}
	}
}

// connect opens QuickBooks on the company path authenticate named ("" =
// the open file), reporting failures with connectionError and retrying
// with the path it returns, until it answers "done".
func (s *session) connect(ctx context.Context, path string) error {
	w, rep := s.w, s.rep
	for attempt := 0; ; attempt++ {
		hresult, message := "", ""
		switch {
		case !w.Company.Running():
			hresult, message = HResultCannotStart, MessageCannotStart
		case path != "" && !strings.EqualFold(path, w.Company.FilePath()):
			hresult, message = HResultCannotOpenFile, MessageCannotOpenFile
		}
		if hresult == "" {
			return nil
		}
		rep.ConnectionErrors = append(rep.ConnectionErrors, hresult+" "+message)
		rep.LastError = message
		if attempt >= w.MaxConnectionRetries {
			return fmt.Errorf("%w: %s %s (gave up after %d retries)", ErrQuickBooksUnavailable, hresult, message, attempt)
		}
		next, err := s.call(ctx, "connectionError", param{"ticket", rep.Ticket}, param{"hresult", hresult}, param{"message", message})
		if err != nil {
			return err
		}
		if strings.EqualFold(next, "done") {
			return fmt.Errorf("%w: %s %s", ErrQuickBooksUnavailable, hresult, message)
		}
		path = next
	}
}

// hcp builds strHCPResponse the way QBWC does: a HostQuery, CompanyQuery
// (with the application's OwnerID) and PreferencesQuery sent to QuickBooks.
func (s *session) hcp(qb *Session) (string, error) {
	c := s.w.Company
	msg := `<?xml version="1.0" ?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">` +
		`<HostQueryRq requestID="0" /><CompanyQueryRq requestID="1"><OwnerID>` + c.Config().OwnerID + `</OwnerID></CompanyQueryRq>` +
		`<PreferencesQueryRq requestID="2" /></QBXMLMsgsRq></QBXML>`
	c.mu.Lock()
	defer c.mu.Unlock()
	resp, err := qb.process(msg, nil)
	if err != nil {
		return "", fmt.Errorf("qbd: Host/Company/Preferences query: %w", err)
	}
	return resp, nil
}

// lastError handles an empty sendRequestXML: it asks getLastError and
// reports whether to call sendRequestXML again (after a "NoOp" pause).
func (s *session) lastError(ctx context.Context) (bool, error) {
	w, rep := s.w, s.rep
	msg, err := s.call(ctx, "getLastError", param{"ticket", rep.Ticket})
	if err != nil {
		return false, err
	}
	switch msg {
	case "NoOp":
		rep.NoOps++
		t := time.NewTimer(w.NoOpWait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-t.C:
		}
		return true, nil
	case "Interactive mode":
		// QBWC asks the user's permission; an unattended Web Connector
		// never gets it, so interactive mode is rejected (PG pp.43–44, 76).
		rep.Interactive = true
		if rep.InteractiveURL, err = s.call(ctx, "getInteractiveURL", param{"wcTicket", rep.Ticket}, param{"sessionID", rep.Ticket}); err != nil {
			return false, err
		}
		reason := "The user did not respond to the interactive mode request."
		if rep.LastError, err = s.call(ctx, "interactiveRejected", param{"wcTicket", rep.Ticket}, param{"reason", reason}); err != nil {
			return false, err
		}
		s.close(ctx)
		return false, nil
	}
	rep.LastError = msg
	s.close(ctx)
	return false, nil
}

// close calls closeConnection; a failure is recorded, not returned (the
// session is over either way).
func (s *session) close(ctx context.Context) {
	res, err := s.call(ctx, "closeConnection", param{"ticket", s.rep.Ticket})
	if err == nil {
		s.rep.CloseResult = res
	}
}

func (s *session) call(ctx context.Context, method string, params ...param) (string, error) {
	text, _, err := s.do(ctx, method, params)
	return text, err
}

func (s *session) callList(ctx context.Context, method string, params ...param) ([]string, error) {
	_, list, err := s.do(ctx, method, params)
	return list, err
}

// do posts one SOAP call with QBWC's headers and records it.
func (s *session) do(ctx context.Context, method string, params []param) (string, []string, error) {
	w := s.w
	start := time.Now()
	text, list, err := s.post(ctx, method, params)
	c := Call{Method: method, Start: start, Duration: time.Since(start), Result: text}
	if list != nil {
		c.Result = strings.Join(list, ",")
	}
	if err != nil {
		c.Err = err.Error()
	}
	s.rep.Calls = append(s.rep.Calls, c)
	w.Logger.Debug("qbwc call", "method", method, "duration", c.Duration, "err", c.Err)
	return text, list, err
}

func (s *session) post(ctx context.Context, method string, params []param) (string, []string, error) {
	w := s.w
	ctx, cancel := context.WithTimeoutCause(ctx, w.ExchangeTimeout, ErrTimeout)
	defer cancel()
	body := soapEnvelope(method, params)
	url := w.URL
	if len(w.URLs) > 0 {
		url = w.URLs[s.posts%len(w.URLs)]
	}
	s.posts++
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return "", nil, &CallError{Method: method, Err: err}
	}
	req.Header.Set("User-Agent", w.UserAgent)
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"`+Namespace+method+`"`)
	req.Header.Set("Expect", "100-continue")
	req.Header.Set("Connection", "Keep-Alive")
	resp, err := w.HTTPClient.Do(req)
	if err != nil {
		if errors.Is(context.Cause(ctx), ErrTimeout) {
			return "", nil, &CallError{Method: method, Err: ErrTimeout}
		}
		return "", nil, &CallError{Method: method, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		if errors.Is(context.Cause(ctx), ErrTimeout) {
			return "", nil, &CallError{Method: method, Err: ErrTimeout}
		}
		return "", nil, &CallError{Method: method, Err: err}
	}
	text, list, perr := soapResult(bytes.NewReader(data), method)
	if perr != nil {
		if resp.StatusCode != http.StatusOK && !errors.Is(perr, ErrSOAPFault) {
			return "", nil, &CallError{Method: method, Err: fmt.Errorf("HTTP %s", resp.Status)}
		}
		return "", nil, &CallError{Method: method, Err: perr}
	}
	return text, list, nil
}
