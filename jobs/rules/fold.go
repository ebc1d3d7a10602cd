package rules

import (
	"unicode"
	"unicode/utf8"
)

// foldKey returns a case-folded form of s such that foldKey(a) == foldKey(b) exactly when
// strings.EqualFold(a, b). Case-insensitive operators and the compiled hash index both use it,
// so an indexed lookup and a linear EqualFold scan can never disagree.
//
// Each rune is replaced by one fixed member of its Unicode simple-folding orbit: the lower-case
// ASCII letter when the orbit has one (so "K", "k" and the Kelvin sign all become "k"), else the
// smallest rune of the orbit. Invalid UTF-8 bytes become U+FFFD, as EqualFold decodes them.
func foldKey(s string) string {
	// Fast path: ASCII without upper-case letters is its own key (typical SKUs, codes, emails).
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return string(appendFold(make([]byte, 0, len(s)), s))
}

// appendFold appends foldKey(s) to dst. Callers that only look the key up in a map pass a
// reusable buffer and index with string(buf), which does not allocate.
func appendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:]) // invalid bytes decode as U+FFFD, as in EqualFold
		dst = utf8.AppendRune(dst, foldRune(r))
		i += size
	}
	return dst
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerASCII returns c in lower case when it is an ASCII letter.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasFoldedAt reports whether s[i:] starts with key once folded; s must be ASCII and key a
// folded ASCII key, so that folding keeps byte offsets.
func hasFoldedAt(s string, i int, key string) bool {
	if i < 0 || len(s)-i < len(key) {
		return false
	}
	for j := 0; j < len(key); j++ {
		if lowerASCII(s[i+j]) != key[j] {
			return false
		}
	}
	return true
}

// foldRune picks the canonical member of r's simple-folding orbit (see foldKey).
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	best, ascii := r, rune(-1)
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < best {
			best = f
		}
		if f < utf8.RuneSelf && ascii < 0 {
			ascii = f
		}
	}
	if ascii >= 0 {
		return foldRune(ascii)
	}
	return best
}
