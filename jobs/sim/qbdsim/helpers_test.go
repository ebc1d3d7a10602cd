package qbdsim

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock; every reading advances it by step so
// successive changes get distinct timestamps.
type fakeClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.t
	f.t = f.t.Add(f.step)
	return now
}

func (f *fakeClock) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

var (
	testZone       = time.FixedZone("CDT", -5*3600)
	testClockStart = time.Date(2026, 3, 2, 9, 0, 0, 0, testZone)
)

func testSpecsDir(t testing.TB) string {
	t.Helper()
	d, err := SpecsDir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func requireXMLLint(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint missing: install libxml2-utils (make test does this)")
	}
	return p
}

// harness is a seeded company with schema validation on; every response it
// records is validated against the qbXML schema after the tests (TestMain).
type harness struct {
	t     *testing.T
	c     *Company
	clock *fakeClock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	requireXMLLint(t)
	clock := &fakeClock{t: testClockStart, step: time.Second}
	c := New(Config{ValidateSchema: true, SpecsDir: testSpecsDir(t), Clock: clock.Now, Location: testZone,
		OwnerID: "{68b5925b-4347-4784-e58d-35a2d190962f}", FileID: "{ee032e95-47f7-2564-096f-2d4545fcb021}"})
	if err := c.Seed(); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, c: c, clock: clock}
}

// recorded holds every response document the tests produced, with the
// name of the test, for one xmllint run in TestMain.
var recorded struct {
	sync.Mutex
	docs  []string
	tests []string
}

func (h *harness) record(resp string) { recordDoc(h.t.Name(), resp) }

func recordDoc(test, doc string) {
	recorded.Lock()
	defer recorded.Unlock()
	recorded.docs = append(recorded.docs, doc)
	recorded.tests = append(recorded.tests, test)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := validateRecorded(); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// validateRecorded validates every recorded response against the 13.0
// schema with one xmllint run.
func validateRecorded() error {
	recorded.Lock()
	defer recorded.Unlock()
	if len(recorded.docs) == 0 {
		return nil
	}
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		return errors.New("xmllint missing: install libxml2-utils (make test does this)")
	}
	specs, err := SpecsDir()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "qbd-responses-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	args := []string{"--noout", "--nonet", "--schema", SchemaFile(specs, "13.0")}
	for i, d := range recorded.docs {
		p := filepath.Join(dir, fmt.Sprintf("rs%04d.xml", i))
		if err := os.WriteFile(p, []byte(d), 0o644); err != nil {
			return err
		}
		args = append(args, p)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if cmd.Run() == nil {
		return nil
	}
	var report []string
	for _, line := range strings.Split(out.String(), "\n") {
		if line != "" && !strings.HasSuffix(line, " validates") {
			report = append(report, line)
		}
	}
	for i, d := range recorded.docs {
		if strings.Contains(out.String(), fmt.Sprintf("rs%04d.xml fails", i)) {
			report = append(report, fmt.Sprintf("rs%04d.xml from %s:\n%s", i, recorded.tests[i], d))
		}
	}
	return fmt.Errorf("%d responses fail the qbXML 13.0 schema:\n%s", len(recorded.docs), strings.Join(report, "\n"))
}

// msg wraps requests in a 13.0 message set.
func msg(onError string, rqs ...string) string {
	return `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<?qbxml version="13.0"?>` + "\n<QBXML>\n<QBXMLMsgsRq onError=\"" + onError + "\">\n" +
		strings.Join(rqs, "\n") + "\n</QBXMLMsgsRq>\n</QBXML>\n"
}

// do processes a message set that must be accepted and returns the parsed
// responses.
func (h *harness) do(onError string, rqs ...string) []*node {
	h.t.Helper()
	resp, err := h.c.ProcessQBXML(msg(onError, rqs...))
	if err != nil {
		h.t.Fatalf("ProcessQBXML: %v", err)
	}
	h.record(resp)
	return parseResponse(h.t, resp)
}

// one processes a single request and returns its response element.
func (h *harness) one(rq string) *node {
	h.t.Helper()
	rs := h.do("stopOnError", rq)
	if len(rs) != 1 {
		h.t.Fatalf("got %d responses, want 1", len(rs))
	}
	return rs[0]
}

func parseResponse(t testing.TB, resp string) []*node {
	t.Helper()
	if !strings.HasPrefix(resp, "<?xml version=\"1.0\" ?>\n<QBXML>\n<QBXMLMsgsRs") {
		t.Fatalf("response does not start like QuickBooks':\n%s", resp)
	}
	doc, err := parseQBXML(resp)
	if err != nil {
		t.Fatalf("response is not well-formed: %v\n%s", err, resp)
	}
	return doc.root.child("QBXMLMsgsRs").Children
}

// status returns "code severity message" of a response element.
func status(rs *node) string {
	code, _ := rs.attr("statusCode")
	sev, _ := rs.attr("statusSeverity")
	m, _ := rs.attr("statusMessage")
	return code + " " + sev + " " + m
}

func code(rs *node) string {
	c, _ := rs.attr("statusCode")
	return c
}

func attrOf(n *node, name string) string {
	v, _ := n.attr(name)
	return v
}
