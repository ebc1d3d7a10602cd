package shopifysim

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Bulk operations (API 2025-01): bulkOperationRunQuery runs a query over whole connections
// without paging or cost limits and leaves its result as a JSONL file at a URL; the app polls
// currentBulkOperation or node(id:) until the status is COMPLETED (or FAILED). One bulk query
// runs at a time per shop. The file has one line per node of each connection: the nodes of a
// nested connection are lines of their own carrying "__parentId", the id of their parent, and
// follow their parent (grouped). Shopify's limits on the query are checked: one top-level
// field, a connection, at most five connections, nested at most two levels, no top-level node
// or nodes, and every parent of a nested connection selects its id.

// bulkResultPath is where the result files are served (with the operation id and a token in
// the URL, like a signed storage URL: no access token is needed, or accepted, there).
const bulkResultPath = "/bulk-results/"

// bulkOp is one bulk query operation.
type bulkOp struct {
	id             int64
	query          string
	status         string // CREATED, RUNNING, COMPLETED, FAILED
	errorCode      string // FAILED only: INTERNAL_SERVER_ERROR, TIMEOUT, ACCESS_DENIED
	createdAt      time.Time
	completedAt    time.Time
	file           []byte
	objects, roots int64
	token          string
	base           string
	reads          int // status reads so far; the status moves on with them
	runningReads   int // reads answered RUNNING before it completes
	failWith       string
	partialObjects int64
}

func (bulkOp) gqlType() string { return "BulkOperation" }

// bulkState is the shop's bulk operations, guarded by its own lock: reading an operation's
// status moves it on, also from queries (which hold the shop's read lock only).
type bulkState struct {
	mu      sync.Mutex
	ops     map[int64]*bulkOp
	latest  *bulkOp
	fail    []string // error codes the next operations end with (FailNextBulk)
	running int      // Options.BulkRunningReads
}

// FailNextBulk makes the next bulk operation end FAILED with errorCode (INTERNAL_SERVER_ERROR,
// TIMEOUT or ACCESS_DENIED) instead of completing.
func (s *Server) FailNextBulk(errorCode string) {
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	s.bulk.fail = append(s.bulk.fail, errorCode)
}

// BulkOperations counts the bulk operations created so far.
func (s *Server) BulkOperations() int {
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	return len(s.bulk.ops)
}

// advance moves op on by one status read: CREATED → RUNNING (for runningReads reads, objects
// counted so far growing) → COMPLETED or FAILED.
func (op *bulkOp) advance(now time.Time) {
	if op.status != "CREATED" && op.status != "RUNNING" {
		return
	}
	op.reads++
	if op.reads <= op.runningReads {
		op.status = "RUNNING"
		op.partialObjects = op.objects * int64(op.reads) / int64(op.runningReads+1)
		return
	}
	op.completedAt = now
	if op.failWith != "" {
		op.status, op.errorCode = "FAILED", op.failWith
		return
	}
	op.status = "COMPLETED"
}

func bulkUserError(code, msg string, field ...string) map[string]any {
	var f any
	if len(field) > 0 {
		f = field
	}
	return map[string]any{"code": code, "message": msg, "field": f}
}

// runBulkQuery is the bulkOperationRunQuery mutation (the shop's write lock is held).
func (s *Server) runBulkQuery(x *execCtx, _ any, args map[string]any) (any, error) {
	q, _ := args["query"].(string)
	payload := func(op *bulkOp, errs ...map[string]any) (any, error) {
		ue := make([]any, len(errs))
		for i, e := range errs {
			ue[i] = e
		}
		var opv any
		if op != nil {
			opv = op
		}
		return map[string]any{"bulkOperation": opv, "userErrors": ue}, nil
	}
	s.bulk.mu.Lock()
	if l := s.bulk.latest; l != nil && (l.status == "CREATED" || l.status == "RUNNING") {
		s.bulk.mu.Unlock()
		return payload(nil, bulkUserError("OPERATION_IN_PROGRESS",
			fmt.Sprintf("A bulk query operation for this app and shop is already in progress: %s.", gid("BulkOperation", l.id))))
	}
	s.bulk.mu.Unlock()
	file, objects, roots, msg := s.bulkExecute(x, q)
	if msg != "" {
		return payload(nil, bulkUserError("INVALID", msg, "query"))
	}
	tok := make([]byte, 16)
	_, _ = rand.Read(tok)
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	op := &bulkOp{id: s.nextID("BulkOperation", 4_410_000_000_000), query: q, status: "CREATED", createdAt: x.now,
		file: file, objects: objects, roots: roots, token: hex.EncodeToString(tok), base: x.base, runningReads: s.bulk.running}
	if len(s.bulk.fail) > 0 {
		op.failWith, s.bulk.fail = s.bulk.fail[0], s.bulk.fail[1:]
	}
	if s.bulk.ops == nil {
		s.bulk.ops = map[int64]*bulkOp{}
	}
	s.bulk.ops[op.id] = op
	s.bulk.latest = op
	snap := *op
	return payload(&snap)
}

// bulkView reads op's status, moving it on, and returns a copy to resolve fields from.
func (s *Server) bulkView(op *bulkOp, now time.Time) *bulkOp {
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	op.advance(now)
	snap := *op
	return &snap
}

func (s *Server) resolveCurrentBulkOperation(x *execCtx, _ any, args map[string]any) (any, error) {
	if t, _ := args["type"].(string); t == "MUTATION" {
		return nil, nil // no bulk mutations are simulated, so none is current
	}
	s.bulk.mu.Lock()
	op := s.bulk.latest
	s.bulk.mu.Unlock()
	if op == nil {
		return nil, nil
	}
	return s.bulkView(op, x.now), nil
}

// resolveNode is node(id:) for the types the simulator serves by id: bulk operations.
func (s *Server) resolveNode(x *execCtx, _ any, args map[string]any) (any, error) {
	raw, _ := args["id"].(string)
	if strings.HasPrefix(raw, "gid://shopify/BulkOperation/") {
		id, err := globalID("BulkOperation", raw)
		if err != nil {
			return nil, err
		}
		s.bulk.mu.Lock()
		op := s.bulk.ops[id]
		s.bulk.mu.Unlock()
		if op == nil {
			return nil, nil
		}
		return s.bulkView(op, x.now), nil
	}
	if strings.HasPrefix(raw, "gid://shopify/") {
		return nil, &fieldError{msg: "node(id:) is simulated for BulkOperation ids only", ext: map[string]any{"code": "NOT_SIMULATED"}}
	}
	_, err := globalID("BulkOperation", raw) // Shopify's error for an id that is not a gid
	return nil, err
}

func (s *Server) bulkResolvers(reg func(string, map[string]resolver)) {
	op := func(f func(op *bulkOp) any) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return f(src.(*bulkOp)), nil }
	}
	reg("BulkOperation", map[string]resolver{
		"id":        op(func(o *bulkOp) any { return gid("BulkOperation", o.id) }),
		"status":    op(func(o *bulkOp) any { return o.status }),
		"type":      op(func(*bulkOp) any { return "QUERY" }),
		"query":     op(func(o *bulkOp) any { return o.query }),
		"createdAt": op(func(o *bulkOp) any { return o.createdAt }),
		"completedAt": op(func(o *bulkOp) any {
			if o.completedAt.IsZero() {
				return nil
			}
			return o.completedAt
		}),
		"errorCode": op(func(o *bulkOp) any {
			if o.errorCode == "" {
				return nil
			}
			return o.errorCode
		}),
		"objectCount": op(func(o *bulkOp) any {
			switch o.status {
			case "COMPLETED":
				return o.objects
			case "RUNNING", "FAILED":
				return o.partialObjects
			}
			return int64(0)
		}),
		"rootObjectCount": op(func(o *bulkOp) any {
			if o.status == "COMPLETED" {
				return o.roots
			}
			return int64(0)
		}),
		"fileSize": op(func(o *bulkOp) any {
			if o.status != "COMPLETED" || o.objects == 0 {
				return nil
			}
			return int64(len(o.file))
		}),
		"url": op(func(o *bulkOp) any {
			// Shopify gives no file for an operation that found nothing.
			if o.status != "COMPLETED" || o.objects == 0 {
				return nil
			}
			return o.base + bulkResultPath + fmt.Sprint(o.id) + "/" + o.token + ".jsonl"
		}),
		"partialDataUrl": op(func(*bulkOp) any { return nil }),
	})
	reg("BulkOperationRunQueryPayload", map[string]resolver{
		"bulkOperation": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			return src.(map[string]any)["bulkOperation"], nil
		},
		"userErrors": func(_ *execCtx, src any, _ map[string]any) (any, error) {
			return src.(map[string]any)["userErrors"], nil
		},
	})
	field := func(k string) resolver {
		return func(_ *execCtx, src any, _ map[string]any) (any, error) { return src.(map[string]any)[k], nil }
	}
	reg("BulkOperationUserError", map[string]resolver{"code": field("code"), "message": field("message"), "field": field("field")})
}

// requestBase is the scheme, host and mount prefix (when the simulator is served under a
// path, as in demo mode) the client reached r at.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	path := r.RequestURI
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	return scheme + "://" + r.Host + strings.TrimSuffix(path, r.URL.Path)
}

// serveBulkResult serves a completed operation's JSONL file to whoever has its URL.
func (s *Server) serveBulkResult(w http.ResponseWriter, r *http.Request) {
	var id int64
	_, _ = fmt.Sscan(r.PathValue("id"), &id)
	token := strings.TrimSuffix(r.PathValue("token"), ".jsonl")
	s.bulk.mu.Lock()
	op := s.bulk.ops[id]
	ok := op != nil && op.status == "COMPLETED" && op.token == token
	s.bulk.mu.Unlock()
	if !ok {
		// What a storage bucket answers for a wrong or expired signature.
		w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Access denied.</Message></Error>`))
		return
	}
	w.Header().Set("Content-Type", "application/jsonl")
	w.Header().Set("Content-Length", fmt.Sprint(len(op.file)))
	_, _ = w.Write(op.file)
}

// bulkExecute checks a bulk query against Shopify's limits, runs it over whole connections and
// returns its JSONL file, the number of lines and of top-level nodes; or, when the query is
// not acceptable, why (msg).
func (s *Server) bulkExecute(outer *execCtx, q string) (file []byte, objects, roots int64, msg string) {
	doc, err := parseDocument(q)
	if err != nil {
		return nil, 0, 0, "Invalid bulk query: " + err.Error()
	}
	x := &execCtx{srv: s, sch: s.sch, res: s.res, doc: doc, args: map[*fieldSel]map[string]any{},
		usedVar: map[string]bool{}, usedFrg: map[string]bool{}, now: outer.now, base: outer.base}
	if !x.selectOperation("") || !x.coerceVariables(nil) || !x.validate() {
		return nil, 0, 0, "Invalid bulk query: " + x.errs[0].Message
	}
	if x.op.kind != "query" {
		return nil, 0, 0, "Bulk queries must be queries, not mutations."
	}
	top := x.collectFields("QueryRoot", x.op.sel, nil, map[string]bool{})
	if len(top) != 1 {
		return nil, 0, 0, "Bulk queries must contain exactly one top-level field."
	}
	if n := top[0].fields[0].name; n == "node" || n == "nodes" {
		return nil, 0, 0, "Bulk queries cannot contain a top level `" + n + "` field."
	}
	fd := x.sch.types["QueryRoot"].fields[top[0].fields[0].name]
	if !isConnection(fd) {
		return nil, 0, 0, "Bulk queries must contain at least one connection."
	}
	shape := x.bulkShape(fd.typ.named(), top[0].sub(), 1)
	if shape.count > 5 {
		return nil, 0, 0, "Bulk queries cannot contain more than 5 connections."
	}
	if shape.depth > 2 {
		return nil, 0, 0, "Bulk queries cannot contain connections with a nesting depth greater than 2."
	}
	if shape.noID != "" {
		return nil, 0, 0, "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': " + shape.noID + "."
	}
	data, _ := x.execute()
	if len(x.errs) > 0 || data == nil {
		return nil, 0, 0, "Invalid bulk query: " + x.errs[0].Message
	}
	var buf bytes.Buffer
	conn, _ := data.vals[top[0].key].(*omap)
	w := &jsonlWriter{buf: &buf}
	for _, n := range connNodes(conn) {
		roots++
		w.node(shape.node, n, "")
	}
	if w.err != nil {
		return nil, 0, 0, "Internal error: " + w.err.Error()
	}
	return buf.Bytes(), w.lines, roots, ""
}

// bulkShapeOf is what bulkShape found under a connection: the connections counted (this one
// included), the deepest nesting, the first nested connection whose parent lacks its id, and the
// node type with its nested connections (by response key).
type bulkShapeOf struct {
	count, depth int
	noID         string
	node         *bulkNode
}

type bulkNode struct {
	typ      string
	children map[string]*bulkNode // response key of a nested connection → its node type
}

// bulkShape reads the selection sub of a connection of type connType at nesting depth.
func (x *execCtx) bulkShape(connType string, sub []selection, depth int) bulkShapeOf {
	nodeType := strings.TrimSuffix(connType, "Connection")
	out := bulkShapeOf{count: 1, depth: depth, node: &bulkNode{typ: nodeType, children: map[string]*bulkNode{}}}
	if x.sch.isAbstract(nodeType) {
		return out // nothing nested is read under interfaces here
	}
	var nodeSels []selection
	for _, c := range x.collectFields(connType, sub, nil, map[string]bool{}) {
		switch c.fields[0].name {
		case "nodes":
			nodeSels = append(nodeSels, c.sub()...)
		case "edges":
			for _, e := range x.collectFields(connType[:len(connType)-len("Connection")]+"Edge", c.sub(), nil, map[string]bool{}) {
				if e.fields[0].name == "node" {
					nodeSels = append(nodeSels, e.sub()...)
				}
			}
		}
	}
	hasID := false
	for _, c := range x.collectFields(nodeType, nodeSels, nil, map[string]bool{}) {
		if c.fields[0].name == "id" && c.key == "id" {
			hasID = true
		}
		fd := x.sch.types[nodeType].fields[c.fields[0].name]
		if fd == nil || !isConnection(fd) {
			continue
		}
		child := x.bulkShape(fd.typ.named(), c.sub(), depth+1)
		out.count += child.count
		out.depth = max(out.depth, child.depth)
		if out.noID == "" {
			out.noID = child.noID
		}
		out.node.children[c.key] = child.node
	}
	if len(out.node.children) > 0 && !hasID && out.noID == "" {
		out.noID = strings.Join(sortedKeys(out.node.children), ", ")
	}
	return out
}

// connNodes are the nodes of a connection's answer, from its edges or else its nodes.
func connNodes(conn *omap) []*omap {
	if conn == nil {
		return nil
	}
	var out []*omap
	if edges, ok := conn.vals["edges"].([]any); ok {
		for _, e := range edges {
			if em, ok := e.(*omap); ok {
				if n, ok := em.vals["node"].(*omap); ok {
					out = append(out, n)
				}
			}
		}
		return out
	}
	if nodes, ok := conn.vals["nodes"].([]any); ok {
		for _, n := range nodes {
			if nm, ok := n.(*omap); ok {
				out = append(out, nm)
			}
		}
	}
	return out
}

// jsonlWriter writes a node, then the nodes of its nested connections, each a line.
type jsonlWriter struct {
	buf   *bytes.Buffer
	lines int64
	err   error
}

func (w *jsonlWriter) node(shape *bulkNode, n *omap, parentID string) {
	line := newOmap()
	for _, k := range n.keys {
		if _, nested := shape.children[k]; !nested {
			line.set(k, n.vals[k])
		}
	}
	if parentID != "" {
		line.set("__parentId", parentID)
	}
	if err := marshalTo(w.buf, line); err != nil && w.err == nil {
		w.err = err
	}
	w.buf.WriteByte('\n')
	w.lines++
	id, _ := n.vals["id"].(string)
	for _, k := range n.keys {
		if child, nested := shape.children[k]; nested {
			conn, _ := n.vals[k].(*omap)
			for _, c := range connNodes(conn) {
				w.node(child, c, id)
			}
		}
	}
}
