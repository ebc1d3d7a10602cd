package qbwc

import (
	"fmt"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
)

// Problem kinds: the documented ways a Web Connector stops syncing (research/qbwc.md §2.6–2.7,
// seed 001), each recognised from what the Web Connector reported.
const (
	ProblemSilent           = "silent"             // no call at all: PC asleep or off, Web Connector closed or not on Auto-Run
	ProblemQuickBooksClosed = "quickbooks_closed"  // 0x80040408: the Web Connector could not start QuickBooks
	ProblemDialogBlocking   = "dialog_blocking"    // 0x80040401/0x80040402: QuickBooks busy, a dialog box waiting
	ProblemWrongCompanyFile = "wrong_company_file" // 0x80040416/0x80040417, or another file answered
	ProblemPermission       = "permission_denied"  // 0x80040420: not allowed in Integrated Applications
	ProblemAuthTimeout      = "auth_timeout"       // "Authentication failed" after the 2-minute timeout, or an answer lost
	ProblemPassword         = "password"           // wrong password: reset in Ledgerlink, or mistyped
	ProblemServerError      = "server_error"       // Ledgerlink could not answer authenticate
	ProblemRejected         = "rejected"           // QuickBooks refused a whole message set, or the version check failed
	ProblemConnection       = "connection_error"   // any other connectionError
)

// Problem is one documented failure found in a connection's recent Web Connector activity.
type Problem struct {
	Kind     string
	Title    string
	Evidence string // what was recorded, in the Web Connector's or QuickBooks' words
	Fix      string // what to do
	At       time.Time
}

// problemText is the title and fix of each kind.
var problemText = map[string][2]string{
	ProblemSilent: {"The Web Connector has stopped calling",
		"Wake the computer that runs the QuickBooks Web Connector (and set it not to sleep), sign in to Windows, open the Web Connector and make sure Auto-Run is ticked for Ledgerlink. The Web Connector needs a signed-in Windows user; it cannot run as a service."},
	ProblemQuickBooksClosed: {"QuickBooks is closed and the Web Connector could not start it",
		"Open QuickBooks Desktop and the company file on the computer that runs the Web Connector, then click Update Selected in the Web Connector. To let it start QuickBooks by itself, choose \"Yes, always allow access even if QuickBooks is not running\" in Edit > Preferences > Integrated Applications."},
	ProblemDialogBlocking: {"QuickBooks did not answer: a dialog box is probably waiting",
		"Look at QuickBooks on that computer: close any open dialog (update available, backup reminder, a form being edited), switch to single-user mode if asked, then run the Web Connector again."},
	ProblemWrongCompanyFile: {"A different company file is open in QuickBooks",
		"Open the company file this connection belongs to, or clear the company file path in the connection's settings to use whichever file is open."},
	ProblemPermission: {"QuickBooks does not allow Ledgerlink to access the company file",
		"In QuickBooks, sign in as Admin, open Edit > Preferences > Integrated Applications > Company Preferences, select Ledgerlink and allow it access (tick \"Allow this application to read and modify this company file\")."},
	ProblemAuthTimeout: {"The Web Connector gave up waiting (\"Authentication failed\")",
		"The Web Connector stops waiting for an answer after about two minutes and then shows \"Authentication failed\". Nothing is lost: what was in flight is checked with QuickBooks before anything is sent again. If it repeats, check the computer's internet connection, and that QuickBooks is not busy with another task (a backup, a large report) while the Web Connector runs."},
	ProblemPassword: {"The Web Connector's password is wrong",
		"The password was reset in Ledgerlink or mistyped. In the Web Connector, click the Password field of Ledgerlink's line, type the password Ledgerlink showed (or reset it on the Connections page and type the new one), and save."},
	ProblemServerError: {"Ledgerlink could not answer the Web Connector",
		"Ledgerlink answered the Web Connector with an error; it retries on the next scheduled run. If this repeats, contact support with the time shown."},
	ProblemRejected: {"QuickBooks refused what Ledgerlink sent",
		"The message below is QuickBooks'. The requests concerned are marked failed in the work queue, where each can be fixed and sent again."},
	ProblemConnection: {"The Web Connector could not connect to QuickBooks",
		"Check that QuickBooks Desktop is running with the company file open on the computer that runs the Web Connector, then run the Web Connector again."},
}

// hresultKind maps the HRESULTs the Web Connector reports with connectionError onto kinds.
func hresultKind(hresult string) string {
	switch strings.ToLower(strings.TrimSpace(hresult)) {
	case "0x80040408":
		return ProblemQuickBooksClosed
	case "0x80040401", "0x80040402":
		return ProblemDialogBlocking
	case "0x80040420":
		return ProblemPermission
	case "0x80040416", "0x80040417":
		return ProblemWrongCompanyFile
	default:
		return ProblemConnection
	}
}

func newProblem(kind, evidence string, at time.Time) Problem {
	t := problemText[kind]
	return Problem{Kind: kind, Title: t[0], Fix: t[1], Evidence: evidence, At: at}
}

// Diagnose explains what is wrong with connection c now, from its health h and its latest runs
// (newest first): one problem per kind, the latest evidence, newest first. Only what still
// stands is reported: failed authenticates since the last good one, the runs that failed since
// the last good run, and silence past the late threshold. Nothing wrong gives none.
func Diagnose(c *db.QBDConnection, h db.QBDHealth, runs []db.QBWCSession, now time.Time) []Problem {
	var out []Problem
	seen := map[string]bool{}
	add := func(p Problem) {
		if !seen[p.Kind] {
			seen[p.Kind] = true
			out = append(out, p)
		}
	}
	if (h.Status == db.HealthLate || h.Status == db.HealthFailing) && h.Reason == "silent" {
		last := "never"
		if h.LastAuthAt != nil {
			last = h.LastAuthAt.UTC().Format("2006-01-02 15:04 MST")
		}
		add(newProblem(ProblemSilent, fmt.Sprintf("No Web Connector run since %s; it is set to run every %d minutes.", last, c.RunEveryMinutes), h.Since))
	}
	if c.AuthFailures > 0 && c.AuthFailureLastAt != nil {
		kind := map[string]string{db.AuthFailPassword: ProblemPassword, db.AuthFailTimeout: ProblemAuthTimeout, db.AuthFailError: ProblemServerError}[c.AuthFailureKind]
		if kind != "" {
			add(newProblem(kind, fmt.Sprintf("%d failed sign-in(s) in a row, the last at %s.", c.AuthFailures,
				c.AuthFailureLastAt.UTC().Format("2006-01-02 15:04 MST")), *c.AuthFailureLastAt))
		}
	}
	for i := range runs {
		r := &runs[i]
		if r.State != db.SessionClosed {
			continue
		}
		if !db.RunFailed(r) {
			break
		}
		at := r.StartedAt
		if r.ClosedAt != nil {
			at = *r.ClosedAt
		}
		switch r.EndReason {
		case db.SessionEndConnectionError:
			evidence := strings.TrimSpace(r.HResult + ": " + r.LastError)
			add(newProblem(hresultKind(r.HResult), evidence, at))
		case db.SessionEndTakenOver, db.SessionEndExpired:
			add(newProblem(ProblemAuthTimeout, fmt.Sprintf("A run that started at %s stopped answering after %d of %d requests; the next run checked what was in flight.",
				r.StartedAt.UTC().Format("15:04:05 MST"), r.DoneRequests, r.SentRequests), at))
		default:
			add(newProblem(ProblemRejected, r.LastError, at))
		}
	}
	// A run that answered from another company file than the one asked for.
	if c.CompanyFile != "" {
		for i := range runs {
			f := runs[i].CompanyFile
			if f == "" {
				continue
			}
			if !strings.EqualFold(f, c.CompanyFile) {
				add(newProblem(ProblemWrongCompanyFile, fmt.Sprintf("QuickBooks answered from %q; this connection is for %q.", f, c.CompanyFile), runs[i].StartedAt))
			}
			break // only the latest run that named its file counts
		}
	}
	return out
}
