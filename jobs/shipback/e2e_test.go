package shipback_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/jobstest"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipback"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

func TestMain(m *testing.M) { jobstest.Main(m) }

// rig is an account whose simulated QuickBooks Desktop company (behind our real SOAP route)
// sent sales to a simulated ShipStation, with a ShipStation connection writing shipments back.
type rig struct {
	*jobstest.QuickBooks
	t   *testing.T
	d   *db.DB
	svc *shipback.Service
	ss  *shipstationsim.Server
	sc  *db.StoreConnection
}

func newRig(t *testing.T, set orders.QuickBooksToShipStationSettings) *rig {
	t.Helper()
	d := dbtest.DB(t)
	q := jobstest.NewQuickBooks(t, d, dbtest.Account(t, d).ID)
	r := &rig{QuickBooks: q, t: t, d: d}
	// Webhook retries milliseconds apart instead of minutes.
	r.ss, r.sc = q.ShipStation(d, shipstationsim.Options{WebhookRetryDelays: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond,
		50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second}}, set)
	r.svc = &shipback.Service{DB: d, Engine: q.Engine, Sealer: dbtest.Sealer(t),
		Client: jobstest.ShipStationClient}
	r.svc.Register(q.Engine)
	return r
}

// qb posts one request to the company as someone at the QuickBooks PC would, and returns the
// TxnID of what it created or changed.
func (r *rig) qb(rq string) string {
	r.t.Helper()
	_, rest, _ := strings.Cut(r.QB(rq), "<TxnID>")
	id, _, _ := strings.Cut(rest, "</TxnID>")
	return id
}

// sale enters a sale by hand in QuickBooks and sends it to ShipStation as the QuickBooks →
// ShipStation direction does (an order keyed llqb-<company>-<type>-<TxnID>), recording it as
// sent. It returns the sale's TxnID and the ShipStation order.
func (r *rig) sale(typ, ref string) (string, shipstationsim.Order) {
	r.t.Helper()
	lines := `<%[1]sLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>2</Quantity></%[1]sLineAdd>` +
		`<%[1]sLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>1</Quantity></%[1]sLineAdd>`
	txnID := r.qb(fmt.Sprintf(`<%[1]sAddRq><%[1]sAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><RefNumber>%[2]s</RefNumber><Memo>Phone order</Memo>`+
		lines+`</%[1]sAdd></%[1]sAddRq>`, typ, ref))
	key := map[string]string{"SalesReceipt": shipstation.KeySalesReceipt, "Invoice": shipstation.KeyInvoice, "SalesOrder": shipstation.KeySalesOrder}[typ]
	street, city, widget := "1 Main St", "Springfield", "Widget"
	o, err := r.ss.AddOrder(shipstationsim.Order{OrderNumber: ref, OrderKey: shipstation.QuickBooksOrderKey(r.Conn.ID, key, txnID),
		OrderDate: "2026-12-05T09:00:00.0000000", OrderStatus: shipstationsim.StatusAwaitingShipment,
		BillTo: &shipstationsim.Address{Name: "Jane Doe"}, ShipTo: &shipstationsim.Address{Name: "Jane Doe", Street1: &street, City: &city},
		Items: []shipstationsim.Item{{Name: "Widget", SKU: &widget, Quantity: 2, UnitPrice: 19.99}}})
	if err != nil {
		r.t.Fatal(err)
	}
	if err := db.SaveShipStationExport(context.Background(), dbtest.SQL(r.t), &db.ShipStationExport{AccountID: r.sc.AccountID,
		StoreConnectionID: r.sc.ID, QBDConnectionID: r.Conn.ID, TxnType: key, TxnID: txnID, RefNumber: ref,
		OrderKey: o.OrderKey, SSStoreID: shipstationsim.ManualStoreID, SSOrderID: &o.OrderID, SSStatus: o.OrderStatus, State: db.ExportSent}); err != nil {
		r.t.Fatal(err)
	}
	return txnID, o
}

func (r *rig) poll() shipback.Summary {
	r.t.Helper()
	sum, err := r.svc.Poll(context.Background(), r.sc.AccountID, r.sc.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return sum
}

func (r *rig) runWebConnector(f qbdsim.Faults) { r.t.Helper(); r.Run(f) }

func (r *rig) txn(id string) qbdsim.Txn {
	r.t.Helper()
	tx, err := r.Company.Txn(id)
	if err != nil {
		r.t.Fatal(err)
	}
	return tx
}

// rows returns the shipments back by ShipStation id.
func (r *rig) rows() map[int64]db.ShipBack {
	r.t.Helper()
	res, err := r.d.ListShipBacks(context.Background(), r.sc.AccountID, db.ShipBackFilter{StoreConnectionID: r.sc.ID}, db.Page{Limit: 100})
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[int64]db.ShipBack{}
	for _, row := range res.Items {
		out[row.SourceID] = row
	}
	return out
}

// shippingLines returns the sale's lines of item Shipping as "amount desc".
func shippingLines(tx qbdsim.Txn) []string {
	var out []string
	for _, l := range tx.Lines {
		if l.ItemFullName == "Shipping" {
			out = append(out, fmt.Sprintf("%.2f %s", l.Amount, l.Desc))
		}
	}
	return out
}

var both = orders.QuickBooksToShipStationSettings{Enabled: true, AddTracking: true, AddShippingCost: true}

// Labels, an order marked shipped elsewhere and voids, each announced by the webhook and by
// polls more than once, reach the QuickBooks sales exactly once: tracking in the memo with
// the ship date and ship method, the label's cost as a Shipping line.
func TestShipmentsReachQuickBooksSalesOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t, both)
	srID, srOrder := r.sale("SalesReceipt", "S-100")
	invID, invOrder := r.sale("Invoice", "I-200")
	soID, soOrder := r.sale("SalesOrder", "SO-300")
	laterID, laterOrder := r.sale("SalesReceipt", "S-400")
	// A ShipStation order that did not come from QuickBooks is none of our business.
	street := "2 Elm St"
	if _, err := r.ss.AddOrder(shipstationsim.Order{OrderNumber: "AMZ-1", OrderKey: "amazon-1", OrderDate: "2026-12-05T09:00:00.0000000",
		OrderStatus: shipstationsim.StatusAwaitingShipment, BillTo: &shipstationsim.Address{Name: "X"}, ShipTo: &shipstationsim.Address{Name: "X", Street1: &street}}); err != nil {
		t.Fatal(err)
	}
	others, _ := r.ss.OrderByKey("amazon-1")

	label, err := r.ss.Ship(srOrder.OrderID, "ups", "ups_ground", "1Z999AA10123456784", 12.34)
	if err != nil {
		t.Fatal(err)
	}
	ful, err := r.ss.MarkShippedExternally(invOrder.OrderID, "fedex", "794612345678")
	if err != nil {
		t.Fatal(err)
	}
	voided, _ := r.ss.Ship(soOrder.OrderID, "stamps_com", "usps_priority_mail", "9400111899562537866361", 8.10)
	if err := r.ss.VoidShipment(voided.ShipmentID); err != nil {
		t.Fatal(err)
	}
	late, _ := r.ss.Ship(laterOrder.OrderID, "ups", "ups_2nd_day_air", "1Z999AA10123456799", 21.00)
	if _, err := r.ss.Ship(others.OrderID, "ups", "ups_ground", "", 5); err != nil {
		t.Fatal(err)
	}

	sum := r.poll()
	if sum.New != 3 || sum.Voided != 1 || sum.NotFromQuickBooks != 1 {
		t.Fatalf("first poll: %+v, want 3 new, 1 voided, 1 not from QuickBooks", sum)
	}
	// Announced again before QuickBooks was reached: by the webhook's resource_url and a poll.
	resource := fmt.Sprintf("%s/shipments?storeID=%d&batchId=%s&includeShipmentItems=False", r.sc.BaseURL, shipstationsim.ManualStoreID, *label.BatchNumber)
	if _, err := r.svc.Notified(context.Background(), r.sc.AccountID, r.sc.ID, resource); err != nil {
		t.Fatal(err)
	}
	if again := r.poll(); again.New != 0 {
		t.Fatalf("second poll found %d new shipments, want 0", again.New)
	}
	r.runWebConnector(qbdsim.Faults{})

	sr := r.txn(srID)
	wantMemo := "Shipped " + label.ShipDate[:10] + " via UPS ups_ground, tracking 1Z999AA10123456784 [ShipStation shipment " + fmt.Sprint(label.ShipmentID) + "]; Phone order"
	if sr.Memo != wantMemo || sr.ShipMethod != "UPS" || sr.ShipDate != label.ShipDate[:10] {
		t.Errorf("sales receipt header: memo %q ship method %q date %q\nwant memo %q, UPS, %s", sr.Memo, sr.ShipMethod, sr.ShipDate, wantMemo, label.ShipDate[:10])
	}
	if got, want := shippingLines(sr), []string{fmt.Sprintf("12.34 Shipping UPS ups_ground [ShipStation shipment %d]", label.ShipmentID)}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sales receipt shipping lines %q, want %q", got, want)
	}
	if len(sr.Lines) != 3 || sr.TotalAmount != 2*19.99+49+12.34 {
		t.Errorf("sales receipt lines %+v total %.2f, want the two item lines kept and the shipping line (total %.2f)", sr.Lines, sr.TotalAmount, 2*19.99+49+12.34)
	}
	inv := r.txn(invID)
	if !strings.HasPrefix(inv.Memo, "Shipped ") || !strings.Contains(inv.Memo, "via FedEx, tracking 794612345678 [ShipStation fulfillment "+fmt.Sprint(ful.FulfillmentID)+"]") ||
		inv.ShipMethod != "FedEx" || len(shippingLines(inv)) != 0 {
		t.Errorf("invoice: memo %q ship method %q shipping lines %v; want FedEx tracking and no cost line (a fulfillment has no label cost)", inv.Memo, inv.ShipMethod, shippingLines(inv))
	}
	if so := r.txn(soID); so.Memo != "Phone order" || so.ShipDate != "" || len(so.Lines) != 2 {
		t.Errorf("sales order of a voided label was changed: %+v", so)
	}
	rows := r.rows()
	for id, want := range map[int64]string{label.ShipmentID: db.ShipBackApplied, ful.FulfillmentID: db.ShipBackApplied,
		voided.ShipmentID: db.ShipBackVoided, late.ShipmentID: db.ShipBackApplied} {
		if rows[id].Status != want {
			t.Errorf("shipment %d: %s (%s), want %s", id, rows[id].Status, rows[id].Message, want)
		}
	}

	// Announced again after it was applied: nothing new is queued or written.
	if again := r.poll(); again.New != 0 {
		t.Fatalf("poll after applying found %d new", again.New)
	}
	r.runWebConnector(qbdsim.Faults{})
	if got := shippingLines(r.txn(srID)); len(got) != 1 {
		t.Errorf("sales receipt has %d shipping lines after a re-announcement, want 1", len(got))
	}

	// A label voided after it was written is logged; QuickBooks is not changed back.
	before := r.txn(laterID)
	if err := r.ss.VoidShipment(late.ShipmentID); err != nil {
		t.Fatal(err)
	}
	if sum := r.poll(); sum.VoidedAfterApply != 1 {
		t.Fatalf("poll after the void: %+v, want 1 voided after apply", sum)
	}
	if after := r.txn(laterID); after.EditSequence != before.EditSequence {
		t.Errorf("the sale was changed after its label was voided")
	}
	if row := r.rows()[late.ShipmentID]; row.Status != db.ShipBackApplied || row.VoidedAt == nil || !strings.Contains(row.Message, "voided") {
		t.Errorf("voided-after-apply row: %+v", row)
	}
	logs, err := r.d.ListLogs(context.Background(), r.sc.AccountID, db.LogFilter{Search: "voided in ShipStation after"}, db.Page{Limit: 10})
	if err != nil || len(logs.Items) != 1 || logs.Items[0].Level != db.LevelWarning {
		t.Errorf("want one warning about the late void, got %+v (%v)", logs.Items, err)
	}
}

// A Web Connector whose answer to the change is lost, and a sale edited by hand between our
// read and our change (QuickBooks answers 3200), still end with the shipment in the sale
// once: the sale is read again and the mark of the shipment decides.
func TestLostAnswerAndStaleEditSequence(t *testing.T) {
	t.Parallel()
	r := newRig(t, both)
	lostID, lostOrder := r.sale("SalesReceipt", "S-500")
	staleID, staleOrder := r.sale("Invoice", "I-600")
	lostLabel, _ := r.ss.Ship(lostOrder.OrderID, "fedex", "fedex_ground", "", 9.99)
	if r.poll().New != 1 {
		t.Fatal("want one new shipment")
	}
	// Message set 1 reads the sale, 2 is the change: QuickBooks applies it, its answer is lost.
	r.runWebConnector(qbdsim.Faults{DropAfterApply: 2})
	lost := r.txn(lostID)
	if got := shippingLines(lost); len(got) != 1 || !strings.Contains(lost.Memo, fmt.Sprintf("[ShipStation shipment %d]", lostLabel.ShipmentID)) {
		t.Fatalf("after a lost answer: shipping lines %q memo %q, want exactly one of each", got, lost.Memo)
	}
	if strings.Count(lost.Memo, "ShipStation shipment") != 1 {
		t.Errorf("memo written twice: %q", lost.Memo)
	}
	if row := r.rows()[lostLabel.ShipmentID]; row.Status != db.ShipBackApplied || row.Reads != 2 {
		t.Errorf("lost answer row: %s reads %d (%s), want applied after a second read", row.Status, row.Reads, row.Message)
	}

	staleLabel, _ := r.ss.Ship(staleOrder.OrderID, "ups", "ups_ground", "1Z999AA10123456700", 15.00)
	if r.poll().New != 1 {
		t.Fatal("want one new shipment")
	}
	// Someone adds a line to the invoice while the Web Connector carries our change: a change
	// re-applied blind on the new EditSequence would delete that line.
	edited := false
	r.runWebConnector(qbdsim.Faults{BeforeApply: func(n int, msg string) {
		if edited || !strings.Contains(msg, "<InvoiceModRq") {
			return
		}
		edited = true
		inv, _ := r.Company.Txn(staleID)
		r.qb(`<InvoiceModRq><InvoiceMod><TxnID>` + staleID + `</TxnID><EditSequence>` + inv.EditSequence + `</EditSequence>` +
			`<InvoiceLineMod><TxnLineID>` + inv.Lines[0].TxnLineID + `</TxnLineID></InvoiceLineMod>` +
			`<InvoiceLineMod><TxnLineID>` + inv.Lines[1].TxnLineID + `</TxnLineID></InvoiceLineMod>` +
			`<InvoiceLineMod><TxnLineID>-1</TxnLineID><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>1</Quantity></InvoiceLineMod>` +
			`</InvoiceMod></InvoiceModRq>`)
	}})
	if !edited {
		t.Fatal("the change never reached QuickBooks")
	}
	inv := r.txn(staleID)
	var items []string
	for _, l := range inv.Lines {
		items = append(items, l.ItemFullName)
	}
	if fmt.Sprint(items) != "[Widget Gadget Gizmo Deluxe Shipping]" {
		t.Errorf("invoice lines after the 3200: %v, want the hand-added Gizmo Deluxe kept and one Shipping line", items)
	}
	if row := r.rows()[staleLabel.ShipmentID]; row.Status != db.ShipBackApplied || row.Reads != 2 {
		t.Errorf("stale row: %s reads %d (%s), want applied after a second read", row.Status, row.Reads, row.Message)
	}
}

// ShipStation's SHIP_NOTIFY first finds Ledgerlink down (the connection drops), then failing
// (500); ShipStation retries and the delivery that gets through brings the label into the
// QuickBooks sale exactly once — the polls that see the same label change nothing.
func TestShipNotifyRetriedAfterRefusal(t *testing.T) {
	t.Parallel()
	r := newRig(t, both)
	ctx := context.Background()
	var mu sync.Mutex
	var attempts, newShipments int
	up := false
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		attempts++
		first, down := attempts == 1, !up
		mu.Unlock()
		switch {
		case first: // Ledgerlink is down: the connection drops unanswered
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		case down: // up, but failing
			http.Error(w, "try again later", http.StatusInternalServerError)
			return
		}
		// Up again: what the server's route and its worker do with a delivery.
		var note shipstation.Notification
		if err := json.NewDecoder(req.Body).Decode(&note); err != nil || r.svc.CheckResource(ctx, r.sc, note.ResourceURL) != nil {
			http.Error(w, "bad delivery", http.StatusUnprocessableEntity)
			return
		}
		sum, err := r.svc.Notified(ctx, r.sc.AccountID, r.sc.ID, note.ResourceURL)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		newShipments += sum.New
		mu.Unlock()
	}))
	t.Cleanup(receiver.Close)
	r.svc.PublicURL = receiver.URL

	srID, srOrder := r.sale("SalesReceipt", "S-700")
	if sum := r.poll(); sum.New != 0 { // registers the webhook
		t.Fatalf("first poll: %+v", sum)
	}
	label, err := r.ss.Ship(srOrder.OrderID, "ups", "ups_ground", "1Z999AA10123456711", 6.25)
	if err != nil {
		t.Fatal(err)
	}
	r.ss.FlushWebhooks()
	if d := r.ss.WebhookDeliveries(); len(d) == 0 || d[0].Err == nil {
		t.Fatalf("first SHIP_NOTIFY: %+v, want a dropped delivery", d)
	}
	// Ledgerlink comes back once ShipStation has also met a 500.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		d := r.ss.WebhookDeliveries()
		if d[len(d)-1].Status == http.StatusInternalServerError {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no retry after the dropped delivery: %+v", d)
		}
	}
	if rows := r.rows(); len(rows) != 0 {
		t.Fatalf("refused deliveries recorded %d shipments", len(rows))
	}
	mu.Lock()
	up = true
	mu.Unlock()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := r.ss.WaitWebhooks(wctx); err != nil {
		t.Fatal(err)
	}
	d := r.ss.WebhookDeliveries()
	if last := d[len(d)-1]; !last.Delivered() || last.Attempt != len(d) {
		t.Fatalf("SHIP_NOTIFY attempts %+v, want the last one delivered", d)
	}
	for _, a := range d[:len(d)-1] {
		if a.Delivered() {
			t.Fatalf("SHIP_NOTIFY attempts %+v: delivered before Ledgerlink was up", d)
		}
	}
	if newShipments != 1 {
		t.Fatalf("the retried delivery recorded %d new shipments, want 1", newShipments)
	}
	if again := r.poll(); again.New != 0 {
		t.Fatalf("poll after the webhook found %d new", again.New)
	}
	r.runWebConnector(qbdsim.Faults{})
	if again := r.poll(); again.New != 0 {
		t.Fatalf("poll after applying found %d new", again.New)
	}
	r.runWebConnector(qbdsim.Faults{})
	sr := r.txn(srID)
	mark := fmt.Sprintf("[ShipStation shipment %d]", label.ShipmentID)
	if got, want := shippingLines(sr), []string{"6.25 Shipping UPS ups_ground " + mark}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("shipping lines %q, want %q", got, want)
	}
	if strings.Count(sr.Memo, mark) != 1 || !strings.Contains(sr.Memo, "tracking 1Z999AA10123456711") {
		t.Errorf("memo %q, want the tracking number once", sr.Memo)
	}
	if rows := r.rows(); len(rows) != 1 || rows[label.ShipmentID].Status != db.ShipBackApplied {
		t.Errorf("rows %+v, want the label alone, applied", rows)
	}
}

// The list of sales sent follows what ShipStation did with each order: a label or a
// fulfillment shows it shipped (and a later change in QuickBooks is not sent to a shipped
// order, which ShipStation would refuse); a label voided shows it awaiting shipment again.
func TestShipmentsMarkSentSalesShipped(t *testing.T) {
	t.Parallel()
	r := newRig(t, both)
	ctx := context.Background()
	_, srOrder := r.sale("SalesReceipt", "S-510")
	_, invOrder := r.sale("Invoice", "I-520")
	_, soOrder := r.sale("SalesOrder", "SO-530")
	if _, err := r.ss.Ship(srOrder.OrderID, "ups", "ups_ground", "1Z999AA10123456700", 9.50); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ss.MarkShippedExternally(invOrder.OrderID, "fedex", "794612345600"); err != nil {
		t.Fatal(err)
	}
	voided, err := r.ss.Ship(soOrder.OrderID, "ups", "ups_ground", "1Z999AA10123456711", 7.25)
	if err != nil {
		t.Fatal(err)
	}
	r.poll()
	row := func(orderID int64) db.ShipStationExport {
		t.Helper()
		e, err := db.ShipStationExportByOrderID(ctx, dbtest.SQL(t), r.sc.AccountID, r.sc.ID, orderID)
		if err != nil {
			t.Fatal(err)
		}
		return *e
	}
	for name, id := range map[string]int64{"S-510 (label)": srOrder.OrderID, "I-520 (fulfillment)": invOrder.OrderID, "SO-530 (label)": soOrder.OrderID} {
		if e := row(id); e.SSStatus != "shipped" || e.State != db.ExportLocked {
			t.Errorf("%s after its shipment: ShipStation status %q, state %q; want shipped, locked", name, e.SSStatus, e.State)
		}
	}
	if err := r.ss.VoidShipment(voided.ShipmentID); err != nil {
		t.Fatal(err)
	}
	r.poll()
	if e := row(soOrder.OrderID); e.SSStatus != "awaiting_shipment" || e.State != db.ExportSent {
		t.Errorf("SO-530 after its only label was voided: ShipStation status %q, state %q; want awaiting_shipment, sent", e.SSStatus, e.State)
	}
	if e := row(srOrder.OrderID); e.SSStatus != "shipped" || e.State != db.ExportLocked {
		t.Errorf("S-510 after another order's void: %q, %q; want shipped, locked", e.SSStatus, e.State)
	}
}

// duringShipments makes r's polls run during, once, while the first GET /shipments is on the
// wire.
func (r *rig) duringShipments(during func()) {
	r.svc.Client = jobstest.ShipStationClientDuring(func(req *http.Request) bool {
		return req.Method == http.MethodGet && strings.EqualFold(req.URL.Path, "/shipments")
	}, during)
}

func (r *rig) state() *db.ShipBackState {
	r.t.Helper()
	st, err := r.d.GetShipBackState(context.Background(), r.sc.AccountID, r.sc.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

// A SHIP_NOTIFY delivery that arrives while a poll reads ShipStation stays recorded: the poll
// does not write back the state as it read it (which showed "no delivery yet" again).
func TestDeliveryDuringPollStaysRecorded(t *testing.T) {
	t.Parallel()
	r := newRig(t, both)
	r.svc.PublicURL = "https://ledgerlink.example"
	r.poll() // registers the webhook
	st := r.state()
	if st.WebhookID == nil || st.LastWebhookAt != nil {
		t.Fatalf("after the first poll: webhook %v, last delivery %v; want a webhook, no delivery", st.WebhookID, st.LastWebhookAt)
	}
	at := time.Now().UTC().Truncate(time.Second)
	r.duringShipments(func() {
		// What the SHIP_NOTIFY route does with a delivery to the connection's address.
		if _, err := r.d.ShipBackStateByToken(context.Background(), st.TokenHash, at); err != nil {
			t.Error(err)
		}
	})
	r.poll()
	if got := r.state().LastWebhookAt; got == nil || !got.Equal(at) {
		t.Errorf("last delivery %v after the poll, want %v", got, at)
	}
}

// A poll that starts while another is reading ShipStation (a slow first poll outlasting the
// schedule's uniqueness) does not subscribe a second webhook: ShipStation ends with one
// SHIP_NOTIFY subscription, the one whose address and id Ledgerlink keeps. (Before, each poll
// made its own token and subscribed it, and the last to save forgot the other's: a webhook left
// at ShipStation delivering to an address that answers 404, never unsubscribed.)
func TestOverlappingPollsSubscribeOneWebhook(t *testing.T) {
	t.Parallel()
	r := newRig(t, both)
	r.svc.PublicURL = "https://ledgerlink.example"
	r.duringShipments(func() {
		if _, err := r.svc.Poll(context.Background(), r.sc.AccountID, r.sc.ID); err != nil && !errors.Is(err, shipback.ErrPollBusy) {
			t.Error(err)
		}
	})
	r.poll()
	c, err := r.svc.Client(r.sc)
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := c.Webhooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st := r.state()
	if len(hooks) != 1 || st.WebhookID == nil || hooks[0].ID != *st.WebhookID {
		t.Fatalf("ShipStation holds %+v, Ledgerlink keeps webhook %v: want one, that one", hooks, st.WebhookID)
	}
	if st.Watermark == nil {
		t.Errorf("no watermark after the polls")
	}
}
