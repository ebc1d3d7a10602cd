package woosim

import (
	"cmp"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SeedCatalog adds the demo catalog: simple products (one without a SKU,
// one virtual gift card without stock management, one at zero stock on
// backorder, names with an HTML entity, Polish and Chinese), a variable
// hoodie whose six variations manage their own stock, and variable shoes
// whose five variations use the parent's stock. It fails if a catalog SKU
// exists already.
func (s *Server) SeedCatalog() error {
	created := s.now().Add(-120 * 24 * time.Hour).Truncate(time.Second)
	qty := func(n int) *int { return &n }
	simple := []Product{
		{Name: "Organic Cotton T-Shirt", SKU: "TSHIRT-ORG-WHT", RegularPrice: "24.00", ManageStock: true, StockQuantity: qty(120)},
		{Name: "Salt &amp; Pepper Grinder Set", SKU: "SPG-SET-2", RegularPrice: "32.50", ManageStock: true, StockQuantity: qty(40)},
		{Name: "Ceramic Pour-Over Coffee Dripper", SKU: "CPD-01", RegularPrice: "28", ManageStock: true, StockQuantity: qty(15)},
		{Name: "Zestaw noży kuchennych (5 szt.)", SKU: "NOZE-5", RegularPrice: "189.99", ManageStock: true, StockQuantity: qty(8)},
		{Name: "抹茶 Matcha Powder 100g", SKU: "MATCHA-100G", RegularPrice: "19.95", ManageStock: true, StockQuantity: qty(60)},
		{Name: "Gift Card $50", SKU: "GC-50", RegularPrice: "50.00", Virtual: true},
		{Name: "Handmade Stoneware Mug", RegularPrice: "18.00"},
		{Name: "Beeswax Wrap 3-Pack", SKU: "bw-3pk", RegularPrice: "14.50", ManageStock: true, StockQuantity: qty(0), Backorders: "notify"},
	}
	for _, p := range simple {
		p.Created = created
		if _, err := s.AddProduct(p); err != nil {
			return fmt.Errorf("woocommerce: seed catalog: %w", err)
		}
	}
	color := Attribute{ID: 1, Name: "Color", Slug: "pa_color", Options: []string{"Navy", "Heather Grey"}}
	size := Attribute{ID: 2, Name: "Size", Slug: "pa_size", Options: []string{"S", "M", "L"}}
	hoodie, err := s.AddProduct(Product{Type: "variable", Name: "Merino Wool Hoodie", SKU: "HOODIE-MER", Attributes: []Attribute{color, size}, Created: created})
	if err != nil {
		return fmt.Errorf("woocommerce: seed catalog: %w", err)
	}
	stock := []int{7, 12, 3, 5, 9, 0}
	i := 0
	for _, c := range color.Options {
		for _, sz := range size.Options {
			price := "89.00"
			if sz == "L" {
				price = "94.00"
			}
			code := map[string]string{"Navy": "NVY", "Heather Grey": "HGR"}[c]
			_, err := s.AddVariation(hoodie.ID, Product{
				SKU: "HOODIE-MER-" + code + "-" + sz, RegularPrice: price, ManageStock: true, StockQuantity: qty(stock[i]), Created: created,
				Attributes: []Attribute{{ID: 1, Name: "Color", Slug: "pa_color", Option: c}, {ID: 2, Name: "Size", Slug: "pa_size", Option: sz}},
			})
			if err != nil {
				return fmt.Errorf("woocommerce: seed catalog: %w", err)
			}
			i++
		}
	}
	shoeSize := Attribute{ID: 2, Name: "Size", Slug: "pa_size", Options: []string{"40", "41", "42", "43", "44"}}
	shoes, err := s.AddProduct(Product{Type: "variable", Name: "Trail Running Shoes", SKU: "TRS-100", ManageStock: true, StockQuantity: qty(25), Attributes: []Attribute{shoeSize}, Created: created})
	if err != nil {
		return fmt.Errorf("woocommerce: seed catalog: %w", err)
	}
	for _, sz := range shoeSize.Options {
		if _, err := s.AddVariation(shoes.ID, Product{SKU: "TRS-100-" + sz, RegularPrice: "129.00", Created: created,
			Attributes: []Attribute{{ID: 2, Name: "Size", Slug: "pa_size", Option: sz}}}); err != nil {
			return fmt.Errorf("woocommerce: seed catalog: %w", err)
		}
	}
	return nil
}

// customer is a generator persona.
type customer struct {
	id                          int // 0: guest
	first, last, company, email string
	addr1, addr2, city, state   string
	postcode, country, phone    string
	note                        string
}

var customers = []customer{
	{id: 2, first: "Emily", last: "Johnson", email: "emily.johnson@example.com", addr1: "1450 Market St", addr2: "Apt 12B", city: "San Francisco", state: "CA", postcode: "94103", country: "US", phone: "(415) 555-0132"},
	{first: "Michael", last: "O'Brien", email: "mobrien@example.net", addr1: "350 5th Ave", city: "New York", state: "NY", postcode: "10118", country: "US", phone: "+1 212-555-0188", note: "Please leave at the front desk."},
	{id: 5, first: "Sarah", last: "Davis", company: "🌮 Taco Tuesday Co.", email: "sarah@tacotuesday.example", addr1: "600 Congress Ave", city: "Austin", state: "TX", postcode: "78701", country: "US", phone: "512.555.0199", note: "Gift — don't include the receipt 🎁"},
	{first: "王", last: "芳", email: "wang.fang@example.cn", addr1: "浦东新区世纪大道100号", addr2: "环球金融中心 25楼", city: "上海市", state: "CN2", postcode: "200120", country: "CN", phone: "+86 138 0013 8000", note: "请在工作日送货"},
	{id: 9, first: "伟", last: "李", email: "li.wei@example.cn", addr1: "朝阳区建国路88号", city: "北京市", state: "CN1", postcode: "100022", country: "CN", phone: "13910001234"},
	{id: 12, first: "Łukasz", last: "Żółkiewski", company: "Źródło Sp. z o.o.", email: "lukasz.zolkiewski@example.pl", addr1: "ul. Świętego Marcina 42/7", city: "Poznań", postcode: "61-806", country: "PL", phone: "+48 600 123 456", note: "Proszę o fakturę VAT na firmę."},
	{first: "Zofia", last: "Wójcik-Szczęsna", email: "zofia.w@example.pl", addr1: "ul. Długa 5", city: "Gdańsk", postcode: "80-827", country: "PL", phone: "512 345 678"},
	{id: 17, first: "Jürgen", last: "Müller", email: "j.mueller@example.de", addr1: "Friedrichstraße 123", city: "Berlin", postcode: "10117", country: "DE", phone: "+49 30 1234567"},
	{first: "由紀", last: "田中", email: "yuki.tanaka@example.jp", addr1: "千代田区丸の内1-1-1", city: "東京都", state: "JP13", postcode: "100-0005", country: "JP", phone: "090-1234-5678"},
	{id: 23, first: "Maximilian Alexander", last: "von Hohenzollern-Sigmaringen", company: "Hohenzollern Feinkost GmbH & Co. KG", email: "max.hohenzollern@example.de", addr1: "Karlstraße 1", addr2: "Hinterhaus, 3. OG", city: "Sigmaringen", postcode: "72488", country: "DE", phone: "07571 123456"},
	{first: "Oliver", last: "Smith", email: "oliver.smith@example.co.uk", addr1: "10 Downing Street", city: "London", postcode: "SW1A 2AA", country: "GB", phone: "020 7946 0000"},
	{id: 31, first: "Priya", last: "Natarajan", email: "priya.n@example.com", addr1: "1 Infinite Loop", city: "Cupertino", state: "CA", postcode: "95014", country: "US", phone: "408-555-0101"},
}

// taxRate is a WooCommerce tax rate.
type taxRate struct {
	id          int
	code, label string
	percent     float64
}

func rateFor(country, state string) *taxRate {
	switch country + "-" + state {
	case "US-CA":
		return &taxRate{1, "US-CA-CA TAX-1", "CA Tax", 7.25}
	case "US-NY":
		return &taxRate{2, "US-NY-NY STATE TAX-1", "NY State Tax", 8.875}
	case "US-TX":
		return &taxRate{3, "US-TX-TX TAX-1", "TX Tax", 6.25}
	}
	switch country {
	case "PL":
		return &taxRate{4, "PL-VAT-1", "VAT", 23}
	case "DE":
		return &taxRate{5, "DE-MWST-1", "MwSt.", 19}
	case "GB":
		return &taxRate{6, "GB-VAT-1", "VAT", 20}
	case "JP":
		return &taxRate{7, "JP-CONSUMPTION TAX-1", "Consumption tax", 10}
	}
	return nil
}

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
}

// weighted picks an index by weight.
func weighted(r *rand.Rand, weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randString(r *rand.Rand, n int, chars string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

// Generate adds n realistic orders spread over the 30 days before now and
// returns them by ID. The same seed, clock and starting catalog give the
// same orders. An empty catalog is seeded with SeedCatalog first.
//
// The orders mix 1–6 lines of simple products and variations, quantities
// above 1 (a few bulk ones), coupons (percent, fixed cart, free
// shipping), flat-rate shipping with tax, gift-wrap and cash-on-delivery
// fees, guests (customer_id 0), names and addresses in Chinese, Japanese,
// Polish and German and an emoji company, HTML entities in item names,
// statuses processing, completed, on-hold, pending, cancelled and
// refunded (with a refund), COD orders that are processing but unpaid,
// order attribution meta, and — for the latest third — long order
// numbers from a sequential-order-number plugin ("WC-2026-000123456").
// Generated orders fire no webhooks.
func (s *Server) Generate(n int, seed int64) ([]Order, error) {
	if n <= 0 {
		return nil, nil
	}
	s.mu.Lock()
	empty := len(s.products) == 0
	s.mu.Unlock()
	if empty {
		if err := s.SeedCatalog(); err != nil {
			return nil, err
		}
	}
	r := rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15))
	now := s.now().Truncate(time.Second)

	s.mu.Lock()
	defer s.mu.Unlock()
	var sellable []*Product // simple products and variations
	for _, id := range sortedKeys(s.products) {
		if p := s.products[id]; p.Type != "variable" && p.RegularPrice != "" {
			sellable = append(sellable, p)
		}
	}
	offsets := make([]time.Duration, n)
	for i := range offsets {
		offsets[i] = time.Duration(r.Int64N(int64(30*24*time.Hour/time.Second))) * time.Second
	}
	slices.SortFunc(offsets, func(a, b time.Duration) int { return cmp.Compare(b, a) }) // oldest first
	seq := 123400 + r.IntN(500)
	out := make([]Order, 0, n)
	for i, off := range offsets {
		o := s.generateOrder(r, sellable, now.Add(-off), now)
		if i >= n-n/3 {
			seq++
			o.Number = fmt.Sprintf("WC-%d-%09d", o.Created.In(s.loc).Year(), seq)
			o.MetaData = append(o.MetaData, Meta{Key: "_order_number", Value: strconv.Itoa(seq)}, Meta{Key: "_order_number_formatted", Value: o.Number})
		}
		stored, err := s.addOrderLocked(o)
		if err != nil {
			return nil, err
		}
		out = append(out, stored)
	}
	return out, nil
}

func (s *Server) generateOrder(r *rand.Rand, sellable []*Product, created, now time.Time) Order {
	c := customers[r.IntN(len(customers))]
	custID := c.id
	if custID != 0 && r.IntN(4) == 0 {
		custID = 0 // registered people check out as guests too
	}
	rate := rateFor(c.country, c.state)
	status := []string{"processing", "completed", "on-hold", "pending", "cancelled", "refunded"}[weighted(r, 30, 38, 8, 8, 8, 8)]

	o := Order{
		Status: status, Currency: s.opts.Currency, Created: created, CustomerID: custID, CreatedVia: "checkout",
		CustomerIPAddress: fmt.Sprintf("203.0.113.%d", 1+r.IntN(254)),
		CustomerUserAgent: userAgents[r.IntN(len(userAgents))],
		Billing: Address{FirstName: c.first, LastName: c.last, Company: c.company, Address1: c.addr1, Address2: c.addr2,
			City: c.city, State: c.state, Postcode: c.postcode, Country: c.country, Email: c.email, Phone: c.phone},
	}
	if r.IntN(3) == 0 {
		o.CustomerIPAddress = fmt.Sprintf("2001:db8:%x:%x::%x", r.IntN(0xffff), r.IntN(0xffff), 1+r.IntN(0xfff))
	}
	o.Shipping = o.Billing
	o.Shipping.Email = ""
	if r.IntN(6) == 0 {
		o.Shipping.FirstName, o.Shipping.LastName, o.Shipping.Company = "Anna", "Kowalska", ""
	}
	if r.IntN(3) == 0 {
		o.CustomerNote = c.note
	}

	// Lines.
	nLines := []int{1, 2, 3, 4, 5, 6}[weighted(r, 45, 30, 15, 5, 3, 2)]
	picked := map[int]bool{}
	var sub cents
	for len(o.LineItems) < nLines && len(picked) < len(sellable) {
		p := sellable[r.IntN(len(sellable))]
		if picked[p.ID] {
			continue
		}
		picked[p.ID] = true
		qty := []int{1, 2, 1 + 2 + r.IntN(3), 10 + r.IntN(15)}[weighted(r, 60, 25, 10, 5)]
		line := mustCents(p.RegularPrice) * cents(qty)
		li := LineItem{Name: p.Name, ProductID: p.ID, Quantity: qty, Subtotal: line.String(), Total: line.String(), SKU: p.SKU}
		if p.Type == "variation" {
			li.ProductID, li.VariationID = p.ParentID, p.ID
			for _, a := range p.Attributes {
				li.MetaData = append(li.MetaData, Meta{Key: a.Slug, Value: slugify(a.Option), DisplayKey: a.Name, DisplayValue: a.Option})
			}
		}
		sub += line
		o.LineItems = append(o.LineItems, li)
	}

	// Coupon.
	var coupon *CouponLine
	freeShip := false
	switch weighted(r, 80, 10, 6, 4) {
	case 1:
		coupon = &CouponLine{Code: "save10", DiscountType: "percent", NominalAmount: 10}
		for i := range o.LineItems {
			st := mustCents(o.LineItems[i].Subtotal)
			o.LineItems[i].Total = (st - st.percentOf(10)).String()
		}
	case 2:
		coupon = &CouponLine{Code: "welcome5", DiscountType: "fixed_cart", NominalAmount: 5}
		left := min(cents(500), sub)
		for i := range o.LineItems {
			st := mustCents(o.LineItems[i].Subtotal)
			share := cents(0)
			if sub > 0 {
				share = cents(int64(500) * int64(st) / int64(sub))
			}
			if i == len(o.LineItems)-1 {
				share = left
			}
			share = min(share, st, left)
			left -= share
			o.LineItems[i].Total = (st - share).String()
		}
	case 3:
		coupon = &CouponLine{Code: "freeship", DiscountType: "percent", NominalAmount: 0, FreeShipping: true}
		freeShip = true
	}

	// Item taxes.
	var cartTax, discount, discountTax, itemsTotal cents
	for i := range o.LineItems {
		li := &o.LineItems[i]
		st, tot := mustCents(li.Subtotal), mustCents(li.Total)
		stTax, totTax := cents(0), cents(0)
		if rate != nil {
			stTax, totTax = st.percentOf(rate.percent), tot.percentOf(rate.percent)
			li.Taxes = []Tax{{RateID: rate.id, Total: totTax.raw(), Subtotal: stTax.raw()}}
		}
		li.SubtotalTax, li.TotalTax = stTax.String(), totTax.String()
		cartTax += totTax
		discount += st - tot
		discountTax += stTax - totTax
		itemsTotal += tot
	}
	if coupon != nil {
		coupon.Discount, coupon.DiscountTax = discount.raw(), discountTax.raw()
		o.CouponLines = []CouponLine{*coupon}
	}

	// Shipping.
	var shipping, shippingTax cents
	var items []string
	for _, li := range o.LineItems {
		items = append(items, fmt.Sprintf("%s &times; %d", li.Name, li.Quantity))
	}
	sl := ShippingLine{MethodTitle: "Flat rate", MethodID: "flat_rate", InstanceID: "1", Total: "7.50"}
	switch {
	case c.country != "US":
		sl = ShippingLine{MethodTitle: "International shipping", MethodID: "flat_rate", InstanceID: "4", Total: "24.00"}
	case freeShip || sub >= 10000:
		sl = ShippingLine{MethodTitle: "Free shipping", MethodID: "free_shipping", InstanceID: "2", Total: "0.00"}
	case r.IntN(8) == 0:
		sl = ShippingLine{MethodTitle: "Local pickup", MethodID: "local_pickup", InstanceID: "3", Total: "0.00"}
	}
	if freeShip {
		sl.MethodTitle, sl.MethodID, sl.InstanceID, sl.Total = "Free shipping", "free_shipping", "2", "0.00"
	}
	shipping = mustCents(sl.Total)
	if rate != nil && shipping > 0 {
		shippingTax = shipping.percentOf(rate.percent)
		sl.Taxes = []Tax{{RateID: rate.id, Total: shippingTax.raw()}}
	}
	sl.TotalTax = shippingTax.String()
	sl.MetaData = []Meta{{Key: "Items", Value: strings.Join(items, ", ")}}
	o.ShippingLines = []ShippingLine{sl}

	// Payment.
	pay := weighted(r, 55, 25, 12, 8) // stripe, paypal, bacs, cod
	switch {
	case status == "on-hold":
		pay = 2
	case status == "pending" && pay == 3:
		pay = 0
	}
	var fees cents
	addFee := func(name string, amount cents) {
		tax := cents(0)
		f := FeeLine{Name: name, TaxStatus: "taxable", Amount: amount.String(), Total: amount.String()}
		if rate != nil {
			tax = amount.percentOf(rate.percent)
			f.Taxes = []Tax{{RateID: rate.id, Total: tax.raw(), Subtotal: ""}}
		}
		f.TotalTax = tax.String()
		fees += amount
		cartTax += tax
		o.FeeLines = append(o.FeeLines, f)
	}
	if r.IntN(12) == 0 {
		addFee("Gift wrapping", 499)
	}
	switch pay {
	case 0:
		o.PaymentMethod, o.PaymentMethodTitle = "stripe", "Credit Card (Stripe)"
	case 1:
		o.PaymentMethod, o.PaymentMethodTitle = "ppcp-gateway", "PayPal"
	case 2:
		o.PaymentMethod, o.PaymentMethodTitle = "bacs", "Direct bank transfer"
	case 3:
		o.PaymentMethod, o.PaymentMethodTitle = "cod", "Cash on delivery"
		addFee("Cash on delivery fee", 200)
	}

	totalTax := cartTax + shippingTax
	total := itemsTotal + fees + shipping + totalTax
	o.DiscountTotal, o.DiscountTax = discount.String(), discountTax.String()
	o.ShippingTotal, o.ShippingTax = shipping.String(), shippingTax.String()
	o.CartTax, o.TotalTax, o.Total = cartTax.String(), totalTax.String(), total.String()
	if rate != nil {
		o.TaxLines = []TaxLine{{RateCode: rate.code, RateID: rate.id, Label: rate.label, TaxTotal: cartTax.String(), ShippingTaxTotal: shippingTax.String(), RatePercent: rate.percent}}
	}
	sum := md5.Sum([]byte(fmt.Sprint("cart", created.UnixNano(), total)))
	o.CartHash = hex.EncodeToString(sum[:])

	// Timeline.
	at := func(t time.Time) time.Time {
		if t.After(now) {
			return now
		}
		return t
	}
	o.Modified = created.Add(time.Duration(1+r.IntN(20)) * time.Second)
	note := func(t time.Time, text string) {
		o.Notes = append(o.Notes, Note{Author: "system", Created: t, Note: text})
	}
	paidOnline := pay == 0 || pay == 1
	switch status {
	case "processing", "completed", "refunded":
		if paidOnline {
			o.Paid = at(created.Add(time.Duration(5+r.IntN(80)) * time.Second))
			if pay == 0 {
				o.TransactionID = "pi_3Q" + randString(r, 22, alnum)
				note(o.Paid, "Stripe charge complete (Charge ID: "+o.TransactionID+")")
			} else {
				o.TransactionID = randString(r, 17, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
				note(o.Paid, "PayPal payment captured (ID: "+o.TransactionID+")")
			}
			note(o.Paid, "Order status changed from Pending payment to Processing.")
			o.Modified = o.Paid
		} else {
			note(o.Modified, "Order status changed from Pending payment to Processing.")
		}
		if status != "processing" {
			o.Completed = at(created.Add(time.Duration(24+r.IntN(96)) * time.Hour))
			if o.Paid.IsZero() {
				o.Paid = o.Completed // cash on delivery: paid when completed
			}
			note(o.Completed, "Order status changed from Processing to Completed.")
			o.Modified = o.Completed
		}
		if status == "refunded" {
			when := at(o.Completed.Add(time.Duration(24+r.IntN(72)) * time.Hour))
			o.Refunds = []Refund{{Reason: []string{"", "Customer changed their mind", "Item arrived damaged 📦"}[r.IntN(3)], Total: "-" + total.String()}}
			note(when, "Refunded "+s.opts.Currency+" "+total.String()+" – Order status changed from Completed to Refunded.")
			o.Modified = when
		}
	case "on-hold":
		note(o.Modified, "Awaiting BACS payment Order status changed from Pending payment to On hold.")
	case "cancelled":
		when := at(created.Add(time.Duration(60+r.IntN(24*60)) * time.Minute))
		note(when, "Unpaid order cancelled - time limit reached. Order status changed from Pending payment to Cancelled.")
		o.Modified = when
	}
	o.Modified = at(o.Modified)

	o.MetaData = []Meta{
		{Key: "is_vat_exempt", Value: "no"},
		{Key: "_wc_order_attribution_source_type", Value: []string{"typein", "organic", "referral", "utm"}[r.IntN(4)]},
		{Key: "_wc_order_attribution_utm_source", Value: []string{"(direct)", "google", "newsletter", "instagram"}[r.IntN(4)]},
		{Key: "_wc_order_attribution_device_type", Value: []string{"Desktop", "Mobile", "Tablet"}[weighted(r, 50, 45, 5)]},
		{Key: "_wc_order_attribution_session_pages", Value: strconv.Itoa(1 + r.IntN(12))},
	}
	return o
}
