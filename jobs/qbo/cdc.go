package qbo

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// CDCLookBack is how far back change data capture reaches: an older changedSince is refused
// (400 "… older than fixed days is not supported"), so the caller reads everything instead.
const CDCLookBack = 30 * 24 * time.Hour

// CDCMaxObjects is the most objects one CDC answer holds; an answer that full may have left
// changes out, so the caller reads everything instead.
const CDCMaxObjects = 1000

// ChangedItems is what change data capture answered for Item.
type ChangedItems struct {
	Items   []Item   // created or updated at or after the time asked for
	Deleted []string // Ids of items deleted since then
}

// Full reports whether the answer held as many objects as CDC gives at most (some may be missing).
func (c ChangedItems) Full() bool { return len(c.Items)+len(c.Deleted) >= CDCMaxObjects }

// ChangedItemsSince asks change data capture for the items changed at or after since
// (GET /cdc?entities=Item&changedSince=…). A sale, refund receipt or credit memo updates the
// items on its lines (QtyOnHand), so they are in the answer too.
func (c *Client) ChangedItemsSince(ctx context.Context, since time.Time) (ChangedItems, error) {
	q := url.Values{"entities": {"Item"}, "changedSince": {since.UTC().Format(time.RFC3339)}}
	a, err := c.call(ctx, "cdc", http.MethodGet, "/cdc", q, nil)
	if err != nil {
		return ChangedItems{}, err
	}
	var answer struct {
		CDCResponse []struct {
			QueryResponse []struct {
				Item []struct {
					Item
					Status string `json:"status"`
				} `json:"Item"`
			} `json:"QueryResponse"`
		} `json:"CDCResponse"`
	}
	if err := c.t.Decode("cdc", a.Body, &answer); err != nil {
		return ChangedItems{}, err
	}
	if len(answer.CDCResponse) == 0 {
		return ChangedItems{}, c.t.Unexpected("cdc", a.Body, nil)
	}
	var out ChangedItems
	for _, r := range answer.CDCResponse {
		for _, qr := range r.QueryResponse {
			for _, it := range qr.Item {
				if it.Status == "Deleted" {
					out.Deleted = append(out.Deleted, it.ID)
					continue
				}
				out.Items = append(out.Items, it.Item)
			}
		}
	}
	return out, nil
}
