package qbxml

// Ref names a QuickBooks list entry (customer, item, account, class, ...) by
// ListID, by FullName ("Parent:Child" for sub-entries) or both. The zero Ref is
// omitted from requests.
type Ref struct {
	ListID   string `xml:"ListID"`
	FullName string `xml:"FullName"`
}

// ByName returns a Ref by full name.
func ByName(fullName string) Ref { return Ref{FullName: fullName} }

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.ListID == "" && r.FullName == "" }

// Address is a qbXML address block (BillAddress, ShipAddress). Lines are
// truncated to QuickBooks' limits: Addr1-5 41, City 31, State 21, PostalCode 13,
// Country 31, Note 41.
type Address struct {
	Addr1      string `xml:"Addr1"`
	Addr2      string `xml:"Addr2"`
	Addr3      string `xml:"Addr3"`
	Addr4      string `xml:"Addr4"`
	Addr5      string `xml:"Addr5"`
	City       string `xml:"City"`
	State      string `xml:"State"`
	PostalCode string `xml:"PostalCode"`
	Country    string `xml:"Country"`
	Note       string `xml:"Note"`
}

// Line is one line of a sales transaction (sales receipt, invoice, sales order,
// credit memo). Give Rate (unit price) or Amount or both; QuickBooks computes
// the missing one from Quantity.
type Line struct {
	// TxnLineID is used only in Mods: the ID of the existing line, or "-1" to
	// add a line. Lines left out of a Mod that sends any line are deleted by
	// QuickBooks (standard SDK behaviour).
	TxnLineID       string
	ItemRef         Ref
	Desc            string
	Quantity        *Quantity
	Rate            *Price
	ClassRef        Ref
	Amount          *Amount
	ServiceDate     Date // not on sales orders
	SalesTaxCodeRef Ref  // FullName at most 3 characters ("Tax", "Non")
	Other1, Other2  string
}

// IteratorMode is the iterator attribute of a query.
type IteratorMode string

const (
	// IteratorStart opens an iterator; set MaxReturned to the page size.
	IteratorStart IteratorMode = "Start"
	// IteratorContinue fetches the next page; repeat the same filters and set
	// IteratorID from the previous response.
	IteratorContinue IteratorMode = "Continue"
	// IteratorStop abandons an iterator.
	IteratorStop IteratorMode = "Stop"
)

// ActiveStatus filters list queries by active flag.
type ActiveStatus string

const (
	ActiveOnly   ActiveStatus = "ActiveOnly" // QuickBooks' default
	InactiveOnly ActiveStatus = "InactiveOnly"
	ActiveAll    ActiveStatus = "All"
)

// MatchCriterion is how NameFilter compares names.
type MatchCriterion string

const (
	StartsWith MatchCriterion = "StartsWith"
	Contains   MatchCriterion = "Contains"
	EndsWith   MatchCriterion = "EndsWith"
)

// NameFilter matches list entries whose name starts with, contains or ends
// with Name.
type NameFilter struct {
	MatchCriterion MatchCriterion
	Name           string
}

// NameRangeFilter matches names between FromName and ToName inclusive.
type NameRangeFilter struct {
	FromName, ToName string
}

// ListFilter is the filter alternative of a list query (customers, items,
// classes, ship methods, accounts). It cannot be combined with the ListIDs or
// FullNames alternative of the same query. The zero ListFilter filters nothing.
type ListFilter struct {
	MaxReturned      int // page size; 0 = no limit
	ActiveStatus     ActiveStatus
	FromModifiedDate DateTime
	ToModifiedDate   DateTime
	NameFilter       *NameFilter // at most one of NameFilter and NameRangeFilter
	NameRangeFilter  *NameRangeFilter
}

func (f ListFilter) isZero() bool { return f == ListFilter{} }

// encode writes the ListFilter group (XSD group ListFilter).
func (f ListFilter) encode(e *encoder) {
	e.maxReturned(f.MaxReturned)
	switch f.ActiveStatus {
	case "", ActiveOnly, InactiveOnly, ActiveAll:
		if f.ActiveStatus != "" {
			e.raw("ActiveStatus", string(f.ActiveStatus))
		}
	default:
		e.fail("ActiveStatus", "unknown value %q", f.ActiveStatus)
	}
	e.dateTime("FromModifiedDate", f.FromModifiedDate)
	e.dateTime("ToModifiedDate", f.ToModifiedDate)
	if f.NameFilter != nil && f.NameRangeFilter != nil {
		e.fail("NameFilter", "NameFilter and NameRangeFilter are alternatives")
		return
	}
	if nf := f.NameFilter; nf != nil {
		switch nf.MatchCriterion {
		case StartsWith, Contains, EndsWith:
		default:
			e.fail("NameFilter/MatchCriterion", "unknown value %q", nf.MatchCriterion)
			return
		}
		e.open("NameFilter")
		e.raw("MatchCriterion", string(nf.MatchCriterion))
		e.reqStr("Name", nf.Name, 0)
		e.close()
	}
	if nr := f.NameRangeFilter; nr != nil {
		e.open("NameRangeFilter")
		e.str("FromName", nr.FromName, 0)
		e.str("ToName", nr.ToName, 0)
		e.close()
	}
}

// listQuery writes the ListID | FullName | filter choice shared by list
// queries; extra writes filter elements that follow the ListFilter group.
func listQuery(e *encoder, listIDs, fullNames []string, nameMax int, f ListFilter, extraSet bool, extra func()) {
	n := 0
	for _, set := range []bool{len(listIDs) > 0, len(fullNames) > 0, !f.isZero() || extraSet} {
		if set {
			n++
		}
	}
	if n > 1 {
		e.fail("ListID|FullName|filter", "ListIDs, FullNames and filters are alternatives (one OR group); use one per query")
		return
	}
	e.ids("ListID", listIDs)
	e.strs("FullName", fullNames, nameMax, singleLine)
	f.encode(e)
	if extra != nil {
		extra()
	}
}
