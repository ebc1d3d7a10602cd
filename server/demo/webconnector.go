package demo

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

// WebConnector runs a simulated QuickBooks Web Connector with a simulated company file against
// url every interval until ctx ends, the way a merchant's PC would, so the demo account shows
// real Web Connector sessions. The company is kept in companyPath (created with starter data
// when missing) so people can look at what QuickBooks would hold.
func WebConnector(ctx context.Context, log *slog.Logger, url, user, password, companyPath string, every time.Duration) error {
	var company *qbdsim.Company
	var err error
	if _, statErr := os.Stat(companyPath); statErr == nil {
		company, err = qbdsim.Load(companyPath, qbdsim.Config{})
	} else {
		company = qbdsim.New(qbdsim.Config{CompanyName: "Ledgerlink Demo Company"})
		err = company.Seed()
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(companyPath), 0o755); err != nil {
		return err
	}
	wc := &qbdsim.WebConnector{URL: url, Username: user, Password: password, Company: company, ClientVersion: "2.3.0.36"}
	for {
		rep, err := wc.Run(ctx)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		if err != nil {
			log.Warn("demo web connector: session failed", "err", err)
		} else if !rep.NoWork {
			log.Info("demo web connector: session", "message_sets", rep.MessageSets, "requests", rep.RequestsApplied, "last_error", rep.LastError)
		}
		if err := company.Save(companyPath); err != nil {
			log.Warn("demo web connector: save company", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(every):
		}
	}
}
