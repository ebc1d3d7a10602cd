package inventory

import "time"

// Watermark is the detection state of one QuickBooks connection (db.InventoryWatermark).
// Zero times mean "never".
type Watermark struct {
	// ChangesThrough: a complete read of everything modified in QuickBooks started at this
	// time (Ledgerlink's clock).
	ChangesThrough time.Time
	// FullSnapshotAt: a complete read of every item's quantity started at this time.
	FullSnapshotAt time.Time
}

// Policy sets how detection reads. The zero Policy uses the defaults.
type Policy struct {
	// Overlap is subtracted from ChangesThrough when asking QuickBooks for modified records
	// (default 5 minutes): QuickBooks stamps TimeModified with its PC's clock, which may be
	// behind ours, and a record committed while the previous read ran may carry a time just
	// before its start. Records read again inside the overlap are no change (Detect compares
	// quantities), and the window moves on with every complete read, so nothing is re-read
	// for more than Overlap.
	Overlap time.Duration
	// FullEvery is how often every item's quantity is read (default 1 hour); it bounds how long
	// a change no partial read saw (a clock further off than Overlap, a deleted item, a lost
	// transaction read) can stay wrong in the stores.
	FullEvery time.Duration
}

func (p Policy) overlap() time.Duration {
	if p.Overlap > 0 {
		return p.Overlap
	}
	return 5 * time.Minute
}

func (p Policy) fullEvery() time.Duration {
	if p.FullEvery > 0 {
		return p.FullEvery
	}
	return time.Hour
}

// Plan says what one detection reads.
type Plan struct {
	// Full: read every inventory part and assembly (ActiveStatus All, iterators), as a Full
	// Read. Changes reads are not needed then.
	Full bool
	// From is the FromModifiedDate of the partial reads when Full is false: items
	// (ItemInventoryQuery / ItemInventoryAssemblyQuery FromModifiedDate) and transactions
	// (ModifiedDateRangeFilter with IncludeLineItems: sales receipts, invoices, sales orders,
	// credit memos, inventory adjustments, bills, item receipts).
	From time.Time
	// Start is when the detection started (the now given to Plan); pass the plan back to
	// Advance.
	Start time.Time
}

// Plan decides what to read at now: a full snapshot when there has never been a complete read,
// when the last full snapshot is FullEvery old, or when the last complete read of changes is
// older than FullEvery (a window that long costs more than reading everything); otherwise the
// records modified since ChangesThrough − Overlap.
func (p Policy) Plan(w Watermark, now time.Time) Plan {
	if w.ChangesThrough.IsZero() || w.FullSnapshotAt.IsZero() ||
		now.Sub(w.FullSnapshotAt) >= p.fullEvery() || now.Sub(w.ChangesThrough) >= p.fullEvery() {
		return Plan{Full: true, Start: now}
	}
	return Plan{From: w.ChangesThrough.Add(-p.overlap()), Start: now}
}

// Advance returns the watermark after the detection planned by pl: unchanged when the reads
// were not complete (a page or a query failed — the next detection asks for the same window
// again), else ChangesThrough (and, for a full read, FullSnapshotAt) moves to pl.Start. It
// never moves backwards.
func (p Policy) Advance(w Watermark, pl Plan, complete bool) Watermark {
	if !complete {
		return w
	}
	if pl.Start.After(w.ChangesThrough) {
		w.ChangesThrough = pl.Start
	}
	if pl.Full && pl.Start.After(w.FullSnapshotAt) {
		w.FullSnapshotAt = pl.Start
	}
	return w
}
