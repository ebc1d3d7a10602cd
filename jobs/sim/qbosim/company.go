package qbosim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Object is one QuickBooks Online entity as JSON: the wire shape, e.g.
// {"Id":"3","SyncToken":"0","Name":"Rock Fountain","Type":"Inventory",…}.
type Object = map[string]any

// Entity kinds the simulator keeps. The URL segment is the lower-cased kind
// (…/salesreceipt/17), the JSON key the kind itself ({"SalesReceipt":{…}}).
const (
	KindItem          = "Item"
	KindCustomer      = "Customer"
	KindVendor        = "Vendor"
	KindEmployee      = "Employee"
	KindSalesReceipt  = "SalesReceipt"
	KindInvoice       = "Invoice"
	KindPayment       = "Payment"
	KindCreditMemo    = "CreditMemo"
	KindRefundReceipt = "RefundReceipt"
	KindTaxCode       = "TaxCode"
	KindTaxRate       = "TaxRate"
	KindAccount       = "Account"
	KindPaymentMethod = "PaymentMethod"
	KindClass         = "Class"
	KindCompanyInfo   = "CompanyInfo"
	KindPreferences   = "Preferences"
)

// kinds lists every kind in the order CDC and Items() report them.
var kinds = []string{KindAccount, KindTaxCode, KindTaxRate, KindPaymentMethod, KindClass, KindItem, KindCustomer, KindVendor,
	KindEmployee, KindSalesReceipt, KindInvoice, KindPayment, KindCreditMemo, KindRefundReceipt, KindCompanyInfo, KindPreferences}

// kindByLower maps URL segments and query entity names (case-insensitive) to kinds.
var kindByLower = func() map[string]string {
	m := map[string]string{}
	for _, k := range kinds {
		m[strings.ToLower(k)] = k
	}
	return m
}()

// txnKinds are the transactions: they have lines, DocNumber, TotalAmt, and can
// be deleted (…?operation=delete) and voided.
var txnKinds = []string{KindSalesReceipt, KindInvoice, KindPayment, KindCreditMemo, KindRefundReceipt}

// nameKinds share one DisplayName namespace (Duplicate Name Exists, 6240).
var nameKinds = []string{KindCustomer, KindVendor, KindEmployee}

// readOnlyKinds cannot be created through the API here.
var readOnlyKinds = []string{KindTaxCode, KindTaxRate, KindCompanyInfo}

// record is one stored entity. Deleted transactions stay as tombstones so CDC
// can report them.
type record struct {
	Kind    string    `json:"kind"`
	Data    Object    `json:"data"`
	Deleted bool      `json:"deleted,omitempty"`
	Updated time.Time `json:"updated"` // MetaData.LastUpdatedTime (or deletion time)
}

func (r *record) id() string { return str(r.Data["Id"]) }

// company is the simulated QuickBooks Online company: every entity by kind and
// Id, the id and document-number sequences, and the answers kept for requestid
// replay. It is what Save and Load persist.
type company struct {
	Entities map[string]map[string]*record `json:"entities"`
	NextID   map[string]int                `json:"nextId"`
	NextDoc  map[string]int                `json:"nextDocNumber"`
	Replies  map[string]*savedReply        `json:"replies"` // requestid (+ "\x00" + bId in batches) → answer
	SKU      bool                          `json:"skuEnabled"`
	Auth     *authFile                     `json:"auth,omitempty"` // OAuth grants (token hashes), see saveLocked
}

// savedReply is an answer kept for requestid replay.
type savedReply struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

func newCompany() *company {
	return &company{Entities: map[string]map[string]*record{}, NextID: map[string]int{}, NextDoc: map[string]int{},
		Replies: map[string]*savedReply{}, SKU: true}
}

// get returns the live (not deleted) record of kind with id.
func (c *company) get(kind, id string) *record {
	r := c.Entities[kind][id]
	if r == nil || r.Deleted {
		return nil
	}
	return r
}

// all returns kind's records (deleted ones too) in ascending numeric Id order.
func (c *company) all(kind string) []*record {
	type keyed struct {
		n int // the numeric Id (ids are numeric strings)
		r *record
	}
	ks := make([]keyed, 0, len(c.Entities[kind]))
	for id, r := range c.Entities[kind] {
		n, _ := strconv.Atoi(id)
		ks = append(ks, keyed{n, r})
	}
	slices.SortFunc(ks, func(a, b keyed) int { return a.n - b.n })
	out := make([]*record, len(ks))
	for i, k := range ks {
		out[i] = k.r
	}
	return out
}

// put stores a record, creating the kind's map when needed.
func (c *company) put(r *record) {
	m := c.Entities[r.Kind]
	if m == nil {
		m = map[string]*record{}
		c.Entities[r.Kind] = m
	}
	m[r.id()] = r
}

// newID returns the next Id of kind. Ids are numeric strings per kind, as in
// the sandbox samples ("Id":"266").
func (c *company) newID(kind string) string {
	c.NextID[kind]++
	n := c.NextID[kind]
	for c.Entities[kind][strconv.Itoa(n)] != nil { // seeded or loaded ids
		n++
	}
	c.NextID[kind] = n
	return strconv.Itoa(n)
}

// newDocNumber returns the next automatic DocNumber of a transaction kind
// (QuickBooks numbers sales forms itself when custom numbers are off).
func (c *company) newDocNumber(kind string) string {
	if c.NextDoc[kind] == 0 {
		c.NextDoc[kind] = 1000
	}
	c.NextDoc[kind]++
	return strconv.Itoa(c.NextDoc[kind])
}

// save writes the company to path atomically (a temporary file renamed).
func (c *company) save(path string) error {
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".qbosim-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// loadCompany reads a company saved by save.
func loadCompany(path string) (*company, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := newCompany()
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("qbosim: company file %s: %w", path, err)
	}
	if c.Entities == nil || c.NextID == nil {
		return nil, fmt.Errorf("qbosim: company file %s: %w", path, errors.New("not a simulated QuickBooks Online company"))
	}
	if c.Replies == nil {
		c.Replies = map[string]*savedReply{}
	}
	if c.NextDoc == nil {
		c.NextDoc = map[string]int{}
	}
	return c, nil
}

// ---- small JSON helpers ------------------------------------------------------

// str returns v as a string ("" for nil); numbers print without exponent.
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// num returns v as a number; ok is false when v is absent or not numeric.
func num(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// obj returns v as an object (nil when it is not one).
func obj(v any) Object {
	m, _ := v.(map[string]any)
	return m
}

// list returns v as an array (nil when it is not one).
func list(v any) []any {
	a, _ := v.([]any)
	return a
}

// refValue is the value of a ReferenceType ({"value":"4","name":"Design"}).
func refValue(v any) string { return str(obj(v)["value"]) }

// isTrue reads a boolean field that may be absent (then def).
func isTrue(v any, def bool) bool {
	b, ok := v.(bool)
	if !ok {
		return def
	}
	return b
}

// deepCopy returns a copy of o that shares nothing with it.
func deepCopy(o Object) Object {
	b, err := json.Marshal(o)
	if err != nil {
		panic(err) // an Object is always JSON
	}
	var out Object
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}
