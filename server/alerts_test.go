package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/db/dbtest"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/alerts/alertstest"
	"github.com/ledgerlink/ledgerlink/jobs/channels"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/ordersync"
	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/storenet"
	"github.com/ledgerlink/ledgerlink/jobs/storenet/storenettest"
)

const (
	alertsSMTPUser     = "alerts@shop.test"
	alertsSMTPPassword = "smtp-pass-9f3k"
	alertsPublicURL    = "https://ledgerlink.example"
)

// withAlerts points the App's alert e-mail at catcher and its links at alertsPublicURL.
func withAlerts(catcher *alertstest.Catcher) appOption {
	return func(cfg *Config, _ *httptest.Server) {
		cfg.SMTPURL, cfg.SMTPFrom = catcher.URL(), "Ledgerlink <alerts@ledgerlink.test>"
		cfg.PublicURL = alertsPublicURL
		cfg.SecretKey = "alerts-test-secret-key-0123456789abcdef"
	}
}

// hookCall is one call the webhook receiver got.
type hookCall struct {
	delivery string
	body     []byte
	verified bool
}

// hookReceiver is a webhook endpoint that checks each call's signature itself (HMAC-SHA256 of
// "<t>.<body>" with the secret, computed here, not by the alerts package) and answers the
// statuses given in turn (the last one for every later call).
type hookReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	secret   string
	statuses []int
	calls    []hookCall
}

func newHookReceiver(t *testing.T, statuses ...int) *hookReceiver {
	h := &hookReceiver{statuses: statuses}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		var ts, sig string
		for part := range strings.SplitSeq(r.Header.Get("X-Ledgerlink-Signature"), ",") {
			k, v, _ := strings.Cut(part, "=")
			switch k {
			case "t":
				ts = v
			case "v1":
				sig = v
			}
		}
		mac := hmac.New(sha256.New, []byte(h.secret))
		mac.Write([]byte(ts + "." + string(body)))
		got, _ := hex.DecodeString(sig)
		h.calls = append(h.calls, hookCall{delivery: r.Header.Get("X-Ledgerlink-Delivery"), body: body,
			verified: ts != "" && hmac.Equal(got, mac.Sum(nil))})
		w.WriteHeader(h.statuses[min(len(h.calls), len(h.statuses))-1])
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookReceiver) setSecret(s string) { h.mu.Lock(); h.secret = s; h.mu.Unlock() }

func (h *hookReceiver) got() []hookCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.calls)
}

type alertSettingsPayload struct {
	UpdateAlertSettings struct {
		WebhookSecret *string
		Settings      struct {
			Kinds, Recipients []string
			WebhookURL        string
			WebhookSecretSet  bool
			EmailAvailable    bool
		}
	}
}

const updateAlertSettings = `mutation($in: AlertSettingsInput!) { updateAlertSettings(input: $in) {
	webhookSecret settings { kinds recipients webhookUrl webhookSecretSet emailAvailable } } }`

// saveAlertSettings saves the settings through GraphQL and hands the webhook secret shown
// once to recv.
func saveAlertSettings(t *testing.T, c *client, recv *hookReceiver, in map[string]any) alertSettingsPayload {
	t.Helper()
	var p alertSettingsPayload
	c.mustGQL(updateAlertSettings, map[string]any{"in": in}, &p)
	if s := p.UpdateAlertSettings.WebhookSecret; recv != nil && s != nil {
		recv.setSecret(*s)
	}
	return p
}

// readMail parses a caught message: its headers and its decoded text.
func readMail(t *testing.T, m alertstest.Mail) (*mail.Message, string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
	if err != nil {
		t.Fatalf("not a message: %v\n%s", err, m.Data)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return msg, strings.ReplaceAll(string(body), "\r\n", "\n")
}

func subjectOf(t *testing.T, msg *mail.Message) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// alertOrder stores order number of sc in state (why: its reason), created at created.
func alertOrder(t *testing.T, sc *db.StoreConnection, number, state, why string, created time.Time) *db.Order {
	t.Helper()
	n := orders.Order{Channel: "shopify", ExternalID: "gid://shopify/Order/" + number, Number: number, Currency: "USD", CreatedAt: created}
	return insertNormalized(t, &db.Order{AccountID: sc.AccountID, ConnectionID: sc.ID, Channel: "shopify", ExternalID: n.ExternalID,
		Number: number, State: state, StateReason: why, Raw: json.RawMessage(`{}`), CreatedAt: created, UpdatedAt: created}, n)
}

func alertHandlers(app *App, now func() time.Time) *jobs.Handlers {
	return &jobs.Handlers{DB: app.DB, Log: app.Log, Client: app.tasks, Alerts: app.Alerts, Now: now}
}

// TestAlertDigestByEmailAndSignedWebhook (issue 16): an order's first failure, an order waiting
// past the threshold and a failed inventory push become one digest, e-mailed through SMTP
// (caught by a real SMTP server, signed in with the configured user) and POSTed to a webhook
// whose signature the receiver checks itself; the webhook's first answer is a 500 and the
// retry delivers the same body. A later failure waits for the digest interval and is sent
// alone: nothing is sent twice.
func TestAlertDigestByEmailAndSignedWebhook(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1") // the receiver listens on 127.0.0.1
	catcher := alertstest.Start(t, alertsSMTPUser, alertsSMTPPassword)
	recv := newHookReceiver(t, http.StatusInternalServerError, http.StatusNoContent)
	clock := storenettest.NewClock(time.Now().UTC().Truncate(time.Second))
	app, srv := newTestApp(t, withClock(clock.Now), withAlerts(catcher))
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	acc := owner.AccountID
	sc := &db.StoreConnection{AccountID: acc, Channel: "shopify", Name: "Main Shopify", BaseURL: "https://main.myshopify.com"}
	fixtureStore(t, app.DB, sc, `{"accessToken":"x"}`)

	p := saveAlertSettings(t, c, recv, map[string]any{"kinds": []string{"ORDER_FAILED", "ORDER_WAITING", "INVENTORY_FAILED"},
		"recipients": []string{"ops@shop.test", " owner@shop.test "}, "webhookUrl": recv.URL + "/hooks/ledgerlink",
		"digestMinutes": 30, "waitingHours": 2})
	if s := p.UpdateAlertSettings; s.WebhookSecret == nil || !strings.HasPrefix(*s.WebhookSecret, "whsec_") || !s.Settings.WebhookSecretSet ||
		!s.Settings.EmailAvailable || !slices.Equal(s.Settings.Recipients, []string{"ops@shop.test", "owner@shop.test"}) {
		t.Fatalf("saved settings = %+v", s)
	}

	failed := alertOrder(t, sc, "1001", db.OrderError, "Item SKU-9 is not in QuickBooks", clock.Now().Add(-time.Hour))
	waiting := alertOrder(t, sc, "1002", db.OrderPending, "", clock.Now().Add(-3*time.Hour))
	alertOrder(t, sc, "1003", db.OrderPending, "", clock.Now().Add(-time.Hour)) // under the threshold
	if _, err := dbtest.SQL(t).ExecContext(ctx, `INSERT INTO inventory_updates (account_id, store_connection_id, sku, target_quantity, status, last_error)
		VALUES (?, ?, 'SKU-5', 7, 'failed', 'Shopify refused the quantity')`, acc, sc.ID); err != nil {
		t.Fatal(err)
	}

	h := alertHandlers(app, clock.Now)
	dels, err := h.CheckAlerts(ctx, acc)
	if err != nil || len(dels) != 2 {
		t.Fatalf("first check: %d deliveries, %v; want e-mail and webhook", len(dels), err)
	}
	for _, d := range dels {
		err := app.Alerts.Deliver(ctx, acc, d.ID, false)
		if d.Channel == db.AlertChannelWebhook {
			if err == nil || !strings.Contains(err.Error(), "HTTP 500") {
				t.Fatalf("webhook first attempt: %v, want the receiver's 500", err)
			}
			// asynq's retry of the task: the same delivery again.
			err = app.Alerts.Deliver(ctx, acc, d.ID, false)
		}
		if err != nil {
			t.Fatalf("%s delivery: %v", d.Channel, err)
		}
	}

	mails := catcher.Mails()
	if len(mails) != 1 || mails[0].AuthUser != alertsSMTPUser || mails[0].From != "alerts@ledgerlink.test" ||
		!slices.Equal(mails[0].To, []string{"ops@shop.test", "owner@shop.test"}) {
		t.Fatalf("mails = %+v", mails)
	}
	msg, text := readMail(t, mails[0])
	if got, want := subjectOf(t, msg), "Ledgerlink: 3 new alerts (Orders failed: 1, Orders waiting: 1, Inventory pushes failing: 1)"; got != want {
		t.Fatalf("subject = %q, want %q", got, want)
	}
	for _, want := range []string{
		"Orders failed (1)\n- Order 1001 from Main Shopify failed: Item SKU-9 is not in QuickBooks\n  https://ledgerlink.example/orders/" + strconv.FormatInt(failed.ID, 10) + "\n",
		"Orders waiting (1)\n- Order 1002 from Main Shopify has waited more than 2 hours for QuickBooks (pending).\n  https://ledgerlink.example/orders/" + strconv.FormatInt(waiting.ID, 10) + "\n",
		"Inventory pushes failing (1)\n- Setting the stock of SKU-5 in Main Shopify to 7 failed: Shopify refused the quantity\n  https://ledgerlink.example/inventory\n",
		"https://ledgerlink.example/settings#alerts",
	} {
		if !strings.Contains(text, want) {
			t.Fatalf("mail text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "1003") {
		t.Fatalf("an order under the waiting threshold was reported:\n%s", text)
	}

	calls := recv.got()
	if len(calls) != 2 || !calls[0].verified || !calls[1].verified || calls[0].delivery != calls[1].delivery ||
		string(calls[0].body) != string(calls[1].body) {
		t.Fatalf("webhook calls = %+v, want the same signed delivery twice", calls)
	}
	var body struct {
		Type   string
		Counts map[string]int
		Events []struct{ Kind, Message, URL string }
	}
	if err := json.Unmarshal(calls[0].body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Type != "alerts.digest" || body.Counts["order_failed"] != 1 || body.Counts["order_waiting"] != 1 ||
		body.Counts["inventory_failed"] != 1 || len(body.Events) != 3 ||
		body.Events[0].URL != "https://ledgerlink.example/orders/"+strconv.FormatInt(failed.ID, 10) {
		t.Fatalf("webhook body = %s", calls[0].body)
	}

	// The settings show both deliveries sent (the webhook on its second attempt), the alerts
	// list the three events sent, and the sync log one line per alert.
	var view struct {
		AlertSettings struct {
			Deliveries []struct {
				Channel, State string
				Attempts       int
			}
		}
		Alerts struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Kind, Message string
					Sent          bool
				}
			}
		}
	}
	c.mustGQL(`{ alertSettings { deliveries { channel state attempts } } alerts(first: 10) { totalCount edges { node { kind message sent } } } }`, nil, &view)
	byChannel := map[string]string{}
	for _, d := range view.AlertSettings.Deliveries {
		byChannel[d.Channel] = d.State + "/" + strconv.Itoa(d.Attempts)
	}
	if byChannel["EMAIL"] != "SENT/1" || byChannel["WEBHOOK"] != "SENT/2" || view.Alerts.TotalCount != 3 {
		t.Fatalf("deliveries %v, %d alerts", byChannel, view.Alerts.TotalCount)
	}
	var logged int
	if err := dbtest.SQL(t).NewRaw(`SELECT count(*) FROM sync_logs WHERE account_id = ? AND source = 'alerts' AND message LIKE 'Alert: %'`, acc).Scan(ctx, &logged); err != nil || logged != 3 {
		t.Fatalf("%d alert lines in the sync log (%v), want 3", logged, err)
	}

	// A new failure ten minutes later waits for the 30-minute interval; the old events are not
	// raised again meanwhile.
	clock.Advance(10 * time.Minute)
	second := alertOrder(t, sc, "1004", db.OrderError, "Customer is inactive in QuickBooks", clock.Now())
	if dels, err := h.CheckAlerts(ctx, acc); err != nil || len(dels) != 0 {
		t.Fatalf("check within the interval: %d deliveries, %v", len(dels), err)
	}
	clock.Advance(21 * time.Minute)
	dels, err = h.CheckAlerts(ctx, acc)
	if err != nil || len(dels) != 2 {
		t.Fatalf("check after the interval: %d deliveries, %v", len(dels), err)
	}
	for _, d := range dels {
		if err := app.Alerts.Deliver(ctx, acc, d.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	if dels, err := h.CheckAlerts(ctx, acc); err != nil || len(dels) != 0 {
		t.Fatalf("check with nothing new: %d deliveries, %v", len(dels), err)
	}
	mails = catcher.Mails()
	if len(mails) != 2 {
		t.Fatalf("%d mails, want 2", len(mails))
	}
	msg, text = readMail(t, mails[1])
	if got := subjectOf(t, msg); got != "Ledgerlink: 1 new alert (Orders failed: 1)" {
		t.Fatalf("second subject = %q", got)
	}
	if !strings.Contains(text, "- Order 1004 from Main Shopify failed: Customer is inactive in QuickBooks\n  https://ledgerlink.example/orders/"+strconv.FormatInt(second.ID, 10)) ||
		strings.Contains(text, "1001") || strings.Contains(text, "1002") {
		t.Fatalf("second digest:\n%s", text)
	}
	if calls := recv.got(); len(calls) != 3 || !calls[2].verified || calls[2].delivery == calls[0].delivery {
		t.Fatalf("webhook calls after the second digest = %d", len(calls))
	}

	// Neither secret is in the sync log.
	var leaks int
	if err := dbtest.SQL(t).NewRaw(`SELECT count(*) FROM sync_logs WHERE account_id = ? AND (message || coalesce(hint, '') || coalesce(details::text, '')) ~ ?`,
		acc, alertsSMTPPassword+"|whsec_").Scan(ctx, &leaks); err != nil || leaks != 0 {
		t.Fatalf("%d log lines hold a secret (%v)", leaks, err)
	}
}

// TestWebConnectorSilentAlertsOnce (issue 16): a Web Connector that stops calling goes late
// (3 × its 5-minute schedule) and then failing (12 ×); the alert check runs every five minutes
// meanwhile and raises one alert, sent in one digest, not one per check. When the Web
// Connector runs again the alert is resolved.
func TestWebConnectorSilentAlertsOnce(t *testing.T) {
	t.Setenv(storenet.AllowPrivateEnv, "1")
	catcher := alertstest.Start(t, alertsSMTPUser, alertsSMTPPassword)
	recv := newHookReceiver(t, http.StatusOK)
	clock := storenettest.NewClock(time.Now().Add(time.Minute).UTC().Truncate(time.Second))
	app, srv := newTestApp(t, withClock(clock.Now), withAlerts(catcher))
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	user, password, connID := qbdConnection(t, c) // "Main company", every 5 minutes
	id, _ := strconv.ParseInt(connID, 10, 64)
	saveAlertSettings(t, c, recv, map[string]any{"kinds": []string{"QBD_SILENT"}, "recipients": []string{},
		"webhookUrl": recv.URL, "digestMinutes": 5, "waitingHours": 24})

	company := qbdsim.New(qbdsim.Config{ValidateSchema: true})
	wc := &qbdsim.WebConnector{URL: srv.URL + "/qbwc", Username: user, Password: password, Company: company, NoOpWait: time.Millisecond}
	if _, err := app.Engine().Enqueue(ctx, qbd.Item{AccountID: owner.AccountID, ConnectionID: id, DocKey: "query:classes:1", Request: qbxml.ClassQuery{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := wc.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t0 := clock.Now()
	h := alertHandlers(app, clock.Now)
	status := func() string {
		var v healthView
		c.mustGQL(healthQuery, map[string]any{"id": connID}, &v)
		return v.QuickBooksDesktopConnection.Health.Status
	}
	sent := 0
	seen := map[string]bool{}
	for step := 1; step <= 13; step++ { // checks every 5 minutes for 65 minutes
		clock.Advance(5 * time.Minute)
		dels, err := h.CheckAlerts(ctx, owner.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dels {
			if err := app.Alerts.Deliver(ctx, owner.AccountID, d.ID, false); err != nil {
				t.Fatal(err)
			}
			sent++
		}
		seen[status()] = true
		if step == 3 && sent != 0 {
			t.Fatalf("alert at 15 minutes, before the Web Connector is late")
		}
		if step == 4 && sent != 1 {
			t.Fatalf("%d deliveries at 20 minutes, want the late alert", sent)
		}
	}
	if !seen["LATE"] || !seen["FAILING"] || sent != 1 {
		t.Fatalf("statuses %v, %d deliveries; want late then failing and one delivery", seen, sent)
	}
	calls := recv.got()
	var body struct {
		Events []struct{ Kind, Message, URL string }
	}
	if len(calls) != 1 || !calls[0].verified || json.Unmarshal(calls[0].body, &body) != nil || len(body.Events) != 1 {
		t.Fatalf("webhook calls = %+v", calls)
	}
	want := "The Web Connector of Main company has not run since " + t0.UTC().Format("2006-01-02 15:04 UTC") + " (it runs every 5 minutes)."
	if e := body.Events[0]; e.Kind != "qbd_silent" || e.Message != want || e.URL != alertsPublicURL+"/web-connector/"+connID {
		t.Fatalf("event = %+v, want %q", e, want)
	}

	// The dashboard's open alerts (alerts(open: true)) list it while the Web Connector is silent.
	const openAlerts = `{ alerts(first: 5, open: true) { totalCount edges { node { kind message link resolvedAt } } } }`
	var open struct {
		Alerts struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Kind, Message, Link string
					ResolvedAt          *string
				}
			}
		}
	}
	c.mustGQL(openAlerts, nil, &open)
	if n := open.Alerts; n.TotalCount != 1 || len(n.Edges) != 1 || n.Edges[0].Node.Kind != "QBD_SILENT" || n.Edges[0].Node.Message != want ||
		n.Edges[0].Node.Link != "/web-connector/"+connID || n.Edges[0].Node.ResolvedAt != nil {
		t.Fatalf("open alerts while silent = %+v, want the one silent alert", n)
	}

	// Back: the alert is resolved at the next check; nothing new is sent.
	if _, err := wc.Run(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if dels, err := h.CheckAlerts(ctx, owner.AccountID); err != nil || len(dels) != 0 {
		t.Fatalf("check after the Web Connector came back: %d deliveries, %v", len(dels), err)
	}
	var v struct {
		Alerts struct {
			Edges []struct {
				Node struct {
					Kind       string
					ResolvedAt *string
				}
			}
		}
	}
	c.mustGQL(`{ alerts(first: 5) { edges { node { kind resolvedAt } } } }`, nil, &v)
	if len(v.Alerts.Edges) != 1 || v.Alerts.Edges[0].Node.ResolvedAt == nil {
		t.Fatalf("alerts = %+v, want the one alert resolved", v.Alerts.Edges)
	}
	open.Alerts.Edges = nil
	c.mustGQL(openAlerts, nil, &open)
	if open.Alerts.TotalCount != 0 || len(open.Alerts.Edges) != 0 {
		t.Fatalf("open alerts once resolved = %+v, want none", open.Alerts)
	}
}

// TestSendTestAlert (issue 16): the "Send test alert" button sends through every channel at
// once and says how each went — delivered, or the receiver's refusal, or an address inside the
// server's network refused unless the operator allows it. Settings are checked on input.
func TestSendTestAlert(t *testing.T) {
	catcher := alertstest.Start(t, alertsSMTPUser, alertsSMTPPassword)
	recv := newHookReceiver(t, http.StatusOK, http.StatusServiceUnavailable)
	app, srv := newTestApp(t, withAlerts(catcher))
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	const send = `mutation { sendTestAlert { channel ok message } }`

	if r := c.gql(send, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("test alert with no channel: %+v", r)
	}
	for _, bad := range []map[string]any{
		{"recipients": []string{"ops@shop.test", "not an address"}},
		{"webhookUrl": "ftp://hooks.example/x"},
		{"webhookUrl": "https://user:pw@hooks.example/x"},
		{"digestMinutes": 1},
		{"waitingHours": 0},
	} {
		in := map[string]any{"kinds": []string{"ORDER_FAILED"}, "recipients": []string{}, "webhookUrl": "", "digestMinutes": 60, "waitingHours": 24}
		for k, v := range bad {
			in[k] = v
		}
		if r := c.gql(updateAlertSettings, map[string]any{"in": in}); r.code() != "BAD_USER_INPUT" {
			t.Fatalf("settings %v accepted: %+v", bad, r)
		}
	}
	_, member := signIn(t, app, srv, owner.AccountID, db.RoleMember)
	if r := member.gql(send, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("a member sent a test alert: %+v", r)
	}

	saveAlertSettings(t, c, recv, map[string]any{"kinds": []string{"ORDER_FAILED"}, "recipients": []string{"ops@shop.test"},
		"webhookUrl": recv.URL + "/hook", "digestMinutes": 60, "waitingHours": 24})
	type result struct {
		Channel, Message string
		Ok               bool
	}
	var out struct{ SendTestAlert []result }

	// Off by default: the receiver on 127.0.0.1 is inside the server's network.
	t.Setenv(storenet.AllowPrivateEnv, "")
	c.mustGQL(send, nil, &out)
	if len(out.SendTestAlert) != 2 || out.SendTestAlert[0] != (result{"EMAIL", "Sent to ops@shop.test.", true}) ||
		out.SendTestAlert[1].Ok || !strings.Contains(out.SendTestAlert[1].Message, "inside Ledgerlink's own network") || len(recv.got()) != 0 {
		t.Fatalf("test alert to a private address = %+v", out.SendTestAlert)
	}
	msg, text := readMail(t, catcher.Mails()[0])
	if subjectOf(t, msg) != "Ledgerlink test alert" || !strings.Contains(text, "This is a test alert from Ledgerlink.") {
		t.Fatalf("test mail: %q\n%s", subjectOf(t, msg), text)
	}

	t.Setenv(storenet.AllowPrivateEnv, "1")
	c.mustGQL(send, nil, &out)
	if w := out.SendTestAlert[1]; !w.Ok || w.Message != "Delivered to "+recv.URL+"/hook." {
		t.Fatalf("webhook test = %+v", w)
	}
	calls := recv.got()
	var body struct{ Type string }
	if len(calls) != 1 || !calls[0].verified || json.Unmarshal(calls[0].body, &body) != nil || body.Type != "alerts.test" {
		t.Fatalf("webhook calls = %+v", calls)
	}
	c.mustGQL(send, nil, &out) // the receiver now answers 503
	if w := out.SendTestAlert[1]; w.Ok || !strings.Contains(w.Message, "HTTP 503") {
		t.Fatalf("webhook test against a 503 = %+v", w)
	}
	// A test alert is tried once: its delivery is failed for good, with the receiver's answer.
	var view struct {
		AlertSettings struct {
			Deliveries []struct {
				Channel, State, LastError string
				Test                      bool
			}
		}
	}
	c.mustGQL(`{ alertSettings { deliveries { channel state lastError test } } }`, nil, &view)
	if d := view.AlertSettings.Deliveries; len(d) < 2 || d[0].Channel != "WEBHOOK" || d[0].State != "FAILED" || !d[0].Test ||
		!strings.Contains(d[0].LastError, "HTTP 503") || d[1].Channel != "EMAIL" || d[1].State != "SENT" {
		t.Fatalf("latest deliveries = %+v", d)
	}

	// Rotating the secret: the next call is signed with the new one only.
	var rot struct {
		RotateAlertWebhookSecret struct{ WebhookSecret string }
	}
	c.mustGQL(`mutation { rotateAlertWebhookSecret { webhookSecret } }`, nil, &rot)
	recv.mu.Lock()
	recv.statuses = []int{http.StatusOK}
	recv.mu.Unlock()
	c.mustGQL(send, nil, &out)
	if calls := recv.got(); calls[len(calls)-1].verified {
		t.Fatal("a call after rotation verified with the old secret")
	}
	recv.setSecret(rot.RotateAlertWebhookSecret.WebhookSecret)
	c.mustGQL(send, nil, &out)
	if calls := recv.got(); !calls[len(calls)-1].verified {
		t.Fatal("a call after rotation does not verify with the new secret")
	}
}

// TestStoreCredentialsRejectedAlert (issue 16): a pull the store answers with 401 raises one
// "credentials rejected" alert (not one per failed pull, also a line of the sync log); the
// first pull the store accepts again resolves it.
func TestStoreCredentialsRejectedAlert(t *testing.T) {
	catcher := alertstest.Start(t, alertsSMTPUser, alertsSMTPPassword)
	app, srv := newTestApp(t, withAlerts(catcher))
	ctx := context.Background()
	owner, c := signIn(t, app, srv, 0, db.RoleOwner)
	_, _, _, sc := fixtureShipStation(t, app, owner.AccountID, orders.Settings{})
	saveAlertSettings(t, c, nil, map[string]any{"kinds": []string{"STORE_AUTH"}, "recipients": []string{"ops@shop.test"},
		"webhookUrl": "", "digestMinutes": 5, "waitingHours": 24})
	setKey := func(key string) {
		t.Helper()
		creds, _ := json.Marshal(ordersync.Credentials{APIKey: key, APISecret: shipstationsim.DefaultAPISecret})
		sc.Credentials = app.Sealer.Seal(creds, db.CredentialsAAD(sc.ID))
		if err := app.DB.UpdateStoreConnection(ctx, sc, "credentials"); err != nil {
			t.Fatal(err)
		}
	}
	h := &jobs.Handlers{DB: app.DB, Log: app.Log, Redis: app.Redis, Client: app.tasks, Pipeline: app.Pipeline,
		Sources: channels.Sources, Sealer: app.Sealer, Alerts: app.Alerts}
	pull := func() error {
		task, err := jobs.NewPullTask(jobs.PullPayload{AccountID: owner.AccountID, ConnectionID: sc.ID})
		if err != nil {
			t.Fatal(err)
		}
		return h.HandlePull(ctx, task)
	}
	setKey("revoked-key")
	for range 3 {
		if err := pull(); !errors.Is(err, storenet.ErrUnauthorized) {
			t.Fatalf("pull with a revoked key: %v", err)
		}
	}
	var v struct {
		Alerts struct {
			Edges []struct {
				Node struct {
					Kind, Message, Link string
					ResolvedAt          *string
				}
			}
		}
	}
	const list = `{ alerts(first: 5) { edges { node { kind message link resolvedAt } } } }`
	c.mustGQL(list, nil, &v)
	if len(v.Alerts.Edges) != 1 {
		t.Fatalf("alerts after three refused pulls = %+v, want one", v.Alerts.Edges)
	}
	if n := v.Alerts.Edges[0].Node; n.Kind != "STORE_AUTH" || n.Link != "/connections" || n.ResolvedAt != nil ||
		!strings.HasPrefix(n.Message, "ShipStation refused Ledgerlink's credentials: ") || !strings.Contains(n.Message, "401") {
		t.Fatalf("alert = %+v", n)
	}
	dels, err := h.CheckAlerts(ctx, owner.AccountID)
	if err != nil || len(dels) != 1 {
		t.Fatalf("check: %d deliveries, %v", len(dels), err)
	}
	if err := app.Alerts.Deliver(ctx, owner.AccountID, dels[0].ID, false); err != nil {
		t.Fatal(err)
	}
	if msg, _ := readMail(t, catcher.Mails()[0]); subjectOf(t, msg) != "Ledgerlink: 1 new alert (Store credentials rejected: 1)" {
		t.Fatalf("subject = %q", subjectOf(t, msg))
	}

	setKey(shipstationsim.DefaultAPIKey)
	if err := pull(); err != nil {
		t.Fatal(err)
	}
	c.mustGQL(list, nil, &v)
	if len(v.Alerts.Edges) != 1 || v.Alerts.Edges[0].Node.ResolvedAt == nil {
		t.Fatalf("alerts after a good pull = %+v, want the alert resolved", v.Alerts.Edges)
	}
}
