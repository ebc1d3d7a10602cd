package graph

import (
	"strconv"
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/jobs/orders"
	"github.com/ledgerlink/ledgerlink/jobs/shipback"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
)

var txnTypeNames = map[string]string{shipstation.KeySalesReceipt: "SalesReceipt", shipstation.KeyInvoice: "Invoice", shipstation.KeySalesOrder: "SalesOrder"}

func shipBackStatusToDB(s model.ShipmentBackStatus) string { return strings.ToLower(string(s)) }

func toShipmentBack(s *db.ShipBack) *model.ShipmentBack {
	out := &model.ShipmentBack{ID: s.ID, Source: strings.ToUpper(s.Source), SourceID: strconv.FormatInt(s.SourceID, 10),
		OrderNumber: s.OrderNumber, QuickBooksTxnType: txnTypeNames[s.TxnType], QuickBooksTxnID: s.TxnID,
		TrackingNumber: s.TrackingNumber, Carrier: shipback.CarrierName(s.Carrier), Service: s.Service,
		Cost: orders.Money(s.CostCents).String(), Status: model.ShipmentBackStatus(strings.ToUpper(s.Status)),
		Message: s.Message, Hint: s.Hint, CreatedAt: s.CreatedAt, AppliedAt: s.AppliedAt, VoidedAt: s.VoidedAt}
	if s.ShipDate != nil {
		d := s.ShipDate.Format("2006-01-02")
		out.ShipDate = &d
	}
	return out
}

func toShipmentsBackState(sc *db.StoreConnection, st *db.ShipBackState) (*model.ShipmentsBackState, error) {
	set, err := shipback.Settings(sc)
	if err != nil {
		return nil, err
	}
	on, why := shipback.On(sc, set)
	return &model.ShipmentsBackState{On: on, OffReason: why, WebhookRegistered: st.WebhookID != nil, WebhookError: st.WebhookError,
		LastWebhookAt: st.LastWebhookAt, LastPollAt: st.LastPollAt, LastPollError: st.LastPollError}, nil
}
