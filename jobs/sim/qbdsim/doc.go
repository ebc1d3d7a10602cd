// Package qbd simulates the two things on a merchant's PC that Ledgerlink
// talks to: QuickBooks Desktop with its company file (Company, which
// answers qbXML request message sets like QuickBooks' request processor)
// and the QuickBooks Web Connector (WebConnector, which polls a QBWC SOAP
// server over HTTP and applies what it receives to a Company).
//
// It is written from the captured QBWC sessions, the qbXML 13.0/16.0
// schemas and Intuit's guides under shared/specs/qbwc, independently of
// Ledgerlink's own qbXML builders, so that tests cross-check them. Status
// codes and messages are copied from real QuickBooks responses; see
// README.md for the wire contract, the fault-injection knobs and what is
// not simulated.
package qbdsim
