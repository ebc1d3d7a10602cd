// Package alerts tells an account's people what went wrong: it renders a digest of alert
// events (db.AlertEvent) and delivers it by e-mail over SMTP and as a signed webhook. Which
// events are raised, and when a digest is due, is the db package's (db/alert.go); the asynq
// tasks that drive both are in jobs (alerts_tasks.go). See README.md for the wire contract.
package alerts

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
)

// KindTitles name each event kind in a digest.
var KindTitles = map[string]string{
	db.AlertOrderFailed:     "Orders failed",
	db.AlertOrderWaiting:    "Orders waiting",
	db.AlertQBDSilent:       "Web Connector silent or failing",
	db.AlertStoreAuth:       "Store credentials rejected",
	db.AlertInventoryFailed: "Inventory pushes failing",
	db.AlertSweepGap:        "Missed orders",
}

// Digest is what one delivery says: the events of one digest, grouped by kind.
type Digest struct {
	DeliveryID int64
	Test       bool
	CreatedAt  time.Time
	Events     []db.AlertEvent // grouped by kind (db.GetAlertDelivery's order)
	PublicURL  string          // links are PublicURL + the event's SPA path
}

// Group is one kind's events.
type Group struct {
	Kind   string
	Title  string
	Events []db.AlertEvent
}

// Groups returns the events by kind, in db.AlertKinds order, empty kinds left out.
func (d *Digest) Groups() []Group {
	var out []Group
	for _, kind := range db.AlertKinds {
		g := Group{Kind: kind, Title: KindTitles[kind]}
		for _, e := range d.Events {
			if e.Kind == kind {
				g.Events = append(g.Events, e)
			}
		}
		if len(g.Events) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func (d *Digest) link(path string) string {
	if path == "" {
		return ""
	}
	return d.PublicURL + path
}

// Subject is the e-mail's subject: the count and the kinds with theirs.
func (d *Digest) Subject() string {
	if d.Test {
		return "Ledgerlink test alert"
	}
	var parts []string
	for _, g := range d.Groups() {
		parts = append(parts, fmt.Sprintf("%s: %d", g.Title, len(g.Events)))
	}
	return fmt.Sprintf("Ledgerlink: %d new alert%s (%s)", len(d.Events), plural(len(d.Events)), strings.Join(parts, ", "))
}

// Text is the e-mail's plain-text body.
func (d *Digest) Text() string {
	var b strings.Builder
	if d.Test {
		b.WriteString("This is a test alert from Ledgerlink. Alerts for your account will arrive like this one.\n\n")
	} else {
		fmt.Fprintf(&b, "New since the last alert digest (%s):\n", d.CreatedAt.UTC().Format("2006-01-02 15:04 MST"))
		for _, g := range d.Groups() {
			fmt.Fprintf(&b, "\n%s (%d)\n", g.Title, len(g.Events))
			for _, e := range g.Events {
				fmt.Fprintf(&b, "- %s\n", e.Message)
				if l := d.link(e.Link); l != "" {
					fmt.Fprintf(&b, "  %s\n", l)
				}
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Choose which alerts you get and who gets them: %s\n", d.link("/settings#alerts"))
	return b.String()
}

// WebhookEvent is one event in a webhook's body.
type WebhookEvent struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	Message    string     `json:"message"`
	URL        string     `json:"url,omitempty"`
	RaisedAt   time.Time  `json:"raisedAt"`
	ResolvedAt *time.Time `json:"resolvedAt,omitempty"`
}

// WebhookBody is the JSON a webhook delivers. ID is the delivery's: the same on every retry.
type WebhookBody struct {
	ID        int64          `json:"id"`
	Type      string         `json:"type"` // "alerts.digest" or "alerts.test"
	CreatedAt time.Time      `json:"createdAt"`
	Counts    map[string]int `json:"counts"`
	Events    []WebhookEvent `json:"events"`
}

// JSON is the webhook's body.
func (d *Digest) JSON() []byte {
	body := WebhookBody{ID: d.DeliveryID, Type: "alerts.digest", CreatedAt: d.CreatedAt.UTC(), Counts: map[string]int{}, Events: []WebhookEvent{}}
	if d.Test {
		body.Type = "alerts.test"
	}
	for _, e := range d.Events {
		body.Counts[e.Kind]++
		body.Events = append(body.Events, WebhookEvent{ID: e.ID, Kind: e.Kind, Message: e.Message, URL: d.link(e.Link),
			RaisedAt: e.RaisedAt.UTC(), ResolvedAt: e.ResolvedAt})
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic("alerts: webhook body: " + err.Error()) // plain types only: cannot fail
	}
	return b
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
