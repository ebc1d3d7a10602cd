package orders

import (
	"errors"
	"fmt"
	"strings"
)

// Transaction types an order can be posted as.
const (
	PostSalesReceipt = "sales_receipt"
	PostInvoice      = "invoice" // invoice, plus a payment when the order is paid
	PostSalesOrder   = "sales_order"
)

// Customer matching modes (seed 001): which QuickBooks customer an order posts to.
const (
	MatchLastFirst = "last_first" // "Doe, Jane"
	MatchFirstLast = "first_last" // "Jane Doe"
	MatchCompany   = "company"    // billing company, else the person
	MatchEmail     = "email"      // billing email
	MatchSingle    = "single"     // one named customer, e.g. "Web Store"
	MatchStore     = "store"      // the store connection's name
)

// Missing Product Actions (seed 000).
const (
	MissingCreate = "create" // create the item in QuickBooks
	MissingFlag   = "flag"   // park the order in needs_mapping until the SKU is mapped
)

// Item types Ledgerlink creates for SKUs QuickBooks does not have.
const (
	ItemNonInventory = "non_inventory"
	ItemInventory    = "inventory"
	ItemService      = "service"
)

// Settings are a store connection's posting settings. Zero values take the defaults of
// WithDefaults, which match a fresh QuickBooks company's chart of accounts.
type Settings struct {
	TransactionType string `json:"transactionType"`
	// RefPrefix goes before the store's order number in the QuickBooks RefNumber (a rule's
	// refPrefix wins). Numbers longer than QuickBooks' 11 characters keep their last 11 in
	// RefNumber and the full number in the memo.
	RefPrefix      string `json:"refPrefix,omitempty"`
	DepositAccount string `json:"depositAccount"`
	ShippingItem   string `json:"shippingItem"`
	DiscountItem   string `json:"discountItem"`
	TaxItem        string `json:"taxItem"`
	RoundingItem   string `json:"roundingItem"`
	IncomeAccount  string `json:"incomeAccount"`
	COGSAccount    string `json:"cogsAccount"`
	AssetAccount   string `json:"assetAccount"`
	NewItemType    string `json:"newItemType"`
	Class          string `json:"class,omitempty"`

	CustomerMatch          string `json:"customerMatch"`
	SingleCustomer         string `json:"singleCustomer,omitempty"`
	CreateMissingCustomers bool   `json:"createMissingCustomers"`

	MissingProduct string `json:"missingProduct"`
	// Statuses limits which store statuses are synced ("Order statuses to export"); empty = all.
	Statuses []string `json:"statuses,omitempty"`

	// Inventory says whether and how QuickBooks quantities reach this store (issue 12). A
	// connection stored before the field existed has it zero: inventory sync off.
	Inventory InventorySettings `json:"inventory"`

	// QuickBooksToShipStation is the QuickBooks → ShipStation direction of a ShipStation
	// connection (issue 13, seed 004); off for every other channel.
	QuickBooksToShipStation QuickBooksToShipStationSettings `json:"quickbooksToShipStation"`
}

// DefaultSettings are what a new connection starts with.
func DefaultSettings() Settings {
	return Settings{
		TransactionType: PostSalesReceipt, DepositAccount: "Undeposited Funds",
		ShippingItem: "Shipping", DiscountItem: "Store Discounts", TaxItem: "Sales Tax Collected", RoundingItem: "Rounding Adjustment",
		IncomeAccount: "Sales", COGSAccount: "Cost of Goods Sold", AssetAccount: "Inventory Asset", NewItemType: ItemNonInventory,
		CustomerMatch: MatchLastFirst, CreateMissingCustomers: true, MissingProduct: MissingCreate,
	}
}

// WithDefaults fills empty fields from DefaultSettings.
func (s Settings) WithDefaults() Settings {
	d := DefaultSettings()
	fill := func(v *string, def string) {
		if strings.TrimSpace(*v) == "" {
			*v = def
		}
	}
	fill(&s.TransactionType, d.TransactionType)
	fill(&s.DepositAccount, d.DepositAccount)
	fill(&s.ShippingItem, d.ShippingItem)
	fill(&s.DiscountItem, d.DiscountItem)
	fill(&s.TaxItem, d.TaxItem)
	fill(&s.RoundingItem, d.RoundingItem)
	fill(&s.IncomeAccount, d.IncomeAccount)
	fill(&s.COGSAccount, d.COGSAccount)
	fill(&s.AssetAccount, d.AssetAccount)
	fill(&s.NewItemType, d.NewItemType)
	fill(&s.CustomerMatch, d.CustomerMatch)
	fill(&s.MissingProduct, d.MissingProduct)
	s.Inventory = s.Inventory.WithDefaults()
	s.QuickBooksToShipStation = s.QuickBooksToShipStation.WithDefaults()
	return s
}

// Validate names every setting that is not one of the allowed values.
func (s Settings) Validate() error {
	var errs []error
	check := func(field, v string, allowed ...string) {
		for _, a := range allowed {
			if v == a {
				return
			}
		}
		errs = append(errs, fmt.Errorf("%s must be one of %s, not %q", field, strings.Join(allowed, ", "), v))
	}
	s = s.WithDefaults()
	check("transactionType", s.TransactionType, PostSalesReceipt, PostInvoice, PostSalesOrder)
	check("customerMatch", s.CustomerMatch, MatchLastFirst, MatchFirstLast, MatchCompany, MatchEmail, MatchSingle, MatchStore)
	check("missingProduct", s.MissingProduct, MissingCreate, MissingFlag)
	check("newItemType", s.NewItemType, ItemNonInventory, ItemInventory, ItemService)
	if s.CustomerMatch == MatchSingle && strings.TrimSpace(s.SingleCustomer) == "" {
		errs = append(errs, errors.New("singleCustomer is required when customerMatch is single"))
	}
	if err := s.Inventory.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := s.QuickBooksToShipStation.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
