package qbwc

import (
	"strings"
	"testing"
)

// The version a session speaks comes from the HostQueryRs the Web Connector passes with its
// first sendRequestXML; the expected choices are written by hand from the SDK's version list.
func TestChooseVersionFromHostResponse(t *testing.T) {
	hcp := func(versions ...string) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><HostRet><ProductName>QuickBooks Premier 2013</ProductName>`)
		for _, v := range versions {
			b.WriteString("<SupportedQBXMLVersion>" + v + "</SupportedQBXMLVersion>")
		}
		b.WriteString(`</HostRet></HostQueryRs></QBXMLMsgsRs></QBXML>`)
		return b.String()
	}
	for _, tc := range []struct {
		name     string
		versions []string
		want     string
	}{
		{"2024 lists 16.0", []string{"1.0", "13.0", "14.0", "15.0", "16.0"}, "16.0"},
		{"2013 stops at 13.0", []string{"1.0", "2.0", "12.0", "13.0"}, "13.0"},
		{"Canadian edition", []string{"CA2.0", "CA3.0", "13"}, "13.0"},
	} {
		got, err := chooseVersion(hcp(tc.versions...))
		if err != nil || got != tc.want {
			t.Errorf("%s: chooseVersion = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	_, err := chooseVersion(hcp("1.0", "5.0", "12.0"))
	if err == nil || err.Error() != "QuickBooks supports qbXML 1.0, 5.0, 12.0 only; Ledgerlink needs 13.0 or later (QuickBooks Desktop 2013+)" {
		t.Errorf("QuickBooks 2012: %v", err)
	}
}
