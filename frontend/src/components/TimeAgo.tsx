// When something last happened: the date and time, then how long ago, or "Never".
import { formatAgo, formatDateTime } from '../format';

/** "5 Dec 2026, 10:00 (3 hours ago)", or a muted "Never" when `at` is empty. */
export function TimeAgo({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">Never</span>;
  return (
    <>
      <time dateTime={at}>{formatDateTime(at)}</time> <span className="muted">({formatAgo(at)})</span>
    </>
  );
}
