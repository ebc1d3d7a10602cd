package orders

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestFetchKeepsARefusedOrderNamed(t *testing.T) {
	refused := errors.New("refused")
	normalize := func(raw json.RawMessage) (Order, error) {
		if string(raw) == `{"id":"2"}` {
			return Order{}, refused
		}
		return Order{ExternalID: "1", Number: "#1001"}, nil
	}
	identify := func(json.RawMessage) Order { return Order{ExternalID: "2", Number: "1002"} }

	good := Fetch(json.RawMessage(`{"id":"1"}`), normalize, identify)
	if good.Err != nil || good.Order.ExternalID != "1" || good.Order.Number != "#1001" || string(good.Raw) != `{"id":"1"}` {
		t.Errorf("normalized order: %+v", good)
	}
	bad := Fetch(json.RawMessage(`{"id":"2"}`), normalize, identify)
	if !errors.Is(bad.Err, refused) || bad.Order.ExternalID != "2" || bad.Order.Number != "1002" || string(bad.Raw) != `{"id":"2"}` {
		t.Errorf("refused order: %+v", bad)
	}
}

func TestDeliveredSkipsAnOrderReadAgainUnchanged(t *testing.T) {
	t1 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Minute)
	d := Delivered{}
	steps := []struct {
		f    Fetched
		want bool
	}{
		{Fetched{Order: Order{ExternalID: "7", UpdatedAt: t1}}, true},
		{Fetched{Order: Order{ExternalID: "7", UpdatedAt: t1}}, false},                              // read again, unchanged
		{Fetched{Order: Order{ExternalID: "7", UpdatedAt: t1.In(time.FixedZone("", 3600))}}, false}, // the same instant
		{Fetched{Order: Order{ExternalID: "7", UpdatedAt: t2}}, true},                               // changed meanwhile
		{Fetched{Order: Order{ExternalID: "8", UpdatedAt: t1}}, true},
		{Fetched{Order: Order{ExternalID: "", Number: "9"}, Err: errors.New("refused")}, true},
		{Fetched{Order: Order{ExternalID: "", Number: "9"}, Err: errors.New("refused")}, true}, // refused: always
	}
	for i, s := range steps {
		if got := d.Deliver(s.f); got != s.want {
			t.Errorf("step %d (%s at %s, err %v): Deliver = %v, want %v", i, s.f.Order.ExternalID, s.f.Order.UpdatedAt, s.f.Err, got, s.want)
		}
	}
}

func TestRepeatStopsWhenTheListHoldsStill(t *testing.T) {
	boom := errors.New("boom")
	for name, c := range map[string]struct {
		totals      [][]int // the totals each pass's pages report, pass by pass
		err         error   // returned by the last pass in totals, when set
		wantPasses  int
		wantSettled bool
	}{
		"still at once":          {totals: [][]int{{40, 40, 40}}, wantPasses: 1, wantSettled: true},
		"one page":               {totals: [][]int{{7}}, wantPasses: 1, wantSettled: true},
		"no page":                {totals: [][]int{{}}, wantPasses: 1, wantSettled: true},
		"still at the third":     {totals: [][]int{{40, 39}, {39, 41, 41}, {41, 41}}, wantPasses: 3, wantSettled: true},
		"changed back and forth": {totals: [][]int{{40, 39, 40}, {40, 40}}, wantPasses: 2, wantSettled: true},
		"never still":            {totals: [][]int{{1, 2}, {2, 3}, {3, 4}, {4, 4}}, wantPasses: 3},
		"error":                  {totals: [][]int{{40, 39}, {39}}, err: boom, wantPasses: 2},
	} {
		passes := 0
		settled, err := Repeat(func(total func(int)) error {
			passes++
			for _, n := range c.totals[passes-1] {
				total(n)
			}
			if passes == len(c.totals) {
				return c.err
			}
			return nil
		})
		if passes != c.wantPasses || settled != c.wantSettled || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("%s: %d passes, settled %v, err %v; want %d, %v, %v", name, passes, settled, err, c.wantPasses, c.wantSettled, c.err)
		}
	}
}
