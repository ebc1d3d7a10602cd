package ordersync

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/posting"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// ItemListDocPrefix starts the document key of an item-list read (qbd.ItemListKey).
const ItemListDocPrefix = qbd.KindItemList + ":"

// DefaultItemPageSize is the page size of item-list reads: a 50 000-item company is read in
// 100 message sets, each far inside the Web Connector's time limit.
const DefaultItemPageSize = 500

// itemRead names one page of an item-list read. Its document key is
// "itemlist:<all|changed>:<start, Unix ns>:<page>": every page of a read carries the read's
// start, which is also the read's identity (qb_items.read_key).
type itemRead struct {
	changed bool // only items modified since the last read (no deletions can be seen)
	start   int64
	page    int
}

func (r itemRead) key() string { return qbd.ItemListKey(r.changed, r.start, r.page).String() }

// readKey identifies the read (all its pages) in qb_items.read_key.
func (r itemRead) readKey() string { return strconv.FormatInt(r.start, 10) }

func parseItemRead(docKey string) (itemRead, bool) {
	parts := strings.Split(qbd.DocKey(docKey).ID(), ":")
	if len(parts) != 3 || (parts[0] != "all" && parts[0] != "changed") {
		return itemRead{}, false
	}
	start, err1 := strconv.ParseInt(parts[1], 10, 64)
	page, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil {
		return itemRead{}, false
	}
	return itemRead{changed: parts[0] == "changed", start: start, page: page}, true
}

func (p *Pipeline) itemPageSize() int {
	if p.ItemPageSize > 0 {
		return p.ItemPageSize
	}
	return DefaultItemPageSize
}

// RefreshItemList queues a read of the QuickBooks company's whole item list (active and
// inactive) for the next Web Connector run, unless a read is under way already. The read goes
// page by page with an ItemQuery iterator; the pages replace the list used for matching, the
// pre-send check of flagged orders and autocomplete (uploaded CSV rows of the same names are
// updated), and once the last page is in, items QuickBooks no longer has leave it.
func (p *Pipeline) RefreshItemList(ctx context.Context, accountID, qbdConnectionID int64) error {
	return p.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := p.startItemRead(ctx, tx, accountID, qbdConnectionID, nil)
		return err
	})
}

// RefreshChangedItems queues a read of the items modified in QuickBooks since since (new items
// and renames; deletions are only seen by a whole read), unless a read is under way.
func (p *Pipeline) RefreshChangedItems(ctx context.Context, accountID, qbdConnectionID int64, since time.Time) error {
	return p.DB.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := p.startItemRead(ctx, tx, accountID, qbdConnectionID, &since)
		return err
	})
}

// startItemRead queues the first page of a read (changed items when since is set) and reports
// whether it did; one read at a time per company.
func (p *Pipeline) startItemRead(ctx context.Context, tx bun.Tx, accountID, qbdConnectionID int64, since *time.Time) (bool, error) {
	busy, err := db.UnfinishedWork(ctx, tx, accountID, qbdConnectionID, ItemListDocPrefix)
	if err != nil {
		return false, fmt.Errorf("ordersync: item list read under way: %w", err)
	}
	if busy {
		return false, nil
	}
	r := itemRead{changed: since != nil, start: p.now().UnixNano(), page: 1}
	rq := qbxml.ItemQuery{Iterator: qbxml.IteratorStart, Filter: p.itemFilter(since)}
	if _, err := p.Engine.EnqueueTx(ctx, tx, qbd.Item{AccountID: accountID, ConnectionID: qbdConnectionID, DocKey: r.key(), Request: rq}); err != nil {
		return false, fmt.Errorf("ordersync: queue item list read: %w", err)
	}
	return true, nil
}

// itemFilter is the filter of every page of a read: a Continue repeats the Start's filter.
func (p *Pipeline) itemFilter(since *time.Time) qbxml.ListFilter {
	f := qbxml.ListFilter{MaxReturned: p.itemPageSize(), ActiveStatus: qbxml.ActiveAll}
	if since != nil {
		f.FromModifiedDate = qbxml.DateTimeOf(*since)
	}
	return f
}

// settledItemList stores the items one page of an item-list read returned and queues the next
// page, in the transaction that settles the page. After the last page of a whole read, items
// the read did not see (deleted in QuickBooks) leave the list and the list counts as known.
func (p *Pipeline) settledItemList(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	r, ok := parseItemRead(item.DocKey)
	if !ok {
		r = itemRead{start: item.CreatedAt.UnixNano(), page: 1} // a read queued by an older version
	}
	var since *time.Time
	if r.changed {
		if t := fromModified(item.Request); !t.IsZero() {
			since = &t
		}
	}
	if out.Status != db.WorkDone || out.Response == nil {
		if r.page > 1 && item.StatusCode != nil && *item.StatusCode == 3391 {
			// The iterator belonged to a Web Connector session that ended between two pages:
			// QuickBooks forgot it. Start the read over.
			return p.restartItemRead(ctx, tx, item, since, "the Web Connector session ended between two pages")
		}
		return p.itemLog(ctx, tx, item, db.LevelError, "Reading the item list from QuickBooks failed: "+out.Message)
	}
	now := p.now()
	for _, it := range out.Response.Items {
		if err := upsertItem(ctx, tx, item.AccountID, item.ConnectionID, it, db.ItemSourceQuickBooks, r.readKey(), now); err != nil {
			return err
		}
	}
	if r.page > 1 && item.Attempts > 1 {
		// This Continue was sent again after an answer was lost: QuickBooks may have moved
		// the iterator past the page we never saw. Only a fresh read is certain to be whole.
		return p.restartItemRead(ctx, tx, item, since, "an answer from QuickBooks was lost between two pages")
	}
	rs := out.Response
	if rs.IteratorID != "" && rs.IteratorRemainingCount > 0 {
		next := itemRead{changed: r.changed, start: r.start, page: r.page + 1}
		rq := qbxml.ItemQuery{Iterator: qbxml.IteratorContinue, IteratorID: rs.IteratorID, Filter: p.itemFilter(since)}
		if _, err := p.Engine.EnqueueTx(ctx, tx, qbd.Item{AccountID: item.AccountID, ConnectionID: item.ConnectionID,
			DocKey: next.key(), Request: rq}); err != nil {
			return fmt.Errorf("ordersync: queue item list page %d: %w", next.page, err)
		}
		return nil
	}
	// The last page.
	start := time.Unix(0, r.start)
	seen, err := db.CountItemsRead(ctx, tx, item.AccountID, item.ConnectionID, r.readKey())
	if err != nil {
		return fmt.Errorf("ordersync: %w", err)
	}
	var wholeAt *time.Time
	msg := fmt.Sprintf("Read %d changed items from QuickBooks.", seen)
	if !r.changed {
		// Items changed after the read started (uploaded, or created by Ledgerlink) stay.
		gone, err := db.DropItemsNotRead(ctx, tx, item.AccountID, item.ConnectionID, r.readKey(), start)
		if err != nil {
			return fmt.Errorf("ordersync: %w", err)
		}
		wholeAt = &now
		pages := "pages"
		if r.page == 1 {
			pages = "page"
		}
		msg = fmt.Sprintf("Read the item list from QuickBooks: %d items in %d %s", seen, r.page, pages)
		if gone > 0 {
			msg += fmt.Sprintf("; %d items no longer in QuickBooks were removed from the list", gone)
		}
		msg += "."
	}
	if err := db.SetItemsRead(ctx, tx, item.AccountID, item.ConnectionID, start, wholeAt); err != nil {
		return fmt.Errorf("ordersync: %w", err)
	}
	return p.itemLog(ctx, tx, item, db.LevelInfo, msg)
}

// restartItemRead starts a read over after its iterator was lost.
func (p *Pipeline) restartItemRead(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, since *time.Time, why string) error {
	if _, err := p.startItemRead(ctx, tx, item.AccountID, item.ConnectionID, since); err != nil {
		return err
	}
	return p.itemLog(ctx, tx, item, db.LevelWarning, "Reading the item list from QuickBooks starts over: "+why+".")
}

// itemLog writes a line about a read; its details name the read (ItemListReadDetail), so the
// Products page finds how the read it asked for ended.
func (p *Pipeline) itemLog(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, level db.LogLevel, msg string) error {
	r, ok := parseItemRead(item.DocKey)
	if !ok {
		r = itemRead{start: item.CreatedAt.UnixNano()}
	}
	details, _ := json.Marshal(map[string]any{ItemListReadDetail: r.readKey(), "page": r.page})
	return db.InsertSyncLog(ctx, tx, &db.SyncLog{AccountID: item.AccountID, ConnectionID: &item.ConnectionID, Level: level,
		Source: "qbd", Message: msg, Details: details})
}

// ItemListReadDetail is the sync log detail naming the read a line is about (its start, Unix ns).
const ItemListReadDetail = "itemListRead"

// ItemListReadOf says which read (its start, as ItemListReadDetail holds it) and page an
// item-list document key is.
func ItemListReadOf(docKey string) (read string, page int, ok bool) {
	r, ok := parseItemRead(docKey)
	return r.readKey(), r.page, ok
}

// fromModified reads the FromModifiedDate of a stored ItemQuery.
func fromModified(request string) time.Time {
	m := fromModifiedPattern.FindStringSubmatch(request)
	if m == nil {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339, m[1])
	return t
}

var fromModifiedPattern = regexp.MustCompile(`<FromModifiedDate>([^<]+)</FromModifiedDate>`)

// upsertItem stores one item QuickBooks returned in the company's item list.
func upsertItem(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64, it qbxml.ItemRet, source, readKey string, now time.Time) error {
	name := it.Ref().FullName
	if name == "" {
		return nil
	}
	desc := strings.TrimSpace(it.SalesDesc + " " + it.ItemDesc)
	row := &db.QBItem{AccountID: accountID, QBDConnectionID: qbdConnectionID, FullName: name, ItemType: it.Type, Description: desc,
		Price: priceText(it.SalesPrice), QuantityOnHand: qtyText(it), Active: it.IsActive, Source: source, UpdatedAt: now}
	if readKey != "" {
		row.ReadKey = &readKey
	}
	if _, err := db.UpsertQBItem(ctx, idb, row); err != nil {
		return fmt.Errorf("ordersync: store item %q: %w", name, err)
	}
	return nil
}

// settledItem records an item Ledgerlink created in QuickBooks (a repair of a 3140) in the
// company's item list, so the next order's check knows it.
func (p *Pipeline) settledItem(ctx context.Context, tx bun.Tx, item *db.QBDWorkItem, out qbd.Outcome) error {
	if out.Status != db.WorkDone || !strings.HasSuffix(item.Kind, "Add") {
		return nil
	}
	var ret qbxml.ItemRet
	if out.Response != nil && len(out.Response.Items) > 0 {
		ret = out.Response.Items[0]
	} else {
		// Adopted after a lost answer: QuickBooks' record was not read, its name is the lookup's.
		ret = qbxml.ItemRet{Type: strings.TrimSuffix(item.Kind, "Add"), IsActive: true}
		ret.FullName = item.LookupValue
	}
	return upsertItem(ctx, tx, item.AccountID, item.ConnectionID, ret, db.ItemSourceLedgerlink, "", p.now())
}

// unknownSKUs checks the product lines of a posting against the item list Ledgerlink knows of
// QuickBooks company qbdConn of accountID (read through the Web Connector, uploaded, or created by Ledgerlink).
// known is false while no whole read of the list from QuickBooks has finished (an uploaded CSV
// may be partial): then nothing can be said and missing is empty. missing are the store SKUs (as
// the store has them) whose QuickBooks item is not in the list, in line order, each once.
func (p *Pipeline) unknownSKUs(ctx context.Context, accountID, qbdConn int64, o orders.Order) (missing []string, known bool, err error) {
	var names []string
	skuOf := map[string]string{}
	for _, l := range o.Lines {
		name := posting.ItemName(l)
		if name == "" {
			continue
		}
		names = append(names, name)
		if _, ok := skuOf[strings.ToLower(name)]; !ok {
			skuOf[strings.ToLower(name)] = firstNonEmpty(l.SKU, l.Name)
		}
	}
	unknown, known, err := p.DB.UnknownQBItemsIfKnown(ctx, accountID, qbdConn, names)
	if err != nil || !known {
		return nil, known, err
	}
	seen := map[string]bool{}
	for _, n := range unknown {
		if sku := skuOf[strings.ToLower(n)]; !seen[sku] {
			seen[sku] = true
			missing = append(missing, sku)
		}
	}
	return missing, true, nil
}

// requestItemNames lists the items a stored sale's lines refer to.
func requestItemNames(request string) []string {
	var out []string
	for _, m := range itemRefPattern.FindAllStringSubmatch(request, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

var itemRefPattern = regexp.MustCompile(`<ItemRef>\s*(?:<ListID>[^<]*</ListID>\s*)?<FullName>([^<]*)</FullName>`)

func priceText(p qbxml.Price) string {
	if p == 0 {
		return ""
	}
	return p.String()
}

func qtyText(it qbxml.ItemRet) string {
	if it.Type != "ItemInventory" && it.Type != "ItemInventoryAssembly" {
		return ""
	}
	return it.QuantityOnHand.String()
}
