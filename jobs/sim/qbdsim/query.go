package qbdsim

import (
	"fmt"
	"strings"
	"time"
)

const statusNoMatch = "A query request did not find a matching object in QuickBooks"

// iterator is a query result snapshot being paged through in a session.
type iterator struct {
	rqName string
	ids    []string // ListIDs or TxnIDs, in result order
	pos    int
	max    int
}

// page holds the result of running a query: what to return now and how
// the response's status and iterator attributes must look.
type page struct {
	ids       []string
	missing   string // first ListID/FullName/TxnID that matched nothing (status 500)
	iterID    string
	remaining int
	iterating bool
}

// paginate applies MaxReturned and the iterator attributes to the full
// result ids of a query. It returns a result (3391) when a Continue names
// an unknown iterator.
func (p *proc) paginate(rq *node, ids []string) (page, *result) {
	iter, _ := rq.attr("iterator")
	max := 0
	if v := rq.text("MaxReturned"); v != "" {
		// normalizeValues let only digits and '-' through; a value that is still no
		// number (say "--1") sets no limit.
		if _, err := fmt.Sscan(v, &max); err != nil {
			max = 0
		}
	}
	switch iter {
	case "Continue", "Stop":
		id, _ := rq.attr("iteratorID")
		it := p.s.iters[id]
		if it == nil || it.rqName != rq.Name {
			return page{}, &result{code: 3391, msg: fmt.Sprintf("The iteratorID \"%s\" is not valid.", id)}
		}
		if iter == "Stop" {
			delete(p.s.iters, id)
			return page{iterating: true, iterID: id}, nil
		}
		if max <= 0 {
			max = it.max
		}
		end := len(it.ids)
		if max > 0 && it.pos+max < end {
			end = it.pos + max
		}
		pg := page{ids: it.ids[it.pos:end], iterID: id, iterating: true}
		it.pos = end
		pg.remaining = len(it.ids) - it.pos
		if pg.remaining == 0 {
			delete(p.s.iters, id)
		}
		return pg, nil
	case "Start":
		it := &iterator{rqName: rq.Name, ids: ids, max: max}
		id := newGUID()
		end := len(ids)
		if max > 0 && max < end {
			end = max
		}
		it.pos = end
		pg := page{ids: ids[:end], iterID: id, iterating: true, remaining: len(ids) - end}
		if pg.remaining > 0 {
			p.s.iters[id] = it
		}
		return pg, nil
	}
	if max > 0 && max < len(ids) {
		ids = ids[:max]
	}
	return page{ids: ids}, nil
}

// finish turns a page and its Ret elements into the request's result.
func finish(rq *node, pg page, rets []*node) result {
	var res result
	switch {
	case pg.missing != "":
		res = result{code: 500, msg: fmt.Sprintf("The query request has not been fully completed. There was a required element (\"%s\") that could not be found in QuickBooks.", pg.missing)}
	case len(rets) == 0:
		if it, _ := rq.attr("iterator"); it == "Stop" {
			res = ok()
		} else {
			res = result{code: 1, msg: statusNoMatch}
		}
	default:
		res = ok()
	}
	md, _ := rq.attr("metaData")
	if md == "MetaDataOnly" || md == "MetaDataAndResponseData" {
		res.attrs = append(res.attrs, attr{"retCount", fmt.Sprint(len(rets))})
	}
	if md != "MetaDataOnly" {
		res.rets = rets
	}
	if pg.iterating {
		res.attrs = append(res.attrs, attr{"iteratorRemainingCount", fmt.Sprint(pg.remaining)}, attr{"iteratorID", pg.iterID})
	}
	return res
}

// keepSet returns the IncludeRetElement names, or nil for "everything".
func keepSet(rq *node) map[string]bool {
	var keep map[string]bool
	for _, n := range rq.all("IncludeRetElement") {
		if keep == nil {
			keep = map[string]bool{}
		}
		keep[n.Text] = true
	}
	return keep
}

// listQuery answers CustomerQuery, ItemQuery, ItemInventoryQuery… over
// the records of kinds.
func (p *proc) listQuery(rq *node, kinds ...string) result {
	c := p.c
	kindSet := set(kinds...)
	var ids []string
	var missing string
	if iter, _ := rq.attr("iterator"); iter != "Continue" && iter != "Stop" {
		switch {
		case rq.has("ListID") || rq.has("FullName"):
			seen := map[string]bool{}
			for _, ch := range rq.Children {
				var r *listRec
				switch ch.Name {
				case "ListID":
					r = c.idx.byListID[ch.Text]
				case "FullName":
					r = c.idx.byName[nameKey(namespace(kinds[0]), ch.Text)]
				default:
					continue
				}
				if r == nil || !kindSet[r.Kind] {
					if ch.Name == "ListID" {
						// An unknown ListID fails the request (RG fixture
						// error-3120…CustomerQueryRs); an unknown name is a
						// warning (warn-500…).
						return fromStatus(objectNotFound(ch.Text))
					}
					if missing == "" {
						missing = ch.Text
					}
					continue
				}
				if !seen[r.ListID] {
					seen[r.ListID] = true
					ids = append(ids, r.ListID)
				}
			}
		default:
			match, res := p.listFilter(rq)
			if res != nil {
				return *res
			}
			for _, r := range c.sortedLists(kindSet) {
				if match(r) {
					ids = append(ids, r.ListID)
				}
			}
		}
	}
	pg, res := p.paginate(rq, ids)
	if res != nil {
		return *res
	}
	pg.missing = missing
	keep := keepSet(rq)
	var rets []*node
	for _, id := range pg.ids {
		if r := c.idx.byListID[id]; r != nil {
			rets = append(rets, c.listRet(r, keep))
		}
	}
	return finish(rq, pg, rets)
}

// listFilter compiles the filters of a list query.
func (p *proc) listFilter(rq *node) (func(*listRec) bool, *result) {
	c := p.c
	var tests []func(*listRec) bool
	active := rq.text("ActiveStatus")
	switch active {
	case "", "ActiveOnly":
		tests = append(tests, func(r *listRec) bool { return r.Active })
	case "InactiveOnly":
		tests = append(tests, func(r *listRec) bool { return !r.Active })
	}
	for _, f := range []string{"FromModifiedDate", "ToModifiedDate"} {
		v := rq.text(f)
		if v == "" {
			continue
		}
		t, err := parseDateTime(v, c.cfg.Location)
		if err != nil {
			return nil, &result{code: 3020, msg: fmt.Sprintf("There was an error when converting the date value \"%s\" in the field \"%s\".", v, f)}
		}
		if f == "FromModifiedDate" {
			tests = append(tests, func(r *listRec) bool { return !r.Modified.Before(t) })
		} else {
			if len(v) == len("2006-01-02") {
				t = t.Add(24*time.Hour - time.Second)
			}
			tests = append(tests, func(r *listRec) bool { return !r.Modified.After(t) })
		}
	}
	if nf := rq.child("NameFilter"); nf != nil {
		crit, name := nf.text("MatchCriterion"), strings.ToLower(nf.text("Name"))
		tests = append(tests, func(r *listRec) bool { return matchText(crit, strings.ToLower(c.fullName(r)), name) })
	}
	if nr := rq.child("NameRangeFilter"); nr != nil {
		from, to := strings.ToLower(nr.text("FromName")), strings.ToLower(nr.text("ToName"))
		tests = append(tests, func(r *listRec) bool {
			n := strings.ToLower(c.fullName(r))
			return (from == "" || n >= from) && (to == "" || n <= to)
		})
	}
	if cf := rq.child("ClassFilter"); cf != nil {
		classes := c.entityIDs(cf, []string{"Class"})
		tests = append(tests, func(r *listRec) bool {
			f := r.field("ClassRef")
			return f != nil && classes[f.text("ListID")]
		})
	}
	if tb := rq.child("TotalBalanceFilter"); tb != nil {
		amt, _ := parseDec(tb.text("Amount"))
		op := tb.text("Operator")
		tests = append(tests, func(r *listRec) bool { return compare(op, c.customerTotalBalance(r), amt) })
	}
	if types := rq.all("AccountType"); len(types) > 0 {
		want := map[string]bool{}
		for _, t := range types {
			want[t.Text] = true
		}
		tests = append(tests, func(r *listRec) bool { return want[r.fieldText("AccountType")] })
	}
	return func(r *listRec) bool {
		for _, t := range tests {
			if !t(r) {
				return false
			}
		}
		return true
	}, nil
}

func matchText(crit, s, v string) bool {
	switch crit {
	case "StartsWith":
		return strings.HasPrefix(s, v)
	case "EndsWith":
		return strings.HasSuffix(s, v)
	default: // Contains
		return strings.Contains(s, v)
	}
}

func compare(op string, a, b dec) bool {
	switch op {
	case "LessThan":
		return a < b
	case "LessThanEqual":
		return a <= b
	case "Equal":
		return a == b
	case "GreaterThan":
		return a > b
	default: // GreaterThanEqual
		return a >= b
	}
}

// entityIDs resolves an EntityFilter/AccountFilter/ClassFilter to the set of
// ListIDs it selects (…WithChildren includes every descendant).
func (c *Company) entityIDs(f *node, kinds []string) map[string]bool {
	out := map[string]bool{}
	var roots []*listRec
	withChildren := false
	for _, ch := range f.Children {
		var r *listRec
		switch ch.Name {
		case "ListID":
			r = c.idx.byListID[ch.Text]
		case "FullName":
			r = c.idx.byName[nameKey(namespace(kinds[0]), ch.Text)]
		case "ListIDWithChildren":
			r, withChildren = c.idx.byListID[ch.Text], true
		case "FullNameWithChildren":
			r, withChildren = c.idx.byName[nameKey(namespace(kinds[0]), ch.Text)], true
		}
		if r != nil && contains(kinds, r.Kind) {
			roots = append(roots, r)
		}
	}
	for _, r := range roots {
		out[r.ListID] = true
	}
	if withChildren {
		for changed := true; changed; {
			changed = false
			for _, r := range c.st.Lists {
				if !out[r.ListID] && out[r.ParentID] {
					out[r.ListID] = true
					changed = true
				}
			}
		}
	}
	return out
}

// txnQuery answers SalesReceiptQuery, InvoiceQuery, SalesOrderQuery,
// CreditMemoQuery and ReceivePaymentQuery.
func (p *proc) txnQuery(rq *node, kind string) result {
	c := p.c
	var ids []string
	if iter, _ := rq.attr("iterator"); iter != "Continue" && iter != "Stop" {
		switch {
		case rq.has("TxnID"):
			seen := map[string]bool{}
			for _, ch := range rq.all("TxnID") {
				t := c.idx.byTxnID[ch.Text]
				if t == nil || t.Kind != kind {
					return fromStatus(objectNotFound(ch.Text))
				}
				if !seen[t.TxnID] {
					seen[t.TxnID] = true
					ids = append(ids, t.TxnID)
				}
			}
		case rq.has("RefNumber") || rq.has("RefNumberCaseSensitive"):
			refs := map[string]bool{}
			for _, ch := range rq.all("RefNumber") {
				refs[strings.ToLower(ch.Text)] = true
			}
			exact := map[string]bool{}
			for _, ch := range rq.all("RefNumberCaseSensitive") {
				exact[ch.Text] = true
			}
			for _, t := range c.st.Txns {
				if t.Kind == kind && (refs[strings.ToLower(t.RefNumber)] || exact[t.RefNumber]) {
					ids = append(ids, t.TxnID)
				}
			}
		default:
			match, res := p.txnFilter(rq)
			if res != nil {
				return *res
			}
			for _, t := range c.st.Txns {
				if t.Kind == kind && match(t) {
					ids = append(ids, t.TxnID)
				}
			}
		}
	}
	pg, res := p.paginate(rq, ids)
	if res != nil {
		return *res
	}
	o := retOptions{lines: rq.text("IncludeLineItems") == "true", linked: rq.text("IncludeLinkedTxns") == "true", keep: keepSet(rq)}
	var rets []*node
	for _, id := range pg.ids {
		if t := c.idx.byTxnID[id]; t != nil {
			rets = append(rets, c.txnRet(t, o))
		}
	}
	return finish(rq, pg, rets)
}

// txnFilter compiles the filters of a transaction query.
func (p *proc) txnFilter(rq *node) (func(*txnRec) bool, *result) {
	c := p.c
	var tests []func(*txnRec) bool
	if mf := rq.child("ModifiedDateRangeFilter"); mf != nil {
		for _, f := range []string{"FromModifiedDate", "ToModifiedDate"} {
			v := mf.text(f)
			if v == "" {
				continue
			}
			t, err := parseDateTime(v, c.cfg.Location)
			if err != nil {
				return nil, &result{code: 3020, msg: fmt.Sprintf("There was an error when converting the date value \"%s\" in the field \"%s\".", v, f)}
			}
			if f == "FromModifiedDate" {
				tests = append(tests, func(x *txnRec) bool { return !x.Modified.Before(t) })
			} else {
				if len(v) == len("2006-01-02") {
					t = t.Add(24*time.Hour - time.Second)
				}
				tests = append(tests, func(x *txnRec) bool { return !x.Modified.After(t) })
			}
		}
	}
	if df := rq.child("TxnDateRangeFilter"); df != nil {
		from, to := df.text("FromTxnDate"), df.text("ToTxnDate")
		if m := df.text("DateMacro"); m != "" {
			f, t, ok := dateMacro(m, c.now())
			if !ok {
				return nil, &result{code: 531, msg: fmt.Sprintf("The enum value \"%s\" in the field \"%s\" is not supported by this implementation.", m, "DateMacro")}
			}
			from, to = f, t
		}
		if from != "" && to != "" && from > to {
			return nil, &result{code: 3030, msg: "Invalid date range: From date is greater than To date."}
		}
		tests = append(tests, func(x *txnRec) bool {
			return (from == "" || x.TxnDate >= from) && (to == "" || x.TxnDate <= to)
		})
	}
	if ef := rq.child("EntityFilter"); ef != nil {
		ents := c.entityIDs(ef, []string{"Customer", "Vendor"})
		tests = append(tests, func(x *txnRec) bool { return ents[x.CustomerID] || ents[x.VendorID] })
	}
	if af := rq.child("AccountFilter"); af != nil {
		accts := c.entityIDs(af, []string{"Account"})
		tests = append(tests, func(x *txnRec) bool {
			for _, name := range []string{"ARAccountRef", "DepositToAccountRef", "AccountRef", "APAccountRef"} {
				if f := x.field(name); f != nil && accts[f.text("ListID")] {
					return true
				}
			}
			return false
		})
	}
	if rf := rq.child("RefNumberFilter"); rf != nil {
		crit, v := rf.text("MatchCriterion"), strings.ToLower(rf.text("RefNumber"))
		tests = append(tests, func(x *txnRec) bool { return matchText(crit, strings.ToLower(x.RefNumber), v) })
	}
	if rr := rq.child("RefNumberRangeFilter"); rr != nil {
		from, to := rr.text("FromRefNumber"), rr.text("ToRefNumber")
		tests = append(tests, func(x *txnRec) bool { return refInRange(x.RefNumber, from, to) })
	}
	switch rq.text("PaidStatus") {
	case "PaidOnly":
		tests = append(tests, func(x *txnRec) bool { return x.Total-x.Applied <= 0 })
	case "NotPaidOnly":
		tests = append(tests, func(x *txnRec) bool { return x.Total-x.Applied > 0 })
	}
	return func(x *txnRec) bool {
		for _, t := range tests {
			if !t(x) {
				return false
			}
		}
		return true
	}, nil
}

// refInRange compares RefNumbers numerically when all are numbers,
// otherwise as text.
func refInRange(ref, from, to string) bool {
	var r, f, t int64
	if _, err := fmt.Sscan(ref, &r); err == nil {
		okF := from == "" || func() bool { _, e := fmt.Sscan(from, &f); return e == nil }()
		okT := to == "" || func() bool { _, e := fmt.Sscan(to, &t); return e == nil }()
		if okF && okT {
			return (from == "" || r >= f) && (to == "" || r <= t)
		}
	}
	return (from == "" || ref >= from) && (to == "" || ref <= to)
}

// dateMacro turns a TxnDateRangeFilter/DateMacro into a date range
// (weeks start on Sunday; the fiscal year is the calendar year, as in the
// seeded company's preferences). "All" is an open range.
func dateMacro(m string, now time.Time) (string, string, bool) {
	d := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	weekStart := d.AddDate(0, 0, -int(d.Weekday()))
	monthStart := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	qStart := time.Date(d.Year(), time.Month((int(d.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	yStart := time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	last := func(start time.Time, years, months, days int) (time.Time, time.Time) {
		s := start.AddDate(years, months, days)
		return s, start.AddDate(0, 0, -1)
	}
	next := func(start time.Time, years, months, days int) (time.Time, time.Time) {
		s := start.AddDate(years, months, days)
		return s, s.AddDate(years, months, days).AddDate(0, 0, -1)
	}
	toDate := func(from time.Time, years, months, days int) (string, string) {
		return day(from), day(d.AddDate(years, months, days))
	}
	base := strings.NewReplacer("Fiscal", "Calendar").Replace(m)
	switch base {
	case "All":
		return "", "", true
	case "Today":
		return day(d), day(d), true
	case "Yesterday":
		y := d.AddDate(0, 0, -1)
		return day(y), day(y), true
	case "ThisWeek":
		return day(weekStart), day(weekStart.AddDate(0, 0, 6)), true
	case "ThisWeekToDate":
		return day(weekStart), day(d), true
	case "ThisMonth":
		return day(monthStart), day(monthStart.AddDate(0, 1, -1)), true
	case "ThisMonthToDate":
		return day(monthStart), day(d), true
	case "ThisCalendarQuarter":
		return day(qStart), day(qStart.AddDate(0, 3, -1)), true
	case "ThisCalendarQuarterToDate":
		return day(qStart), day(d), true
	case "ThisCalendarYear":
		return day(yStart), day(yStart.AddDate(1, 0, -1)), true
	case "ThisCalendarYearToDate":
		return day(yStart), day(d), true
	case "LastWeek":
		f, t := last(weekStart, 0, 0, -7)
		return day(f), day(t), true
	case "LastWeekToDate":
		f, t := toDate(weekStart.AddDate(0, 0, -7), 0, 0, -7)
		return f, t, true
	case "LastMonth":
		f, t := last(monthStart, 0, -1, 0)
		return day(f), day(t), true
	case "LastMonthToDate":
		f, t := toDate(monthStart.AddDate(0, -1, 0), 0, -1, 0)
		return f, t, true
	case "LastCalendarQuarter":
		f, t := last(qStart, 0, -3, 0)
		return day(f), day(t), true
	case "LastCalendarQuarterToDate":
		f, t := toDate(qStart.AddDate(0, -3, 0), 0, -3, 0)
		return f, t, true
	case "LastCalendarYear":
		f, t := last(yStart, -1, 0, 0)
		return day(f), day(t), true
	case "LastCalendarYearToDate":
		f, t := toDate(yStart.AddDate(-1, 0, 0), -1, 0, 0)
		return f, t, true
	case "NextWeek":
		f, t := next(weekStart, 0, 0, 7)
		return day(f), day(t), true
	case "NextFourWeeks":
		s := weekStart.AddDate(0, 0, 7)
		return day(s), day(s.AddDate(0, 0, 27)), true
	case "NextMonth":
		f, t := next(monthStart, 0, 1, 0)
		return day(f), day(t), true
	case "NextCalendarQuarter":
		f, t := next(qStart, 0, 3, 0)
		return day(f), day(t), true
	case "NextCalendarYear":
		f, t := next(yStart, 1, 0, 0)
		return day(f), day(t), true
	}
	return "", "", false
}
