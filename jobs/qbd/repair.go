package qbd

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// repair turns a 3140 failure into "create the missing element, then resend" when the
// owner of the item's kind (its Handler.Repair) provides the element.
func (e *Engine) repair(ctx context.Context, tx bun.Tx, o *outcome) error {
	// Not bounded by attempts: an order may refer to several missing elements, each repaired
	// once. A repair that created its element already and still gets 3140 is not repeated.
	h := e.handler(o.item.DocKey)
	if h == nil || o.rs == nil || o.status != db.WorkFailed || o.rs.Class() != qbxml.InvalidReference {
		return nil
	}
	ref, ok := parseInvalidRef(o.rs.StatusMessage)
	if !ok {
		return nil
	}
	fix, err := h.Repair(ctx, tx, o.item, ref)
	if err != nil {
		return err
	}
	if fix == nil {
		// Not created (the owner's settings say so): the generic "Ledgerlink creates …" would mislead.
		if x, ok := h.(Explainer); ok {
			if hint := x.UnrepairedHint(ctx, tx, o.item, ref); hint != "" {
				o.hint = hint
			}
		}
		return nil
	}
	frag, _, err := qbxml.Encode(fix.Request)
	if err != nil {
		return fmt.Errorf("qbd: repair %s: %w", o.item.DocKey, err)
	}
	w := &db.QBDWorkItem{AccountID: o.item.AccountID, ConnectionID: o.item.ConnectionID, DocKey: fix.DocKey,
		Kind: strings.TrimSuffix(qbxml.Kind(fix.Request), "Rq"), Request: frag, DependsOn: []int64{}, Status: db.WorkQueued}
	if fix.Lookup != nil {
		t := string(fix.Lookup.Type)
		w.LookupType, w.LookupValue, w.LookupMarker, w.LookupDate = &t, fix.Lookup.stored(), fix.Lookup.Marker, fix.Lookup.Date
	}
	inserted, err := db.InsertQBDWork(ctx, tx, w)
	if err != nil {
		return fmt.Errorf("qbd: repair %s: %w", o.item.DocKey, err)
	}
	if !inserted { // already queued (another line of the batch needed the same element)
		if w, err = db.UnfinishedQBDWork(ctx, tx, w.AccountID, w.ConnectionID, w.DocKey); err != nil {
			return fmt.Errorf("qbd: repair %s: %w", o.item.DocKey, err)
		}
		if w.Status == db.WorkDone && slices.Contains(o.item.DependsOn, w.ID) {
			return nil // created before, and QuickBooks still refuses the reference: a person must look
		}
	}
	o.item.DependsOn = append(o.item.DependsOn, w.ID)
	if err := db.SetQBDWorkDependsOn(ctx, tx, o.item); err != nil {
		return fmt.Errorf("qbd: repair %s: %w", o.item.DocKey, err)
	}
	o.status, o.hint = db.WorkQueued, ""
	o.msg = "QuickBooks has no " + ref.List + " \"" + ref.Name + "\"; creating it, then sending again"
	return nil
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
