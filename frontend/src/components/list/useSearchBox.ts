import { useEffect, useRef, useState } from 'react';

/**
 * The search box of a list whose filter lives in the URL: typed text goes to the filter after
 * delayMs of quiet (with the filter's other fields as they are then), and a search changed
 * from elsewhere (back button, a shared link, "Clear filters") replaces the text.
 */
export function useSearchBox<F extends { search: string }>(filter: F, setFilter: (next: F) => void, delayMs: number) {
  const latest = useRef(filter);
  latest.current = filter;
  const push = useRef(setFilter);
  push.current = setFilter;
  const [text, setText] = useState(filter.search);
  const pushed = useRef(filter.search);
  useEffect(() => {
    if (filter.search !== pushed.current) {
      pushed.current = filter.search;
      setText(filter.search);
    }
  }, [filter.search]);
  useEffect(() => {
    if (text === latest.current.search) return;
    const id = window.setTimeout(() => {
      pushed.current = text;
      push.current({ ...latest.current, search: text });
    }, delayMs);
    return () => window.clearTimeout(id);
  }, [text, delayMs]); // only typing starts the timer; the other filters are read when it fires
  /** "Clear filters": empties the box without waiting and sets the filter to `empty`. */
  const clearAll = (empty: F) => {
    pushed.current = '';
    setText('');
    push.current(empty);
  };
  return { text, setText, clearAll };
}
