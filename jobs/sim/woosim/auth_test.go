package woosim

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestOAuthBaseStringMatchesDocs checks the base string against the
// example in the WooCommerce REST API docs (Authentication over HTTP) and
// the signatures against values computed independently (Python hmac).
func TestOAuthBaseStringMatchesDocs(t *testing.T) {
	params := phpQuery{
		{Key: "oauth_signature_method", Values: []string{"HMAC-SHA1"}},
		{Key: "oauth_consumer_key", Values: []string{"abc123"}},
		{Key: "oauth_signature", Values: []string{"ignored"}},
	}
	got := oauthBaseString("GET", "http://www.example.com/wp-json/wc/v3/orders", params)
	want := "GET&http%3A%2F%2Fwww.example.com%2Fwp-json%2Fwc%2Fv3%2Forders&oauth_consumer_key%3Dabc123%26oauth_signature_method%3DHMAC-SHA1"
	if got != want {
		t.Fatalf("base string\n got %s\nwant %s", got, want)
	}
	for method, want := range map[string]string{
		"HMAC-SHA1":   "wILoNN1hmNzKP7vAHjXD36eTzmo=",
		"HMAC-SHA256": "kLde/v43ra93xmGCTI0st6cqBggNo0PaLd11nSWpxzI=",
	} {
		if sig, ok := oauthSignature(got, "secret", method); !ok || sig != want {
			t.Errorf("%s signature %q, want %q", method, sig, want)
		}
	}
	if _, ok := oauthSignature(got, "secret", "PLAINTEXT"); ok {
		t.Error("PLAINTEXT accepted")
	}
}

// oauthQuery signs GET /wp-json/wc/v3/orders?per_page=1 for st.
func oauthQuery(st *store, method, key, secret, nonce string, ts time.Time) string {
	return SignOAuth1("GET", st.url+"/wp-json/wc/v3/orders", map[string]string{"per_page": "1"}, key, secret, method, nonce, ts.Unix())
}

// oauthHeader turns a signed query into an "Authorization: OAuth" header
// plus the remaining (non-oauth) query.
func oauthHeader(signed string) (authz, rest string) {
	vals, _ := url.ParseQuery(signed)
	var parts, others []string
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.HasPrefix(k, "oauth_") {
			parts = append(parts, fmt.Sprintf(`%s="%s"`, k, rawurlencode(vals.Get(k))))
		} else {
			others = append(others, k+"="+url.QueryEscape(vals.Get(k)))
		}
	}
	return "OAuth " + strings.Join(parts, ", "), strings.Join(others, "&")
}

func TestAuthModes(t *testing.T) {
	st := newStore(t, Options{})
	key, secret := DefaultConsumerKey, DefaultConsumerSecret
	tests := []struct {
		name     string
		query    func() string // query for GET /wp-json/wc/v3/orders
		opts     []reqOpt
		status   int
		code     string
		message  string
		authMode string
	}{
		{name: "basic", query: func() string { return "per_page=1" }, status: 200, authMode: "basic"},
		{name: "query string keys", query: func() string { return "per_page=1&consumer_key=" + key + "&consumer_secret=" + secret },
			opts: []reqOpt{noAuth}, status: 200, authMode: "query"},
		{name: "query string wins over header", query: func() string { return "consumer_key=" + key + "&consumer_secret=" + secret },
			opts: []reqOpt{basic("ck_other", "cs_other")}, status: 200, authMode: "query"},
		{name: "basic wrong secret", query: func() string { return "" }, opts: []reqOpt{basic(key, "cs_wrong")},
			status: 401, code: "woocommerce_rest_authentication_error", message: "Consumer secret is invalid."},
		{name: "basic unknown key is anonymous", query: func() string { return "" }, opts: []reqOpt{basic("ck_unknown", secret)},
			status: 401, code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources."},
		{name: "no credentials", query: func() string { return "" }, opts: []reqOpt{noAuth},
			status: 401, code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources."},
		{name: "oauth HMAC-SHA1", query: func() string { return oauthQuery(st, "HMAC-SHA1", key, secret, "n1", testNow) },
			opts: []reqOpt{noAuth}, status: 200, authMode: "oauth1"},
		{name: "oauth HMAC-SHA256", query: func() string { return oauthQuery(st, "HMAC-SHA256", key, secret, "n2", testNow) },
			opts: []reqOpt{noAuth}, status: 200, authMode: "oauth1"},
		{name: "oauth timestamp 14 minutes old", query: func() string { return oauthQuery(st, "HMAC-SHA1", key, secret, "n3", testNow.Add(-14*time.Minute)) },
			opts: []reqOpt{noAuth}, status: 200, authMode: "oauth1"},
		{name: "oauth bad signature", query: func() string {
			return strings.Replace(oauthQuery(st, "HMAC-SHA1", key, secret, "n4", testNow), "per_page=1", "per_page=2", 1)
		}, opts: []reqOpt{noAuth}, status: 401, code: "woocommerce_rest_authentication_error", message: "Invalid signature - provided signature does not match."},
		{name: "oauth wrong secret", query: func() string { return oauthQuery(st, "HMAC-SHA1", key, "cs_wrong", "n5", testNow) },
			opts: []reqOpt{noAuth}, status: 401, code: "woocommerce_rest_authentication_error", message: "Invalid signature - provided signature does not match."},
		{name: "oauth stale timestamp", query: func() string { return oauthQuery(st, "HMAC-SHA1", key, secret, "n6", testNow.Add(-16*time.Minute)) },
			opts: []reqOpt{noAuth}, status: 401, code: "woocommerce_rest_authentication_error", message: "Invalid timestamp."},
		{name: "oauth future timestamp", query: func() string { return oauthQuery(st, "HMAC-SHA1", key, secret, "n7", testNow.Add(16*time.Minute)) },
			opts: []reqOpt{noAuth}, status: 401, code: "woocommerce_rest_authentication_error", message: "Invalid timestamp."},
		{name: "oauth wrong key", query: func() string { return oauthQuery(st, "HMAC-SHA1", "ck_nope", secret, "n8", testNow) },
			opts: []reqOpt{noAuth}, status: 401, code: "woocommerce_rest_authentication_error", message: "Consumer key is invalid."},
		{name: "oauth unsupported method", query: func() string {
			return strings.Replace(oauthQuery(st, "HMAC-SHA1", key, secret, "n9", testNow), "HMAC-SHA1", "PLAINTEXT", 1)
		},
			opts: []reqOpt{noAuth}, status: 401, code: "woocommerce_rest_authentication_error", message: "Invalid signature - signature method is invalid."},
		{name: "oauth missing signature", query: func() string {
			q := oauthQuery(st, "HMAC-SHA1", key, secret, "n10", testNow)
			return q[:strings.Index(q, "&oauth_signature=")]
		}, opts: []reqOpt{noAuth}, status: 401, code: "woocommerce_rest_authentication_missing_parameter", message: "Missing OAuth parameter oauth_signature"},
		{name: "oauth missing two", query: func() string { return "oauth_consumer_key=" + key + "&oauth_nonce=x&oauth_timestamp=1" },
			opts: []reqOpt{noAuth}, status: 401, code: "woocommerce_rest_authentication_missing_parameter", message: "Missing OAuth parameters oauth_signature, oauth_signature_method"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st.ResetRequests()
			r := st.do("GET", "/wp-json/wc/v3/orders?"+tc.query(), nil, tc.opts...)
			mustStatus(t, r, tc.status)
			if tc.code != "" {
				want := fmt.Sprintf(`{"code":%q,"message":%q,"data":{"status":%d}}`, tc.code, tc.message, tc.status)
				if string(r.body) != want {
					t.Errorf("body\n got %s\nwant %s", r.body, want)
				}
			}
			if got := st.Requests()[0].Auth; got != tc.authMode {
				t.Errorf("auth mode %q, want %q", got, tc.authMode)
			}
		})
	}
}

func TestOAuthHeaderAndNonceReuse(t *testing.T) {
	st := newStore(t, Options{})
	signed := oauthQuery(st, "HMAC-SHA256", DefaultConsumerKey, DefaultConsumerSecret, "abcdef0123456789abcdef0123456789", testNow)
	authz, rest := oauthHeader(signed)
	first := st.do("GET", "/wp-json/wc/v3/orders?"+rest, nil, header("Authorization", authz))
	mustStatus(t, first, 200)
	again := st.do("GET", "/wp-json/wc/v3/orders?"+rest, nil, header("Authorization", authz))
	mustStatus(t, again, 401)
	if want := `{"code":"woocommerce_rest_authentication_error","message":"Invalid nonce - nonce has already been used.","data":{"status":401}}`; string(again.body) != want {
		t.Errorf("replay body %s", again.body)
	}
	// The nonce is forgotten once it is older than the 15-minute window
	// (a replay then fails on the timestamp instead).
	st.clock.Advance(16 * time.Minute)
	fresh := oauthQuery(st, "HMAC-SHA1", DefaultConsumerKey, DefaultConsumerSecret, "another", st.clock.Now())
	mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders?"+fresh, nil, noAuth), 200)
	if r := st.do("GET", "/wp-json/wc/v3/orders?"+rest, nil, header("Authorization", authz)); r.errorCode() != "woocommerce_rest_authentication_error" || !strings.Contains(string(r.body), "Invalid timestamp.") {
		t.Errorf("old replay: %s", r.body)
	}
}

func TestRequireTLSForBasic(t *testing.T) {
	st := newStore(t, Options{RequireTLSForBasic: true})
	for name, opts := range map[string][]reqOpt{
		"basic over http is ignored":       nil,
		"query keys over http are ignored": {noAuth},
	} {
		t.Run(name, func(t *testing.T) {
			q := ""
			if opts != nil {
				q = "?consumer_key=" + DefaultConsumerKey + "&consumer_secret=" + DefaultConsumerSecret
			}
			r := st.do("GET", "/wp-json/wc/v3/orders"+q, nil, opts...)
			mustStatus(t, r, 401)
			if r.errorCode() != "woocommerce_rest_cannot_view" {
				t.Errorf("code %s", r.body)
			}
		})
	}
	t.Run("oauth over http works", func(t *testing.T) {
		q := oauthQuery(st, "HMAC-SHA1", DefaultConsumerKey, DefaultConsumerSecret, "tls1", testNow)
		mustStatus(t, st.do("GET", "/wp-json/wc/v3/orders?"+q, nil, noAuth), 200)
	})

	t.Run("basic over https works", func(t *testing.T) {
		s := New(Options{RequireTLSForBasic: true, Now: func() time.Time { return testNow }})
		ts := httptest.NewTLSServer(s)
		defer ts.Close()
		client := ts.Client()
		req, _ := http.NewRequest("GET", ts.URL+"/wp-json/wc/v3/orders", nil)
		req.SetBasicAuth(DefaultConsumerKey, DefaultConsumerSecret)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		// OAuth over TLS signs the https URL.
		q := SignOAuth1("GET", ts.URL+"/wp-json/wc/v3/orders", nil, DefaultConsumerKey, DefaultConsumerSecret, "HMAC-SHA1", "tls2", testNow.Unix())
		res, err = client.Get(ts.URL + "/wp-json/wc/v3/orders?" + q)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("oauth over tls: status %d", res.StatusCode)
		}
		_ = tls.VersionTLS12
	})
}

func TestKeyPermissions(t *testing.T) {
	tests := []struct {
		perm, method, path string
		body               any
		status             int
		message            string
	}{
		{"read", "GET", "/wp-json/wc/v3/orders", nil, 200, ""},
		{"read", "PUT", "/wp-json/wc/v3/orders/1", map[string]string{"status": "completed"}, 401, "The API key provided does not have write permissions."},
		{"read", "POST", "/wp-json/wc/v3/products/batch", map[string]any{}, 401, "The API key provided does not have write permissions."},
		{"write", "GET", "/wp-json/wc/v3/orders", nil, 401, "The API key provided does not have read permissions."},
		{"write", "POST", "/wp-json/wc/v3/products/batch", map[string]any{}, 200, ""},
		{"read_write", "DELETE", "/wp-json/wc/v3/orders/1", nil, 404, "No route was found matching the URL and request method."},
	}
	for _, tc := range tests {
		t.Run(tc.perm+" "+tc.method, func(t *testing.T) {
			st := newStore(t, Options{KeyPermissions: tc.perm})
			r := st.do(tc.method, tc.path, tc.body)
			mustStatus(t, r, tc.status)
			if tc.message != "" && !strings.Contains(string(r.body), `"message":"`+tc.message+`"`) {
				t.Errorf("body %s", r.body)
			}
		})
	}
}

func TestAuthErrorsComeBeforeRouting(t *testing.T) {
	st := newStore(t, Options{})
	r := st.do("GET", "/wp-json/wc/v3/no-such-thing", nil, basic(DefaultConsumerKey, "cs_bad"))
	mustStatus(t, r, 401)
	r = st.do("GET", "/wp-json/wc/v3/no-such-thing", nil, noAuth)
	mustStatus(t, r, 404)
	if want := `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`; string(r.body) != want {
		t.Errorf("body %s", r.body)
	}
}

func TestIndexAndSystemStatus(t *testing.T) {
	st := newStore(t, Options{SiteName: "Chez Łucja"})
	r := st.do("GET", "/wp-json/", nil, noAuth)
	mustStatus(t, r, 200)
	var idx struct {
		Name, URL, Home string
		GMTOffset       string `json:"gmt_offset"`
		Namespaces      []string
		Routes          map[string]any
	}
	r.decode(t, &idx)
	if idx.Name != "Chez Łucja" || idx.URL != st.url || idx.Home != st.url || idx.GMTOffset != "-3" {
		t.Errorf("index %+v", idx)
	}
	if _, ok := idx.Routes["/wc/v3/orders/(?P<id>[\\d]+)"]; !ok {
		t.Errorf("routes %v", idx.Routes)
	}
	if !strings.Contains(string(r.body), `"name":"Chez \u0141ucja"`) {
		t.Errorf("non-ASCII not escaped like wp_json_encode: %.200s", r.body)
	}
	mustStatus(t, st.do("GET", "/wp-json/wc/v3", nil, noAuth), 200)
	mustStatus(t, st.do("GET", "/?rest_route=/wc/v3/system_status", nil), 200)
	r = st.do("GET", "/wp-json/wc/v3/system_status", nil, noAuth)
	mustStatus(t, r, 401)
	if r.errorCode() != "woocommerce_rest_cannot_view" {
		t.Errorf("body %s", r.body)
	}
	r = st.do("GET", "/shop/", nil)
	if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("front-end 404: %d %s", r.status, r.header.Get("Content-Type"))
	}
}
