package shipstation

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/orders"
)

// Channel is Order.Channel for ShipStation orders.
const Channel = "shipstation"

// Normalize turns one V1 order object into an orders.Order. currency is put
// on the order as is (V1 orders carry none). README.md lists which field
// feeds which; the amounts satisfy
// Total = Subtotal − DiscountTotal + ShippingTotal + TaxTotal whenever
// ShipStation's orderTotal is its documented Σ quantity × unitPrice +
// taxAmount + shippingAmount. An object without a positive orderId is refused,
// and so is an order whose amounts QuickBooks cannot hold (orders.CheckAmounts,
// wrapping orders.ErrAmount).
func Normalize(raw json.RawMessage, currency string) (orders.Order, error) {
	var w Order
	if err := json.Unmarshal(raw, &w); err != nil {
		return orders.Order{}, fmt.Errorf("shipstation: order is not the V1 shape: %w", err)
	}
	if w.OrderID <= 0 {
		// Orders are stored by id: id-less objects (an order being created, another
		// resource) must not all become order "0".
		return orders.Order{}, fmt.Errorf("shipstation: order without an orderId (orderId %d)", w.OrderID)
	}
	o := normalize(&w, currency)
	if err := orders.CheckAmounts(o); err != nil {
		return orders.Order{}, fmt.Errorf("shipstation: order %s: %w", o.ExternalID, err)
	}
	return o, nil
}

func normalize(w *Order, currency string) orders.Order {
	o := orders.Order{
		Channel:    Channel,
		ExternalID: strconv.FormatInt(w.OrderID, 10),
		Number:     w.OrderNumber,
		Status:     w.OrderStatus,
		CreatedAt:  w.OrderDate.Time,
		UpdatedAt:  w.ModifyDate.Time,
		Currency:   currency,
		Customer: orders.Customer{
			Email:   w.CustomerEmail,
			Company: cmp.Or(strings.TrimSpace(w.BillTo.Company), strings.TrimSpace(w.ShipTo.Company)),
			Phone:   cmp.Or(w.BillTo.Phone, w.ShipTo.Phone),
		},
		BillTo: address(w.BillTo),
		ShipTo: address(w.ShipTo),
		Shipping: orders.Shipping{
			Method:  w.RequestedShippingService,
			Carrier: w.CarrierCode,
			Service: w.ServiceCode,
			Amount:  orders.Money(w.ShippingAmount),
		},
		ShippingTotal: orders.Money(w.ShippingAmount),
		TaxTotal:      orders.Money(w.TaxAmount),
		Total:         orders.Money(w.OrderTotal),
		Note:          w.CustomerNotes,
		Lines:         []orders.Line{},
	}
	// ShipStation names the buyer only in the addresses, as one string; marketplaces often
	// fill the ship-to alone.
	o.Customer.FirstName, o.Customer.LastName = SplitName(cmp.Or(strings.TrimSpace(w.BillTo.Name), strings.TrimSpace(w.ShipTo.Name)))
	if w.CustomerID != 0 {
		o.Customer.ID = strconv.FormatInt(w.CustomerID, 10)
	}
	o.BillTo.Email = w.CustomerEmail

	for _, it := range w.Items {
		total := orders.Money(int64(it.UnitPrice) * int64(it.Quantity))
		if it.Adjustment && total < 0 {
			// A discount line ("DISCOUNT CODE", -20.55): an order discount.
			o.Discounts = append(o.Discounts, orders.Discount{Code: cmp.Or(it.Name, it.SKU), Amount: -total})
			o.DiscountTotal -= total
			continue
		}
		l := orders.Line{
			SKU:          it.SKU,
			Name:         it.Name,
			VariantTitle: optionsTitle(it.Options),
			Quantity:     int64(it.Quantity),
			UnitPrice:    orders.Money(it.UnitPrice),
			Tax:          orders.Money(it.TaxAmount),
			Total:        total,
			Taxable:      it.TaxAmount != 0,
		}
		if it.OrderItemID != 0 {
			l.ID = strconv.FormatInt(it.OrderItemID, 10)
		}
		if it.ProductID != 0 {
			l.ProductID = strconv.FormatInt(it.ProductID, 10)
		}
		o.Lines = append(o.Lines, l)
		o.Subtotal += total
	}
	if w.TaxAmount != 0 {
		o.Taxes = []orders.TaxLine{{Name: "Tax", Amount: orders.Money(w.TaxAmount)}}
	}
	if w.AmountPaid != 0 || !w.PaymentDate.IsZero() {
		o.Payments = []orders.Payment{{Method: w.PaymentMethod, Amount: orders.Money(w.AmountPaid), PaidAt: w.PaymentDate.Time}}
	}
	for _, id := range w.TagIDs {
		o.Tags = append(o.Tags, strconv.FormatInt(id, 10))
	}

	custom := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			custom[k] = v
		}
	}
	set("orderKey", w.OrderKey)
	set("customerUsername", w.CustomerUsername)
	set("internalNotes", w.InternalNotes)
	set("paymentMethod", w.PaymentMethod)
	if w.Gift {
		custom["gift"] = "true"
		set("giftMessage", w.GiftMessage)
	}
	if a := w.AdvancedOptions; a != nil {
		set("customField1", a.CustomField1)
		set("customField2", a.CustomField2)
		set("customField3", a.CustomField3)
		set("source", a.Source)
		if a.StoreID != 0 {
			custom["storeId"] = strconv.FormatInt(a.StoreID, 10)
		}
		o.Shipping.BillToParty = a.BillToParty
		o.Shipping.BillToAccount = a.BillToAccount
		o.Shipping.BillToPostalCode = a.BillToPostalCode
		o.Shipping.BillToCountry = a.BillToCountryCode
	}
	if len(custom) > 0 {
		o.Custom = custom
	}
	return o
}

// address maps a V1 address. street3, when present, is appended to Line2.
func address(a Address) orders.Address {
	line2 := a.Street2
	if a.Street3 != "" {
		line2 = strings.TrimPrefix(line2+", "+a.Street3, ", ")
	}
	first, last := SplitName(a.Name)
	return orders.Address{
		Name:       a.Name,
		FirstName:  first,
		LastName:   last,
		Company:    a.Company,
		Line1:      a.Street1,
		Line2:      line2,
		City:       a.City,
		State:      a.State,
		PostalCode: a.PostalCode,
		Country:    a.Country,
		Phone:      a.Phone,
	}
}

// nameSuffixes are generational suffixes that belong with the last name ("King Jr.").
var nameSuffixes = map[string]bool{"jr": true, "jr.": true, "sr": true, "sr.": true, "ii": true, "iii": true, "iv": true}

// SplitName splits a full name the way QuickBooks users file people: the last word is the last
// name, together with any suffixes that follow it ("Martin Luther King Jr." → "Martin Luther",
// "King Jr."; "Hank Williams, III" → "Hank", "Williams III"); a single word is a last name.
// White space is collapsed; an empty name gives two empty strings.
func SplitName(full string) (first, last string) {
	words := strings.Fields(full)
	for i := range words {
		words[i] = strings.TrimSuffix(words[i], ",") // "Williams, III"
	}
	words = slices.DeleteFunc(words, func(w string) bool { return w == "" })
	end := len(words) // words[end:] are suffixes
	for end > 1 && nameSuffixes[strings.ToLower(words[end-1])] {
		end--
	}
	if end == 0 {
		return "", ""
	}
	return strings.Join(words[:end-1], " "), strings.Join(words[end-1:], " ")
}

// optionsTitle renders item options as "Size: L, Color: Forest Green".
func optionsTitle(opts []ItemOption) string {
	parts := make([]string, 0, len(opts))
	for _, op := range opts {
		parts = append(parts, op.Name+": "+op.Value)
	}
	return strings.Join(parts, ", ")
}
