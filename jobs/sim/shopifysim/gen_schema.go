//go:build ignore

// gen_schema writes schema_2025-01.json, the part of Shopify's Admin GraphQL
// introspection result (API version 2025-01) that the simulator validates
// queries against. It keeps every field (with arguments) of the types listed
// in fullTypes, the enums, input objects and scalars those fields take or
// return, and the kind of every other type, so a selection can be told apart
// as "no such field" or "exists in Shopify but not simulated".
//
//	go run gen_schema.go -in ../../../../shared/specs/shopify/graphql/admin_schema_2025-01.json.gz
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
)

var fullTypes = []string{
	"QueryRoot", "Mutation",
	"Order", "OrderConnection", "OrderEdge", "PageInfo",
	"LineItem", "LineItemConnection", "LineItemEdge",
	"ShippingLine", "ShippingLineConnection", "ShippingLineEdge",
	"DiscountApplication", "DiscountApplicationConnection", "DiscountApplicationEdge",
	"DiscountCodeApplication", "AutomaticDiscountApplication", "ManualDiscountApplication", "ScriptDiscountApplication",
	"PricingValue", "PricingPercentageValue", "DiscountAllocation",
	"MoneyBag", "MoneyV2", "TaxLine", "Attribute", "MailingAddress", "Customer", "OrderTransaction",
	"Product", "ProductVariant", "ProductVariantConnection", "ProductVariantEdge",
	"InventoryItem", "InventoryItemConnection", "InventoryItemEdge", "InventoryLevel", "InventoryLevelConnection", "InventoryLevelEdge", "InventoryQuantity",
	"Location", "LocationConnection", "LocationEdge", "Shop",
	"InventorySetQuantitiesPayload", "InventorySetQuantitiesUserError", "InventoryAdjustmentGroup", "InventoryChange",
	"DisplayableError", "Node",
	"BulkOperation", "BulkOperationRunQueryPayload", "BulkOperationUserError",
	"WebhookSubscription", "WebhookSubscriptionCreatePayload", "WebhookSubscriptionDeletePayload", "UserError",
	"Refund", "RefundLineItem", "RefundLineItemConnection", "RefundLineItemEdge",
}

// rootFields are the QueryRoot and Mutation fields the simulator serves; the
// other root fields are listed without their argument types.
var rootFields = map[string]bool{
	"order": true, "orders": true, "productVariant": true, "productVariants": true,
	"inventoryItem": true, "inventoryItems": true, "location": true, "locations": true, "shop": true,
	"inventorySetQuantities": true, "webhookSubscriptionCreate": true, "webhookSubscriptionDelete": true,
	"bulkOperationRunQuery": true, "currentBulkOperation": true, "node": true, "refund": true,
}

type typeRef struct {
	Kind   string   `json:"kind"`
	Name   *string  `json:"name"`
	OfType *typeRef `json:"ofType"`
}

type inputValue struct {
	Name         string  `json:"name"`
	Type         typeRef `json:"type"`
	DefaultValue *string `json:"defaultValue"`
}

type field struct {
	Name       string       `json:"name"`
	Args       []inputValue `json:"args"`
	Type       typeRef      `json:"type"`
	Deprecated bool         `json:"isDeprecated"`
}

type fullType struct {
	Kind          string                  `json:"kind"`
	Name          string                  `json:"name"`
	Fields        []field                 `json:"fields"`
	InputFields   []inputValue            `json:"inputFields"`
	Interfaces    []typeRef               `json:"interfaces"`
	EnumValues    []struct{ Name string } `json:"enumValues"`
	PossibleTypes []typeRef               `json:"possibleTypes"`
}

// Output format, read by schema.go.
type outArg struct {
	Type    string `json:"type"`
	Default string `json:"default,omitempty"`
}
type outField struct {
	Type       string            `json:"type"`
	Args       map[string]outArg `json:"args,omitempty"`
	Deprecated bool              `json:"deprecated,omitempty"`
}
type outType struct {
	Kind          string              `json:"kind"`
	Fields        map[string]outField `json:"fields,omitempty"`
	InputFields   map[string]outArg   `json:"inputFields,omitempty"`
	Interfaces    []string            `json:"interfaces,omitempty"`
	EnumValues    []string            `json:"enumValues,omitempty"`
	PossibleTypes []string            `json:"possibleTypes,omitempty"`
}
type out struct {
	Version string             `json:"version"`
	Source  string             `json:"source"`
	Kinds   map[string]string  `json:"kinds"`
	Types   map[string]outType `json:"types"`
}

func render(t typeRef) string {
	switch t.Kind {
	case "NON_NULL":
		return render(*t.OfType) + "!"
	case "LIST":
		return "[" + render(*t.OfType) + "]"
	}
	return *t.Name
}

func named(t typeRef) string {
	for t.OfType != nil {
		t = *t.OfType
	}
	return *t.Name
}

func main() {
	in := flag.String("in", "", "admin_schema_2025-01.json.gz")
	dst := flag.String("out", "schema_2025-01.json", "output file")
	flag.Parse()
	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		Data struct {
			Schema struct {
				Types []fullType `json:"types"`
			} `json:"__schema"`
		} `json:"data"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		log.Fatal(err)
	}
	all := map[string]fullType{}
	o := out{Version: "2025-01", Source: "Shopify/dev-mcp data/admin_schema_2025-01.json.gz (ISC), subset", Kinds: map[string]string{}, Types: map[string]outType{}}
	for _, t := range doc.Data.Schema.Types {
		all[t.Name] = t
		o.Kinds[t.Name] = t.Kind
	}
	want := map[string]bool{}
	var queue []string
	add := func(n string) {
		if !want[n] {
			want[n] = true
			queue = append(queue, n)
		}
	}
	for _, n := range fullTypes {
		if _, ok := all[n]; !ok {
			log.Fatalf("type %s not in schema", n)
		}
		add(n)
	}
	full := map[string]bool{}
	for _, n := range fullTypes {
		full[n] = true
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		t := all[n]
		ot := outType{Kind: t.Kind}
		switch t.Kind {
		case "OBJECT", "INTERFACE":
			ot.Fields = map[string]outField{}
			for _, fl := range t.Fields {
				of := outField{Type: render(fl.Type), Deprecated: fl.Deprecated}
				if len(fl.Args) > 0 {
					of.Args = map[string]outArg{}
				}
				if (n == "QueryRoot" || n == "Mutation") && !rootFields[fl.Name] {
					of.Args = nil
					ot.Fields[fl.Name] = of
					continue
				}
				for _, a := range fl.Args {
					oa := outArg{Type: render(a.Type)}
					if a.DefaultValue != nil {
						oa.Default = *a.DefaultValue
					}
					of.Args[a.Name] = oa
					if k := all[named(a.Type)].Kind; k != "OBJECT" {
						add(named(a.Type))
					}
				}
				ot.Fields[fl.Name] = of
				// Leaf return types are needed to coerce and check results.
				if k := all[named(fl.Type)].Kind; k == "ENUM" || k == "SCALAR" {
					add(named(fl.Type))
				}
			}
			for _, i := range t.Interfaces {
				ot.Interfaces = append(ot.Interfaces, named(i))
			}
		case "UNION":
		case "INPUT_OBJECT":
			ot.InputFields = map[string]outArg{}
			for _, a := range t.InputFields {
				oa := outArg{Type: render(a.Type)}
				if a.DefaultValue != nil {
					oa.Default = *a.DefaultValue
				}
				ot.InputFields[a.Name] = oa
				add(named(a.Type))
			}
		case "ENUM":
			for _, e := range t.EnumValues {
				ot.EnumValues = append(ot.EnumValues, e.Name)
			}
		}
		for _, p := range t.PossibleTypes {
			ot.PossibleTypes = append(ot.PossibleTypes, named(p))
		}
		sort.Strings(ot.PossibleTypes)
		o.Types[n] = ot
	}
	b, err := json.MarshalIndent(o, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*dst, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s: %d types in full, %d kinds\n", *dst, len(o.Types), len(o.Kinds))
}
