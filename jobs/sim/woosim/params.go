package woosim

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// argKind is a JSON-schema type of a route argument.
type argKind int

const (
	argString     argKind = iota
	argInteger            // sanitized to int (absint where WordPress uses it)
	argBoolean            // sanitized to bool
	argDateTime           // string in rest_parse_date format
	argEnum               // string from enum
	argEnumList           // array of strings from enum ("a,b" or a[]=…)
	argIDList             // wp_parse_id_list: never invalid, sanitized to []int
	argObjectList         // array of objects (meta_data)
)

// arg is one registered route argument, as in get_collection_params or
// get_endpoint_args_for_item_schema.
type arg struct {
	name     string
	kind     argKind
	def      any // default when absent (nil: none)
	min, max *int
	enum     []string
	required bool
	absint   bool // sanitize_callback absint (page, per_page, offset)
}

func intp(n int) *int { return &n }

// contextArgs are the args of single-item GET routes.
var contextArgs = []arg{{name: "context", kind: argEnum, def: "view", enum: []string{"view", "edit"}}}

// collectionArgs are WC_REST_CRUD_Controller::get_collection_params.
func collectionArgs(orderby []string, hierarchical bool) []arg {
	a := []arg{
		{name: "context", kind: argEnum, def: "view", enum: []string{"view", "edit"}},
		{name: "page", kind: argInteger, def: 1, min: intp(1), absint: true},
		{name: "per_page", kind: argInteger, def: 10, min: intp(1), max: intp(100), absint: true},
		{name: "search", kind: argString},
		{name: "after", kind: argDateTime},
		{name: "before", kind: argDateTime},
		{name: "modified_after", kind: argDateTime},
		{name: "modified_before", kind: argDateTime},
		{name: "dates_are_gmt", kind: argBoolean, def: false},
		{name: "exclude", kind: argIDList, def: []int{}},
		{name: "include", kind: argIDList, def: []int{}},
		{name: "offset", kind: argInteger, absint: true},
		{name: "order", kind: argEnum, def: "desc", enum: []string{"asc", "desc"}},
		{name: "orderby", kind: argEnum, def: "date", enum: orderby},
	}
	if hierarchical {
		a = append(a, arg{name: "parent", kind: argIDList, def: []int{}}, arg{name: "parent_exclude", kind: argIDList, def: []int{}})
	}
	return a
}

var orderListArgs = append(collectionArgs([]string{"date", "id", "include", "title", "slug", "modified"}, true),
	arg{name: "status", kind: argEnumList, def: "any", enum: append([]string{"any", "trash"}, orderStatuses...)},
	arg{name: "customer", kind: argInteger},
	arg{name: "product", kind: argInteger},
	arg{name: "dp", kind: argInteger, def: 2},
)

var productListArgs = append(collectionArgs([]string{"date", "modified", "id", "include", "title", "slug", "price", "popularity", "rating", "menu_order"}, true),
	arg{name: "slug", kind: argString},
	arg{name: "status", kind: argEnum, def: "any", enum: []string{"any", "future", "trash", "draft", "pending", "private", "publish"}},
	arg{name: "type", kind: argEnum, enum: []string{"simple", "grouped", "external", "variable"}},
	arg{name: "sku", kind: argString},
	arg{name: "featured", kind: argBoolean},
	arg{name: "stock_status", kind: argEnum, enum: []string{"instock", "outofstock", "onbackorder"}},
)

var variationListArgs = append(collectionArgs([]string{"date", "modified", "id", "include", "title", "slug", "menu_order"}, true),
	arg{name: "sku", kind: argString},
	arg{name: "status", kind: argEnum, def: "any", enum: []string{"any", "future", "trash", "draft", "pending", "private", "publish"}},
	arg{name: "stock_status", kind: argEnum, enum: []string{"instock", "outofstock", "onbackorder"}},
)

var orderUpdateArgs = []arg{
	{name: "status", kind: argEnum, enum: orderStatuses},
	{name: "customer_note", kind: argString},
	{name: "transaction_id", kind: argString},
	{name: "payment_method", kind: argString},
	{name: "payment_method_title", kind: argString},
	{name: "set_paid", kind: argBoolean},
	{name: "meta_data", kind: argObjectList},
}

var productUpdateArgs = []arg{
	{name: "name", kind: argString},
	{name: "sku", kind: argString},
	{name: "regular_price", kind: argString},
	{name: "status", kind: argEnum, enum: []string{"draft", "pending", "private", "publish", "future"}},
	{name: "manage_stock", kind: argBoolean},
	{name: "stock_quantity", kind: argInteger},
	{name: "backorders", kind: argEnum, enum: []string{"no", "notify", "yes"}},
	{name: "stock_status", kind: argEnum, enum: []string{"instock", "outofstock", "onbackorder"}},
}

var noteListArgs = []arg{
	{name: "context", kind: argEnum, def: "view", enum: []string{"view", "edit"}},
	{name: "type", kind: argEnum, def: "any", enum: []string{"any", "customer", "internal"}},
}

var noteCreateArgs = []arg{
	{name: "note", kind: argString, required: true},
	{name: "customer_note", kind: argBoolean, def: false},
	{name: "added_by_user", kind: argBoolean, def: false},
}

// paramError is one failed argument check (a WP_Error from
// rest_validate_value_from_schema).
type paramError struct {
	code, message string
	data          obj
}

// validateArgs is WP_REST_Request::has_valid_params followed by
// sanitize_params: required arguments first, then every present argument
// against its schema; all failures are reported together as
// rest_invalid_param with data.params and data.details, in argument order.
// It returns the sanitized arguments, defaults included.
func validateArgs(c *call, args []arg) (map[string]any, *wpError) {
	var missing []string
	for _, a := range args {
		if _, ok := c.param(a.name); a.required && !ok {
			missing = append(missing, a.name)
		}
	}
	if len(missing) > 0 {
		e := newError("rest_missing_callback_param", "Missing parameter(s): "+strings.Join(missing, ", "), http.StatusBadRequest)
		e.Data = append(e.Data, kv{"params", missing})
		return nil, e
	}
	out := map[string]any{}
	var params, details obj
	var names []string
	for _, a := range args {
		v, ok := c.param(a.name)
		if !ok || v == nil {
			if a.def != nil {
				out[a.name] = a.def
				if a.kind == argEnumList {
					out[a.name] = []string{a.def.(string)}
				}
			}
			continue
		}
		clean, perr := checkArg(a, v)
		if perr != nil {
			names = append(names, a.name)
			params = append(params, kv{a.name, perr.message})
			details = append(details, kv{a.name, obj{{"code", perr.code}, {"message", perr.message}, {"data", perr.data}}})
			continue
		}
		out[a.name] = clean
	}
	if len(names) > 0 {
		e := newError("rest_invalid_param", "Invalid parameter(s): "+strings.Join(names, ", "), http.StatusBadRequest)
		e.Data = append(e.Data, kv{"params", params}, kv{"details", details})
		return nil, e
	}
	return out, nil
}

// checkArg validates and sanitizes one present argument.
func checkArg(a arg, v any) (any, *paramError) {
	switch a.kind {
	case argInteger:
		n, ok := asInteger(v)
		if !ok {
			return nil, invalidType(a.name, "integer")
		}
		if a.min != nil && a.max != nil && (n < *a.min || n > *a.max) {
			return nil, &paramError{code: "rest_out_of_bounds", message: fmt.Sprintf("%s must be between %d (inclusive) and %d (inclusive)", a.name, *a.min, *a.max)}
		}
		if a.min != nil && a.max == nil && n < *a.min {
			return nil, &paramError{code: "rest_out_of_bounds", message: fmt.Sprintf("%s must be greater than or equal to %d", a.name, *a.min)}
		}
		if a.max != nil && a.min == nil && n > *a.max {
			return nil, &paramError{code: "rest_out_of_bounds", message: fmt.Sprintf("%s must be less than or equal to %d", a.name, *a.max)}
		}
		if a.absint && n < 0 {
			n = -n
		}
		return n, nil
	case argBoolean:
		b, ok := asBool(v)
		if !ok {
			return nil, invalidType(a.name, "boolean")
		}
		return b, nil
	case argString:
		s, ok := v.(string)
		if !ok {
			return nil, invalidType(a.name, "string")
		}
		return strings.TrimSpace(s), nil
	case argDateTime:
		s, ok := v.(string)
		if !ok {
			return nil, invalidType(a.name, "string")
		}
		if _, ok := parseRESTDate(s, time.UTC); !ok {
			return nil, &paramError{code: "rest_invalid_date", message: "Invalid date."}
		}
		return s, nil
	case argEnum:
		s, ok := v.(string)
		if !ok {
			return nil, invalidType(a.name, "string")
		}
		if !slices.Contains(a.enum, s) {
			return nil, notInEnum(a.name, a.enum)
		}
		return s, nil
	case argEnumList:
		items := parseList(v)
		for i, s := range items {
			if !slices.Contains(a.enum, s) {
				return nil, notInEnum(fmt.Sprintf("%s[%d]", a.name, i), a.enum)
			}
		}
		return items, nil
	case argIDList:
		var ids []int
		for _, s := range parseList(v) {
			n, _ := strconv.Atoi(s)
			if n < 0 {
				n = -n
			}
			if !slices.Contains(ids, n) {
				ids = append(ids, n)
			}
		}
		return ids, nil
	case argObjectList:
		list, ok := v.([]any)
		if !ok {
			return nil, invalidType(a.name, "array")
		}
		for i, item := range list {
			if _, ok := item.(map[string]any); !ok {
				return nil, invalidType(fmt.Sprintf("%s[%d]", a.name, i), "object")
			}
		}
		return list, nil
	}
	return v, nil
}

func invalidType(name, typ string) *paramError {
	return &paramError{code: "rest_invalid_type", message: fmt.Sprintf("%s is not of type %s.", name, typ), data: obj{{"param", name}}}
}

func notInEnum(name string, enum []string) *paramError {
	return &paramError{code: "rest_not_in_enum", message: fmt.Sprintf("%s is not one of %s.", name, wpList(enum))}
}

// asInteger is rest_is_integer plus the integer cast.
func asInteger(v any) (int, bool) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return 0, false
		}
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil || strings.TrimSpace(x) == "" {
			return 0, false
		}
	case float64:
		f = x
	case int:
		return x, true
	default:
		return 0, false
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

// asBool is rest_is_boolean plus rest_sanitize_boolean.
func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(x) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	case json.Number:
		switch x.String() {
		case "1":
			return true, true
		case "0":
			return false, true
		}
	}
	return false, false
}

// parseList is wp_parse_list: an array as is, a string split on commas
// and whitespace.
func parseList(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	case string:
		return strings.FieldsFunc(x, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	}
	return []string{fmt.Sprint(v)}
}

// restDate is the format rest_parse_date accepts.
var restDate = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$`)

// parseRESTDate parses an ISO 8601 argument like rest_parse_date; a value
// without an offset is read in loc.
func parseRESTDate(s string, loc *time.Location) (time.Time, bool) {
	m := restDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	if n(2) < 1 || n(2) > 12 || n(3) < 1 || n(3) > 31 || n(4) > 23 || n(5) > 59 || n(6) > 59 {
		return time.Time{}, false
	}
	zone := loc
	switch off := m[8]; {
	case off == "Z":
		zone = time.UTC
	case off != "":
		sign := 1
		if off[0] == '-' {
			sign = -1
		}
		digits := strings.ReplaceAll(off[1:], ":", "")
		h, _ := strconv.Atoi(digits[:2])
		mins := 0
		if len(digits) == 4 {
			mins, _ = strconv.Atoi(digits[2:])
		}
		zone = time.FixedZone(off, sign*(h*3600+mins*60))
	}
	return time.Date(n(1), time.Month(n(2)), n(3), n(4), n(5), n(6), 0, zone), true
}
