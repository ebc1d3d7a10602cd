package qbwc

import (
	"io"
	"net/http"
)

// SupportPage is the AppSupport URL of the .qwc file. The Web Connector refuses to add an
// application whose support URL does not answer 200, and shows it to the user when they ask
// for help.
func SupportPage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// A failed write means the client has gone; there is no one left to tell.
	_, _ = io.WriteString(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ledgerlink – Web Connector help</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;line-height:1.5">
<h1>Ledgerlink and the QuickBooks Web Connector</h1>
<ol>
<li>Open QuickBooks Desktop as Admin with the company file you want to sync.</li>
<li>In the Web Connector choose <b>File &gt; Add an application</b> and open the <code>.qwc</code> file from Ledgerlink's Connections page; allow access when QuickBooks asks.</li>
<li>Type the password Ledgerlink showed you into the application's <b>Password</b> field, tick <b>Auto-Run</b> and click <b>Update Selected</b>.</li>
</ol>
<p><b>"Authentication failed" or a wrong password:</b> reset the password on the Connections page and type the new one into the Web Connector.</p>
<p><b>QuickBooks not running / wrong company file:</b> open QuickBooks with the right company file on the computer that runs the Web Connector.</p>
<p>Every run is recorded in Ledgerlink's <b>Logs</b> page with what to do about each error.</p>
</body></html>`)
}
