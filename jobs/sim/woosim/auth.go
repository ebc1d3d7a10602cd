package woosim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// oauthWindow is WooCommerce's timestamp window and nonce lifetime.
const oauthWindow = 15 * 60

// authenticate is WC_REST_Authentication::authenticate. It returns the
// mode that authenticated the request ("basic", "query", "oauth1"), ""
// for an anonymous request, or the error WooCommerce would answer with
// before routing.
//
// As in WooCommerce: Basic auth and the consumer_key/consumer_secret query
// parameters are only tried on HTTPS requests (see
// Options.RequireTLSForBasic); an unknown key there is not an error (the
// request simply stays anonymous) but a wrong secret is; OAuth 1.0a is
// then tried whenever any oauth_* parameter is present.
func (s *Server) authenticate(c *call, r *http.Request) (string, *wpError) {
	var authErr *wpError
	if r.TLS != nil || !s.opts.RequireTLSForBasic {
		mode, err := s.basicAuth(c, r)
		if mode != "" {
			return mode, nil
		}
		authErr = err
	}
	mode, err := s.oauthAuth(c, r)
	if err != nil {
		return "", err
	}
	if mode != "" {
		return mode, nil
	}
	return "", authErr
}

// basicAuth is perform_basic_authentication: the query parameters win over
// the Authorization header when both are present.
func (s *Server) basicAuth(c *call, r *http.Request) (string, *wpError) {
	qk, _ := c.query.get("consumer_key")
	qs, _ := c.query.get("consumer_secret")
	mode, key, secret := "query", qk.Value(), qs.Value()
	if key == "" || secret == "" {
		mode, key, secret = "basic", "", ""
		if u, p, ok := r.BasicAuth(); ok {
			key, secret = u, p
		}
	}
	if key == "" || secret == "" {
		return "", nil
	}
	if strings.TrimSpace(key) != s.opts.ConsumerKey {
		return "", nil // unknown key: WooCommerce sets no error here
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ConsumerSecret)) != 1 {
		return "", newError("woocommerce_rest_authentication_error", "Consumer secret is invalid.", http.StatusUnauthorized)
	}
	return mode, nil
}

var oauthParamNames = []string{"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"}

// oauthHeaderParam is the regular expression WooCommerce uses to read an
// "Authorization: OAuth …" header (from the OAuth PHP library).
var oauthHeaderParam = regexp.MustCompile(`(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))`)

// oauthAuth is perform_oauth_authentication: one-legged OAuth 1.0a with
// the parameters from the query string, a form body (POST only, like
// $_POST) and an "Authorization: OAuth" header.
func (s *Server) oauthAuth(c *call, r *http.Request) (string, *wpError) {
	params := append(phpQuery(nil), c.query...)
	if r.Method == http.MethodPost {
		for _, p := range c.form {
			params = params.replaceOrAppend(p)
		}
	}
	if h := strings.TrimSpace(r.Header.Get("Authorization")); strings.HasPrefix(h, "OAuth ") {
		for _, m := range oauthHeaderParam.FindAllStringSubmatch(h, -1) {
			v := m[3]
			if v == "" {
				v = m[4]
			}
			params = params.replaceOrAppend(phpParam{Key: m[1], Values: []string{urldecode(v)}})
		}
	}
	var missing []string
	for _, name := range oauthParamNames {
		if p, ok := params.get(name); !ok || p.Value() == "" || p.Value() == "0" {
			missing = append(missing, name)
		}
	}
	if len(missing) == len(oauthParamNames) {
		return "", nil // not trying OAuth at all
	}
	if len(missing) > 0 {
		msg := "Missing OAuth parameter " + missing[0]
		if len(missing) > 1 {
			msg = "Missing OAuth parameters " + strings.Join(missing, ", ")
		}
		return "", newError("woocommerce_rest_authentication_missing_parameter", msg, http.StatusUnauthorized)
	}
	get := func(name string) string { p, _ := params.get(name); return p.Value() }
	if strings.TrimSpace(get("oauth_consumer_key")) != s.opts.ConsumerKey {
		return "", newError("woocommerce_rest_authentication_error", "Consumer key is invalid.", http.StatusUnauthorized)
	}
	if err := s.checkOAuthSignature(c, r, params); err != nil {
		return "", err
	}
	ts, err := strconv.ParseInt(get("oauth_timestamp"), 10, 64)
	now := s.now().Unix()
	if err != nil || ts < now-oauthWindow || ts > now+oauthWindow {
		return "", newError("woocommerce_rest_authentication_error", "Invalid timestamp.", http.StatusUnauthorized)
	}
	if !s.useNonce(ts, get("oauth_nonce"), now) {
		return "", newError("woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.", http.StatusUnauthorized)
	}
	return "oauth1", nil
}

// checkOAuthSignature is check_oauth_signature: the request is signed
// with the home URL's host but the request's own scheme (https only when
// it came over TLS).
func (s *Server) checkOAuthSignature(c *call, r *http.Request, params phpQuery) *wpError {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	home := c.home
	if i := strings.Index(home, "://"); i >= 0 {
		home = scheme + home[i:]
	}
	sig, _ := params.get("oauth_signature")
	given := rawurldecode(strings.ReplaceAll(sig.Value(), " ", "+"))
	method, _ := params.get("oauth_signature_method")
	want, ok := oauthSignature(oauthBaseString(r.Method, home+r.URL.EscapedPath(), params), s.opts.ConsumerSecret, method.Value())
	if !ok {
		return newError("woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid.", http.StatusUnauthorized)
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(given)) != 1 {
		return newError("woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.", http.StatusUnauthorized)
	}
	return nil
}

// oauthBaseString is the signature base string WooCommerce builds:
// METHOD & rawurlencode(url) & the parameters sorted by key (strcmp), each
// "key=value" pair RFC 3986-encoded (so encoded twice in total) and joined
// with %26. Every parameter except oauth_signature is signed, not just the
// oauth_* ones; array parameters are signed as key%5Bi%5D.
func oauthBaseString(method, url string, params phpQuery) string {
	signed := params.without("oauth_signature")
	sort.SliceStable(signed, func(i, j int) bool { return signed[i].Key < signed[j].Key })
	var pairs []string
	for _, p := range signed {
		k := rawurlencode(p.Key)
		if !p.IsArray {
			pairs = append(pairs, rawurlencode(k+"="+rawurlencode(p.Value())))
			continue
		}
		for i, v := range p.Values {
			pairs = append(pairs, rawurlencode(k+"%5B"+strconv.Itoa(i)+"%5D="+rawurlencode(v)))
		}
	}
	return method + "&" + rawurlencode(url) + "&" + strings.Join(pairs, "%26")
}

// oauthSignature signs base with consumerSecret+"&"; ok is false for a
// method other than HMAC-SHA1 and HMAC-SHA256.
func oauthSignature(base, consumerSecret, method string) (sig string, ok bool) {
	var h func() hash.Hash
	switch method {
	case "HMAC-SHA1":
		h = sha1.New
	case "HMAC-SHA256":
		h = sha256.New
	default:
		return "", false
	}
	mac := hmac.New(h, []byte(consumerSecret+"&"))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), true
}

// useNonce is check_oauth_timestamp_and_nonce's nonce half. Like
// WooCommerce it remembers used nonces keyed by their timestamp (so only
// the last nonce of each second is kept) and forgets those older than the
// window. It reports false when nonce was already used.
func (s *Server) useNonce(ts int64, nonce string, now int64) bool {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	for _, used := range s.nonces {
		if used == nonce {
			return false
		}
	}
	s.nonces[ts] = nonce
	for t := range s.nonces {
		if t < now-oauthWindow {
			delete(s.nonces, t)
		}
	}
	return true
}

// checkKeyPermissions is WC_REST_Authentication::check_permissions.
func (s *Server) checkKeyPermissions(method string) *wpError {
	perm := s.opts.KeyPermissions
	switch method {
	case http.MethodGet, http.MethodHead:
		if perm != "read" && perm != "read_write" {
			return newError("woocommerce_rest_authentication_error", "The API key provided does not have read permissions.", http.StatusUnauthorized)
		}
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		if perm != "write" && perm != "read_write" {
			return newError("woocommerce_rest_authentication_error", "The API key provided does not have write permissions.", http.StatusUnauthorized)
		}
	case http.MethodOptions:
	default:
		return newError("woocommerce_rest_authentication_error", "Unknown request method.", http.StatusUnauthorized)
	}
	return nil
}

// SignOAuth1 signs a request for the simulated store the way
// WooCommerce's official client libraries do over HTTP (one-legged OAuth
// 1.0a, parameters in the query string) and returns the query string to
// send: params plus oauth_consumer_key, oauth_nonce,
// oauth_signature_method, oauth_timestamp and oauth_signature, each
// RFC 3986-encoded. requestURL is the URL without query
// ("http://127.0.0.1:1234/wp-json/wc/v3/orders"); signatureMethod is
// "HMAC-SHA1" or "HMAC-SHA256". It lets tests and the demo client do
// without an OAuth library; array parameters are not supported.
func SignOAuth1(httpMethod, requestURL string, params map[string]string, consumerKey, consumerSecret, signatureMethod, nonce string, timestamp int64) string {
	all := map[string]string{
		"oauth_consumer_key":     consumerKey,
		"oauth_nonce":            nonce,
		"oauth_signature_method": signatureMethod,
		"oauth_timestamp":        strconv.FormatInt(timestamp, 10),
	}
	for k, v := range params {
		all[k] = v
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var q phpQuery
	var pairs []string
	for _, k := range keys {
		q = append(q, phpParam{Key: k, Values: []string{all[k]}})
		pairs = append(pairs, rawurlencode(k)+"="+rawurlencode(all[k]))
	}
	sig, _ := oauthSignature(oauthBaseString(strings.ToUpper(httpMethod), requestURL, q), consumerSecret, signatureMethod)
	return strings.Join(pairs, "&") + "&oauth_signature=" + rawurlencode(sig)
}
