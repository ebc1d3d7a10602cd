package qbdsim

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned by the Company accessors when no record matches.
var ErrNotFound = errors.New("qbd: not found")

// ErrSessionEnded is returned by Session.ProcessQBXML after Session.End.
var ErrSessionEnded = errors.New("qbd: session ended")

// Config describes a simulated company file. The zero value is usable: every
// empty field gets the default documented on it.
type Config struct {
	// CompanyName is returned in CompanyRet (default "Ledgerlink Demo Company").
	CompanyName string
	// FilePath is the company file QuickBooks has open (default
	// `C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Ledgerlink Demo Company.QBW`).
	// A Web Connector whose server names another file in authenticate gets
	// a connection error, as QBWC does.
	FilePath string
	// OwnerID and FileID are the data extension QBWC stores in the company
	// file for the application (PG p.52); both are returned in CompanyRet
	// when a CompanyQuery asks for that OwnerID. Defaults: random GUIDs.
	OwnerID, FileID string
	// ProductName is HostRet/ProductName (default "QuickBooks Desktop Enterprise Solutions 23.0").
	ProductName string
	// Versions lists the qbXML versions accepted in <?qbxml version?> and
	// reported as SupportedQBXMLVersion (default 13.0 and 16.0).
	Versions []string
	// ValidateSchema makes every request message be validated against the
	// qbXML XSD with xmllint before it is processed; a message that fails
	// is answered like a QuickBooks parse error (hresult 0x80040400).
	// It costs one xmllint process per distinct message, so it is off
	// unless set.
	ValidateSchema bool
	// SpecsDir is the shared/specs directory holding qbwc/xsd/<version>.
	// Default: $LEDGERLINK_SPECS_DIR, else found by walking up from the
	// working directory. Only used when ValidateSchema is set.
	SpecsDir string
	// Clock returns the current time (default time.Now).
	Clock func() time.Time
	// Location is the time zone of the PC running QuickBooks; TimeCreated
	// and TimeModified carry its offset (default time.Local).
	Location *time.Location
}

// Company is an in-memory QuickBooks company file together with the
// QuickBooks request processor that answers qbXML for it. All methods are
// safe for concurrent use; like QuickBooks, it processes one request at a
// time.
type Company struct {
	mu  sync.Mutex
	cfg Config
	st  *state
	idx index

	defaultSession *Session
	latency        time.Duration
	notRunning     bool
	lockFaults     []*LockFault
	requests       int    // every *Rq processed, for LockFault.Request
	appLock        string // DataExt AppLock value while a Web Connector holds the file
	schema         *schemaValidator
}

// state is everything persisted by Save.
type state struct {
	Format int `json:"format"`
	// OwnerID and FileID are the QBWC data extension stored in the file.
	OwnerID     string     `json:"owner_id"`
	FileID      string     `json:"file_id"`
	NextListSeq uint32     `json:"next_list_seq"`
	NextTxnSeq  uint32     `json:"next_txn_seq"`
	NextTxnNum  int        `json:"next_txn_number"`
	Lists       []*listRec `json:"lists"`
	Txns        []*txnRec  `json:"txns"`
	Prefs       prefs      `json:"prefs"`
	// Recovery holds the saved statuses of message sets sent with
	// newMessageSetID (error recovery).
	Recovery map[string][]*node `json:"recovery,omitempty"`
}

// prefs holds the company preferences that influence processing.
type prefs struct {
	DefaultItemSalesTax string `json:"default_item_sales_tax,omitempty"` // ListID
	TaxableCode         string `json:"taxable_code,omitempty"`           // ListID of "Tax"
	NonTaxableCode      string `json:"non_taxable_code,omitempty"`       // ListID of "Non"
	ClassTracking       bool   `json:"class_tracking,omitempty"`
}

type index struct {
	byListID map[string]*listRec
	byName   map[string]*listRec // namespace + "\x00" + lower(FullName)
	byTxnID  map[string]*txnRec
}

const stateFormat = 1

// New returns an empty company file (no accounts, no items; see Seed).
func New(cfg Config) *Company {
	if cfg.CompanyName == "" {
		cfg.CompanyName = "Ledgerlink Demo Company"
	}
	if cfg.FilePath == "" {
		cfg.FilePath = `C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\` + cfg.CompanyName + ".QBW"
	}
	if cfg.OwnerID == "" {
		cfg.OwnerID = newGUID()
	}
	if cfg.FileID == "" {
		cfg.FileID = newGUID()
	}
	if cfg.ProductName == "" {
		cfg.ProductName = "QuickBooks Desktop Enterprise Solutions 23.0"
	}
	if len(cfg.Versions) == 0 {
		cfg.Versions = []string{"13.0", "16.0"}
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	c := &Company{cfg: cfg, st: &state{Format: stateFormat, OwnerID: cfg.OwnerID, FileID: cfg.FileID, NextListSeq: 0x80000001, NextTxnSeq: 0x20, NextTxnNum: 1}}
	c.reindex()
	c.defaultSession = &Session{c: c, iters: map[string]*iterator{}}
	if cfg.ValidateSchema {
		c.schema = &schemaValidator{specsDir: cfg.SpecsDir}
	}
	return c
}

// Config returns the configuration the company was created with, defaults
// filled in.
func (c *Company) Config() Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg
}

// FilePath is the company file QuickBooks has open.
func (c *Company) FilePath() string { return c.Config().FilePath }

func newGUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("qbd: crypto/rand: %v", err))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("{%x-%x-%x-%x-%x}", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// now returns the company clock, truncated to the second like QuickBooks.
func (c *Company) now() time.Time {
	return c.cfg.Clock().In(c.cfg.Location).Truncate(time.Second)
}

func fmtTime(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

func (c *Company) newListID(t time.Time) string {
	id := fmt.Sprintf("%X-%d", c.st.NextListSeq, t.Unix())
	c.st.NextListSeq++
	return id
}

func (c *Company) newTxnID(t time.Time) string {
	id := fmt.Sprintf("%X-%d", c.st.NextTxnSeq, t.Unix())
	c.st.NextTxnSeq++
	return id
}

// nextEditSeq returns the EditSequence for a record modified at t: the Unix
// time like QuickBooks, bumped so it always changes.
func nextEditSeq(prev int64, t time.Time) int64 {
	if s := t.Unix(); s > prev {
		return s
	}
	return prev + 1
}

// reindex rebuilds the lookup maps from c.st.
func (c *Company) reindex() {
	c.idx = index{byListID: map[string]*listRec{}, byName: map[string]*listRec{}, byTxnID: map[string]*txnRec{}}
	for _, r := range c.st.Lists {
		c.idx.byListID[r.ListID] = r
	}
	for _, r := range c.st.Lists {
		c.idx.byName[nameKey(namespace(r.Kind), c.fullName(r))] = r
	}
	for _, t := range c.st.Txns {
		c.idx.byTxnID[t.TxnID] = t
	}
}

func nameKey(ns, fullName string) string { return ns + "\x00" + strings.ToLower(fullName) }

// Save writes the company file as JSON to path (atomically, via a temporary
// file in the same directory).
func (c *Company) Save(path string) error {
	c.mu.Lock()
	b, err := json.MarshalIndent(c.st, "", " ")
	c.mu.Unlock()
	if err != nil {
		return fmt.Errorf("qbd: encode company: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".qbd-*.json")
	if err != nil {
		return fmt.Errorf("qbd: save company: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("qbd: save company: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("qbd: save company: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("qbd: save company: %w", err)
	}
	return nil
}

// Load reads a company file written by Save. cfg supplies everything that is
// not part of the file (clock, validation, file path…), as for New; the
// file's OwnerID and FileID are kept unless cfg sets them.
func Load(path string, cfg Config) (*Company, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("qbd: load company: %w", err)
	}
	st := &state{}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("qbd: load company %s: %w", path, err)
	}
	if st.Format != stateFormat {
		return nil, fmt.Errorf("qbd: load company %s: unknown format %d", path, st.Format)
	}
	if cfg.OwnerID == "" {
		cfg.OwnerID = st.OwnerID
	}
	if cfg.FileID == "" {
		cfg.FileID = st.FileID
	}
	c := New(cfg)
	st.OwnerID, st.FileID = c.cfg.OwnerID, c.cfg.FileID
	c.st = st
	c.reindex()
	return c, nil
}

// Session is one QuickBooks SDK session (what QBWC opens with BeginSession
// for every update). Iterators started in a session can only be continued
// in it. A Session is safe for concurrent use.
type Session struct {
	c     *Company
	iters map[string]*iterator
	ended bool
}

// BeginSession starts a session; End it when done.
func (c *Company) BeginSession() *Session {
	return &Session{c: c, iters: map[string]*iterator{}}
}

// End closes the session; its iterators become invalid (status 3391).
func (s *Session) End() {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	s.ended = true
	s.iters = map[string]*iterator{}
}

// ProcessQBXML processes a request message set in the company's default
// session (iterators survive between calls until EndDefaultSession). See
// Session.ProcessQBXML.
func (c *Company) ProcessQBXML(msg string) (string, error) {
	return c.defaultSession.ProcessQBXML(msg)
}

// EndDefaultSession invalidates the iterators of the default session.
func (c *Company) EndDefaultSession() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.defaultSession.iters = map[string]*iterator{}
}

// SetLatency makes QuickBooks spend d on every request of a message set, so
// a server's batch sizing can be measured against a slow company file.
func (c *Company) SetLatency(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latency = d
}

// SetRunning simulates QuickBooks not running (false): a Web Connector then
// cannot open the company and calls connectionError (hresult 0x80040408).
func (c *Company) SetRunning(running bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.notRunning = !running
}

// Running reports whether QuickBooks is running (see SetRunning).
func (c *Company) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.notRunning
}

// LockFault makes QuickBooks answer write requests (*AddRq / *ModRq) with a
// transient lock error, as when another user holds the list.
type LockFault struct {
	// Code is 3170, 3175 or 3180.
	Code int
	// Request, when > 0, arms the fault from the Request-th request the
	// company processes (counted over every *Rq since New, see
	// RequestCount): the first write request at or after it fails.
	Request int
	// Element, when set, restricts the fault to writes of the list element
	// with that FullName (Add/Mod) or, for transactions, that RefNumber.
	Element string
	// Times is how many requests fail before the fault clears (default 1).
	Times int
}

var lockMessages = map[int]string{
	3170: "There was an error when modifying a %s list, element \"%s\". QuickBooks error message: This list has been modified by another user.",
	3175: "There was an error when saving a %s list, element \"%s\". QuickBooks error message: The list internals could not be locked.",
	3180: "There was an error when saving a %s list, element \"%s\". QuickBooks error message: This list has been modified by another user.",
}

// InjectLockFault arms a transient lock error; it returns an error for a
// code other than 3170, 3175 or 3180.
func (c *Company) InjectLockFault(f LockFault) error {
	if _, ok := lockMessages[f.Code]; !ok {
		return fmt.Errorf("qbd: lock fault code %d: want 3170, 3175 or 3180", f.Code)
	}
	if f.Times <= 0 {
		f.Times = 1
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lockFaults = append(c.lockFaults, &f)
	return nil
}

// appLockValue is the AppLock data extension (caller holds c.mu).
func (c *Company) appLockValue() string { return c.appLock }

func (c *Company) setAppLock(v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.appLock = v
}

// RequestCount is the number of requests (*Rq elements) processed so far.
func (c *Company) RequestCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests
}

// sortedLists returns the records of the given kinds ordered by FullName
// (case-insensitive), the order QuickBooks lists them in.
func (c *Company) sortedLists(kinds map[string]bool) []*listRec {
	var out []*listRec
	for _, r := range c.st.Lists {
		if kinds[r.Kind] {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return strings.ToLower(c.fullName(out[i])) < strings.ToLower(c.fullName(out[j]))
	})
	return out
}
