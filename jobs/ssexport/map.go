package ssexport

import (
	"fmt"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

// Sale is a QuickBooks sales receipt, invoice or sales order as this package reads it: what a
// ShipStation order is built from. It is stored (JSON) with its sent-sales row while the
// customer's contact data is read.
type Sale struct {
	Type           string        `json:"type"` // shipstation.KeySalesReceipt, KeyInvoice or KeySalesOrder
	TxnID          string        `json:"txnId"`
	EditSequence   string        `json:"editSequence"`
	TimeModified   string        `json:"timeModified"`
	RefNumber      string        `json:"refNumber"`
	TxnDate        string        `json:"txnDate"` // YYYY-MM-DD
	CustomerListID string        `json:"customerListId"`
	CustomerName   string        `json:"customerName"`
	Class          string        `json:"class"`
	ShipVia        string        `json:"shipVia"`
	Memo           string        `json:"memo"`
	PONumber       string        `json:"poNumber"`
	BillAddress    qbxml.Address `json:"billAddress"`
	ShipAddress    qbxml.Address `json:"shipAddress"`
	Lines          []SaleLine    `json:"lines"`
	Tax            qbxml.Amount  `json:"tax"`
	Paid           bool          `json:"paid"` // a sales receipt, or an invoice paid in full
	Total          qbxml.Amount  `json:"total"`
}

// SaleLine is one line of a Sale.
type SaleLine struct {
	Item     string         `json:"item"`
	Desc     string         `json:"desc"`
	Quantity qbxml.Quantity `json:"quantity"`
	HasQty   bool           `json:"hasQty"`
	Rate     qbxml.Price    `json:"rate"`
	Amount   qbxml.Amount   `json:"amount"`
}

// Contact is what a QuickBooks customer record adds to its sales.
type Contact struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Company   string `json:"company"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
}

// ContactOf reads a customer record.
func ContactOf(c qbxml.CustomerRet) Contact {
	return Contact{FirstName: strings.TrimSpace(c.FirstName), LastName: strings.TrimSpace(c.LastName),
		Company: strings.TrimSpace(c.CompanyName), Phone: strings.TrimSpace(c.Phone), Email: strings.TrimSpace(c.Email)}
}

// SalesOf returns the sales of a query answer, of any of the three types.
func SalesOf(rs *qbxml.Rs) []Sale {
	var out []Sale
	lines := func(ls []qbxml.LineRet) []SaleLine {
		var sl []SaleLine
		for _, l := range ls {
			sl = append(sl, SaleLine{Item: l.ItemRef.FullName, Desc: l.Desc, Quantity: l.Quantity, HasQty: l.Quantity != 0,
				Rate: l.Rate, Amount: l.Amount})
		}
		return sl
	}
	base := func(typ string, t qbxml.SalesTxnRet) Sale {
		date := ""
		if !t.TxnDate.IsZero() {
			date = t.TxnDate.String()
		}
		return Sale{Type: typ, TxnID: t.TxnID, EditSequence: t.EditSequence, TimeModified: string(t.TimeModified),
			RefNumber: t.RefNumber, TxnDate: date, CustomerListID: t.CustomerRef.ListID, CustomerName: t.CustomerRef.FullName,
			Class: t.ClassRef.FullName, ShipVia: t.ShipMethodRef.FullName, Memo: t.Memo, BillAddress: t.BillAddress,
			ShipAddress: t.ShipAddress, Tax: t.SalesTaxTotal}
	}
	for _, r := range rs.SalesReceipts {
		s := base(shipstation.KeySalesReceipt, r.SalesTxnRet)
		s.Lines, s.Paid, s.Total = lines(r.Lines), true, r.TotalAmount
		out = append(out, s)
	}
	for _, r := range rs.Invoices {
		s := base(shipstation.KeyInvoice, r.SalesTxnRet)
		s.Lines, s.Paid, s.Total, s.PONumber = lines(r.Lines), r.IsPaid, r.Total(), r.PONumber
		out = append(out, s)
	}
	for _, r := range rs.SalesOrders {
		s := base(shipstation.KeySalesOrder, r.SalesTxnRet)
		s.Lines, s.Total, s.PONumber = lines(r.Lines), r.TotalAmount, r.PONumber
		out = append(out, s)
	}
	return out
}

// TypeName is how the merchant calls a sale of type t.
func TypeName(t string) string {
	switch t {
	case shipstation.KeySalesReceipt:
		return "sales receipt"
	case shipstation.KeyInvoice:
		return "invoice"
	case shipstation.KeySalesOrder:
		return "sales order"
	}
	return "sale"
}

// SettingType is the QuickBooksToShipStationSettings.TxnTypes name of sale type t.
func SettingType(t string) string {
	switch t {
	case shipstation.KeySalesReceipt:
		return orders.QBTxnSalesReceipt
	case shipstation.KeyInvoice:
		return orders.QBTxnInvoice
	case shipstation.KeySalesOrder:
		return orders.QBTxnSalesOrder
	}
	return ""
}

// hasAttn reports whether an address line is an "ATTN" line ("ATTN: Jane Doe", "Attn Jane
// Doe") and returns the person it names.
func hasAttn(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if len(t) < 4 || !strings.EqualFold(t[:4], "attn") {
		return "", false
	}
	return strings.TrimSpace(strings.TrimLeft(t[4:], ":.- ")), true
}

// fold compares names the way people write them: case and runs of spaces ignored.
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// MapAddress maps a QuickBooks address to a ShipStation one, per seed 004's table:
//
//   - With an "ATTN" line (line 1 or line 2): the person it names is the ShipStation name,
//     the other of lines 1 and 2 is the company, and lines 3–5 are street 1–3.
//   - Without: line 1 is the name and lines 2–4 are street 1–3 (line 5 joins street 3). When
//     line 1 is not the customer's first + last name but the customer has one, line 1 is the
//     company and the customer's first + last name is the name; a line 1 equal to the
//     customer's company name is also the company.
//   - Phone and e-mail come from the customer record; city, state and postal code as they
//     are; the country as its two-letter code, derived from the state or province when
//     QuickBooks has none (US states, Canadian provinces, Australian states), else US.
func MapAddress(a qbxml.Address, c Contact) shipstation.Address {
	lines := []string{strings.TrimSpace(a.Addr1), strings.TrimSpace(a.Addr2), strings.TrimSpace(a.Addr3), strings.TrimSpace(a.Addr4), strings.TrimSpace(a.Addr5)}
	out := shipstation.Address{City: strings.TrimSpace(a.City), State: strings.TrimSpace(a.State), PostalCode: strings.TrimSpace(a.PostalCode), Phone: c.Phone}
	person := strings.TrimSpace(c.FirstName + " " + c.LastName)
	street := func(ls []string) {
		var kept []string
		for _, l := range ls {
			if l != "" {
				kept = append(kept, l)
			}
		}
		if len(kept) > 3 {
			kept = append(kept[:2], strings.Join(kept[2:], ", "))
		}
		for i, l := range kept {
			switch i {
			case 0:
				out.Street1 = l
			case 1:
				out.Street2 = l
			case 2:
				out.Street3 = l
			}
		}
	}
	if name, ok := hasAttn(lines[0]); ok {
		out.Name, out.Company = name, lines[1]
		street(lines[2:])
	} else if name, ok := hasAttn(lines[1]); ok {
		out.Name, out.Company = name, lines[0]
		street(lines[2:])
	} else {
		out.Name = lines[0]
		switch {
		case lines[0] == "":
			out.Name = person
		case person != "" && fold(lines[0]) != fold(person):
			out.Name, out.Company = person, lines[0]
		case c.Company != "" && fold(lines[0]) == fold(c.Company):
			out.Company = lines[0]
		}
		street(lines[1:])
	}
	if out.Name == "" {
		out.Name = out.Company
	}
	out.Country = CountryCode(a.Country, out.State)
	return out
}

// countryNames are the country spellings QuickBooks users type most, by ISO code.
var countryNames = map[string]string{
	"us": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states": "US", "united states of america": "US", "america": "US",
	"ca": "CA", "can": "CA", "canada": "CA",
	"mx": "MX", "mex": "MX", "mexico": "MX", "méxico": "MX",
	"gb": "GB", "uk": "GB", "u.k.": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
	"au": "AU", "aus": "AU", "australia": "AU",
	"nz": "NZ", "new zealand": "NZ",
	"de": "DE", "germany": "DE", "deutschland": "DE",
	"fr": "FR", "france": "FR",
	"ie": "IE", "ireland": "IE",
	"pr": "PR", "puerto rico": "PR",
}

var (
	usStates    = strings.Fields("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP VI AA AE AP")
	caProvinces = strings.Fields("AB BC MB NB NL NS NT NU ON PE QC SK YT")
	auStates    = strings.Fields("NSW VIC QLD WA SA TAS ACT NT")
)

// CountryCode is the two-letter code of QuickBooks' country text, or, when it is empty, the
// country of state (US states first: WA and NT are also Australian, but a QuickBooks company
// shipping from the US means Washington), else US.
func CountryCode(country, state string) string {
	c := strings.TrimSpace(country)
	if c != "" {
		if code, ok := countryNames[strings.ToLower(c)]; ok {
			return code
		}
		if len(c) == 2 {
			return strings.ToUpper(c)
		}
		return c // ShipStation names what it cannot read
	}
	st := strings.ToUpper(strings.TrimSpace(strings.TrimSuffix(state, ".")))
	for _, list := range []struct {
		codes []string
		cc    string
	}{{usStates, "US"}, {caProvinces, "CA"}, {auStates, "AU"}} {
		for _, s := range list.codes {
			if s == st {
				return list.cc
			}
		}
	}
	return "US"
}

// Parked is why a sale is not sent, in plain words with what to do.
type Parked struct{ Reason string }

func (p *Parked) Error() string { return p.Reason }

// Document is the sale as the QUICKBOOKS_TO_SHIPSTATION rules see it (orders.Order): number,
// date, customer, bill-to and ship-to (mapped as ShipStation will get them), lines (SKU =
// QuickBooks item), shipping.method = Ship Via, class. A fractional quantity is refused with
// a *Parked error (seed 004: ShipStation takes whole quantities only). shippingItem is the
// QuickBooks item whose lines are the shipping charge.
func Document(s Sale, c Contact, shippingItem string) (orders.Order, error) {
	ship := s.ShipAddress
	if ship == (qbxml.Address{}) {
		ship = s.BillAddress
	}
	bill, to := MapAddress(s.BillAddress, c), MapAddress(ship, c)
	addr := func(a shipstation.Address) orders.Address {
		line2 := a.Street2
		if a.Street3 != "" {
			line2 = strings.TrimSpace(line2 + ", " + a.Street3)
		}
		return orders.Address{Name: a.Name, Company: a.Company, Line1: a.Street1, Line2: line2, City: a.City, State: a.State,
			PostalCode: a.PostalCode, Country: a.Country, Phone: a.Phone, Email: c.Email}
	}
	o := orders.Order{Channel: "shipstation", ExternalID: s.TxnID, Number: s.RefNumber, Currency: "USD",
		Customer: orders.Customer{ID: s.CustomerListID, Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Company: c.Company, Phone: c.Phone},
		BillTo:   addr(bill), ShipTo: addr(to), Shipping: orders.Shipping{Method: s.ShipVia}, Class: s.Class, Note: s.Memo,
		TaxTotal: orders.Money(s.Tax)}
	if s.TxnDate != "" {
		if d, err := time.Parse(time.DateOnly, s.TxnDate); err == nil {
			o.CreatedAt, o.UpdatedAt = d, d
		}
	}
	if o.BillTo.Company == "" {
		o.BillTo.Company = c.Company
	}
	for i, l := range s.Lines {
		if l.Item == "" && l.Amount == 0 {
			continue // a description-only line
		}
		if shippingItem != "" && strings.EqualFold(l.Item, shippingItem) {
			o.Shipping.Amount += orders.Money(l.Amount)
			continue
		}
		qty := int64(1)
		if l.HasQty {
			if l.Quantity%qbxml.QuantityScale != 0 {
				return o, &Parked{Reason: fmt.Sprintf("Line %d (%s) has quantity %s: ShipStation takes whole quantities only. "+
					"Change it to a whole number in QuickBooks and the sale is sent on the next Web Connector run, "+
					"or enter it in ShipStation yourself (open the order, click Edit next to Order Details, then the quantity).",
					i+1, lineName(l), l.Quantity)}
			}
			qty = int64(l.Quantity / qbxml.QuantityScale)
		}
		unit := orders.Money(priceCents(l.Rate))
		if !l.HasQty || l.Rate == 0 {
			unit = orders.Money(l.Amount)
			if qty != 0 && qty != 1 {
				unit = orders.Money(int64(l.Amount) / qty)
			}
		}
		o.Lines = append(o.Lines, orders.Line{ID: fmt.Sprint(i + 1), SKU: l.Item, Name: lineName(l), Quantity: qty, UnitPrice: unit,
			Total: orders.Money(l.Amount)})
		o.Subtotal += orders.Money(l.Amount)
	}
	o.ShippingTotal = o.Shipping.Amount
	o.Total = orders.Money(s.Total)
	return o, nil
}

func lineName(l SaleLine) string {
	if d := strings.TrimSpace(l.Desc); d != "" {
		return d
	}
	return l.Item
}

// priceCents rounds a QuickBooks rate (five decimals) to cents, half away from zero.
func priceCents(p qbxml.Price) int64 {
	const per = qbxml.QuantityScale / 100
	v := int64(p)
	if v < 0 {
		return -((-v + per/2) / per)
	}
	return (v + per/2) / per
}

// pacific is ShipStation's time zone: V1 dates are Pacific wall-clock time.
var pacific = mustPacific()

func mustPacific() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return time.FixedZone("PST", -8*3600)
	}
	return loc
}

// Target is where the order goes and in which state, after settings and rules.
type Target struct {
	StoreID int64
	Status  string
}

// ShipStationOrder builds the order ShipStation gets from the rules document o of sale s:
// orderKey (shipstation.QuickBooksOrderKey), number, date (the QuickBooks date, midnight
// Pacific), status and store, customer, addresses, items (SKU = QuickBooks item),
// Ship Via → requestedShippingService, carrier/service and third-party billing as rules set
// them, tax and shipping amounts.
func ShipStationOrder(o orders.Order, s Sale, key string, t Target) shipstation.Order {
	d, _ := time.Parse(time.DateOnly, s.TxnDate)
	addr := func(a orders.Address) shipstation.Address {
		return shipstation.Address{Name: a.Name, Company: a.Company, Street1: a.Line1, Street2: a.Line2, City: a.City, State: a.State,
			PostalCode: a.PostalCode, Country: a.Country, Phone: a.Phone}
	}
	out := shipstation.Order{OrderNumber: s.RefNumber, OrderKey: key,
		OrderDate: shipstation.Time{Time: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, pacific)}, OrderStatus: t.Status,
		CustomerUsername: s.CustomerName, CustomerEmail: o.Customer.Email, BillTo: addr(o.BillTo), ShipTo: addr(o.ShipTo),
		TaxAmount: shipstation.Money(o.TaxTotal), ShippingAmount: shipstation.Money(o.Shipping.Amount), InternalNotes: o.Note,
		RequestedShippingService: o.Shipping.Method, CarrierCode: o.Shipping.Carrier, ServiceCode: o.Shipping.Service,
		Items: []shipstation.Item{}}
	if s.Paid {
		out.AmountPaid = shipstation.Money(s.Total)
		out.PaymentDate = out.OrderDate
	}
	for _, l := range o.Lines {
		out.Items = append(out.Items, shipstation.Item{LineItemKey: l.ID, SKU: l.SKU, Name: l.Name, Quantity: int(l.Quantity),
			UnitPrice: shipstation.Money(l.UnitPrice), Adjustment: l.UnitPrice < 0})
	}
	adv := &shipstation.AdvancedOptions{StoreID: t.StoreID, Source: "QuickBooks",
		CustomField1: fmt.Sprintf("QuickBooks %s %s", TypeName(s.Type), s.RefNumber), CustomField2: s.PONumber}
	if sh := o.Shipping; sh.BillToParty != "" || sh.BillToAccount != "" {
		adv.BillToParty, adv.BillToAccount, adv.BillToPostalCode, adv.BillToCountryCode = sh.BillToParty, sh.BillToAccount, sh.BillToPostalCode, sh.BillToCountry
	}
	out.AdvancedOptions = adv
	return out
}

// Explain turns ShipStation's refusal of an order into what the merchant reads: what happened
// and what to do.
func Explain(msg string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "provider") && (strings.Contains(m, "service") || strings.Contains(m, "mismatch")):
		return "ShipStation reports a provider and service mismatch (" + msg + "). This happens when the account has two UPS " +
			"accounts (one from ShipStation, one from UPS) and orders point at the disabled one. In ShipStation, open each " +
			"order in the store QuickBooks sales go to, change the package information and choose the UPS account in use."
	case Locked(msg):
		return "ShipStation has already shipped or cancelled this order, so the change made in QuickBooks was not sent. " +
			"Change the order in ShipStation if it still matters."
	case strings.Contains(m, "store") && (strings.Contains(m, "not exist") || strings.Contains(m, "not found")):
		return "The ShipStation store chosen for this sale does not exist (" + msg + "). Choose another store under Sync Orders " +
			"from QuickBooks, or fix the rule that names it; the sale is sent again when you click Send again."
	}
	return "ShipStation refused the order: " + msg + " Correct the sale in QuickBooks; it is sent again when it changes."
}

// Locked reports whether ShipStation's message says the order is shipped or cancelled and
// takes no updates.
func Locked(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "can be updated") || strings.Contains(m, " is shipped") || strings.Contains(m, " is cancelled")
}
