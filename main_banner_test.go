package main

import (
	"strings"
	"testing"

	"github.com/ledgerlink/ledgerlink/server"
)

// Issue 11 finding 10: `run` printed the demo password whatever the mode; now only demo mode
// (where that account exists) shows it.
func TestRunBannerShowsTheDemoPasswordOnlyInDemoMode(t *testing.T) {
	cfg := &server.Config{DemoEmail: "demo@ledgerlink.local", DemoPassword: "s3cret-demo-pw"}
	if b := runBanner(cfg, "127.0.0.1:8080"); strings.Contains(b, "s3cret-demo-pw") || strings.Contains(b, "demo@ledgerlink.local") ||
		!strings.Contains(b, "http://127.0.0.1:8080") {
		t.Fatalf("production banner:\n%s", b)
	}
	cfg.Demo = true
	if b := runBanner(cfg, "127.0.0.1:8080"); !strings.Contains(b, "sign in as demo@ledgerlink.local / s3cret-demo-pw") {
		t.Fatalf("demo banner:\n%s", b)
	}
}
