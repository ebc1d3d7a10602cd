import { describe, expect, it } from 'vitest';
import { EMPTY_LOGS_FILTER, LEVEL_TABS, isFiltered, logsSearchString, logsVariables, parseLogsSearch } from './logsFilter';

describe('logs filters', () => {
  it('maps the tabs to levels', () => {
    expect(LEVEL_TABS.map((t) => [t.label, t.level])).toEqual([
      ['All', null],
      ['Errors', 'ERROR'],
      ['Warnings', 'WARNING'],
      ['Info', 'INFO'],
    ]);
  });

  it('turns each tab into the level variable', () => {
    for (const tab of LEVEL_TABS) {
      const vars = logsVariables({ ...EMPTY_LOGS_FILTER, level: tab.level });
      if (tab.level) expect(vars.filter.level).toBe(tab.level);
      else expect(vars.filter).not.toHaveProperty('level');
    }
    expect(logsVariables({ ...EMPTY_LOGS_FILTER, level: 'ERROR' }).filter).toEqual({ level: 'ERROR' });
    expect(logsVariables({ ...EMPTY_LOGS_FILTER, level: 'INFO' }).filter).toEqual({ level: 'INFO' });
  });

  it('sends no filter fields when nothing is filtered, and the page size', () => {
    expect(logsVariables(EMPTY_LOGS_FILTER)).toEqual({ filter: {}, first: 50 });
  });

  it('trims the search text and drops a blank one', () => {
    expect(logsVariables({ ...EMPTY_LOGS_FILTER, search: '  timeout ' }).filter).toEqual({ search: 'timeout' });
    expect(logsVariables({ ...EMPTY_LOGS_FILTER, search: '   ' }).filter).toEqual({});
  });

  it('turns dates into whole local days, the To day included', () => {
    const vars = logsVariables({ ...EMPTY_LOGS_FILTER, from: '2026-11-01', to: '2026-11-03' });
    expect(vars.filter.from).toBe(new Date(2026, 10, 1).toISOString());
    expect(vars.filter.to).toBe(new Date(2026, 10, 4).toISOString());
  });

  it('rolls the To bound over month and year ends', () => {
    expect(logsVariables({ ...EMPTY_LOGS_FILTER, to: '2026-12-31' }).filter.to).toBe(new Date(2027, 0, 1).toISOString());
  });

  it('passes the cursor for "Load more"', () => {
    expect(logsVariables(EMPTY_LOGS_FILTER, 'cursor-50')).toEqual({ filter: {}, first: 50, after: 'cursor-50' });
  });

  it('reads filters from the URL and ignores nonsense', () => {
    expect(parseLogsSearch('?level=ERROR&q=timeout&from=2026-11-01&to=2026-11-02')).toEqual({
      level: 'ERROR',
      search: 'timeout',
      from: '2026-11-01',
      to: '2026-11-02',
    });
    expect(parseLogsSearch('?level=warning').level).toBe('WARNING');
    expect(parseLogsSearch('?level=DEBUG&from=yesterday&to=2026-02-30')).toEqual(EMPTY_LOGS_FILTER);
    expect(parseLogsSearch('')).toEqual(EMPTY_LOGS_FILTER);
  });

  it('writes filters to the URL so they survive a round trip', () => {
    const state = { level: 'INFO' as const, search: 'stock & price', from: '2026-11-01', to: '' };
    const qs = logsSearchString(state);
    expect(qs).toBe('?level=INFO&q=stock+%26+price&from=2026-11-01');
    expect(parseLogsSearch(qs)).toEqual(state);
    expect(logsSearchString(EMPTY_LOGS_FILTER)).toBe('');
  });

  it('knows when anything is filtered', () => {
    expect(isFiltered(EMPTY_LOGS_FILTER)).toBe(false);
    expect(isFiltered({ ...EMPTY_LOGS_FILTER, search: ' ' })).toBe(false);
    expect(isFiltered({ ...EMPTY_LOGS_FILTER, to: '2026-11-01' })).toBe(true);
  });
});
