package graph

import (
	"context"
	"strconv"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/ssexport"
)

// shipStationConnection returns the caller's store connection id when it is a ShipStation one.
func (r *Resolver) shipStationConnection(ctx context.Context, id int64) (*db.StoreConnection, error) {
	c, err := r.DB.GetStoreConnection(ctx, identity(ctx).AccountID, id)
	if err != nil {
		return nil, err
	}
	if c.Channel != "shipstation" {
		return nil, badInput("connectionId", "%s is not a ShipStation connection.", c.Name)
	}
	return c, nil
}

// shipStationStores asks ShipStation for the account's stores (Manual Orders included).
func (r *Resolver) shipStationStores(ctx context.Context, c *db.StoreConnection) ([]*model.ShipStationStore, error) {
	client, err := ssexport.ClientFor(r.Sealer)(ctx, c)
	if err != nil {
		return nil, err
	}
	stores, err := client.Stores(ctx)
	if err != nil {
		return nil, badInput("connectionId", "ShipStation did not list its stores: %s", err.Error())
	}
	out := make([]*model.ShipStationStore, 0, len(stores))
	for _, s := range stores {
		out = append(out, &model.ShipStationStore{ID: int(s.StoreID), Name: s.StoreName, Marketplace: s.MarketplaceName, Active: s.Active})
	}
	return out, nil
}

// notifyShipStationExport queues a push of the connection's waiting sales (best effort: the
// next Web Connector run's read queues one too).
func (r *Resolver) notifyShipStationExport(ctx context.Context, accountID, connID int64) {
	if r.Tasks == nil {
		return
	}
	if err := jobs.ShipStationExportNotifier(r.Tasks)(ctx, accountID, connID); err != nil && r.Log != nil {
		r.Log.Warn("graph: queue shipstation export", "err", err)
	}
}

// testRefNumbers checks the test-sales list: QuickBooks order numbers of at most 11 characters.
func testRefNumbers(in []string) ([]string, error) {
	s := orders.QuickBooksToShipStationSettings{TestOrderNumbers: in}.WithDefaults()
	if err := s.Validate(); err != nil {
		return nil, badInput("refNumbers", "%s", strings.TrimPrefix(err.Error(), "quickbooksToShipStation."))
	}
	if len(s.TestOrderNumbers) == 0 {
		return nil, badInput("refNumbers", "Enter at least one QuickBooks order number, e.g. 1001.")
	}
	return s.TestOrderNumbers, nil
}

func exportFilter(state, search *string) (db.ShipStationExportFilter, error) {
	var f db.ShipStationExportFilter
	if state != nil && *state != "" {
		switch *state {
		case db.ExportReading, db.ExportPending, db.ExportSent, db.ExportFailed, db.ExportParked, db.ExportLocked:
			f.State = *state
		default:
			return f, badInput("state", "state is one of reading, pending, sent, failed, parked, locked")
		}
	}
	s, err := searchArg(search)
	f.Search = s
	return f, err
}

func toShipStationExport(e *db.ShipStationExport) *model.ShipStationExport {
	out := &model.ShipStationExport{ID: e.ID, TxnID: e.TxnID, RefNumber: e.RefNumber, Customer: e.Customer, OrderKey: e.OrderKey,
		ShipStationStoreID: int(e.SSStoreID), ShipStationStatus: e.SSStatus, State: e.State, Result: e.LastResult, Test: e.Test,
		SentAt: e.SentAt, UpdatedAt: e.UpdatedAt}
	switch e.TxnType {
	case shipstation.KeyInvoice:
		out.TxnType = model.TransactionTypeInvoice
	case shipstation.KeySalesOrder:
		out.TxnType = model.TransactionTypeSalesOrder
	default:
		out.TxnType = model.TransactionTypeSalesReceipt
	}
	if e.TxnDate != nil {
		d := e.TxnDate.Format("2006-01-02")
		out.TxnDate = &d
	}
	if e.SSOrderID != nil {
		id := strconv.FormatInt(*e.SSOrderID, 10)
		out.ShipStationOrderID = &id
	}
	return out
}

// queueTestSales queues the test-sales list of saved settings (seed 004 step 5) for the next
// Web Connector run.
func (r *Resolver) queueTestSales(ctx context.Context, c *db.StoreConnection, in *model.PostingSettingsInput) error {
	if in == nil || in.QuickbooksToShipStation == nil || len(in.QuickbooksToShipStation.TestOrderNumbers) == 0 || c.Channel != "shipstation" {
		return nil
	}
	refs, err := testRefNumbers(in.QuickbooksToShipStation.TestOrderNumbers)
	if err != nil {
		return err
	}
	return r.DB.RequestShipStationTests(ctx, c.AccountID, c.ID, refs)
}
