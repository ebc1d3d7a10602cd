package qbwc

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ledgerlink/ledgerlink/jobs/qbxml"
)

// chooseVersion picks the newest qbXML version both sides speak from the HostQueryRs in the
// first sendRequestXML's strHCPResponse, by qbxml.ChooseVersion's rule (the one rule for it).
func chooseVersion(hcp string) (string, error) {
	supported, err := supportedVersions(hcp)
	if err != nil {
		return "", err
	}
	v, err := qbxml.ChooseVersion(&qbxml.HostRet{SupportedQBXMLVersions: supported})
	if errors.Is(err, qbxml.ErrUnsupportedVersion) {
		// The merchant reads this (the log, the Web Connector's getLastError): their words, not qbxml's.
		return "", fmt.Errorf("QuickBooks supports qbXML %s only; Ledgerlink needs 13.0 or later (QuickBooks Desktop 2013+)",
			strings.Join(supported, ", "))
	}
	return v, err
}

// supportedVersions lists every SupportedQBXMLVersion element of the HCP response.
func supportedVersions(hcp string) ([]string, error) {
	dec := xml.NewDecoder(strings.NewReader(hcp))
	dec.Strict = false
	var out []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the QuickBooks host response could not be read: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "SupportedQBXMLVersion" {
			var v string
			if err := dec.DecodeElement(&v, &se); err != nil {
				return nil, fmt.Errorf("the QuickBooks host response could not be read: %w", err)
			}
			out = append(out, strings.TrimSpace(v))
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the QuickBooks host response lists no supported qbXML versions")
	}
	return out, nil
}
