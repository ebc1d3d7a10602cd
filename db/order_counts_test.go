package db_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/uptrace/bun"
)

// countFixture is an account with orders on two store connections, stored through the
// pipeline's own insert.
func countFixture(t *testing.T, d *db.DB, perConn int) (acct int64, ids []int64) {
	t.Helper()
	ctx := context.Background()
	a := &db.Account{Name: fmt.Sprintf("counts %d", seq.Add(1))}
	if err := d.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	for conn := int64(1); conn <= 2; conn++ {
		for i := range perConn {
			norm, _ := json.Marshal(map[string]any{"customer": map[string]string{"firstName": "Ada", "lastName": fmt.Sprintf("Lovelace%d", i), "email": fmt.Sprintf("ada%d@example.com", i)}})
			o := &db.Order{AccountID: a.ID, ConnectionID: a.ID*10 + conn, Channel: "shopify", ExternalID: fmt.Sprint(i), Number: fmt.Sprintf("#%d-%d", conn, i),
				State: db.OrderPending, Raw: json.RawMessage(`{}`), Normalized: norm}
			if _, err := d.InsertStoreOrder(ctx, o); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, o.ID)
		}
	}
	return a.ID, ids
}

// countedByScan is the independent count: every order of acct grouped by state.
func countedByScan(t *testing.T, b *bun.DB, acct, conn int64) map[string]int {
	t.Helper()
	var rows []struct {
		State string
		N     int
	}
	q := b.NewSelect().TableExpr("orders").ColumnExpr("state, count(*) AS n").Where("account_id = ?", acct)
	if conn != 0 {
		q = q.Where("connection_id = ?", conn)
	}
	if err := q.GroupExpr("state").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out
}

func TestOrderCountsStayExactUnderConcurrentStateChanges(t *testing.T) {
	d, b := dbtest.DB(t), dbtest.SQL(t)
	ctx := context.Background()
	acct, ids := countFixture(t, d, 60)
	states := []string{db.OrderPending, db.OrderReady, db.OrderPosted, db.OrderError, db.OrderNeedsMapping}

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range 40 {
				err := d.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
					for range 1 + rng.IntN(4) {
						o := &db.Order{ID: ids[rng.IntN(len(ids))], AccountID: acct, State: states[rng.IntN(len(states))]}
						if err := db.UpdateOrder(ctx, tx, o, "state"); err != nil {
							return err
						}
					}
					if rng.IntN(3) == 0 { // a multi-row move, as the Web Connector's hand-over makes
						if err := db.MarkOrdersSent(ctx, tx, acct, ids[:len(ids)/2], "sent", time.Now()); err != nil {
							return err
						}
					}
					if rng.IntN(4) == 0 {
						return errRollback // a transaction that fails leaves the counts as they were
					}
					return nil
				})
				// Random rows in random order may deadlock: Postgres aborts one, another rollback.
				if err != nil && !errors.Is(err, errRollback) && !strings.Contains(err.Error(), "40P01") {
					errs <- err
					return
				}
				if rng.IntN(10) == 0 {
					if err := db.CompactOrderCounts(ctx, b, acct); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// One order deleted, one stored late.
	if _, err := b.NewDelete().TableExpr("orders").Where("id = ?", ids[0]).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for _, conn := range []int64{0, acct*10 + 1, acct*10 + 2} {
		got, err := d.CountOrdersByState(ctx, acct, conn)
		if err != nil {
			t.Fatal(err)
		}
		if want := countedByScan(t, b, acct, conn); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("connection %d: counts %v, orders say %v", conn, got, want)
		}
	}
	if err := db.CompactOrderCounts(ctx, b, acct); err != nil {
		t.Fatal(err)
	}
	got, _ := d.CountOrdersByState(ctx, acct, 0)
	if want := countedByScan(t, b, acct, 0); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after compaction: counts %v, orders say %v", got, want)
	}
	total := 0
	for _, n := range got {
		total += n
	}
	if total != len(ids)-1 {
		t.Errorf("total %d, want %d", total, len(ids)-1)
	}

	// Deleting the account takes its orders and counts with it.
	if _, err := b.NewDelete().TableExpr("accounts").Where("id = ?", acct).Exec(ctx); err != nil {
		t.Fatalf("delete account: %v", err)
	}
	var left int
	if err := b.NewSelect().TableExpr("order_count_deltas").ColumnExpr("count(*)").Where("account_id = ?", acct).Scan(ctx, &left); err != nil || left != 0 {
		t.Errorf("deltas left after the account went: %d (%v)", left, err)
	}
}

var errRollback = errors.New("roll back")

// TestListOrdersSearchesEMails: a search holding an e-mail's @ (issue 15: probed by the part
// before the @) finds exactly the orders whose number, names, company or e-mails hold it, in
// any case, wherever it stands in them.
func TestListOrdersSearchesEMails(t *testing.T) {
	d := dbtest.DB(t)
	ctx := context.Background()
	a := &db.Account{Name: fmt.Sprintf("e-mails %d", seq.Add(1))}
	if err := d.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, f := range []struct{ key, field, value string }{ // field: where the order holds value
		{"plain", "customer e-mail", "ada@example.com"},
		{"longer domain", "customer e-mail", "ada@example.com.au"},
		{"longer name", "customer e-mail", "grada@example.com"},
		{"capitals", "customer e-mail", "ADA.Smith@Example.COM"},
		{"bill-to only", "bill-to e-mail", "Ada@example.com"},
		{"company", "company", "Ada@Example.com Ltd"},
		{"other", "both e-mails", "bob@shop.example.org accounts@shop.example.org"},
	} {
		customer, billTo := map[string]string{"firstName": "Ada"}, map[string]string{}
		switch f.field {
		case "customer e-mail":
			customer["email"] = f.value
		case "bill-to e-mail":
			billTo["email"] = f.value
		case "company":
			billTo["company"] = f.value
		default:
			customer["email"], billTo["email"], _ = strings.Cut(f.value, " ")
		}
		norm, _ := json.Marshal(map[string]any{"customer": customer, "billTo": billTo})
		o := &db.Order{AccountID: a.ID, ConnectionID: a.ID * 10, Channel: "shopify", ExternalID: f.key, Number: "#" + f.key,
			State: db.OrderPending, Raw: json.RawMessage(`{}`), Normalized: norm}
		if _, err := d.InsertStoreOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		ids[f.key] = o.ID
	}
	ada := []string{"company", "bill-to only", "longer name", "longer domain", "plain"} // newest first
	for _, c := range []struct {
		search string
		want   []string
	}{
		{"ada@example.com", ada},
		{"ADA@EXAMPLE.COM", ada},
		{"ada@exa", ada},                              // the start of an address
		{"da@example.com", ada},                       // two characters before the @: the plain search
		{"rada@example.com", []string{"longer name"}}, // inside an address
		{"ada@example.com.au", []string{"longer domain"}},
		{"smith@example.com", []string{"capitals"}},
		{"ada.smith@", []string{"capitals"}},
		{"accounts@shop", []string{"other"}}, // the bill-to's own address
		{"@shop.example.org", []string{"other"}},
		{"bob@example.com", nil},
		{"ad_@example.com", nil}, // LIKE characters are literal
		{"a%a@example.com", nil},
	} {
		res, err := d.ListOrders(ctx, a.ID, db.OrderFilter{Search: c.search}, db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var got, want []int64
		for _, o := range res.Items {
			got = append(got, o.ID)
		}
		for _, k := range c.want {
			want = append(want, ids[k])
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || res.TotalCount != len(want) || res.TotalCountCapped {
			t.Errorf("search %q: %v (total %d), want %v %v", c.search, got, res.TotalCount, c.want, want)
		}
	}
}

// TestListOrdersPagesThroughACappedSearch: the pages of a search with more than CountCap matches
// hold every match once, newest first, those past the newest CountCap+1 as well.
func TestListOrdersPagesThroughACappedSearch(t *testing.T) {
	d, b := dbtest.DB(t), dbtest.SQL(t)
	ctx := context.Background()
	acct, _ := countFixture(t, d, 2)
	var want []int64
	err := b.NewRaw(`INSERT INTO orders (account_id, connection_id, channel, external_id, number, state, raw, normalized)
		SELECT ?, ?, 'shopify', 'many' || g, 'M' || g, 'posted', '{}', jsonb_build_object('customer', jsonb_build_object('lastName', CASE WHEN g % 3 = 0 THEN 'Manyfold' ELSE 'Other' END))
		FROM generate_series(1, ?) g RETURNING id`, acct, acct*10+1, 3*(db.CountCap+60)).Scan(ctx, &want)
	if err != nil {
		t.Fatal(err)
	}
	var matching []int64
	for i, id := range want { // g = i+1: every third row is a Manyfold
		if (i+1)%3 == 0 {
			matching = append([]int64{id}, matching...)
		}
	}
	var got []int64
	p := db.Page{Limit: 100}
	for pages := 0; ; pages++ {
		res, err := d.ListOrders(ctx, acct, db.OrderFilter{Search: "manyfold"}, p)
		if err != nil {
			t.Fatal(err)
		}
		if res.TotalCount != db.CountCap || !res.TotalCountCapped {
			t.Fatalf("page %d: total %d capped %v", pages, res.TotalCount, res.TotalCountCapped)
		}
		for _, o := range res.Items {
			got = append(got, o.ID)
		}
		if !res.HasNextPage || pages > 20 {
			break
		}
		p.AfterID = res.Items[len(res.Items)-1].ID
	}
	if fmt.Sprint(got) != fmt.Sprint(matching) {
		t.Fatalf("paged %d matches, want %d: first %v… want %v…", len(got), len(matching), got[:min(3, len(got))], matching[:3])
	}
}

func TestListOrdersSearchesColumnsAndCapsItsCount(t *testing.T) {
	d, b := dbtest.DB(t), dbtest.SQL(t)
	ctx := context.Background()
	acct, ids := countFixture(t, d, 3)
	for _, c := range []struct {
		search string
		want   []int64
	}{
		{"lovelace2", []int64{ids[5], ids[2]}},     // last name, both connections, newest first
		{"ADA1@EXAMPLE", []int64{ids[4], ids[1]}},  // e-mail, any case
		{"#2-0", []int64{ids[3]}},                  // order number
		{"ada lovelace0", []int64{ids[3], ids[0]}}, // first and last name together
		{"lovelace0\nada", nil},                    // never across two fields
		{"100%", nil},                              // LIKE characters are literal
	} {
		res, err := d.ListOrders(ctx, acct, db.OrderFilter{Search: c.search}, db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, o := range res.Items {
			got = append(got, o.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) || res.TotalCount != len(c.want) || res.TotalCountCapped {
			t.Errorf("search %q: %v (total %d, capped %v), want %v", c.search, got, res.TotalCount, res.TotalCountCapped, c.want)
		}
	}
	// Past CountCap matches the count stops and says so; the unfiltered total stays exact.
	_, err := b.NewRaw(`INSERT INTO orders (account_id, connection_id, channel, external_id, number, state, raw, normalized)
		SELECT ?, ?, 'shopify', 'bulk' || g, 'B' || g, 'posted', '{}', '{"customer":{"lastName":"Bulk"}}' FROM generate_series(1, ?) g`,
		acct, acct*10+1, db.CountCap+5).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.ListOrders(ctx, acct, db.OrderFilter{Search: "bulk"}, db.Page{Limit: 5})
	if err != nil || res.TotalCount != db.CountCap || !res.TotalCountCapped || len(res.Items) != 5 || !res.HasNextPage {
		t.Errorf("capped search: total %d capped %v rows %d next %v (%v)", res.TotalCount, res.TotalCountCapped, len(res.Items), res.HasNextPage, err)
	}
	res, err = d.ListOrders(ctx, acct, db.OrderFilter{}, db.Page{Limit: 5})
	if err != nil || res.TotalCount != len(ids)+db.CountCap+5 || res.TotalCountCapped {
		t.Errorf("unfiltered: total %d capped %v (%v), want %d exact", res.TotalCount, res.TotalCountCapped, err, len(ids)+db.CountCap+5)
	}
	res, err = d.ListOrders(ctx, acct, db.OrderFilter{State: db.OrderPosted, ConnectionID: acct*10 + 1}, db.Page{Limit: 5})
	if err != nil || res.TotalCount != db.CountCap+5 {
		t.Errorf("posted on connection 1: total %d (%v), want %d", res.TotalCount, err, db.CountCap+5)
	}
}
