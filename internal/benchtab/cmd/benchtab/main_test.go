package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestTableGroupsRowsAndShowsRatios(t *testing.T) {
	in := `{"bench":"Web Connector, 300 orders","figure":"throughput","unit":"orders/hour","value":36000,"baseline":12000,"better":"higher","note":"baseline: 1 request per round trip"}

{"bench":"GraphQL","figure":"orders first page p99","unit":"ms","value":8,"baseline":200,"better":"lower"}
{"bench":"Web Connector, 300 orders","figure":"server CPU per order","unit":"ms","value":1.5,"better":"lower"}
`
	rows, err := read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	write(&out, rows)
	got := out.String()
	// 36 000 / 12 000 = 3x; 200 / 8 = 25x; no baseline: dashes.
	for _, want := range []string{
		"Web Connector, 300 orders\n  throughput                                         36 000         12 000 orders/hour       3.0x  baseline: 1 request per round trip\n",
		"  server CPU per order                                 1.50              - ms                   -  \n",
		"GraphQL\n  orders first page p99                                8.00            200 ms                 25x  \n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "server CPU") > strings.Index(got, "GraphQL") {
		t.Errorf("rows of one benchmark are not together:\n%s", got)
	}
	if _, err := read(strings.NewReader("{not json\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad line: %v", err)
	}
}
