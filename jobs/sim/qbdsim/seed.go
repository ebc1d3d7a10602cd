package qbdsim

import (
	"fmt"
	"strings"
)

// Seed fills an empty company with a realistic retail starter file: a chart
// of accounts (Checking, Accounts Receivable, Undeposited Funds, Inventory
// Asset, Sales, Cost of Goods Sold…), sales tax codes Tax/Non, sales tax
// items "State Sales Tax" (7.25%) and "Out of State" (0%, the default),
// payment methods, terms, templates, classes Online/Retail/Wholesale, ship
// methods UPS/FedEx/USPS, a vendor, inventory items Widget/Gadget/Gizmo
// Deluxe (100/40/12 on hand), non-inventory "Gift Wrap", service
// "Installation", other charge "Shipping", discount "10% Off", group
// "Starter Kit" and two customers. It fails if any of those names exist.
func (c *Company) Seed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	internal := []struct {
		kind, name string
		fields     []*node
	}{
		{"Vendor", "Acme Supply Co.", nil},
		{"SalesTaxCode", "Tax", []*node{leaf("IsTaxable", "true"), leaf("Desc", "Taxable Sales")}},
		{"SalesTaxCode", "Non", []*node{leaf("IsTaxable", "false"), leaf("Desc", "Non-Taxable Sales")}},
		{"PaymentMethod", "Cash", []*node{leaf("PaymentMethodType", "Cash")}},
		{"PaymentMethod", "Check", []*node{leaf("PaymentMethodType", "Check")}},
		{"PaymentMethod", "Visa", []*node{leaf("PaymentMethodType", "Visa")}},
		{"PaymentMethod", "MasterCard", []*node{leaf("PaymentMethodType", "MasterCard")}},
		{"PaymentMethod", "American Express", []*node{leaf("PaymentMethodType", "AmericanExpress")}},
		{"PaymentMethod", "PayPal", []*node{leaf("PaymentMethodType", "Other")}},
		{"StandardTerms", "Net 30", []*node{leaf("StdDueDays", "30")}},
		{"StandardTerms", "Due on receipt", []*node{leaf("StdDueDays", "0")}},
		{"Template", "Custom Sales Receipt", nil},
		{"Template", "Intuit Product Invoice", nil},
		{"Template", "Custom Sales Order", nil},
		{"Template", "Custom Credit Memo", nil},
	}
	for _, r := range internal {
		add := el(r.kind+"Add", leaf("Name", r.name))
		add.Children = append(add.Children, r.fields...)
		if _, err := c.addList(r.kind, add); err != nil {
			return fmt.Errorf("qbd: seed %s %q: %w", r.kind, r.name, err)
		}
	}
	accounts := []struct{ name, typ string }{
		{"Checking", "Bank"}, {"Accounts Receivable", "AccountsReceivable"}, {"Undeposited Funds", "OtherCurrentAsset"},
		{"Inventory Asset", "OtherCurrentAsset"}, {"Accounts Payable", "AccountsPayable"},
		{"Sales Tax Payable", "OtherCurrentLiability"}, {"Opening Balance Equity", "Equity"}, {"Sales", "Income"},
		{"Shipping and Delivery Income", "Income"}, {"Sales Discounts", "Income"}, {"Cost of Goods Sold", "CostOfGoodsSold"},
		{"Merchant Account Fees", "Expense"},
	}
	var rq []string
	for _, a := range accounts {
		rq = append(rq, fmt.Sprintf("<AccountAddRq><AccountAdd><Name>%s</Name><AccountType>%s</AccountType></AccountAdd></AccountAddRq>", a.name, a.typ))
	}
	rq = append(rq,
		`<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>State Sales Tax</Name><ItemDesc>State sales tax</ItemDesc><TaxRate>7.25</TaxRate><TaxVendorRef><FullName>Acme Supply Co.</FullName></TaxVendorRef></ItemSalesTaxAdd></ItemSalesTaxAddRq>`,
		`<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>Out of State</Name><ItemDesc>Out-of-state sale, exempt from sales tax</ItemDesc><TaxRate>0.00</TaxRate></ItemSalesTaxAdd></ItemSalesTaxAddRq>`)
	for _, n := range []string{"Online", "Retail", "Wholesale"} {
		rq = append(rq, fmt.Sprintf("<ClassAddRq><ClassAdd><Name>%s</Name></ClassAdd></ClassAddRq>", n))
	}
	for _, n := range []string{"UPS", "FedEx", "USPS"} {
		rq = append(rq, fmt.Sprintf("<ShipMethodAddRq><ShipMethodAdd><Name>%s</Name></ShipMethodAdd></ShipMethodAddRq>", n))
	}
	for _, it := range []struct{ name, desc, price, cost, qoh string }{
		{"Widget", "Standard widget", "19.99", "8.50", "100"},
		{"Gadget", "Multi-purpose gadget", "49.00", "21.00", "40"},
		{"Gizmo Deluxe", "Deluxe gizmo with case", "129.00", "60.00", "12"},
	} {
		rq = append(rq, fmt.Sprintf(`<ItemInventoryAddRq><ItemInventoryAdd><Name>%[1]s</Name><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef><SalesDesc>%[2]s</SalesDesc><SalesPrice>%[3]s</SalesPrice><IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef><PurchaseDesc>%[2]s</PurchaseDesc><PurchaseCost>%[4]s</PurchaseCost><COGSAccountRef><FullName>Cost of Goods Sold</FullName></COGSAccountRef><PrefVendorRef><FullName>Acme Supply Co.</FullName></PrefVendorRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef><ReorderPoint>5</ReorderPoint><QuantityOnHand>%[5]s</QuantityOnHand></ItemInventoryAdd></ItemInventoryAddRq>`,
			it.name, it.desc, it.price, it.cost, it.qoh))
	}
	rq = append(rq,
		`<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Gift Wrap</Name><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef><SalesOrPurchase><Desc>Gift wrapping</Desc><Price>4.99</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>`,
		`<ItemServiceAddRq><ItemServiceAdd><Name>Installation</Name><SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef><SalesOrPurchase><Desc>On-site installation (per hour)</Desc><Price>75.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>`,
		`<ItemOtherChargeAddRq><ItemOtherChargeAdd><Name>Shipping</Name><SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef><SalesOrPurchase><Desc>Shipping and handling</Desc><Price>0.00</Price><AccountRef><FullName>Shipping and Delivery Income</FullName></AccountRef></SalesOrPurchase></ItemOtherChargeAdd></ItemOtherChargeAddRq>`,
		`<ItemDiscountAddRq><ItemDiscountAdd><Name>10% Off</Name><ItemDesc>10% discount</ItemDesc><SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef><DiscountRatePercent>10.00</DiscountRatePercent><AccountRef><FullName>Sales Discounts</FullName></AccountRef></ItemDiscountAdd></ItemDiscountAddRq>`,
		`<ItemGroupAddRq><ItemGroupAdd><Name>Starter Kit</Name><ItemDesc>Two widgets and a gadget</ItemDesc><IsPrintItemsInGroup>false</IsPrintItemsInGroup><ItemGroupLine><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>2</Quantity></ItemGroupLine><ItemGroupLine><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>1</Quantity></ItemGroupLine></ItemGroupAdd></ItemGroupAddRq>`,
		`<CustomerAddRq><CustomerAdd><Name>Walk-in Customer</Name></CustomerAdd></CustomerAddRq>`,
		`<CustomerAddRq><CustomerAdd><Name>Jane Doe</Name><FirstName>Jane</FirstName><LastName>Doe</LastName><BillAddress><Addr1>12 Main Street</Addr1><City>Springfield</City><State>IL</State><PostalCode>62701</PostalCode><Country>US</Country></BillAddress><ShipAddress><Addr1>12 Main Street</Addr1><City>Springfield</City><State>IL</State><PostalCode>62701</PostalCode><Country>US</Country></ShipAddress><Phone>217-555-0100</Phone><Email>jane.doe@example.com</Email></CustomerAdd></CustomerAddRq>`,
	)
	msg := `<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">` +
		strings.Join(rq, "") + `</QBXMLMsgsRq></QBXML>`
	s := &Session{c: c, iters: map[string]*iterator{}}
	resp, err := s.process(msg, nil)
	if err != nil {
		return fmt.Errorf("qbd: seed: %w", err)
	}
	if i := strings.Index(resp, `statusSeverity="Error"`); i >= 0 {
		end := strings.Index(resp[i:], "\n")
		return fmt.Errorf("qbd: seed: %s", resp[i:i+end])
	}
	byName := func(ns, name string) string { return c.idx.byName[nameKey(ns, name)].ListID }
	c.st.Prefs = prefs{
		DefaultItemSalesTax: byName("items", "Out of State"),
		TaxableCode:         byName("SalesTaxCode", "Tax"),
		NonTaxableCode:      byName("SalesTaxCode", "Non"),
		ClassTracking:       true,
	}
	return nil
}
