package shipstationsim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// addStore registers a store. Callers hold s.mu or are in New.
func (s *Server) addStore(sp StoreSpec, created time.Time) {
	id := sp.ID
	if id == 0 {
		id = int64(ManualStoreID + 100 + len(s.stores))
	}
	st := &Store{
		StoreID: id, StoreName: sp.Name, MarketplaceID: sp.MarketplaceID, MarketplaceName: sp.MarketplaceName,
		Active: !sp.Inactive, CreateDate: fmtNetTime(created), ModifyDate: fmtNetTime(created),
	}
	d := &StoreDetail{Store: *st}
	if sp.MarketplaceID != 0 {
		refreshed := fmtNetTime(created)
		st.RefreshDate, st.LastRefreshAttempt, st.AutoRefresh = &refreshed, &refreshed, true
		st.IntegrationURL = ptr("https://" + strings.ToLower(strings.ReplaceAll(sp.Name, " ", "-")) + ".example.com")
		d.Store = *st
		d.StatusMappings = []StatusMapping{
			{StatusAwaitingPayment, "Pending"}, {StatusAwaitingShipment, "Processing"},
			{StatusShipped, "Completed"}, {StatusCancelled, "Cancelled"}, {StatusOnHold, "On-hold"},
		}
	}
	s.stores = append(s.stores, st)
	s.storeMap[id] = d
}

// Stores returns a copy of the account's stores, "Manual Orders" first.
func (s *Server) Stores() []Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Store, 0, len(s.stores))
	for _, st := range s.stores {
		out = append(out, *st)
	}
	return out
}

// listStores is GET /stores?showInactive=&marketplaceId=.
func (s *Server) listStores(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL)
	inactive, bad := boolParam(q, "showInactive")
	if bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	mp, hasMP, bad := intParam(q, "marketplaceId")
	if bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	s.mu.Lock()
	out := []Store{}
	for _, st := range s.stores {
		if (st.Active || inactive) && (!hasMP || int64(st.MarketplaceID) == mp) {
			out = append(out, *st)
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// getStore is GET /stores/{storeId}.
func (s *Server) getStore(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("storeId")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		writeInvalid(w, "storeId", fmt.Sprintf("The value '%s' is not valid for Int32.", raw))
		return
	}
	s.mu.Lock()
	d, ok := s.storeMap[id]
	var out StoreDetail
	if ok {
		out = *d
	}
	s.mu.Unlock()
	if !ok {
		writeMessage(w, http.StatusNotFound, fmt.Sprintf("Store %d was not found.", id))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// marketplaces are the rows of GET /stores/marketplaces the simulator knows
// (ids from ShipStation's sample).
var marketplaces = []map[string]any{
	{"name": "3DCart", "marketplaceId": 23, "canRefresh": true, "supportsCustomMappings": true, "supportsCustomStatuses": false, "canConfirmShipments": true},
	{"name": "Amazon", "marketplaceId": 2, "canRefresh": true, "supportsCustomMappings": true, "supportsCustomStatuses": false, "canConfirmShipments": true},
	{"name": "Amazon CA", "marketplaceId": 32, "canRefresh": true, "supportsCustomMappings": true, "supportsCustomStatuses": false, "canConfirmShipments": true},
	{"name": "WooCommerce", "marketplaceId": 36, "canRefresh": true, "supportsCustomMappings": true, "supportsCustomStatuses": true, "canConfirmShipments": true},
}

func (s *Server) listMarketplaces(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, marketplaces)
}

// product returns the catalog product for it's SKU, creating it the way
// ShipStation does on first sight of a SKU. Callers hold s.mu.
func (s *Server) product(it Item, now time.Time) *Product {
	sku := deref(it.SKU)
	if p := s.bySKU[strings.ToLower(sku)]; p != nil {
		return p
	}
	s.seq.product += 1 + s.rng.Int64N(3)
	p := &Product{
		ProductID: s.seq.product, SKU: sku, Name: it.Name, Price: it.UnitPrice,
		FulfillmentSKU: it.FulfillmentSKU, WarehouseLocation: it.WarehouseLocation,
		CreateDate: fmtNetTime(now), ModifyDate: fmtNetTime(now), Active: true,
	}
	if it.Weight != nil && it.Weight.Value > 0 {
		p.WeightOz = ptr(round2(it.Weight.Ounces()))
	}
	s.products = append(s.products, p)
	s.bySKU[strings.ToLower(sku)] = p
	return p
}

// Products returns a copy of the product catalog, oldest first.
func (s *Server) Products() []Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Product, 0, len(s.products))
	for _, p := range s.products {
		out = append(out, *p)
	}
	return out
}

// listProducts is GET /products?sku=&name=&showInactive=&page=&pageSize=.
// sku and name match exactly (case-insensitive) and by substring.
func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r.URL)
	page, size, bad := paging(q)
	if bad != nil {
		writeInvalid(w, bad.key, bad.msg)
		return
	}
	sku, name := q.get("sku"), q.get("name")
	s.mu.Lock()
	var rows []Product
	for _, p := range s.products {
		if (sku == "" || strings.EqualFold(p.SKU, sku)) && (name == "" || containsFold(p.Name, name)) {
			rows = append(rows, *p)
		}
	}
	s.mu.Unlock()
	lo, hi, pages := pageOf(len(rows), page, size)
	writeJSON(w, http.StatusOK, struct {
		Products []Product `json:"products"`
		Total    int       `json:"total"`
		Page     int       `json:"page"`
		Pages    int       `json:"pages"`
	}{append([]Product{}, rows[lo:hi]...), len(rows), page, pages})
}

// getProduct is GET /products/{productId}.
func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("productId")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		writeInvalid(w, "productId", fmt.Sprintf("The value '%s' is not valid for Int32.", raw))
		return
	}
	s.mu.Lock()
	var found *Product
	for _, p := range s.products {
		if p.ProductID == id {
			c := *p
			found = &c
		}
	}
	s.mu.Unlock()
	if found == nil {
		writeMessage(w, http.StatusNotFound, fmt.Sprintf("Product %d was not found.", id))
		return
	}
	writeJSON(w, http.StatusOK, found)
}

// carriers are the account's connected carriers (ShipStation's sample).
var carriers = []Carrier{
	{Name: "Stamps.com", Code: "stamps_com", AccountNumber: "SS123", RequiresFundedAccount: true, Balance: 24.27, Nickname: ptr("null"), ShippingProviderID: 12345, Primary: true},
	{Name: "UPS", Code: "ups", AccountNumber: "ABCR80", Balance: 0, Nickname: ptr("null"), ShippingProviderID: 12347, Primary: true},
	{Name: "FedEx", Code: "fedex", AccountNumber: "297929999", Balance: 0, Nickname: ptr("SS"), ShippingProviderID: 12348, Primary: true},
}

// services lists each carrier's services; codes are ShipStation's.
var services = []Service{
	{"stamps_com", "usps_first_class_mail", "USPS First Class Mail", true, false},
	{"stamps_com", "usps_media_mail", "USPS Media Mail", true, false},
	{"stamps_com", "usps_parcel_select", "USPS Parcel Select Ground", true, false},
	{"stamps_com", "usps_priority_mail", "USPS Priority Mail", true, false},
	{"stamps_com", "usps_priority_mail_express", "USPS Priority Mail Express", true, false},
	{"stamps_com", "usps_first_class_mail_international", "USPS First Class Mail Intl", false, true},
	{"stamps_com", "usps_priority_mail_international", "USPS Priority Mail Intl", false, true},
	{"stamps_com", "usps_priority_mail_express_international", "USPS Priority Mail Express Intl", false, true},
	{"ups", "ups_ground", "UPS® Ground", true, false},
	{"ups", "ups_3_day_select", "UPS 3 Day Select®", true, false},
	{"ups", "ups_2nd_day_air", "UPS 2nd Day Air®", true, false},
	{"ups", "ups_next_day_air_saver", "UPS Next Day Air Saver®", true, false},
	{"ups", "ups_next_day_air", "UPS Next Day Air®", true, false},
	{"ups", "ups_standard_international", "UPS Standard®", false, true},
	{"ups", "ups_worldwide_saver", "UPS Worldwide Saver®", false, true},
	{"ups", "ups_worldwide_expedited", "UPS Worldwide Expedited®", false, true},
	{"fedex", "fedex_ground", "FedEx Ground®", true, false},
	{"fedex", "fedex_home_delivery", "FedEx Home Delivery®", true, false},
	{"fedex", "fedex_2day", "FedEx 2Day®", true, false},
	{"fedex", "fedex_express_saver", "FedEx Express Saver®", true, false},
	{"fedex", "fedex_standard_overnight", "FedEx Standard Overnight®", true, false},
	{"fedex", "fedex_priority_overnight", "FedEx Priority Overnight®", true, false},
	{"fedex", "fedex_international_economy", "FedEx International Economy®", false, true},
	{"fedex", "fedex_international_priority", "FedEx International Priority®", false, true},
}

// packages lists each carrier's package types.
var packages = []Package{
	{"stamps_com", "package", "Package", true, true},
	{"stamps_com", "flat_rate_envelope", "Flat Rate Envelope", true, true},
	{"stamps_com", "flat_rate_padded_envelope", "Flat Rate Padded Envelope", true, true},
	{"stamps_com", "medium_flat_rate_box", "Medium Flat Rate Box", true, true},
	{"ups", "package", "Package", true, true},
	{"ups", "ups_letter", "UPS Letter", true, true},
	{"fedex", "package", "Package", true, true},
	{"fedex", "fedex_envelope", "FedEx® Envelope", true, true},
	{"fedex", "fedex_pak", "FedEx® Pak", true, true},
}

func (s *Server) listCarriers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, carriers)
}

// carrierParam resolves ?carrierCode=, answering 400 itself when it is
// missing or unknown.
func carrierParam(w http.ResponseWriter, r *http.Request) (Carrier, bool) {
	code := newQuery(r.URL).get("carrierCode")
	for _, c := range carriers {
		if strings.EqualFold(c.Code, code) {
			return c, true
		}
	}
	if code == "" {
		writeInvalid(w, "carrierCode", "The carrierCode field is required.")
	} else {
		writeMessage(w, http.StatusBadRequest, fmt.Sprintf("Invalid carrierCode: %s", code))
	}
	return Carrier{}, false
}

func (s *Server) getCarrier(w http.ResponseWriter, r *http.Request) {
	if c, ok := carrierParam(w, r); ok {
		writeJSON(w, http.StatusOK, c)
	}
}

func (s *Server) listServices(w http.ResponseWriter, r *http.Request) {
	c, ok := carrierParam(w, r)
	if !ok {
		return
	}
	out := []Service{}
	for _, sv := range services {
		if sv.CarrierCode == c.Code {
			out = append(out, sv)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listPackages(w http.ResponseWriter, r *http.Request) {
	c, ok := carrierParam(w, r)
	if !ok {
		return
	}
	out := []Package{}
	for _, p := range packages {
		if p.CarrierCode == c.Code {
			out = append(out, p)
		}
	}
	writeJSON(w, http.StatusOK, out)
}
