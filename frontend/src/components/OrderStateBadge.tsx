import type { OrderState } from '../graphql/schema';

export const ORDER_STATE_LABEL: Record<OrderState, string> = {
  PENDING: 'Pending',
  READY: 'Ready',
  SENT: 'Sent',
  POSTED: 'Posted',
  ERROR: 'Error',
  NEEDS_MAPPING: 'Needs mapping',
  SKIPPED_DUPLICATE: 'Duplicate',
  EXCLUDED: 'Excluded',
};

const ORDER_STATE_TONE: Record<OrderState, string> = {
  PENDING: 'info',
  READY: 'info',
  SENT: 'info',
  POSTED: 'ok',
  ERROR: 'error',
  NEEDS_MAPPING: 'warning',
  SKIPPED_DUPLICATE: 'muted',
  EXCLUDED: 'muted',
};

/** What each state means, from the schema; shown as the badge's tooltip. */
export const ORDER_STATE_HELP: Record<OrderState, string> = {
  PENDING: 'Pulled from the store; matching and rules have not run yet.',
  READY: 'Matched and ready: queued for the next Web Connector run.',
  SENT: 'Handed to QuickBooks; the answer has not come back yet.',
  POSTED: 'In QuickBooks.',
  ERROR: 'QuickBooks or Ledgerlink refused it; the reason says what to do.',
  NEEDS_MAPPING: 'A SKU has no QuickBooks item: map it, then resync.',
  SKIPPED_DUPLICATE: 'Already in QuickBooks (same number, date and store): not posted again.',
  EXCLUDED: 'Left out by a rule or the order-status filter.',
};

export function OrderStateBadge({ state }: { state: OrderState }) {
  return (
    <span className={`badge badge-${ORDER_STATE_TONE[state]}`} title={ORDER_STATE_HELP[state]} data-testid="order-state" data-state={state}>
      {ORDER_STATE_LABEL[state]}
    </span>
  );
}
