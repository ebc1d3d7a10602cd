package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// TypeItemListSchedule keeps the QuickBooks item lists fresh (see HandleItemListSchedule).
const TypeItemListSchedule = "qbd:itemlist-schedule"

const (
	// wholeItemListEvery is how old a company's item list may get before it is read whole again:
	// only a whole read sees items deleted in QuickBooks (the 3140 answer catches them meanwhile).
	wholeItemListEvery = 24 * time.Hour
	// itemReadOverlap re-reads a little before the last read: QuickBooks stamps changes with
	// its PC's clock, not ours.
	itemReadOverlap = 10 * time.Minute
)

// HandleItemListSchedule queues, for every QuickBooks Desktop company the Web Connector has
// reached, a read of its item list: the whole list when it was never read or the last whole
// read is over a day old, else the items changed since the last read (new items and renames, so
// the check of flagged orders does not park an order for an item added this morning). A company
// with a read under way gets none.
func (h *Handlers) HandleItemListSchedule(ctx context.Context, _ *asynq.Task) error {
	conns, err := h.DB.ContactedQBDConnections(ctx)
	if err != nil {
		return fmt.Errorf("jobs: item list schedule: %w", err)
	}
	now := h.now()
	for _, c := range conns {
		var err error
		if c.ItemsReadAt == nil || c.ItemListAt == nil || now.Sub(*c.ItemListAt) > wholeItemListEvery {
			err = h.Pipeline.RefreshItemList(ctx, c.AccountID, c.ID)
		} else {
			err = h.Pipeline.RefreshChangedItems(ctx, c.AccountID, c.ID, c.ItemsReadAt.Add(-itemReadOverlap))
		}
		if err != nil {
			return fmt.Errorf("jobs: item list of QuickBooks connection %d: %w", c.ID, err)
		}
	}
	return nil
}
