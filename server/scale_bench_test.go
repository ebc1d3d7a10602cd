package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/graph/tsgen"
	"github.com/ledgerlink/ledgerlink/internal/benchtab"
	"github.com/ledgerlink/ledgerlink/server/auth"
	"github.com/uptrace/bun"
)

// The indexes of migrations 20261206300001 and 20261208300001 the baseline runs without (the
// counts' table and triggers stay: the baseline's SQL does not read them).
var scaleIndexes = []string{
	"CREATE INDEX orders_account_id_idx ON orders (account_id, id)",
	"CREATE INDEX orders_account_connection_idx ON orders (account_id, connection_id, id)",
	"CREATE INDEX orders_search_trgm_idx ON orders USING gin (search_text gin_trgm_ops)",
	"CREATE INDEX sync_logs_connection_idx ON sync_logs (account_id, connection_id, id) WHERE connection_id IS NOT NULL",
	"CREATE INDEX sync_logs_message_trgm_idx ON sync_logs USING gin (message gin_trgm_ops)",
	"CREATE INDEX sync_logs_hint_trgm_idx ON sync_logs USING gin (hint gin_trgm_ops)",
	"CREATE INDEX orders_account_created_idx ON orders (account_id, created_at) INCLUDE (connection_id)",
	"CREATE INDEX sync_logs_account_created_idx ON sync_logs (account_id, created_at) INCLUDE (level)",
	"CREATE INDEX sync_logs_errors_idx ON sync_logs (account_id, created_at) WHERE level = 'error'",
	"CREATE INDEX orders_needs_mapping_idx ON orders (account_id) INCLUDE (id, missing_skus) WHERE state = 'needs_mapping'",
}

// The indexes 20261208300001 replaced, as the baseline had them.
var replacedIndexes = []string{
	"CREATE INDEX orders_account_created_idx ON orders (account_id, created_at)",
	"CREATE INDEX sync_logs_account_created_idx ON sync_logs (account_id, created_at)",
}

// spaDocuments returns the GraphQL documents the SPA sends, by constant name (ORDERS_QUERY…),
// so that the benchmark times the requests the pages make, field for field.
func spaDocuments(b *testing.B) map[string]string {
	docs, err := tsgen.LoadDocuments("../frontend/src/graphql/*.ts")
	must(b, err)
	out := map[string]string{}
	for _, d := range docs {
		out[d.Const] = d.Text
	}
	return out
}

// scaleQuery is one GraphQL request of the Orders, order, dashboard or Logs pages, and the SQL
// the code before issue 15 ran for it (a page, then count(*) over every match).
type scaleQuery struct {
	name     string
	gql      string
	vars     map[string]any
	baseline []string // run in order with the account id as $1 and base args after it
	args     []any
}

// BenchmarkGraphQLAtScale seeds one account with N orders (2N audit events, N/5 log lines) in
// SQL, then times each page's GraphQL request (the SPA's own documents) through the real server
// (p50/p99) next to the statements the old code ran for it on the same rows without the new
// indexes and counters.
// N is 100 000 (so that make bench stays within minutes); BENCH_FULL=1 runs 1 000 000 (LEDGERLINK_BENCH_GQL_ORDERS sets any).
func BenchmarkGraphQLAtScale(b *testing.B) {
	n := benchtab.Size("LEDGERLINK_BENCH_GQL_ORDERS", 100_000, 1_000_000)
	reps := 60
	baseReps := 5
	ctx := context.Background()
	app, srv := newTestApp(b)
	u, pw := fixtureUser(b, app.DB, 0, db.RoleOwner)
	sqldb := dbtest.SQL(b)
	acct := u.AccountID

	dropIndexes := func(stmts []string) {
		for _, stmt := range stmts {
			mustExec(b, sqldb, "DROP INDEX IF EXISTS "+strings.Fields(stmt)[2])
		}
	}
	dropIndexes(scaleIndexes)
	for _, stmt := range replacedIndexes {
		mustExec(b, sqldb, stmt)
	}
	start := time.Now()
	seedScale(b, sqldb, acct, n)
	seedTook := time.Since(start)

	// Deep in the list: the page after 90 % of the orders; the searched-for rows: one order.
	var deepID, midID int64
	var midNumber, midEmail, midLast string
	must(b, sqldb.NewRaw(`SELECT id FROM orders WHERE account_id = ? ORDER BY id OFFSET ? LIMIT 1`, acct, n/10).Scan(ctx, &deepID))
	must(b, sqldb.NewRaw(`SELECT id, number, customer_email, normalized->'customer'->>'lastName' FROM orders WHERE account_id = ? ORDER BY id OFFSET ? LIMIT 1`,
		acct, n/2).Scan(ctx, &midID, &midNumber, &midEmail, &midLast))
	deepCursor := encodeBenchCursor(deepID)
	var errorLogMsgFragment = "refused by QuickBooks"

	docs := spaDocuments(b)
	ordersQ, logsQ := docs["ORDERS_QUERY"], docs["LOGS_QUERY"]
	page := func(vars map[string]any) map[string]any { // the SPA's lists ask for 25 rows
		out := map[string]any{"first": 25}
		maps.Copy(out, vars)
		return out
	}
	oldPage := `SELECT o.id, o.number, o.state, o.normalized, o.raw FROM orders o WHERE o.account_id = $1 %s ORDER BY o.id DESC LIMIT 26`
	oldCount := `SELECT count(*) FROM orders o WHERE o.account_id = $1 %s`
	oldSearch := `AND (o.number ILIKE $2 OR o.normalized->'customer'->>'lastName' ILIKE $2 OR o.normalized->'customer'->>'firstName' ILIKE $2 OR o.normalized->'billTo'->>'company' ILIKE $2)`
	orderQ := func(where string, args ...any) ([]string, []any) {
		return []string{fmt.Sprintf(oldPage, where), fmt.Sprintf(oldCount, where)}, args
	}
	logPage := `SELECT l.* FROM sync_logs l WHERE l.account_id = $1 %s ORDER BY l.id DESC LIMIT 26`
	logCount := `SELECT count(*) FROM sync_logs l WHERE l.account_id = $1 %s`
	logQ := func(where string, args ...any) ([]string, []any) {
		return []string{fmt.Sprintf(logPage, where), fmt.Sprintf(logCount, where)}, args
	}
	var qs []scaleQuery
	add := func(name, gql string, vars map[string]any, sqls []string, args []any) {
		if gql == ordersQ || gql == logsQ {
			vars = page(vars)
		}
		qs = append(qs, scaleQuery{name: name, gql: gql, vars: vars, baseline: sqls, args: args})
	}
	// The floor every request pays: HTTP, the session's look-up, GraphQL (no baseline).
	add("viewer (HTTP + session floor)", `query { viewer { account { name } } }`, nil, nil, nil)
	s, a := orderQ("")
	add("orders first page", ordersQ, nil, s, a)
	s, a = orderQ("AND o.id < $2", deepID)
	add("orders page at 90 %", ordersQ, map[string]any{"after": deepCursor}, s[:1], a)
	s[1] = fmt.Sprintf(oldCount, "") // the old code counted every order for a deep page too
	qs[len(qs)-1].baseline = s
	for _, st := range []string{"pending", "ready", "sent", "posted", "error", "needs_mapping", "skipped_duplicate", "excluded"} {
		s, a = orderQ("AND o.state = $2", st)
		add("orders state "+st, ordersQ, map[string]any{"filter": map[string]any{"state": strings.ToUpper(st)}}, s, a)
	}
	s, a = orderQ(oldSearch, "%"+midNumber+"%")
	add("orders search number", ordersQ, map[string]any{"filter": map[string]any{"search": midNumber}}, s, a)
	s, a = orderQ(oldSearch, "%"+midLast+"%")
	add("orders search customer name", ordersQ, map[string]any{"filter": map[string]any{"search": midLast}}, s, a)
	// E-mail was not searchable before: the baseline is the same JSON scan on the e-mail.
	s, a = orderQ(`AND o.normalized->'customer'->>'email' ILIKE $2`, "%"+midEmail+"%")
	add("orders search e-mail", ordersQ, map[string]any{"filter": map[string]any{"search": midEmail}}, s, a)
	emailStart := midEmail[:strings.IndexByte(midEmail, '@')+4] // "ada.lindberg500001@exa", as one types it
	s, a = orderQ(`AND o.normalized->'customer'->>'email' ILIKE $2`, "%"+emailStart+"%")
	add("orders search e-mail start", ordersQ, map[string]any{"filter": map[string]any{"search": emailStart}}, s, a)
	add("order detail + audit trail", docs["ORDER_QUERY"], map[string]any{"id": midID},
		[]string{`SELECT o.* FROM orders o WHERE o.id = $2 AND o.account_id = $1`,
			`SELECT oe.* FROM order_events oe WHERE oe.order_id = $2 AND oe.account_id = $1 ORDER BY oe.id`}, []any{midID})
	add("orders page with audit trails", `query { orders(first: 25) { edges { node { id events { id kind message } } } totalCount } }`, nil,
		append([]string{fmt.Sprintf(oldPage, ""), fmt.Sprintf(oldCount, "")}, slices.Repeat([]string{
			`SELECT oe.* FROM order_events oe WHERE oe.order_id = (SELECT max(id) FROM orders WHERE account_id = $1) AND oe.account_id = $1 ORDER BY oe.id`}, 25)...), nil)
	add("orderStateCounts", docs["ORDER_STATE_COUNTS_QUERY"], nil,
		[]string{`SELECT state, count(*) AS n FROM orders WHERE account_id = $1 GROUP BY state`}, nil)
	add("dashboard cards", docs["DASHBOARD_QUERY"], nil,
		[]string{`SELECT level, count(*) AS n FROM sync_logs WHERE account_id = $1 AND created_at >= now() - interval '24 hours' GROUP BY level`,
			`SELECT count(*) FROM api_keys WHERE account_id = $1 AND revoked_at IS NULL`}, nil)
	add("dashboard missing products", docs["DASHBOARD_MISSING_QUERY"], nil,
		[]string{`SELECT sku, count(*) AS orders, min(id) AS first_order_id FROM orders, unnest(missing_skus) AS sku
			WHERE account_id = $1 AND state = 'needs_mapping' GROUP BY sku ORDER BY count(*) DESC, sku`,
			`SELECT * FROM product_mappings WHERE account_id = $1`}, nil)
	// The stores' cards, 30 days of charts and the orders needing attention, in the merchant's zone.
	add("dashboard overview (30 days)", docs["OVERVIEW_QUERY"], map[string]any{"timeZone": "America/Chicago", "days": 30},
		[]string{`SELECT * FROM store_connections WHERE account_id = $1 ORDER BY id DESC LIMIT 101`,
			`WITH bounds AS (SELECT (date_trunc('day', now() AT TIME ZONE 'America/Chicago') AT TIME ZONE 'America/Chicago') AS today)
			SELECT o.connection_id, count(*) FILTER (WHERE o.created_at >= b.today) AS today, count(*) AS last7
			FROM orders o, bounds b WHERE o.account_id = $1 AND o.created_at >= b.today - interval '6 days' GROUP BY o.connection_id`,
			`SELECT connection_id, state, count(*) AS n FROM orders WHERE account_id = $1
			AND state IN ('error', 'needs_mapping', 'pending', 'ready', 'sent') GROUP BY connection_id, state`,
			`SELECT to_char(oe.created_at AT TIME ZONE 'America/Chicago', 'YYYY-MM-DD') AS day, o.connection_id, count(DISTINCT oe.order_id) AS n
			FROM order_events oe JOIN orders o ON o.id = oe.order_id WHERE oe.account_id = $1 AND oe.kind = 'quickbooks'
			AND oe.details->>'txnId' IS NOT NULL AND oe.created_at >= now() - interval '30 days' GROUP BY 1, 2`,
			`SELECT to_char(created_at AT TIME ZONE 'America/Chicago', 'YYYY-MM-DD') AS day, count(*) AS n FROM sync_logs
			WHERE account_id = $1 AND level = 'error' AND created_at >= now() - interval '30 days' GROUP BY 1`,
			`SELECT to_char(created_at AT TIME ZONE 'America/Chicago', 'YYYY-MM-DD') AS day, count(*) FILTER (WHERE outcome = 'pushed') AS ok,
			count(*) FILTER (WHERE outcome IN ('failed', 'mismatched')) AS failed FROM inventory_push_log
			WHERE account_id = $1 AND created_at >= now() - interval '30 days' GROUP BY 1`,
			`SELECT * FROM orders o WHERE o.account_id = $1 AND o.state IN ('error', 'needs_mapping') ORDER BY o.updated_at DESC, o.id DESC LIMIT 10`,
			`SELECT * FROM qbd_connections WHERE account_id = $1 ORDER BY id DESC LIMIT 101`}, nil)
	s, a = logQ("")
	add("logs first page", logsQ, nil, s, a)
	s, a = logQ("AND l.level = $2", "error")
	add("logs level error", logsQ, map[string]any{"filter": map[string]any{"level": "ERROR"}}, s, a)
	s, a = logQ("AND (l.message ILIKE $2 OR l.hint ILIKE $2)", "%"+midNumber+"%")
	add("logs search order number", logsQ, map[string]any{"filter": map[string]any{"search": midNumber}}, s, a)
	s, a = logQ("AND (l.message ILIKE $2 OR l.hint ILIKE $2)", "%"+errorLogMsgFragment+"%")
	add("logs search common words", logsQ, map[string]any{"filter": map[string]any{"search": errorLogMsgFragment}}, s, a)
	s, a = logQ("AND l.connection_id = $2", int64(2))
	add("logs connection", logsQ, map[string]any{"filter": map[string]any{"connectionId": 2}}, s, a)
	dayAgo, weekAgo := time.Now().Add(-8*24*time.Hour).UTC(), time.Now().Add(-7*24*time.Hour).UTC()
	s, a = logQ("AND l.level = $2 AND l.created_at >= $3 AND l.created_at < $4", "error", dayAgo, weekAgo)
	add("logs error, one day a week ago", logsQ, map[string]any{"filter": map[string]any{"level": "ERROR",
		"from": dayAgo.Format(time.RFC3339), "to": weekAgo.Format(time.RFC3339)}}, s, a)

	// The old code path: its statements, on the same rows, without the new indexes.
	must(b, exec(sqldb, "ANALYZE orders; ANALYZE order_events; ANALYZE sync_logs"))
	baseline := make([][]time.Duration, len(qs))
	for i, q := range qs {
		r := baseReps
		if len(q.baseline) == 0 {
			continue
		}
		if strings.Contains(q.name, "search") {
			r = 2 // a scan of every order's JSON: seconds each
		}
		for range r {
			t0 := time.Now()
			for _, stmt := range q.baseline {
				args := append([]any{acct}, q.args...)
				rows, err := sqldb.DB.QueryContext(ctx, stmt, args[:placeholders(stmt)]...)
				must(b, err)
				for rows.Next() { //nolint:revive // drain: the client reads every row
				}
				must(b, rows.Err())
				rows.Close()
			}
			baseline[i] = append(baseline[i], time.Since(t0))
		}
	}

	start = time.Now()
	dropIndexes(replacedIndexes)
	for _, stmt := range scaleIndexes {
		mustExec(b, sqldb, stmt)
	}
	indexTook := time.Since(start)
	for _, t := range []string{"orders", "order_events", "sync_logs"} { // autovacuum's work after a bulk load, done now
		mustExec(b, sqldb, "VACUUM ANALYZE "+t)
	}

	// Ours: each request through the real HTTP server, signed in as the SPA is.
	c := newBenchClient(b, srv.URL, u.Email, pw)
	ours := make([][]time.Duration, len(qs))
	for i, q := range qs {
		c.post(q.gql, q.vars) // warm: the first request of a shape parses and plans it
		for range reps {
			t0 := time.Now()
			c.post(q.gql, q.vars)
			ours[i] = append(ours[i], time.Since(t0))
		}
	}

	bench := fmt.Sprintf("GraphQL, %s orders in one account", benchtab.Count(n))
	note := fmt.Sprintf("%d runs; baseline: old SQL alone, %d runs (search 2)", reps, baseReps)
	if !benchtab.Full() {
		note += "; BENCH_FULL=1: 1 000 000"
	}
	fmt.Printf("\n%s (%s audit events, %s log lines); seeded in %s, new indexes built in %s\n",
		bench, benchtab.Count(2*n), benchtab.Count(n/5), seedTook.Round(time.Millisecond), indexTook.Round(time.Millisecond))
	fmt.Println("ours: the GraphQL request through the real HTTP server, signed in; old SQL: only the statements the")
	fmt.Println("code before issue 15 ran for it, without HTTP or GraphQL (so the ratio understates the gain)")
	fmt.Printf("%-34s %10s %10s %14s %14s %10s\n", "", "p50", "p99", "old SQL p50", "old SQL max", "p99 ratio")
	for i, q := range qs {
		p50, p99 := percentile(ours[i], 50), percentile(ours[i], 99)
		row := benchtab.Row{Bench: bench, Figure: q.name + " p99", Unit: "ms", Value: msf(p99), Better: benchtab.Lower, Note: note}
		if len(baseline[i]) == 0 {
			fmt.Printf("%-34s %10s %10s\n", q.name, ms(p50), ms(p99))
		} else {
			b50, b99 := percentile(baseline[i], 50), percentile(baseline[i], 100)
			row.Baseline = msf(b99)
			fmt.Printf("%-34s %10s %10s %14s %14s %9.1fx\n", q.name, ms(p50), ms(p99), ms(b50), ms(b99), float64(b99)/float64(p99))
		}
		benchtab.Report(b, row)
		note = ""
	}
	benchtab.Report(b, benchtab.Row{Bench: bench, Figure: "seed (generate_series)", Unit: "s", Value: seedTook.Seconds(), Better: benchtab.Lower})
}

// seedScale writes n orders of account acct over two years (states spread as a busy shop's are,
// customers from a thousand surnames, the orders waiting for a mapping naming their missing
// SKU), two audit events per order (received; then QuickBooks' posting with its TxnID for a
// posted order, a state change for the others) and a log line per five orders over the last 30
// days, in a few set-based statements.
func seedScale(b *testing.B, sqldb *bun.DB, acct int64, n int) {
	b.Helper()
	must(b, exec(sqldb, fmt.Sprintf(`
	INSERT INTO orders (account_id, connection_id, channel, external_id, number, state, state_reason, raw, normalized,
		total_cents, store_created_at, store_updated_at, created_at, updated_at, missing_skus)
	SELECT %[1]d, 1 + g %% 2, CASE WHEN g %% 2 = 0 THEN 'shopify' ELSE 'woocommerce' END, 'ext-' || g, '#' || (1000000 + g),
		CASE WHEN g %% 100 < 85 THEN 'posted' WHEN g %% 100 < 90 THEN 'excluded' WHEN g %% 100 < 93 THEN 'error'
			WHEN g %% 100 < 95 THEN 'needs_mapping' WHEN g %% 100 < 97 THEN 'ready' WHEN g %% 100 = 97 THEN 'sent'
			WHEN g %% 100 = 98 THEN 'pending' ELSE 'skipped_duplicate' END,
		'', jsonb_build_object('id', g, 'order_number', 1000000 + g, 'email', c.email, 'total_price', (g %% 50000) / 100.0),
		jsonb_build_object('number', '#' || (1000000 + g), 'currency', 'USD',
			'customer', jsonb_build_object('firstName', c.first, 'lastName', c.last, 'email', c.email),
			'billTo', jsonb_build_object('firstName', c.first, 'lastName', c.last, 'company', CASE WHEN g %% 7 = 0 THEN c.last || ' Trading' ELSE '' END),
			'lines', jsonb_build_array(jsonb_build_object('sku', 'SKU-' || (g %% 500), 'quantity', 1 + g %% 3, 'unitPrice', 1999))),
		g %% 50000, t.at, t.at, t.at, t.at,
		CASE WHEN g %% 100 BETWEEN 93 AND 94 THEN ARRAY['NEW-' || (g %% 40)] ELSE '{}' END
	FROM generate_series(1, %[2]d) g,
	LATERAL (SELECT now() - (%[2]d - g) * interval '730 days' / %[2]d AS at) t,
	LATERAL (SELECT f.first, l.last, lower(f.first || '.' || l.last || g || '@example.com') AS email
		FROM (SELECT (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','Ken','Margaret','Niklaus'])[1 + g %% 10] AS first) f,
		     (SELECT (ARRAY['Lind','Okaf','Marsh','Brenn','Castel','Dun','Ferr','Holm','Kovac','Nak','Oren','Pell','Quin','Rask','Sorr',
		        'Tamb','Varg','Wex','Yarb','Zell'])[1 + (g / 10) %% 20] ||
		        (ARRAY['berg','or','ton','ani','lano','more','eira','gren','sky','amura','stein','ard','lan','ova','ento',
		        'ridge','hall','well','ford','quist','mann','ez','ski','o','ley','ing','wood','field','by','croft',
		        'dale','hurst','wick','worth','sen','sson','ic','escu','ides','ou','ak','ek','ov','in','yn','as','is','us','um','ax'])[1 + (g / 200) %% 50] AS last) l) c`,
		acct, n)))
	must(b, exec(sqldb, fmt.Sprintf(`
	INSERT INTO order_events (order_id, account_id, kind, message, details, created_at)
	SELECT o.id, o.account_id, 'received', 'Pulled from the store: ' || o.number, NULL, o.created_at
	FROM orders o WHERE o.account_id = %[1]d
	UNION ALL
	SELECT o.id, o.account_id, CASE WHEN o.state = 'posted' THEN 'quickbooks' ELSE 'state' END,
		CASE WHEN o.state = 'posted' THEN 'Posted to QuickBooks as SalesReceipt ' || (1000 + o.id) || '-1700000000.' ELSE 'Now ' || o.state END,
		CASE WHEN o.state = 'posted' THEN jsonb_build_object('kind', 'order', 'statusCode', 0, 'txnId', (1000 + o.id) || '-1700000000') END,
		o.created_at + interval '1 minute'
	FROM orders o WHERE o.account_id = %[1]d`, acct)))
	must(b, exec(sqldb, fmt.Sprintf(`
	INSERT INTO sync_logs (account_id, connection_id, level, source, message, hint, created_at)
	SELECT %[1]d, 1 + g %% 2, CASE WHEN g %% 10 = 0 THEN 'error' WHEN g %% 10 < 3 THEN 'warning' ELSE 'info' END, 'orders',
		CASE WHEN g %% 10 = 0 THEN 'Order #' || (1000000 + 5 * g) || ' refused by QuickBooks: customer not found'
			WHEN g %% 10 < 3 THEN 'Order #' || (1000000 + 5 * g) || ' has a SKU with no QuickBooks item'
			ELSE 'Order #' || (1000000 + 5 * g) || ' posted to QuickBooks' END,
		CASE WHEN g %% 10 = 0 THEN 'Create the customer in QuickBooks or turn on Create customers, then resync.' END,
		now() - (%[2]d - g) * interval '30 days' / %[2]d
	FROM generate_series(1, %[2]d) g`, acct, n/5)))
}

// placeholders is the highest $n in stmt: lib/pq wants exactly that many arguments.
func placeholders(stmt string) int {
	n := 0
	for i := 1; i <= 9; i++ {
		if strings.Contains(stmt, fmt.Sprintf("$%d", i)) {
			n = i
		}
	}
	return n
}

func exec(sqldb *bun.DB, sql string) error {
	_, err := sqldb.ExecContext(context.Background(), sql)
	return err
}

func mustExec(b *testing.B, sqldb *bun.DB, sql string) {
	b.Helper()
	must(b, exec(sqldb, sql))
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

func encodeBenchCursor(id int64) string {
	// The API's cursor format, written out here so the benchmark does not import graph's.
	return strings.TrimRight(base64URL("cursor:"+fmt.Sprint(id)), "=")
}

func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

func ms(d time.Duration) string   { return fmt.Sprintf("%.1f ms", msf(d)) }
func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchClient is a signed-in SPA session (cookie + CSRF token) for benchmarks.
type benchClient struct {
	b    *testing.B
	base string
	http *http.Client
	csrf string
}

func newBenchClient(b *testing.B, base, email, password string) *benchClient {
	jar, _ := cookiejar.New(nil)
	c := &benchClient{b: b, base: base, http: &http.Client{Jar: jar}}
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := c.http.Post(base+"/auth/login", "application/json", bytes.NewReader(body))
	must(b, err)
	defer resp.Body.Close()
	var s struct{ CSRFToken string }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.CSRFToken == "" {
		b.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	c.csrf = s.CSRFToken
	return c
}

// post runs one GraphQL request and fails the benchmark on any error in the answer.
func (c *benchClient) post(query string, vars map[string]any) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(auth.CSRFHeader, c.csrf)
	resp, err := c.http.Do(req)
	must(c.b, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	var r struct {
		Errors []json.RawMessage
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(out, &r) != nil || len(r.Errors) > 0 {
		c.b.Fatalf("graphql %q: %d %s", query, resp.StatusCode, out)
	}
}

func base64URL(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
