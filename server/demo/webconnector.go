package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// WebConnector runs a simulated QuickBooks Web Connector with a simulated company file against
// url every interval until ctx ends, the way a merchant's PC would, so the demo account shows
// real Web Connector sessions. The company is kept in companyPath (created with starter data
// when missing) so people can look at what QuickBooks would hold; each session runs under the
// file's lock and starts from the file when another process changed it, so stock changed with
// `ledgerlink sim qbd adjust` while the demo runs reaches the next session.
func WebConnector(ctx context.Context, log *slog.Logger, url, user, password, companyPath string, every time.Duration) error {
	if err := os.MkdirAll(filepath.Dir(companyPath), 0o755); err != nil {
		return err
	}
	file := &qbdsim.SharedFile{Path: companyPath, Create: func(cfg qbdsim.Config) (*qbdsim.Company, error) {
		cfg.CompanyName = "Ledgerlink Demo Company"
		c := qbdsim.New(cfg)
		if err := c.Seed(); err != nil {
			return nil, err
		}
		return c, seedShipStationSales(c)
	}}
	wc := &qbdsim.WebConnector{URL: url, Username: user, Password: password, ClientVersion: "2.3.0.36"}
	for {
		var rep qbdsim.RunReport
		err := file.Update(func(c *qbdsim.Company) error {
			wc.Company = c
			var err error
			rep, err = wc.Run(ctx)
			return err
		})
		if errors.Is(err, context.Canceled) {
			return nil
		}
		if err != nil {
			log.Warn("demo web connector: session failed", "err", err)
		} else if !rep.NoWork {
			log.Info("demo web connector: session", "message_sets", rep.MessageSets, "requests", rep.RequestsApplied, "last_error", rep.LastError)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(every):
		}
	}
}

// seedShipStationSales enters, as someone at the QuickBooks PC would, a few sales in class
// ShipStation that the demo's ShipStation connection sends on the first Web Connector runs:
// an invoice to a company with an ATTN line, a Canadian sales receipt and a sales order.
func seedShipStationSales(c *qbdsim.Company) error {
	rq := `<ClassAddRq><ClassAdd><Name>ShipStation</Name></ClassAdd></ClassAddRq>` +
		`<ShipMethodAddRq><ShipMethodAdd><Name>UPSGrd</Name></ShipMethodAdd></ShipMethodAddRq>` +
		`<CustomerAddRq><CustomerAdd><Name>Acme Corp</Name><CompanyName>Acme Corp</CompanyName><FirstName>Jane</FirstName><LastName>Roe</LastName><Phone>312-555-0140</Phone><Email>jane.roe@acme.example</Email></CustomerAdd></CustomerAddRq>` +
		`<CustomerAddRq><CustomerAdd><Name>Maple Leaf Outfitters</Name><CompanyName>Maple Leaf Outfitters</CompanyName><FirstName>Luc</FirstName><LastName>Tremblay</LastName><Phone>514-555-0199</Phone><Email>luc@mapleleaf.example</Email></CustomerAdd></CustomerAddRq>` +
		`<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme Corp</FullName></CustomerRef><ClassRef><FullName>ShipStation</FullName></ClassRef><RefNumber>QB-7001</RefNumber>` +
		`<ShipAddress><Addr1>Acme Corp</Addr1><Addr2>ATTN: Jane Roe</Addr2><Addr3>400 W Madison St</Addr3><Addr4>Suite 1200</Addr4><City>Chicago</City><State>IL</State><PostalCode>60606</PostalCode></ShipAddress>` +
		`<ShipMethodRef><FullName>UPSGrd</FullName></ShipMethodRef><InvoiceLineAdd><ItemRef><FullName>Widget</FullName></ItemRef><Quantity>3</Quantity><Rate>19.99</Rate></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>` +
		`<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Maple Leaf Outfitters</FullName></CustomerRef><ClassRef><FullName>ShipStation</FullName></ClassRef><RefNumber>QB-7002</RefNumber>` +
		`<ShipAddress><Addr1>Luc Tremblay</Addr1><Addr2>1200 Rue Sainte-Catherine O</Addr2><City>Montreal</City><State>QC</State><PostalCode>H3B 1K9</PostalCode></ShipAddress>` +
		`<SalesReceiptLineAdd><ItemRef><FullName>Gadget</FullName></ItemRef><Quantity>2</Quantity><Rate>49.00</Rate></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>` +
		`<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Jane Doe</FullName></CustomerRef><ClassRef><FullName>ShipStation</FullName></ClassRef><RefNumber>QB-7003</RefNumber>` +
		`<ShipMethodRef><FullName>UPS</FullName></ShipMethodRef><SalesOrderLineAdd><ItemRef><FullName>Gizmo Deluxe</FullName></ItemRef><Quantity>1</Quantity></SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>`
	resp, err := c.ProcessQBXML(`<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">` + rq + `</QBXMLMsgsRq></QBXML>`)
	if err != nil {
		return fmt.Errorf("demo: ShipStation sales: %w", err)
	}
	if strings.Contains(resp, `statusSeverity="Error"`) {
		return fmt.Errorf("demo: ShipStation sales refused: %.300s", resp)
	}
	return nil
}
