package qbxml

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field length limits, in characters, for QuickBooks Desktop (US). Every limit
// is the XSD maxLength in xsd/13.0 and xsd/16.0 (identical for these fields)
// and matches the "max length = N for QBD" comment in Intuit's sample data
// reference/qbxmlops130.xml, except where the comment says otherwise:
//
//	field                                         limit  where
//	CustomerAdd Name, CompanyName                  41    XSD CustomerAdd
//	Customer FullName (CustomerRef, jobs a:b)     209    XSD CustomerListRef
//	Item Name (inventory/non-inventory/service/
//	  other charge)                                31    XSD Item*Add
//	Item FullName (ItemRef, item ParentRef)       159    XSD Item*Ret FullName (ItemRef's own FullName has no facet)
//	Class/Account FullName (ClassRef, *AccountRef)159    XSD ListRef
//	TemplateRef, TermsRef, PaymentMethodRef,
//	  ItemSalesTaxRef, PriceLevelRef FullName      31    XSD SimpleListRef
//	ShipMethodRef FullName                         15    XSD ShipMethodListRef
//	SalesRepRef FullName                            5    XSD SalesRepListRef
//	SalesTaxCodeRef FullName                        3    XSD SalesTaxCodeListRef
//	CustomerMsgRef FullName                       101    XSD CustomerMsgListRef
//	PrefVendorRef FullName                         41    XSD VendorListRef
//	Salutation 15, FirstName 25, MiddleName 5,
//	  LastName 25, JobTitle 41                           XSD PersonName
//	Addr1..Addr5 41, City 31, State 21,
//	  PostalCode 13, Country 31, Note 41                 XSD AddressData
//	Phone, AltPhone, Fax 21; Email, Cc 1023;
//	  Contact, AltContact 41                             XSD CommInfo
//	AccountNumber 99, ResaleNumber 15                    XSD CustomerAdd
//	RefNumber (sales receipt, invoice, sales
//	  order, credit memo)                          11    XSD *Add RefNumber
//	RefNumber (receive payment)                    20    XSD ReceivePaymentAdd
//	PONumber, CheckNumber                          25    XSD
//	FOB                                            13    XSD
//	Memo, Desc, SalesDesc, PurchaseDesc, Notes   4095    XSD
//	Other (transaction), Other1/Other2 (line)      29    XSD
//	ManufacturerPartNumber 31, BarCodeValue 50           XSD Item*Add
//	ListID, TxnID, TxnLineID (IDTYPE)              36    XSD qbxmltypes; IDs are never truncated, an over-long one is an error
//	EditSequence                                   16    XSD; never truncated
//	IncludeRetElement                              50    XSD; never truncated
//	requestID                                      50    Intuit status 1060; this package's IDs are short decimals
const (
	MaxCustomerName        = 41
	MaxCustomerFullName    = 209
	MaxItemName            = 31
	MaxItemFullName        = 159
	MaxListFullName        = 159 // classes, accounts, customer types, job types
	MaxSimpleListFullName  = 31  // templates, terms, payment methods, sales tax items, price levels, units of measure sets
	MaxShipMethodFullName  = 15
	MaxSalesRepFullName    = 5
	MaxSalesTaxCodeName    = 3
	MaxCustomerMsgFullName = 101
	MaxVendorFullName      = 41
	MaxCompanyName         = 41
	MaxSalutation          = 15
	MaxFirstName           = 25
	MaxMiddleName          = 5
	MaxLastName            = 25
	MaxJobTitle            = 41
	MaxAddrLine            = 41
	MaxCity                = 31
	MaxState               = 21
	MaxPostalCode          = 13
	MaxCountry             = 31
	MaxAddrNote            = 41
	MaxPhone               = 21
	MaxEmail               = 1023
	MaxContact             = 41
	MaxAccountNumber       = 99
	MaxResaleNumber        = 15
	MaxRefNumber           = 11
	MaxPaymentRefNumber    = 20
	MaxPONumber            = 25
	MaxCheckNumber         = 25
	MaxFOB                 = 13
	MaxMemo                = 4095
	MaxDesc                = 4095
	MaxOther               = 29
	MaxManufacturerPartNo  = 31
	MaxBarCodeValue        = 50
	MaxID                  = 36
	MaxEditSequence        = 16
	MaxIncludeRetElement   = 50
)

// toLatin1 maps s to text QuickBooks can store: every rune is in ISO-8859-1
// (U+0020..U+00FF, plus '\n' and '\t' when multiline). It also trims leading and
// trailing white space. lossy reports whether a character was replaced or
// removed (white-space normalisation alone is not lossy).
//
// Rules, in order: Latin-1 printable characters are kept (é, ß, ñ, ©); NBSP
// becomes a space and the soft hyphen is dropped; typographic punctuation and a
// few symbols use punctTable (“ ” → ", ‘ ’ → ', – — → -, … → ..., € → EUR);
// full-width ASCII becomes ASCII; a combining mark after a Latin-1 base is
// composed when the result is Latin-1 (e + U+0301 → é) and dropped otherwise;
// accented Latin letters outside Latin-1 lose their accents via foldTable
// (ł → l, ő → o, ș → s, ụ → u); other letters and digits (CJK, Cyrillic, Greek)
// become '?', one per character; emoji, other symbols and invisible format
// characters are dropped; other punctuation becomes '?'.
func toLatin1(s string, multiline bool) (out string, lossy bool) {
	res := make([]rune, 0, len(s))
	dropped := false // a rune was dropped since the last emitted non-space
	emit := func(rs ...rune) {
		for _, r := range rs {
			if r == ' ' && dropped && len(res) > 0 && res[len(res)-1] == ' ' {
				continue // "Bob 🎉 Smith" → "Bob Smith", not "Bob  Smith"
			}
			if r != ' ' {
				dropped = false
			}
			res = append(res, r)
		}
	}
	drop := func() { lossy, dropped = true, true }
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1: // invalid UTF-8 byte
			lossy = true
			emit('?')
		case r == '\r':
			if strings.HasPrefix(s[i+1:], "\n") {
				continue // CRLF: the '\n' that follows stands for both
			}
			if multiline {
				emit('\n')
			} else {
				emit(' ')
			}
		case r == '\n' || r == '\t':
			if multiline {
				emit(r)
			} else {
				emit(' ')
			}
		case r < 0x20 || (r >= 0x7f && r < 0xa0): // C0/C1 controls, DEL
			drop()
		case r == 0xa0: // no-break space
			emit(' ')
		case r == 0xad: // soft hyphen
			drop()
		case r < 0x100:
			emit(r)
		case punctTable[r] != "":
			lossy = true
			emit([]rune(punctTable[r])...)
		case r >= 0xff01 && r <= 0xff5e: // full-width ASCII
			lossy = true
			emit(r - 0xfee0)
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			if n := len(res); n > 0 {
				if c, ok := composeTable[[2]rune{res[n-1], r}]; ok {
					res[n-1] = c
					continue
				}
			}
			drop()
		case foldLatin(r) != 0:
			lossy = true
			emit(foldLatin(r))
		case multiFold[r] != "":
			lossy = true
			emit([]rune(multiFold[r])...)
		case unicode.Is(unicode.Zs, r):
			emit(' ')
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			lossy = true
			emit('?')
		case unicode.Is(unicode.Pd, r):
			lossy = true
			emit('-')
		case unicode.IsPunct(r):
			lossy = true
			emit('?')
		default: // So, Sk, Sm, Sc, Cf (ZWJ, BOM, bidi marks), Co, unassigned
			drop()
		}
	}
	out = strings.TrimFunc(string(res), func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' })
	return out, lossy
}

// truncateRunes cuts s to at most max characters, never inside a rune, and
// trims the white space the cut may leave at the end. max <= 0 means no limit.
func truncateRunes(s string, max int) (string, bool) {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s, false
	}
	n := 0
	for i := range s {
		if n == max {
			return strings.TrimRight(s[:i], " \t\n"), true
		}
		n++
	}
	return s, false
}

// truncateRunesKeepTail keeps the last max characters of s, trimming the
// white space the cut may leave at the start. max <= 0 means no limit.
func truncateRunesKeepTail(s string, max int) (string, bool) {
	n := utf8.RuneCountInString(s)
	if max <= 0 || n <= max {
		return s, false
	}
	skip := n - max
	for i := range s {
		if skip == 0 {
			return strings.TrimLeft(s[i:], " \t\n"), true
		}
		skip--
	}
	return "", true
}

// punctTable maps typographic punctuation and symbols outside Latin-1 to ASCII.
var punctTable = map[rune]string{
	'\u2010': "-", '\u2011': "-", '\u2012': "-", '\u2013': "-", '\u2014': "-", '\u2015': "-", '\u2212': "-", '\u2043': "-",
	'\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u02bc': "'",
	'\u201c': `"`, '\u201d': `"`, '\u201e': `"`, '\u201f': `"`, '\u2033': `"`,
	'\u2039': "<", '\u203a': ">",
	'\u2026': "...",
	'\u2022': "*", '\u2023': "*",
	'\u2044': "/",
	'\u02c6': "^", '\u02dc': "~",
	'\u20ac': "EUR",
	'\u2122': "TM",
	'\u2116': "No.",
	'\ufb00': "ff", '\ufb01': "fi", '\ufb02': "fl", '\ufb03': "ffi", '\ufb04': "ffl",
}

// Accent folding for Latin letters outside Latin-1: the letter with all
// combining marks of its Unicode canonical decomposition (NFD) removed, one
// character per code point starting at the block's first code point; '?'
// marks code points without such a fold (see multiFold). The strings were
// produced from Unicode NFD data and are checked by TestFoldTable.
const (
	foldExtA = "AaAaAaCcCcCcCcDd??EeEeEeEeEeGgGgGgGgHh??IiIiIiIiI???JjKk?LlLlLl????NnNnNn???OoOoOo??RrRrRrSsSsSsSsTtTt??UuUuUuUuUuUuWwYyYZzZzZz?"                                                                                                                                 // U+0100..U+017F
	foldExtB = "????????????????????????????????Oo?????????????Uu????????????????????????????AaIiOoUuUuUuUuUu?AaAaÆæ??GgKkOoOo??j???Gg??NnAaÆæØøAaAaEeEeIiIiOoOoRrRrUuUuSsTt??Hh??????AaEeOoOoOoOoYy????????????????????????????"                                                 // U+0180..U+024F
	foldExtX = "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwy??????AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy??????" // U+1E00..U+1EFF (Vietnamese among others)
)

var (
	foldA = []rune(foldExtA)
	foldB = []rune(foldExtB)
	foldX = []rune(foldExtX)
)

// foldLatin returns the Latin-1 letter r folds to, or 0.
func foldLatin(r rune) rune {
	var f rune
	switch {
	case r >= 0x100 && r <= 0x17f:
		f = foldA[r-0x100]
	case r >= 0x180 && r <= 0x24f:
		f = foldB[r-0x180]
	case r >= 0x1e00 && r <= 0x1eff:
		f = foldX[r-0x1e00]
	}
	if f == '?' {
		return 0
	}
	return f
}

// multiFold covers Latin letters without a canonical decomposition.
var multiFold = map[rune]string{
	'Đ': "D", 'đ': "d", 'Ħ': "H", 'ħ': "h", 'ı': "i", 'Ĳ': "IJ", 'ĳ': "ij", 'ĸ': "k",
	'Ŀ': "L", 'ŀ': "l", 'Ł': "L", 'ł': "l", 'ŉ': "'n", 'Ŋ': "N", 'ŋ': "n",
	'Œ': "OE", 'œ': "oe", 'Ŧ': "T", 'ŧ': "t", 'ſ': "s", 'ƒ': "f", 'Ƒ': "F",
	'Ǆ': "DZ", 'ǅ': "Dz", 'ǆ': "dz", 'Ǉ': "LJ", 'ǈ': "Lj", 'ǉ': "lj", 'Ǌ': "NJ", 'ǋ': "Nj", 'ǌ': "nj",
	'Ǳ': "DZ", 'ǲ': "Dz", 'ǳ': "dz", 'ẞ': "SS",
}

// composeTable composes a Latin-1 base letter and a following combining mark
// (text in decomposed form, as macOS often produces) into the Latin-1 letter.
var composeTable = func() map[[2]rune]rune {
	const (
		grave, acute, circ, tilde, diaer, ring, cedil = '\u0300', '\u0301', '\u0302', '\u0303', '\u0308', '\u030a', '\u0327'
	)
	spec := []struct {
		base  rune
		marks []rune
		out   string
	}{
		{'A', []rune{grave, acute, circ, tilde, diaer, ring}, "ÀÁÂÃÄÅ"},
		{'a', []rune{grave, acute, circ, tilde, diaer, ring}, "àáâãäå"},
		{'C', []rune{cedil}, "Ç"}, {'c', []rune{cedil}, "ç"},
		{'E', []rune{grave, acute, circ, diaer}, "ÈÉÊË"},
		{'e', []rune{grave, acute, circ, diaer}, "èéêë"},
		{'I', []rune{grave, acute, circ, diaer}, "ÌÍÎÏ"},
		{'i', []rune{grave, acute, circ, diaer}, "ìíîï"},
		{'N', []rune{tilde}, "Ñ"}, {'n', []rune{tilde}, "ñ"},
		{'O', []rune{grave, acute, circ, tilde, diaer}, "ÒÓÔÕÖ"},
		{'o', []rune{grave, acute, circ, tilde, diaer}, "òóôõö"},
		{'U', []rune{grave, acute, circ, diaer}, "ÙÚÛÜ"},
		{'u', []rune{grave, acute, circ, diaer}, "ùúûü"},
		{'Y', []rune{acute}, "Ý"}, {'y', []rune{acute, diaer}, "ýÿ"},
	}
	m := make(map[[2]rune]rune)
	for _, s := range spec {
		out := []rune(s.out)
		for i, mark := range s.marks {
			m[[2]rune{s.base, mark}] = out[i]
		}
	}
	return m
}()

// escapeText writes s with the XML special characters escaped. s must already
// be Latin-1 text from toLatin1 (or checked ASCII), so no invalid XML
// characters remain.
func escapeText(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}
