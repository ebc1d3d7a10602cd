package qbxml

// StoredRefNumber returns the RefNumber QuickBooks stores when a sales transaction is sent with
// ref: transliterated to Latin-1 and, when longer than 11 characters, its last 11. Callers
// compare it with the RefNumber of returned records.
func StoredRefNumber(ref string) string {
	s, _ := toLatin1(ref, false)
	t, _ := truncateRunesKeepTail(s, MaxRefNumber)
	return t
}

// StoredPaymentRefNumber is StoredRefNumber for payments, whose RefNumber holds 20 characters.
func StoredPaymentRefNumber(ref string) string {
	s, _ := toLatin1(ref, false)
	t, _ := truncateRunesKeepTail(s, MaxPaymentRefNumber)
	return t
}

// StoredName returns the name QuickBooks stores when a list element is sent with name and
// field limit max (MaxCustomerName, MaxItemName, ...): transliterated and cut at the end.
func StoredName(name string, max int) string {
	s, _ := toLatin1(name, false)
	t, _ := truncateRunes(s, max)
	return t
}
