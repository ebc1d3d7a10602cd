// Package rules is Ledgerlink's rules engine: merchants' rules that change a normalized order
// (jobs/orders.Order) on its way to QuickBooks or ShipStation.
//
// A Rule has conditions on fields of the order (see Catalogue) and actions that write
// fields. Rules are checked when they are saved (Validate) so that nothing about a stored rule
// can fail at run time; they are then compiled per account and pipeline into an Evaluator
// (Compile) that applies them in position order and records every change it makes. The JSON
// format, the field semantics and the compiled index are described in README.md.
package rules

import (
	"fmt"
	"time"
)

// Pipeline is a flow that runs rules on orders.
type Pipeline string

const (
	// OrdersToQuickBooks posts store orders to QuickBooks.
	OrdersToQuickBooks Pipeline = "orders_to_quickbooks"
	// QuickBooksToShipStation sends QuickBooks sales to ShipStation.
	QuickBooksToShipStation Pipeline = "quickbooks_to_shipstation"
	// Inventory pushes stock levels between QuickBooks and the stores.
	Inventory Pipeline = "inventory"
)

// Pipelines lists every pipeline, in display order.
var Pipelines = []Pipeline{OrdersToQuickBooks, QuickBooksToShipStation, Inventory}

// Valid reports whether p is a known pipeline.
func (p Pipeline) Valid() bool {
	return p == OrdersToQuickBooks || p == QuickBooksToShipStation || p == Inventory
}

// Match says how a rule combines its conditions.
type Match string

const (
	// MatchAll needs every condition to hold.
	MatchAll Match = "all"
	// MatchAny needs at least one condition to hold.
	MatchAny Match = "any"
)

// Operator compares a field with a condition's value.
type Operator string

const (
	OpEquals     Operator = "equals"
	OpNotEquals  Operator = "not_equals"
	OpContains   Operator = "contains"
	OpStartsWith Operator = "starts_with"
	OpEndsWith   Operator = "ends_with"
	OpMatches    Operator = "matches" // Go (RE2) regular expression, unanchored
	OpGreater    Operator = "greater_than"
	OpLess       Operator = "less_than"
	OpEmpty      Operator = "is_empty"
	OpNotEmpty   Operator = "is_not_empty"
	OpInList     Operator = "in_list"
)

// Operators lists every operator, in display order.
var Operators = []Operator{OpEquals, OpNotEquals, OpContains, OpStartsWith, OpEndsWith, OpMatches,
	OpGreater, OpLess, OpEmpty, OpNotEmpty, OpInList}

// ActionType is what an action does.
type ActionType string

const (
	// ActSet writes Value into Field.
	ActSet ActionType = "set"
	// ActSetFromField writes the value of the field From into Field.
	ActSetFromField ActionType = "set_from_field"
	// ActLookup reads From, looks it up in Table and writes the entry's value (or Default) into Field.
	ActLookup ActionType = "lookup"
	// ActExclude marks the order as not to be synced, with Reason.
	ActExclude ActionType = "exclude"
	// ActAddPrefix puts Value in front of Field unless it already starts with it.
	ActAddPrefix ActionType = "add_prefix"
	// ActAddSuffix puts Value after Field unless it already ends with it.
	ActAddSuffix ActionType = "add_suffix"
)

// ActionTypes lists every action type, in display order.
var ActionTypes = []ActionType{ActSet, ActSetFromField, ActLookup, ActExclude, ActAddPrefix, ActAddSuffix}

// Rule is one merchant rule. The JSON form (without ID, Position, Version and times) is the
// rule format of exports and of the conditions/actions columns; see README.md.
type Rule struct {
	ID         int64       `json:"id,omitempty"`
	Name       string      `json:"name"`
	Enabled    bool        `json:"enabled"`
	Position   int         `json:"position,omitempty"` // 1-based; rules run in ascending position
	Version    int         `json:"version,omitempty"`
	Pipelines  []Pipeline  `json:"pipelines"`
	Match      Match       `json:"match"`
	Conditions []Condition `json:"conditions"`
	Actions    []Action    `json:"actions"`
	CreatedAt  time.Time   `json:"-"`
	UpdatedAt  time.Time   `json:"-"`
}

// Condition tests one field of the order. Value is the operand of every operator but
// is_empty, is_not_empty (no operand) and in_list (Values). String comparisons ignore case
// unless CaseSensitive is set.
type Condition struct {
	Field         string   `json:"field"`
	Op            Operator `json:"op"`
	Value         string   `json:"value,omitempty"`
	Values        []string `json:"values,omitempty"`
	CaseSensitive bool     `json:"caseSensitive,omitempty"`
}

// Action changes the order when its rule's conditions hold. Which members are used depends on
// Type: set, add_prefix and add_suffix use Field and Value; set_from_field uses Field and From;
// lookup uses Field, From, Table, Default and CaseSensitive; exclude uses Reason.
type Action struct {
	Type          ActionType    `json:"type"`
	Field         string        `json:"field,omitempty"`
	Value         string        `json:"value,omitempty"`
	From          string        `json:"from,omitempty"`
	Table         []LookupEntry `json:"table,omitempty"`
	Default       *string       `json:"default,omitempty"`
	CaseSensitive bool          `json:"caseSensitive,omitempty"`
	Reason        string        `json:"reason,omitempty"`
}

// LookupEntry is one row of a lookup table: when the source field equals Key, write Value.
type LookupEntry struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Ref names the rule (and version) that made a change.
type Ref struct {
	ID      int64  `json:"ruleId"`
	Name    string `json:"ruleName"`
	Version int    `json:"ruleVersion"`
}

// Ref returns the reference recorded with r's changes.
func (r *Rule) Ref() Ref { return Ref{ID: r.ID, Name: r.Name, Version: r.Version} }

// Change is one field an evaluation changed, with values formatted as text (money as "12.30",
// dates as RFC 3339, booleans as "true"/"false"). Field is the concrete path, with the line
// index for line fields, e.g. "lines[2].itemName".
type Change struct {
	Ref
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// String renders c for logs: `store: "" → "Target" (rule 12 v3)`.
func (c Change) String() string {
	return fmt.Sprintf("%s: %q → %q (rule %d v%d)", c.Field, c.Before, c.After, c.ID, c.Version)
}

// Result is what one evaluation did: the ids of the rules whose conditions held, in the order
// they ran (0 for an unsaved draft in a preview), and the changes they made. Excluded reports
// the order's Excluded flag after the run.
type Result struct {
	Matched  []int64
	Changes  []Change
	Excluded bool
}
