package qbd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

var seq atomic.Int64

// fixture makes an account, a QuickBooks Desktop connection and an open session.
func fixture(t *testing.T) (*Engine, *db.QBDConnection, *db.QBWCSession) {
	t.Helper()
	d := dbtest.DB(t)
	ctx := context.Background()
	n := seq.Add(1)
	a := dbtest.Account(t, d)
	c := dbtest.QBDConnection(t, d, &db.QBDConnection{AccountID: a.ID})
	s := &db.QBWCSession{Ticket: fmt.Sprintf("ticket-%d-%d", time.Now().UnixNano(), n), ConnectionID: c.ID, AccountID: a.ID,
		State: db.SessionOpen, QBXMLVersion: "13.0"}
	if err := d.CreateQBWCSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	return &Engine{DB: d, Redis: dbtest.Redis(t), InDoubtGrace: time.Nanosecond}, c, s
}

func customer(name string) qbxml.Request {
	return qbxml.CustomerAdd{Name: name, FirstName: "Jane", LastName: "Doe"}
}

func receipt(ref, cust string) qbxml.Request {
	return qbxml.SalesReceiptAdd{CustomerRef: qbxml.Ref{FullName: cust}, RefNumber: ref, TxnDate: qbxml.Date{Year: 2026, Month: 11, Day: 20},
		DepositToAccountRef: qbxml.Ref{FullName: "Undeposited Funds"},
		Lines:               []qbxml.Line{{ItemRef: qbxml.Ref{FullName: "SKU-1"}, Quantity: qbxml.Ptr(qbxml.Units(2)), Amount: qbxml.Ptr(qbxml.Cents(2500))}}}
}

func TestEnqueueIsIdempotentAndRespectsTheLedger(t *testing.T) {
	e, c, _ := fixture(t)
	ctx := context.Background()
	item := Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:shop:1001", Request: receipt("1001", "Web Store"),
		Lookup: &Lookup{Type: LookupSalesReceipt, Value: "1001"}}
	first, err := e.Enqueue(ctx, item)
	if err != nil || first.Existing {
		t.Fatalf("first enqueue: %+v %v", first, err)
	}
	if first.Item.Kind != "SalesReceiptAdd" || !strings.HasPrefix(first.Item.Request, "<SalesReceiptAddRq>") || first.Item.LookupType == nil {
		t.Fatalf("stored item %+v", first.Item)
	}
	again, err := e.Enqueue(ctx, item)
	if err != nil || !again.Existing || again.Item.ID != first.Item.ID {
		t.Fatalf("second enqueue: %+v %v", again, err)
	}
	// Once the ledger holds the document, it can never be queued again.
	if _, err := dbtest.SQL(t).NewInsert().Model(&db.QBDLedgerEntry{ConnectionID: c.ID, DocKey: "order:shop:1002", QBType: "SalesReceipt", QBID: "1-1"}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	item.DocKey = "order:shop:1002"
	if _, err := e.Enqueue(ctx, item); !errors.Is(err, ErrAlreadyPosted) {
		t.Fatalf("posted document: %v", err)
	}
	// A request that is not valid qbXML is refused before it is stored.
	bad := Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "customer:", Request: qbxml.CustomerAdd{}}
	if _, err := e.Enqueue(ctx, bad); !errors.Is(err, qbxml.ErrInvalidRequest) {
		t.Fatalf("invalid request: %v", err)
	}
	if n, _ := e.Pending(ctx, c.AccountID, c.ID); n != 1 {
		t.Fatalf("pending = %d", n)
	}
}

func TestNextSendsDependenciesFirstWithinTheBudget(t *testing.T) {
	e, c, s := fixture(t)
	ctx := context.Background()
	cust, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "customer:Jane Doe", Request: customer("Jane Doe"),
		Lookup: &Lookup{Type: LookupCustomer, Value: "Jane Doe"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		ref := fmt.Sprint(2000 + i)
		if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:shop:" + ref,
			Request: receipt(ref, "Jane Doe"), DependsOn: []int64{cust.Item.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	msg, err := e.Next(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(msg, "<CustomerAddRq ") != 1 || strings.Contains(msg, "SalesReceiptAddRq") || !strings.Contains(msg, `requestID="1"`) {
		t.Fatalf("first message must hold only the customer:\n%s", msg)
	}
	if !strings.HasPrefix(msg, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+`<?qbxml version="13.0"?>`) {
		t.Fatalf("header: %.80q", msg)
	}
	var w db.QBDWorkItem
	if err := dbtest.SQL(t).NewSelect().Model(&w).Where("id = ?", cust.Item.ID).Scan(ctx); err != nil || w.Status != db.WorkInFlight || w.Attempts != 1 {
		t.Fatalf("customer after Next: %+v %v", w, err)
	}

	// The batch size follows the measured speed: at 30 s per request only two fit in 60 s.
	e2, c2, s2 := fixture(t)
	if _, err := dbtest.SQL(t).NewUpdate().Model((*db.QBDConnection)(nil)).Set("ms_per_request = 30000").Where("id = ?", c2.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		ref := fmt.Sprint(3000 + i)
		if _, err := e2.Enqueue(ctx, Item{AccountID: c2.AccountID, ConnectionID: c2.ID, DocKey: "order:shop:" + ref, Request: receipt(ref, "Web Store")}); err != nil {
			t.Fatal(err)
		}
	}
	msg, err = e2.Next(ctx, s2)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(msg, "<SalesReceiptAddRq "); n != 2 {
		t.Fatalf("batch of %d, want 2:\n%s", n, msg)
	}
}

func TestLostAnswerIsReconciledBeforeAnythingElse(t *testing.T) {
	e, c, s := fixture(t)
	ctx := context.Background()
	if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:shop:4001",
		Request: receipt("4001", "Web Store"), Lookup: &Lookup{Type: LookupSalesReceipt, Value: "4001"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:shop:4002",
		Request: receipt("SHOP-2026-4002", "Web Store"), Lookup: &Lookup{Type: LookupSalesReceipt, Value: "SHOP-2026-4002", Marker: Marker("order:shop:4002")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "query:classes", Request: qbxml.ClassQuery{}}); err != nil {
		t.Fatal(err)
	}
	// An Add without a lookup cannot be checked after a loss.
	if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "customer:Blind", Request: customer("Blind")}); err != nil {
		t.Fatal(err)
	}
	first, err := e.Next(ctx, s)
	if err != nil || !strings.Contains(first, "<SalesReceiptAddRq ") || !strings.Contains(first, "<ClassQueryRq ") {
		t.Fatalf("first message: %v\n%s", err, first)
	}
	// The Web Connector dies before receiveResponseXML; a new session starts later.
	if err := e.Recover(ctx, s); err != nil {
		t.Fatal(err)
	}
	counts, _ := e.DB.CountQBDWork(ctx, c.AccountID, c.ID)
	if counts[db.WorkInDoubt] != 2 || counts[db.WorkQueued] != 1 || counts[db.WorkFailed] != 1 {
		t.Fatalf("after the loss: %v (Adds with lookups in doubt, the query queued, the blind Add failed)", counts)
	}
	var lines []db.SyncLog
	if err := dbtest.SQL(t).NewSelect().Model(&lines).Where("account_id = ?", c.AccountID).Scan(ctx); err != nil ||
		len(lines) != 1 || !strings.Contains(lines[0].Message, "cannot check") || lines[0].Hint == nil {
		t.Fatalf("the blind Add must be logged for the merchant: %+v %v", lines, err)
	}
	next, err := e.Next(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	// Only the lookup goes out: nothing is re-sent until QuickBooks has been asked.
	// Both in-doubt receipts are found with ONE grouped query (the long number as QuickBooks stores it).
	if strings.Contains(next, "SalesReceiptAddRq") || strings.Contains(next, "ClassQueryRq") ||
		strings.Count(next, "<SalesReceiptQueryRq ") != 1 || !strings.Contains(next, "<RefNumber>4001</RefNumber>") ||
		!strings.Contains(next, "<RefNumber>P-2026-4002</RefNumber>") {
		t.Fatalf("reconcile message:\n%s", next)
	}
	// A second send without a receive in between loses that answer too: still in doubt.
	if _, err := e.Next(ctx, s); err != nil {
		t.Fatal(err)
	}
	counts, _ = e.DB.CountQBDWork(ctx, c.AccountID, c.ID)
	if counts[db.WorkInDoubt] != 2 || counts[db.WorkDone] != 0 {
		t.Fatalf("after a lost lookup: %v", counts)
	}
}

// TestLostWorkWaitsOutTheGrace: the lookup of a lost message set goes at once, but a Web
// Connector taken over may still be delivering that set to QuickBooks, so what the lookup does
// not find is not sent again until the grace has passed (and is looked up once more then);
// other work goes on meanwhile.
func TestLostWorkWaitsOutTheGrace(t *testing.T) {
	e, c, s := fixture(t)
	ctx := context.Background()
	now := time.Now()
	e.Now = func() time.Time { return now }
	e.InDoubtGrace = time.Minute
	if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "order:shop:5001",
		Request: receipt("5001", "Web Store"), Lookup: &Lookup{Type: LookupSalesReceipt, Value: "5001"}}); err != nil {
		t.Fatal(err)
	}
	if msg, err := e.Next(ctx, s); err != nil || !strings.Contains(msg, "SalesReceiptAddRq") {
		t.Fatalf("first message: %v %s", err, msg)
	}
	if err := e.Recover(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "query:accounts", Request: qbxml.AccountQuery{}}); err != nil {
		t.Fatal(err)
	}
	notFound := `<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><SalesReceiptQueryRs requestID="1" statusCode="1" ` +
		`statusSeverity="Info" statusMessage="A query request did not find a matching object in QuickBooks" /></QBXMLMsgsRs></QBXML>`
	now = now.Add(5 * time.Second)
	s.BatchID = nil
	msg, err := e.Next(ctx, s)
	if err != nil || !strings.Contains(msg, "<SalesReceiptQueryRq ") || strings.Contains(msg, "AccountQueryRq") {
		t.Fatalf("the lookup goes first, at once: %v\n%s", err, msg)
	}
	if _, err := e.Receive(ctx, s, notFound); err != nil {
		t.Fatal(err)
	}
	counts, _ := e.DB.CountQBDWork(ctx, c.AccountID, c.ID)
	if counts[db.WorkInDoubt] != 1 {
		t.Fatalf("not found within the grace: %v, want it still in doubt", counts)
	}
	msg, err = e.Next(ctx, s)
	if err != nil || strings.Contains(msg, "SalesReceipt") || !strings.Contains(msg, "AccountQueryRq") {
		t.Fatalf("within the grace only other work goes: %v\n%s", err, msg)
	}
	if err := e.Recover(ctx, s); err != nil {
		t.Fatal(err)
	}
	now = now.Add(56 * time.Second)
	s.BatchID = nil
	msg, err = e.Next(ctx, s)
	if err != nil || !strings.Contains(msg, "<SalesReceiptQueryRq ") {
		t.Fatalf("after the grace the lookup goes again, first: %v\n%s", err, msg)
	}
	if _, err := e.Receive(ctx, s, notFound); err != nil {
		t.Fatal(err)
	}
	if msg, err = e.Next(ctx, s); err != nil || !strings.Contains(msg, "SalesReceiptAddRq") {
		t.Fatalf("still not found after the grace: sent again: %v\n%s", err, msg)
	}
}
