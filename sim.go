package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbosim"
)

// simCommand runs one of the simulators of outside systems.
func simCommand(ctx context.Context, log *slog.Logger, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: ledgerlink sim qbo [flags] | sim qbd [flags] | sim qbd adjust -item NAME -by N | sim qbd stock | sim qbd sale -customer NAME -line SKU:qty[:price] (see ledgerlink sim qbd -h, sim qbd sale -h)")
	}
	switch args[0] {
	case "qbd":
		return simQBD(ctx, log, args[1:])
	case "qbo":
		return simQBO(ctx, log, args[1:])
	default:
		return fmt.Errorf("unknown simulator %q (have: qbd, qbo)", args[0])
	}
}

// simReport is what `ledgerlink sim qbd -json` prints: the totals of all sessions it ran.
type simReport struct {
	Sessions        int           `json:"sessions"`
	SOAPCalls       int           `json:"soapCalls"`
	MessageSets     int           `json:"messageSets"`
	RequestsApplied int           `json:"requestsApplied"`
	InDoubt         int           `json:"inDoubt"`
	Busy            int           `json:"busy"`
	LastError       string        `json:"lastError,omitempty"`
	Elapsed         time.Duration `json:"elapsedNs"`
	QuickBooksTime  time.Duration `json:"quickBooksTimeNs"`
	Customers       int           `json:"customers"`
	Items           int           `json:"items"`
	Transactions    int           `json:"transactions"`
}

// simQBD plays the QuickBooks Web Connector and a QuickBooks company file against a Web
// Connector endpoint (Ledgerlink's /qbwc or any other), like a merchant's PC would.
func simQBD(ctx context.Context, log *slog.Logger, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "adjust":
			return simQBDAdjust(args[1:])
		case "stock":
			return simQBDStock(args[1:])
		case "sale":
			return simQBDSale(args[1:])
		}
	}
	fs := flag.NewFlagSet("sim qbd", flag.ExitOnError)
	url := fs.String("url", "http://127.0.0.1:8080/qbwc", "the Web Connector endpoint (AppURL of the .qwc file)")
	user := fs.String("user", "", "Web Connector username (UserName of the .qwc file)")
	password := fs.String("password", os.Getenv("LEDGERLINK_QBWC_PASSWORD"), "Web Connector password (or LEDGERLINK_QBWC_PASSWORD)")
	file := fs.String("company", "", "company file (JSON); created with starter data when missing, saved after every session")
	latency := fs.Duration("latency", 0, "simulated QuickBooks time per request")
	every := fs.Duration("every", 0, "run a session this often (like the Web Connector's scheduler); 0 runs once")
	untilDone := fs.Bool("until-done", false, "run sessions back to back until the server has nothing to do")
	maxSessions := fs.Int("max-sessions", 10000, "stop after this many sessions")
	validate := fs.Bool("validate-xsd", false, "validate every request against the qbXML XSD with xmllint")
	drop := fs.Float64("drop", 0, "lose the answer of this share (0-1) of message sets after QuickBooks applied them (the session ends there)")
	asJSON := fs.Bool("json", false, "print a JSON report on standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" || *password == "" {
		return errors.New("sim qbd needs -user and -password (the Web Connector credentials of a QuickBooks Desktop connection)")
	}

	cfg := qbdsim.Config{ValidateSchema: *validate}
	company, err := openCompany(*file, cfg)
	if err != nil {
		return err
	}
	company.SetLatency(*latency)
	wc := &qbdsim.WebConnector{URL: *url, Username: *user, Password: *password, Company: company, ClientVersion: "2.3.0.36", Logger: log,
		Faults: qbdsim.Faults{DropRate: *drop}}

	var rep simReport
	start := time.Now()
	for rep.Sessions < *maxSessions {
		r, err := wc.Run(ctx)
		rep.Sessions++
		rep.SOAPCalls += len(r.Calls)
		rep.MessageSets += r.MessageSets
		rep.RequestsApplied += r.RequestsApplied
		rep.InDoubt += r.InDoubt
		rep.QuickBooksTime += r.QuickBooksTime
		rep.LastError = r.LastError
		if r.Busy {
			rep.Busy++
		}
		if *file != "" {
			if err := company.Save(*file); err != nil {
				return err
			}
		}
		if err != nil && !errors.Is(err, qbdsim.ErrConnectionDropped) {
			return fmt.Errorf("session %d: %w", rep.Sessions, err)
		}
		log.Info("web connector session", "ticket", r.Ticket, "auth", r.AuthStatus, "message_sets", r.MessageSets,
			"requests", r.RequestsApplied, "last_error", r.LastError)
		switch {
		case *untilDone && !r.NoWork:
			continue
		case *every > 0:
			select {
			case <-ctx.Done():
			case <-time.After(*every):
				continue
			}
		}
		break
	}
	rep.Elapsed = time.Since(start)
	rep.Customers, rep.Items, rep.Transactions = len(company.Customers()), len(company.Items()), len(company.Txns("", ""))
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(rep)
	}
	fmt.Printf("%d sessions, %d SOAP calls, %d message sets, %d requests applied in %s; company holds %d customers, %d items, %d transactions\n",
		rep.Sessions, rep.SOAPCalls, rep.MessageSets, rep.RequestsApplied, rep.Elapsed.Round(time.Millisecond),
		rep.Customers, rep.Items, rep.Transactions)
	return nil
}

// openCompany loads the company file, or creates a seeded one (saved at path when given).
func openCompany(path string, cfg qbdsim.Config) (*qbdsim.Company, error) {
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return qbdsim.Load(path, cfg)
		}
	}
	c := qbdsim.New(cfg)
	if err := c.Seed(); err != nil {
		return nil, err
	}
	if path != "" {
		if err := c.Save(path); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// demoCompanyFile is the simulated company of the demo (`make run`): the file the demo's Web
// Connector keeps (LEDGERLINK_DEMO_COMPANY_FILE, default .data/demo-company.json, as in the
// server's configuration).
func demoCompanyFile() string {
	if p := os.Getenv("LEDGERLINK_DEMO_COMPANY_FILE"); p != "" {
		return p
	}
	return ".data/demo-company.json"
}

// simQBDAdjust enters an inventory adjustment in a simulated company file, as a person would in
// QuickBooks (Adjust Quantity/Value on Hand). It works while the demo runs: the demo's Web
// Connector picks the change up in its next session.
func simQBDAdjust(args []string) error {
	fs := flag.NewFlagSet("sim qbd adjust", flag.ExitOnError)
	file := fs.String("company", demoCompanyFile(), "company file (JSON) to change; default: the demo's")
	item := fs.String("item", "", "QuickBooks item name (full name) of an inventory part, i.e. the store SKU")
	by := fs.Float64("by", 0, "change the quantity on hand by this many units (negative lowers it)")
	set := fs.Float64("set", -1, "set the quantity on hand to this (instead of -by)")
	memo := fs.String("memo", "ledgerlink sim qbd adjust", "memo of the adjustment")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *item == "" || (*by == 0 && *set < 0) {
		return errors.New("usage: ledgerlink sim qbd adjust -item NAME (-by N | -set N) [-company FILE]")
	}
	var before, after qbdsim.Item
	f := &qbdsim.SharedFile{Path: *file}
	err := f.Update(func(c *qbdsim.Company) error {
		var err error
		if before, err = c.Item(*item); err != nil {
			return fmt.Errorf("item %q: %w", *item, err)
		}
		if *set >= 0 {
			_, err = c.AdjustQuantity(*item, *set, true, *memo)
		} else {
			_, err = c.AdjustQuantity(*item, *by, false, *memo)
		}
		if err != nil {
			return err
		}
		after, err = c.Item(*item)
		return err
	})
	if errors.Is(err, qbdsim.ErrNotFound) {
		return fmt.Errorf("%w (the demo creates its company file when it starts: make run; or give -company)", err)
	}
	if err != nil {
		return err
	}
	fmt.Printf("%s: quantity on hand %v -> %v (inventory adjustment entered in %s)\n", after.FullName, before.QuantityOnHand, after.QuantityOnHand, *file)
	return nil
}

// simQBDStock prints the inventory parts of a simulated company file with their quantities.
func simQBDStock(args []string) error {
	fs := flag.NewFlagSet("sim qbd stock", flag.ExitOnError)
	file := fs.String("company", demoCompanyFile(), "company file (JSON); default: the demo's")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f := &qbdsim.SharedFile{Path: *file}
	return f.Update(func(c *qbdsim.Company) error {
		for _, it := range c.Items() {
			if it.Type == "ItemInventory" {
				fmt.Printf("%-31s on hand %8v  on sales orders %6v  modified %s\n", it.FullName, it.QuantityOnHand, it.QuantityOnSalesOrder, it.TimeModified.Format(time.RFC3339))
			}
		}
		return nil
	})
}

// simQBO serves a simulated QuickBooks Online company (Intuit's OAuth 2.0 screens and token
// endpoints plus the Accounting API) on an address, kept in a company file, and prints the
// settings a Ledgerlink server needs to connect to it.
func simQBO(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("sim qbo", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:8098", "listen address")
	file := fs.String("company", ".data/qbo-company.json", "company file (JSON); created with starter data when missing, saved after every write")
	clientID := fs.String("client-id", qbosim.DefaultClientID, "the app's OAuth client id")
	clientSecret := fs.String("client-secret", os.Getenv("LEDGERLINK_QBO_CLIENT_SECRET"), "the app's OAuth client secret (or LEDGERLINK_QBO_CLIENT_SECRET; default: qbosim.DefaultClientSecret)")
	redirects := fs.String("redirect", "", "comma-separated registered redirect URIs (empty: accept any http(s) URI)")
	realm := fs.String("realm", qbosim.DefaultRealm, "company id (realmId)")
	name := fs.String("name", qbosim.DefaultCompanyName, "company name")
	webhook := fs.String("webhook", "", "POST change notifications to this URL")
	verifier := fs.String("webhook-verifier", os.Getenv("LEDGERLINK_QBO_WEBHOOK_VERIFIER"), "webhook verifier token (or LEDGERLINK_QBO_WEBHOOK_VERIFIER)")
	rpm := fs.Int("rpm", 0, "requests per minute before 429 (0: QuickBooks' 500; negative: no limit)")
	latency := fs.Duration("latency", 0, "simulated QuickBooks time per API request")
	noSKU := fs.Bool("no-sku", false, "start a new company with the SKU preference off")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *clientSecret == "" {
		*clientSecret = qbosim.DefaultClientSecret
	}
	if dir := filepath.Dir(*file); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	var uris []string
	for _, u := range strings.Split(*redirects, ",") {
		if u = strings.TrimSpace(u); u != "" {
			uris = append(uris, u)
		}
	}
	sim, err := qbosim.Open(qbosim.Options{ClientID: *clientID, ClientSecret: *clientSecret, RedirectURIs: uris, Realm: *realm,
		CompanyName: *name, File: *file, WebhookURL: *webhook, WebhookVerifier: *verifier, RequestsPerMinute: *rpm,
		Latency: *latency, SKUDisabled: *noSKU, Logger: log})
	if err != nil {
		return err
	}
	defer sim.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	fmt.Printf("QuickBooks Online simulator for %q (realmId %s) on %s, company file %s\n", *name, sim.Realm(), base, *file)
	secret := "<the -client-secret value>" // a secret given on the command line is not echoed
	if *clientSecret == qbosim.DefaultClientSecret {
		secret = qbosim.DefaultClientSecret // the simulator's public default
	}
	fmt.Printf("LEDGERLINK_QBO_CLIENT_ID=%s\nLEDGERLINK_QBO_CLIENT_SECRET=%s\n", sim.ClientID(), secret)
	fmt.Printf("LEDGERLINK_QBO_AUTH_URL=%s/connect/oauth2\nLEDGERLINK_QBO_TOKEN_URL=%s/oauth2/v1/tokens/bearer\n", base, base)
	fmt.Printf("LEDGERLINK_QBO_REVOKE_URL=%s/oauth2/v1/tokens/revoke\nLEDGERLINK_QBO_API_URL=%s\n", base, base)
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
