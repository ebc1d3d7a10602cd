package ordersync

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/ledgerlink/ledgerlink/db"
)

// clashSample is how many of a store's latest orders are compared with another kind of store's.
const clashSample = 1000

// NumberClash says that a store's orders can get the same QuickBooks RefNumber as the orders of
// other stores posting to the same QuickBooks company. Ledgerlink still posts both (the marker
// on each sale names its store, so the duplicate check tells them apart), but in QuickBooks the
// sales share numbers; a RefNumber prefix keeps them apart.
type NumberClash struct {
	OtherStores []string
	// SuggestedPrefix is a prefix no other store of the company uses, from the store's name.
	SuggestedPrefix string
	Message         string
}

// FindNumberClash returns the clash of store connection c with the other store connections of
// its account that post to the same QuickBooks company under the same RefNumber prefix (none,
// or the same one) and whose order numbers can be the same: the same kind of store (two
// Shopify shops both count from #1001) or an order number both have pulled. It returns nil
// when there is none, or c posts to no QuickBooks company. Prefixes set by rules are not seen.
func FindNumberClash(ctx context.Context, d *db.DB, c *db.StoreConnection) (*NumberClash, error) {
	if c.QBDConnectionID == nil {
		return nil, nil
	}
	s, err := Settings(c)
	if err != nil {
		return nil, err
	}
	list, err := d.ListStoreConnections(ctx, c.AccountID, db.Page{Limit: db.MaxPageSize})
	if err != nil {
		return nil, fmt.Errorf("ordersync: number clash: %w", err)
	}
	var others []string
	var otherChannel []int64
	prefixes := map[string]bool{}
	for i := range list.Items {
		o := &list.Items[i]
		if o.ID == c.ID || o.QBDConnectionID == nil || *o.QBDConnectionID != *c.QBDConnectionID {
			continue
		}
		os, err := Settings(o)
		if err != nil {
			return nil, err
		}
		prefixes[strings.ToUpper(os.RefPrefix)] = true
		if !strings.EqualFold(os.RefPrefix, s.RefPrefix) {
			continue
		}
		if o.Channel == c.Channel {
			others = append(others, o.Name)
		} else {
			otherChannel = append(otherChannel, o.ID)
		}
	}
	if len(otherChannel) > 0 {
		// Stores of other kinds clash when they have pulled an order number this one has
		// (among its latest orders, so the check stays cheap on a large account).
		shared, err := d.StoresSharingNumbers(ctx, c.AccountID, c.ID, otherChannel, clashSample)
		if err != nil {
			return nil, fmt.Errorf("ordersync: number clash: shared numbers: %w", err)
		}
		others = append(others, shared...)
	}
	if len(others) == 0 {
		return nil, nil
	}
	slices.Sort(others)
	cl := &NumberClash{OtherStores: others, SuggestedPrefix: suggestPrefix(c.Name, prefixes)}
	quoted := make([]string, len(others))
	for i, n := range others {
		quoted[i] = "“" + n + "”"
	}
	how := "neither adds a RefNumber prefix"
	if s.RefPrefix != "" {
		how = "they add the same RefNumber prefix “" + s.RefPrefix + "”"
	}
	cl.Message = fmt.Sprintf("This store and %s post to the same QuickBooks company, their order numbers can be the same, and %s: "+
		"in QuickBooks their sales would share numbers. Ledgerlink still posts each store's orders once, but set a prefix such as “%s” to tell them apart.",
		strings.Join(quoted, ", "), how, cl.SuggestedPrefix)
	return cl, nil
}

// suggestPrefix makes a short prefix from a store's name — the initials of its words, up to
// three, and "-" ("ShipStation EU" → "SE-") — that is not in taken (upper-case prefixes).
// RefNumber holds 11 characters, so the prefix stays short.
func suggestPrefix(name string, taken map[string]bool) string {
	var initials []rune
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if r := []rune(w)[0]; r < 0x80 && len(initials) < 3 {
			initials = append(initials, unicode.ToUpper(r))
		}
	}
	base := string(initials)
	if len(initials) < 2 {
		base = "S" + base // a one-word name, or none in ASCII
	}
	p := base + "-"
	for n := 2; taken[p]; n++ {
		p = fmt.Sprintf("%s%d-", base, n)
	}
	return p
}
