// Package qbd is the QuickBooks Desktop engine: a durable queue of work items per connection,
// packed into qbXML message sets for the Web Connector, with a ledger that maps each of our
// documents to the QuickBooks object it became. Work whose answer was lost is reconciled with
// QuickBooks (by a lookup query stored with it) before anything is sent again, so no document is
// posted twice. See README.md.
package qbd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// ErrAlreadyPosted is returned by Enqueue for a document the ledger says is in QuickBooks.
var ErrAlreadyPosted = errors.New("qbd: document is already in QuickBooks")

const (
	// DefaultBudget is how long QuickBooks should need for one message set: half the Web
	// Connector's ~2-minute limit, leaving room for a slow company file.
	DefaultBudget = 60 * time.Second
	// DefaultMaxBatch caps requests per message set whatever the measured speed.
	DefaultMaxBatch = 250
	// maxAttempts bounds retries of transient errors (record locked, list in use).
	maxAttempts = 5
)

// Engine implements the Web Connector route's view of the queue (qbwc.Engine) and the
// workers' (Enqueue, MarkFilling).
type Engine struct {
	DB       *db.DB
	Redis    redis.UniversalClient
	Log      *slog.Logger
	Now      func() time.Time
	Budget   time.Duration
	MaxBatch int
	// InDoubtGrace is how long after a lost message set was sent its items wait before
	// QuickBooks is asked about them (default DefaultInDoubtGrace). A Web Connector taken
	// over as dead may still be delivering that message set to QuickBooks; asking too early
	// could find nothing and send the work a second time.
	InDoubtGrace time.Duration
	// Repair, when set, is asked what to create when QuickBooks answers 3140 (an invalid
	// reference to a list element, e.g. an item or customer that does not exist). The Item it
	// returns is queued and the refused request is sent again after it; nil (or no Repair)
	// fails the request for the merchant. The order pipeline supplies it from the connection's
	// settings (Missing Product Action, customer creation).
	Repair func(ctx context.Context, failed *db.QBDWorkItem, ref InvalidRef) (*Item, error)
	// Settled, when set, is called inside the transaction that settles a work item (done,
	// failed, or found to be a duplicate already in QuickBooks), so the owner of the document
	// (e.g. an order) changes state atomically with the queue.
	Settled func(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, outcome Outcome) error
	// Sending, when set, is called inside the transaction that hands work items to the Web
	// Connector, so their owners can show them as sent.
	Sending func(ctx context.Context, tx bun.Tx, items []db.QBDWorkItem) error
	// Scope, when set, returns the scope (see ScopedMarker: for orders, the store connection)
	// of each of the given documents of ours that it knows. The duplicate check asks it about
	// documents found in QuickBooks whose marker predates scoped markers, so a sale another
	// store posted before then is not taken for a duplicate. Without it such documents count
	// as duplicates, as every marked document did before.
	// accountID owns the connection, and so the documents.
	Scope func(ctx context.Context, tx bun.Tx, accountID int64, docKeys []string) (map[string]string, error)
}

// Outcome is how a work item ended, for Engine.Settled.
type Outcome struct {
	Status string // db.WorkDone or db.WorkFailed
	// Duplicate is set when a pre-check found a sale with the document's number and date
	// already in QuickBooks, entered by someone else or another document of the same scope:
	// it is adopted into the ledger and not sent. (A pre-check finding this very document,
	// by its marker, settles it done without Duplicate.)
	Duplicate bool
	Message   string
	Hint      string
	// QBType and QBID name the QuickBooks object, for done items.
	QBType, QBID string
	// Response is QuickBooks' answer to the item (nil when there was none, e.g. a lost answer):
	// queries read their records from it.
	Response *qbxml.Rs
}

// InvalidRef is the list element a 3140 answer names: its list ("Item", "Customer",
// "Account", "Class", …) and full name (or ListID).
type InvalidRef struct {
	List, Name string
}

// invalidRefPattern reads QuickBooks' 3140 message:
// There is an invalid reference to QuickBooks Customer "Joe Smith" in the SalesOrder.
// The name may itself contain quotes, so it runs to the last `" in the`.
var invalidRefPattern = regexp.MustCompile(`invalid reference to QuickBooks (\w+(?: \w+)?) "(.*)" in the `)

// ParseInvalidRef extracts the element a 3140 message names.
func ParseInvalidRef(msg string) (InvalidRef, bool) {
	return parseInvalidRef(msg)
}

func parseInvalidRef(msg string) (InvalidRef, bool) {
	m := invalidRefPattern.FindStringSubmatch(msg)
	if m == nil {
		return InvalidRef{}, false
	}
	return InvalidRef{List: m[1], Name: m[2]}, true
}

// DefaultInDoubtGrace is three times the message-set budget: longer than any message set
// QuickBooks can still be working on.
const DefaultInDoubtGrace = 3 * time.Minute

func (e *Engine) inDoubtGrace() time.Duration {
	if e.InDoubtGrace > 0 {
		return e.InDoubtGrace
	}
	return DefaultInDoubtGrace
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) logger() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

// Item describes work to queue. Lookup finds the object Request creates; every Add should
// have one: an Add without it whose answer is lost cannot be checked, so it fails for the
// merchant to verify by hand rather than be resent blind.
type Item struct {
	AccountID    int64
	ConnectionID int64
	DocKey       string
	Request      qbxml.Request
	Lookup       *Lookup
	DependsOn    []int64
	// CheckFirst asks QuickBooks (with Lookup, grouped with other items) whether the document
	// is already there before sending it: the duplicate check for documents that someone else
	// may have entered. Found → not sent, adopted, Outcome.Duplicate.
	CheckFirst bool
}

// Enqueued is what Enqueue stored (or found already queued) and the text adjustments made to
// fit QuickBooks' field lengths and character set.
type Enqueued struct {
	Item        *db.QBDWorkItem
	Existing    bool
	Adjustments []qbxml.Adjustment
}

// Enqueue stores it unless the ledger already holds its document (ErrAlreadyPosted) or an
// unfinished item for the same document exists (returned with Existing set). A request that
// cannot be written as valid qbXML is refused with the qbxml error, before it is stored.
func (e *Engine) Enqueue(ctx context.Context, it Item) (*Enqueued, error) {
	return e.EnqueueTx(ctx, e.DB.Bun(), it)
}

// EnqueueTx is Enqueue inside the caller's transaction (e.g. a Settled hook queueing the payment
// of an invoice QuickBooks just created).
func (e *Engine) EnqueueTx(ctx context.Context, idb bun.IDB, it Item) (*Enqueued, error) {
	posted, err := idb.NewSelect().Model((*db.QBDLedgerEntry)(nil)).
		Where("connection_id = ? AND doc_key = ?", it.ConnectionID, it.DocKey).Exists(ctx)
	if err != nil {
		return nil, fmt.Errorf("qbd: ledger %s: %w", it.DocKey, err)
	}
	if posted {
		return nil, fmt.Errorf("%w: %s", ErrAlreadyPosted, it.DocKey)
	}
	frag, adj, err := qbxml.Encode(it.Request)
	if err != nil {
		return nil, fmt.Errorf("qbd: %s: %w", it.DocKey, err)
	}
	w := &db.QBDWorkItem{AccountID: it.AccountID, ConnectionID: it.ConnectionID, DocKey: it.DocKey,
		Kind: strings.TrimSuffix(qbxml.Kind(it.Request), "Rq"), Request: frag, DependsOn: it.DependsOn, Status: db.WorkQueued}
	if w.DependsOn == nil {
		w.DependsOn = []int64{}
	}
	if it.CheckFirst && it.Lookup == nil {
		return nil, fmt.Errorf("qbd: %s: CheckFirst needs a Lookup", it.DocKey)
	}
	w.CheckFirst = it.CheckFirst
	if it.Lookup != nil {
		if !it.Lookup.valid() {
			return nil, fmt.Errorf("qbd: %s: lookup %+v names no known type or no value", it.DocKey, *it.Lookup)
		}
		t := string(it.Lookup.Type)
		w.LookupType, w.LookupValue, w.LookupMarker, w.LookupDate = &t, it.Lookup.stored(), it.Lookup.Marker, it.Lookup.Date
	}
	res, err := idb.NewInsert().Model(w).
		On("CONFLICT (connection_id, doc_key) WHERE status <> 'failed' DO NOTHING").
		Returning("*").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("qbd: enqueue %s: %w", it.DocKey, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		existing := new(db.QBDWorkItem)
		err := idb.NewSelect().Model(existing).
			Where("connection_id = ? AND doc_key = ? AND status <> ?", it.ConnectionID, it.DocKey, db.WorkFailed).Scan(ctx)
		if err != nil {
			return nil, fmt.Errorf("qbd: enqueue %s: find existing: %w", it.DocKey, err)
		}
		if existing.Status == db.WorkDone {
			return nil, fmt.Errorf("%w: %s", ErrAlreadyPosted, it.DocKey)
		}
		return &Enqueued{Item: existing, Existing: true}, nil
	}
	return &Enqueued{Item: w, Adjustments: adj}, nil
}

// fillingKey marks a connection whose workers are still preparing work.
func fillingKey(connectionID int64) string {
	return fmt.Sprintf("ledgerlink:qbd:filling:%d", connectionID)
}

// MarkFilling tells waiting Web Connector sessions that workers are adding work for the next
// ttl: the SOAP route answers NoOp instead of ending the session.
func (e *Engine) MarkFilling(ctx context.Context, connectionID int64, ttl time.Duration) error {
	return e.Redis.Set(ctx, fillingKey(connectionID), 1, ttl).Err()
}

// DoneFilling clears MarkFilling.
func (e *Engine) DoneFilling(ctx context.Context, connectionID int64) error {
	return e.Redis.Del(ctx, fillingKey(connectionID)).Err()
}

// Filling reports whether workers are still adding work for the connection.
func (e *Engine) Filling(ctx context.Context, connectionID int64) (bool, error) {
	n, err := e.Redis.Exists(ctx, fillingKey(connectionID)).Result()
	if err != nil {
		return false, fmt.Errorf("qbd: filling flag: %w", err)
	}
	return n > 0, nil
}

// Pending counts the work waiting for the connection: queued, in doubt, or left in flight.
func (e *Engine) Pending(ctx context.Context, connectionID int64) (int, error) {
	n, err := e.DB.Bun().NewSelect().Model((*db.QBDWorkItem)(nil)).
		Where("connection_id = ? AND status IN (?)", connectionID, bunIn(db.WorkQueued, db.WorkInDoubt, db.WorkInFlight)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("qbd: pending: %w", err)
	}
	return int(n), nil
}
