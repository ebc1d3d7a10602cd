// Package qbxml builds qbXML request message sets for QuickBooks Desktop,
// parses the responses QuickBooks returns through the QuickBooks Web
// Connector (QBWC), and classifies their status codes.
//
// Building: NewMsgSet starts a message set for qbXML 13.0 or 16.0; Add appends
// typed requests (CustomerAdd, SalesReceiptQuery, ...) and returns their
// sequential requestIDs; Bytes returns the message to hand to QBWC from
// sendRequestXML. Elements are written in the order of Intuit's XSD sequence
// for each request type, optional empty values are omitted, every text value
// is transliterated to ISO-8859-1, XML-escaped and truncated to the QuickBooks
// Desktop field length, and every such change is reported as an Adjustment.
// Money is integer cents (Amount); quantities and prices are fixed-point with
// five decimals (Quantity, Price); no float is involved.
//
// Parsing: ParseReceiveResponse takes the response, hresult and message
// arguments of receiveResponseXML; ParseResponse parses a qbXML response (also
// the strHCPResponse of the first sendRequestXML, see MsgSetResponse.Host and
// ChooseVersion). Each *Rs keeps its requestID, status and typed records.
//
// Status: Classify maps a statusCode (or an HRESULT) to a Class that tells the
// engine what to do; MerchantMessage explains it to a merchant.
//
// The wire contract is summarised in README.md next to this file.
package qbxml
