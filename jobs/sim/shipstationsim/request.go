package shipstationsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file holds request parsing shared by the endpoints: JSON bodies with
// Json.NET/ASP.NET-shaped errors, paging, sorting and date filters.

// badRequest is a 400 model-state error: ModelState[key] = [msg].
type badRequest struct{ key, msg string }

func (e *badRequest) Error() string { return e.key + ": " + e.msg }

// checkJSON enforces ASP.NET's media-type rule: a body is read only by the
// JSON formatter, anything else is 415. It reports whether to go on.
func checkJSON(w http.ResponseWriter, r *http.Request, typeName string) bool {
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt == "application/json" || mt == "text/json" {
		return true
	}
	if ct == "" {
		// Web API reads a body without Content-Type as application/octet-stream and names that.
		mt = "application/octet-stream"
	}
	writeJSON(w, http.StatusUnsupportedMediaType, apiError{
		Message:          fmt.Sprintf("The request entity's media type '%s' is not supported for this resource.", mt),
		ExceptionMessage: fmt.Sprintf("No MediaTypeFormatter is available to read an object of type '%s' from content with media type '%s'.", typeName, mt),
		ExceptionType:    "System.Net.Http.UnsupportedMediaTypeException",
		StackTrace:       ptr("   at System.Net.Http.HttpContentExtensions.ReadAsAsync[T](HttpContent content, Type type, IEnumerable`1 formatters, IFormatterLogger formatterLogger, CancellationToken cancellationToken)"),
	})
	return false
}

// decodeBody decodes a JSON body into v. param is the action parameter
// name ShipStation's controllers use ("apiOrder", "apiOrders"), which
// prefixes ModelState keys; typeName is the .NET type named in messages.
func decodeBody(body []byte, v any, param, typeName string) *badRequest {
	if len(bytes.TrimSpace(body)) == 0 {
		return &badRequest{param, fmt.Sprintf("The %s field is required.", param)}
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		line, pos := linePos(body, te.Offset)
		if te.Field == "" {
			if te.Value == "array" {
				return &badRequest{param, fmt.Sprintf("Cannot deserialize the current JSON array (e.g. [1,2,3]) into type '%s' because the type requires a JSON object (e.g. {\"name\":\"value\"}) to deserialize correctly.\r\nTo fix this error either change the JSON to a JSON object (e.g. {\"name\":\"value\"}) or change the deserialized type to an array or a type that implements a collection interface (e.g. ICollection, IList) like List<T> that can be deserialized from a JSON array. JsonArrayAttribute can also be added to the type to force it to deserialize from a JSON array.\r\nPath '', line %d, position %d.", typeName, line, pos)}
			}
			return &badRequest{param, fmt.Sprintf("Cannot deserialize the current JSON %s into type '%s' because the type requires a JSON array (e.g. [1,2,3]) to deserialize correctly.\r\nPath '', line %d, position %d.", te.Value, typeName, line, pos)}
		}
		return &badRequest{param + "." + te.Field, fmt.Sprintf("Error converting value of JSON type %s to type '%s'. Path '%s', line %d, position %d.", te.Value, netType(te.Type.String()), te.Field, line, pos)}
	case errors.As(err, &se):
		line, pos := linePos(body, se.Offset)
		return &badRequest{param, fmt.Sprintf("Unexpected character encountered while parsing value. Path '', line %d, position %d.", line, pos)}
	default:
		return &badRequest{param, fmt.Sprintf("Unexpected end when deserializing object. Path '', line 1, position %d.", len(body))}
	}
}

func netType(goType string) string {
	switch strings.TrimPrefix(goType, "*") {
	case "int", "int64":
		return "System.Int64"
	case "float64":
		return "System.Decimal"
	case "bool":
		return "System.Boolean"
	case "string":
		return "System.String"
	}
	return goType
}

// linePos turns a byte offset into Json.NET's 1-based line and position.
func linePos(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	prefix := b[:off]
	line := bytes.Count(prefix, []byte("\n")) + 1
	return line, int(off) - (bytes.LastIndexByte(prefix, '\n') + 1)
}

// paging reads page (1-based, default 1) and pageSize (default 100,
// capped at 500).
func paging(q query) (page, size int, err *badRequest) {
	page, size = 1, 100
	if v := q.get("page"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil {
			return 0, 0, &badRequest{"page", fmt.Sprintf("The value '%s' is not valid for Int32.", v)}
		}
		page = max(n, 1)
	}
	if v := q.get("pageSize"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil {
			return 0, 0, &badRequest{"pageSize", fmt.Sprintf("The value '%s' is not valid for Int32.", v)}
		}
		switch {
		case n < 1:
			size = 100
		case n > 500:
			size = 500
		default:
			size = n
		}
	}
	return page, size, nil
}

// pageOf returns the bounds of page within total rows and the page count.
func pageOf(total, page, size int) (lo, hi, pages int) {
	pages = int(math.Ceil(float64(total) / float64(size)))
	lo = min((page-1)*size, total)
	hi = min(lo+size, total)
	return lo, hi, pages
}

// timeRange is an optional [start, end] filter, both ends inclusive.
type timeRange struct{ start, end *time.Time }

func (tr timeRange) contains(t time.Time) bool {
	if tr.start != nil && t.Before(*tr.start) {
		return false
	}
	if tr.end != nil && t.After(*tr.end) {
		return false
	}
	return true
}

func (tr timeRange) set() bool { return tr.start != nil || tr.end != nil }

// containsPtr is contains for an optional date: an unset date never matches
// a set range.
func (tr timeRange) containsPtr(t *time.Time) bool {
	if !tr.set() {
		return true
	}
	return t != nil && tr.contains(*t)
}

// rangeParam reads <name>Start and <name>End. dateOnly truncates both to
// whole days so an End date includes that day.
func rangeParam(q query, name string, dateOnly bool) (timeRange, *badRequest) {
	var tr timeRange
	for i, suffix := range []string{"Start", "End"} {
		v := q.get(name + suffix)
		if v == "" {
			continue
		}
		parse := parseTime
		if dateOnly {
			parse = parseDate
		}
		t, err := parse(v)
		if err != nil {
			return tr, &badRequest{name + suffix, fmt.Sprintf("The value '%s' is not valid for Nullable`1.", v)}
		}
		if i == 0 {
			tr.start = &t
		} else {
			if dateOnly {
				t = t.AddDate(0, 0, 1).Add(-time.Nanosecond)
			}
			tr.end = &t
		}
	}
	return tr, nil
}

func intParam(q query, name string) (int64, bool, *badRequest) {
	v := q.get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, &badRequest{name, fmt.Sprintf("The value '%s' is not valid for Nullable`1.", v)}
	}
	return n, true, nil
}

func boolParam(q query, name string) (bool, *badRequest) {
	v := q.get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &badRequest{name, fmt.Sprintf("The value '%s' is not valid for Nullable`1.", v)}
	}
	return b, nil
}

// sortSpec reads sortBy (one of allowed, case-insensitive; "" for the
// endpoint's default order) and sortDir (ASC or DESC, default ASC).
func sortSpec(q query, allowed ...string) (by string, desc bool, err *badRequest) {
	if v := q.get("sortBy"); v != "" {
		for _, a := range allowed {
			if strings.EqualFold(v, a) {
				by = a
			}
		}
		if by == "" {
			return "", false, &badRequest{"sortBy", fmt.Sprintf("The value '%s' is not valid for Nullable`1.", v)}
		}
	}
	switch v := q.get("sortDir"); {
	case v == "" || strings.EqualFold(v, "ASC"):
	case strings.EqualFold(v, "DESC"):
		desc = true
	default:
		return "", false, &badRequest{"sortDir", fmt.Sprintf("The value '%s' is not valid for Nullable`1.", v)}
	}
	return by, desc, nil
}

// sortRows orders rows by key (then by id, for stable paging), reversing
// both when desc.
func sortRows[T any](rows []T, desc bool, key func(T) time.Time, id func(T) int64) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if key != nil {
			ka, kb := key(a), key(b)
			if !ka.Equal(kb) {
				return ka.Before(kb) != desc
			}
		}
		return (id(a) < id(b)) != desc
	})
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
