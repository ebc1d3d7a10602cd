package qbdsim

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// HRESULTs and messages of the QuickBooks request processor (qbwc.md §3.8;
// samples/soap/09_… for the parse error text, QBWebConnector issue
// johnballantyne/qbws#9 for 0x80040408).
const (
	HResultParseError     = "0x80040400"
	MessageParseError     = "QuickBooks found an error when parsing the provided XML text stream."
	HResultCannotStart    = "0x80040408"
	MessageCannotStart    = "Could not start QuickBooks."
	HResultCannotOpenFile = "0x80040403"
	MessageCannotOpenFile = "Could not open the specified QuickBooks company data file."
)

// ErrParse is wrapped by the HResultError returned for a message set that
// QuickBooks cannot parse (malformed XML, schema violation, unsupported
// qbXML version, characters outside ISO-8859-1).
var ErrParse = errors.New("qbd: QuickBooks could not parse the request")

// ErrXMLLintMissing is returned when schema validation is on and xmllint
// cannot be run.
var ErrXMLLintMissing = errors.New("xmllint missing: install libxml2-utils (make test does this)")

// HResultError is how the QuickBooks request processor fails a whole
// message set: no response document, an HRESULT and its message instead.
// QBWC forwards both to receiveResponseXML(ticket, "", hresult, message).
type HResultError struct {
	HResult string
	Message string
	// Err says what was wrong, for logs and tests.
	Err error
}

func (e *HResultError) Error() string {
	return fmt.Sprintf("%v (hresult %s: %s)", e.Err, e.HResult, e.Message)
}

func (e *HResultError) Unwrap() error { return e.Err }

func parseFailure(format string, args ...any) *HResultError {
	return &HResultError{HResult: HResultParseError, Message: MessageParseError, Err: fmt.Errorf("%w: "+format, append([]any{ErrParse}, args...)...)}
}

// result is what a handler answers for one request.
type result struct {
	code  int
	msg   string
	rets  []*node
	attrs []attr
}

func ok(rets ...*node) result { return result{code: 0, msg: "Status OK", rets: rets} }

func fromStatus(e *statusError) result {
	r := result{code: e.code, msg: e.msg}
	if e.ret != nil {
		r.rets = []*node{e.ret}
	}
	return r
}

func severity(code int) string {
	switch {
	case code == 3210:
		// QuickBooks reports "You cannot pay more than the amount due" as
		// Info (samples/qbxml/error-3210-…consolibyte.xml).
		return "Info"
	case code < 500:
		return "Info"
	case code < 1000:
		return "Warn"
	}
	return "Error"
}

// proc is the context of one request inside a message set.
type proc struct {
	c *Company
	s *Session
}

type handler func(p *proc, rq *node) result

// ProcessQBXML processes a qbXML request message set the way QuickBooks'
// request processor does and returns the response message set. A message
// QuickBooks cannot parse yields an *HResultError (wrapping ErrParse) and
// changes nothing. Requests are run in order; onError="stopOnError" stops
// at the first request answered with an Error severity (later requests get
// no response), "continueOnError" runs them all. Each response echoes the
// request's requestID.
func (s *Session) ProcessQBXML(msg string) (string, error) {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.process(msg, s.c.schema)
}

// process runs a message set; the caller holds c.mu. schema is nil when
// the message must not be validated with xmllint.
func (s *Session) process(msg string, schema *schemaValidator) (string, error) {
	c := s.c
	if s.ended {
		return "", ErrSessionEnded
	}
	version := piVersionOf(msg)
	if !contains(c.cfg.Versions, version) {
		return "", parseFailure("qbXML version %q not supported (want one of %v)", version, c.cfg.Versions)
	}
	if schema != nil {
		if err := schema.validate(version, msg); err != nil {
			if errors.Is(err, ErrXMLLintMissing) {
				return "", err
			}
			var he *HResultError
			if errors.As(err, &he) {
				return "", he
			}
			return "", fmt.Errorf("qbd: validate request: %w", err)
		}
	}
	doc, err := parseQBXML(msg)
	if err != nil {
		return "", parseFailure("%v", err)
	}
	msgs, onError, perr := checkMessageSet(doc)
	if perr != nil {
		return "", perr
	}
	p := &proc{c: c, s: s}
	responseData, _ := msgs.attr("responseData")
	oldID, _ := msgs.attr("oldMessageSetID")
	newID, _ := msgs.attr("newMessageSetID")
	out := el("QBXMLMsgsRs")
	if oldID != "" && (newID == "" || newID == oldID) && len(msgs.Children) == 0 {
		return recoveryAnswer(c, out, oldID, newID), nil
	}
	if oldID != "" {
		c.clearRecovery(oldID)
	}
	for _, rq := range msgs.Children {
		res := p.run(rq)
		rs := &node{Name: strings.TrimSuffix(rq.Name, "Rq") + "Rs"}
		if id, has := rq.attr("requestID"); has {
			rs.setAttr("requestID", id)
		}
		rs.setAttr("statusCode", fmt.Sprint(res.code))
		rs.setAttr("statusSeverity", severity(res.code))
		rs.setAttr("statusMessage", res.msg)
		rs.Attrs = append(rs.Attrs, res.attrs...)
		if responseData != "includeNone" {
			rs.Children = res.rets
		}
		out.Children = append(out.Children, rs)
		if onError == "stopOnError" && severity(res.code) == "Error" {
			break
		}
	}
	if newID != "" {
		c.storeRecovery(newID, out.Children)
		out.setAttr("newMessageSetID", newID)
		out.setAttr("messageSetStatusCode", "0")
	}
	return document(out), nil
}

func document(msgs *node) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" ?>\n<QBXML>\n")
	writeNode(&b, msgs)
	b.WriteString("</QBXML>\n")
	return b.String()
}

// Error recovery (SDK "error recovery", samples/intuit-sdk-samples/
// ErrRecovery1-3.xml): a message set sent with newMessageSetID has its
// statuses saved; sending oldMessageSetID=newMessageSetID=X with no
// requests returns them, oldMessageSetID=X alone deletes them
// ("ClearAllMessageSets" deletes all).

// recoveryAnswer answers a status check or a clear request.
func recoveryAnswer(c *Company, out *node, oldID, newID string) string {
	if newID == "" {
		c.clearRecovery(oldID)
		out.setAttr("messageSetStatusCode", "0")
		return document(out)
	}
	saved, ok := c.st.Recovery[oldID]
	out.setAttr("newMessageSetID", oldID)
	if !ok {
		out.setAttr("messageSetStatusCode", "600")
		return document(out)
	}
	out.setAttr("messageSetStatusCode", "0")
	out.Children = saved
	return document(out)
}

func (c *Company) clearRecovery(id string) {
	if id == "ClearAllMessageSets" {
		c.st.Recovery = nil
		return
	}
	delete(c.st.Recovery, id)
}

// storeRecovery keeps each response's status and, for adds and mods that
// succeeded, an ErrorRecovery element identifying what was written.
func (c *Company) storeRecovery(id string, rss []*node) {
	if c.st.Recovery == nil {
		c.st.Recovery = map[string][]*node{}
	}
	var saved []*node
	for _, rs := range rss {
		s := &node{Name: rs.Name, Attrs: rs.Attrs}
		base := strings.TrimSuffix(rs.Name, "Rs")
		if (strings.HasSuffix(base, "Add") || strings.HasSuffix(base, "Mod")) && len(rs.Children) > 0 {
			ret := rs.Children[0]
			er := el("ErrorRecovery")
			for _, f := range []string{"ListID", "TxnID", "TxnNumber", "EditSequence"} {
				if v := ret.text(f); v != "" {
					er.Children = append(er.Children, leaf(f, v))
				}
			}
			s.Children = []*node{er}
		}
		saved = append(saved, s)
	}
	c.st.Recovery[id] = saved
}

// piVersionOf finds <?qbxml version="…"?> without a full parse (the
// schema to validate against depends on it).
func piVersionOf(msg string) string {
	i := strings.Index(msg, "<?qbxml")
	if i < 0 {
		return ""
	}
	end := strings.Index(msg[i:], "?>")
	if end < 0 {
		return ""
	}
	return piVersion(msg[i+len("<?qbxml") : i+end])
}

// checkMessageSet verifies what the schema requires of the envelope and of
// the requests the simulator implements, so that a malformed message set
// fails as a whole (before any request runs) even without xmllint.
func checkMessageSet(doc *parsedDoc) (*node, string, *HResultError) {
	if doc.version == "" {
		return nil, "", parseFailure("missing <?qbxml version?> processing instruction")
	}
	if doc.root.Name != "QBXML" {
		return nil, "", parseFailure("root element %s, want QBXML", doc.root.Name)
	}
	msgs := doc.root.child("QBXMLMsgsRq")
	if msgs == nil || len(doc.root.Children) != 1 {
		return nil, "", parseFailure("QBXML must hold exactly one QBXMLMsgsRq")
	}
	onError, _ := msgs.attr("onError")
	switch onError {
	case "stopOnError", "continueOnError":
	case "rollbackOnError":
		// "rollbackOnError is not valid and will produce an error" (SDK
		// message-set reference, mirrored at is2qb.com).
		return nil, "", parseFailure("onError=\"rollbackOnError\" is not supported by QuickBooks Desktop")
	default:
		return nil, "", parseFailure("QBXMLMsgsRq onError=%q", onError)
	}
	for _, rq := range msgs.Children {
		if !strings.HasSuffix(rq.Name, "Rq") {
			return nil, "", parseFailure("element %s in QBXMLMsgsRq", rq.Name)
		}
		for _, path := range required[rq.Name] {
			if !hasPath(rq, path) {
				return nil, "", parseFailure("%s: missing required element %s", rq.Name, path)
			}
		}
		if err := normalizeValues(rq, "QBXMLMsgsRq"); err != nil {
			return nil, "", parseFailure("%s: %v", rq.Name, err)
		}
	}
	return msgs, onError, nil
}

// required lists, per request, the elements the 13.0 schema requires
// (slash-separated paths; "a|b" means either).
var required = map[string][]string{
	"CustomerAddRq":            {"CustomerAdd/Name"},
	"CustomerModRq":            {"CustomerMod/ListID", "CustomerMod/EditSequence"},
	"ItemInventoryAddRq":       {"ItemInventoryAdd/Name"},
	"ItemNonInventoryAddRq":    {"ItemNonInventoryAdd/Name", "ItemNonInventoryAdd/SalesOrPurchase|SalesAndPurchase"},
	"ItemServiceAddRq":         {"ItemServiceAdd/Name", "ItemServiceAdd/SalesOrPurchase|SalesAndPurchase"},
	"ItemOtherChargeAddRq":     {"ItemOtherChargeAdd/Name"},
	"ItemDiscountAddRq":        {"ItemDiscountAdd/Name", "ItemDiscountAdd/AccountRef"},
	"ItemSalesTaxAddRq":        {"ItemSalesTaxAdd/Name"},
	"ItemGroupAddRq":           {"ItemGroupAdd/Name"},
	"ItemInventoryModRq":       {"ItemInventoryMod/ListID", "ItemInventoryMod/EditSequence"},
	"ItemNonInventoryModRq":    {"ItemNonInventoryMod/ListID", "ItemNonInventoryMod/EditSequence"},
	"ItemServiceModRq":         {"ItemServiceMod/ListID", "ItemServiceMod/EditSequence"},
	"ItemOtherChargeModRq":     {"ItemOtherChargeMod/ListID", "ItemOtherChargeMod/EditSequence"},
	"AccountAddRq":             {"AccountAdd/Name", "AccountAdd/AccountType"},
	"ClassAddRq":               {"ClassAdd/Name"},
	"ShipMethodAddRq":          {"ShipMethodAdd/Name"},
	"SalesReceiptAddRq":        {"SalesReceiptAdd/SalesReceiptLineAdd|SalesReceiptLineGroupAdd"},
	"SalesReceiptModRq":        {"SalesReceiptMod/TxnID", "SalesReceiptMod/EditSequence"},
	"InvoiceAddRq":             {"InvoiceAdd/CustomerRef"},
	"InvoiceModRq":             {"InvoiceMod/TxnID", "InvoiceMod/EditSequence"},
	"SalesOrderAddRq":          {"SalesOrderAdd/CustomerRef", "SalesOrderAdd/SalesOrderLineAdd|SalesOrderLineGroupAdd"},
	"SalesOrderModRq":          {"SalesOrderMod/TxnID", "SalesOrderMod/EditSequence"},
	"CreditMemoAddRq":          {"CreditMemoAdd/CustomerRef", "CreditMemoAdd/CreditMemoLineAdd|CreditMemoLineGroupAdd"},
	"ReceivePaymentAddRq":      {"ReceivePaymentAdd/CustomerRef", "ReceivePaymentAdd/IsAutoApply|AppliedToTxnAdd"},
	"ARRefundCreditCardAddRq":  {"ARRefundCreditCardAdd/CustomerRef", "ARRefundCreditCardAdd/RefundAppliedToTxnAdd"},
	"InventoryAdjustmentAddRq": {"InventoryAdjustmentAdd/AccountRef", "InventoryAdjustmentAdd/InventoryAdjustmentLineAdd"},
}

func hasPath(n *node, path string) bool {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if i == len(parts)-1 {
			for _, alt := range strings.Split(p, "|") {
				if n.has(alt) {
					return true
				}
			}
			return false
		}
		n = n.child(p)
		if n == nil {
			return false
		}
	}
	return true
}

// run processes one request, with the company's latency and lock faults.
func (p *proc) run(rq *node) result {
	c := p.c
	c.requests++
	if c.latency > 0 {
		// QuickBooks is single-threaded: the file stays locked meanwhile.
		time.Sleep(c.latency)
	}
	if res, hit := p.lockFault(rq); hit {
		return res
	}
	h := handlers[rq.Name]
	if h == nil {
		return result{code: 1030, msg: "This request is not supported by this implementation."}
	}
	return h(p, rq)
}

// lockFault fires an armed LockFault on a write request.
func (p *proc) lockFault(rq *node) (result, bool) {
	c := p.c
	base := strings.TrimSuffix(rq.Name, "Rq")
	isAdd, isMod := strings.HasSuffix(base, "Add"), strings.HasSuffix(base, "Mod")
	if !isAdd && !isMod || len(c.lockFaults) == 0 {
		return result{}, false
	}
	obj := strings.TrimSuffix(strings.TrimSuffix(base, "Add"), "Mod")
	body := rq.child(base)
	element := ""
	switch {
	case body == nil:
	case body.has("Name"):
		element = body.text("Name")
		if pr := body.child("ParentRef"); pr != nil && pr.text("FullName") != "" {
			element = pr.text("FullName") + ":" + element
		}
	case body.has("ListID"):
		if r := c.idx.byListID[body.text("ListID")]; r != nil {
			element = c.fullName(r)
		}
	case body.has("RefNumber"):
		element = body.text("RefNumber")
	case body.has("TxnID"):
		if t := c.idx.byTxnID[body.text("TxnID")]; t != nil {
			element = t.RefNumber
		}
	}
	for i, f := range c.lockFaults {
		if f.Request > 0 && c.requests < f.Request {
			continue
		}
		if f.Element != "" && !strings.EqualFold(f.Element, element) {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			c.lockFaults = append(c.lockFaults[:i], c.lockFaults[i+1:]...)
		}
		list := obj
		if strings.HasPrefix(obj, "Item") {
			list = "Item"
		}
		return result{code: f.Code, msg: fmt.Sprintf(lockMessages[f.Code], list, element)}, true
	}
	return result{}, false
}
