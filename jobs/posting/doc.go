// Package posting turns a normalized order into the QuickBooks Desktop documents that record it:
// the customer to create (adopted when QuickBooks has it), the sale (sales receipt, invoice or
// sales order), the payment of a paid invoice, and the items and customers created when
// QuickBooks refuses a sale for a name it lacks.
//
// Contract:
//   - Everything here is a pure function of its arguments (order, settings, ids, names): it
//     reads no database, clock or network, so the same order always gives byte-identical
//     qbXML. Time enters only through the order's own dates.
//   - The QuickBooks total of a sale equals the store's total to the cent: whatever the lines,
//     shipping, discounts and tax do not explain goes on a rounding line, with why.
//   - Every line is posted non-taxable (sales tax code "Non"); the store's tax is a line of its
//     own, so QuickBooks computes no tax and cannot disagree with the store.
//   - Every transaction carries in Other (or, for payments, in Memo) the marker of its document
//     key scoped to its store (qbd.ScopedMarker with StoreScope), and a Lookup by number and
//     date, so the engine's duplicate check can recognise it in QuickBooks.
//   - Names are the ones QuickBooks stores (qbxml.StoredName): a customer name of 41
//     characters, an item name of 31, no ':' where QuickBooks would read a parent.
//   - Build refuses (with an error naming the order) an order with nothing to post, or whose
//     request cannot be written as valid qbXML; it never returns a half-built posting.
//
// The document keys that name these documents in the QuickBooks ledger ("order:<id>",
// "payment:<id>", "customer:<name>", "item:<name>") are qbd.DocKeys, made by qbd's
// constructors; keys.go names them in the order model's terms.
//
// Package orders knows orders only; package ordersync decides when to post and stores the
// outcome; package qbd queues, sends and settles what this package builds.
package posting
