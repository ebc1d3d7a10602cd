package qbd

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// An owner that rereads (Hooks.Reread) is told, without a line in the merchant's log, when its
// Mod met a stale EditSequence or lost its answer; the engine neither resends the Mod on the new
// EditSequence nor fails it for the merchant. Another owner's Mod keeps the engine's default.
func TestRereaderModsSettleForARead(t *testing.T) {
	e, c, s := fixture(t)
	ctx := context.Background()
	var got []Outcome
	e.Handle("mine", Hooks{Reread: true, OnSettled: func(_ context.Context, _ bun.Tx, _ *db.QBDWorkItem, out Outcome) error {
		got = append(got, out)
		return nil
	}})
	mod := qbxml.SalesReceiptMod{TxnID: "1F-1", EditSequence: "100", Memo: "shipped"}
	for _, k := range []string{"mine:stale", "theirs:stale"} {
		if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: k, Request: mod}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Next(ctx, s); err != nil {
		t.Fatal(err)
	}
	stale := `<?xml version="1.0"?><QBXML><QBXMLMsgsRs>` +
		`<SalesReceiptModRs requestID="1" statusCode="3200" statusSeverity="Error" statusMessage="The provided edit sequence &quot;100&quot; is out-of-date."><SalesReceiptRet><TxnID>1F-1</TxnID><EditSequence>101</EditSequence></SalesReceiptRet></SalesReceiptModRs>` +
		`<SalesReceiptModRs requestID="2" statusCode="3200" statusSeverity="Error" statusMessage="The provided edit sequence &quot;100&quot; is out-of-date."><SalesReceiptRet><TxnID>1F-1</TxnID><EditSequence>101</EditSequence></SalesReceiptRet></SalesReceiptModRs>` +
		`</QBXMLMsgsRs></QBXML>`
	if _, err := e.Receive(ctx, s, stale); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != db.WorkFailed || !got[0].Reread {
		t.Fatalf("the rereading owner was told %+v, want one failed outcome with Reread", got)
	}
	counts, _ := e.DB.CountQBDWork(ctx, c.AccountID, c.ID)
	if counts[db.WorkQueued] != 1 || counts[db.WorkFailed] != 1 {
		t.Fatalf("after the 3200: %v, want the other owner's Mod queued again on the new EditSequence", counts)
	}

	// A lost answer: the rereading owner is told; nothing is logged for the merchant.
	if _, err := e.Enqueue(ctx, Item{AccountID: c.AccountID, ConnectionID: c.ID, DocKey: "mine:lost", Request: mod}); err != nil {
		t.Fatal(err)
	}
	next, err := e.Next(ctx, s)
	if err != nil || !strings.Contains(next, "<SalesReceiptModRq") {
		t.Fatalf("%v %s", err, next)
	}
	if err := e.Recover(ctx, s); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[1].Reread || got[1].Response != nil {
		t.Fatalf("after the lost answer the owner was told %+v", got)
	}
	// The other owner's Mod went out again with it and, lost, is failed for the merchant.
	var lines []db.SyncLog
	if err := dbtest.SQL(t).NewSelect().Model(&lines).Where("account_id = ?", c.AccountID).Scan(ctx); err != nil ||
		len(lines) != 1 || !strings.Contains(lines[0].Message, "theirs:stale") {
		t.Fatalf("want one log line, for the other owner's lost Mod; a reread is not the merchant's business: %+v %v", lines, err)
	}
}
