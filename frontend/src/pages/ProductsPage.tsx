// Products: the item list of a QuickBooks Desktop company (what mapping autocompletes from),
// and the upload of that list as exported from QuickBooks (seed 000, steps 1–8).
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { graphql } from '../api';
import { companiesByUse } from '../companies';
import { ErrorNotice, FormAlert } from '../components/ErrorNotice';
import { DataTable, EmptyList, InlineInput, InlineSelect, LoadMore, ResultCount, TableHead } from '../components/list/ListKit';
import { formatCount, formatDateTime } from '../format';
import type { ItemListUpload } from '../graphql/schema';
import { MAX_UPLOAD_BYTES, readTextFile } from '../readFile';
import { Link } from '../router';
import { useSignedIn } from '../session';
import { useQuery } from '../useQuery';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import { useTitle } from '../useTitle';
import { useAction } from '../useAction';
import { ITEMS_QUERY, ITEM_LIST_COMPANIES_QUERY, ITEM_LIST_READ_QUERY, REFRESH_ITEM_LIST_MUTATION, UPLOAD_ITEM_LIST_MUTATION } from '../graphql/products';
import type { ItemListCompaniesQuery, ItemListReadQuery, QuickBooksItemsQuery, UploadItemListMutation } from '../graphql/operations';

export const ITEMS_PAGE_SIZE = 50;
export const ITEM_SEARCH_DEBOUNCE_MS = 300;

export const EMPTY_NO_COMPANY =
  'No QuickBooks items yet. Add a QuickBooks Desktop connection on the Connections page, then upload its item list here.';
export const EMPTY_NO_ITEMS = 'No QuickBooks items yet. Upload the item list exported from QuickBooks below.';

type ItemRow = NodeOf<QuickBooksItemsQuery['quickBooksItems']>;

const SOURCE_LABEL: Record<string, string> = { csv: 'Uploaded list', quickbooks: 'QuickBooks' };

export function itemsVariables(company: string, search: string, after: string | null = null): Record<string, unknown> {
  const vars: Record<string, unknown> = { quickBooksConnectionId: company, first: ITEMS_PAGE_SIZE };
  if (search.trim()) vars.search = search.trim();
  if (after) vars.after = after;
  return vars;
}

// ---------------------------------------------------------------------------

function ItemList({ company, reloadKey }: { company: string; reloadKey: number }) {
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const searchId = useId();
  const filtered = search.trim() !== '';

  useEffect(() => {
    const id = window.setTimeout(() => setSearch(text), ITEM_SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(id);
  }, [text]);

  const list = usePagedConnection<QuickBooksItemsQuery, ItemRow>({
    query: ITEMS_QUERY,
    variables: (after) => itemsVariables(company, search, after),
    connection: (d) => d.quickBooksItems,
    reloadKey,
  });
  const { rows, error } = list;

  return (
    <div data-testid="item-list">
      <div className="toolbar">
        <InlineInput id={searchId} label="Search items" type="search" value={text} placeholder="Name contains…" onChange={(e) => setText(e.target.value)} />
      </div>
      {error && <ErrorNotice error={error} onRetry={list.reload} prefix="Could not load the items:" />}
      <ResultCount list={list} noun={['item', 'items']} testId="items-total" hidden={list.totalCount === 0 && !filtered} />
      <EmptyList list={list} testId={filtered ? 'items-no-match' : 'empty-state'}>
        {filtered ? `No item name contains “${search.trim()}”.` : EMPTY_NO_ITEMS}
      </EmptyList>
      <DataTable
        rows={rows}
        className="table table-items"
        region="QuickBooks items"
        columns={['Name', 'Type', 'Description', { label: 'Price', className: 'num' }, { label: 'On hand', className: 'num' }, 'Active', 'Source']}
      >
        {(r) => (
          <tr key={r.id} data-testid={`item-row-${r.id}`}>
            <th scope="row">{r.fullName}</th>
            <td>{r.type || <span className="muted">—</span>}</td>
            <td>{r.description || <span className="muted">—</span>}</td>
            <td className="num">{r.price || <span className="muted">—</span>}</td>
            <td className="num">{r.quantityOnHand || <span className="muted">—</span>}</td>
            <td>{r.active ? 'Yes' : <span className="badge badge-muted">Inactive</span>}</td>
            <td title={`Updated ${formatDateTime(r.updatedAt)}`}>{SOURCE_LABEL[r.source] ?? r.source}</td>
          </tr>
        )}
      </DataTable>
      <LoadMore list={list} onLoadMore={list.loadMore} />
    </div>
  );
}

// ---------------------------------------------------------------------------

function UploadItemList({ company, companyName, onUploaded }: { company: string; companyName: string; onUploaded: () => void }) {
  const inputId = useId();
  const { busy, error, setError, run } = useAction((ge) =>
    ge.code === 'FORBIDDEN' ? 'You do not have permission to upload an item list.' : ge.message || 'The upload failed.',
  );
  const [result, setResult] = useState<(ItemListUpload & { fileName: string }) | null>(null);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    setResult(null);
    if (!/\.csv$/i.test(file.name) && file.type !== 'text/csv') {
      setError(`“${file.name}” is not a .csv file. Save the item list as CSV (comma delimited) in Excel first.`);
      input.value = '';
      return;
    }
    if (file.size > MAX_UPLOAD_BYTES) {
      setError(`“${file.name}” is larger than 10 MB. Export the item list without extra columns.`);
      input.value = '';
      return;
    }
    await run(async () => {
      const csv = await readTextFile(file);
      const data = await graphql<UploadItemListMutation>(UPLOAD_ITEM_LIST_MUTATION, { quickBooksConnectionId: company, csv });
      setResult({ ...data.uploadItemList, fileName: file.name });
      onUploaded();
    });
    input.value = ''; // the same file can be chosen again
  };

  return (
    <section className="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload item list</h2>
      <p className="muted">
        The Missing Product Mapping page suggests item names from this list. “Read from QuickBooks” above fills it at the next Web
        Connector run; or upload the item list exported from QuickBooks:
      </p>
      <ol className="setup-steps">
        <li>
          In QuickBooks, go to <strong>Lists › Item List</strong>.
        </li>
        <li>
          Click <strong>Excel</strong> at the bottom of the item list.
        </li>
        <li>
          Choose <strong>Export all Items</strong> to a new spreadsheet.
        </li>
        <li>Open the newly created spreadsheet.</li>
        <li>
          Go to <strong>File › Save As</strong>.
        </li>
        <li>
          Save it as file type <strong>CSV (Comma delimited) (*.csv)</strong>.
        </li>
        <li>Come back to this Products page and check the QuickBooks company above is the one the list came from.</li>
        <li>
          Choose the .csv file below. Ledgerlink adds new items, updates the ones it knows and lists every row it skipped.
        </li>
      </ol>
      <div className="field">
        <label htmlFor={inputId}>Item list (.csv) for {companyName}</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          data-testid="item-list-upload"
          disabled={busy}
          aria-busy={busy}
          onChange={onFile}
        />
      </div>
      {busy && (
        <p className="muted" role="status">
          Uploading…
        </p>
      )}
      {error && (
        <p className="alert alert-error" role="alert" data-testid="upload-error">
          {error}
        </p>
      )}
      {result && (
        <div className="result-box" role="status" data-testid="upload-result">
          <p>
            <strong>
              {result.fileName}: {formatCount(result.created)} new {result.created === 1 ? 'item' : 'items'},{' '}
              {formatCount(result.updated)} updated
              {result.skipped.length > 0 && `, ${formatCount(result.skipped.length)} ${result.skipped.length === 1 ? 'row' : 'rows'} skipped`}.
            </strong>
          </p>
          {result.skipped.length > 0 && (
            <>
              <p className="small">Fix these rows in the spreadsheet and upload it again; rows already read are updated, not doubled.</p>
              <table className="table table-compact" data-testid="upload-skipped">
                <TableHead columns={['Row', 'Problem']} />
                <tbody>
                  {result.skipped.map((s) => (
                    <tr key={`${s.row}-${s.problem}`} data-testid="skipped-row">
                      <td className="nowrap">Row {s.row}</td>
                      <td>{s.problem}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------

/** How often the page looks at a read under way. */
export const ITEM_READ_POLL_MS = 3_000;

/** What a read of the item list is doing, in words. */
export function itemReadText(read: NonNullable<ItemListReadQuery['itemListRead']>): string {
  switch (read.state) {
    case 'QUEUED':
      return 'Asked for: the next QuickBooks Web Connector run reads the whole item list.';
    case 'READING':
      return `Reading the item list from QuickBooks (page ${read.page})…`;
    default:
      return `${read.message ?? ''} (asked for ${formatDateTime(read.startedAt)})`;
  }
}

/** Asks for the whole item list at the next Web Connector run, and follows the read to its result. */
function ReadFromQuickBooks({ company, onRead }: { company: string; onRead: () => void }) {
  const { busy, error, setError, run } = useAction((e) => e.message || 'Something went wrong.');
  const [polling, setPolling] = useState(false);
  const read = useQuery<ItemListReadQuery>(ITEM_LIST_READ_QUERY, { quickBooksConnectionId: company }, polling ? { pollMs: ITEM_READ_POLL_MS } : {});
  const current = read.data?.itemListRead ?? null;
  const underWay = current?.state === 'QUEUED' || current?.state === 'READING';
  const seenState = useRef<string | null>(null);
  useEffect(() => {
    setError(null);
  }, [company]);
  // Follow a read while it runs; when it ends, the list below shows what it brought.
  useEffect(() => {
    setPolling(underWay);
    const state = current?.state ?? null;
    if ((seenState.current === 'QUEUED' || seenState.current === 'READING') && state === 'DONE') onRead();
    seenState.current = state;
  }, [underWay, current?.state, onRead]);

  const refresh = () =>
    run(async () => {
      await graphql(REFRESH_ITEM_LIST_MUTATION, { quickBooksConnectionId: company });
      read.refetch();
    });

  return (
    <div className="read-from-qb">
      <button type="button" className="button button-small" disabled={busy || underWay} aria-busy={busy || underWay} onClick={refresh}>
        Read from QuickBooks
      </button>
      <p className="status-line small" role="status" data-testid="refresh-status" data-state={current?.state.toLowerCase()}>
        {current && itemReadText(current)}
      </p>
      <FormAlert message={error} />
    </div>
  );
}

export function ProductsPage() {
  useTitle('Products');
  const session = useSignedIn();
  const canUpload = session.user.role !== 'SUPPORT';
  const companiesQuery = useQuery<ItemListCompaniesQuery>(ITEM_LIST_COMPANIES_QUERY);
  const companies = useMemo(() => companiesByUse(companiesQuery.data), [companiesQuery.data]);
  const [chosen, setChosen] = useState<string>('');
  const [reloadKey, setReloadKey] = useState(0);
  const bumpReload = useCallback(() => setReloadKey((n) => n + 1), []);
  const selectId = useId();
  const company = companies.find((c) => c.id === chosen) ?? companies[0] ?? null;

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header-actions">
          <div>
            <h1>Products</h1>
            <p className="muted">The QuickBooks items your store SKUs are posted as.</p>
          </div>
          <Link className="button" to="/products/missing">
            Missing Product Mapping
          </Link>
        </div>
      </header>

      {companiesQuery.error && (
        <ErrorNotice error={companiesQuery.error} onRetry={companiesQuery.refetch} prefix="Could not load the QuickBooks companies:" />
      )}
      {companiesQuery.loading && !companiesQuery.data && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {companiesQuery.data && !company && (
        <section className="panel">
          <p className="empty" data-testid="empty-state">
            {EMPTY_NO_COMPANY}
          </p>
        </section>
      )}

      {company && (
        <>
          <section className="panel" aria-labelledby="items-heading">
            <div className="panel-head">
              <h2 id="items-heading">QuickBooks items</h2>
              {companies.length > 1 ? (
                <InlineSelect
                  id={selectId}
                  label="QuickBooks company"
                  value={company.id}
                  onChange={(e) => setChosen(e.target.value)}
                  options={companies.map((c) => ({ value: c.id, label: c.name }))}
                />
              ) : (
                <span className="muted" data-testid="item-company">
                  {company.name}
                </span>
              )}
            </div>
            {canUpload && <ReadFromQuickBooks company={company.id} onRead={bumpReload} />}
            <ItemList key={company.id} company={company.id} reloadKey={reloadKey} />
          </section>
          {canUpload ? (
            <UploadItemList company={company.id} companyName={company.name} onUploaded={bumpReload} />
          ) : (
            <p className="notice">Support staff can look at the item list but not upload one.</p>
          )}
        </>
      )}
    </div>
  );
}
