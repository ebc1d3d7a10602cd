package ssexport_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/jobs/jobstest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// A sale that changes in QuickBooks while its order is on its way to ShipStation — read and
// staged again by a Web Connector run during the push's call — is not lost: the push records
// the order it created and leaves the new version waiting, and the next push sends it. (Before,
// the push wrote back its stale copy of the row: the change was marked sent and never went.)
func TestChangeReadDuringPushIsSentNext(t *testing.T) {
	t.Parallel()
	r := newRig(t, orders.QuickBooksToShipStationSettings{Enabled: true})
	inv := between(r.qb(invoiceAttn), "TxnID")
	ctx := context.Background()
	if _, err := r.x.Start(ctx, r.Conn.AccountID, r.Conn.ID); err != nil {
		t.Fatal(err)
	}
	r.Run(qbdsim.Faults{})
	first := r.exportRow(shipstation.KeyInvoice, inv)
	if first.State != db.ExportPending {
		t.Fatalf("after the read: %q, want pending", first.State)
	}

	// The bookkeeper's change and the Web Connector run that reads it happen while the push's
	// createorders call is on the wire.
	client := jobstest.ShipStationClientDuring(func(req *http.Request) bool {
		return strings.EqualFold(req.URL.Path, "/orders/createorders")
	}, func() {
		time.Sleep(1100 * time.Millisecond) // QuickBooks keeps TimeModified to the second
		r.qb(`<InvoiceModRq><InvoiceMod><TxnID>` + inv + `</TxnID><EditSequence>` + first.ReadEditSequence + `</EditSequence><Memo>Leave at reception</Memo></InvoiceMod></InvoiceModRq>`)
		if _, err := r.x.Start(ctx, r.Conn.AccountID, r.Conn.ID); err != nil {
			t.Error(err)
		}
		r.Run(qbdsim.Faults{})
	})
	r.x.Client = func(_ context.Context, sc *db.StoreConnection) (*shipstation.Client, error) { return client(sc) }
	if _, err := r.x.Push(ctx, r.Conn.AccountID, r.sc.ID); err != nil {
		t.Fatal(err)
	}
	row := r.exportRow(shipstation.KeyInvoice, inv)
	if row.State != db.ExportPending || row.ReadEditSequence == first.ReadEditSequence || row.SSOrderID == nil {
		t.Fatalf("after the push: state %q, read edit sequence %q (first read %q), ShipStation order %v; want the change pending, the order recorded",
			row.State, row.ReadEditSequence, first.ReadEditSequence, row.SSOrderID)
	}
	o, ok := r.order(shipstation.KeyInvoice, inv)
	if !ok || o.InternalNotes != "" {
		t.Fatalf("ShipStation after the first push: %v, notes %q; want the order as first read", ok, o.InternalNotes)
	}

	res, err := r.x.Push(ctx, r.Conn.AccountID, r.sc.ID)
	if err != nil || res.Sent != 1 {
		t.Fatalf("second push: %+v, %v; want the change sent", res, err)
	}
	if o, _ := r.order(shipstation.KeyInvoice, inv); o.InternalNotes != "Leave at reception" {
		t.Errorf("ShipStation order notes %q, want the change", o.InternalNotes)
	}
	if row := r.exportRow(shipstation.KeyInvoice, inv); row.State != db.ExportSent || row.SentEditSequence != row.ReadEditSequence {
		t.Errorf("after the second push: %q, sent %q read %q", row.State, row.SentEditSequence, row.ReadEditSequence)
	}
	if n := len(r.ss.Orders()); n != 1 {
		t.Errorf("ShipStation holds %d orders, want 1", n)
	}
}
