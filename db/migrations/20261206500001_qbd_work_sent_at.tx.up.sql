-- When a work item's request was last handed to a Web Connector. A lost message set's documents
-- that its look-up does not find in QuickBooks are sent again only once this is older than the
-- engine's grace: the Web Connector that had them may still be delivering them.
ALTER TABLE qbd_work_items ADD COLUMN sent_at timestamptz;
-- A late answer for a closed session finds the session's last message set by its ticket.
CREATE INDEX qbd_batches_ticket_idx ON qbd_batches (ticket, id DESC);
