// The Logs page's filters: kept in the URL query string (so a view can be
// shared as a link) and turned into variables for the `logs` query.
import type { LogFilter, LogLevel } from './graphql/schema';

export interface LogsFilterState {
  level: LogLevel | null;
  /** Free text as typed; trimmed only when sent. */
  search: string;
  /** Local calendar dates, "YYYY-MM-DD", or "" for no bound. */
  from: string;
  to: string;
}

export const EMPTY_LOGS_FILTER: LogsFilterState = { level: null, search: '', from: '', to: '' };

export const LEVEL_TABS: readonly { label: string; level: LogLevel | null }[] = [
  { label: 'All', level: null },
  { label: 'Errors', level: 'ERROR' },
  { label: 'Warnings', level: 'WARNING' },
  { label: 'Info', level: 'INFO' },
];

export const LOGS_PAGE_SIZE = 50;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseLevel(value: string | null): LogLevel | null {
  const upper = (value ?? '').toUpperCase();
  return upper === 'ERROR' || upper === 'WARNING' || upper === 'INFO' ? upper : null;
}

function parseDate(value: string | null): string {
  return value && DATE_RE.test(value) && localDayStart(value, 0) ? value : '';
}

/** Reads the filters from a query string such as "?level=ERROR&q=timeout&from=2026-11-01". */
export function parseLogsSearch(search: string): LogsFilterState {
  const params = new URLSearchParams(search);
  return {
    level: parseLevel(params.get('level')),
    search: params.get('q') ?? '',
    from: parseDate(params.get('from')),
    to: parseDate(params.get('to')),
  };
}

/** The query string for a filter state: "" when nothing is filtered, else "?level=…". */
export function logsSearchString(state: LogsFilterState): string {
  const params = new URLSearchParams();
  if (state.level) params.set('level', state.level);
  if (state.search) params.set('q', state.search);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** Midnight at the start of a local calendar day, plus addDays days; null if not a real date. */
export function localDayStart(date: string, addDays: number): Date | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(year, month - 1, day + addDays);
  const check = new Date(year, month - 1, day);
  if (check.getFullYear() !== year || check.getMonth() !== month - 1 || check.getDate() !== day) return null;
  return d;
}

/**
 * The `logs` query's variables. Dates are whole local days and both ends are
 * included: from = start of the From day, to = start of the day after the To
 * day (the API's upper bound is exclusive).
 */
export function logsVariables(
  state: LogsFilterState,
  after: string | null = null,
  first: number = LOGS_PAGE_SIZE,
): { filter: LogFilter; first: number; after?: string } {
  const filter: LogFilter = {};
  if (state.level) filter.level = state.level;
  const search = state.search.trim();
  if (search) filter.search = search;
  const from = state.from ? localDayStart(state.from, 0) : null;
  if (from) filter.from = from.toISOString();
  const to = state.to ? localDayStart(state.to, 1) : null;
  if (to) filter.to = to.toISOString();
  return after ? { filter, first, after } : { filter, first };
}

export function isFiltered(state: LogsFilterState): boolean {
  return Boolean(state.level || state.search.trim() || state.from || state.to);
}
