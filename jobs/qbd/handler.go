package qbd

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
)

// Handler owns the documents of one kind (see DocKey and Engine.Handle): the engine tells it,
// inside its own transactions, what becomes of their work, so the owner's records change
// atomically with the queue. A kind without a handler is queued, sent and settled all the same;
// nobody is told.
type Handler interface {
	// Sending is called in the transaction that hands items (all of the handler's kind) to the
	// Web Connector, so their owner can show them as sent.
	Sending(ctx context.Context, tx bun.Tx, items []db.QBDWorkItem) error
	// Settled is called in the transaction that settles item: done, failed (also when an item
	// it depended on failed), or found to be a duplicate already in QuickBooks.
	Settled(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out Outcome) error
	// Repair is asked what to create when QuickBooks answers failed with 3140 (an invalid
	// reference to a list element, e.g. an item or customer that does not exist). The Item it
	// returns is queued and the refused request is sent again after it; nil fails the request
	// for the merchant.
	Repair(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem, ref InvalidRef) (*Item, error)
	// Scope returns the scope (see ScopedMarker: for orders, the store connection) of each of
	// docKeys (all of the handler's kind) that it knows; accountID owns them. The duplicate
	// check asks it about documents found in QuickBooks whose marker predates scoped markers,
	// so a sale another store posted before then is not taken for a duplicate; a document
	// whose scope is unknown counts as a duplicate, as every marked document did before.
	Scope(ctx context.Context, tx bun.Tx, accountID int64, docKeys []string) (map[string]string, error)
}

// Rereader is implemented by owners whose Mods are rebuilt from a fresh read of the record
// instead of being re-applied by the engine. The engine's default for a 3200 (stale
// EditSequence) is to resend the same Mod on the current EditSequence, and for a Mod whose
// answer was lost to fail it for the merchant; a Mod that lists the record's lines (to add one)
// would, resent on a newer version, delete lines someone added meanwhile, and a lost one may or
// may not be in QuickBooks. When RereadMods reports true, such Mods settle failed with
// Outcome.Reread set and nothing logged, and the owner queues a read (whose answer shows, by
// the owner's marker in the record, whether the change is there).
type Rereader interface {
	RereadMods() bool
}

// Explainer is implemented by owners that say, for the sync log, what a failed document is and
// what to do about it better than the engine can.
type Explainer interface {
	// Subject names failed's document for a merchant ("Order #1001") and gives log details
	// that point at it (e.g. "orderId"); "" leaves the engine's "<kind> <docKey>".
	Subject(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem) (string, map[string]any)
	// UnrepairedHint is the hint for a 3140 the owner's Repair created nothing for; "" keeps
	// the engine's generic one.
	UnrepairedHint(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem, ref InvalidRef) string
}

// Hooks is a Handler made of functions; a nil function does what a kind without a handler gets
// (nothing, no repair, no scope known). Owners fill in the hooks they need.
type Hooks struct {
	OnSending func(ctx context.Context, tx bun.Tx, items []db.QBDWorkItem) error
	OnSettled func(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out Outcome) error
	OnRepair  func(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem, ref InvalidRef) (*Item, error)
	OnScope   func(ctx context.Context, tx bun.Tx, accountID int64, docKeys []string) (map[string]string, error)
	// OnSubject and OnUnrepairedHint make the handler an Explainer.
	OnSubject        func(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem) (string, map[string]any)
	OnUnrepairedHint func(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem, ref InvalidRef) string
	// Reread makes the handler a Rereader.
	Reread bool
}

// Subject calls OnSubject when set (see Explainer).
func (h Hooks) Subject(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem) (string, map[string]any) {
	if h.OnSubject == nil {
		return "", nil
	}
	return h.OnSubject(ctx, tx, failed)
}

// UnrepairedHint calls OnUnrepairedHint when set (see Explainer).
func (h Hooks) UnrepairedHint(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem, ref InvalidRef) string {
	if h.OnUnrepairedHint == nil {
		return ""
	}
	return h.OnUnrepairedHint(ctx, tx, failed, ref)
}

// RereadMods reports Reread (see Rereader).
func (h Hooks) RereadMods() bool { return h.Reread }

// Sending calls OnSending when set.
func (h Hooks) Sending(ctx context.Context, tx bun.Tx, items []db.QBDWorkItem) error {
	if h.OnSending == nil {
		return nil
	}
	return h.OnSending(ctx, tx, items)
}

// Settled calls OnSettled when set.
func (h Hooks) Settled(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out Outcome) error {
	if h.OnSettled == nil {
		return nil
	}
	return h.OnSettled(ctx, tx, item, out)
}

// Repair calls OnRepair when set, and repairs nothing otherwise.
func (h Hooks) Repair(ctx context.Context, tx bun.Tx, failed *db.QBDWorkItem, ref InvalidRef) (*Item, error) {
	if h.OnRepair == nil {
		return nil, nil
	}
	return h.OnRepair(ctx, tx, failed, ref)
}

// Scope calls OnScope when set, and knows no scope otherwise.
func (h Hooks) Scope(ctx context.Context, tx bun.Tx, accountID int64, docKeys []string) (map[string]string, error) {
	if h.OnScope == nil {
		return nil, nil
	}
	return h.OnScope(ctx, tx, accountID, docKeys)
}

// Handle registers h as the owner of the documents of kind (a DocKey's Kind), the way an HTTP
// mux routes a path: each of h's hooks is called for those documents only. It is meant for
// setup, before the engine serves the Web Connector; registering a kind twice, or a nil
// handler, panics.
func (e *Engine) Handle(kind string, h Handler) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if h == nil {
		panic("qbd: Handle: nil handler for " + kind)
	}
	if _, dup := e.handlers[kind]; dup {
		panic("qbd: Handle: kind " + kind + " registered twice")
	}
	if e.handlers == nil {
		e.handlers = map[string]Handler{}
	}
	e.handlers[kind] = h
}

// handler returns the owner of docKey's kind, or nil.
func (e *Engine) handler(docKey string) Handler {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.handlers[DocKey(docKey).Kind()]
}

// byKind groups keys by their owner, in the order each kind first appears. Keys of a kind
// without a handler are left out.
func byKind[T any](e *Engine, xs []T, key func(T) string) ([]Handler, [][]T) {
	var hs []Handler
	var groups [][]T
	index := map[string]int{}
	for _, x := range xs {
		k := key(x)
		kind := DocKey(k).Kind()
		i, ok := index[kind]
		if !ok {
			h := e.handler(k)
			if h == nil {
				continue
			}
			i = len(hs)
			index[kind] = i
			hs = append(hs, h)
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], x)
	}
	return hs, groups
}

// sending tells the owners of items that they are being handed to the Web Connector.
func (e *Engine) sending(ctx context.Context, tx bun.Tx, items []db.QBDWorkItem) error {
	hs, groups := byKind(e, items, func(it db.QBDWorkItem) string { return it.DocKey })
	for i, h := range hs {
		if err := h.Sending(ctx, tx, groups[i]); err != nil {
			return fmt.Errorf("qbd: sending hook: %w", err)
		}
	}
	return nil
}

// settled tells item's owner how it ended.
func (e *Engine) settled(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out Outcome) error {
	h := e.handler(item.DocKey)
	if h == nil {
		return nil
	}
	if err := h.Settled(ctx, tx, item, out); err != nil {
		return fmt.Errorf("qbd: settle %s: %w", item.DocKey, err)
	}
	return nil
}

// rereadOutcome turns a stale-EditSequence retry or a lost answer of a Mod whose owner rereads
// (see Rereader) into a failure settled with Outcome.Reread, and reports whether it did.
func (e *Engine) rereadOutcome(o outcome) (outcome, bool) {
	it := o.item
	if !strings.HasSuffix(it.Kind, "Mod") {
		return o, false
	}
	r, ok := e.handler(it.DocKey).(Rereader)
	if !ok || !r.RereadMods() {
		return o, false
	}
	switch {
	case o.code != nil && *o.code == 3200 && (o.status == db.WorkQueued || o.status == db.WorkFailed):
		o.status, o.msg = db.WorkFailed, "record changed in QuickBooks meanwhile; reading it again"
	case o.lost && o.status == db.WorkFailed:
		o.msg = "answer lost; reading the record again to see whether the change is there"
	default:
		return o, false
	}
	o.hint = ""
	return o, true
}

// scopes asks the owners of docKeys for their scopes (see Handler.Scope).
func (e *Engine) scopes(ctx context.Context, tx bun.Tx, accountID int64, docKeys []string) (map[string]string, error) {
	out := map[string]string{}
	hs, groups := byKind(e, docKeys, func(k string) string { return k })
	for i, h := range hs {
		got, err := h.Scope(ctx, tx, accountID, groups[i])
		if err != nil {
			return nil, err
		}
		for k, sc := range got {
			out[k] = sc
		}
	}
	return out, nil
}
