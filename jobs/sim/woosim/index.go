package woosim

import (
	"net/http"
	"strconv"
	"strings"
)

// simulatedRoutes are the wc/v3 routes the index documents, with their
// methods, in WordPress's regex notation.
var simulatedRoutes = []struct {
	path    string
	methods []string
}{
	{"/wc/v3", []string{"GET"}},
	{"/wc/v3/orders", []string{"GET"}},
	{`/wc/v3/orders/(?P<id>[\d]+)`, []string{"GET", "POST", "PUT", "PATCH"}},
	{`/wc/v3/orders/(?P<order_id>[\d]+)/notes`, []string{"GET", "POST"}},
	{"/wc/v3/products", []string{"GET"}},
	{"/wc/v3/products/batch", []string{"POST", "PUT", "PATCH"}},
	{`/wc/v3/products/(?P<id>[\d]+)`, []string{"GET", "POST", "PUT", "PATCH"}},
	{`/wc/v3/products/(?P<product_id>[\d]+)/variations`, []string{"GET"}},
	{`/wc/v3/products/(?P<product_id>[\d]+)/variations/batch`, []string{"POST", "PUT", "PATCH"}},
	{`/wc/v3/products/(?P<product_id>[\d]+)/variations/(?P<id>[\d]+)`, []string{"GET", "POST", "PUT", "PATCH"}},
	{"/wc/v3/system_status", []string{"GET"}},
}

func (s *Server) routeIndex(c *call) obj {
	routes := obj{}
	for _, r := range simulatedRoutes {
		eps := []any{}
		for _, m := range r.methods {
			eps = append(eps, obj{{"methods", []string{m}}, {"args", obj{}}})
		}
		entry := obj{{"namespace", "wc/v3"}, {"methods", r.methods}, {"endpoints", eps}}
		if !strings.Contains(r.path, "(?P<") {
			entry = append(entry, kv{"_links", obj{{"self", []href{{c.restURL(r.path)}}}}})
		}
		routes = append(routes, kv{r.path, entry})
	}
	return routes
}

// siteIndex is GET /wp-json/ (WP_REST_Server::get_index), public. Its
// "url" and "home" are the URLs WooCommerce signs OAuth requests with.
func (s *Server) siteIndex(c *call) (*reply, *wpError) {
	s.rememberHome(c.home)
	_, offset := s.now().In(s.loc).Zone()
	return &reply{status: http.StatusOK, body: obj{
		{"name", s.opts.SiteName},
		{"description", ""},
		{"url", c.home},
		{"home", c.home},
		{"gmt_offset", strconv.FormatFloat(float64(offset)/3600, 'f', -1, 64)},
		{"timezone_string", timezoneString(s.loc.String())},
		{"page_for_posts", 0},
		{"page_on_front", 0},
		{"show_on_front", "posts"},
		{"namespaces", []string{"oembed/1.0", "wc/store/v1", "wc/v1", "wc/v2", "wc/v3", "wc-telemetry", "wp/v2", "wp-site-health/v1"}},
		{"authentication", obj{{"application-passwords", obj{{"endpoints", obj{{"authorization", c.home + "/wp-admin/authorize-application.php"}}}}}}},
		{"site_logo", 0},
		{"site_icon", 0},
		{"site_icon_url", ""},
		{"routes", s.routeIndex(c)},
		{"_links", obj{{"help", []href{{"https://developer.wordpress.org/rest-api/"}}}}},
	}}, nil
}

// timezoneString is WordPress's timezone_string option: empty for a
// manual UTC offset.
func timezoneString(name string) string {
	if strings.HasPrefix(name, "UTC") || name == "" {
		return ""
	}
	return name
}

// namespaceIndex is GET /wp-json/wc/v3, public.
func (s *Server) namespaceIndex(c *call) (*reply, *wpError) {
	return &reply{status: http.StatusOK, body: obj{
		{"namespace", "wc/v3"},
		{"routes", s.routeIndex(c)},
		{"_links", obj{{"up", []href{{c.home + "/wp-json/"}}}}},
	}}, nil
}

// systemStatus is GET /wc/v3/system_status: it needs a valid key, so it is
// a good credentials check. Only the environment, settings and security
// sections carry meaningful values.
func (s *Server) systemStatus(c *call) (*reply, *wpError) {
	secure := c.r != nil && c.r.TLS != nil || strings.HasPrefix(c.home, "https://")
	_, offset := s.now().In(s.loc).Zone()
	return &reply{status: http.StatusOK, body: obj{
		{"environment", obj{
			{"home_url", c.home},
			{"site_url", c.home},
			{"version", s.opts.WCVersion},
			{"log_directory", "/var/www/html/wp-content/uploads/wc-logs/"},
			{"log_directory_writable", true},
			{"wp_version", s.opts.WPVersion},
			{"wp_multisite", false},
			{"wp_memory_limit", 268435456},
			{"wp_debug_mode", false},
			{"wp_cron", true},
			{"language", "en_US"},
			{"external_object_cache", nil},
			{"server_info", "nginx/1.24.0"},
			{"php_version", "8.2.28"},
			{"php_post_max_size", 67108864},
			{"php_max_execution_time", 30},
			{"php_max_input_vars", 1000},
			{"curl_version", "8.5.0, OpenSSL/3.0.13"},
			{"suhosin_installed", false},
			{"max_upload_size", 67108864},
			{"mysql_version", "8.0.36"},
			{"mysql_version_string", "8.0.36"},
			{"default_timezone", "UTC"},
			{"fsockopen_or_curl_enabled", true},
			{"soapclient_enabled", true},
			{"domdocument_enabled", true},
			{"gzip_enabled", true},
			{"mbstring_enabled", true},
			{"remote_post_successful", true},
			{"remote_post_response", 200},
			{"remote_get_successful", true},
			{"remote_get_response", 200},
		}},
		{"database", obj{{"wc_database_version", s.opts.WCVersion}, {"database_prefix", "wp_"}}},
		{"active_plugins", []any{obj{
			{"plugin", "woocommerce/woocommerce.php"}, {"name", "WooCommerce"}, {"version", s.opts.WCVersion},
			{"version_latest", s.opts.WCVersion}, {"url", "https://woocommerce.com/"}, {"author_name", "Automattic"},
			{"author_url", "https://woocommerce.com"}, {"network_activated", false},
		}}},
		{"inactive_plugins", []any{}},
		{"settings", obj{
			{"api_enabled", true},
			{"force_ssl", false},
			{"currency", s.opts.Currency},
			{"currency_symbol", currencySymbols[s.opts.Currency]},
			{"currency_position", "left"},
			{"thousand_separator", ","},
			{"decimal_separator", "."},
			{"number_of_decimals", 2},
			{"geolocation_enabled", false},
			{"gmt_offset", strconv.FormatFloat(float64(offset)/3600, 'f', -1, 64)},
			{"woocommerce_com_connected", "no"},
		}},
		{"security", obj{{"secure_connection", secure}, {"hide_errors", true}}},
		{"pages", []any{}},
		{"post_type_counts", []any{}},
	}}, nil
}
