package graph

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/server/qbwc"
)

// healthRuns is how many latest runs the health of one connection reads: the status looks at the
// finished ones among them, Diagnose at those that failed since the last good one.
const healthRuns = 20

// webConnectorHealth computes the health of QBD connection id of the caller's account now
// (db.AssessQBDHealth, the rules db.QBDConnectionHealth applies) with what is wrong and what to do.
func (r *Resolver) webConnectorHealth(ctx context.Context, id int64) (*model.WebConnectorHealth, error) {
	acct := identity(ctx).AccountID
	c, err := r.DB.GetQBDConnection(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	runs, err := r.DB.ListQBDRuns(ctx, acct, id, healthRuns)
	if err != nil {
		return nil, err
	}
	var finished []db.QBWCSession
	for _, run := range runs {
		if run.State == db.SessionClosed && len(finished) < db.RecentRuns {
			finished = append(finished, run)
		}
	}
	now := r.now()
	h := db.AssessQBDHealth(c, finished, now)
	out := &model.WebConnectorHealth{Status: model.WebConnectorStatus(strings.ToUpper(h.Status)), Since: h.Since,
		Summary: healthSummary(h), LastAuthenticateAt: h.LastAuthAt, LastFinishedAt: h.LastFinishedAt,
		LateAfterMinutes: db.LateFactor * c.RunEveryMinutes, FailingAfterMinutes: db.FailingFactor * c.RunEveryMinutes,
		AuthFailures: h.AuthFailures, Problems: []*model.WebConnectorProblem{}, ConnectionID: c.ID}
	for _, p := range qbwc.Diagnose(c, h, finished, now) {
		out.Problems = append(out.Problems, &model.WebConnectorProblem{Kind: model.WebConnectorProblemKind(strings.ToUpper(p.Kind)),
			Title: p.Title, Evidence: p.Evidence, Fix: p.Fix, At: p.At})
	}
	return out, nil
}

// healthSummary says the status in one sentence.
func healthSummary(h db.QBDHealth) string {
	since := h.Since.UTC().Format("2006-01-02 15:04 MST")
	switch {
	case h.Status == db.HealthNew:
		return "Waiting for the Web Connector's first run: add the .qwc file in the QuickBooks Web Connector and enter its password."
	case h.Status == db.HealthHealthy:
		return fmt.Sprintf("Healthy: the Web Connector runs every %d minutes; last sign-in %s.", h.RunEveryMinutes, since)
	case h.Reason == "auth_failures":
		return fmt.Sprintf("Failing since %s: the Web Connector's last %d sign-ins failed.", since, h.AuthFailures)
	case h.Reason == "run_errors":
		return fmt.Sprintf("Failing since %s: the last %d runs ended in an error.", since, h.ErrorRuns)
	case h.Status == db.HealthFailing:
		return fmt.Sprintf("Failing since %s: the Web Connector has not run for more than %d × its %d-minute schedule.", since, db.FailingFactor, h.RunEveryMinutes)
	default:
		return fmt.Sprintf("Late since %s: the Web Connector has not run for more than %d × its %d-minute schedule.", since, db.LateFactor, h.RunEveryMinutes)
	}
}

func toWebConnectorRun(s *db.QBWCSession) *model.WebConnectorRun {
	end := s.LastCallAt
	if s.ClosedAt != nil {
		end = *s.ClosedAt
	}
	run := &model.WebConnectorRun{StartedAt: s.StartedAt, EndedAt: s.ClosedAt, DurationSeconds: int(max(end.Sub(s.StartedAt), 0) / time.Second),
		MessageSets: s.MessageSets, RequestsSent: s.SentRequests, RequestsDone: s.DoneRequests,
		Hresult: nonEmpty(s.HResult), CompanyFile: nonEmpty(s.CompanyFile), QbxmlVersion: nonEmpty(s.QBXMLVersion)}
	if s.LastError != "NoOp" {
		run.Message = nonEmpty(s.LastError)
	}
	switch {
	case s.State != db.SessionClosed:
		run.Outcome = model.WebConnectorRunOutcomeRunning
	case s.EndReason == db.SessionEndConnectionError:
		run.Outcome = model.WebConnectorRunOutcomeConnectionError
	case s.EndReason == db.SessionEndTakenOver || s.EndReason == db.SessionEndExpired:
		run.Outcome = model.WebConnectorRunOutcomeAnswerLost
	case db.RunFailed(s):
		run.Outcome = model.WebConnectorRunOutcomeRejected
	default:
		run.Outcome = model.WebConnectorRunOutcomeOk
	}
	return run
}

func toMissedOrder(g *db.OrderSweepGap) *model.MissedOrder {
	return &model.MissedOrder{ID: g.ID, Day: g.Day.Format(time.DateOnly), ExternalID: g.ExternalID, Number: g.Number,
		Cause: model.MissedOrderCause(strings.ToUpper(g.Cause)), StoreCreatedAt: g.StoreCreatedAt, FoundAt: g.FoundAt,
		ResyncRequestedAt: g.ResyncAt, StoreID: g.ConnectionID, OrderID: g.OrderID}
}

func toOrderSweep(s *db.OrderSweep) *model.OrderSweep {
	return &model.OrderSweep{Day: s.Day.Format(time.DateOnly), StoreCount: s.StoreCount, OurCount: s.OurCount,
		PostedCount: s.PostedCount, GapCount: s.GapCount, Error: nonEmpty(s.Error), SweptAt: s.SweptAt, StoreID: s.ConnectionID}
}

// storeConnection returns store connection id of the caller's account.
func (r *Resolver) storeConnection(ctx context.Context, id int64) (*model.StoreConnection, error) {
	c, err := r.DB.GetStoreConnection(ctx, identity(ctx).AccountID, id)
	if err != nil {
		return nil, err
	}
	return toStoreConnection(c)
}
