package qbxml

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestToLatin1(t *testing.T) {
	tests := []struct {
		name, in, want string
		multiline      bool
		lossy          bool
	}{
		{name: "ASCII unchanged", in: "Acme Widgets & Co.", want: "Acme Widgets & Co."},
		{name: "Latin-1 accents stay", in: "Crème Brûlée Café, Straße, Ñandú, Øresund, Þór", want: "Crème Brûlée Café, Straße, Ñandú, Øresund, Þór"},
		{name: "Polish", in: "Łódź, Żółć, Gęślą jaźń", want: "Lódz, Zólc, Gesla jazn", lossy: true},
		{name: "Czech/Hungarian/Romanian/Turkish", in: "Dvořák Erdős Ștefan İstanbul ğ ı", want: "Dvorák Erdos Stefan Istanbul g i", lossy: true},
		{name: "Vietnamese", in: "Ngụy Như Kon Tum", want: "Nguy Nhu Kon Tum", lossy: true},
		{name: "ligatures and eszett capital", in: "Œuvre ﬁnal ẞ", want: "OEuvre final SS", lossy: true},
		{name: "smart quotes and dashes", in: "“Quoted” ‘single’ it’s 1–2 — ok…", want: `"Quoted" 'single' it's 1-2 - ok...`, lossy: true},
		{name: "euro and trade mark", in: "5 € Brand™", want: "5 EUR BrandTM", lossy: true},
		{name: "Chinese becomes one ? per character", in: "王小明", want: "???", lossy: true},
		{name: "Cyrillic and Greek", in: "Иван Ωμέγα", want: "???? ?????", lossy: true},
		{name: "emoji dropped, spacing kept single", in: "Bob 🎉 Smith 👍🏽", want: "Bob Smith", lossy: true},
		{name: "ZWJ family emoji dropped", in: "A👨‍👩‍👧B", want: "AB", lossy: true},
		{name: "decomposed accents composed", in: "Jose\u0301 Mu\u0308ller", want: "José Müller"},
		{name: "uncomposable mark dropped", in: "u\u0323", want: "u", lossy: true},
		{name: "full-width ASCII", in: "ＡＢＣ１２３", want: "ABC123", lossy: true},
		{name: "NBSP and odd spaces", in: "a\u00a0b\u2003c\u3000d", want: "a b c d"},
		{name: "soft hyphen and zero-width space dropped", in: "co\u00adop\u200bera\ufefftive", want: "cooperative", lossy: true},
		{name: "controls dropped", in: "a\x00b\x07c\x7fd\u0085e", want: "abcde", lossy: true},
		{name: "invalid UTF-8 byte", in: "a\xffb", want: "a?b", lossy: true},
		{name: "single-line newlines become spaces", in: " line1\r\nline2\tend \n", want: "line1 line2 end"},
		{name: "multi-line keeps newlines and tabs", in: "line1\r\nline2\rline3\n\tindented\n\n", want: "line1\nline2\nline3\n\tindented", multiline: true},
		{name: "XML specials untouched here", in: `<a href="x">&amp;</a>`, want: `<a href="x">&amp;</a>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, lossy := toLatin1(tc.in, tc.multiline)
			if got != tc.want || lossy != tc.lossy {
				t.Errorf("toLatin1(%q) = %q, %v; want %q, %v", tc.in, got, lossy, tc.want, tc.lossy)
			}
		})
	}
}

// TestToLatin1OutputIsAlwaysLatin1 runs every Unicode code point through the
// transliteration: the output must contain only printable ISO-8859-1.
func TestToLatin1OutputIsAlwaysLatin1(t *testing.T) {
	var b strings.Builder
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		b.Reset()
		b.WriteString("x")
		b.WriteRune(r)
		for _, multiline := range []bool{false, true} {
			out, _ := toLatin1(b.String(), multiline)
			for _, c := range out {
				if c > 0xff || (c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || (c >= 0x7f && c < 0xa0) {
					t.Fatalf("U+%04X → %q contains %U", r, out, c)
				}
			}
		}
	}
}

func TestFoldTable(t *testing.T) {
	for name, tc := range map[string]struct {
		fold  []rune
		first rune
		size  int
	}{
		"Latin Extended-A":          {foldA, 0x100, 128},
		"Latin Extended-B":          {foldB, 0x180, 208},
		"Latin Extended Additional": {foldX, 0x1e00, 256},
	} {
		if len(tc.fold) != tc.size {
			t.Errorf("%s table has %d entries, want %d (U+%04X..)", name, len(tc.fold), tc.size, tc.first)
		}
		for i, f := range tc.fold {
			if f != '?' && !(f >= 'A' && f <= 'Z' || f >= 'a' && f <= 'z' || f >= 0xc0 && f <= 0xff) {
				t.Errorf("%s U+%04X folds to %q, not a Latin-1 letter", name, tc.first+rune(i), f)
			}
		}
	}
	for in, want := range map[rune]rune{
		'Ā': 'A', 'ą': 'a', 'Ć': 'C', 'č': 'c', 'Ď': 'D', 'ę': 'e', 'ğ': 'g', 'İ': 'I', 'ń': 'n', 'ő': 'o', 'ř': 'r',
		'ś': 's', 'ş': 's', 'ţ': 't', 'ů': 'u', 'ű': 'u', 'ŷ': 'y', 'ź': 'z', 'Ż': 'Z', 'ž': 'z',
		'Ơ': 'O', 'ư': 'u', 'Ǎ': 'A', 'ǘ': 'u', 'Ǽ': 'Æ', 'ǿ': 'ø', 'Ș': 'S', 'ț': 't',
		'Ḃ': 'B', 'ḍ': 'd', 'ẃ': 'w', 'ẹ': 'e', 'Ấ': 'A', 'ậ': 'a', 'ụ': 'u', 'ỹ': 'y',
	} {
		if got := foldLatin(in); got != want {
			t.Errorf("foldLatin(%q U+%04X) = %q, want %q", in, in, got, want)
		}
	}
	for _, r := range []rune{'ł', 'Œ', 'đ', 'ƒ', 'ẞ'} {
		if foldLatin(r) != 0 || multiFold[r] == "" {
			t.Errorf("%q should be handled by multiFold", r)
		}
	}
}

func TestTruncateRunesKeepTail(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
		cut  bool
	}{
		{"SHOP-2026-000123456", 11, "6-000123456", true},
		{"112-1234567-1234567", 11, "567-1234567", true},
		{"ééééé", 3, "ééé", true},
		{"order 12345678901", 12, "12345678901", true}, // leading space trimmed
		{"1001", 11, "1001", false},
		{"abc", 0, "abc", false},
	}
	for _, tc := range tests {
		got, cut := truncateRunesKeepTail(tc.in, tc.max)
		if got != tc.want || cut != tc.cut || !utf8.ValidString(got) {
			t.Errorf("truncateRunesKeepTail(%q, %d) = %q, %v; want %q, %v", tc.in, tc.max, got, cut, tc.want, tc.cut)
		}
	}
}

func TestTruncateRunes(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
		cut  bool
	}{
		{"SHOP-2026-000123456", 11, "SHOP-2026-0", true},
		{"ééééé", 3, "ééé", true}, // 2-byte runes: never split
		{"abc", 3, "abc", false},
		{"abc", 0, "abc", false},
		{"Acme Co ltd", 8, "Acme Co", true}, // no trailing space left
		{"", 5, "", false},
	}
	for _, tc := range tests {
		got, cut := truncateRunes(tc.in, tc.max)
		if got != tc.want || cut != tc.cut || !utf8.ValidString(got) {
			t.Errorf("truncateRunes(%q, %d) = %q, %v; want %q, %v", tc.in, tc.max, got, cut, tc.want, tc.cut)
		}
	}
}

// TestAdjustmentsReported builds requests with non-Latin and over-long values
// and checks the message content and the reported adjustments.
func TestAdjustmentsReported(t *testing.T) {
	m := NewMsgSet(Version13, ContinueOnError)
	id1 := m.Add(SalesReceiptAdd{
		CustomerRef: ByName("王小明"),
		RefNumber:   "SHOP-2026-000123456", // 19 characters > 11
		Memo:        "Order “SHOP-2026-000123456” 🎉",
		Lines:       []Line{{ItemRef: ByName("Łódź mug"), Desc: "Crème brûlée & <tea>", Amount: Ptr(Cents(1250))}},
	})
	id2 := m.Add(CustomerAdd{Name: "Ça Va Żółta Kawiarnia Spółka z o.o. Oddział Kraków"})
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<CustomerRef><FullName>???</FullName></CustomerRef>",
		"<RefNumber>6-000123456</RefNumber>",
		`<Memo>Order &quot;SHOP-2026-000123456&quot;</Memo>`,
		"<ItemRef><FullName>Lódz mug</FullName></ItemRef>",
		"<Desc>Crème brûlée &amp; &lt;tea&gt;</Desc>",
		"<Name>Ça Va Zólta Kawiarnia Spólka z o.o. Oddzi</Name>",
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("message lacks %s\n%s", want, b)
		}
	}
	if !utf8.Valid(b) {
		t.Error("message is not valid UTF-8")
	}
	got := adjustments(m)
	want := []Adjustment{
		{id1, "SalesReceiptAdd/CustomerRef/FullName", "王小明", "???", Transliterated, 0},
		{id1, "SalesReceiptAdd/RefNumber", "SHOP-2026-000123456", "6-000123456", Truncated, 11},
		{id1, "SalesReceiptAdd/Memo", "Order “SHOP-2026-000123456” 🎉", `Order "SHOP-2026-000123456"`, Transliterated, 0},
		{id1, "SalesReceiptAdd/SalesReceiptLineAdd[1]/ItemRef/FullName", "Łódź mug", "Lódz mug", Transliterated, 0},
		{id2, "CustomerAdd/Name", "Ça Va Żółta Kawiarnia Spółka z o.o. Oddział Kraków", "Ça Va Zólta Kawiarnia Spólka z o.o. Oddzial Kraków", Transliterated, 0},
		{id2, "CustomerAdd/Name", "Ça Va Zólta Kawiarnia Spólka z o.o. Oddzial Kraków", "Ça Va Zólta Kawiarnia Spólka z o.o. Oddzi", Truncated, 41},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d adjustments, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("adjustment %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	// Encode reports the same adjustments without a message set.
	_, adj, err := Encode(CustomerAdd{Name: "Ça Va Żółta Kawiarnia Spółka z o.o. Oddział Kraków"})
	if err != nil || len(adj) != 2 || adj[1].To != want[5].To || adj[0].RequestID != "" {
		t.Errorf("Encode = %+v, %v", adj, err)
	}
}

// adjustments returns every transliteration and truncation m's requests made, in request order.
func adjustments(m *MsgSet) []Adjustment {
	var out []Adjustment
	for _, r := range m.reqs {
		out = append(out, r.adj...)
	}
	return out
}
