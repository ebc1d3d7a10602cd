package woosim

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// pageOf cuts one page out of matches the way WP_Query does with
// posts_per_page, paged and offset (offset wins over page when given) and
// returns the page, the total (found_posts) and the page count.
func pageOf[T any](matches []T, params map[string]any) (items []T, total, pages int) {
	perPage := params["per_page"].(int)
	page := params["page"].(int)
	start := (page - 1) * perPage
	if off, ok := params["offset"].(int); ok {
		start = off
	}
	total = len(matches)
	pages = (total + perPage - 1) / perPage
	if start >= total {
		return []T{}, total, pages
	}
	return matches[start:min(total, start+perPage)], total, pages
}

// collectionHeaders are the headers WC_REST_CRUD_Controller::get_items
// adds: X-WP-Total, X-WP-TotalPages and a Link header with rel="prev"
// and rel="next" (never first/last). The links repeat the request's query
// parameters as WordPress rebuilds them (see linkQuery).
func collectionHeaders(restURL string, q phpQuery, page, total, pages int) http.Header {
	h := http.Header{}
	// Keys are set verbatim so the wire shows WordPress's spelling.
	h["X-WP-Total"] = []string{strconv.Itoa(total)}
	h["X-WP-TotalPages"] = []string{strconv.Itoa(pages)}
	var links []string
	if page > 1 {
		prev := min(page-1, pages)
		links = append(links, "<"+pageLink(restURL, q, prev)+`>; rel="prev"`)
	}
	if pages > page {
		links = append(links, "<"+pageLink(restURL, q, page+1)+`>; rel="next"`)
	}
	if len(links) > 0 {
		// WP_REST_Response::link_header appends to one header with ", ",
		// and replaces the api.w.org Link sent on other responses.
		h.Set("Link", strings.Join(links, ", "))
	}
	return h
}

var emptyValue = regexp.MustCompile(`=(&|$)`)

// pageLink is add_query_arg('page', n, add_query_arg($query, rest_url)).
// The inner call writes the values unencoded, the outer one parses that
// URL back (urldecoding, so a "+" in a value turns into a space and a
// "&" or "#" splits it) and re-encodes with urlencode. Empty values lose
// their "=". This reproduces WordPress's Link headers byte for byte,
// including their known bugs.
func pageLink(restURL string, q phpQuery, page int) string {
	asIs := func(s string) string { return s }
	raw := emptyValue.ReplaceAllString(q.buildQuery(asIs), "$1")
	query, frag, hasFrag := strings.Cut(raw, "#")
	parsed := parsePHPQuery(query)
	for i := range parsed {
		vals := make([]string, len(parsed[i].Values))
		for j, v := range parsed[i].Values {
			vals[j] = urlencode(v)
		}
		parsed[i].Values = vals
	}
	parsed = parsed.replaceOrAppend(phpParam{Key: "page", Values: []string{strconv.Itoa(page)}})
	u := restURL
	if s := emptyValue.ReplaceAllString(parsed.buildQuery(asIs), "$1"); s != "" {
		u += "?" + s
	}
	if hasFrag {
		u += "#" + frag
	}
	return u
}

// linkQuery is $request->get_query_params() after sanitize_params: each
// registered argument present in the query string is replaced by its
// sanitized value (integers, "1" for true, arrays as key[i]) and a false
// boolean is dropped, as add_query_arg drops false; other parameters,
// consumer_key and oauth_* included, stay as sent.
func linkQuery(q phpQuery, args []arg, params map[string]any) phpQuery {
	out := make(phpQuery, 0, len(q))
	for _, p := range q {
		if !isArg(args, p.Key) {
			out = append(out, p)
			continue
		}
		if np, keep := sanitizedParam(p.Key, params[p.Key]); keep {
			out = append(out, np)
		}
	}
	return out
}

// sanitizedParam renders a sanitized argument as a query parameter.
func sanitizedParam(key string, v any) (phpParam, bool) {
	switch x := v.(type) {
	case bool:
		if !x {
			return phpParam{}, false
		}
		return phpParam{Key: key, Values: []string{"1"}}, true
	case int:
		return phpParam{Key: key, Values: []string{strconv.Itoa(x)}}, true
	case []int:
		vals := make([]string, len(x))
		for i, n := range x {
			vals[i] = strconv.Itoa(n)
		}
		return phpParam{Key: key, Values: vals, IsArray: true}, true
	case []string:
		return phpParam{Key: key, Values: slices.Clone(x), IsArray: true}, true
	case string:
		return phpParam{Key: key, Values: []string{x}}, true
	}
	return phpParam{}, false
}

func isArg(args []arg, name string) bool {
	for _, a := range args {
		if a.name == name {
			return true
		}
	}
	return false
}
