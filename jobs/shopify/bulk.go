package shopify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// BulkWindow is the rule that picks a bulk operation over paged queries for a pull: a window
// of updates longer than this (or with no start: the shop's whole history) is a backfill —
// the first pull of a connection reaches 30 days back, a resync of a month — and goes through
// bulkOperationRunQuery, which reads every order of the window without Shopify's 1 000-point
// query limit (a paged query carries ~5 orders of our selection). The scheduled incremental
// pulls (minutes since the last one) stay paged: they return a few orders at once, where a
// bulk operation would add its polling and download for nothing, and only one bulk query may
// run per shop at a time.
const BulkWindow = 7 * 24 * time.Hour

// UseBulk applies BulkWindow to a window of updates [from, to) (a zero to means now).
func UseBulk(from, to time.Time, now time.Time) bool {
	if from.IsZero() {
		return true
	}
	if to.IsZero() {
		to = now
	}
	return to.Sub(from) > BulkWindow
}

const (
	// bulkPageSize is how many orders of a bulk result one page delivers.
	bulkPageSize = 250
	// maxBulkFile caps the result file (kept on disk, not in memory, while it is read).
	maxBulkFile = 4 << 30
	// maxBulkLine caps one line of it: one order, or one of its lines.
	maxBulkLine = 16 << 20
	// bulkPollFirst and bulkPollMax bound the wait between two reads of the operation's
	// status (doubling from the first).
	bulkPollFirst = 250 * time.Millisecond
	bulkPollMax   = 10 * time.Second
	// bulkBusyTries bounds how often a pull waits for another app's (or an earlier pull's)
	// bulk query to end before it gives up: Shopify runs one per shop (2025-01).
	bulkBusyTries = 3
)

// bulkConnection renders a nested connection of the order selection for a bulk query: no
// first (a bulk operation reads it whole) and __typename, so its nodes — lines of their own
// in the result — can be told apart.
func bulkConnection(name, fragment string) string {
	return fmt.Sprintf("%s { edges { node { __typename ...%s } } }", name, fragment)
}

// bulkOrderFields is orderFields with its nested connections as a bulk query has them. It keeps
// refundsSelection as it is: Order.refunds is a list field ([Refund!]!, not a connection), which
// a bulk query may select (its limits count connections only) and whose value comes inline on
// the order's line, so each order says whether it has refunds and readBulk completes those that
// do with refundsQuery, as the paged walk does.
var bulkOrderFields = func() string {
	f := orderFields
	for _, r := range []struct{ from, to string }{
		{fmt.Sprintf("lineItems(first: %d) { pageInfo { hasNextPage endCursor } nodes { ...Line } }", firstLines), bulkConnection("lineItems", "Line")},
		{fmt.Sprintf("shippingLines(first: %d) { pageInfo { hasNextPage endCursor } nodes { ...Shipping } }", firstShipping), bulkConnection("shippingLines", "Shipping")},
		{fmt.Sprintf("discountApplications(first: %d) { pageInfo { hasNextPage endCursor } nodes { ...Discount } }", firstDiscounts), bulkConnection("discountApplications", "Discount")},
	} {
		if !strings.Contains(f, r.from) {
			panic("shopify: bulk selection out of step with orderFields: " + r.from)
		}
		f = strings.Replace(f, r.from, r.to, 1)
	}
	return f
}()

// bulkOrdersQuery is the query a bulk operation runs for q's search.
func bulkOrdersQuery(search string) string {
	lit, _ := json.Marshal(search) // a JSON string is a GraphQL string literal
	return fmt.Sprintf("{\n  orders(query: %s, sortKey: UPDATED_AT) { edges { node { ...OrderFields } } }\n}\n%s", lit, bulkOrderFields)
}

const runBulkMutation = `mutation RunBulkOrders($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}`

const bulkStatusQuery = `query BulkStatus($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url } }
}`

const currentBulkQuery = `query CurrentBulk { currentBulkOperation { id status } }`

// bulkOperation is a BulkOperation as read.
type bulkOperation struct {
	ID          string  `json:"id"`
	Status      string  `json:"status"`
	ErrorCode   *string `json:"errorCode"`
	ObjectCount string  `json:"objectCount"`
	RootCount   string  `json:"rootObjectCount"`
	FileSize    *string `json:"fileSize"`
	URL         *string `json:"url"`
}

// BulkOrders walks every order matching q with one bulk operation: it starts the query
// (waiting for a bulk query already running on the shop to end, at most a few times), polls
// its status, downloads the JSONL result to a temporary file through the same transport rules
// as every call (storenet: dialer, retries, redaction; without the access token, which the
// signed URL does not need) and reassembles each order from its line and the lines of its line
// items, shipping lines and discount applications (__parentId); an order whose line lists
// refunds gets them read with refundsQuery, as in Orders' paged walk. fn gets pages of up to 250
// orders, as Orders delivers them: Raw has the same shape as a paged order's (nested
// connections as {nodes, pageInfo}), and an order Normalize refuses comes with Err set.
func (c *Client) BulkOrders(ctx context.Context, q Query, fn func(Page) error) error {
	op, err := c.startBulk(ctx, bulkOrdersQuery(searchQuery(q)))
	if err != nil {
		return err
	}
	done, err := c.waitBulk(ctx, op.ID)
	if err != nil {
		return err
	}
	if done.URL == nil || *done.URL == "" {
		return nil // nothing matched: Shopify writes no file
	}
	f, err := c.downloadBulk(ctx, done)
	if err != nil {
		return err
	}
	defer func() {
		_ = f.Close()
		_ = os.Remove(f.Name())
	}()
	return c.readBulk(ctx, f, done, fn)
}

// startBulk runs bulkOperationRunQuery with query.
func (c *Client) startBulk(ctx context.Context, query string) (*bulkOperation, error) {
	const call = "start bulk order query"
	for try := 1; ; try++ {
		var data struct {
			Run struct {
				Op         *bulkOperation `json:"bulkOperation"`
				UserErrors []struct {
					Field   []string `json:"field"`
					Message string   `json:"message"`
					Code    string   `json:"code"`
				} `json:"userErrors"`
			} `json:"bulkOperationRunQuery"`
		}
		if err := c.query(ctx, call, runBulkMutation, map[string]any{"query": query}, 10, &data); err != nil {
			return nil, err
		}
		run := data.Run
		if len(run.UserErrors) == 0 && run.Op != nil {
			c.log.Info("shopify: bulk order query started", "operation", run.Op.ID)
			return run.Op, nil
		}
		var msgs []string
		busy := false
		for _, e := range run.UserErrors {
			msgs = append(msgs, e.Message)
			busy = busy || e.Code == "OPERATION_IN_PROGRESS"
		}
		if !busy || try >= bulkBusyTries {
			e := c.net.NewError(call, ErrQuery, "Shopify refused the bulk query: "+strings.Join(msgs, "; "))
			if busy {
				e.Kind, e.Message = ErrStore, "another bulk query is still running on the shop (Shopify runs one at a time): "+strings.Join(msgs, "; ")
			}
			return nil, e
		}
		// Another bulk query (another app's, or a pull stopped half-way) holds the shop's
		// one slot: wait for it to end, then ask again.
		if err := c.waitCurrentBulk(ctx); err != nil {
			return nil, err
		}
	}
}

// waitCurrentBulk waits until the shop's current bulk query is no longer created or running.
func (c *Client) waitCurrentBulk(ctx context.Context) error {
	wait := bulkPollFirst
	for {
		var data struct {
			Current *bulkOperation `json:"currentBulkOperation"`
		}
		if err := c.query(ctx, "read the shop's current bulk query", currentBulkQuery, nil, 1, &data); err != nil {
			return err
		}
		if data.Current == nil || (data.Current.Status != "CREATED" && data.Current.Status != "RUNNING") {
			return nil
		}
		if err := c.net.Wait(ctx, wait); err != nil {
			return err
		}
		wait = min(2*wait, bulkPollMax)
	}
}

// waitBulk polls operation id until it ends; it returns the completed operation, or an error
// saying how it ended otherwise.
func (c *Client) waitBulk(ctx context.Context, id string) (*bulkOperation, error) {
	call := "wait for bulk order query " + legacyID(id)
	wait := bulkPollFirst
	for {
		var data struct {
			Node *bulkOperation `json:"node"`
		}
		if err := c.query(ctx, call, bulkStatusQuery, map[string]any{"id": id}, 1, &data); err != nil {
			return nil, err
		}
		op := data.Node
		if op == nil {
			return nil, c.net.NewError(call, ErrStore, "Shopify no longer knows the bulk query")
		}
		switch op.Status {
		case "COMPLETED":
			c.log.Info("shopify: bulk order query completed", "operation", id, "objects", op.ObjectCount, "orders", op.RootCount)
			return op, nil
		case "CREATED", "RUNNING":
		default: // FAILED, CANCELED, CANCELING, EXPIRED
			msg := "Shopify's bulk query ended " + strings.ToLower(op.Status)
			if op.ErrorCode != nil {
				msg += " (" + *op.ErrorCode + ")"
			}
			return nil, c.net.NewError(call, ErrStore, msg)
		}
		if err := c.net.Wait(ctx, wait); err != nil {
			return nil, err
		}
		wait = min(2*wait, bulkPollMax)
	}
}

// downloadBulk copies the result file of op into a temporary file, positioned at its start.
func (c *Client) downloadBulk(ctx context.Context, op *bulkOperation) (*os.File, error) {
	const call = "download bulk order query result"
	var size int64
	if op.FileSize != nil {
		_, _ = fmt.Sscan(*op.FileSize, &size)
	}
	if size > maxBulkFile {
		return nil, c.net.NewError(call, ErrStore, fmt.Sprintf("the result is %d bytes, more than Ledgerlink reads (%d); pull a shorter window", size, int64(maxBulkFile)))
	}
	u, err := url.Parse(*op.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, c.net.NewError(call, ErrStore, "Shopify gave a result URL that is not http(s)")
	}
	f, err := os.CreateTemp("", "ledgerlink-shopify-bulk-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("shopify: %s: %w", call, err)
	}
	// The file sits in storage outside the shop: its transport carries no access token, and
	// the URL's signature is redacted from errors and logs like a credential.
	files := &storenet.Transport{Service: "shopify", Peer: "Shopify's file storage", Place: "Shopify's file storage",
		HTTPClient: c.net.HTTPClient, Secrets: append(slices.Clone(c.net.Secrets), u.RawQuery, u.Path), Logger: c.net.Logger,
		Sleep: c.net.Sleep, MaxAttempts: c.net.MaxAttempts}
	read := func(body io.Reader) error {
		if err := f.Truncate(0); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		n, err := io.Copy(f, io.LimitReader(body, maxBulkFile+1))
		if err == nil && n > maxBulkFile {
			err = fmt.Errorf("the result is larger than %d bytes", int64(maxBulkFile))
		}
		return err
	}
	if _, err := files.Do(ctx, storenet.Request{Call: call, Method: http.MethodGet, URL: u.String(), Read: read}); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("shopify: %s: %w", call, err)
	}
	return f, nil
}

// bulkOrder is an order of a bulk result being reassembled.
type bulkOrder struct {
	node                       map[string]json.RawMessage
	lines, shipping, discounts []json.RawMessage
}

// readBulk reassembles the orders of a bulk result r and hands them to fn in pages; an order
// with refunds is completed by completeOrder (its refunds read with refundsQuery) before its
// page goes. A node's children follow it (Shopify groups them); a child whose parent is not
// among the orders of the page being built means the file is not what Ledgerlink expects, and
// the walk ends with an error rather than deliver orders without some of their lines.
func (c *Client) readBulk(ctx context.Context, r io.Reader, op *bulkOperation, fn func(Page) error) error {
	call := "read bulk order query result " + legacyID(op.ID)
	br := bufio.NewReaderSize(r, 1<<20)
	page := 1
	var pending []*bulkOrder
	byID := map[string]*bulkOrder{}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		out := Page{Number: page}
		for _, o := range pending {
			raw, err := o.assemble()
			if err != nil {
				return c.net.Unexpected(call, nil, err)
			}
			full, err := c.completeOrder(ctx, raw)
			if err != nil {
				return err
			}
			out.Orders = append(out.Orders, orders.Fetch(full, Normalize, identify))
		}
		pending, byID = nil, map[string]*bulkOrder{}
		page++
		return fn(out)
	}
	for lineNo := 1; ; lineNo++ {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return c.net.Unexpected(call, nil, fmt.Errorf("line %d: %w", lineNo, err))
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			return c.net.Unexpected(call, nil, fmt.Errorf("line %d is not a JSON object: %w", lineNo, err))
		}
		var parent string
		if p, ok := obj["__parentId"]; ok {
			_ = json.Unmarshal(p, &parent)
		}
		if parent == "" {
			if len(pending) >= bulkPageSize {
				if err := flush(); err != nil {
					return err
				}
			}
			var id string
			_ = json.Unmarshal(obj["id"], &id)
			o := &bulkOrder{node: obj}
			pending = append(pending, o)
			byID[id] = o
			continue
		}
		o := byID[parent]
		if o == nil {
			return c.net.Unexpected(call, nil, fmt.Errorf("line %d belongs to %s, which is not among the orders just read (the result is not grouped by order)", lineNo, parent))
		}
		var typ string
		_ = json.Unmarshal(obj["__typename"], &typ)
		delete(obj, "__parentId")
		switch typ {
		case "LineItem":
			delete(obj, "__typename") // the paged query does not select it
			o.lines = append(o.lines, mustJSON(obj))
		case "ShippingLine":
			delete(obj, "__typename")
			o.shipping = append(o.shipping, mustJSON(obj))
		case "DiscountCodeApplication", "AutomaticDiscountApplication", "ManualDiscountApplication", "ScriptDiscountApplication":
			o.discounts = append(o.discounts, mustJSON(obj))
		default:
			return c.net.Unexpected(call, nil, fmt.Errorf("line %d is a %q under order %s, which the query does not ask for", lineNo, typ, parent))
		}
	}
	return flush()
}

// readLine reads one line of at most maxBulkLine bytes, without its newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxBulkLine {
			return nil, fmt.Errorf("longer than %d bytes", maxBulkLine)
		}
		switch {
		case err == nil:
			return bytes.TrimRight(line, "\r\n"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return line, nil
		default:
			return nil, err
		}
	}
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v) // values decoded from JSON always encode
	return b
}

// assemble is the order node with its nested connections as a paged query returns them.
func (o *bulkOrder) assemble() (json.RawMessage, error) {
	conn := func(nodes []json.RawMessage) json.RawMessage {
		if nodes == nil {
			nodes = []json.RawMessage{}
		}
		return mustJSON(connection{Nodes: nodes})
	}
	o.node["lineItems"] = conn(o.lines)
	o.node["shippingLines"] = conn(o.shipping)
	o.node["discountApplications"] = conn(o.discounts)
	b, err := json.Marshal(o.node)
	if err != nil {
		return nil, fmt.Errorf("order node: %w", err)
	}
	return b, nil
}
