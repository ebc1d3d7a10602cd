package shipstationsim_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/ledgerlink/ledgerlink/jobs/sim/shipstationsim"
)

// A test (or the demo mode) serves the simulator, seeds it, and points a
// ShipStation client at the URL.
func Example() {
	now := time.Date(2026, 3, 10, 16, 30, 0, 0, time.UTC)
	sim := shipstationsim.New(shipstationsim.Options{Clock: func() time.Time { return now }})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	sim.SetBaseURL(srv.URL)
	sim.Generate(250, 1)

	req, _ := http.NewRequest("GET", srv.URL+"/orders?orderStatus=awaiting_shipment&pageSize=500", nil)
	req.SetBasicAuth(shipstationsim.DefaultAPIKey, shipstationsim.DefaultAPISecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var page struct {
		Orders []shipstationsim.Order `json:"orders"`
		Total  int                    `json:"total"`
		Pages  int                    `json:"pages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Rate-Limit-Limit"), resp.Header.Get("X-Rate-Limit-Remaining"), resp.Header.Get("X-Rate-Limit-Reset"))
	fmt.Println(page.Total == len(page.Orders), page.Pages)
	// Output:
	// 200 40 39 60
	// true 1
}
