package qbwc

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
)

// QWC renders the .qwc file that adds a connection to the QuickBooks Web Connector. The
// password is not in it: the Web Connector asks for it and stores it encrypted. OwnerID and
// FileID are the connection's own stable GUIDs, so re-adding the file updates the same entry.
func QWC(c *db.QBDConnection, publicURL string) string {
	base := strings.TrimRight(publicURL, "/")
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?>` + "\n<QBWCXML>\n")
	el := func(name, value string) {
		b.WriteString("\t<" + name + ">")
		_ = xml.EscapeText(&b, []byte(value)) // a bytes.Buffer does not fail
		b.WriteString("</" + name + ">\n")
	}
	el("AppName", "Ledgerlink - "+c.Name)
	el("AppID", "")
	el("AppURL", base+"/qbwc")
	el("AppDescription", "Ledgerlink syncs store orders and inventory with this company file.")
	el("AppSupport", base+"/qbwc/support")
	el("UserName", c.WCUsername)
	el("OwnerID", "{"+strings.ToUpper(c.OwnerID)+"}")
	el("FileID", "{"+strings.ToUpper(c.FileID)+"}")
	el("QBType", "QBFS")
	fmt.Fprintf(&b, "\t<Scheduler>\n\t\t<RunEveryNMinutes>%d</RunEveryNMinutes>\n\t</Scheduler>\n", c.RunEveryMinutes)
	el("IsReadOnly", "false")
	b.WriteString("</QBWCXML>\n")
	return b.String()
}
