const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const dateTimeShort = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const numberFormat = new Intl.NumberFormat();

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "23 Nov 2026, 14:03:05" in the browser's locale and time zone; "—" when absent. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? dateTime.format(d) : '—';
}

/** "23 Nov 2026, 14:03" (no seconds), for narrow columns; "—" when absent. */
export function formatDateTimeShort(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? dateTimeShort.format(d) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? dateOnly.format(d) : '—';
}

/** 0 is a real answer and prints as "0". */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function formatAgo(iso: string | null | undefined, now: Date = new Date()): string {
  const d = parse(iso);
  if (!d) return '—';
  const seconds = Math.round((now.getTime() - d.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}

export function roleLabel(role: string): string {
  switch (role) {
    case 'OWNER':
      return 'Owner';
    case 'MEMBER':
      return 'Member';
    case 'SUPPORT':
      return 'Support';
    default:
      return role;
  }
}

/** An amount the API sends as a decimal string, with its currency: "129.95 USD". */
export function formatMoney(amount: string, currency: string): string {
  return currency ? `${amount} ${currency}` : amount;
}
