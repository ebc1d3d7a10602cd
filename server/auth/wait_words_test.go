package auth

import "testing"

func TestWaitWords(t *testing.T) {
	for secs, want := range map[int]string{1: "1 second", 2: "2 seconds", 64: "64 seconds", 119: "119 seconds", 120: "2 minutes", 121: "3 minutes", 300: "5 minutes"} {
		if got := waitWords(secs); got != want {
			t.Errorf("waitWords(%d) = %q, want %q", secs, got, want)
		}
	}
}
