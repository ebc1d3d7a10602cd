package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
)

// TestSimQBOServesACompany runs `ledgerlink sim qbo` on a free port: the consent screen
// answers for the configured client,
// and the company file is written with the company named on the command line.
func TestSimQBOServesACompany(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	file := filepath.Join(t.TempDir(), "qbo.json")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- simQBO(ctx, slog.New(slog.DiscardHandler), []string{"-addr", addr, "-company", file,
			"-client-id", "app-1", "-client-secret", "s3cret", "-redirect", "http://localhost:8080/qbo/callback", "-name", "Harbor & Pine Co"})
	}()
	authorize := "http://" + addr + "/connect/oauth2?" + url.Values{"client_id": {"app-1"}, "response_type": {"code"},
		"scope": {qbosim.ScopeAccounting}, "redirect_uri": {"http://localhost:8080/qbo/callback"}, "state": {"s"}}.Encode()
	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if resp, err = http.Get(authorize); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("consent screen: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("company file: %v", err)
	}
	sim, err := qbosim.Open(qbosim.Options{File: file})
	if err != nil {
		t.Fatal(err)
	}
	if info, err := sim.Entity(qbosim.KindCompanyInfo, "1"); err != nil || info["CompanyName"] != "Harbor & Pine Co" {
		t.Fatalf("company info %v %v", info, err)
	}
}
