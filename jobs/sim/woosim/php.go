package woosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the small pieces of PHP and WordPress behaviour the wire
// format depends on: wp_json_encode's escaping, PHP float printing, the
// three URL encoders, parse_str and _http_build_query.

// marshalPHP encodes v the way the WordPress REST server does
// (wp_json_encode with no flags): "/" is escaped as "\/", every non-ASCII
// character becomes a lower-case \uXXXX escape (a surrogate pair above
// U+FFFF), and <, > and & are left as they are.
func marshalPHP(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("woocommerce: encode json: %w", err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	out := make([]byte, 0, len(b)+len(b)/8)
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '/':
			// Outside strings JSON has no '/', so every one is inside a string.
			out = append(out, '\\', '/')
			i++
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r > 0xFFFF {
				r1, r2 := utf16.EncodeRune(r)
				out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
			} else {
				out = fmt.Appendf(out, `\u%04x`, r)
			}
			i += size
		}
	}
	return out, nil
}

// phpFloat is a PHP float in JSON: PHP 7.1+ prints the shortest
// round-tripping form and keeps ".0" on whole numbers (12.0, not 12).
type phpFloat float64

// MarshalJSON implements json.Marshaler.
func (f phpFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("0"), nil
	}
	if math.Abs(v) >= 1e15 {
		return []byte(strconv.FormatFloat(v, 'e', -1, 64)), nil
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return []byte(s), nil
}

// urlencode is PHP urlencode: letters, digits and "-_." stay, a space
// becomes "+", every other byte is %XX (upper case).
func urlencode(s string) string { return percentEncode(s, "-_.", true) }

// rawurlencode is PHP rawurlencode (RFC 3986): letters, digits and "-_.~"
// stay, every other byte is %XX.
func rawurlencode(s string) string { return percentEncode(s, "-_.~", false) }

func percentEncode(s, keep string, plusForSpace bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		case c == ' ' && plusForSpace:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// urldecode is PHP urldecode: "+" is a space and %XX a byte; a malformed
// escape is kept literally.
func urldecode(s string) string { return percentDecode(s, true) }

// rawurldecode is PHP rawurldecode: like urldecode but "+" stays "+".
func rawurldecode(s string) string { return percentDecode(s, false) }

func percentDecode(s string, plusIsSpace bool) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+' && plusIsSpace:
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// phpParam is one top-level variable of a PHP query string: a scalar, or
// an array when the key carried brackets (status[]=a&status[]=b).
type phpParam struct {
	Key     string
	Values  []string // one value for a scalar
	IsArray bool
}

// Value is the scalar value, or the last array element.
func (p phpParam) Value() string {
	if len(p.Values) == 0 {
		return ""
	}
	return p.Values[len(p.Values)-1]
}

// phpQuery is a parsed query string in PHP's order: each key where it first
// appeared, a repeated scalar keeping its last value.
type phpQuery []phpParam

// parsePHPQuery parses a raw query string like PHP's parse_str (and so like
// $_GET): keys and values are urldecoded, "." and " " in a key become "_",
// "k[]=v" and "k[i]=v" build arrays, a repeated scalar key keeps its last
// value. Nested arrays are flattened to one level.
func parsePHPQuery(raw string) phpQuery {
	var q phpQuery
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, val := urldecode(k), urldecode(v)
		isArray := false
		if i := strings.IndexByte(key, '['); i > 0 && strings.Contains(key[i:], "]") {
			key, isArray = key[:i], true
		}
		if key == "" {
			continue
		}
		key = strings.NewReplacer(".", "_", " ", "_").Replace(key)
		q = q.set(key, val, isArray)
	}
	return q
}

func (q phpQuery) set(key, val string, isArray bool) phpQuery {
	for i := range q {
		if q[i].Key != key {
			continue
		}
		if isArray && q[i].IsArray {
			q[i].Values = append(q[i].Values, val)
		} else {
			q[i] = phpParam{Key: key, Values: []string{val}, IsArray: isArray}
		}
		return q
	}
	return append(q, phpParam{Key: key, Values: []string{val}, IsArray: isArray})
}

// get returns the parameter named key.
func (q phpQuery) get(key string) (phpParam, bool) {
	for _, p := range q {
		if p.Key == key {
			return p, true
		}
	}
	return phpParam{}, false
}

// without returns q minus the parameter named key.
func (q phpQuery) without(key string) phpQuery {
	out := make(phpQuery, 0, len(q))
	for _, p := range q {
		if p.Key != key {
			out = append(out, p)
		}
	}
	return out
}

// replaceOrAppend sets key in place when present, else appends it — what
// PHP does when an array element is assigned.
func (q phpQuery) replaceOrAppend(p phpParam) phpQuery {
	out := append(phpQuery(nil), q...)
	for i := range out {
		if out[i].Key == p.Key {
			out[i] = p
			return out
		}
	}
	return append(out, p)
}

// buildQuery is WordPress build_query (_http_build_query without
// encoding): keys and values are written as they are and array elements
// become key%5Bi%5D=value.
func (q phpQuery) buildQuery(encode func(string) string) string {
	var parts []string
	for _, p := range q {
		if !p.IsArray {
			parts = append(parts, p.Key+"="+encode(p.Value()))
			continue
		}
		for i, v := range p.Values {
			parts = append(parts, fmt.Sprintf("%s%%5B%d%%5D=%s", p.Key, i, encode(v)))
		}
	}
	return strings.Join(parts, "&")
}

// wpList formats a list the way wp_sprintf's %l does: "a", "a and b",
// "a, b, and c".
func wpList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return items[0] + " and " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + ", and " + items[len(items)-1]
}
