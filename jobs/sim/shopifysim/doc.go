// Package shopify simulates the Shopify Admin GraphQL API (version 2025-01)
// for one shop, so Ledgerlink's tests, benchmarks and demo mode can pull
// orders and push inventory without reaching Shopify.
//
// A Server is an http.Handler serving POST /admin/api/2025-01/graphql.json.
// It parses and validates GraphQL documents against the real 2025-01 schema
// (an embedded subset of Shopify's introspection result), returns only the
// selected fields, computes Shopify's requested and actual query cost and
// enforces the leaky-bucket throttle, with THROTTLED and MAX_COST_EXCEEDED
// answered the way Shopify answers them. Go methods fill the shop (Generate,
// AddProduct, AddOrder, UpdateOrder), inspect it (Orders, InventoryOf,
// Requests, Log) and inject faults (FailNext, FailFraction, SetAvailable).
// orders/create and orders/updated webhooks are delivered, HMAC-signed, to
// subscribed URLs.
//
// README.md lists every simulated operation and field, the cost model, the
// knobs and what is not simulated.
package shopifysim
