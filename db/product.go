package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// QBItem is one item of a QuickBooks company's item list.
type QBItem struct {
	bun.BaseModel `bun:"table:qb_items,alias:qi"`

	ID              int64  `bun:"id,pk,autoincrement"`
	AccountID       int64  `bun:"account_id,notnull"`
	QBDConnectionID int64  `bun:"qbd_connection_id,notnull"`
	FullName        string `bun:"full_name,notnull"`
	ItemType        string `bun:"item_type,notnull"`
	Description     string `bun:"description,notnull"`
	Price           string `bun:"price,notnull"`
	QuantityOnHand  string `bun:"quantity_on_hand,notnull"`
	Active          bool   `bun:"active,notnull"`
	Source          string `bun:"source,notnull"`
	// ReadKey names the read through the Web Connector that last saw the item (every page of
	// one read shares it); nil for items only uploaded or created by Ledgerlink.
	ReadKey   *string   `bun:"read_key"`
	UpdatedAt time.Time `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// UpsertQBItem stores it in its company's item list, matched by full name case-insensitively
// as QuickBooks matches names, and reports whether it was new. A matched item takes every field
// of it, except that a nil ReadKey keeps the read key it had. A zero UpdatedAt means now.
func UpsertQBItem(ctx context.Context, idb bun.IDB, it *QBItem) (inserted bool, err error) {
	var at *time.Time
	if !it.UpdatedAt.IsZero() {
		at = &it.UpdatedAt
	}
	err = idb.NewRaw(`INSERT INTO qb_items (account_id, qbd_connection_id, full_name, item_type, description, price, quantity_on_hand, active, source, read_key, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?::timestamptz, now()))
		ON CONFLICT (qbd_connection_id, lower(full_name)) DO UPDATE SET full_name = EXCLUDED.full_name, item_type = EXCLUDED.item_type,
			description = EXCLUDED.description, price = EXCLUDED.price, quantity_on_hand = EXCLUDED.quantity_on_hand,
			active = EXCLUDED.active, source = EXCLUDED.source, read_key = COALESCE(EXCLUDED.read_key, qb_items.read_key),
			updated_at = EXCLUDED.updated_at
		RETURNING (xmax = 0)`, it.AccountID, it.QBDConnectionID, it.FullName, it.ItemType, it.Description, it.Price,
		it.QuantityOnHand, it.Active, it.Source, it.ReadKey, at).Scan(ctx, &inserted)
	if err != nil {
		return false, fmt.Errorf("db: upsert item %q: %w", it.FullName, err)
	}
	return inserted, nil
}

// UpsertQBItems stores items (see UpsertQBItem) in one transaction and returns how many were
// new and how many updated.
func (d *DB) UpsertQBItems(ctx context.Context, items []QBItem) (created, updated int, err error) {
	err = d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for i := range items {
			inserted, err := UpsertQBItem(ctx, tx, &items[i])
			if err != nil {
				return err
			}
			if inserted {
				created++
			} else {
				updated++
			}
		}
		return nil
	})
	return created, updated, err
}

// SearchQBItems pages through the item list of a connection in accountID, by name, optionally
// only names containing search (case-insensitive).
func (d *DB) SearchQBItems(ctx context.Context, accountID, qbdConnectionID int64, search string, p Page) (Result[QBItem], error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("qi.account_id = ? AND qi.qbd_connection_id = ?", accountID, qbdConnectionID)
		return whereContains(q, "qi.full_name ILIKE ?", search)
	}
	return listPage[QBItem](ctx, d.bun, p, "qi", "items", filter)
}

// SuggestQBItems returns up to limit items of a company whose name contains search, for
// autocomplete: active items first (an inactive item cannot be used on a sale until it is made
// active again), then names that start with search, then by name; and how many match in all.
func (d *DB) SuggestQBItems(ctx context.Context, accountID, qbdConnectionID int64, search string, limit int) ([]QBItem, int, error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("qi.account_id = ? AND qi.qbd_connection_id = ?", accountID, qbdConnectionID)
		return whereContains(q, "qi.full_name ILIKE ?", search)
	}
	var rows []QBItem
	err := filter(d.bun.NewSelect().Model(&rows)).
		OrderExpr("qi.active DESC, qi.full_name ILIKE ? DESC, lower(qi.full_name), qi.id", escapeLike(search)+"%").
		Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("db: suggest items: %w", err)
	}
	n, err := filter(d.bun.NewSelect().Model((*QBItem)(nil))).Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("db: count suggested items: %w", err)
	}
	return rows, int(n), nil
}

// ProductMapping maps a store SKU (or shipping method) to a QuickBooks item until it becomes a rule.
type ProductMapping struct {
	bun.BaseModel `bun:"table:product_mappings,alias:pm"`

	ID         int64     `bun:"id,pk,autoincrement"`
	AccountID  int64     `bun:"account_id,notnull"`
	Kind       string    `bun:"kind,notnull"`
	StoreValue string    `bun:"store_value,notnull"`
	ItemName   string    `bun:"item_name,notnull"`
	CreatedBy  string    `bun:"created_by,notnull"`
	CreatedAt  time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// SaveProductMapping creates or replaces the mapping of (kind, store value).
func (d *DB) SaveProductMapping(ctx context.Context, m *ProductMapping) error {
	_, err := d.bun.NewInsert().Model(m).
		On("CONFLICT (account_id, kind, store_value) DO UPDATE").Set("item_name = EXCLUDED.item_name, created_by = EXCLUDED.created_by, created_at = now()").
		Returning("*").Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: save mapping: %w", translate(err))
	}
	return nil
}

// ListProductMappings returns the account's pending mappings.
func (d *DB) ListProductMappings(ctx context.Context, accountID int64) ([]ProductMapping, error) {
	return selectRows[ProductMapping](ctx, d.bun, "list mappings", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("pm.account_id = ?", accountID).OrderExpr("pm.id")
	})
}

// ProductMappingsByValue returns accountID's pending mappings of kind keyed by their store value
// lower-cased, as orders name SKUs and shipping methods in any case. Of two values alike but for
// case, the newer mapping wins.
func (d *DB) ProductMappingsByValue(ctx context.Context, accountID int64, kind string) (map[string]*ProductMapping, error) {
	maps, err := d.ListProductMappings(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := map[string]*ProductMapping{}
	for i := range maps {
		if maps[i].Kind == kind {
			out[strings.ToLower(maps[i].StoreValue)] = &maps[i]
		}
	}
	return out, nil
}

// DeleteProductMapping removes a mapping of accountID; deleting a missing one is not an error.
func (d *DB) DeleteProductMapping(ctx context.Context, accountID int64, kind, storeValue string) error {
	_, err := d.bun.NewDelete().Model((*ProductMapping)(nil)).
		Where("account_id = ? AND kind = ? AND store_value = ?", accountID, kind, storeValue).Exec(ctx)
	if err != nil {
		return fmt.Errorf("db: delete mapping: %w", err)
	}
	return nil
}

// Item sources.
const (
	ItemSourceCSV        = "csv"        // uploaded item list export
	ItemSourceQuickBooks = "quickbooks" // read through the Web Connector
	ItemSourceLedgerlink = "ledgerlink" // created in QuickBooks by Ledgerlink
)

// ItemListKnown reports whether Ledgerlink knows the whole item list of QuickBooks Desktop
// connection qbdConnectionID of account accountID: a read through the Web Connector finished. An uploaded CSV alone
// does not count (it may be a partial export); its items count once the list is known. idb may
// be a transaction.
func ItemListKnown(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64) (bool, error) {
	known, err := idb.NewSelect().Model((*QBDConnection)(nil)).
		Where("id = ? AND account_id = ? AND item_list_at IS NOT NULL", qbdConnectionID, accountID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("db: item list known: %w", err)
	}
	return known, nil
}

// UnknownQBItems returns the names (as given, in order, each once) that the item list of
// account accountID's qbdConnectionID does not hold, compared case-insensitively as QuickBooks
// compares names.
func UnknownQBItems(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	lower := make([]string, len(names))
	for i, n := range names {
		lower[i] = strings.ToLower(n)
	}
	var found []string
	err := idb.NewSelect().Model((*QBItem)(nil)).ColumnExpr("lower(full_name)").
		Where("account_id = ? AND qbd_connection_id = ? AND lower(full_name) IN (?)", accountID, qbdConnectionID, bun.List(lower)).Scan(ctx, &found)
	if err != nil {
		return nil, fmt.Errorf("db: unknown items: %w", err)
	}
	have := make(map[string]bool, len(found))
	for _, f := range found {
		have[f] = true
	}
	var out []string
	for i, n := range names {
		if !have[lower[i]] {
			have[lower[i]] = true // each once
			out = append(out, n)
		}
	}
	return out, nil
}

// ForgetQBItem removes name from the item list of account accountID's qbdConnectionID
// (QuickBooks said it has no such item: it was deleted there).
func ForgetQBItem(ctx context.Context, idb bun.IDB, accountID, qbdConnectionID int64, name string) error {
	if _, err := idb.NewDelete().Model((*QBItem)(nil)).
		Where("account_id = ? AND qbd_connection_id = ? AND lower(full_name) = lower(?)", accountID, qbdConnectionID, name).Exec(ctx); err != nil {
		return fmt.Errorf("db: forget item %q: %w", name, err)
	}
	return nil
}
