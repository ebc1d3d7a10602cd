import { useEffect, useState } from 'react';
import type { Account } from '../graphql/schema';
import { useSession, useSignedIn } from '../session';
import { useQuery } from '../useQuery';
import { ACCOUNT_PICKER_QUERY } from '../graphql/accounts';
import type { AccountPickerQuery } from '../graphql/operations';

type Option = Pick<Account, 'id' | 'name'>;

/** For support staff: choose which account to look at (sent as X-Ledgerlink-Account). */
export function AccountPicker() {
  const session = useSignedIn();
  const { viewedAccountId, selectAccount } = useSession();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');

  useEffect(() => {
    const id = window.setTimeout(() => setSearch(text.trim()), 300);
    return () => window.clearTimeout(id);
  }, [text]);

  const { data, error } = useQuery<AccountPickerQuery>(ACCOUNT_PICKER_QUERY, search ? { search } : {}, {
    key: viewedAccountId ?? '',
  });

  // A remembered account that no longer exists (or may not be read): fall back to the own account.
  useEffect(() => {
    if (viewedAccountId && error && ['NOT_FOUND', 'BAD_USER_INPUT', 'FORBIDDEN'].includes(error.code)) {
      selectAccount(null);
    }
  }, [error, viewedAccountId, selectAccount]);

  const ownId = session.account.id;
  const options: Option[] = [];
  const seen = new Set<string>([ownId]);
  const viewed = data?.viewer.account;
  if (viewed && !seen.has(viewed.id)) {
    options.push(viewed);
    seen.add(viewed.id);
  }
  for (const { node } of data?.accounts.edges ?? []) {
    if (!seen.has(node.id)) {
      options.push(node);
      seen.add(node.id);
    }
  }
  if (viewedAccountId && !seen.has(viewedAccountId)) options.push({ id: viewedAccountId, name: viewedAccountId });

  return (
    <div className="account-picker">
      <label className="visually-hidden" htmlFor="account-search">
        Find account
      </label>
      <input
        id="account-search"
        type="search"
        className="input-compact"
        placeholder="Find account…"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <label className="visually-hidden" htmlFor="account-select">
        Viewing account
      </label>
      <select
        id="account-select"
        className="input-compact"
        value={viewedAccountId ?? ''}
        onChange={(e) => selectAccount(e.target.value && e.target.value !== ownId ? e.target.value : null)}
      >
        <option value="">{session.account.name} (own account)</option>
        {options.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      {data && search && (
        <span className="muted small" role="status">
          {data.accounts.totalCount} found
        </span>
      )}
    </div>
  );
}
