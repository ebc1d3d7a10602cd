package qbo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// MaxBatch is the most items one batch request holds (Accounting API reference, batch).
const MaxBatch = 30

// MaxBatchID is the longest bId allowed when the batch has a requestid.
const MaxBatchID = 10

// Batch operations.
const (
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// BatchItem is one item of a batch request: an operation on an entity, or a query.
// QuickBooks runs the items one after another but none sees another's result, so an item
// that needs another's Id (a payment of an invoice) goes in a later batch.
type BatchItem struct {
	BID       string // ≤ MaxBatchID characters, unique in the batch
	Operation string // OpCreate, OpUpdate, OpDelete; empty for a query
	Entity    string // EntitySalesReceipt, …; empty for a query
	Body      any
	Query     string
}

// MarshalJSON writes {"bId":…,"operation":…,"<Entity>":{…}} or {"bId":…,"Query":…}.
func (it BatchItem) MarshalJSON() ([]byte, error) {
	m := map[string]any{"bId": it.BID}
	if it.Query != "" {
		m["Query"] = it.Query
	} else {
		m["operation"] = it.Operation
		m[it.Entity] = it.Body
	}
	return json.Marshal(m)
}

// BatchResult is QuickBooks' answer to one batch item: the entity (raw JSON under Entity),
// a query's QueryResponse, or a Fault — a refused item does not fail the batch (HTTP 200).
type BatchResult struct {
	BID    string
	Entity string
	Raw    json.RawMessage // the entity, or the QueryResponse of a query
	Fault  *Fault
}

// Err is the item's refusal as an error (kind by Fault code, errors.Is(err, ErrStale) …), nil
// when it succeeded.
func (r BatchResult) Err() error {
	if r.Fault == nil {
		return nil
	}
	return &storenet.Error{Service: "quickbooks-online", Call: "batch item " + r.BID, Kind: r.Fault.Kind(),
		Code: r.Fault.Code(), Message: r.Fault.Error(), Detail: r.Fault}
}

// Decode decodes the item's entity (or QueryResponse) into out.
func (r BatchResult) Decode(out any) error { return json.Unmarshal(r.Raw, out) }

// Batch sends items (at most MaxBatch) as one batch request with requestid requestID (≤
// MaxRequestID characters; empty only for a batch of queries, which changes nothing and must
// not be answered from an earlier batch). Sent again with the same requestid and the same items and bIds,
// QuickBooks answers as the first time and applies nothing again: a caller that lost the
// answer must resend exactly the batch it sent. The results are by bId; an item missing from
// the answer is absent from the map.
func (c *Client) Batch(ctx context.Context, requestID string, items []BatchItem) (map[string]BatchResult, error) {
	if len(items) == 0 || len(items) > MaxBatch {
		return nil, fmt.Errorf("qbo: a batch holds 1 to %d items, not %d", MaxBatch, len(items))
	}
	writes := slices.ContainsFunc(items, func(it BatchItem) bool { return it.Query == "" })
	if (writes && requestID == "") || len(requestID) > MaxRequestID {
		return nil, fmt.Errorf("qbo: batch requestid %q must have 1 to %d characters (it may be empty only for queries)", requestID, MaxRequestID)
	}
	seen := map[string]bool{}
	for _, it := range items {
		if it.BID == "" || len(it.BID) > MaxBatchID || seen[it.BID] {
			return nil, fmt.Errorf("qbo: batch item id %q must be unique and have 1 to %d characters", it.BID, MaxBatchID)
		}
		seen[it.BID] = true
	}
	raw, err := json.Marshal(map[string]any{"BatchItemRequest": items})
	if err != nil {
		return nil, fmt.Errorf("qbo: batch: %w", err)
	}
	call := fmt.Sprintf("batch of %d", len(items))
	q := url.Values{}
	if requestID != "" {
		q.Set("requestid", requestID)
	}
	a, err := c.call(ctx, call, http.MethodPost, "/batch", q, raw)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Items []map[string]json.RawMessage `json:"BatchItemResponse"`
	}
	if err := c.t.Decode(call, a.Body, &answer); err != nil {
		return nil, err
	}
	out := make(map[string]BatchResult, len(answer.Items))
	for _, m := range answer.Items {
		var r BatchResult
		for k, v := range m {
			switch k {
			case "bId":
				if err := json.Unmarshal(v, &r.BID); err != nil {
					return nil, c.t.Unexpected(call, a.Body, err)
				}
			case "Fault":
				r.Fault = &Fault{}
				if err := json.Unmarshal(v, r.Fault); err != nil {
					return nil, c.t.Unexpected(call, a.Body, err)
				}
			default:
				r.Entity, r.Raw = k, v
			}
		}
		out[r.BID] = r
	}
	return out, nil
}
