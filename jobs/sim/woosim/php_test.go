package woosim

import (
	"slices"
	"testing"
)

func TestMarshalPHP(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{map[string]string{"u": "https://x.test/a/b"}, `{"u":"https:\/\/x.test\/a\/b"}`},
		{"Łódź", `"\u0141\u00f3d\u017a"`},
		{"王芳", `"\u738b\u82b3"`},
		{"🌮 & <b>", `"\ud83c\udf2e & <b>"`},
		{`back\slash/`, `"back\\slash\/"`},
		{[]phpFloat{3, 12.5, 1.0 / 3, -7}, `[3.0,12.5,0.3333333333333333,-7.0]`},
		{obj{{"b", 1}, {"a", obj{{"z", nil}}}}, `{"b":1,"a":{"z":null}}`},
	}
	for _, tc := range tests {
		got, err := marshalPHP(tc.in)
		if err != nil || string(got) != tc.want {
			t.Errorf("marshalPHP(%v) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestURLEncoders(t *testing.T) {
	tests := []struct{ in, url, raw string }{
		{"a b+c", "a+b%2Bc", "a%20b%2Bc"},
		{"~-_.", "%7E-_.", "~-_."},
		{"2026-01-01T00:00:00+00:00", "2026-01-01T00%3A00%3A00%2B00%3A00", "2026-01-01T00%3A00%3A00%2B00%3A00"},
		{"ż", "%C5%BC", "%C5%BC"},
	}
	for _, tc := range tests {
		if got := urlencode(tc.in); got != tc.url {
			t.Errorf("urlencode(%q) = %q, want %q", tc.in, got, tc.url)
		}
		if got := rawurlencode(tc.in); got != tc.raw {
			t.Errorf("rawurlencode(%q) = %q, want %q", tc.in, got, tc.raw)
		}
		if got := urldecode(tc.url); got != tc.in {
			t.Errorf("urldecode(%q) = %q", tc.url, got)
		}
		if got := rawurldecode(tc.raw); got != tc.in {
			t.Errorf("rawurldecode(%q) = %q", tc.raw, got)
		}
	}
	if got := urldecode("100%"); got != "100%" {
		t.Errorf("malformed escape: %q", got)
	}
}

func TestParsePHPQuery(t *testing.T) {
	q := parsePHPQuery("a=1&status[]=x&b.c=2&a=3&status[]=y&empty=&flag&status%5B%5D=z&=nokey")
	want := phpQuery{
		{Key: "a", Values: []string{"3"}},
		{Key: "status", Values: []string{"x", "y", "z"}, IsArray: true},
		{Key: "b_c", Values: []string{"2"}},
		{Key: "empty", Values: []string{""}},
		{Key: "flag", Values: []string{""}},
	}
	if len(q) != len(want) {
		t.Fatalf("got %+v", q)
	}
	for i := range want {
		if q[i].Key != want[i].Key || q[i].IsArray != want[i].IsArray || !slices.Equal(q[i].Values, want[i].Values) {
			t.Errorf("param %d = %+v, want %+v", i, q[i], want[i])
		}
	}
}

func TestPageLink(t *testing.T) {
	base := "https://s.test/wp-json/wc/v3/orders"
	tests := []struct {
		q    phpQuery
		page int
		want string
	}{
		{nil, 2, base + "?page=2"},
		{phpQuery{{Key: "page", Values: []string{"3"}}, {Key: "per_page", Values: []string{"5"}}}, 4, base + "?page=4&per_page=5"},
		{phpQuery{{Key: "search", Values: []string{"a b&c=d"}}}, 2, base + "?search=a+b&c=d&page=2"},
		{phpQuery{{Key: "search", Values: []string{""}}}, 2, base + "?search&page=2"},
		{phpQuery{{Key: "search", Values: []string{"#7"}}}, 2, base + "?search&page=2#7"},
		{phpQuery{{Key: "include", Values: []string{"5", "6"}, IsArray: true}}, 2, base + "?include%5B0%5D=5&include%5B1%5D=6&page=2"},
		{phpQuery{{Key: "q", Values: []string{"łódź 100%"}}}, 2, base + "?q=%C5%82%C3%B3d%C5%BA+100%25&page=2"},
	}
	for _, tc := range tests {
		if got := pageLink(base, tc.q, tc.page); got != tc.want {
			t.Errorf("pageLink(%+v)\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

func TestMoneyAndFormatting(t *testing.T) {
	for in, want := range map[string]string{"12": "12.00", "12.5": "12.50", "-3.999": "-4.00", "": "0.00", "0.004": "0.00", "0.005": "0.01"} {
		c, err := parseCents(in)
		if err != nil || c.String() != want {
			t.Errorf("parseCents(%q) = %s, %v; want %s", in, c, err, want)
		}
	}
	for _, bad := range []string{"1,5", "abc", "1.2.3", "."} {
		if _, err := parseCents(bad); err == nil {
			t.Errorf("parseCents(%q) accepted", bad)
		}
	}
	for c, want := range map[cents]string{90: "0.9", 100: "1", 45: "0.45", 1234: "12.34"} {
		if got := c.raw(); got != want {
			t.Errorf("%d.raw() = %s, want %s", c, got, want)
		}
	}
	tests := []struct {
		v    string
		dp   int
		want string
	}{
		{"29.35", 2, "29.35"}, {"29.35", 3, "29.350"}, {"29.35", 0, "29"}, {"29.5", 0, "30"}, {"-0.001", 2, "0.00"},
	}
	for _, tc := range tests {
		if got := formatDecimal(tc.v, tc.dp); got != tc.want {
			t.Errorf("formatDecimal(%s, %d) = %s, want %s", tc.v, tc.dp, got, tc.want)
		}
	}
	if got := wpList([]string{"a", "b", "c"}); got != "a, b, and c" {
		t.Error(got)
	}
	if got := wpList([]string{"asc", "desc"}); got != "asc and desc" {
		t.Error(got)
	}
	if got := thousands(123456789); got != "1,234,567.89" {
		t.Error(got)
	}
	for in, want := range map[string]string{"Salt &amp; Pepper Grinder Set": "salt-pepper-grinder-set", "抹茶 Matcha": "%e6%8a%b9%e8%8c%b6-matcha", "Gift Card $50": "gift-card-50"} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRESTDate(t *testing.T) {
	for _, ok := range []string{"2026-03-14T15:09:26", "2026-03-14 15:09:26", "2026-03-14T15:09:26Z", "2026-03-14T15:09:26.123+02:00", "2026-03-14t15:09:26-0300", "2026-03-14T15:09:26+05"} {
		if _, valid := parseRESTDate(ok, testNow.Location()); !valid {
			t.Errorf("%s rejected", ok)
		}
	}
	for _, bad := range []string{"2026-03-14", "yesterday", "2026-13-01T00:00:00", "2026-03-14T15:09", "2026-03-14T15:09:26 00:00"} {
		if _, valid := parseRESTDate(bad, testNow.Location()); valid {
			t.Errorf("%s accepted", bad)
		}
	}
}
