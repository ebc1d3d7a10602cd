package db_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

// TestRunInTxRetryingOutlivesADeadlock: two transactions lock two accounts in opposite orders.
// Postgres breaks the deadlock by failing one (40P01, Retryable); run with RunInTxRetrying,
// that one runs again and both finish. How often a run is failed depends on when each backend's
// deadlock check fires (a loaded machine saw a second deadlock in 2 of 16 runs), so the test
// asks for at least one run again, not exactly one.
func TestRunInTxRetryingOutlivesADeadlock(t *testing.T) {
	ctx := context.Background()
	d := dbtest.DB(t)
	a, b := &db.Account{Name: "deadlock a"}, &db.Account{Name: "deadlock b"}
	for _, acct := range []*db.Account{a, b} {
		if err := d.CreateAccount(ctx, acct); err != nil {
			t.Fatal(err)
		}
	}
	var runs atomic.Int64
	var sawDeadlock atomic.Bool
	// Both transactions hold their first lock before either asks for its second.
	var first sync.WaitGroup
	first.Add(2)
	lockBoth := func(one, two int64) func(ctx context.Context, tx bun.Tx) error {
		return func(ctx context.Context, tx bun.Tx) error {
			n := runs.Add(1)
			if _, err := tx.NewRaw("SELECT id FROM accounts WHERE id = ? FOR UPDATE", one).Exec(ctx); err != nil {
				return err
			}
			if n <= 2 {
				first.Done()
				first.Wait()
			}
			_, err := tx.NewRaw("SELECT id FROM accounts WHERE id = ? FOR UPDATE", two).Exec(ctx)
			if db.Retryable(err) {
				sawDeadlock.Store(true)
			}
			return err
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, order := range [][2]int64{{a.ID, b.ID}, {b.ID, a.ID}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = d.RunInTxRetrying(ctx, 5, lockBoth(order[0], order[1]))
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("transactions: %v, %v", errs[0], errs[1])
	}
	if !sawDeadlock.Load() || runs.Load() < 3 {
		t.Fatalf("deadlock seen %v, %d runs; want a deadlock and at least 3 runs (one run again)", sawDeadlock.Load(), runs.Load())
	}
}
