package ordersync

import "github.com/ledgerlink/ledgerlink/jobs/qbd"

// Register makes p the owner, on e, of the documents the order pipeline queues: orders' sales
// (shown as sent, settled into posted, duplicate, needs mapping or error, their missing items
// and customers repaired, their store named for the duplicate check), orders' payments, the
// items it creates, the pages of item-list reads and refunds' credit memos (their missing items
// repaired) and what settles them. Customers it creates need no hook: a
// customer that fails fails the sale that waits on it. Call it once, before e serves the Web
// Connector.
func (p *Pipeline) Register(e *qbd.Engine) {
	e.Handle(qbd.KindOrder, qbd.Hooks{OnSending: p.Sending, OnSettled: p.settledOrder, OnRepair: p.Repair, OnScope: p.Scope,
		OnSubject: p.subject, OnUnrepairedHint: p.unrepairedHint})
	e.Handle(qbd.KindPayment, qbd.Hooks{OnSettled: p.settledPayment, OnScope: p.Scope})
	e.Handle(qbd.KindItem, qbd.Hooks{OnSettled: p.settledItem})
	e.Handle(qbd.KindItemList, qbd.Hooks{OnSettled: p.settledItemList})
	e.Handle(qbd.KindRefund, qbd.Hooks{OnSettled: p.settledRefund, OnRepair: p.repairRefund})
}
