package ssexport_test

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerlink/ledgerlink/internal/benchtab"
	"github.com/ledgerlink/ledgerlink/jobs/shipstation"
	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
	"github.com/ledgerlink/ledgerlink/jobs/ssexport"
)

// fakeClock is the simulated minute: the simulator's rate-limit window and the client's waits
// both read it, so waiting out ShipStation's 40 requests a minute costs no real time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return nil
}

// BenchmarkThousandSalesToShipStation sends 1 000 QuickBooks sales to the ShipStation simulator
// under its real 40-requests-a-minute limit, batched by createorders (≤ 100 per request) and,
// as the baseline, one order per request. It prints the requests and the time ShipStation's
// limit imposes (simulated clock: the waits are counted, not slept).
func BenchmarkThousandSalesToShipStation(b *testing.B) {
	const n = 1000
	orders := make([]shipstation.Order, n)
	for i := range orders {
		s := ssexport.Sale{Type: shipstation.KeyInvoice, TxnID: fmt.Sprintf("%X-1764900000", 0x10000+i), RefNumber: fmt.Sprint(20000 + i), TxnDate: "2026-12-04",
			ShipVia: "UPSGrd", Lines: []ssexport.SaleLine{{Item: "Widget", Quantity: 300000, HasQty: true, Rate: 1999000, Amount: 5997}}}
		doc, err := ssexport.Document(s, ssexport.Contact{FirstName: "Jane", LastName: "Doe"}, "Shipping")
		if err != nil {
			b.Fatal(err)
		}
		orders[i] = ssexport.ShipStationOrder(doc, s, shipstation.QuickBooksOrderKey(1, s.Type, s.TxnID), ssexport.Target{Status: "awaiting_shipment"})
	}
	run := func(batch int) (requests int, limited time.Duration, wall time.Duration) {
		clock := &fakeClock{now: time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)}
		sim := shipstationsim.New(shipstationsim.Options{Clock: clock.Now})
		srv := httptest.NewServer(sim)
		defer srv.Close()
		c, err := shipstation.New(shipstation.Config{BaseURL: srv.URL, APIKey: shipstationsim.DefaultAPIKey, APISecret: shipstationsim.DefaultAPISecret,
			Now: clock.Now, Sleep: clock.Sleep})
		if err != nil {
			b.Fatal(err)
		}
		start, t0 := time.Now(), clock.Now()
		for i := 0; i < n; i += batch {
			res, err := c.UpsertOrders(context.Background(), orders[i:min(i+batch, n)])
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range res {
				if !r.OK {
					b.Fatalf("order %s: %s", r.OrderNumber, r.Error)
				}
			}
		}
		for _, rq := range sim.Requests() {
			if strings.EqualFold(rq.Path, "/orders/createorders") {
				requests++
			}
		}
		if got := len(sim.Orders()); got != n {
			b.Fatalf("ShipStation holds %d orders, want %d", got, n)
		}
		return requests, clock.Now().Sub(t0), time.Since(start)
	}
	for range b.N {
		bReq, bLim, bWall := run(shipstation.MaxUpsertBatch)
		oReq, oLim, oWall := run(1)
		bound := func(req int) time.Duration { return time.Duration(math.Ceil(float64(req)/40)) * time.Minute }
		b.ReportMetric(float64(bReq), "requests")
		b.ReportMetric(bLim.Minutes(), "limit-min")
		name := fmt.Sprintf("QuickBooks sales to ShipStation, %s sales", benchtab.Count(n))
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "createorders requests", Unit: "requests", Value: float64(bReq), Baseline: float64(oReq),
			Better: benchtab.Lower, Note: "baseline: one order per request"})
		benchtab.Report(b, benchtab.Row{Bench: name, Figure: "waited for the 40/min limit (simulated clock)", Unit: "min", Value: bLim.Minutes(),
			Baseline: oLim.Minutes(), Better: benchtab.Lower})
		fmt.Printf("1000 QuickBooks sales → ShipStation: createorders ×100: %d requests, %s waited for the 40/min limit (≥ %s by requests ÷ 40/min), %s real\n",
			bReq, bLim.Round(time.Second), bound(bReq), bWall.Round(time.Millisecond))
		fmt.Printf("baseline one order per request:        %d requests, %s waited for the 40/min limit (≥ %s), %s real — %.0f× the requests\n",
			oReq, oLim.Round(time.Second), bound(oReq), oWall.Round(time.Millisecond), float64(oReq)/float64(bReq))
	}
}
