package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestSPAHandler(t *testing.T) {
	dist := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><div id=root></div>")},
		"assets/app-1a2b.js": {Data: []byte("console.log(1)")},
		"favicon.svg":        {Data: []byte("<svg/>")},
	}
	h := spaHandler(dist)
	cases := []struct {
		path, wantBody, wantCache string
		wantStatus                int
	}{
		{"/", "<!doctype html><div id=root></div>", "no-cache", 200},
		{"/logs", "<!doctype html><div id=root></div>", "no-cache", 200},              // client-side route
		{"/settings/api-keys", "<!doctype html><div id=root></div>", "no-cache", 200}, // nested route
		{"/assets/app-1a2b.js", "console.log(1)", "public, max-age=31536000, immutable", 200},
		{"/favicon.svg", "<svg/>", "", 200},
		{"/assets/gone-9z.js", "404 page not found\n", "", 404}, // never HTML for a missing asset
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tc.wantStatus || string(body) != tc.wantBody || rec.Header().Get("Cache-Control") != tc.wantCache {
				t.Fatalf("GET %s = %d %q cache %q", tc.path, rec.Code, body, rec.Header().Get("Cache-Control"))
			}
		})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/logs", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST /logs = %d", rec.Code)
	}
}

func TestSPAHandlerWithoutBuild(t *testing.T) {
	rec := httptest.NewRecorder()
	spaHandler(nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d", rec.Code)
	}
}
