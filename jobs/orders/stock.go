package orders

// StockLevel is what a store says about one SKU's stock.
type StockLevel struct {
	// Quantity is what the store has available, net of the orders it already took; negative
	// when oversold.
	Quantity int
	// Tracked is false when the store does not count the SKU's stock (Shopify "Track quantity"
	// off, WooCommerce "Manage stock?" off): gift cards, services, made-to-order goods.
	Tracked bool
	// Shipped is false for what is never shipped: services, virtual and downloadable products,
	// gift cards.
	Shipped bool
}
