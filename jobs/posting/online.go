package posting

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbo"
)

// QuickBooks Online renders the same Sale as Desktop (Decide), with its own names and limits:
// DocNumber holds 21 characters, a DisplayName or item Name 100 (no ':'), and every reference
// is by Id, which the poster resolves first (OnlineRefs).

// Limits of QuickBooks Online fields (api-reference_salesreceipt / item / customer).
const (
	MaxOnlineDocNumber = 21
	MaxOnlineName      = 100
)

// ErrNoOnlineSalesOrders: QuickBooks Online has no sales orders.
var ErrNoOnlineSalesOrders = errors.New("QuickBooks Online has no sales orders: choose sales receipt or invoice as the transaction type in the store's settings")

// OnlineDocNumber is ref as QuickBooks Online stores it: its last 21 characters, as Desktop
// keeps the end of a long number (the end is what differs between orders).
func OnlineDocNumber(ref string) string {
	r := []rune(ref)
	if len(r) > MaxOnlineDocNumber {
		r = r[len(r)-MaxOnlineDocNumber:]
	}
	return string(r)
}

// OnlineName is name as a QuickBooks Online item or customer name: ':' (the sub-item
// separator) replaced, at most 100 characters.
func OnlineName(name string) string {
	r := []rune(strings.TrimSpace(strings.ReplaceAll(name, ":", "-")))
	if len(r) > MaxOnlineName {
		r = r[:MaxOnlineName]
	}
	return strings.TrimSpace(string(r))
}

// OnlineItemName is the QuickBooks Online item line l of a sale posts to, found by Name when it
// has no SKU (or the company keeps no SKUs): the store's name for products, the settings'
// charge item otherwise.
func OnlineItemName(l SaleLine) string {
	if l.Kind == LineProduct {
		return OnlineName(l.Given)
	}
	return OnlineName(l.Item)
}

// OnlineRefs are the QuickBooks Online Ids the names of a sale resolve to.
type OnlineRefs struct {
	Customer string
	// Items are by OnlineItemName of each line.
	Items          map[string]string
	DepositAccount string // "" leaves QuickBooks' default (Undeposited Funds)
	// Class is the Id of the sale's class (Sale.Class, a FullyQualifiedName), "" when the
	// company has no such class; ClassTracking says the company tracks a class per
	// transaction (Preferences.AccountingInfoPrefs.ClassTrackingPerTxn), without which a sale
	// cannot name one.
	Class         string
	ClassTracking bool
	// US says the company is a US one: the store's tax goes in TxnTaxDetail.TotalTax on
	// lines marked TAX/NON instead of on a tax item line (QuickBooks Online US computes sales
	// tax itself unless told the total).
	US bool
}

// ErrOnlineClass is what OnlineSale's refusals of a sale's class match (errors.Is): the class
// cannot go to QuickBooks Online as it is. Their words are the merchant's reason.
var ErrOnlineClass = errors.New("the class cannot be used in QuickBooks Online")

// onlineClassError is a refusal of a sale's class, in words that say what to do.
type onlineClassError string

func (e onlineClassError) Error() string        { return string(e) }
func (e onlineClassError) Is(target error) bool { return target == ErrOnlineClass }

// onlineClassRef is the ClassRef of a sale of class (a FullyQualifiedName) resolved to id, nil
// when the sale has no class. A class QuickBooks Online cannot take is refused rather than
// left out: the merchant's class reports would silently miss the sale.
func onlineClassRef(class string, refs OnlineRefs) (*qbo.Ref, error) {
	switch {
	case class == "":
		return nil, nil
	case !refs.ClassTracking:
		return nil, onlineClassError(fmt.Sprintf("The sale has class %q but the QuickBooks Online company does not track classes: turn on class tracking, one class to each transaction (Settings → Account and settings → Advanced → Categories), or clear the class in the store's settings or the rule that sets it, then resync.", class))
	case refs.Class == "":
		return nil, onlineClassError(fmt.Sprintf("QuickBooks Online has no class %q: create it in QuickBooks Online (Lists → Classes; a sub-class is named Parent:Child), or change or clear the class in the store's settings or the rule that sets it, then resync.", class))
	}
	return &qbo.Ref{Value: refs.Class, Name: class}, nil
}

// OnlineMarker is what a QuickBooks Online document carries in PrivateNote so the duplicate
// check recognises it: the memo and the store-scoped marker.
func OnlineMarker(sale *Sale) string { return sale.Memo + " [" + sale.Marker + "]" }

// OnlineSale renders sale as a QuickBooks Online SalesReceipt or Invoice (the entity name
// says which). Every line's item must be in refs.Items; a sale with a class needs refs.Class
// and refs.ClassTracking (else an ErrOnlineClass saying what to do).
func OnlineSale(sale *Sale, refs OnlineRefs) (entity string, doc qbo.Sale, err error) {
	switch sale.Type {
	case orders.PostInvoice:
		entity = qbo.EntityInvoice
	case orders.PostSalesOrder:
		return "", qbo.Sale{}, ErrNoOnlineSalesOrders
	default:
		entity = qbo.EntitySalesReceipt
	}
	doc = qbo.Sale{DocNumber: OnlineDocNumber(sale.Ref), TxnDate: sale.Date.Format("2006-01-02"),
		PrivateNote: OnlineMarker(sale), CustomerRef: &qbo.Ref{Value: refs.Customer, Name: sale.Customer},
		BillAddr: onlineAddress(sale.BillTo), ShipAddr: onlineAddress(sale.ShipTo)}
	if doc.ClassRef, err = onlineClassRef(sale.Class, refs); err != nil {
		return "", qbo.Sale{}, err // the merchant's reason as it is: the order it is on is known
	}
	if entity == qbo.EntitySalesReceipt && refs.DepositAccount != "" {
		doc.DepositToAccountRef = &qbo.Ref{Value: refs.DepositAccount, Name: sale.DepositAccount}
	}
	taxOnTotal := refs.US && sale.Tax != 0
	for _, l := range sale.Lines {
		if l.Kind == LineTax && taxOnTotal {
			continue
		}
		name := OnlineItemName(l)
		id, ok := refs.Items[name]
		if !ok {
			return "", qbo.Sale{}, fmt.Errorf("order %s: no QuickBooks Online item for %q", sale.Number, name)
		}
		d := &qbo.SalesItemLineDetail{ItemRef: qbo.Ref{Value: id, Name: name}}
		if l.Kind == LineProduct && l.Quantity != 0 {
			d.Qty = float64(l.Quantity)
			// UnitPrice × Qty must equal Amount or QuickBooks refuses the line; a line whose
			// discount leaves an odd cent per unit goes without a unit price.
			if int64(l.Amount)%l.Quantity == 0 {
				p := float64(int64(l.Amount)/l.Quantity) / 100
				d.UnitPrice = &p
			}
		}
		if refs.US {
			code := "NON"
			// The store taxed the order: its products are taxable, its charges not, and
			// TotalTax says how much the tax was.
			if taxOnTotal && l.Kind == LineProduct {
				code = "TAX"
			}
			d.TaxCodeRef = &qbo.Ref{Value: code}
		}
		doc.Line = append(doc.Line, qbo.Line{Description: l.Desc, Amount: qbo.Amount(l.Amount), DetailType: qbo.SalesItemLine, SalesItemLineDetail: d})
	}
	if taxOnTotal {
		doc.TxnTaxDetail = &qbo.TxnTaxDetail{TotalTax: qbo.Amount(sale.Tax)}
	}
	return entity, doc, nil
}

// OnlinePayment renders the payment of invoice invoiceID of a paid sale, nil when nothing is
// paid.
func OnlinePayment(sale *Sale, customerID, invoiceID, depositAccountID string) *qbo.Payment {
	if sale.Paid <= 0 {
		return nil
	}
	p := &qbo.Payment{TxnDate: sale.Date.Format("2006-01-02"), CustomerRef: &qbo.Ref{Value: customerID, Name: sale.Customer},
		TotalAmt: qbo.Amount(sale.Paid), PaymentRefNum: OnlineDocNumber(sale.Number),
		PrivateNote: fmt.Sprintf("Payment for %s order #%s (%s) [%s]", channelName(sale.Channel), sale.Number, sale.PaymentMethod, PaymentMarker(sale)),
		Line:        []qbo.PaymentLine{{Amount: qbo.Amount(sale.Paid), LinkedTxn: []qbo.LinkedTxn{{TxnID: invoiceID, TxnType: qbo.EntityInvoice}}}}}
	if depositAccountID != "" {
		p.DepositToAccountRef = &qbo.Ref{Value: depositAccountID, Name: sale.DepositAccount}
	}
	return p
}

// PaymentMarker is the store-scoped marker of a sale's payment.
func PaymentMarker(sale *Sale) string {
	return qbd.ScopedMarker(PaymentDocKey(sale.OrderID), StoreScope(sale.ConnectionID))
}

// OnlineCustomer is the customer to create for sale when QuickBooks Online has none of its
// DisplayName.
func OnlineCustomer(sale *Sale) qbo.Customer {
	c := qbo.Customer{DisplayName: OnlineName(sale.Customer), GivenName: sale.FirstName, FamilyName: sale.LastName,
		CompanyName: sale.BillTo.Company, BillAddr: onlineAddress(sale.BillTo), ShipAddr: onlineAddress(sale.ShipTo)}
	if sale.Email != "" {
		c.PrimaryEmailAddr = &qbo.EmailAddress{Address: sale.Email}
	}
	if sale.Phone != "" {
		c.PrimaryPhone = &qbo.Phone{FreeFormNumber: sale.Phone}
	}
	return c
}

// OnlineItem is the item to create for line l when QuickBooks Online has none, or nil when
// the order is to be parked for mapping instead (Missing Product Action "flag"; charge items
// are always created). incomeAccount is the Id of the settings' income account. An inventory
// item is created as non-inventory: Ledgerlink does not know its opening stock or asset
// accounts here, and a wrong quantity on hand is worse than none.
func OnlineItem(l SaleLine, s orders.Settings, incomeAccount string) *qbo.Item {
	s = s.WithDefaults()
	if l.Kind == LineProduct && s.MissingProduct != orders.MissingCreate {
		return nil
	}
	it := &qbo.Item{Name: OnlineItemName(l), Type: qbo.ItemNonInventory, Description: firstNonEmpty(l.Desc, l.Item),
		IncomeAccountRef: &qbo.Ref{Value: incomeAccount, Name: s.IncomeAccount}}
	if l.Kind == LineProduct {
		it.Sku = l.SKU
		if s.NewItemType == orders.ItemService {
			it.Type = qbo.ItemService
		}
	} else {
		it.Type = qbo.ItemService
	}
	return it
}

// FindOnlineSale picks, among documents QuickBooks Online has, the one this sale became: its
// DocNumber, its date and its marker in PrivateNote; nil when none is (a same-numbered sale of
// another store, or one typed by hand, is not it).
func FindOnlineSale(sale *Sale, found []qbo.Sale) *qbo.Sale {
	for i := range found {
		if found[i].DocNumber == OnlineDocNumber(sale.Ref) && strings.Contains(found[i].PrivateNote, sale.Marker) &&
			found[i].TxnDate == sale.Date.Format("2006-01-02") {
			return &found[i]
		}
	}
	return nil
}

func onlineAddress(a orders.Address) *qbo.Address {
	return newAddress(a, func(l [4]string) *qbo.Address {
		return &qbo.Address{Line1: l[0], Line2: l[1], Line3: l[2], Line4: l[3], City: a.City, CountrySubDivisionCode: a.State, PostalCode: a.PostalCode, Country: a.Country}
	})
}
