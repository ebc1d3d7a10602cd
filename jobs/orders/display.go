package orders

import "strings"

// DisplayName is the buyer as people read it (Order.customerName): the customer's first and
// last name, else the billing address's, else the billing company. Unlike posting.CustomerName it
// keeps every character, since it is never sent to QuickBooks.
func DisplayName(o Order) string {
	name := strings.TrimSpace(o.Customer.FirstName + " " + o.Customer.LastName)
	if name == "" {
		name = strings.TrimSpace(o.BillTo.FirstName + " " + o.BillTo.LastName)
	}
	if name == "" {
		name = strings.TrimSpace(o.BillTo.Company)
	}
	return name
}
