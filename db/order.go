package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Order states, as the pending queue shows them.
const (
	OrderPending          = "pending"
	OrderReady            = "ready"
	OrderSent             = "sent"
	OrderPosted           = "posted"
	OrderError            = "error"
	OrderNeedsMapping     = "needs_mapping"
	OrderSkippedDuplicate = "skipped_duplicate"
	OrderExcluded         = "excluded"
)

// Order is a stored store order. Normalized holds a jobs/orders.Order as JSON.
type Order struct {
	bun.BaseModel `bun:"table:orders,alias:o"`

	ID               int64           `bun:"id,pk,autoincrement"`
	AccountID        int64           `bun:"account_id,notnull"`
	ConnectionID     int64           `bun:"connection_id,notnull"`
	Channel          string          `bun:"channel,notnull"`
	ExternalID       string          `bun:"external_id,notnull"`
	Number           string          `bun:"number,notnull"`
	State            string          `bun:"state,notnull"`
	StateReason      string          `bun:"state_reason,notnull"`
	Raw              json.RawMessage `bun:"raw,type:jsonb,notnull"`
	Normalized       json.RawMessage `bun:"normalized,type:jsonb,notnull"`
	TotalCents       int64           `bun:"total_cents,notnull"`
	StoreCreatedAt   *time.Time      `bun:"store_created_at"`
	StoreUpdatedAt   *time.Time      `bun:"store_updated_at"`
	ChangedAfterPost bool            `bun:"changed_after_post,notnull"`
	MissingSKUs      []string        `bun:"missing_skus,array,nullzero,notnull,default:'{}'"`
	CreatedAt        time.Time       `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt        time.Time       `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// OrderEvent is one line of an order's audit trail.
type OrderEvent struct {
	bun.BaseModel `bun:"table:order_events,alias:oe"`

	ID        int64           `bun:"id,pk,autoincrement"`
	OrderID   int64           `bun:"order_id,notnull"`
	AccountID int64           `bun:"account_id,notnull"`
	Kind      string          `bun:"kind,notnull"`
	Message   string          `bun:"message,notnull"`
	Details   json.RawMessage `bun:"details,type:jsonb,nullzero"`
	CreatedAt time.Time       `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

// GetOrder returns order id of accountID, or ErrNotFound.
func (d *DB) GetOrder(ctx context.Context, accountID, id int64) (*Order, error) {
	o := new(Order)
	if err := d.bun.NewSelect().Model(o).Where("o.id = ? AND o.account_id = ?", id, accountID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: get order %d: %w", id, translate(err))
	}
	return o, nil
}

// AddOrderEvent appends to an order's audit trail.
func (d *DB) AddOrderEvent(ctx context.Context, e *OrderEvent) error {
	return InsertOrderEvent(ctx, d.bun, e)
}

// ListOrderEvents returns an order's audit trail, oldest first.
func (d *DB) ListOrderEvents(ctx context.Context, accountID, orderID int64) ([]OrderEvent, error) {
	var rows []OrderEvent
	err := d.bun.NewSelect().Model(&rows).Where("oe.order_id = ? AND oe.account_id = ?", orderID, accountID).
		OrderExpr("oe.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: list order events: %w", err)
	}
	return rows, nil
}

// OrderFilter narrows ListOrders; zero fields do not filter.
type OrderFilter struct {
	State        string
	Search       string
	ConnectionID int64
	Channel      string
}

// ListOrders pages through the orders of accountID, newest first.
func (d *DB) ListOrders(ctx context.Context, accountID int64, f OrderFilter, p Page) (Result[Order], error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("o.account_id = ?", accountID)
		if f.State != "" {
			q = q.Where("o.state = ?", f.State)
		}
		if f.ConnectionID != 0 {
			q = q.Where("o.connection_id = ?", f.ConnectionID)
		}
		if f.Channel != "" {
			q = q.Where("o.channel = ?", f.Channel)
		}
		if f.Search != "" {
			pat := "%" + escapeLike(f.Search) + "%"
			q = q.Where("(o.number ILIKE ? OR o.normalized->'customer'->>'lastName' ILIKE ? OR o.normalized->'customer'->>'firstName' ILIKE ? OR o.normalized->'billTo'->>'company' ILIKE ?)",
				pat, pat, pat, pat)
		}
		return q
	}
	return listPage[Order](ctx, d.bun, p, "o", "orders", filter)
}

// CountOrdersByState counts the orders of accountID (and of one connection when non-zero) per state.
func (d *DB) CountOrdersByState(ctx context.Context, accountID, connectionID int64) (map[string]int, error) {
	var rows []struct {
		State string `bun:"state"`
		N     int    `bun:"n"`
	}
	q := d.bun.NewSelect().Model((*Order)(nil)).ColumnExpr("state, count(*) AS n").Where("account_id = ?", accountID)
	if connectionID != 0 {
		q = q.Where("connection_id = ?", connectionID)
	}
	if err := q.Group("state").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("db: count orders: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}

// MissingSKU is a SKU that parks orders in needs_mapping.
type MissingSKU struct {
	SKU          string `bun:"sku"`
	Orders       int    `bun:"orders"`
	FirstOrderID int64  `bun:"first_order_id"`
}

// ListMissingSKUs returns the SKUs of accountID's parked orders with how many orders each parks.
func (d *DB) ListMissingSKUs(ctx context.Context, accountID int64) ([]MissingSKU, error) {
	var rows []MissingSKU
	err := d.bun.NewRaw(`SELECT sku, count(*) AS orders, min(id) AS first_order_id
		FROM orders, unnest(missing_skus) AS sku
		WHERE account_id = ? AND state = ? GROUP BY sku ORDER BY count(*) DESC, sku`, accountID, OrderNeedsMapping).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("db: missing skus: %w", err)
	}
	return rows, nil
}

// OrderIDsInState returns the ids of accountID's orders in state.
func (d *DB) OrderIDsInState(ctx context.Context, accountID int64, state string) ([]int64, error) {
	var ids []int64
	if err := d.bun.NewSelect().Model((*Order)(nil)).Column("id").Where("account_id = ? AND state = ?", accountID, state).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("db: orders in state: %w", err)
	}
	return ids, nil
}

// ShippingMethodUse is a store shipping method and the orders shipped with it.
type ShippingMethodUse struct {
	Method         string `bun:"method"`
	Orders         int    `bun:"orders"`
	ExampleOrderID int64  `bun:"example_order_id"` // the newest of them
}

// ListShippingMethods returns the shipping methods of accountID's orders that charge for
// shipping (only those post a shipping line), excluded orders aside, most orders first.
func (d *DB) ListShippingMethods(ctx context.Context, accountID int64) ([]ShippingMethodUse, error) {
	var rows []ShippingMethodUse
	err := d.bun.NewRaw(`SELECT normalized->'shipping'->>'method' AS method, count(*) AS orders, max(id) AS example_order_id
		FROM orders
		WHERE account_id = ? AND state <> ? AND coalesce(normalized->'shipping'->>'method', '') <> ''
			AND coalesce((normalized->>'shippingTotal')::bigint, 0) <> 0
		GROUP BY 1 ORDER BY count(*) DESC, 1`, accountID, OrderExcluded).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("db: shipping methods: %w", err)
	}
	return rows, nil
}
