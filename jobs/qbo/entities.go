package qbo

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// The entities below carry only the fields Ledgerlink writes or reads, named as the Accounting
// API names them (JSON, minor version MinorVersion). Field tables:
// shared/specs/qbo/intuit-docs-scraped/api-reference_*.md; wire samples: the VCR cassettes.

// Amount is a money amount in cents, written as QuickBooks writes it: a JSON number with two
// decimals ("337.50"). Reading accepts any number of at most two decimals.
type Amount int64

// MarshalJSON writes a as a number with exactly two decimals.
func (a Amount) MarshalJSON() ([]byte, error) {
	v, sign := int64(a), ""
	if v < 0 {
		v, sign = -v, "-"
	}
	return fmt.Appendf(nil, "%s%d.%02d", sign, v/100, v%100), nil
}

// UnmarshalJSON reads a number ("100", "100.0", "337.50", "-0.05") exactly, without floats.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 2 {
		return fmt.Errorf("qbo: amount %s has more than two decimals", b)
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return fmt.Errorf("qbo: amount %s: %w", b, err)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return fmt.Errorf("qbo: amount %s: %w", b, err)
	}
	c := w*100 + f
	if neg {
		c = -c
	}
	*a = Amount(c)
	return nil
}

// Ref points at another entity: by Id (value), with its name for people.
type Ref struct {
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
}

// MetaData is an entity's create and last-update times.
type MetaData struct {
	CreateTime      string `json:"CreateTime,omitempty"`
	LastUpdatedTime string `json:"LastUpdatedTime,omitempty"`
}

// Address is a PhysicalAddress.
type Address struct {
	Line1                  string `json:"Line1,omitempty"`
	Line2                  string `json:"Line2,omitempty"`
	Line3                  string `json:"Line3,omitempty"`
	Line4                  string `json:"Line4,omitempty"`
	City                   string `json:"City,omitempty"`
	CountrySubDivisionCode string `json:"CountrySubDivisionCode,omitempty"`
	PostalCode             string `json:"PostalCode,omitempty"`
	Country                string `json:"Country,omitempty"`
}

// SalesItemLine is the DetailType of a line that sells an item.
const SalesItemLine = "SalesItemLineDetail"

// Line is a line of a sales receipt or invoice. QuickBooks adds a line of DetailType
// SubTotalLineDetail to what it answers.
type Line struct {
	ID                  string               `json:"Id,omitempty"`
	LineNum             int                  `json:"LineNum,omitempty"`
	Description         string               `json:"Description,omitempty"`
	Amount              Amount               `json:"Amount"`
	DetailType          string               `json:"DetailType"`
	SalesItemLineDetail *SalesItemLineDetail `json:"SalesItemLineDetail,omitempty"`
}

// SalesItemLineDetail says which item a line sells, how many, and whether it is taxable.
type SalesItemLineDetail struct {
	ItemRef   Ref      `json:"ItemRef"`
	Qty       float64  `json:"Qty,omitempty"`
	UnitPrice *float64 `json:"UnitPrice,omitempty"`
	// TaxCodeRef is "TAX" or "NON" in US companies.
	TaxCodeRef *Ref `json:"TaxCodeRef,omitempty"`
	ClassRef   *Ref `json:"ClassRef,omitempty"`
}

// TxnTaxDetail is a sale's tax: in a US company, TotalTax set by the caller is the tax
// QuickBooks records instead of computing its own.
type TxnTaxDetail struct {
	TxnTaxCodeRef *Ref   `json:"TxnTaxCodeRef,omitempty"`
	TotalTax      Amount `json:"TotalTax"`
}

// MemoRef is a memo field (CustomerMemo).
type MemoRef struct {
	Value string `json:"value"`
}

// Sale is a SalesReceipt or an Invoice: they share every field Ledgerlink uses, except that an
// invoice has no deposit account or payment method and a receipt no balance due.
type Sale struct {
	ID                  string        `json:"Id,omitempty"`
	SyncToken           string        `json:"SyncToken,omitempty"`
	Sparse              bool          `json:"sparse,omitempty"`
	DocNumber           string        `json:"DocNumber,omitempty"`
	TxnDate             string        `json:"TxnDate,omitempty"`
	PrivateNote         string        `json:"PrivateNote,omitempty"`
	CustomerMemo        *MemoRef      `json:"CustomerMemo,omitempty"`
	CustomerRef         *Ref          `json:"CustomerRef,omitempty"`
	ClassRef            *Ref          `json:"ClassRef,omitempty"`
	BillAddr            *Address      `json:"BillAddr,omitempty"`
	ShipAddr            *Address      `json:"ShipAddr,omitempty"`
	Line                []Line        `json:"Line,omitempty"`
	TxnTaxDetail        *TxnTaxDetail `json:"TxnTaxDetail,omitempty"`
	DepositToAccountRef *Ref          `json:"DepositToAccountRef,omitempty"`
	PaymentMethodRef    *Ref          `json:"PaymentMethodRef,omitempty"`
	TotalAmt            *Amount       `json:"TotalAmt,omitempty"`
	Balance             *Amount       `json:"Balance,omitempty"`
	MetaData            *MetaData     `json:"MetaData,omitempty"`
}

// LinkedTxn links a payment line to the transaction it pays.
type LinkedTxn struct {
	TxnID   string `json:"TxnId"`
	TxnType string `json:"TxnType"`
}

// PaymentLine is the part of a payment applied to one invoice.
type PaymentLine struct {
	Amount    Amount      `json:"Amount"`
	LinkedTxn []LinkedTxn `json:"LinkedTxn"`
}

// Payment is a customer's payment, applied to invoices by its lines.
type Payment struct {
	ID                  string        `json:"Id,omitempty"`
	SyncToken           string        `json:"SyncToken,omitempty"`
	TxnDate             string        `json:"TxnDate,omitempty"`
	CustomerRef         *Ref          `json:"CustomerRef,omitempty"`
	TotalAmt            Amount        `json:"TotalAmt"`
	PaymentRefNum       string        `json:"PaymentRefNum,omitempty"`
	PrivateNote         string        `json:"PrivateNote,omitempty"`
	DepositToAccountRef *Ref          `json:"DepositToAccountRef,omitempty"`
	Line                []PaymentLine `json:"Line,omitempty"`
	MetaData            *MetaData     `json:"MetaData,omitempty"`
}

// The Type of items.
const (
	ItemInventory    = "Inventory"
	ItemNonInventory = "NonInventory"
	ItemService      = "Service"
)

// Item is a product or service.
type Item struct {
	ID                 string    `json:"Id,omitempty"`
	SyncToken          string    `json:"SyncToken,omitempty"`
	Name               string    `json:"Name,omitempty"`
	FullyQualifiedName string    `json:"FullyQualifiedName,omitempty"`
	Sku                string    `json:"Sku,omitempty"`
	Type               string    `json:"Type,omitempty"`
	Description        string    `json:"Description,omitempty"`
	Active             *bool     `json:"Active,omitempty"`
	TrackQtyOnHand     bool      `json:"TrackQtyOnHand,omitempty"`
	QtyOnHand          *float64  `json:"QtyOnHand,omitempty"`
	InvStartDate       string    `json:"InvStartDate,omitempty"`
	IncomeAccountRef   *Ref      `json:"IncomeAccountRef,omitempty"`
	ExpenseAccountRef  *Ref      `json:"ExpenseAccountRef,omitempty"`
	AssetAccountRef    *Ref      `json:"AssetAccountRef,omitempty"`
	MetaData           *MetaData `json:"MetaData,omitempty"`
}

// EmailAddress is a PrimaryEmailAddr.
type EmailAddress struct {
	Address string `json:"Address"`
}

// Phone is a PrimaryPhone.
type Phone struct {
	FreeFormNumber string `json:"FreeFormNumber"`
}

// Customer is a customer; its DisplayName is unique across customers, vendors and employees.
type Customer struct {
	ID               string        `json:"Id,omitempty"`
	SyncToken        string        `json:"SyncToken,omitempty"`
	DisplayName      string        `json:"DisplayName,omitempty"`
	GivenName        string        `json:"GivenName,omitempty"`
	FamilyName       string        `json:"FamilyName,omitempty"`
	CompanyName      string        `json:"CompanyName,omitempty"`
	PrimaryEmailAddr *EmailAddress `json:"PrimaryEmailAddr,omitempty"`
	PrimaryPhone     *Phone        `json:"PrimaryPhone,omitempty"`
	BillAddr         *Address      `json:"BillAddr,omitempty"`
	ShipAddr         *Address      `json:"ShipAddr,omitempty"`
	Active           *bool         `json:"Active,omitempty"`
	MetaData         *MetaData     `json:"MetaData,omitempty"`
}

// Account is a ledger account (deposit, income, COGS, asset accounts are found by Name).
type Account struct {
	ID          string `json:"Id,omitempty"`
	Name        string `json:"Name,omitempty"`
	AccountType string `json:"AccountType,omitempty"`
}

// Class is a class of the company's Class list, which a transaction's ClassRef names by Id;
// Ledgerlink finds it by FullyQualifiedName (a sub-class's is Parent:Child).
type Class struct {
	ID                 string `json:"Id,omitempty"`
	FullyQualifiedName string `json:"FullyQualifiedName,omitempty"`
}

// Preferences are the company's settings Ledgerlink reads.
type Preferences struct {
	AccountingInfoPrefs struct {
		// ClassTrackingPerTxn: a transaction may name one class (ClassRef); without it
		// QuickBooks Online has no ClassRef on sales.
		ClassTrackingPerTxn bool `json:"ClassTrackingPerTxn"`
	} `json:"AccountingInfoPrefs"`
}

// Entity names as the API spells them in bodies and queries; the path of an entity is its
// name in lower case.
const (
	EntitySalesReceipt = "SalesReceipt"
	EntityInvoice      = "Invoice"
	EntityPayment      = "Payment"
	EntityItem         = "Item"
	EntityCustomer     = "Customer"
	EntityAccount      = "Account"
	EntityClass        = "Class"
	// EntityCreditMemo and EntityRefundReceipt are a store refund's documents: the credit of
	// an invoice's customer, and the money paid back of a sales receipt.
	EntityCreditMemo    = "CreditMemo"
	EntityRefundReceipt = "RefundReceipt"
)

// UndepositedFunds is the account QuickBooks Online deposits a sales receipt's money to when it
// names none.
const UndepositedFunds = "Undeposited Funds"
