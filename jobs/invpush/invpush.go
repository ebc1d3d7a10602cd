// Package invpush pushes the inventory update queue (db.ClaimInventoryUpdates …
// db.SettleInventoryUpdates) to one store: claim a batch of due rows, set their quantities in
// the store with the client's batched calls (Shopify inventorySetQuantities, WooCommerce
// products/batch), settle every row with its outcome in plain words, and go on until nothing
// is due or the store makes us wait. A rate limit or an outage never fails a row: it goes back
// to pending for later, with its latest target. A SKU the store does not have is "mismatched":
// reported once and left alone until the SKU map changes (db.RequeueMismatchedInventoryUpdates)
// or a bulk search of the store's catalogue, at most every Options.MismatchRecheck, finds it.
package invpush

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// Defaults of Options.
const (
	DefaultBatch          = 500
	DefaultLease          = 10 * time.Minute
	DefaultRateLimitDelay = 30 * time.Second
	DefaultMaxAttempts    = 8
	// DefaultMismatchRecheck is how long a mismatched SKU waits before the store's catalogue
	// is searched for it again (in bulk, with the other mismatched SKUs due).
	DefaultMismatchRecheck = 6 * time.Hour
	// recheckBatch bounds the mismatched SKUs one run searches for.
	recheckBatch = 500
)

// Options tune Drain; zero fields get the defaults.
type Options struct {
	// Batch is how many rows one round claims and hands to the store at once (the clients cut
	// them into the store's own batch sizes). Default DefaultBatch.
	Batch int
	// Lease is how long a claim holds before another worker may take the rows over (a worker
	// that died mid-push). Default DefaultLease.
	Lease time.Duration
	// RateLimitDelay is how long rows wait after the store still refused for its rate limit
	// once the client sat out every wait it allows itself. Default DefaultRateLimitDelay.
	RateLimitDelay time.Duration
	// MaxAttempts bounds the tries of a row whose calls keep failing for another reason
	// (the store down, credentials refused): then it is failed, until a new target. Rate
	// limits do not count. Default DefaultMaxAttempts.
	MaxAttempts int
	// MismatchRecheck is how often the store's catalogue is searched again for a mismatched
	// SKU, so that a product added or given that SKU later is found without anyone touching
	// the SKU map. Default DefaultMismatchRecheck.
	MismatchRecheck time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.RateLimitDelay <= 0 {
		o.RateLimitDelay = DefaultRateLimitDelay
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.MismatchRecheck <= 0 {
		o.MismatchRecheck = DefaultMismatchRecheck
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Run sums up one Drain.
type Run struct {
	Rounds     int // claims that returned rows
	Claimed    int // rows claimed (a row retried within the run counts again)
	Pushed     int
	Mismatched int
	Failed     int
	Delayed    int // rows put back for later (rate limit, outage)
	// Rechecked counts mismatched SKUs searched for again in the store's catalogue, Found
	// those it now has (requeued and pushed in the same run).
	Rechecked, Found int
	// RateLimited is set when the store's rate limit stopped the run.
	RateLimited bool
	// Err is the last call failure, when one stopped the run.
	Err error
	// Next is when the earliest row still waiting is due (zero: none waits); the caller
	// schedules the next run for then.
	Next time.Time
}

// Drain pushes the due rows of store connection conn of accountID to store, in rounds of
// Options.Batch, until none is due, a call failed (the rows go back to pending: Run.Next says
// when) or ctx ends. Then, when the pushes went through, it searches the store's catalogue in
// bulk for the mismatched SKUs not searched for in Options.MismatchRecheck, and pushes those
// the store now has. Every pushed row is settled — logged per SKU in the push log — and a run
// that pushed anything adds one line to the account's sync log. Callers make sure only one
// Drain runs per store connection at a time (two would be safe, rows are claimed with SKIP
// LOCKED, but would share the store's rate limit). The error is for Ledgerlink's own failures
// (Postgres); store failures are in Run. Each claim and each settlement is a short transaction
// of its own: no transaction stays open across a store call.
func Drain(ctx context.Context, d *db.DB, accountID int64, conn *db.StoreConnection, store Store, o Options) (Run, error) {
	o = o.withDefaults()
	var run Run
	if err := pushDue(ctx, d, accountID, conn, store, o, &run); err != nil {
		return run, err
	}
	if run.Err == nil && ctx.Err() == nil {
		found, err := recheckMismatched(ctx, d, accountID, conn, store, o, &run)
		if err != nil {
			return run, err
		}
		if found > 0 {
			if err := pushDue(ctx, d, accountID, conn, store, o, &run); err != nil {
				return run, err
			}
		}
	}
	var next time.Time
	var ok bool
	if err := d.RunInTx(context.WithoutCancel(ctx), func(ctx context.Context, tx bun.Tx) (err error) {
		next, ok, err = db.NextInventoryUpdateDue(ctx, tx, accountID, conn.ID, o.Lease)
		return err
	}); err != nil {
		return run, err
	} else if ok {
		run.Next = next
	}
	if run.Claimed > 0 {
		if err := d.RunInTx(context.WithoutCancel(ctx), func(ctx context.Context, tx bun.Tx) error {
			return db.InsertSyncLog(ctx, tx, runLog(accountID, conn, store.Describe(), run))
		}); err != nil {
			return run, err
		}
	}
	return run, nil
}

// pushDue claims, pushes and settles due rows in rounds until none is due, a call failed or
// ctx ended.
func pushDue(ctx context.Context, d *db.DB, accountID int64, conn *db.StoreConnection, store Store, o Options, run *Run) error {
	for ctx.Err() == nil {
		var rows []db.InventoryUpdate
		if err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) (err error) {
			rows, err = db.ClaimInventoryUpdates(ctx, tx, accountID, conn.ID, o.Batch, o.Now(), o.Lease)
			return err
		}); err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		run.Rounds++
		run.Claimed += len(rows)
		qs := make([]Quantity, len(rows))
		for i, r := range rows {
			qs[i] = Quantity{SKU: r.SKU, Available: r.PushingQuantity}
		}
		res, callErr := store.Set(ctx, qs)
		results := settle(rows, res, callErr, store.Describe(), o, run)
		// Settle even when ctx ended (the task's deadline, a shutdown): the rows go back to
		// pending now instead of waiting out their lease.
		if err := d.RunInTx(context.WithoutCancel(ctx), func(ctx context.Context, tx bun.Tx) error {
			_, err := db.SettleInventoryUpdates(ctx, tx, accountID, results)
			return err
		}); err != nil {
			return err
		}
		if callErr != nil {
			run.Err = callErr
			return nil
		}
	}
	return nil
}

// recheckMismatched searches the store's catalogue, in bulk, for the mismatched SKUs not
// searched for in Options.MismatchRecheck, requeues those the store now has and notes the
// others as checked. A failed search is left for the next run (not an error: the pushes
// are done). It returns how many SKUs were requeued.
func recheckMismatched(ctx context.Context, d *db.DB, accountID int64, conn *db.StoreConnection, store Store, o Options, run *Run) (int, error) {
	now := o.Now()
	var skus []string
	err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) (err error) {
		skus, err = db.MismatchedForRecheck(ctx, tx, accountID, conn.ID, now.Add(-o.MismatchRecheck), recheckBatch)
		return err
	})
	if err != nil || len(skus) == 0 {
		return 0, err
	}
	has, err := store.Has(ctx, skus)
	if err != nil {
		return 0, nil //nolint:nilerr // the next run searches again; the pushes of this one stand
	}
	run.Rechecked += len(skus)
	var found, missing []string
	for _, s := range skus {
		if has[s] {
			found = append(found, s)
		} else {
			missing = append(missing, s)
		}
	}
	n := 0
	err = d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) (err error) {
		if err := db.MarkMismatchChecked(ctx, tx, accountID, conn.ID, missing, now); err != nil || len(found) == 0 {
			return err
		}
		n, err = db.RequeueMismatchedInventoryUpdates(ctx, tx, accountID, conn.ID, found)
		return err
	})
	run.Found += n
	return n, err
}

// settle turns the store's results into the rows' outcomes and counts them in run.
func settle(rows []db.InventoryUpdate, res []Result, callErr error, where string, o Options, run *Run) []db.PushResult {
	now := o.Now()
	rateLimited := errors.Is(callErr, storenet.ErrRateLimited)
	if rateLimited {
		run.RateLimited = true
	}
	out := make([]db.PushResult, len(rows))
	for i, r := range rows {
		pr := db.PushResult{UpdateID: r.ID, ClaimToken: r.ClaimToken, Quantity: r.PushingQuantity}
		var got Result
		if i < len(res) {
			got = res[i]
		} else {
			got = Result{Status: NotDone} // a store that answered short: nothing is known
		}
		switch got.Status {
		case Set:
			pr.Outcome = db.PushDone
			pr.Reason = fmt.Sprintf("Set to %d in %s.", r.PushingQuantity, where)
			run.Pushed++
		case Unknown:
			pr.Outcome = db.PushMismatched
			pr.Reason = mismatchReason(r, where)
			run.Mismatched++
		case Refused:
			pr.Outcome = db.PushFailed
			pr.Reason = fmt.Sprintf("%s refused the quantity %d: %s", upperFirst(where), r.PushingQuantity, got.Message)
			run.Failed++
		default: // NotDone
			cause := "the push stopped before this SKU"
			if callErr != nil {
				cause = callErr.Error()
			}
			switch {
			case rateLimited:
				pr.Outcome, pr.RetryAt = db.PushRetry, now.Add(o.RateLimitDelay)
				pr.Reason = fmt.Sprintf("Waiting for %s's rate limit; Ledgerlink pushes this quantity again from %s (%s).",
					storeWord(where), pr.RetryAt.UTC().Format("15:04:05 UTC"), cause)
				run.Delayed++
			case r.Attempts >= o.MaxAttempts:
				pr.Outcome = db.PushFailed
				pr.Reason = fmt.Sprintf("Not pushed after %d attempts: %s", r.Attempts, cause)
				run.Failed++
			default:
				pr.Outcome, pr.RetryAt = db.PushRetry, now.Add(storenet.Backoff(r.Attempts)*10)
				pr.Reason = fmt.Sprintf("Not pushed yet (attempt %d of %d); trying again from %s: %s",
					r.Attempts, o.MaxAttempts, pr.RetryAt.UTC().Format("15:04:05 UTC"), cause)
				run.Delayed++
			}
		}
		out[i] = pr
	}
	return out
}

// mismatchReason says which name was looked for, where, and what to do.
func mismatchReason(r db.InventoryUpdate, where string) string {
	from := ""
	if r.QBFullName != "" && !strings.EqualFold(r.QBFullName, r.SKU) {
		from = fmt.Sprintf(" (mapped from the QuickBooks item %q)", r.QBFullName)
	} else if r.QBFullName != "" {
		from = fmt.Sprintf(" (the QuickBooks item %q)", r.QBFullName)
	}
	return fmt.Sprintf("Mismatched SKU: no product or variant in %s has the SKU %q%s. "+
		"Give the store's product that SKU, or map the item to the store's SKU with an INVENTORY rule; "+
		"Ledgerlink does not try again until then.", where, r.SKU, from)
}

// runLog is the sync log line of one run.
func runLog(accountID int64, conn *db.StoreConnection, where string, run Run) *db.SyncLog {
	level := db.LevelInfo
	var parts []string
	parts = append(parts, fmt.Sprintf("%d set", run.Pushed))
	if run.Mismatched > 0 {
		parts = append(parts, fmt.Sprintf("%d mismatched SKUs", run.Mismatched))
		level = db.LevelWarning
	}
	if run.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", run.Failed))
		level = db.LevelWarning
	}
	if run.Delayed > 0 {
		parts = append(parts, fmt.Sprintf("%d delayed", run.Delayed))
	}
	msg := fmt.Sprintf("Inventory push to %s: %s.", where, strings.Join(parts, ", "))
	var hint *string
	switch {
	case run.RateLimited:
		h := fmt.Sprintf("%s limited the rate of requests; the delayed quantities are pushed again from %s.",
			upperFirst(storeWord(where)), run.Next.UTC().Format("15:04:05 UTC"))
		hint = &h
	case run.Err != nil:
		h := "The store could not be reached or refused the push (" + run.Err.Error() + "); Ledgerlink tries again."
		hint = &h
	case run.Mismatched > 0:
		h := "The Inventory page lists each mismatched SKU and the name that was looked for."
		hint = &h
	}
	return &db.SyncLog{AccountID: accountID, ConnectionID: &conn.ID, Level: level, Source: "inventory", Message: msg, Hint: hint}
}

// storeWord is "Shopify" or "WooCommerce" from `the Shopify store "x"`.
func storeWord(where string) string {
	if f := strings.Fields(where); len(f) > 1 {
		return f[1]
	}
	return where
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
