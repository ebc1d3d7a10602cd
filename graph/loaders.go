package graph

import (
	"context"
	"slices"
	"sync"

	"github.com/ledgerlink/ledgerlink/db"
)

// Request-scoped batch loading. A list resolver announces the parents it returned; the first
// child resolver of one of them that runs loads the children of all of them in one query, and
// the others read that answer. A list of 100 orders asking for their events costs two queries,
// not 101, and a child asked for outside a list still costs one query of its own. No timer:
// batching follows from the list resolver having run first, which GraphQL guarantees.

type loadersKey struct{}

// loaders holds one request's batches.
type loaders struct {
	mu          sync.Mutex
	eventsWant  []int64                   // orders of a page whose events are not loaded yet
	eventsReady map[int64][]db.OrderEvent // loaded, by order id
}

// withLoaders gives the request its batches (graph.NewHandler, for every request).
func withLoaders(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadersKey{}, &loaders{})
}

func loadersOf(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}

// expectOrderEvents announces orders of a list page whose events may be asked for.
func expectOrderEvents(ctx context.Context, ids []int64) {
	if l := loadersOf(ctx); l != nil {
		l.mu.Lock()
		l.eventsWant = append(l.eventsWant, ids...)
		l.mu.Unlock()
	}
}

// orderEvents returns order id's audit trail, oldest first: from the request's batch when a
// list announced the order, loading every announced order's trail in one query the first time.
func orderEvents(ctx context.Context, d *db.DB, accountID, id int64) ([]db.OrderEvent, error) {
	l := loadersOf(ctx)
	if l == nil {
		return d.ListOrderEvents(ctx, accountID, id)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if rows, ok := l.eventsReady[id]; ok {
		return rows, nil
	}
	if !slices.Contains(l.eventsWant, id) {
		return d.ListOrderEvents(ctx, accountID, id)
	}
	batch, err := d.ListOrderEventsOf(ctx, accountID, l.eventsWant)
	if err != nil {
		return nil, err
	}
	if l.eventsReady == nil {
		l.eventsReady = make(map[int64][]db.OrderEvent, len(l.eventsWant))
	}
	for _, o := range l.eventsWant {
		l.eventsReady[o] = batch[o] // an order without events has none, not "unknown"
	}
	l.eventsWant = nil
	return l.eventsReady[id], nil
}
