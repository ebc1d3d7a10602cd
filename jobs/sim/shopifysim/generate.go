package shopifysim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// catalogItem is one product of the built-in catalog Generate uses.
type catalogItem struct {
	title, vendor, typ string
	price              Money
	variants           [][2]string // title, SKU
	giftCard           bool
}

// catalog is fixed so SKUs are the same in every run. It includes a variant
// without SKU, a SKU shared by two products, non-Latin and emoji titles and
// a very long title.
var catalog = []catalogItem{
	{"Classic Cotton Tee", "Ledgerlink Apparel", "Shirts", 2400, [][2]string{
		{"Black / S", "TEE-BLK-S"}, {"Black / M", "TEE-BLK-M"}, {"Black / L", "TEE-BLK-L"},
		{"White / S", "TEE-WHT-S"}, {"White / M", "TEE-WHT-M"}, {"White / L", "TEE-WHT-L"}}, false},
	{"Merino Wool Beanie", "Ledgerlink Apparel", "Hats", 3200, [][2]string{{"Charcoal", "BEANIE-CHR"}, {"Navy", "BEANIE-NVY"}}, false},
	{"Ceramic Pour-Over Set", "Kiln & Co.", "Coffee Gear", 5850, [][2]string{{"Default Title", "POUROVER-SET"}}, false},
	{"Cold Brew Concentrate 1L", "Night Owl Roasters", "Coffee", 1899, [][2]string{{"Default Title", "COLDBREW-1L"}}, false},
	{"Organic Coffee Beans 1kg", "Night Owl Roasters", "Coffee", 3995, [][2]string{
		{"Whole Bean", "BEANS-1KG-WB"}, {"Espresso Grind", "BEANS-1KG-ESP"}, {"Filter Grind", "BEANS-1KG-FLT"}}, false},
	{"Enamel Camp Mug", "Trailhead Goods", "Drinkware", 1600, [][2]string{{"Red", "MUG-RED"}, {"Forest", "MUG-FOR"}, {"Sand", "MUG-SND"}}, false},
	{"Leather Card Holder", "Atelier Nord", "Accessories", 4500, [][2]string{{"Tan", "CARD-TAN"}, {"Black", "CARD-BLK"}}, false},
	{"Waxed Canvas Tote", "Atelier Nord", "Bags", 8900, [][2]string{{"Default Title", "TOTE-WAX"}}, false},
	{"Gift Card", "Ledgerlink Demo Store", "Gift Cards", 2500, [][2]string{{"$25", "GIFT-25"}, {"$50", "GIFT-50"}, {"$100", "GIFT-100"}}, true},
	{"Bamboo Cutting Board — Large", "Kiln & Co.", "Kitchen", 4200, [][2]string{{"Default Title", "BOARD-BAMBOO-L"}}, false},
	{"Notes Kraków A5 — Zeszyt w kratkę", "Papiernia Łódź", "Stationery", 1250, [][2]string{{"Default Title", "NOTE-KRK-A5"}}, false},
	{"抹茶 Matcha Starter Kit", "Uji Tea House 宇治", "Tea", 6400, [][2]string{{"Default Title", "MATCHA-KIT"}}, false},
	{"Stainless Water Bottle 750ml", "Trailhead Goods", "Drinkware", 2900, [][2]string{
		{"Matte Black", "BOTTLE-750-BLK"}, {"Glacier", "BOTTLE-750-GLC"}, {"Sage", "BOTTLE-750-SGE"}}, false},
	{"Long Sleeve Performance Running Quarter-Zip Pullover with Reflective Trim and Thumbholes", "Ledgerlink Apparel", "Outerwear", 11900, [][2]string{
		{"Extra Small / Midnight Navy Heather", "RUN-QZ-XS-NAVY-HTHR-2025"}, {"Medium / Midnight Navy Heather", "RUN-QZ-M-NAVY-HTHR-2025"},
		{"Extra Extra Large / Reflective Volt Yellow", "RUN-QZ-XXL-VOLT-REFL-2025"}}, false},
	{"Sticker Pack 🌈", "Ledgerlink Demo Store", "Stickers", 600, [][2]string{{"Default Title", "STICKER-RAINBOW"}}, false},
	{"Repair Kit", "Trailhead Goods", "Accessories", 900, [][2]string{{"Default Title", ""}}, false},
	{"Enamel Camp Mug (2019 edition)", "Trailhead Goods", "Drinkware", 1400, [][2]string{{"Red", "MUG-RED"}}, false},
}

type person struct {
	first, last, email, phone, company string
	addr                               Address
}

// people are the customers and guests orders are placed by: English,
// Chinese, Japanese, Polish, French, Spanish, Arabic and emoji names,
// apostrophes, company buyers and one very long name.
var people = []person{
	{"Emma", "Johnson", "emma.johnson@example.com", "+14155550101", "", Address{Address1: "1 Market St", Address2: "Apt 4B", City: "San Francisco", Province: "California", ProvinceCode: "CA", Zip: "94105", Country: "United States", CountryCode: "US"}},
	{"Liam", "O'Connor", "liam.oconnor@example.com", "+12125550142", "", Address{Address1: "350 5th Ave", City: "New York", Province: "New York", ProvinceCode: "NY", Zip: "10118", Country: "United States", CountryCode: "US"}},
	{"芳", "王", "wang.fang@example.cn", "+8613800138000", "", Address{Address1: "建国门外大街1号", City: "北京", Province: "Beijing", ProvinceCode: "BJ", Zip: "100004", Country: "China", CountryCode: "CN"}},
	{"伟", "李", "li.wei@example.com", "", "", Address{Address1: "88 Robson St", City: "Vancouver", Province: "British Columbia", ProvinceCode: "BC", Zip: "V6B 2A5", Country: "Canada", CountryCode: "CA"}},
	{"Łukasz", "Wróblewski", "lukasz.wroblewski@example.pl", "+48601234567", "", Address{Address1: "ul. Długa 12/3", City: "Kraków", Province: "Małopolskie", ProvinceCode: "", Zip: "31-147", Country: "Poland", CountryCode: "PL"}},
	{"Małgorzata", "Żółkiewska-Częstochowska", "m.zolkiewska@example.pl", "+48221234567", "", Address{Address1: "Aleje Jerozolimskie 44", City: "Warszawa", Province: "Mazowieckie", Zip: "00-024", Country: "Poland", CountryCode: "PL"}},
	{"Sunny ☀️", "Nguyen", "sunny.nguyen@example.com", "+17135550188", "", Address{Address1: "1200 McKinney St", City: "Houston", Province: "Texas", ProvinceCode: "TX", Zip: "77010", Country: "United States", CountryCode: "US"}},
	{"Jo 🎉", "Party", "jo.party@example.com", "", "", Address{Address1: "221B Baker Street", City: "London", Province: "England", ProvinceCode: "ENG", Zip: "NW1 6XE", Country: "United Kingdom", CountryCode: "GB"}},
	{"Renée", "Dubois-Lefèvre", "renee.dubois@example.ca", "+15145550123", "", Address{Address1: "1000 Rue Sherbrooke O", City: "Montréal", Province: "Quebec", ProvinceCode: "QC", Zip: "H3A 3G4", Country: "Canada", CountryCode: "CA"}},
	{"José", "Álvarez Núñez", "jose.alvarez@example.com", "+13055550199", "", Address{Address1: "701 Brickell Ave", City: "Miami", Province: "Florida", ProvinceCode: "FL", Zip: "33131", Country: "United States", CountryCode: "US"}},
	{"太郎", "山田", "taro.yamada@example.jp", "+81312345678", "", Address{Address1: "千代田区丸の内1-1", City: "東京", Province: "Tōkyō", ProvinceCode: "JP-13", Zip: "100-0005", Country: "Japan", CountryCode: "JP"}},
	{"محمد", "العلي", "m.alali@example.com", "", "", Address{Address1: "45 King St W", City: "Toronto", Province: "Ontario", ProvinceCode: "ON", Zip: "M5H 1J8", Country: "Canada", CountryCode: "CA"}},
	{"Maximiliana Theodora", "Wolfeschlegelsteinhausenbergerdorff", "max.wolfe@example.de", "+493012345678", "", Address{Address1: "Friedrichstraße 123, Hinterhaus, 3. OG links", City: "Berlin", Province: "Berlin", Zip: "10117", Country: "Germany", CountryCode: "DE"}},
	{"Grace", "Kim", "purchasing@acme-hospitality.example.com", "+13105550177", "Acme Hospitality Group, LLC", Address{Address1: "600 Wilshire Blvd", Address2: "Suite 1500", City: "Los Angeles", Province: "California", ProvinceCode: "CA", Zip: "90017", Country: "United States", CountryCode: "US"}},
	{"Noah", "Williams", "noah.w@example.com", "+15125550110", "", Address{Address1: "500 E 4th St", City: "Austin", Province: "Texas", ProvinceCode: "TX", Zip: "78701", Country: "United States", CountryCode: "US"}},
	{"Olivia", "Brown", "olivia.brown@example.com.au", "+61291234567", "", Address{Address1: "1 Macquarie St", City: "Sydney", Province: "New South Wales", ProvinceCode: "NSW", Zip: "2000", Country: "Australia", CountryCode: "AU"}},
	{"Ava", "Martinez", "ava.martinez@example.com", "+16465550133", "", Address{Address1: "20 W 34th St", City: "New York", Province: "New York", ProvinceCode: "NY", Zip: "10001", Country: "United States", CountryCode: "US"}},
	{"Zofia", "Wiśniewska", "zofia.w@example.pl", "", "Hurtownia Kawy Wiśniewscy Sp. z o.o.", Address{Address1: "ul. Piotrkowska 100", City: "Łódź", Province: "Łódzkie", Zip: "90-004", Country: "Poland", CountryCode: "PL"}},
}

// taxRule is the tax a destination charges.
type taxRule struct {
	lines    []TaxLine // Title and Rate only
	shipping bool      // shipping is taxed
	included bool      // prices include tax
}

func taxFor(a Address) taxRule {
	switch a.CountryCode + "-" + a.ProvinceCode {
	case "US-CA":
		return taxRule{lines: []TaxLine{{Title: "CA State Tax", Rate: 0.0725}, {Title: "Los Angeles County Tax", Rate: 0.0225}}}
	case "US-NY":
		return taxRule{lines: []TaxLine{{Title: "NY State Tax", Rate: 0.04}, {Title: "New York City Tax", Rate: 0.045}}, shipping: true}
	case "US-TX":
		return taxRule{lines: []TaxLine{{Title: "TX State Tax", Rate: 0.0625}}, shipping: true}
	case "US-FL":
		return taxRule{lines: []TaxLine{{Title: "FL State Tax", Rate: 0.06}}}
	case "CA-ON":
		return taxRule{lines: []TaxLine{{Title: "HST", Rate: 0.13}}, shipping: true}
	case "CA-QC":
		return taxRule{lines: []TaxLine{{Title: "GST", Rate: 0.05}, {Title: "QST", Rate: 0.09975}}, shipping: true}
	case "CA-BC":
		return taxRule{lines: []TaxLine{{Title: "GST", Rate: 0.05}, {Title: "PST", Rate: 0.07}}}
	}
	switch a.CountryCode {
	case "GB":
		return taxRule{lines: []TaxLine{{Title: "GB VAT", Rate: 0.2}}, shipping: true, included: true}
	case "PL":
		return taxRule{lines: []TaxLine{{Title: "PL VAT", Rate: 0.23}}, shipping: true, included: true}
	case "DE":
		return taxRule{lines: []TaxLine{{Title: "DE MwSt", Rate: 0.19}}, shipping: true, included: true}
	case "AU":
		return taxRule{lines: []TaxLine{{Title: "AU GST", Rate: 0.1}}, shipping: true, included: true}
	}
	return taxRule{}
}

// taxLinesFor computes the tax lines on an amount (after discounts).
func taxLinesFor(r taxRule, amount Money) []TaxLine {
	if len(r.lines) == 0 || amount <= 0 {
		return nil
	}
	sum := 0.0
	for _, t := range r.lines {
		sum += t.Rate
	}
	out := make([]TaxLine, len(r.lines))
	for i, t := range r.lines {
		t.Amount = roundMoney(float64(amount) * t.Rate)
		if r.included {
			t.Amount = roundMoney(float64(amount) * t.Rate / (1 + sum))
		}
		out[i] = t
	}
	return out
}

func roundMoney(cents float64) Money { return Money(math.Round(cents)) }

type shippingRate struct {
	title, code, source, carrier string
	price                        Money
}

var shippingRates = []shippingRate{
	{"Standard Shipping", "STANDARD", "shopify", "", 599},
	{"UPS® Ground", "UPS_GROUND", "ups_shipping", "ups", 1249},
	{"USPS Priority Mail", "PriorityMail", "usps", "usps", 895},
	{"FedEx 2Day®", "FEDEX_2_DAY", "fedex", "fedex", 2475},
	{"Free Shipping", "FREE", "shopify", "", 0},
	{"DPD Kurier 🚚", "DPD_PL", "shopify", "", 1999},
	{"International Express (DHL)", "DHL_EXPRESS_WORLDWIDE", "dhl", "dhl_express", 4500},
}

// ensureCatalog creates the built-in catalog on an empty shop; the caller
// holds s.mu.
func (s *Server) ensureCatalog() {
	if len(s.products) > 0 {
		return
	}
	rng := rand.New(rand.NewPCG(20250101, 42))
	created := s.now().AddDate(0, -6, 0)
	for pi, c := range catalog {
		p := Product{Title: c.title, Vendor: c.vendor, ProductType: c.typ}
		for vi, v := range c.variants {
			price := c.price
			if c.giftCard {
				price = []Money{2500, 5000, 10000}[vi]
			} else if vi > 0 && strings.Contains(v[0], "Extra Extra") {
				price += 500
			}
			p.Variants = append(p.Variants, Variant{SKU: v[1], Title: v[0], Price: price, Untracked: c.giftCard, NoShipping: c.giftCard,
				Barcode: fmt.Sprintf("0%011d", 84000000000+pi*100+vi), CreatedAt: created})
		}
		stored, _ := s.addProduct(p)
		for _, v := range stored.Variants {
			lv := s.levels[v.InventoryItemID]
			for li, loc := range s.locations {
				if lv[loc.ID] == nil {
					continue
				}
				n := rng.IntN(400)
				if li > 0 {
					n = rng.IntN(40)
				}
				if rng.IntN(10) == 0 {
					n = 0
				}
				lv[loc.ID].available = n
			}
		}
	}
	// One oversold SKU: Shopify lets available go negative.
	if v := s.variantBySKU("COLDBREW-1L"); v != nil {
		s.levels[v.InventoryItemID][s.locations[0].ID].available = -2
	}
}

var discountCodes = []DiscountApplication{
	{Code: "WELCOME10", Percentage: 10},
	{Code: "SUMMER25", Percentage: 25},
	{Code: "TAKE5", Amount: 500},
	{Code: "ŚWIĘTA20", Percentage: 20},
	{Code: "VIP-LOYALTY-2025-THANK-YOU", Amount: 1500},
}

var notes = []string{
	"Please leave at the back door.",
	"Gift — please don't include the invoice 🎁",
	"Dzwonić przed dostawą, domofon nie działa.",
	"请在工作日送货。",
	"Customer called: wants order split into two shipments.\nSecond line of the note.",
	"",
}

// Generate adds n realistic orders (and, on an empty shop, the built-in
// catalog with inventory) and returns them. Orders are spread over the 30
// days before the clock's now, in creation order; the result depends only
// on n, seed, the clock and what the shop already held. The mix: one to
// five lines with quantities above one, code/automatic/manual discounts,
// shipping and tax lines (prices with and without included tax), guest
// checkouts, non-Latin and emoji names, long order names, a custom line
// without SKU, test orders, and PAID, PENDING, AUTHORIZED, PARTIALLY_PAID,
// REFUNDED, PARTIALLY_REFUNDED and cancelled/VOIDED orders, some edited
// after creation.
func (s *Server) Generate(n int, seed int64) []Order {
	s.mu.Lock()
	s.ensureCatalog()
	variants := s.allVariants()
	now := s.now()
	s.mu.Unlock()

	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9E3779B97F4A7C15))
	created := make([]time.Time, n)
	for i := range created {
		created[i] = now.Add(-time.Duration(rng.Int64N(int64(30*24*time.Hour)-int64(time.Minute))) - time.Minute).Truncate(time.Second)
	}
	slices.SortFunc(created, func(a, b time.Time) int { return a.Compare(b) })
	out := make([]Order, 0, n)
	for i := range n {
		o := s.generateOrder(rng, variants, created[i], now)
		stored, err := s.AddOrder(o)
		if err != nil {
			continue // a name clash with an order added by hand
		}
		out = append(out, stored)
	}
	return out
}

func (s *Server) generateOrder(rng *rand.Rand, variants []*Variant, created, now time.Time) Order {
	o := Order{CreatedAt: created, ProcessedAt: created, SourceName: "web", Currency: s.opts.Currency}
	p := people[rng.IntN(len(people))]
	guest := rng.IntN(5) == 0
	ship := p.addr
	ship.FirstName, ship.LastName, ship.Phone = p.first, p.last, p.phone
	ship.Company = p.company
	bill := ship
	if rng.IntN(6) == 0 { // billing elsewhere
		q := people[rng.IntN(len(people))]
		bill = q.addr
		bill.FirstName, bill.LastName, bill.Company = q.first, q.last, q.company
	}
	o.BillingAddress, o.ShippingAddress = &bill, &ship
	o.Email, o.Phone = p.email, p.phone
	if !guest {
		// Regular customers keep one ID across orders.
		o.Customer = &Customer{ID: baseCustomerID + 500_000 + int64(slices.IndexFunc(people, func(x person) bool { return x.email == p.email })),
			FirstName: p.first, LastName: p.last, Email: p.email, Phone: p.phone}
	} else if rng.IntN(3) == 0 { // POS guest: phone only, no email
		o.Email = ""
		o.SourceName = "pos"
	}
	if rng.IntN(50) == 0 {
		o.Name = fmt.Sprintf("#AMZ-%03d-%07d-%07d", 100+rng.IntN(900), rng.IntN(10_000_000), rng.IntN(10_000_000))
		o.SourceName = "amazon"
	} else if rng.IntN(60) == 0 {
		o.Name = fmt.Sprintf("#EBAY-%02d-%05d-%05d", rng.IntN(100), rng.IntN(100_000), rng.IntN(100_000))
		o.SourceName = "ebay"
	}
	o.Test = rng.IntN(100) == 0
	rule := taxFor(ship)
	o.TaxesIncluded = rule.included

	// Lines.
	nLines := 1 + rng.IntN(3)
	if rng.IntN(4) == 0 {
		nLines += 2
	}
	picked := map[int64]bool{}
	for len(o.LineItems) < nLines {
		v := variants[rng.IntN(len(variants))]
		if picked[v.ID] {
			continue
		}
		picked[v.ID] = true
		qty := 1
		if rng.IntN(3) == 0 {
			qty = 2 + rng.IntN(4)
		}
		if rng.IntN(40) == 0 {
			qty = 24 + rng.IntN(100) // wholesale
		}
		var prod *Product
		s.mu.RLock()
		prod = s.product(v.ProductID)
		s.mu.RUnlock()
		vt := v.Title
		if vt == "Default Title" {
			vt = ""
		}
		gift := prod.ProductType == "Gift Cards"
		o.LineItems = append(o.LineItems, LineItem{SKU: v.SKU, Title: prod.Title, VariantTitle: vt, Vendor: prod.Vendor,
			ProductID: prod.ID, VariantID: v.ID, Quantity: qty, UnitPrice: v.Price,
			Taxable: !gift, RequiresShipping: !gift, GiftCard: gift})
	}
	if rng.IntN(25) == 0 { // custom item without SKU or variant
		o.LineItems = append(o.LineItems, LineItem{Title: "Custom engraving: “Für Elise ♥”", Quantity: 1, UnitPrice: 1500,
			Taxable: true, RequiresShipping: false,
			Properties: []Attribute{{"Engraving", "Für Elise ♥"}, {"Font", "Script"}}})
	}

	// Discounts.
	if rng.IntN(4) == 0 {
		d := discountCodes[rng.IntN(len(discountCodes))]
		d.Kind, d.TargetSelection, d.TargetType, d.AllocationMethod = DiscountCode, "ALL", "LINE_ITEM", "ACROSS"
		o.DiscountApplications = append(o.DiscountApplications, d)
		allocate(&o, len(o.DiscountApplications)-1, allLines(o))
	}
	if rng.IntN(10) == 0 {
		li := rng.IntN(len(o.LineItems))
		o.DiscountApplications = append(o.DiscountApplications, DiscountApplication{Kind: DiscountAutomatic, Title: "Buy more, save 15%",
			Percentage: 15, TargetSelection: "ENTITLED", TargetType: "LINE_ITEM", AllocationMethod: "ACROSS"})
		allocate(&o, len(o.DiscountApplications)-1, []int{li})
	}
	if rng.IntN(20) == 0 {
		li := rng.IntN(len(o.LineItems))
		o.DiscountApplications = append(o.DiscountApplications, DiscountApplication{Kind: DiscountManual, Title: "Damaged box",
			Description: "Box arrived dented — staff discount", Amount: 300, TargetSelection: "EXPLICIT", TargetType: "LINE_ITEM", AllocationMethod: "EACH"})
		allocate(&o, len(o.DiscountApplications)-1, []int{li})
	}

	// Shipping.
	needsShipping := slices.ContainsFunc(o.LineItems, func(l LineItem) bool { return l.RequiresShipping })
	if needsShipping && o.SourceName != "pos" {
		r := shippingRates[rng.IntN(len(shippingRates))]
		sl := ShippingLine{Title: r.title, Code: r.code, Source: r.source, CarrierIdentifier: r.carrier, Price: r.price}
		if rng.IntN(15) == 0 { // free-shipping code
			o.DiscountApplications = append(o.DiscountApplications, DiscountApplication{Kind: DiscountCode, Code: "FREESHIP",
				Percentage: 100, TargetSelection: "ALL", TargetType: "SHIPPING_LINE", AllocationMethod: "EACH"})
			sl.Discount = sl.Price
		}
		if rule.shipping {
			sl.TaxLines = taxLinesFor(rule, sl.Price-sl.Discount)
		}
		o.ShippingLines = append(o.ShippingLines, sl)
	}

	// Taxes.
	for i := range o.LineItems {
		l := &o.LineItems[i]
		if l.Taxable {
			l.TaxLines = taxLinesFor(rule, l.UnitPrice*Money(l.Quantity)-l.allDiscounts())
		}
	}

	// Notes, tags, attributes.
	o.Note = notes[rng.IntN(len(notes))]
	for _, t := range []string{"wholesale", "VIP", "gift", "リピーター", "needs-review"} {
		if rng.IntN(8) == 0 {
			o.Tags = append(o.Tags, t)
		}
	}
	if rng.IntN(6) == 0 {
		o.CustomAttributes = []Attribute{{"gift_message", "Happy birthday! 🎂 Wszystkiego najlepszego!"}, {"delivery_date", created.AddDate(0, 0, 5).Format("2006-01-02")}}
	}
	if rng.IntN(30) == 0 {
		o.PONumber = fmt.Sprintf("PO-%06d", rng.IntN(1_000_000))
	}

	// Payment state.
	total := o.Total()
	gateway := []string{"shopify_payments", "shopify_payments", "shopify_payments", "paypal", "gift_card"}[rng.IntN(5)]
	if o.Test {
		gateway = "bogus"
	}
	at := func(d time.Duration) time.Time {
		t := created.Add(d)
		if t.After(now) {
			return now
		}
		return t
	}
	sale := Transaction{Kind: "SALE", Status: "SUCCESS", Gateway: gateway, Amount: total, ProcessedAt: created, Test: o.Test}
	roll := rng.IntN(100)
	switch {
	case roll < 62:
		o.FinancialStatus = "PAID"
		o.Transactions = []Transaction{sale}
	case roll < 70:
		o.FinancialStatus = "PENDING"
		o.Transactions = []Transaction{{Kind: "SALE", Status: "PENDING", Gateway: "Cash on Delivery (COD)", Amount: total, ProcessedAt: created}}
	case roll < 75:
		o.FinancialStatus = "AUTHORIZED"
		o.Transactions = []Transaction{{Kind: "AUTHORIZATION", Status: "SUCCESS", Gateway: "shopify_payments", Amount: total, ProcessedAt: created}}
	case roll < 78:
		o.FinancialStatus = "PARTIALLY_PAID"
		part := total / 2
		o.Transactions = []Transaction{{Kind: "SALE", Status: "SUCCESS", Gateway: "gift_card", Amount: part, ProcessedAt: created},
			{Kind: "SALE", Status: "PENDING", Gateway: "Bank Deposit", Amount: total - part, ProcessedAt: created}}
	case roll < 85:
		o.FinancialStatus = "REFUNDED"
		o.Transactions = []Transaction{sale, {Kind: "REFUND", Status: "SUCCESS", Gateway: gateway, Amount: total, ProcessedAt: at(26 * time.Hour)}}
		for i := range o.LineItems {
			o.LineItems[i].RefundedQuantity = o.LineItems[i].Quantity
		}
		o.CancelledAt, o.CancelReason = at(26*time.Hour), "CUSTOMER"
		o.UpdatedAt = o.CancelledAt
	case roll < 92:
		o.FinancialStatus = "PARTIALLY_REFUNDED"
		l := &o.LineItems[0]
		l.RefundedQuantity = 1
		refund := unitAfter(l, l.allDiscounts())
		if !o.TaxesIncluded {
			for _, t := range l.TaxLines {
				refund += roundMoney(float64(t.Amount) / float64(l.Quantity))
			}
		}
		o.Transactions = []Transaction{sale, {Kind: "REFUND", Status: "SUCCESS", Gateway: gateway, Amount: min(refund, total), ProcessedAt: at(50 * time.Hour)}}
		o.UpdatedAt = at(50 * time.Hour)
	default:
		o.FinancialStatus = "VOIDED"
		o.Transactions = []Transaction{{Kind: "AUTHORIZATION", Status: "SUCCESS", Gateway: "shopify_payments", Amount: total, ProcessedAt: created},
			{Kind: "VOID", Status: "SUCCESS", Gateway: "shopify_payments", Amount: total, ProcessedAt: at(3 * time.Hour)}}
		o.CancelledAt = at(3 * time.Hour)
		o.CancelReason = []string{"DECLINED", "FRAUD", "INVENTORY", "CUSTOMER"}[rng.IntN(4)]
		o.UpdatedAt = o.CancelledAt
	}

	// Fulfillment.
	o.FulfillmentStatus = "UNFULFILLED"
	if o.CancelledAt.IsZero() && (o.FinancialStatus == "PAID" || o.FinancialStatus == "PARTIALLY_REFUNDED") {
		switch r := rng.IntN(10); {
		case r < 5 && created.Before(now.Add(-48*time.Hour)):
			o.FulfillmentStatus = "FULFILLED"
			for i := range o.LineItems {
				o.LineItems[i].FulfilledQuantity = o.LineItems[i].Quantity - o.LineItems[i].RefundedQuantity
			}
			if o.UpdatedAt.IsZero() || o.UpdatedAt.Before(at(30*time.Hour)) {
				o.UpdatedAt = at(30 * time.Hour)
			}
			if rng.IntN(3) == 0 {
				o.ClosedAt = o.UpdatedAt
			}
		case r < 6 && len(o.LineItems) > 1:
			o.FulfillmentStatus = "PARTIALLY_FULFILLED"
			o.LineItems[0].FulfilledQuantity = o.LineItems[0].Quantity - o.LineItems[0].RefundedQuantity
			if o.UpdatedAt.IsZero() || o.UpdatedAt.Before(at(20*time.Hour)) {
				o.UpdatedAt = at(20 * time.Hour)
			}
		}
	}
	if o.UpdatedAt.IsZero() && rng.IntN(4) == 0 { // edited later (note, tags, address)
		o.UpdatedAt = at(time.Duration(rng.IntN(72*60)) * time.Minute)
	}
	return o
}

func allLines(o Order) []int {
	idx := make([]int, len(o.LineItems))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// allocate spreads discount application app over the given lines in
// proportion to their remaining amounts; the last line takes the rounding.
func allocate(o *Order, app int, lines []int) {
	d := o.DiscountApplications[app]
	base := Money(0)
	for _, i := range lines {
		l := o.LineItems[i]
		base += l.UnitPrice*Money(l.Quantity) - l.allDiscounts()
	}
	if base <= 0 {
		return
	}
	total := d.Amount
	if d.Percentage > 0 {
		total = roundMoney(float64(base) * d.Percentage / 100)
	}
	total = min(total, base)
	left := total
	for k, i := range lines {
		l := &o.LineItems[i]
		amt := l.UnitPrice*Money(l.Quantity) - l.allDiscounts()
		share := roundMoney(float64(total) * float64(amt) / float64(base))
		if k == len(lines)-1 {
			share = left
		}
		share = min(share, amt)
		left -= share
		if share > 0 {
			l.Discounts = append(l.Discounts, DiscountAllocation{Application: app, Amount: share})
		}
	}
}
