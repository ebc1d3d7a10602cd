package ordersync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ledgerlink/ledgerlink/db"
)

// IngestOneByOne is the ingest of a page as it was before pages were batched (issue 15): per
// order, a look-up, an insert of its own, and the audit lines, queueing and state each in
// statements of their own. Only BenchmarkIngest uses it, as the baseline batching is measured
// against in the same run.
func (p *Pipeline) IngestOneByOne(ctx context.Context, conn *db.StoreConnection, page []Fetched) (Stats, error) {
	cs := settingsOf(conn)
	var st Stats
	for _, f := range page {
		if f.Err != nil {
			existing, err := p.DB.FindStoreOrder(ctx, conn.AccountID, conn.ID, malformedKey(f))
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return st, err
			}
			if err := p.ingestMalformed(ctx, conn, f, existing, &st); err != nil {
				return st, err
			}
			continue
		}
		norm, err := json.Marshal(f.Order)
		if err != nil {
			return st, err
		}
		existing, err := p.DB.FindStoreOrder(ctx, conn.AccountID, conn.ID, f.Order.ExternalID)
		switch {
		case errors.Is(err, db.ErrNotFound):
			o := &db.Order{AccountID: conn.AccountID, ConnectionID: conn.ID, Channel: conn.Channel, ExternalID: f.Order.ExternalID,
				Number: f.Order.Number, State: db.OrderPending, Raw: f.Raw, Normalized: norm, TotalCents: int64(f.Order.Total),
				StoreCreatedAt: timePtr(f.Order.CreatedAt), StoreUpdatedAt: timePtr(f.Order.UpdatedAt)}
			inserted, err := p.DB.InsertStoreOrder(ctx, o)
			if err != nil {
				return st, err
			}
			if !inserted {
				continue
			}
			st.New++
			p.event(ctx, o, "received", fmt.Sprintf("Pulled from %s (%s, total %s %s).", conn.Name, f.Order.Status, f.Order.Total, f.Order.Currency), nil)
			p.process(ctx, conn, cs, o, f.Order, &st)
		case err != nil:
			return st, err
		case sameOrder(existing.Normalized, norm):
			st.Unchanged++
		default:
			return st, fmt.Errorf("baseline: order %s changed; the benchmark ingests new orders only", f.Order.Number)
		}
	}
	return st, nil
}
