// The cards of the Connections page's sections (QuickBooks Desktop, QuickBooks Online, stores):
// the list or its empty state, and each card's frame (heading, the line under it, its buttons).
import { useId, type ReactNode, type Ref } from 'react';

/**
 * A section's cards, one per row from `children`; once loaded with no rows, `empty` in the
 * section's empty state (nothing when `empty` is null, e.g. while a wizard stands in for it).
 */
export function ConnectionCards<R>({
  rows,
  loaded,
  empty,
  emptyTestId,
  children,
}: {
  rows: readonly R[];
  loaded: boolean;
  empty: ReactNode;
  emptyTestId: string;
  children: (row: R) => ReactNode;
}) {
  if (rows.length === 0) {
    if (!loaded || empty === null) return null;
    return (
      <p className="empty" data-testid={emptyTestId}>
        {empty}
      </p>
    );
  }
  return <div className="connection-list">{rows.map(children)}</div>;
}

/**
 * One card: an article named by its heading, with `meta` in the line under the heading and
 * `actions` (its buttons, when there are any) beside them, then the card's content.
 */
export function ConnectionCard({
  testId,
  heading,
  meta,
  actions,
  cardRef,
  children,
}: {
  testId: string;
  heading: ReactNode;
  meta: ReactNode;
  actions?: ReactNode;
  cardRef?: Ref<HTMLElement>;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <article className="connection-card" data-testid={testId} aria-labelledby={headingId} ref={cardRef}>
      <header className="connection-head">
        <div>
          <h3 id={headingId}>{heading}</h3>
          <p className="muted small">{meta}</p>
        </div>
        {actions ? <div className="connection-actions">{actions}</div> : null}
      </header>
      {children}
    </article>
  );
}
