package shipstation

// Wire types of the V1 API (https://docs.shipstation.com/apis/shipstation-v1),
// with V1's field names. Nullable strings decode null as ""; amounts are
// Money (exact cents); datetimes are Time (Pacific, no offset). Fields marked
// read-only are filled by ShipStation and ignored on createorders.

// Order is the V1 Order model: what GET /orders returns and what
// UpsertOrders sends to POST /orders/createorders.
type Order struct {
	OrderID                  int64                 `json:"orderId,omitempty"` // read-only
	OrderNumber              string                `json:"orderNumber"`
	OrderKey                 string                `json:"orderKey,omitempty"` // the upsert key; required by UpsertOrders
	OrderDate                Time                  `json:"orderDate"`
	CreateDate               Time                  `json:"createDate,omitzero"` // read-only
	ModifyDate               Time                  `json:"modifyDate,omitzero"` // read-only
	PaymentDate              Time                  `json:"paymentDate,omitzero"`
	ShipByDate               Time                  `json:"shipByDate,omitzero"`
	OrderStatus              string                `json:"orderStatus"`          // awaiting_payment, awaiting_shipment, pending_fulfillment, shipped, on_hold, cancelled
	CustomerID               int64                 `json:"customerId,omitempty"` // read-only
	CustomerUsername         string                `json:"customerUsername,omitempty"`
	CustomerEmail            string                `json:"customerEmail,omitempty"`
	BillTo                   Address               `json:"billTo"`
	ShipTo                   Address               `json:"shipTo"`
	Items                    []Item                `json:"items"`
	OrderTotal               Money                 `json:"orderTotal,omitempty"` // read-only: Σ quantity × unitPrice + taxAmount + shippingAmount
	AmountPaid               Money                 `json:"amountPaid"`
	TaxAmount                Money                 `json:"taxAmount"`
	ShippingAmount           Money                 `json:"shippingAmount"`
	CustomerNotes            string                `json:"customerNotes,omitempty"`
	InternalNotes            string                `json:"internalNotes,omitempty"`
	Gift                     bool                  `json:"gift"`
	GiftMessage              string                `json:"giftMessage,omitempty"`
	PaymentMethod            string                `json:"paymentMethod,omitempty"`
	RequestedShippingService string                `json:"requestedShippingService,omitempty"`
	CarrierCode              string                `json:"carrierCode,omitempty"`
	ServiceCode              string                `json:"serviceCode,omitempty"`
	PackageCode              string                `json:"packageCode,omitempty"`
	Confirmation             string                `json:"confirmation,omitempty"`
	ShipDate                 string                `json:"shipDate,omitempty"`      // "2015-07-02"
	HoldUntilDate            string                `json:"holdUntilDate,omitempty"` // "2015-07-02"
	Weight                   *Weight               `json:"weight,omitempty"`
	Dimensions               *Dimensions           `json:"dimensions,omitempty"`
	InsuranceOptions         *InsuranceOptions     `json:"insuranceOptions,omitempty"`
	InternationalOptions     *InternationalOptions `json:"internationalOptions,omitempty"`
	AdvancedOptions          *AdvancedOptions      `json:"advancedOptions,omitempty"`
	TagIDs                   []int64               `json:"tagIds,omitempty"`
	UserID                   string                `json:"userId,omitempty"` // read-only
	ExternallyFulfilled      bool                  `json:"externallyFulfilled,omitempty"`
	ExternallyFulfilledBy    string                `json:"externallyFulfilledBy,omitempty"`
}

// Address is the V1 Address model (billTo, shipTo).
type Address struct {
	Name            string `json:"name"`
	Company         string `json:"company,omitempty"`
	Street1         string `json:"street1,omitempty"`
	Street2         string `json:"street2,omitempty"`
	Street3         string `json:"street3,omitempty"`
	City            string `json:"city,omitempty"`
	State           string `json:"state,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	Country         string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Phone           string `json:"phone,omitempty"`
	Residential     *bool  `json:"residential,omitempty"`
	AddressVerified string `json:"addressVerified,omitempty"` // read-only
}

// Item is the V1 OrderItem model. Adjustment items (adjustment: true) are
// discounts or fees, e.g. sku "DISCOUNT CODE" with a negative unitPrice.
type Item struct {
	OrderItemID       int64        `json:"orderItemId,omitempty"` // read-only
	LineItemKey       string       `json:"lineItemKey,omitempty"`
	SKU               string       `json:"sku,omitempty"`
	Name              string       `json:"name"`
	ImageURL          string       `json:"imageUrl,omitempty"`
	Weight            *Weight      `json:"weight,omitempty"`
	Quantity          int          `json:"quantity"`
	UnitPrice         Money        `json:"unitPrice"`
	TaxAmount         Money        `json:"taxAmount,omitempty"`
	ShippingAmount    Money        `json:"shippingAmount,omitempty"`
	WarehouseLocation string       `json:"warehouseLocation,omitempty"`
	Options           []ItemOption `json:"options,omitempty"`
	ProductID         int64        `json:"productId,omitempty"`
	FulfillmentSKU    string       `json:"fulfillmentSku,omitempty"`
	Adjustment        bool         `json:"adjustment"`
	UPC               string       `json:"upc,omitempty"`
	CreateDate        Time         `json:"createDate,omitzero"` // read-only
	ModifyDate        Time         `json:"modifyDate,omitzero"` // read-only
}

// ItemOption is one {name, value} of an item (e.g. Size: L).
type ItemOption struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Weight is the V1 Weight model; units is pounds, ounces or grams.
type Weight struct {
	Value float64 `json:"value"`
	Units string  `json:"units"`
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
	Provider       string `json:"provider,omitempty"`
	InsureShipment bool   `json:"insureShipment"`
	InsuredValue   Money  `json:"insuredValue"`
}

// InternationalOptions is the V1 InternationalOptions model.
type InternationalOptions struct {
	Contents     string        `json:"contents,omitempty"`
	CustomsItems []CustomsItem `json:"customsItems,omitempty"`
	NonDelivery  string        `json:"nonDelivery,omitempty"`
}

// CustomsItem is one line of a customs declaration.
type CustomsItem struct {
	CustomsItemID        int64  `json:"customsItemId,omitempty"`
	Description          string `json:"description"`
	Quantity             int    `json:"quantity"`
	Value                Money  `json:"value"`
	HarmonizedTariffCode string `json:"harmonizedTariffCode,omitempty"`
	CountryOfOrigin      string `json:"countryOfOrigin,omitempty"`
}

// AdvancedOptions is the V1 AdvancedOptions model. StoreID is honoured only
// when an order is created; BillTo* bill freight to a third party.
type AdvancedOptions struct {
	WarehouseID          int64   `json:"warehouseId,omitempty"`
	NonMachinable        bool    `json:"nonMachinable"`
	SaturdayDelivery     bool    `json:"saturdayDelivery"`
	ContainsAlcohol      bool    `json:"containsAlcohol"`
	MergedOrSplit        bool    `json:"mergedOrSplit,omitempty"` // read-only
	MergedIDs            []int64 `json:"mergedIds,omitempty"`     // read-only
	ParentID             int64   `json:"parentId,omitempty"`      // read-only
	StoreID              int64   `json:"storeId,omitempty"`
	CustomField1         string  `json:"customField1,omitempty"`
	CustomField2         string  `json:"customField2,omitempty"`
	CustomField3         string  `json:"customField3,omitempty"`
	Source               string  `json:"source,omitempty"`
	BillToParty          string  `json:"billToParty,omitempty"` // my_account, my_other_account, recipient, third_party
	BillToAccount        string  `json:"billToAccount,omitempty"`
	BillToPostalCode     string  `json:"billToPostalCode,omitempty"`
	BillToCountryCode    string  `json:"billToCountryCode,omitempty"`
	BillToMyOtherAccount int64   `json:"billToMyOtherAccount,omitempty"`
}

// UpsertResult is the outcome of one order of UpsertOrders, in input order.
type UpsertResult struct {
	OrderKey    string
	OrderNumber string
	OrderID     int64  // ShipStation's id, when it was stored
	OK          bool   // created or updated
	Error       string // why not, in ShipStation's or the client's words
}

// Shipment is the V1 Shipment model: a label bought in ShipStation.
type Shipment struct {
	ShipmentID          int64             `json:"shipmentId"`
	OrderID             int64             `json:"orderId"`
	OrderKey            string            `json:"orderKey"`
	UserID              string            `json:"userId"`
	CustomerEmail       string            `json:"customerEmail"`
	OrderNumber         string            `json:"orderNumber"`
	CreateDate          Time              `json:"createDate"`
	ShipDate            Time              `json:"shipDate"` // a date; midnight Pacific
	ShipmentCost        Money             `json:"shipmentCost"`
	InsuranceCost       Money             `json:"insuranceCost"`
	TrackingNumber      string            `json:"trackingNumber"`
	IsReturnLabel       bool              `json:"isReturnLabel"`
	BatchNumber         string            `json:"batchNumber"`
	CarrierCode         string            `json:"carrierCode"`
	ServiceCode         string            `json:"serviceCode"`
	PackageCode         string            `json:"packageCode"`
	Confirmation        string            `json:"confirmation"`
	WarehouseID         int64             `json:"warehouseId"`
	Voided              bool              `json:"voided"`
	VoidDate            Time              `json:"voidDate"`
	MarketplaceNotified bool              `json:"marketplaceNotified"`
	NotifyErrorMessage  string            `json:"notifyErrorMessage"`
	ShipTo              *Address          `json:"shipTo"`
	Weight              *Weight           `json:"weight"`
	Dimensions          *Dimensions       `json:"dimensions"`
	InsuranceOptions    *InsuranceOptions `json:"insuranceOptions"`
	AdvancedOptions     *AdvancedOptions  `json:"advancedOptions"`
	ShipmentItems       []ShipmentItem    `json:"shipmentItems"`
}

// ShipmentItem is one line of a shipment.
type ShipmentItem struct {
	OrderItemID       int64        `json:"orderItemId"`
	LineItemKey       string       `json:"lineItemKey"`
	SKU               string       `json:"sku"`
	Name              string       `json:"name"`
	ImageURL          string       `json:"imageUrl"`
	Weight            *Weight      `json:"weight"`
	Quantity          int          `json:"quantity"`
	UnitPrice         Money        `json:"unitPrice"`
	WarehouseLocation string       `json:"warehouseLocation"`
	Options           []ItemOption `json:"options"`
	ProductID         int64        `json:"productId"`
	FulfillmentSKU    string       `json:"fulfillmentSku"`
}

// Fulfillment is the V1 Fulfillment model: an order marked as shipped
// outside ShipStation's label flow (it never appears in /shipments).
type Fulfillment struct {
	FulfillmentID           int64    `json:"fulfillmentId"`
	OrderID                 int64    `json:"orderId"`
	OrderNumber             string   `json:"orderNumber"`
	UserID                  string   `json:"userId"`
	CustomerEmail           string   `json:"customerEmail"`
	TrackingNumber          string   `json:"trackingNumber"`
	CreateDate              Time     `json:"createDate"`
	ShipDate                Time     `json:"shipDate"`
	VoidDate                Time     `json:"voidDate"`
	DeliveryDate            Time     `json:"deliveryDate"`
	CarrierCode             string   `json:"carrierCode"`
	FulfillmentProviderCode string   `json:"fulfillmentProviderCode"`
	FulfillmentServiceCode  string   `json:"fulfillmentServiceCode"`
	FulfillmentFee          Money    `json:"fulfillmentFee"`
	VoidRequested           bool     `json:"voidRequested"`
	Voided                  bool     `json:"voided"`
	MarketplaceNotified     bool     `json:"marketplaceNotified"`
	NotifyErrorMessage      string   `json:"notifyErrorMessage"`
	ShipTo                  *Address `json:"shipTo"`
}

// Store is the V1 Store model (GET /stores).
type Store struct {
	StoreID            int64  `json:"storeId"`
	StoreName          string `json:"storeName"`
	MarketplaceID      int64  `json:"marketplaceId"`
	MarketplaceName    string `json:"marketplaceName"`
	AccountName        string `json:"accountName"`
	Email              string `json:"email"`
	IntegrationURL     string `json:"integrationUrl"`
	Active             bool   `json:"active"`
	CompanyName        string `json:"companyName"`
	Phone              string `json:"phone"`
	PublicEmail        string `json:"publicEmail"`
	Website            string `json:"website"`
	RefreshDate        Time   `json:"refreshDate"`
	LastRefreshAttempt Time   `json:"lastRefreshAttempt"`
	CreateDate         Time   `json:"createDate"`
	ModifyDate         Time   `json:"modifyDate"`
	AutoRefresh        bool   `json:"autoRefresh"`
}
