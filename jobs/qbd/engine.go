// Package qbd is the QuickBooks Desktop engine: a durable queue of work items per connection,
// packed into qbXML message sets for the Web Connector, with a ledger that maps each of our
// documents to the QuickBooks object it became. Work whose answer was lost is reconciled with
// QuickBooks (by a lookup query stored with it) before anything is sent again, so no document is
// posted twice.
//
// The engine works in phases, one file each: queue (Enqueue), send (Next claims work and hands
// over a message set), receive (Receive and Reject apply answers), lost (lost answers and
// in-doubt reconciliation), precheck (duplicate checks), repair (3140: create the missing list
// element, resend). Its SQL lives in package db (db/qbd_work.go, db/qbd_ledger.go), composed
// in one transaction per call. Each document is named by a DocKey whose kind routes its fate
// to the owner registered with Engine.Handle (a Handler, run inside that transaction); kinds
// nobody registered are queued and settled all the same. See README.md.
package qbd

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

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
	// InDoubtGrace is how long after a lost message set was sent its items that QuickBooks'
	// lookup did not find wait before they are looked up again and, still not found, sent again
	// (default DefaultInDoubtGrace). The lookup itself goes at once: whatever it finds is
	// settled. A Web Connector taken over by a newer session may still be delivering that
	// message set to QuickBooks; sending its work again too early could post it twice.
	InDoubtGrace time.Duration
	mu           sync.RWMutex
	handlers     map[string]Handler // by document kind; see Handle
}

// Outcome is how a work item ended, for Handler.Settled.
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
	// Reread is set on a failed Mod of an owner that rereads (see Rereader): its answer was
	// lost or QuickBooks refused a stale EditSequence (3200). Nothing was logged; the owner
	// reads the record again and decides whether its change is still to be made.
	Reread bool
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
