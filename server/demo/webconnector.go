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
		return c, c.Seed()
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
