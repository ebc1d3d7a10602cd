// A text input that suggests QuickBooks items as you type (from the item list uploaded on the
// Products page), following the ARIA combobox pattern. Any name may be typed: the list only helps.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { graphql } from '../api';
import type { QuickBooksItem } from '../graphql/schema';
import { ITEM_SUGGESTIONS_QUERY } from '../graphql/products';
import type { QuickBooksItemSuggestionsQuery } from '../graphql/operations';

export const AUTOCOMPLETE_DEBOUNCE_MS = 250;
export const AUTOCOMPLETE_LIMIT = 8;

type Suggestion = Pick<QuickBooksItem, 'id' | 'fullName' | 'type' | 'description' | 'active'>;

interface Props {
  id: string;
  /** The QuickBooks company whose items are suggested; null: no suggestions. */
  connectionId: string | null;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
}

export function ItemAutocomplete({ id, connectionId, value, onChange, testId, disabled, invalid, describedBy, placeholder }: Props) {
  const listId = useId();
  const statusId = useId();
  const [items, setItems] = useState<Suggestion[]>([]);
  const [total, setTotal] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [state, setState] = useState<'idle' | 'searching' | 'done' | 'failed'>('idle');
  const [query, setQuery] = useState<string | null>(null); // what the user typed and wants suggestions for
  const generation = useRef(0);

  useEffect(() => {
    if (query === null || !connectionId) return;
    const text = query.trim();
    if (!text) {
      generation.current++;
      setItems([]);
      setState('idle');
      setOpen(false);
      return;
    }
    const gen = ++generation.current;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setState('searching');
      graphql<QuickBooksItemSuggestionsQuery>(
        ITEM_SUGGESTIONS_QUERY,
        { quickBooksConnectionId: connectionId, search: text, first: AUTOCOMPLETE_LIMIT },
        { signal: controller.signal },
      )
        .then((data) => {
          if (gen !== generation.current) return;
          // The server ranks them: active items first, inactive ones (unusable on a sale) last.
          setItems(data.quickBooksItemSuggestions.items);
          setTotal(data.quickBooksItemSuggestions.totalCount);
          setActive(-1);
          setState('done');
          setOpen(true);
        })
        .catch(() => {
          if (gen !== generation.current || controller.signal.aborted) return;
          setItems([]);
          setState('failed');
          setOpen(true);
        });
    }, AUTOCOMPLETE_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query, connectionId]);

  const pick = (item: Suggestion) => {
    generation.current++;
    setQuery(null);
    onChange(item.fullName);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && items.length > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % items.length);
    } else if (e.key === 'ArrowUp' && items.length > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i <= 0 ? items.length - 1 : i - 1));
    } else if (e.key === 'Enter' && open && active >= 0 && items[active]) {
      e.preventDefault();
      pick(items[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    }
  };

  const showList = open && state === 'done' && items.length > 0;
  const listRef = useRef<HTMLUListElement>(null);
  // A field low on the screen would open its suggestions below the fold: bring them into view
  // (only as far as needed; the browser does nothing when they already show).
  useEffect(() => {
    if (showList) listRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [showList, items]);
  let status = '';
  if (!connectionId) status = 'No QuickBooks company to suggest items from: type the item name as QuickBooks has it.';
  else if (state === 'searching') status = 'Searching the QuickBooks item list…';
  else if (state === 'failed') status = 'Suggestions are not available right now; type the item name as QuickBooks has it.';
  else if (open && state === 'done' && items.length === 0)
    status = `No QuickBooks item contains “${(query ?? value).trim()}”. You can still save the name as typed; upload your item list on the Products page to get suggestions.`;
  else if (showList) status = `${total} ${total === 1 ? 'item matches' : 'items match'}${total > items.length ? `; showing ${items.length}` : ''}.`;

  return (
    <div className="autocomplete">
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={[describedBy, statusId].filter(Boolean).join(' ')}
        data-testid={testId}
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        onChange={(e) => {
          onChange(e.target.value);
          setQuery(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => {
          if (items.length > 0 && state === 'done') setOpen(true);
        }}
      />
      <ul ref={listRef} id={listId} role="listbox" className="autocomplete-list" hidden={!showList} aria-label="QuickBooks items">
        {showList &&
          items.map((item, i) => (
            <li
              key={item.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`autocomplete-option${i === active ? ' autocomplete-option-active' : ''}${item.active ? '' : ' autocomplete-option-inactive'}`}
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(item);
              }}
            >
              <span className="autocomplete-name">{item.fullName}</span>{' '}
              <span className="muted small">{item.type}</span>
              {!item.active && (
                <>
                  {' '}
                  <span className="badge badge-warning" title="Inactive in QuickBooks: make it active there before a sale can use it">
                    inactive
                  </span>
                </>
              )}
            </li>
          ))}
      </ul>
      <p className="field-hint autocomplete-status" id={statusId} aria-live="polite">
        {status}
      </p>
    </div>
  );
}
