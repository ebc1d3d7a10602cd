package ordersync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// malformedHint is what to do about an order the store sent in a form Ledgerlink cannot post.
const malformedHint = "Fix the order in the store; it is read again on the next sync."

// noNormalized is the normalized form stored for an order the store sent malformed: there is
// none, and nothing of it can be posted or resynced.
var noNormalized = []byte("null")

// malformed reports an order whose stored version is one the store sent malformed.
func malformed(row *db.Order) bool { return string(row.Normalized) == string(noNormalized) }

// malformedKey is the external id a malformed order is stored under: the store's id, or, when
// the payload has none, a hash of the payload, so that pulling it again finds the same row.
func malformedKey(f Fetched) string {
	if f.Order.ExternalID != "" {
		return f.Order.ExternalID
	}
	sum := sha256.Sum256(f.Raw)
	return "unidentified:" + hex.EncodeToString(sum[:12])
}

// malformedReason says in plain words what is wrong with an order the store sent and what to do.
func malformedReason(f Fetched) string {
	what := "an order without an id or number"
	if n := firstNonEmpty(f.Order.Number, f.Order.ExternalID); n != "" {
		what = "order #" + n
	}
	problem := "in a form Ledgerlink cannot read"
	if errors.Is(f.Err, orders.ErrAmount) {
		problem = "with an amount QuickBooks cannot hold"
	}
	return fmt.Sprintf("The store sent %s %s. Ledgerlink cannot post it: %v. %s", what, problem, f.Err, malformedHint)
}

// ingestMalformed records an order the channel could not normalize, keeping the store's payload:
// a new order is stored in error; a stored one not yet in QuickBooks takes this version (any
// request queued for its previous version is withdrawn) and goes to error; one already in
// QuickBooks keeps what it posted and is flagged as changed after posting. The same payload
// pulled again changes nothing. A corrected version the store sends later is an ordinary
// change of the order (see Ingest) and replaces this one. existing is the order stored under
// the payload's key (malformedKey), nil when there is none.
func (p *Pipeline) ingestMalformed(ctx context.Context, conn *db.StoreConnection, f Fetched, existing *db.Order, st *Stats) error {
	key, reason := malformedKey(f), malformedReason(f)
	number := firstNonEmpty(f.Order.Number, f.Order.ExternalID, key)
	switch {
	case existing == nil:
		o := &db.Order{AccountID: conn.AccountID, ConnectionID: conn.ID, Channel: conn.Channel, ExternalID: key,
			Number: number, State: db.OrderError, StateReason: reason, Raw: f.Raw, Normalized: noNormalized}
		inserted, err := p.DB.InsertStoreOrder(ctx, o)
		if err != nil {
			return fmt.Errorf("ordersync: store malformed order %s: %w", number, err)
		}
		if !inserted {
			return nil // another pull stored it a moment ago
		}
		st.New++
		st.Errors++
		p.event(ctx, o, "received", fmt.Sprintf("Pulled from %s; the store's data cannot be posted as it is.", conn.Name), nil)
		p.stateRecorded(ctx, o, db.OrderError, reason)
		return nil
	case sameOrder(existing.Raw, f.Raw) && (malformed(existing) || existing.State == db.OrderPosted || existing.State == db.OrderSkippedDuplicate):
		// Recorded already. (An unposted order whose same payload the channel now refuses
		// goes on below: it must not post what the channel no longer accepts.)
		st.Unchanged++
		return nil
	case existing.State == db.OrderPosted || existing.State == db.OrderSkippedDuplicate:
		existing.ChangedAfterPost, existing.Raw, existing.UpdatedAt = true, f.Raw, p.now()
		if err := p.DB.UpdateOrder(ctx, existing, "changed_after_post", "raw", "updated_at"); err != nil {
			return fmt.Errorf("ordersync: flag order %s: %w", number, err)
		}
		st.FlaggedAfterPost++
		p.event(ctx, existing, "updated", "Changed in the store after it was posted to QuickBooks, into a version that cannot be posted: "+reason, nil)
		return nil
	default:
		existing.Raw, existing.Normalized, existing.UpdatedAt = f.Raw, noNormalized, p.now()
		if err := p.DB.UpdateOrder(ctx, existing, "raw", "normalized", "updated_at"); err != nil {
			return fmt.Errorf("ordersync: update order %s: %w", number, err)
		}
		st.Updated++
		p.event(ctx, existing, "updated", "Changed in the store before it was posted, into a version that cannot be posted.", nil)
		p.commit(ctx, existing, decision{state: db.OrderError, reason: reason}, true, st)
		return nil
	}
}
