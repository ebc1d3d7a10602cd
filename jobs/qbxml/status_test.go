package qbxml

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		code     int
		severity string
		want     Class
	}{
		{0, "Info", OK},
		{1, "Info", NoMatch},
		{500, "Warn", Warning},
		{530, "Warn", Warning},
		{560, "", Warning}, // warning range even without severity
		{3999, "Warn", Warning},
		{3100, "Error", NameInUse},
		{3120, "Error", NotFound},
		{3130, "Error", InvalidReference},
		{3140, "Error", InvalidReference},
		{3170, "Error", Transient},
		{3175, "Error", Transient},
		{3176, "Error", Transient},
		{3180, "Error", Transient},
		{3200, "Error", StaleEditSequence},
		{3210, "Info", Other}, // an error despite severity Info (real CB capture)
		{3250, "Error", FeatureOff},
		{3260, "Error", Permission},
		{3261, "Error", Permission},
		{3391, "Error", Other},
		{1000, "Error", Other},
		{9999, "Error", Other},
		{HResultParseError, "", ParseError},
		{HResultCannotAccessQB, "", Transient},
		{HResultCannotStartQB, "", Transient},
		{HResultAccessDenied, "", Permission},
		{HResultUnexpected, "", Other},
		{HResultInvalidTicket, "", Other},
	}
	for _, tc := range tests {
		if got := Classify(tc.code, tc.severity); got != tc.want {
			t.Errorf("Classify(%d, %q) = %v, want %v", tc.code, tc.severity, got, tc.want)
		}
	}
	if s := Class(99).String(); s != "Class(99)" {
		t.Errorf("String = %q", s)
	}
	if s := StaleEditSequence.String(); s != "StaleEditSequence" {
		t.Errorf("String = %q", s)
	}
}

func TestMerchantMessage(t *testing.T) {
	codes := []int{0, 1, 500, 530, 600, 1000, 1060, 3100, 3120, 3130, 3140, 3170, 3175, 3176, 3180, 3200, 3210, 3250,
		3260, 3261, 3391, 999, 4242, HResultParseError, HResultCannotAccessQB, HResultCannotStartQB, HResultAccessDenied}
	seen := map[string]int{}
	for _, code := range codes {
		msg, hint := MerchantMessage(code, `The name "Acme" of the list element is already in use.`)
		if msg == "" {
			t.Errorf("%d: empty message", code)
		}
		if code != 0 && hint == "" {
			t.Errorf("%d: empty hint", code)
		}
		if code != 0 && code != 1 && !strings.Contains(msg, `"Acme"`) {
			t.Errorf("%d: QuickBooks' own message not included: %q", code, msg)
		}
		if prev, dup := seen[msg]; dup && !(code >= 3170 && code <= 3180 && prev >= 3170 && prev <= 3180) {
			t.Errorf("%d and %d share the message %q", prev, code, msg)
		}
		seen[msg] = code
	}
	_, hint := MerchantMessage(3210, `The "AppliedToTxnAdd payment amount" field has an invalid value "129.43".  QuickBooks error message: You cannot pay more than the amount due.`)
	if !strings.Contains(hint, "larger than the open balance") {
		t.Errorf("3210 overpayment hint = %q", hint)
	}
	if msg, _ := MerchantMessage(0, "Status OK"); strings.Contains(msg, "Status OK") {
		t.Errorf("success message repeats QuickBooks text: %q", msg)
	}
}
