package qbosim

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// CDC rules (API reference "ChangeDataCapture").
const (
	cdcLookBack   = 30 * 24 * time.Hour
	cdcMaxObjects = 1000
)

// cdcUnsupported are the kinds CDC refuses ("supported for all objects
// except JournalCode, TimeActivity, TaxAgency, TaxCode, and TaxRate").
var cdcUnsupported = []string{KindTaxCode, KindTaxRate}

// serveCDC is GET /cdc?entities=Item,SalesReceipt&changedSince=…: every
// entity of those kinds changed at or after changedSince, grouped by kind in
// the order asked, active ones by LastUpdatedTime then the deleted ones as
// {"domain","status":"Deleted","Id","MetaData":{"LastUpdatedTime"}}; at most
// 1000 objects; changedSince at most 30 days back.
func (s *Server) serveCDC(w http.ResponseWriter, r *http.Request, now time.Time) {
	q := r.URL.Query()
	since, ok := parseWhen(q.Get("changedSince"))
	if !ok {
		writeFault(w, errRequired("changedSince"), now)
		return
	}
	if now.Sub(since) > cdcLookBack {
		writeFault(w, validation("500", "Unsupported Operation",
			"Operation cdc with changedSince date "+q.Get("changedSince")+" which is older than fixed days is not supported.", nil), now)
		return
	}
	var wanted []string
	for _, name := range strings.Split(q.Get("entities"), ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		kind := kindByLower[strings.ToLower(name)]
		if kind == "" || slices.Contains(cdcUnsupported, kind) {
			writeFault(w, validation("500", "Unsupported Operation", "Operation cdc is not supported for entity "+name+".", nil), now)
			return
		}
		if !slices.Contains(wanted, kind) {
			wanted = append(wanted, kind)
		}
	}
	if len(wanted) == 0 {
		writeFault(w, errRequired("entities"), now)
		return
	}
	s.mu.Lock()
	var groups []any
	left := cdcMaxObjects
	for _, kind := range wanted {
		var live, gone []*record
		for _, rec := range s.co.all(kind) {
			if rec.Updated.Before(since) {
				continue
			}
			if rec.Deleted {
				gone = append(gone, rec)
			} else {
				live = append(live, rec)
			}
		}
		byTime := func(a, b *record) int { return a.Updated.Compare(b.Updated) }
		slices.SortStableFunc(live, byTime)
		slices.SortStableFunc(gone, byTime)
		var objs []any
		for _, rec := range live {
			if left == 0 {
				break
			}
			objs = append(objs, s.view(rec))
			left--
		}
		for _, rec := range gone {
			if left == 0 {
				break
			}
			objs = append(objs, Object{"domain": "QBO", "status": "Deleted", "Id": rec.id(),
				"MetaData": Object{"LastUpdatedTime": stamp(rec.Updated)}})
			left--
		}
		if len(objs) > 0 {
			groups = append(groups, Object{kind: objs, "startPosition": 1, "maxResults": len(objs)})
		}
	}
	s.mu.Unlock()
	if len(groups) == 0 {
		groups = []any{Object{}} // "No Changes Response"
	}
	writeJSON(w, http.StatusOK, map[string]any{"CDCResponse": []any{Object{"QueryResponse": groups}}, "time": answerTime(now)})
}
