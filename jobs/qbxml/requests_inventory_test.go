package qbxml

import (
	"strings"
	"testing"
)

// TestInventoryReadsEncodeExactly pins the wire form of the inventory reads;
// the expected fragments are written by hand from the XSD sequences
// (ListQueryWithOwnerIDAndClass, TxnFilter, BillFilter, CreditMemoQuery…).
func TestInventoryReadsEncodeExactly(t *testing.T) {
	tests := []struct {
		name string
		rq   Request
		want string
	}{
		{"assembly quantities", ItemInventoryAssemblyQuery{Iterator: IteratorStart, Filter: ListFilter{MaxReturned: 500, FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeRetElements: InventoryItemRetElements},
			`<ItemInventoryAssemblyQueryRq iterator="Start"><MaxReturned>500</MaxReturned><FromModifiedDate>2026-12-05T09:55:00-05:00</FromModifiedDate>` +
				`<IncludeRetElement>ListID</IncludeRetElement><IncludeRetElement>TimeModified</IncludeRetElement><IncludeRetElement>EditSequence</IncludeRetElement>` +
				`<IncludeRetElement>Name</IncludeRetElement><IncludeRetElement>FullName</IncludeRetElement><IncludeRetElement>IsActive</IncludeRetElement>` +
				`<IncludeRetElement>QuantityOnHand</IncludeRetElement><IncludeRetElement>QuantityOnSalesOrder</IncludeRetElement></ItemInventoryAssemblyQueryRq>`},
		{"credit memos modified", CreditMemoQuery{Iterator: IteratorStart, Filter: TxnFilter{MaxReturned: 100, FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("CreditMemo")},
			`<CreditMemoQueryRq iterator="Start"><MaxReturned>100</MaxReturned><ModifiedDateRangeFilter><FromModifiedDate>2026-12-05T09:55:00-05:00</FromModifiedDate></ModifiedDateRangeFilter>` +
				`<IncludeLineItems>true</IncludeLineItems><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>TimeModified</IncludeRetElement>` +
				`<IncludeRetElement>CreditMemoLineRet</IncludeRetElement><IncludeRetElement>CreditMemoLineGroupRet</IncludeRetElement></CreditMemoQueryRq>`},
		{"adjustments modified", InventoryAdjustmentQuery{Filter: TxnFilter{FromModifiedDate: "2026-12-05T09:55:00-05:00", ToModifiedDate: "2026-12-05T10:00:00-05:00"}, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("InventoryAdjustment")},
			`<InventoryAdjustmentQueryRq><ModifiedDateRangeFilter><FromModifiedDate>2026-12-05T09:55:00-05:00</FromModifiedDate><ToModifiedDate>2026-12-05T10:00:00-05:00</ToModifiedDate></ModifiedDateRangeFilter>` +
				`<IncludeLineItems>true</IncludeLineItems><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>TimeModified</IncludeRetElement>` +
				`<IncludeRetElement>InventoryAdjustmentLineRet</IncludeRetElement></InventoryAdjustmentQueryRq>`},
		{"bills modified, unpaid", BillQuery{Filter: TxnFilter{FromModifiedDate: "2026-12-05T09:55:00-05:00"}, PaidStatus: NotPaidOnly, IncludeLineItems: true, IncludeRetElements: InventoryTxnRetElements("Bill")},
			`<BillQueryRq><ModifiedDateRangeFilter><FromModifiedDate>2026-12-05T09:55:00-05:00</FromModifiedDate></ModifiedDateRangeFilter><PaidStatus>NotPaidOnly</PaidStatus>` +
				`<IncludeLineItems>true</IncludeLineItems><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>TimeModified</IncludeRetElement>` +
				`<IncludeRetElement>ItemLineRet</IncludeRetElement><IncludeRetElement>ItemGroupLineRet</IncludeRetElement></BillQueryRq>`},
		{"bill by long RefNumber keeps 20", BillQuery{RefNumbers: []string{"INV-2026-000012345678"}},
			`<BillQueryRq><RefNumber>NV-2026-000012345678</RefNumber></BillQueryRq>`},
		{"item receipts page", ItemReceiptQuery{Iterator: IteratorContinue, IteratorID: "{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}", Filter: TxnFilter{MaxReturned: 100, FromModifiedDate: "2026-12-05T09:55:00-05:00"}, IncludeLineItems: true, IncludeLinkedTxns: true},
			`<ItemReceiptQueryRq iterator="Continue" iteratorID="{6b474085-4e7f-4bd4-9ab0-2e4a5e6d9a10}"><MaxReturned>100</MaxReturned><ModifiedDateRangeFilter><FromModifiedDate>2026-12-05T09:55:00-05:00</FromModifiedDate></ModifiedDateRangeFilter>` +
				`<IncludeLineItems>true</IncludeLineItems><IncludeLinkedTxns>true</IncludeLinkedTxns></ItemReceiptQueryRq>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := Encode(tc.rq)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestParseInventoryTxns parses hand-written answers in the XSD's Ret layouts
// (InventoryAdjustmentRet, BillRet with ItemLineRet/ItemGroupLineRet and an
// expense line, ItemReceiptRet, a sales receipt with a group line) and checks
// the items TxnItems reports for change detection.
func TestParseInventoryTxns(t *testing.T) {
	resp := `<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>
<InventoryAdjustmentQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK" iteratorRemainingCount="0" iteratorID="{a1}">
<InventoryAdjustmentRet><TxnID>1F-1772460045</TxnID><TimeModified>2026-12-05T10:01:02-05:00</TimeModified>
<InventoryAdjustmentLineRet><TxnLineID>20-1772460045</TxnLineID><ItemRef><ListID>80000005-1772460035</ListID><FullName>Widget</FullName></ItemRef><QuantityDifference>-3</QuantityDifference><ValueDifference>-25.50</ValueDifference></InventoryAdjustmentLineRet>
<InventoryAdjustmentLineRet><TxnLineID>21-1772460045</TxnLineID><ItemRef><ListID>80000006-1772460035</ListID><FullName>Gadget</FullName></ItemRef><QuantityDifference>7.5</QuantityDifference><ValueDifference>0.00</ValueDifference></InventoryAdjustmentLineRet>
</InventoryAdjustmentRet></InventoryAdjustmentQueryRs>
<BillQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<BillRet><TxnID>30-1772460100</TxnID><TimeCreated>2026-12-05T10:02:00-05:00</TimeCreated><TimeModified>2026-12-05T10:02:00-05:00</TimeModified><EditSequence>1772460100</EditSequence><TxnNumber>7</TxnNumber>
<VendorRef><FullName>Acme Supply Co.</FullName></VendorRef><APAccountRef><FullName>Accounts Payable</FullName></APAccountRef><TxnDate>2026-12-05</TxnDate><DueDate>2026-12-15</DueDate><AmountDue>255.00</AmountDue><RefNumber>A-77</RefNumber><IsPaid>false</IsPaid>
<ExpenseLineRet><TxnLineID>31-1772460100</TxnLineID><AccountRef><FullName>Freight</FullName></AccountRef><Amount>10.00</Amount></ExpenseLineRet>
<ItemLineRet><TxnLineID>32-1772460100</TxnLineID><ItemRef><ListID>80000005-1772460035</ListID><FullName>Widget</FullName></ItemRef><Quantity>30</Quantity><Cost>8.50</Cost><Amount>255.00</Amount></ItemLineRet>
<ItemGroupLineRet><TxnLineID>33-1772460100</TxnLineID><ItemGroupRef><FullName>Starter Kit</FullName></ItemGroupRef><Quantity>1</Quantity><TotalAmount>38.00</TotalAmount>
<ItemLineRet><TxnLineID>34-1772460100</TxnLineID><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>1</Quantity></ItemLineRet>
<ItemLineRet><TxnLineID>35-1772460100</TxnLineID><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>2</Quantity></ItemLineRet></ItemGroupLineRet>
<OpenAmount>255.00</OpenAmount></BillRet></BillQueryRs>
<ItemReceiptQueryRs requestID="3" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<ItemReceiptRet><TxnID>40-1772460200</TxnID><TimeModified>2026-12-05T10:03:00-05:00</TimeModified><TotalAmount>60.00</TotalAmount>
<ItemLineRet><TxnLineID>41-1772460200</TxnLineID><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>1</Quantity><Cost>60.00</Cost><Amount>60.00</Amount></ItemLineRet></ItemReceiptRet></ItemReceiptQueryRs>
<SalesReceiptQueryRs requestID="4" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<SalesReceiptRet><TxnID>50-1772460300</TxnID><TimeModified>2026-12-05T10:04:00-05:00</TimeModified>
<SalesReceiptLineRet><TxnLineID>51-1772460300</TxnLineID><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineRet>
<SalesReceiptLineGroupRet><TxnLineID>52-1772460300</TxnLineID><ItemGroupRef><FullName>Starter Kit</FullName></ItemGroupRef><Desc>Kit</Desc><Quantity>2</Quantity><IsPrintItemsInGroup>false</IsPrintItemsInGroup><TotalAmount>176.00</TotalAmount>
<SalesReceiptLineRet><TxnLineID>53-1772460300</TxnLineID><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>4</Quantity><Amount>79.96</Amount></SalesReceiptLineRet>
<SalesReceiptLineRet><TxnLineID>54-1772460300</TxnLineID><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>2</Quantity><Amount>98.00</Amount></SalesReceiptLineRet>
</SalesReceiptLineGroupRet></SalesReceiptRet></SalesReceiptQueryRs>
</QBXMLMsgsRs></QBXML>`
	m, err := ParseResponse([]byte(resp))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Responses) != 4 {
		t.Fatalf("%d responses", len(m.Responses))
	}
	adj := m.Responses[0].InventoryAdjustments
	if len(adj) != 1 || len(adj[0].Lines) != 2 || adj[0].Lines[0].QuantityDifference != Units(-3) ||
		adj[0].Lines[1].QuantityDifference != Quantity(7*QuantityScale+QuantityScale/2) || adj[0].Lines[0].ValueDifference != Cents(-2550) {
		t.Errorf("adjustments = %+v", adj)
	}
	bills := m.Responses[1].Bills
	if len(bills) != 1 || bills[0].RefNumber != "A-77" || bills[0].VendorRef.FullName != "Acme Supply Co." || bills[0].AmountDue != Cents(25500) ||
		len(bills[0].ItemLines) != 1 || bills[0].ItemLines[0].Quantity != Units(30) || bills[0].ItemLines[0].Cost != PriceCents(850) ||
		len(bills[0].ItemGroupLines) != 1 || len(bills[0].ItemGroupLines[0].Lines) != 2 {
		t.Errorf("bills = %+v", bills)
	}
	sr := m.Responses[3].SalesReceipts
	if len(sr) != 1 || len(sr[0].Lines) != 1 || len(sr[0].LineGroups) != 1 || sr[0].LineGroups[0].Quantity != Units(2) ||
		sr[0].LineGroups[0].Desc != "Kit" || len(sr[0].LineGroups[0].Lines) != 2 || sr[0].LineGroups[0].Lines[1].Amount != Cents(9800) {
		t.Errorf("sales receipts = %+v", sr)
	}

	var got []string
	for _, rs := range m.Responses {
		for _, ti := range rs.TxnItems() {
			var names []string
			for _, r := range ti.Items {
				names = append(names, r.FullName)
			}
			got = append(got, ti.Kind+" "+ti.TxnID+" "+string(ti.TimeModified)+": "+strings.Join(names, ", "))
		}
	}
	want := []string{
		"InventoryAdjustment 1F-1772460045 2026-12-05T10:01:02-05:00: Widget, Gadget",
		"Bill 30-1772460100 2026-12-05T10:02:00-05:00: Widget, Starter Kit, Gadget, Widget",
		"ItemReceipt 40-1772460200 2026-12-05T10:03:00-05:00: Gizmo Deluxe",
		"SalesReceipt 50-1772460300 2026-12-05T10:04:00-05:00: Gizmo Deluxe, Starter Kit, Widget, Gadget",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("TxnItems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
