package qbd

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// precheckOutcome reads a duplicate check. QuickBooks has a sale with the item's number and
// date: when it is this very document (its marker says so) it is done, adopted; when someone
// entered it (no marker) or it is another document of the item's scope, the item is a
// duplicate, adopted and not sent; a document Ledgerlink posted for another scope (store) is
// not a duplicate. scopes gives the scope of documents whose marker predates scopes, by TxnID.
// Nothing found: cleared to be sent.
func precheckOutcome(it *db.QBDWorkItem, rs *qbxml.Rs, scopes map[string]string) outcome {
	o := outcome{item: it, code: &rs.StatusCode}
	// The marker only identifies our own requests; a duplicate entered by someone else has
	// none, so a pre-check matches on the lookup value and date, then reads the markers.
	_, all := lookupResults(rs)
	mine := parseMarker(it.LookupMarker)
	var self, dup *found
	for _, r := range matches(all, it.LookupValue, "", it.LookupDate) {
		m := parseMarker(r.other)
		if m.ok && m.scope == "" {
			m.scope = scopes[r.id]
		}
		switch {
		case m.ok && mine.ok && m.doc == mine.doc:
			self = &r
		case m.ok && mine.scope != "" && m.scope != "" && m.scope != mine.scope:
			// Posted by Ledgerlink for another store: a sale of its own, not this one.
		case dup == nil:
			dup = &r
		}
	}
	switch rs.Class() {
	case qbxml.OK, qbxml.Warning, qbxml.NoMatch:
		switch {
		case self != nil:
			o.status, o.qbType = db.WorkDone, self.recordType
			it.QBID, it.EditSequence = self.id, self.editSequence
			o.msg = fmt.Sprintf("already in QuickBooks as %s %s (posted by Ledgerlink earlier); not posted again", self.recordType, self.key)
		case dup != nil:
			o.status, o.qbType, o.duplicate = db.WorkDone, dup.recordType, true
			it.QBID, it.EditSequence = dup.id, dup.editSequence
			o.msg = fmt.Sprintf("already in QuickBooks as %s %s; not posted again", dup.recordType, dup.key)
		default:
			o.status, o.msg, o.cleared = db.WorkQueued, "not in QuickBooks yet", true
		}
	case qbxml.Transient:
		o.status, o.msg = db.WorkQueued, rs.StatusMessage
	default:
		o.status = db.WorkFailed
		msg, hint := qbxml.MerchantMessage(rs.StatusCode, rs.StatusMessage)
		o.msg, o.hint = "Ledgerlink could not check QuickBooks for a duplicate: "+msg, hint
	}
	return o
}

// legacyScopes finds, for the records of a pre-check's answers whose marker predates scopes,
// which scope the document belongs to: the ledger names the document that became the record,
// and its owner (Handler.Scope) its scope. The result is keyed by TxnID.
func (e *Engine) legacyScopes(ctx context.Context, tx bun.Tx, items []db.QBDWorkItem, resp *qbxml.MsgSetResponse) (map[string]string, error) {
	if len(items) == 0 {
		return nil, nil
	}
	docOf := map[string]string{} // TxnID → document part of its bare marker
	var ids []string
	for _, rs := range resp.Responses {
		_, recs := lookupResults(rs)
		for _, r := range recs {
			if m := parseMarker(r.other); m.ok && m.scope == "" && r.id != "" {
				docOf[r.id] = m.doc
				ids = append(ids, r.id)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	entries, err := db.QBDLedgerByQBIDs(ctx, tx, items[0].ConnectionID, ids)
	if err != nil {
		return nil, fmt.Errorf("qbd: pre-check: %w", err)
	}
	keyOf := map[string]string{} // TxnID → our document it was posted as
	var keys []string
	for _, en := range entries {
		// Duplicates adopted into the ledger point at the same TxnID: the marker says which
		// document actually posted it.
		if Marker(en.DocKey) == docOf[en.QBID] {
			keyOf[en.QBID] = en.DocKey
			keys = append(keys, en.DocKey)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	byKey, err := e.scopes(ctx, tx, items[0].AccountID, keys)
	if err != nil {
		return nil, fmt.Errorf("qbd: pre-check: scopes: %w", err)
	}
	out := map[string]string{}
	for id, key := range keyOf {
		if sc := byKey[key]; sc != "" {
			out[id] = sc
		}
	}
	return out, nil
}
