package shipstationsim

// The types in this file are the V1 wire shapes, field for field and in the
// order of ShipStation's documentation samples (see testdata/spec/). A
// pointer field is one the samples show as null; the simulator keeps null and
// "" apart exactly as the caller sent them.

// Order statuses (the orderStatus enum).
const (
	StatusAwaitingPayment    = "awaiting_payment"
	StatusAwaitingShipment   = "awaiting_shipment"
	StatusPendingFulfillment = "pending_fulfillment"
	StatusShipped            = "shipped"
	StatusOnHold             = "on_hold"
	StatusCancelled          = "cancelled"
)

var validStatuses = map[string]bool{
	StatusAwaitingPayment: true, StatusAwaitingShipment: true, StatusPendingFulfillment: true,
	StatusShipped: true, StatusOnHold: true, StatusCancelled: true,
}

// updatable lists the statuses in which createorder(s) may still change an
// order; shipped and cancelled orders are locked.
var updatable = map[string]bool{
	StatusAwaitingPayment: true, StatusAwaitingShipment: true, StatusOnHold: true,
}

// Order is the V1 Order model as GET /orders returns it.
type Order struct {
	OrderID                  int64                 `json:"orderId"`
	OrderNumber              string                `json:"orderNumber"`
	OrderKey                 string                `json:"orderKey"`
	OrderDate                string                `json:"orderDate"`
	CreateDate               string                `json:"createDate"`
	ModifyDate               string                `json:"modifyDate"`
	PaymentDate              *string               `json:"paymentDate"`
	ShipByDate               *string               `json:"shipByDate"`
	OrderStatus              string                `json:"orderStatus"`
	CustomerID               *int64                `json:"customerId"`
	CustomerUsername         *string               `json:"customerUsername"`
	CustomerEmail            *string               `json:"customerEmail"`
	BillTo                   *Address              `json:"billTo"`
	ShipTo                   *Address              `json:"shipTo"`
	Items                    []Item                `json:"items"`
	OrderTotal               float64               `json:"orderTotal"`
	AmountPaid               float64               `json:"amountPaid"`
	TaxAmount                float64               `json:"taxAmount"`
	ShippingAmount           float64               `json:"shippingAmount"`
	CustomerNotes            *string               `json:"customerNotes"`
	InternalNotes            *string               `json:"internalNotes"`
	Gift                     bool                  `json:"gift"`
	GiftMessage              *string               `json:"giftMessage"`
	PaymentMethod            *string               `json:"paymentMethod"`
	RequestedShippingService *string               `json:"requestedShippingService"`
	CarrierCode              *string               `json:"carrierCode"`
	ServiceCode              *string               `json:"serviceCode"`
	PackageCode              *string               `json:"packageCode"`
	Confirmation             *string               `json:"confirmation"`
	ShipDate                 *string               `json:"shipDate"`
	HoldUntilDate            *string               `json:"holdUntilDate"`
	Weight                   *Weight               `json:"weight"`
	Dimensions               *Dimensions           `json:"dimensions"`
	InsuranceOptions         *InsuranceOptions     `json:"insuranceOptions"`
	InternationalOptions     *InternationalOptions `json:"internationalOptions"`
	AdvancedOptions          *AdvancedOptions      `json:"advancedOptions"`
	TagIDs                   []int64               `json:"tagIds"`
	UserID                   *string               `json:"userId"`
	ExternallyFulfilled      bool                  `json:"externallyFulfilled"`
	ExternallyFulfilledBy    *string               `json:"externallyFulfilledBy"`
}

// StoreID returns advancedOptions.storeId, or 0 when it is unset.
func (o *Order) StoreID() int64 {
	if o.AdvancedOptions == nil || o.AdvancedOptions.StoreID == nil {
		return 0
	}
	return *o.AdvancedOptions.StoreID
}

// Address is the V1 Address model used by billTo and shipTo.
// addressVerified is read-only: "Address not yet validated", "Address
// validated successfully", "Address validation warning" or "Address
// validation failed".
type Address struct {
	Name            string  `json:"name"`
	Company         *string `json:"company"`
	Street1         *string `json:"street1"`
	Street2         *string `json:"street2"`
	Street3         *string `json:"street3"`
	City            *string `json:"city"`
	State           *string `json:"state"`
	PostalCode      *string `json:"postalCode"`
	Country         *string `json:"country"`
	Phone           *string `json:"phone"`
	Residential     *bool   `json:"residential"`
	AddressVerified *string `json:"addressVerified"`
}

// Item is the V1 OrderItem model. createDate and modifyDate use
// NetTimeLayout, unlike the order's own dates.
type Item struct {
	OrderItemID       int64        `json:"orderItemId"`
	LineItemKey       *string      `json:"lineItemKey"`
	SKU               *string      `json:"sku"`
	Name              string       `json:"name"`
	ImageURL          *string      `json:"imageUrl"`
	Weight            *Weight      `json:"weight"`
	Quantity          int          `json:"quantity"`
	UnitPrice         float64      `json:"unitPrice"`
	TaxAmount         *float64     `json:"taxAmount"`
	ShippingAmount    *float64     `json:"shippingAmount"`
	WarehouseLocation *string      `json:"warehouseLocation"`
	Options           []ItemOption `json:"options"`
	ProductID         *int64       `json:"productId"`
	FulfillmentSKU    *string      `json:"fulfillmentSku"`
	Adjustment        bool         `json:"adjustment"`
	UPC               *string      `json:"upc"`
	CreateDate        string       `json:"createDate,omitempty"`
	ModifyDate        string       `json:"modifyDate,omitempty"`
}

// ItemOption is one {name, value} pair of an item's options.
type ItemOption struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Weight is the V1 Weight model; units is pounds, ounces or grams.
type Weight struct {
	Value float64 `json:"value"`
	Units string  `json:"units"`
}

// Ounces converts w to ounces (ShipStation's own unit).
func (w *Weight) Ounces() float64 {
	if w == nil {
		return 0
	}
	switch w.Units {
	case "pounds":
		return w.Value * 16
	case "grams":
		return w.Value / 28.349523125
	default:
		return w.Value
	}
}

// Dimensions is the V1 Dimensions model; units is inches or centimeters.
type Dimensions struct {
	Units  string  `json:"units"`
	Length float64 `json:"length"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// InsuranceOptions is the V1 InsuranceOptions model.
type InsuranceOptions struct {
	Provider       *string `json:"provider"`
	InsureShipment bool    `json:"insureShipment"`
	InsuredValue   float64 `json:"insuredValue"`
}

// InternationalOptions is the V1 InternationalOptions model.
type InternationalOptions struct {
	Contents     *string       `json:"contents"`
	CustomsItems []CustomsItem `json:"customsItems"`
	NonDelivery  *string       `json:"nonDelivery"`
}

// CustomsItem is one line of InternationalOptions.customsItems.
type CustomsItem struct {
	CustomsItemID        int64   `json:"customsItemId"`
	Description          string  `json:"description"`
	Quantity             int     `json:"quantity"`
	Value                float64 `json:"value"`
	HarmonizedTariffCode *string `json:"harmonizedTariffCode"`
	CountryOfOrigin      *string `json:"countryOfOrigin"`
}

// AdvancedOptions is the V1 AdvancedOptions model. storeId can only be set
// when an order is created; billToMyOtherAccount is newer than the 2015
// samples but is part of the current model.
type AdvancedOptions struct {
	WarehouseID          *int64  `json:"warehouseId"`
	NonMachinable        bool    `json:"nonMachinable"`
	SaturdayDelivery     bool    `json:"saturdayDelivery"`
	ContainsAlcohol      bool    `json:"containsAlcohol"`
	MergedOrSplit        bool    `json:"mergedOrSplit"`
	MergedIDs            []int64 `json:"mergedIds"`
	ParentID             *int64  `json:"parentId"`
	StoreID              *int64  `json:"storeId"`
	CustomField1         *string `json:"customField1"`
	CustomField2         *string `json:"customField2"`
	CustomField3         *string `json:"customField3"`
	Source               *string `json:"source"`
	BillToParty          *string `json:"billToParty"`
	BillToAccount        *string `json:"billToAccount"`
	BillToPostalCode     *string `json:"billToPostalCode"`
	BillToCountryCode    *string `json:"billToCountryCode"`
	BillToMyOtherAccount *int64  `json:"billToMyOtherAccount"`
}

// CreateOrdersResult is one element of createorders' results array.
type CreateOrdersResult struct {
	OrderID      int64   `json:"orderId"`
	OrderNumber  string  `json:"orderNumber"`
	OrderKey     string  `json:"orderKey"`
	Success      bool    `json:"success"`
	ErrorMessage *string `json:"errorMessage"`
}

// CreateOrdersResponse is the body of POST /orders/createorders.
type CreateOrdersResponse struct {
	HasErrors bool                 `json:"hasErrors"`
	Results   []CreateOrdersResult `json:"results"`
}

// ShipmentAddress is the address shape inside shipments (no addressVerified).
type ShipmentAddress struct {
	Name        string  `json:"name"`
	Company     *string `json:"company"`
	Street1     *string `json:"street1"`
	Street2     *string `json:"street2"`
	Street3     *string `json:"street3"`
	City        *string `json:"city"`
	State       *string `json:"state"`
	PostalCode  *string `json:"postalCode"`
	Country     *string `json:"country"`
	Phone       *string `json:"phone"`
	Residential *bool   `json:"residential"`
}

// ShipmentAdvancedOptions is the advancedOptions object of a shipment.
type ShipmentAdvancedOptions struct {
	BillToParty       *string `json:"billToParty"`
	BillToAccount     *string `json:"billToAccount"`
	BillToPostalCode  *string `json:"billToPostalCode"`
	BillToCountryCode *string `json:"billToCountryCode"`
	StoreID           *int64  `json:"storeId"`
}

// Shipment is the V1 Shipment model: a label bought in ShipStation.
// createDate uses NetTimeLayout, shipDate DateLayout.
type Shipment struct {
	ShipmentID          int64                    `json:"shipmentId"`
	OrderID             int64                    `json:"orderId"`
	OrderKey            string                   `json:"orderKey"`
	UserID              string                   `json:"userId"`
	CustomerEmail       *string                  `json:"customerEmail"`
	OrderNumber         string                   `json:"orderNumber"`
	CreateDate          string                   `json:"createDate"`
	ShipDate            string                   `json:"shipDate"`
	ShipmentCost        float64                  `json:"shipmentCost"`
	InsuranceCost       float64                  `json:"insuranceCost"`
	TrackingNumber      string                   `json:"trackingNumber"`
	IsReturnLabel       bool                     `json:"isReturnLabel"`
	BatchNumber         *string                  `json:"batchNumber"`
	CarrierCode         string                   `json:"carrierCode"`
	ServiceCode         string                   `json:"serviceCode"`
	PackageCode         *string                  `json:"packageCode"`
	Confirmation        *string                  `json:"confirmation"`
	WarehouseID         *int64                   `json:"warehouseId"`
	Voided              bool                     `json:"voided"`
	VoidDate            *string                  `json:"voidDate"`
	MarketplaceNotified bool                     `json:"marketplaceNotified"`
	NotifyErrorMessage  *string                  `json:"notifyErrorMessage"`
	ShipTo              *ShipmentAddress         `json:"shipTo"`
	Weight              *Weight                  `json:"weight"`
	Dimensions          *Dimensions              `json:"dimensions"`
	InsuranceOptions    *InsuranceOptions        `json:"insuranceOptions"`
	AdvancedOptions     *ShipmentAdvancedOptions `json:"advancedOptions"`
	ShipmentItems       []ShipmentItem           `json:"shipmentItems"`
	LabelData           *string                  `json:"labelData"`
	FormData            *string                  `json:"formData"`
}

// ShipmentItem is one element of Shipment.shipmentItems.
type ShipmentItem struct {
	OrderItemID       int64        `json:"orderItemId"`
	LineItemKey       *string      `json:"lineItemKey"`
	SKU               *string      `json:"sku"`
	Name              string       `json:"name"`
	ImageURL          *string      `json:"imageUrl"`
	Weight            *Weight      `json:"weight"`
	Quantity          int          `json:"quantity"`
	UnitPrice         float64      `json:"unitPrice"`
	WarehouseLocation *string      `json:"warehouseLocation"`
	Options           []ItemOption `json:"options"`
	ProductID         *int64       `json:"productId"`
	FulfillmentSKU    *string      `json:"fulfillmentSku"`
}

// Fulfillment is the V1 Fulfillment model: an order marked as shipped
// outside ShipStation's label flow. createDate uses NetTimeLayout and
// shipDate is midnight in NetTimeLayout ("2016-06-07T00:00:00").
type Fulfillment struct {
	FulfillmentID           int64    `json:"fulfillmentId"`
	OrderID                 int64    `json:"orderId"`
	OrderNumber             string   `json:"orderNumber"`
	UserID                  string   `json:"userId"`
	CustomerEmail           *string  `json:"customerEmail"`
	TrackingNumber          *string  `json:"trackingNumber"`
	CreateDate              string   `json:"createDate"`
	ShipDate                string   `json:"shipDate"`
	VoidDate                *string  `json:"voidDate"`
	DeliveryDate            *string  `json:"deliveryDate"`
	CarrierCode             string   `json:"carrierCode"`
	FulfillmentProviderCode *string  `json:"fulfillmentProviderCode"`
	FulfillmentServiceCode  *string  `json:"fulfillmentServiceCode"`
	FulfillmentFee          float64  `json:"fulfillmentFee"`
	VoidRequested           bool     `json:"voidRequested"`
	Voided                  bool     `json:"voided"`
	MarketplaceNotified     bool     `json:"marketplaceNotified"`
	NotifyErrorMessage      *string  `json:"notifyErrorMessage"`
	ShipTo                  *Address `json:"shipTo"`
}

// Store is the V1 Store model as GET /stores lists it.
type Store struct {
	StoreID            int64   `json:"storeId"`
	StoreName          string  `json:"storeName"`
	MarketplaceID      int     `json:"marketplaceId"`
	MarketplaceName    string  `json:"marketplaceName"`
	AccountName        *string `json:"accountName"`
	Email              *string `json:"email"`
	IntegrationURL     *string `json:"integrationUrl"`
	Active             bool    `json:"active"`
	CompanyName        string  `json:"companyName"`
	Phone              string  `json:"phone"`
	PublicEmail        string  `json:"publicEmail"`
	Website            string  `json:"website"`
	RefreshDate        *string `json:"refreshDate"`
	LastRefreshAttempt *string `json:"lastRefreshAttempt"`
	CreateDate         string  `json:"createDate"`
	ModifyDate         string  `json:"modifyDate"`
	AutoRefresh        bool    `json:"autoRefresh"`
}

// StoreDetail is GET /stores/{storeId}: a Store plus its status mappings.
type StoreDetail struct {
	Store
	StatusMappings []StatusMapping `json:"statusMappings"`
}

// StatusMapping maps a ShipStation status to the marketplace's own.
type StatusMapping struct {
	OrderStatus string `json:"orderStatus"`
	StatusKey   string `json:"statusKey"`
}

// Product is the V1 Product model. ShipStation creates one for every new SKU
// it sees on an order; the simulator does the same.
type Product struct {
	Aliases                 any          `json:"aliases"`
	ProductID               int64        `json:"productId"`
	SKU                     string       `json:"sku"`
	Name                    string       `json:"name"`
	Price                   float64      `json:"price"`
	DefaultCost             float64      `json:"defaultCost"`
	Length                  *float64     `json:"length"`
	Width                   *float64     `json:"width"`
	Height                  *float64     `json:"height"`
	WeightOz                *float64     `json:"weightOz"`
	InternalNotes           *string      `json:"internalNotes"`
	FulfillmentSKU          *string      `json:"fulfillmentSku"`
	CreateDate              string       `json:"createDate"`
	ModifyDate              string       `json:"modifyDate"`
	Active                  bool         `json:"active"`
	ProductCategory         any          `json:"productCategory"`
	ProductType             any          `json:"productType"`
	WarehouseLocation       *string      `json:"warehouseLocation"`
	DefaultCarrierCode      *string      `json:"defaultCarrierCode"`
	DefaultServiceCode      *string      `json:"defaultServiceCode"`
	DefaultPackageCode      *string      `json:"defaultPackageCode"`
	DefaultIntlCarrierCode  *string      `json:"defaultIntlCarrierCode"`
	DefaultIntlServiceCode  *string      `json:"defaultIntlServiceCode"`
	DefaultIntlPackageCode  *string      `json:"defaultIntlPackageCode"`
	DefaultConfirmation     *string      `json:"defaultConfirmation"`
	DefaultIntlConfirmation *string      `json:"defaultIntlConfirmation"`
	CustomsDescription      *string      `json:"customsDescription"`
	CustomsValue            *float64     `json:"customsValue"`
	CustomsTariffNo         *string      `json:"customsTariffNo"`
	CustomsCountryCode      *string      `json:"customsCountryCode"`
	NoCustoms               *bool        `json:"noCustoms"`
	Tags                    []ProductTag `json:"tags"`
}

// ProductTag is one element of Product.tags.
type ProductTag struct {
	TagID int64  `json:"tagId"`
	Name  string `json:"name"`
}

// Carrier is one element of GET /carriers.
type Carrier struct {
	Name                  string  `json:"name"`
	Code                  string  `json:"code"`
	AccountNumber         string  `json:"accountNumber"`
	RequiresFundedAccount bool    `json:"requiresFundedAccount"`
	Balance               float64 `json:"balance"`
	Nickname              *string `json:"nickname"`
	ShippingProviderID    int64   `json:"shippingProviderId"`
	Primary               bool    `json:"primary"`
}

// Service is one element of GET /carriers/listservices.
type Service struct {
	CarrierCode   string `json:"carrierCode"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Domestic      bool   `json:"domestic"`
	International bool   `json:"international"`
}

// Package is one element of GET /carriers/listpackages.
type Package struct {
	CarrierCode   string `json:"carrierCode"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Domestic      bool   `json:"domestic"`
	International bool   `json:"international"`
}

func ptr[T any](v T) *T { return &v }

// strp returns nil for "" so optional text stays null in JSON.
func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
