package qbwc

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// nestedReader yields an envelope opening n <a> elements, generated as it is read so the test
// itself allocates nothing, and counts what was read.
type nestedReader struct {
	head    string
	n, read int
}

func (r *nestedReader) Read(p []byte) (int, error) {
	i := 0
	for i < len(p) {
		switch {
		case r.read < len(r.head):
			p[i] = r.head[r.read]
		case (r.read-len(r.head))/3 < r.n:
			p[i] = "<a>"[(r.read-len(r.head))%3]
		default:
			if i == 0 {
				return 0, io.EOF
			}
			return i, nil
		}
		i++
		r.read++
	}
	return i, nil
}

const nestedHead = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><authenticate xmlns="http://developer.intuit.com/"><strUserName>`

// A deeply nested body (the attack: ~2 MiB of <a> is ~700 000 levels) is refused at the first
// level past MaxDepth, having read a few kilobytes and allocated little.
func TestParseCallRefusesDeepNestingEarly(t *testing.T) {
	r := &nestedReader{head: nestedHead, n: 700_000}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ParseCall(r, "")
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("err = %v, want ErrTooDeep", err)
	}
	if r.read > 64<<10 {
		t.Fatalf("read %d bytes of the nested body before refusing it, want at most 64 KiB", r.read)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Fatalf("parsing the nested body allocated %d bytes, want under 1 MiB", alloc)
	}
}

// Over HTTP the nested body is a SOAP Client fault (400), not a server error.
func TestNestedBodyIsAClientFault(t *testing.T) {
	s := &Service{}
	req := httptest.NewRequest(http.MethodPost, "/qbwc", &nestedReader{head: nestedHead, n: 700_000})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "<faultcode>soap:Client</faultcode>") {
		t.Fatalf("nested body: %d %s", rec.Code, rec.Body)
	}
}

// A method the Web Connector's WSDL does not have is the caller's mistake: a Client fault with
// 400, not a 500 promising a retry.
func TestUnknownMethodIsAClientFault(t *testing.T) {
	s := &Service{}
	body := `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><dropTables xmlns="http://developer.intuit.com/"><ticket>x</ticket></dropTables></soap:Body></soap:Envelope>`
	req := httptest.NewRequest(http.MethodPost, "/qbwc", strings.NewReader(body))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	got := rec.Body.String()
	if rec.Code != http.StatusBadRequest || !strings.Contains(got, "<faultcode>soap:Client</faultcode>") ||
		!strings.Contains(got, "dropTables") || strings.Contains(got, "retried") {
		t.Fatalf("unknown method: %d %s", rec.Code, got)
	}
}

// flatReader yields head, then n bytes of text, then tail, generated as read.
type flatReader struct {
	head, tail string
	n, read    int
}

func (r *flatReader) Read(p []byte) (int, error) {
	i := 0
	for ; i < len(p); i++ {
		switch pos := r.read; {
		case pos < len(r.head):
			p[i] = r.head[pos]
		case pos < len(r.head)+r.n:
			p[i] = 'x'
		case pos < len(r.head)+r.n+len(r.tail):
			p[i] = r.tail[pos-len(r.head)-r.n]
		default:
			if i == 0 {
				return 0, io.EOF
			}
			return i, nil
		}
		r.read++
	}
	return i, nil
}

// A body larger than MaxBodyBytes (the measured largest legitimate answer plus half) is refused
// with 413 and a Client fault, having read no more than the cap.
func TestBodyOverTheCapIsRefused(t *testing.T) {
	r := &flatReader{head: `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><serverVersion xmlns="http://developer.intuit.com/"><ticket>`,
		tail: `</ticket></serverVersion></soap:Body></soap:Envelope>`, n: 41 << 20}
	req := httptest.NewRequest(http.MethodPost, "/qbwc", r)
	rec := httptest.NewRecorder()
	(&Service{Version: "test"}).ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "<faultcode>soap:Client</faultcode>") {
		t.Fatalf("41 MiB body: %d %.300s", rec.Code, rec.Body)
	}
	if r.read > MaxBodyBytes+64<<10 {
		t.Fatalf("read %d bytes, cap %d", r.read, MaxBodyBytes)
	}
}

// blockingBody signals when it is first read, then waits for release before yielding body.
type blockingBody struct {
	body             io.Reader
	entered, release chan struct{}
	started          bool
}

func (b *blockingBody) Read(p []byte) (int, error) {
	if !b.started {
		b.started = true
		b.entered <- struct{}{}
		<-b.release
	}
	return b.body.Read(p)
}

const serverVersionCall = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><serverVersion xmlns="http://developer.intuit.com/"/></soap:Body></soap:Envelope>`

// Large bodies cost several times their size to parse, before the ticket is known: only
// Limits.LargeBodies are parsed at once, a further one is refused as busy (503, Server fault),
// and small calls are not held up.
func TestLargeBodiesAreParsedFewAtATime(t *testing.T) {
	s := &Service{Version: "test", Limits: Limits{LargeBodies: 2, LargeBodyWait: 10 * time.Millisecond}}
	entered, release := make(chan struct{}), make(chan struct{})
	post := func(body io.Reader, length int64) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/qbwc", body)
		req.ContentLength = length
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if rec := post(&blockingBody{body: strings.NewReader(serverVersionCall), entered: entered, release: release}, 30<<20); rec.Code != http.StatusOK {
				t.Errorf("held large call: %d %s", rec.Code, rec.Body)
			}
		})
	}
	<-entered
	<-entered // both large-body slots are held until release
	if rec := post(strings.NewReader(serverVersionCall), 30<<20); rec.Code != http.StatusServiceUnavailable ||
		!strings.Contains(rec.Body.String(), "<faultcode>soap:Server</faultcode>") {
		t.Errorf("third large call: %d %s, want 503 Server fault", rec.Code, rec.Body)
	}
	if rec := post(strings.NewReader(serverVersionCall), int64(len(serverVersionCall))); rec.Code != http.StatusOK {
		t.Errorf("small call while large ones are parsed: %d %s", rec.Code, rec.Body)
	}
	close(release)
	wg.Wait()
}
