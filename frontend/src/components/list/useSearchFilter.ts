import { useMemo } from 'react';
import { useLocation, useNavigate } from '../../router';

/**
 * The filter of a list page that lives in its address, so a link or the back button shows the
 * same view: the filter `parse` reads from the query string, and a setter that replaces the
 * address with `path` and `toSearch(next)` ("" or "?…").
 */
export function useSearchFilter<F>(path: string, parse: (search: string) => F, toSearch: (filter: F) => string): [F, (next: F) => void] {
  const { search } = useLocation();
  const navigate = useNavigate();
  const filter = useMemo(() => parse(search), [parse, search]);
  const setFilter = (next: F) => navigate(`${path}${toSearch(next)}`, { replace: true });
  return [filter, setFilter];
}
