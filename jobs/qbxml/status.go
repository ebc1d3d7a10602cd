package qbxml

import (
	"strconv"
	"strings"
)

// Class groups qbXML status codes by what the engine should do next.
type Class int

const (
	// OK: the request succeeded (statusCode 0, or another Info code below 500).
	OK Class = iota
	// NoMatch: a query found nothing (statusCode 1). Not an error.
	NoMatch
	// Warning: processed, but maybe not as expected (500–999 or severity
	// Warn), e.g. 500 when some of several FullNames/RefNumbers do not exist:
	// the others are returned. Use the data, log the message.
	Warning
	// NameInUse: 3100, the name is taken (customer names are unique across
	// customers, vendors, employees and other names). Query the existing
	// record and link to it, or rename.
	NameInUse
	// NotFound: 3120, an object named by ID does not exist (deleted or
	// merged). Forget the stored ListID/TxnID and look it up again by name.
	NotFound
	// InvalidReference: 3130/3140, a reference inside the request (customer,
	// item, parent, account, ...) does not exist. Create the missing list
	// element, then resend.
	InvalidReference
	// Transient: 3170/3175/3176/3180, a record or list was locked or being
	// changed by another user. Resend later; cap the retries, since 3180 is
	// also used for other save failures (the statusMessage tells which).
	Transient
	// StaleEditSequence: 3200, a Mod carried an old EditSequence. Re-query,
	// re-apply the change, resend.
	StaleEditSequence
	// FeatureOff: 3250, the feature is disabled in this company file or
	// edition (e.g. sales orders in Pro, class tracking off). Needs the user.
	FeatureOff
	// Permission: 3260/3261, the QuickBooks user or the integrated
	// application lacks permission; or hresult 0x80040420 (access denied).
	// Needs the user.
	Permission
	// ParseError: hresult 0x80040400, QuickBooks could not parse the message
	// set (bad XML, element order, version). Nothing in it was applied; fix the
	// builder, do not resend unchanged.
	ParseError
	// Other: any other error; show MerchantMessage and keep the work item for
	// a person to fix.
	Other
)

var classNames = [...]string{"OK", "NoMatch", "Warning", "NameInUse", "NotFound", "InvalidReference", "Transient", "StaleEditSequence", "FeatureOff", "Permission", "ParseError", "Other"}

func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return "Class(" + strconv.Itoa(int(c)) + ")"
}

// HRESULTs that QBWC passes to receiveResponseXML (and connectionError)
// instead of a response. Pass them to Classify and MerchantMessage as code.
const (
	HResultParseError     = 0x80040400 // QuickBooks found an error when parsing the provided XML text stream
	HResultCannotAccessQB = 0x80040401 // could not access QuickBooks
	HResultUnexpected     = 0x80040402 // unexpected error
	HResultCannotStartQB  = 0x80040408 // could not start QuickBooks
	HResultInvalidTicket  = 0x8004040D // the ticket parameter is invalid
	HResultAccessDenied   = 0x80040420 // the QuickBooks user has denied access
)

// Classify maps a statusCode and statusSeverity (or an HResult* code and "")
// to a Class. The code decides first; severity only matters for codes with no
// specific class (a Warn severity gives Warning). 3210 with severity "Info" is
// still an error (seen in a real response).
func Classify(code int, severity string) Class {
	switch code {
	case 0:
		return OK
	case 1:
		return NoMatch
	case 3100:
		return NameInUse
	case 3120:
		return NotFound
	case 3130, 3140:
		return InvalidReference
	case 3170, 3175, 3176, 3180:
		return Transient
	case 3200:
		return StaleEditSequence
	case 3250:
		return FeatureOff
	case 3260, 3261, HResultAccessDenied:
		return Permission
	case HResultParseError:
		return ParseError
	case HResultCannotAccessQB, HResultCannotStartQB:
		return Transient
	}
	switch {
	case code >= 500 && code <= 999, strings.EqualFold(severity, "Warn"), strings.EqualFold(severity, "Warning"):
		return Warning
	case code > 1 && code < 500 && strings.EqualFold(severity, "Info"):
		return OK
	}
	return Other
}

// MerchantMessage explains a status in plain words for a merchant or
// bookkeeper: message says what happened, hint what to do. statusMessage is
// QuickBooks' own text; it is appended where it carries the details (which
// name, which field). Codes with no specific text get their class's text.
func MerchantMessage(code int, statusMessage string) (message, hint string) {
	detail := ""
	if s := strings.TrimSpace(statusMessage); s != "" {
		detail = " QuickBooks said: " + s
	}
	switch code {
	case 500:
		return "QuickBooks could only partly answer a lookup: some of the names or numbers asked for do not exist." + detail,
			"Nothing to fix: the records that exist were returned, the missing ones are handled like new records."
	case 530:
		return "QuickBooks ignored a field it does not support in this version or edition." + detail,
			"Usually harmless. If the field matters, update QuickBooks Desktop."
	case 600:
		return "QuickBooks had no saved result for the message Ledgerlink asked about (error recovery)." + detail,
			"Nothing to fix: Ledgerlink re-checks the affected orders before sending them again."
	case 1000:
		return "QuickBooks reported an internal error while processing the request." + detail,
			"Ledgerlink will try again on the next sync. If it repeats, restart QuickBooks and run File > Utilities > Verify Data."
	case 1060:
		return "QuickBooks rejected the request identifier Ledgerlink sent." + detail,
			"This is a Ledgerlink problem; please contact support."
	case 3100:
		return "A customer, vendor, employee or item with this name already exists in QuickBooks." + detail,
			"Customer names must be unique across customers, vendors, employees and other names. Link the existing record to this customer in Ledgerlink, or rename one of them."
	case 3120:
		return "The QuickBooks record this request points to no longer exists; it may have been deleted or merged." + detail,
			"Ledgerlink looks the record up again by name. If it keeps failing, re-link the record in Ledgerlink."
	case 3130:
		return "A parent record named in the request (for example the parent customer of a job, or a parent item) does not exist in QuickBooks." + detail,
			"Create the parent in QuickBooks, or let Ledgerlink create it, then retry."
	case 3140:
		return "The request refers to a customer, item, account, class or other list entry that does not exist in QuickBooks." + detail,
			"Ledgerlink creates missing customers and items and retries. For accounts, classes, tax codes, payment or shipping methods, create the entry in QuickBooks or fix the mapping in Ledgerlink's settings, then retry."
	case 3170, 3175, 3176, 3180:
		return "QuickBooks could not save because the record or list was in use or being changed by someone else." + detail,
			"Ledgerlink retries automatically. If it keeps happening, close QuickBooks windows that are editing this record, or ask other users to finish their work during the sync."
	case 3200:
		return "The record was changed in QuickBooks after Ledgerlink last read it." + detail,
			"Ledgerlink reads the current version and applies the change again automatically."
	case 3210:
		hint := "Correct the value named in the QuickBooks message (for example a date in a closed accounting period, or an amount) and retry."
		if strings.Contains(statusMessage, "pay more than the amount due") {
			hint = "The payment is larger than the open balance of the invoice. Check whether the invoice was already paid, or record the difference as a credit."
		}
		return "QuickBooks rejected a value in the request." + detail, hint
	case 3250:
		return "This feature is turned off in the QuickBooks company file or not available in this QuickBooks edition." + detail,
			"Turn the feature on in QuickBooks (Edit > Preferences; e.g. sales orders, class tracking, inventory) or change Ledgerlink's settings to not use it."
	case 3260:
		return "The QuickBooks user Ledgerlink connects as does not have permission for this action." + detail,
			"In QuickBooks, give that user the needed rights (Company > Users), or connect with an administrator."
	case 3261:
		return "QuickBooks does not allow Ledgerlink to do this." + detail,
			"In QuickBooks, open Edit > Preferences > Integrated Applications, select Ledgerlink's Web Connector app and allow it access (and access to personal data if asked)."
	case 3391:
		return "A long QuickBooks lookup expired before it finished." + detail,
			"Nothing to fix: Ledgerlink starts the lookup again."
	case HResultParseError:
		return "QuickBooks could not read the data Ledgerlink sent, so nothing in that batch was saved." + detail,
			"This is a Ledgerlink problem; the batch is kept. Please contact support with the sync log."
	case HResultCannotAccessQB:
		return "The Web Connector could not reach QuickBooks or the company file." + detail,
			"Make sure the company file is available and no QuickBooks dialog is waiting for an answer; Ledgerlink tries again on the next sync."
	case HResultCannotStartQB:
		return "The Web Connector could not start QuickBooks." + detail,
			"Open QuickBooks and the company file on the Web Connector's PC (or allow access when QuickBooks is not running); Ledgerlink tries again on the next sync."
	case HResultAccessDenied:
		return "The QuickBooks user denied Ledgerlink access to the company file." + detail,
			"In QuickBooks, open Edit > Preferences > Integrated Applications and allow Ledgerlink's Web Connector app, then run the sync again."
	}
	switch Classify(code, "") {
	case OK:
		return "QuickBooks accepted the request.", ""
	case NoMatch:
		return "QuickBooks found no matching records.", "Nothing to fix: the lookup simply returned nothing."
	case Warning:
		return "QuickBooks completed the request with a warning." + detail,
			"Check the record in QuickBooks; usually nothing needs to be done."
	}
	return "QuickBooks could not process this record." + detail,
		"Fix the problem QuickBooks describes (in QuickBooks or in the order in Ledgerlink), then retry the record."
}
