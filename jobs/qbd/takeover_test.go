package qbd_test

import (
	"context"
	"testing"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// batchKinds lists the kinds of the message sets handed to the session of ticket, in order.
func (w *world) batchKinds(ticket string) []string {
	w.t.Helper()
	var kinds []string
	err := dbtest.SQL(w.t).NewSelect().Model((*db.QBDBatch)(nil)).Column("kind").
		Where("connection_id = ? AND ticket = ?", w.conn.ID, ticket).OrderExpr("id").Scan(context.Background(), &kinds)
	if err != nil {
		w.t.Fatal(err)
	}
	return kinds
}

// After a lost answer the Web Connector's next session starts at once (no "busy" while the lost
// session would count as live), reconciles the lost message set with its grouped look-ups before
// anything else, and finishes the queue: every order once. The grace is production's, so nothing
// here waits for a lost message set to age.
func TestNewSessionStartsAtOnceAfterALostAnswer(t *testing.T) {
	w := newWorld(t, 10, 0)
	orders := w.enqueue(30)
	rep, err := w.webConnector(qbdsim.Faults{DropAfterApply: 2}).Run(context.Background())
	if !errorsIsDropped(err) || rep.InDoubt != 1 {
		t.Fatalf("first session: %v, in doubt %d; want the second answer lost", err, rep.InDoubt)
	}
	rep, err = w.webConnector(qbdsim.Faults{}).Run(context.Background())
	if err != nil || rep.Busy || !rep.Completed {
		t.Fatalf("session right after the lost answer: err %v, busy %v, completed %v, last error %q", err, rep.Busy, rep.Completed, rep.LastError)
	}
	if kinds := w.batchKinds(rep.Ticket); len(kinds) == 0 || kinds[0] != "reconcile" {
		t.Errorf("message sets of the new session: %v, want the reconciliation first", kinds)
	}
	w.assertExactlyOnce(orders)
}

// A Web Connector still delivering a message set when a second one takes the connection over:
// the newcomer's look-ups run before QuickBooks applied the set and find nothing, yet nothing is
// sent twice; the late receiveResponseXML for the old ticket settles the set.
func TestTakeoverWhileTheOldSetIsStillOnItsWay(t *testing.T) {
	w := newWorld(t, 10, 0)
	orders := w.enqueue(30)
	var second qbdsim.RunReport
	var secondErr error
	rep, err := w.webConnector(qbdsim.Faults{BeforeApply: func(n int, _ string) {
		if n == 2 { // the first sales, handed over and not yet in QuickBooks
			second, secondErr = w.webConnector(qbdsim.Faults{}).Run(context.Background())
		}
	}}).Run(context.Background())
	if secondErr != nil || second.Busy {
		t.Fatalf("second Web Connector: %v, busy %v", secondErr, second.Busy)
	}
	if err != nil {
		t.Fatalf("first Web Connector after the takeover: %v", err)
	}
	if rep.Completed || len(rep.Progress) != 2 || rep.Progress[1] != -1 {
		t.Errorf("first Web Connector's progress %v: want its late answer taken, then told its session ended", rep.Progress)
	}
	w.assertExactlyOnce(orders)
}

// The old Web Connector's answer comes after the newcomer already found the set's documents in
// QuickBooks: applying it changes nothing and posts nothing again.
func TestLateAnswerAfterReconciliation(t *testing.T) {
	w := newWorld(t, 10, 0)
	orders := w.enqueue(30)
	var secondErr error
	_, err := w.webConnector(qbdsim.Faults{BeforeReceive: func(n int) {
		if n == 2 {
			_, secondErr = w.webConnector(qbdsim.Faults{}).Run(context.Background())
		}
	}}).Run(context.Background())
	if err != nil || secondErr != nil {
		t.Fatalf("first %v, second %v", err, secondErr)
	}
	w.assertExactlyOnce(orders)
	var late int
	if err := dbtest.SQL(t).NewSelect().Model((*db.QBDBatch)(nil)).ColumnExpr("count(*)").
		Where("connection_id = ? AND kind = 'work' AND received_at IS NOT NULL AND outcome LIKE 'late answer%'", w.conn.ID).
		Scan(context.Background(), &late); err != nil {
		t.Fatal(err)
	}
	if late != 1 {
		t.Errorf("%d message sets settled by a late answer, want 1", late)
	}
}
