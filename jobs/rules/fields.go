package rules

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Type is the type of a catalogue field. It decides which operators apply and how condition
// and action values are parsed.
type Type string

const (
	TypeString  Type = "string"
	TypeMoney   Type = "money"   // cents; values are written as decimals, e.g. "12.30"
	TypeInteger Type = "integer" // e.g. a quantity
	TypeBoolean Type = "boolean" // "true" or "false"
	TypeDate    Type = "date"    // "2026-11-23" (a UTC day) or an RFC 3339 timestamp
	TypeEnum    Type = "enum"    // one of Field.Enum
)

// Collection says which list of the order a field belongs to. Conditions on a collection field
// hold when any element satisfies them; see README.md for how line actions pick their lines.
type Collection string

const (
	NoCollection Collection = ""
	Lines        Collection = "lines"
	Payments     Collection = "payments"
	Discounts    Collection = "discounts"
	Taxes        Collection = "taxes"
	Tags         Collection = "tags"
)

// Field is one entry of the field catalogue: a path into the normalized order that
// conditions may read and, when Writable, actions may write.
type Field struct {
	Path        string
	Label       string
	Group       string // e.g. "Order", "Billing address", "Lines"
	Type        Type
	Writable    bool
	Enum        []string // the allowed values of an enum field
	Description string
	// Pipelines lists where the field may be used; nil means every pipeline.
	Pipelines  []Pipeline
	Collection Collection

	get func(o *orders.Order, i int) value // i is the element index for collection fields
	set func(o *orders.Order, i int, v value)
}

// InPipeline reports whether f may be used in rules of pipeline p.
func (f *Field) InPipeline(p Pipeline) bool {
	return f.Pipelines == nil || slices.Contains(f.Pipelines, p)
}

// Operators lists the operators that apply to f's type.
func (f *Field) Operators() []Operator { return operatorsFor[f.Type] }

// count returns how many elements f's collection has in o (1 for an order-level field).
func (f *Field) count(o *orders.Order) int {
	switch f.Collection {
	case Lines:
		return len(o.Lines)
	case Payments:
		return len(o.Payments)
	case Discounts:
		return len(o.Discounts)
	case Taxes:
		return len(o.Taxes)
	case Tags:
		return len(o.Tags)
	}
	return 1
}

// value is a field value of any type; only the member of the field's type is meaningful.
type value struct {
	s string    // string, enum
	n int64     // money (cents), integer
	b bool      // boolean
	t time.Time // date
}

// format renders v as text, the way changes record it.
func format(t Type, v value) string {
	switch t {
	case TypeMoney:
		return orders.Money(v.n).String()
	case TypeInteger:
		return strconv.FormatInt(v.n, 10)
	case TypeBoolean:
		return strconv.FormatBool(v.b)
	case TypeDate:
		if v.t.IsZero() {
			return ""
		}
		return v.t.UTC().Format(time.RFC3339Nano)
	}
	return v.s
}

// equal reports whether a and b are the same value of type t.
func equal(t Type, a, b value) bool {
	switch t {
	case TypeMoney, TypeInteger:
		return a.n == b.n
	case TypeBoolean:
		return a.b == b.b
	case TypeDate:
		return a.t.Equal(b.t)
	}
	return a.s == b.s
}

// operatorsFor is which operators fit each type.
var operatorsFor = map[Type][]Operator{
	TypeString:  {OpEquals, OpNotEquals, OpContains, OpStartsWith, OpEndsWith, OpMatches, OpEmpty, OpNotEmpty, OpInList},
	TypeEnum:    {OpEquals, OpNotEquals, OpEmpty, OpNotEmpty, OpInList},
	TypeMoney:   {OpEquals, OpNotEquals, OpGreater, OpLess, OpInList},
	TypeInteger: {OpEquals, OpNotEquals, OpGreater, OpLess, OpInList},
	TypeDate:    {OpEquals, OpNotEquals, OpGreater, OpLess, OpEmpty, OpNotEmpty},
	TypeBoolean: {OpEquals, OpNotEquals},
}

// Enum values of the catalogue's enum fields.
var (
	channelValues     = []string{"shopify", "woocommerce", "shipstation"}
	shipStatusValues  = []string{"awaiting_payment", "awaiting_shipment", "pending_fulfillment", "shipped", "on_hold", "cancelled"}
	billToPartyValues = []string{"my_account", "my_other_account", "recipient", "third_party"}
)

// CustomPrefix starts the path of store-specific fields: custom.<key> reads and writes
// Order.Custom[key].
const CustomPrefix = "custom."

var (
	catalogue []*Field
	byPath    = map[string]*Field{}
)

// Catalogue returns every field rules may use, in display order, including one entry with the
// path "custom.<key>" that stands for all store-specific fields. The result must not be
// modified.
func Catalogue() []*Field { return catalogue }

// LookupField returns the catalogue field at path, or false. Paths of store-specific fields
// ("custom.gift_wrap") are made on demand: any key of 1 to 100 characters without spaces.
func LookupField(path string) (*Field, bool) {
	if f, ok := byPath[path]; ok {
		return f, true
	}
	key, ok := strings.CutPrefix(path, CustomPrefix)
	if !ok || key == "" || len(key) > 100 || strings.ContainsAny(key, " \t\r\n") || key == "<key>" {
		return nil, false
	}
	return customField(key), true
}

// customField is the field for Order.Custom[key].
func customField(key string) *Field {
	return &Field{Path: CustomPrefix + key, Label: key, Group: "Store-specific", Type: TypeString, Writable: true,
		Description: "Store-specific field “" + key + "” (Shopify note attribute, WooCommerce meta, ShipStation custom field).",
		get:         func(o *orders.Order, _ int) value { return value{s: o.Custom[key]} },
		set: func(o *orders.Order, _ int, v value) {
			if o.Custom == nil {
				o.Custom = map[string]string{}
			}
			o.Custom[key] = v.s
		}}
}

// Accessor helpers keep the catalogue table below readable.

// strAccess reads and writes the string at ptr(o).
func strAccess(ptr func(o *orders.Order) *string) accessors {
	return accessors{
		get: func(o *orders.Order, _ int) value { return value{s: *ptr(o)} },
		set: func(o *orders.Order, _ int, v value) { *ptr(o) = v.s },
	}
}

// lineStrAccess reads and writes the string at ptr(line i).
func lineStrAccess(ptr func(l *orders.Line) *string) accessors {
	return accessors{
		get: func(o *orders.Order, i int) value { return value{s: *ptr(&o.Lines[i])} },
		set: func(o *orders.Order, i int, v value) { *ptr(&o.Lines[i]) = v.s },
	}
}

func moneyAccess(get func(o *orders.Order) orders.Money) accessors {
	return accessors{get: func(o *orders.Order, _ int) value { return value{n: int64(get(o))} }}
}

func dateAccess(get func(o *orders.Order) time.Time) accessors {
	return accessors{get: func(o *orders.Order, _ int) value { return value{t: get(o)} }}
}

// accessors are a field's getter and (for writable fields) setter.
type accessors struct {
	get func(*orders.Order, int) value
	set func(*orders.Order, int, value)
}

// add registers a field; the setter is kept only when f is writable.
func add(f Field, a accessors) {
	f.get = a.get
	if f.Writable {
		f.set = a.set
	}
	if f.Label == "" {
		f.Label = f.Path
	}
	fp := &f
	catalogue = append(catalogue, fp)
	byPath[f.Path] = fp
}

// addAddress registers the fields of one address (billTo or shipTo).
func addAddress(prefix, group string, get func(o *orders.Order) *orders.Address) {
	parts := []struct {
		name, label string
		ptr         func(a *orders.Address) *string
	}{
		{"name", "name", func(a *orders.Address) *string { return &a.Name }},
		{"firstName", "first name", func(a *orders.Address) *string { return &a.FirstName }},
		{"lastName", "last name", func(a *orders.Address) *string { return &a.LastName }},
		{"company", "company", func(a *orders.Address) *string { return &a.Company }},
		{"line1", "address line 1", func(a *orders.Address) *string { return &a.Line1 }},
		{"line2", "address line 2", func(a *orders.Address) *string { return &a.Line2 }},
		{"city", "city", func(a *orders.Address) *string { return &a.City }},
		{"state", "state", func(a *orders.Address) *string { return &a.State }},
		{"postalCode", "postal code", func(a *orders.Address) *string { return &a.PostalCode }},
		{"country", "country", func(a *orders.Address) *string { return &a.Country }},
		{"phone", "phone", func(a *orders.Address) *string { return &a.Phone }},
		{"email", "email", func(a *orders.Address) *string { return &a.Email }},
	}
	for _, p := range parts {
		desc := group + " " + p.label + " as the store gave it."
		switch p.name {
		case "state":
			desc = group + " state or province code where the store gives one, e.g. CA."
		case "country":
			desc = group + " country, ISO 3166-1 alpha-2, e.g. US."
		}
		add(Field{Path: prefix + "." + p.name, Label: group + " " + p.label, Group: group, Type: TypeString, Writable: true,
			Description: desc}, strAccess(func(o *orders.Order) *string { return p.ptr(get(o)) }))
	}
}

// The pipelines of pipeline-specific posting fields.
var (
	toQuickBooks  = []Pipeline{OrdersToQuickBooks}
	toShipStation = []Pipeline{QuickBooksToShipStation}
	orderFlows    = []Pipeline{OrdersToQuickBooks, QuickBooksToShipStation}
)

func init() {
	const (
		gOrder    = "Order"
		gPosting  = "Posting"
		gCustomer = "Customer"
		gLines    = "Lines"
		gShipping = "Shipping"
		gPayments = "Payments"
		gDisc     = "Discounts"
		gTaxes    = "Taxes"
	)
	all := []Pipeline(nil)

	// Order header.
	add(Field{Path: "channel", Label: "Channel", Group: gOrder, Type: TypeEnum, Enum: channelValues, Pipelines: all,
		Description: "The store platform the order came from."}, strAccess(func(o *orders.Order) *string { return &o.Channel }))
	add(Field{Path: "externalId", Label: "Store order id", Group: gOrder, Type: TypeString, Pipelines: orderFlows,
		Description: "The store's own id of the order."}, strAccess(func(o *orders.Order) *string { return &o.ExternalID }))
	add(Field{Path: "number", Label: "Order number", Group: gOrder, Type: TypeString, Pipelines: orderFlows,
		Description: "The order number people use, e.g. 1001. Read-only: duplicate detection depends on it; add a prefix with refPrefix."},
		strAccess(func(o *orders.Order) *string { return &o.Number }))
	add(Field{Path: "status", Label: "Store status", Group: gOrder, Type: TypeString, Pipelines: orderFlows,
		Description: "The store's status of the order, e.g. paid, processing, awaiting_shipment."},
		strAccess(func(o *orders.Order) *string { return &o.Status }))
	add(Field{Path: "createdAt", Label: "Order date", Group: gOrder, Type: TypeDate, Pipelines: orderFlows,
		Description: "When the order was placed (UTC)."}, dateAccess(func(o *orders.Order) time.Time { return o.CreatedAt }))
	add(Field{Path: "updatedAt", Label: "Last updated", Group: gOrder, Type: TypeDate, Pipelines: orderFlows,
		Description: "When the store last changed the order (UTC)."}, dateAccess(func(o *orders.Order) time.Time { return o.UpdatedAt }))
	add(Field{Path: "currency", Label: "Currency", Group: gOrder, Type: TypeString, Pipelines: orderFlows,
		Description: "ISO 4217 currency code, e.g. USD."}, strAccess(func(o *orders.Order) *string { return &o.Currency }))
	for _, m := range []struct {
		path, label string
		get         func(o *orders.Order) orders.Money
	}{
		{"subtotal", "Subtotal", func(o *orders.Order) orders.Money { return o.Subtotal }},
		{"discountTotal", "Discount total", func(o *orders.Order) orders.Money { return o.DiscountTotal }},
		{"shippingTotal", "Shipping total", func(o *orders.Order) orders.Money { return o.ShippingTotal }},
		{"taxTotal", "Tax total", func(o *orders.Order) orders.Money { return o.TaxTotal }},
		{"total", "Order total", func(o *orders.Order) orders.Money { return o.Total }},
	} {
		add(Field{Path: m.path, Label: m.label, Group: gOrder, Type: TypeMoney, Pipelines: orderFlows,
			Description: m.label + " of the order, e.g. 12.30."}, moneyAccess(m.get))
	}
	add(Field{Path: "note", Label: "Note / memo", Group: gOrder, Type: TypeString, Writable: true, Pipelines: orderFlows,
		Description: "The customer's note; posted as the QuickBooks memo."}, strAccess(func(o *orders.Order) *string { return &o.Note }))
	add(Field{Path: "tags[]", Label: "Tag", Group: gOrder, Type: TypeString, Pipelines: orderFlows, Collection: Tags,
		Description: "The order's tags; a condition holds when any tag satisfies it."},
		accessors{get: func(o *orders.Order, i int) value { return value{s: o.Tags[i]} }})

	// Posting decisions: where actions usually write.
	add(Field{Path: "store", Label: "Store", Group: gPosting, Type: TypeString, Writable: true, Pipelines: all,
		Description: "Store name the order is filed under (ShipStation store, QuickBooks class by store)."},
		strAccess(func(o *orders.Order) *string { return &o.Store }))
	add(Field{Path: "qbCustomer", Label: "QuickBooks customer", Group: gPosting, Type: TypeString, Writable: true, Pipelines: orderFlows,
		Description: "QuickBooks customer to post to instead of the matched one."},
		strAccess(func(o *orders.Order) *string { return &o.QBCustomer }))
	add(Field{Path: "class", Label: "QuickBooks class", Group: gPosting, Type: TypeString, Writable: true, Pipelines: orderFlows,
		Description: "QuickBooks class of the transaction."}, strAccess(func(o *orders.Order) *string { return &o.Class }))
	add(Field{Path: "depositAccount", Label: "Deposit account", Group: gPosting, Type: TypeString, Writable: true, Pipelines: toQuickBooks,
		Description: "QuickBooks account the payment is deposited to, e.g. Undeposited Funds."},
		strAccess(func(o *orders.Order) *string { return &o.DepositAccount }))
	add(Field{Path: "shippingItem", Label: "QuickBooks shipping item", Group: gPosting, Type: TypeString, Writable: true, Pipelines: toQuickBooks,
		Description: "QuickBooks item the shipping line posts to; empty means the connection's shipping item. Shipping-method mappings set it."},
		strAccess(func(o *orders.Order) *string { return &o.ShippingItem }))
	add(Field{Path: "refPrefix", Label: "Order number prefix", Group: gPosting, Type: TypeString, Writable: true, Pipelines: toQuickBooks,
		Description: "Prefix put in front of the order number in the QuickBooks RefNumber, e.g. WEB-."},
		strAccess(func(o *orders.Order) *string { return &o.RefPrefix }))
	add(Field{Path: "shipStatus", Label: "ShipStation order status", Group: gPosting, Type: TypeEnum, Enum: shipStatusValues,
		Writable: true, Pipelines: toShipStation, Description: "ShipStation status to create the order in (default awaiting_shipment)."},
		strAccess(func(o *orders.Order) *string { return &o.ShipStatus }))
	add(Field{Path: "excluded", Label: "Excluded", Group: gPosting, Type: TypeBoolean, Writable: true, Pipelines: all,
		Description: "The order is not synced. Prefer the exclude action, which also records a reason."},
		accessors{get: func(o *orders.Order, _ int) value { return value{b: o.Excluded} },
			set: func(o *orders.Order, _ int, v value) { o.Excluded = v.b }})
	add(Field{Path: "excludeReason", Label: "Exclude reason", Group: gPosting, Type: TypeString, Writable: true, Pipelines: all,
		Description: "Why the order is excluded, shown in the pending queue."},
		strAccess(func(o *orders.Order) *string { return &o.ExcludeReason }))

	// Customer.
	for _, c := range []struct {
		name, label string
		ptr         func(o *orders.Order) *string
		writable    bool
	}{
		{"id", "Customer id", func(o *orders.Order) *string { return &o.Customer.ID }, false},
		{"email", "Customer email", func(o *orders.Order) *string { return &o.Customer.Email }, true},
		{"firstName", "Customer first name", func(o *orders.Order) *string { return &o.Customer.FirstName }, true},
		{"lastName", "Customer last name", func(o *orders.Order) *string { return &o.Customer.LastName }, true},
		{"company", "Customer company", func(o *orders.Order) *string { return &o.Customer.Company }, true},
		{"phone", "Customer phone", func(o *orders.Order) *string { return &o.Customer.Phone }, true},
	} {
		add(Field{Path: "customer." + c.name, Label: c.label, Group: gCustomer, Type: TypeString, Writable: c.writable,
			Pipelines: orderFlows, Description: c.label + " as the store gave it."}, strAccess(c.ptr))
	}
	add(Field{Path: "customer.guest", Label: "Guest checkout", Group: gCustomer, Type: TypeBoolean, Pipelines: orderFlows,
		Description: "True when the buyer checked out without a store account."},
		accessors{get: func(o *orders.Order, _ int) value { return value{b: o.Customer.Guest} }})

	// Addresses.
	addAddress("billTo", "Billing address", func(o *orders.Order) *orders.Address { return &o.BillTo })
	addAddress("shipTo", "Shipping address", func(o *orders.Order) *orders.Address { return &o.ShipTo })
	for _, f := range catalogue {
		if strings.HasPrefix(f.Path, "billTo.") || strings.HasPrefix(f.Path, "shipTo.") {
			f.Pipelines = orderFlows
		}
	}

	// Lines.
	lineFields := []struct {
		name, label, desc string
		ptr               func(l *orders.Line) *string
		writable          bool
	}{
		{"id", "Line id", "The store's id of the line.", func(l *orders.Line) *string { return &l.ID }, false},
		{"sku", "Line SKU", "The product SKU as the store gave it.", func(l *orders.Line) *string { return &l.SKU }, true},
		{"name", "Line product name", "The product name on the line.", func(l *orders.Line) *string { return &l.Name }, true},
		{"variantTitle", "Line variant", "The variant title, e.g. Large / Blue.", func(l *orders.Line) *string { return &l.VariantTitle }, false},
		{"productId", "Line product id", "The store's product id.", func(l *orders.Line) *string { return &l.ProductID }, false},
		{"variantId", "Line variant id", "The store's variant id.", func(l *orders.Line) *string { return &l.VariantID }, false},
		{"itemName", "Line QuickBooks item", "The QuickBooks item the line posts to; empty means the SKU. Map SKU rules set it.",
			func(l *orders.Line) *string { return &l.ItemName }, true},
	}
	for _, lf := range lineFields {
		pipes := orderFlows
		if lf.name == "sku" || lf.name == "name" || lf.name == "itemName" || lf.name == "id" {
			pipes = nil // inventory rules map SKUs too
		}
		add(Field{Path: "lines[]." + lf.name, Label: lf.label, Group: gLines, Type: TypeString, Writable: lf.writable,
			Pipelines: pipes, Collection: Lines, Description: lf.desc}, lineStrAccess(lf.ptr))
	}
	add(Field{Path: "lines[].quantity", Label: "Line quantity", Group: gLines, Type: TypeInteger, Collection: Lines, Pipelines: all,
		Description: "Units ordered on the line."},
		accessors{get: func(o *orders.Order, i int) value { return value{n: o.Lines[i].Quantity} }})
	add(Field{Path: "lines[].holdBack", Label: "Units held back", Group: gLines, Type: TypeInteger, Writable: true,
		Collection: Lines, Pipelines: []Pipeline{Inventory},
		Description: "Units of the item kept from the store (safety stock for this item, on top of the store connection's); the store gets the QuickBooks quantity minus both, never below zero."},
		accessors{get: func(o *orders.Order, i int) value { return value{n: o.Lines[i].HoldBack} },
			set: func(o *orders.Order, i int, v value) { o.Lines[i].HoldBack = v.n }})
	for _, m := range []struct {
		name, label string
		get         func(l *orders.Line) orders.Money
	}{
		{"unitPrice", "Line unit price", func(l *orders.Line) orders.Money { return l.UnitPrice }},
		{"discount", "Line discount", func(l *orders.Line) orders.Money { return l.Discount }},
		{"tax", "Line tax", func(l *orders.Line) orders.Money { return l.Tax }},
		{"total", "Line total", func(l *orders.Line) orders.Money { return l.Total }},
	} {
		add(Field{Path: "lines[]." + m.name, Label: m.label, Group: gLines, Type: TypeMoney, Collection: Lines, Pipelines: orderFlows,
			Description: m.label + " (unit price × quantity − discount for the total, tax excluded)."},
			accessors{get: func(o *orders.Order, i int) value { return value{n: int64(m.get(&o.Lines[i]))} }})
	}
	add(Field{Path: "lines[].taxable", Label: "Line taxable", Group: gLines, Type: TypeBoolean, Writable: true, Collection: Lines,
		Pipelines: orderFlows, Description: "Whether sales tax applies to the line."},
		accessors{get: func(o *orders.Order, i int) value { return value{b: o.Lines[i].Taxable} },
			set: func(o *orders.Order, i int, v value) { o.Lines[i].Taxable = v.b }})

	// Shipping.
	for _, s := range []struct {
		name, label, desc string
		ptr               func(o *orders.Order) *string
		pipes             []Pipeline
	}{
		{"method", "Shipping method", "Shipping method as the store names it, e.g. UPS Ground (QuickBooks ship via).",
			func(o *orders.Order) *string { return &o.Shipping.Method }, orderFlows},
		{"carrier", "Shipping carrier", "Carrier code, e.g. ups, fedex, stamps_com.",
			func(o *orders.Order) *string { return &o.Shipping.Carrier }, orderFlows},
		{"service", "Shipping service", "Carrier service code, e.g. ups_ground.",
			func(o *orders.Order) *string { return &o.Shipping.Service }, orderFlows},
		{"billToAccount", "Bill-to account", "Carrier account number to bill shipping to (third-party billing).",
			func(o *orders.Order) *string { return &o.Shipping.BillToAccount }, toShipStation},
		{"billToPostalCode", "Bill-to postal code", "Postal code of the third-party billing account.",
			func(o *orders.Order) *string { return &o.Shipping.BillToPostalCode }, toShipStation},
		{"billToCountry", "Bill-to country", "Country of the third-party billing account, e.g. US.",
			func(o *orders.Order) *string { return &o.Shipping.BillToCountry }, toShipStation},
	} {
		add(Field{Path: "shipping." + s.name, Label: s.label, Group: gShipping, Type: TypeString, Writable: true,
			Pipelines: s.pipes, Description: s.desc}, strAccess(s.ptr))
	}
	add(Field{Path: "shipping.billToParty", Label: "Bill shipping to", Group: gShipping, Type: TypeEnum, Enum: billToPartyValues,
		Writable: true, Pipelines: toShipStation, Description: "Who pays for shipping (ShipStation billToParty)."},
		strAccess(func(o *orders.Order) *string { return &o.Shipping.BillToParty }))
	add(Field{Path: "shipping.amount", Label: "Shipping charged", Group: gShipping, Type: TypeMoney, Pipelines: orderFlows,
		Description: "What the customer paid for shipping."}, moneyAccess(func(o *orders.Order) orders.Money { return o.Shipping.Amount }))
	add(Field{Path: "shipping.tax", Label: "Shipping tax", Group: gShipping, Type: TypeMoney, Pipelines: orderFlows,
		Description: "Tax charged on shipping."}, moneyAccess(func(o *orders.Order) orders.Money { return o.Shipping.Tax }))

	// Payments, discounts, taxes: read-only lists.
	for _, c := range []struct {
		path, label, group string
		typ                Type
		coll               Collection
		desc               string
		get                func(o *orders.Order, i int) value
	}{
		{"payments[].method", "Payment method", gPayments, TypeString, Payments, "How the customer paid, e.g. credit_card, paypal.", func(o *orders.Order, i int) value { return value{s: o.Payments[i].Method} }},
		{"payments[].gateway", "Payment gateway", gPayments, TypeString, Payments, "Who processed the payment, e.g. shopify_payments, stripe.", func(o *orders.Order, i int) value { return value{s: o.Payments[i].Gateway} }},
		{"payments[].reference", "Payment reference", gPayments, TypeString, Payments, "The processor's transaction reference.", func(o *orders.Order, i int) value { return value{s: o.Payments[i].Reference} }},
		{"payments[].amount", "Payment amount", gPayments, TypeMoney, Payments, "Amount received.", func(o *orders.Order, i int) value { return value{n: int64(o.Payments[i].Amount)} }},
		{"payments[].paidAt", "Payment date", gPayments, TypeDate, Payments, "When the payment was received (UTC).", func(o *orders.Order, i int) value { return value{t: o.Payments[i].PaidAt} }},
		{"discounts[].code", "Discount code", gDisc, TypeString, Discounts, "Discount code used at checkout.", func(o *orders.Order, i int) value { return value{s: o.Discounts[i].Code} }},
		{"discounts[].amount", "Discount amount", gDisc, TypeMoney, Discounts, "Amount of an order-level discount.", func(o *orders.Order, i int) value { return value{n: int64(o.Discounts[i].Amount)} }},
		{"taxes[].name", "Tax name", gTaxes, TypeString, Taxes, "Name of a tax the store charged, e.g. CA State Tax.", func(o *orders.Order, i int) value { return value{s: o.Taxes[i].Name} }},
		{"taxes[].amount", "Tax amount", gTaxes, TypeMoney, Taxes, "Amount of one tax.", func(o *orders.Order, i int) value { return value{n: int64(o.Taxes[i].Amount)} }},
	} {
		add(Field{Path: c.path, Label: c.label, Group: c.group, Type: c.typ, Collection: c.coll, Pipelines: orderFlows,
			Description: c.desc}, accessors{get: c.get})
	}

	// The placeholder for store-specific fields (LookupField makes the real ones).
	ph := customField("<key>")
	ph.Path, ph.Label = CustomPrefix+"<key>", "Store-specific field"
	ph.Description = "A store-specific field, e.g. custom.gift_message: Shopify note attributes, WooCommerce meta_data, ShipStation custom fields. Replace <key> with the field's name."
	catalogue = append(catalogue, ph)
}
