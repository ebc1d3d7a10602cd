import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, variablesOf } from './test/helpers';
import { usePagedConnection } from './usePagedConnection';

const QUERY = 'query Things($q: String, $first: Int, $after: String) { things { totalCount } }';

type Node = { id: string };
type Data = { things: { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number } };

function page(ids: string[], endCursor: string | null, totalCount: number): Response {
  return json({ data: { things: { edges: ids.map((id) => ({ node: { id } })), pageInfo: { hasNextPage: endCursor !== null, endCursor }, totalCount } } });
}

function useThings(q: string) {
  return usePagedConnection<Data, Node>({
    query: QUERY,
    variables: (after) => (after ? { q, first: 2, after } : { q, first: 2 }),
    connection: (d) => d.things,
  });
}

describe('usePagedConnection', () => {
  it('drops the answer for variables that changed while it was on its way', async () => {
    let releaseOld: (r: Response) => void = () => {};
    mockFetch((call) => {
      const { q } = variablesOf(call);
      if (q === 'old') return new Promise<Response>((resolve) => (releaseOld = resolve));
      return page(['n1'], null, 1);
    });
    const { result, rerender } = renderHook(({ q }) => useThings(q), { initialProps: { q: 'old' } });
    rerender({ q: 'new' });
    await waitFor(() => expect(result.current.rows).toEqual([{ id: 'n1' }]));
    await act(async () => releaseOld(page(['o1', 'o2'], 'c2', 9)));
    expect(result.current.rows).toEqual([{ id: 'n1' }]);
    expect(result.current.totalCount).toBe(1);
    expect(result.current.loading).toBe(false);
  });

  it('appends the next page after the end cursor, each id once', async () => {
    const f = mockFetch((call) => (variablesOf(call).after === 'c2' ? page(['b', 'c'], null, 3) : page(['a', 'b'], 'c2', 3)));
    const { result } = renderHook(() => useThings('x'));
    await waitFor(() => expect(result.current.hasNextPage).toBe(true));
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.hasNextPage).toBe(false));
    expect(result.current.rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(variablesOf(f.calls[1]!)).toEqual({ q: 'x', first: 2, after: 'c2' });
  });
});
