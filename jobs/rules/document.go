package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// The export document format: {"format": DocumentFormat, "version": DocumentVersion,
// "exportedAt": …, "rules": [rule, …]} with the rules in position order.
const (
	DocumentFormat  = "ledgerlink.rules"
	DocumentVersion = 1
	// MaxImportRules caps the rules of one import document (documented in the README and on
	// importRules). A bigger rule set is imported in parts, appending.
	MaxImportRules = 5000
	// MaxDocumentBytes caps the size of one import document: 5 000 typical rules are about
	// 3 MB exported, and the document must fit in one GraphQL request (graph.MaxRequestBytes).
	MaxDocumentBytes = 8 << 20
)

// Document is an export of an account's rules.
type Document struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	ExportedAt time.Time `json:"exportedAt"`
	Rules      []Rule    `json:"rules"`
}

// Export renders rs (in position order) as a Document. Ids, positions and versions are left
// out: the order of the list is the order of the rules.
func Export(rs []Rule, now time.Time) ([]byte, error) {
	doc := Document{Format: DocumentFormat, Version: DocumentVersion, ExportedAt: now.UTC(), Rules: make([]Rule, 0, len(rs))}
	for _, r := range rs {
		r.ID, r.Position, r.Version = 0, 0, 0
		if r.Conditions == nil {
			r.Conditions = []Condition{}
		}
		doc.Rules = append(doc.Rules, r)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("rules: export: %w", err)
	}
	return b, nil
}

// ParseDocument reads an export and validates every rule in it. It returns the rules,
// normalized and in document order, or a *ValidationError listing every problem with paths
// like "rules[3].conditions[1].field" ("document", "format" and "version" for the envelope).
// Unknown keys are problems too, so a typo cannot silently drop part of a rule.
func ParseDocument(data []byte) ([]Rule, error) {
	fail := func(path, format string, args ...any) error {
		return &ValidationError{Problems: []Problem{{Path: path, Message: fmt.Sprintf(format, args...)}}}
	}
	if len(data) > MaxDocumentBytes {
		return nil, fail("document", "The document is larger than %d MB.", MaxDocumentBytes>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		return nil, fail("document", "This is not a Ledgerlink rules export: %s.", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return nil, fail("document", "This is not a Ledgerlink rules export: unexpected data after the document.")
	}
	if doc.Format != DocumentFormat {
		return nil, fail("format", "Expected format %q, found %q.", DocumentFormat, doc.Format)
	}
	if doc.Version < 1 || doc.Version > DocumentVersion {
		return nil, fail("version", "Version %d of the rules format is not supported (this Ledgerlink reads version %d).", doc.Version, DocumentVersion)
	}
	if len(doc.Rules) > MaxImportRules {
		return nil, fail("rules", "A document may hold at most %d rules, not %d.", MaxImportRules, len(doc.Rules))
	}
	var all []Problem
	out := make([]Rule, 0, len(doc.Rules))
	for i, r := range doc.Rules {
		r.ID, r.Position, r.Version = 0, 0, 0
		v, err := Validate(r)
		if verr, ok := errors.AsType[*ValidationError](err); ok {
			for _, p := range verr.Problems {
				all = append(all, Problem{Path: fmt.Sprintf("rules[%d].%s", i, p.Path), Message: p.Message})
			}
		}
		out = append(out, v)
	}
	if len(all) > 0 {
		return nil, &ValidationError{Problems: all}
	}
	return out, nil
}

// Template is a ready-made draft for a common rule.
type Template struct {
	Key         string
	Name        string
	Description string
	Rule        Rule
}

// MapSKU returns the rule the product-mapping tool saves: when a line's SKU is sku, post the
// line to the QuickBooks item item. Such rules are what the compiled index makes fast.
func MapSKU(sku, item string) Rule {
	return Rule{Name: "Map SKU " + sku, Enabled: true, Pipelines: []Pipeline{OrdersToQuickBooks, Inventory}, Match: MatchAll,
		Conditions: []Condition{{Field: "lines[].sku", Op: OpEquals, Value: sku}},
		Actions:    []Action{{Type: ActSet, Field: "lines[].itemName", Value: item}}}
}

// MapShippingMethod returns the rule a shipping-method mapping becomes: orders shipped with
// the store's method post their shipping line to the QuickBooks item.
func MapShippingMethod(method, item string) Rule {
	return Rule{Name: "Map shipping method " + method, Enabled: true, Pipelines: []Pipeline{OrdersToQuickBooks}, Match: MatchAll,
		Conditions: []Condition{{Field: "shipping.method", Op: OpEquals, Value: method}},
		Actions:    []Action{{Type: ActSet, Field: "shippingItem", Value: item}}}
}

// Templates returns the ready-made drafts, each valid as it stands.
func Templates() []Template {
	def := "Undeposited Funds"
	return []Template{
		{Key: "target-store", Name: "Target → Target store",
			Description: "Orders billed to the company Target go to the ShipStation store “Target”.",
			Rule: Rule{Name: "Target → Target store", Enabled: true, Pipelines: []Pipeline{QuickBooksToShipStation}, Match: MatchAll,
				Conditions: []Condition{{Field: "billTo.company", Op: OpEquals, Value: "Target"}},
				Actions:    []Action{{Type: ActSet, Field: "store", Value: "Target"}}}},
		{Key: "shipstation-status", Name: "Change ShipStation order status",
			Description: "Create orders in ShipStation On Hold instead of Awaiting Shipment. Add conditions to narrow it down.",
			Rule: Rule{Name: "Put orders on hold in ShipStation", Enabled: true, Pipelines: []Pipeline{QuickBooksToShipStation}, Match: MatchAll,
				Conditions: []Condition{},
				Actions:    []Action{{Type: ActSet, Field: "shipStatus", Value: "on_hold"}}}},
		{Key: "bill-third-party", Name: "Bill shipping to a third-party account",
			Description: "When the QuickBooks ship via is “UPS 3rd Party”, ShipStation bills the shipment to your UPS account. Enter your account number, postal code and country.",
			Rule: Rule{Name: "Bill UPS to third-party account", Enabled: true, Pipelines: []Pipeline{QuickBooksToShipStation}, Match: MatchAll,
				Conditions: []Condition{{Field: "shipping.method", Op: OpEquals, Value: "UPS 3rd Party"}},
				Actions: []Action{
					{Type: ActSet, Field: "shipping.billToParty", Value: "third_party"},
					{Type: ActSet, Field: "shipping.billToAccount", Value: "000000"},
					{Type: ActSet, Field: "shipping.billToPostalCode", Value: "00000"},
					{Type: ActSet, Field: "shipping.billToCountry", Value: "US"},
					{Type: ActSet, Field: "shipping.carrier", Value: "ups"},
					{Type: ActSet, Field: "shipping.service", Value: "ups_ground"},
				}}},
		{Key: "shipstation-exclude", Name: "Keep sales out of ShipStation",
			Description: "QuickBooks sales shipped Will Call (picked up at the counter) are not sent to ShipStation; they show as not sent with the reason. Change the condition to exclude other sales.",
			Rule: Rule{Name: "Will Call sales stay out of ShipStation", Enabled: true, Pipelines: []Pipeline{QuickBooksToShipStation}, Match: MatchAll,
				Conditions: []Condition{{Field: "shipping.method", Op: OpEquals, Value: "Will Call"}},
				Actions:    []Action{{Type: ActExclude, Reason: "picked up at the counter, nothing to ship"}}}},
		{Key: "exclude", Name: "Exclude an order",
			Description: "Do not sync orders tagged wholesale; they show as excluded with the reason.",
			Rule: Rule{Name: "Exclude wholesale orders", Enabled: true, Pipelines: []Pipeline{OrdersToQuickBooks}, Match: MatchAll,
				Conditions: []Condition{{Field: "tags[]", Op: OpContains, Value: "wholesale"}},
				Actions:    []Action{{Type: ActExclude, Reason: "Wholesale orders are invoiced by hand."}}}},
		{Key: "order-prefix", Name: "Order number prefix",
			Description: "Put SH- in front of Shopify order numbers in QuickBooks, so they never clash with other stores.",
			Rule: Rule{Name: "Prefix Shopify order numbers", Enabled: true, Pipelines: []Pipeline{OrdersToQuickBooks}, Match: MatchAll,
				Conditions: []Condition{{Field: "channel", Op: OpEquals, Value: "shopify"}},
				Actions:    []Action{{Type: ActAddPrefix, Field: "refPrefix", Value: "SH-"}}}},
		{Key: "deposit-by-payment", Name: "Deposit account by payment method",
			Description: "Deposit each payment method to its own QuickBooks account; anything else goes to Undeposited Funds.",
			Rule: Rule{Name: "Deposit account by payment method", Enabled: true, Pipelines: []Pipeline{OrdersToQuickBooks}, Match: MatchAll,
				Conditions: []Condition{},
				Actions: []Action{{Type: ActLookup, Field: "depositAccount", From: "payments[].method", Default: &def,
					Table: []LookupEntry{{Key: "credit_card", Value: "Shopify Clearing"}, {Key: "paypal", Value: "PayPal"}, {Key: "cash", Value: "Cash on Hand"}}}}}},
		{Key: "map-sku", Name: "Map SKU",
			Description: "Post lines with a store SKU to a QuickBooks item of another name (what the product-mapping tool saves).",
			Rule:        MapSKU("ABC-123", "Widgets:Blue Widget")},
	}
}

// PreviewResult is what Preview found.
type PreviewResult struct {
	Before, After *orders.Order
	Result
	// DraftMatched reports whether the draft's conditions held.
	DraftMatched bool
}

// Preview runs rs (an account's rules in position order) on a copy of o for pipeline p, with
// draft (when not nil) in place of the rule with its id, or, for a new draft (id 0), inserted
// at draft.Position (0 or past the end: last). The draft runs even when it is disabled; other
// disabled rules do not. A draft id that is not among rs gives ErrDraftNotFound. o is not
// changed.
func Preview(rs []Rule, draft *Rule, p Pipeline, o *orders.Order) (PreviewResult, error) {
	list := slices.Clone(rs)
	if draft != nil {
		d := *draft
		d.Enabled = true
		d.Version = 0
		at := -1
		if d.ID != 0 {
			at = slices.IndexFunc(list, func(r Rule) bool { return r.ID == d.ID })
			if at < 0 {
				return PreviewResult{}, ErrDraftNotFound
			}
			list = slices.Delete(list, at, at+1)
		}
		if d.Position > 0 && d.Position <= len(list) {
			at = d.Position - 1
		} else if d.Position > 0 || at < 0 {
			at = len(list)
		}
		list = slices.Insert(list, at, d)
	}
	ev, err := Compile(list, p)
	if err != nil {
		return PreviewResult{}, err
	}
	res := PreviewResult{Before: o, After: Clone(o)}
	res.Result = ev.Apply(res.After)
	if draft != nil {
		res.DraftMatched = slices.Contains(res.Matched, draft.ID)
	}
	return res, nil
}

// ErrDraftNotFound is returned by Preview when the draft names a rule that is not there.
var ErrDraftNotFound = errors.New("rules: the draft's rule does not exist")
