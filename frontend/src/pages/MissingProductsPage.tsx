// Missing Product Mapping (seed 000, steps 9–10): the SKUs QuickBooks has no item for, which
// park their orders in Needs mapping when a store's Missing Product Action is "Flag order as
// error and map", and the store shipping methods no rule maps to a QuickBooks item. Map each to
// a QuickBooks item, then "Resync mapped orders" turns the mappings into "Map SKU" / "Map
// shipping method" rules and sends the parked orders again.
import { Fragment, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { graphql } from '../api';
import { companiesByUse } from '../companies';
import { FormAlert, LoadStatus } from '../components/ErrorNotice';
import { ItemAutocomplete } from '../components/ItemAutocomplete';
import { FieldError } from '../components/PostingSettingsFields';
import { DataTable } from '../components/list/ListKit';
import { formatCount, formatDateTime } from '../format';
import type { ApplyMappingsResult, MappingKind, MissingProduct, MissingShippingMethod, ProductMapping } from '../graphql/schema';
import { Link } from '../router';
import { useSignedIn } from '../session';
import { toGraphQLError, useQuery } from '../useQuery';
import { useTitle } from '../useTitle';
import { APPLY_MAPPINGS_MUTATION, MAPPING_COMPANIES_QUERY, MAP_PRODUCT_MUTATION, MISSING_PRODUCTS_QUERY, MISSING_SHIPPING_QUERY, PRODUCT_MAPPINGS_QUERY, UNMAP_PRODUCT_MUTATION } from '../graphql/products';
import type { ApplyProductMappingsMutation, MappingCompaniesQuery, MissingProductsQuery, MissingShippingMethodsQuery, ProductMappingsQuery } from '../graphql/operations';

// Each list costs the server work in proportion to the account's orders: the API answers one
// such field per request, so the page asks for them separately.

export const MISSING_REFRESH_MS = 15_000;
export const EMPTY_MISSING =
  'No missing products. Orders whose SKUs have no QuickBooks item appear here when the Missing Product Action is “Flag order as error and map”.';
export const EMPTY_SHIPPING = 'Every shipping method your stores charge for is mapped to a QuickBooks item.';

type MappingRow = Pick<ProductMapping, 'id' | 'kind' | 'storeValue' | 'itemName' | 'createdBy' | 'createdAt'>;
type MissingRow = Pick<MissingProduct, 'sku' | 'orders' | 'exampleOrderId'> & { mapping: MappingRow | null };
type ShippingRow = Pick<MissingShippingMethod, 'method' | 'orders' | 'exampleOrderId'> & { mapping: MappingRow | null };
interface MissingData {
  missingProducts: MissingRow[];
  missingShippingMethods: ShippingRow[];
  productMappings: MappingRow[];
}

/** The page's three lists, each its own request, as one result. */
function useMissingData() {
  const poll = { pollMs: MISSING_REFRESH_MS };
  const skus = useQuery<MissingProductsQuery>(MISSING_PRODUCTS_QUERY, undefined, poll);
  const shipping = useQuery<MissingShippingMethodsQuery>(MISSING_SHIPPING_QUERY, undefined, poll);
  const mappings = useQuery<ProductMappingsQuery>(PRODUCT_MAPPINGS_QUERY, undefined, poll);
  const all = [skus, shipping, mappings];
  const data: MissingData | null =
    skus.data && shipping.data && mappings.data ? { ...skus.data, ...shipping.data, ...mappings.data } : null;
  return {
    data,
    error: all.find((q) => q.error)?.error ?? null,
    loading: all.some((q) => q.loading),
    refetch: () => all.forEach((q) => q.refetch()),
  };
}

export const KIND_LABEL: Record<MappingKind, string> = { PRODUCT: 'Product', SHIPPING_METHOD: 'Shipping method' };

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** "2 rules created, 5 orders queued". */
export function applyResultText(r: Pick<ApplyMappingsResult, 'rulesCreated' | 'ordersQueued'>): string {
  return `${plural(r.rulesCreated, 'rule', 'rules')} created, ${plural(r.ordersQueued, 'order', 'orders')} queued`;
}

/** Past this many orders a link by id would be too long: the link goes to the Orders page unfiltered. */
export const MAX_LINKED_ORDERS = 200;

/** The Orders page showing the orders a resync processed. */
export function resyncedOrdersHref(orderIds: readonly string[]): string {
  return orderIds.length <= MAX_LINKED_ORDERS ? `/orders?ids=${orderIds.join(',')}` : '/orders';
}

// ---------------------------------------------------------------------------

function MappingEditor({
  value: sku,
  defaultKind,
  current,
  companies,
  onSaved,
  onCancel,
}: {
  /** The SKU or shipping method to map. */
  value: string;
  defaultKind: MappingKind;
  current: MappingRow | null;
  companies: { id: string; name: string }[];
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const [itemName, setItemName] = useState(current?.itemName ?? '');
  const [kind, setKind] = useState<MappingKind>(current?.kind ?? defaultKind);
  const [company, setCompany] = useState(companies[0]?.id ?? '');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const ids = { company: `${uid}-company`, item: `${uid}-item`, kind: `${uid}-kind` };

  useEffect(() => {
    if (!company && companies[0]) setCompany(companies[0].id);
  }, [companies, company]);

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    const name = itemName.trim();
    if (!name) {
      setError(
        kind === 'PRODUCT' ? 'Enter the QuickBooks item this SKU is sold as.' : 'Enter the QuickBooks item this shipping method posts to.',
      );
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      // A mapping of another kind for the same value would linger: replace it.
      if (current && current.kind !== kind) await graphql(UNMAP_PRODUCT_MUTATION, { kind: current.kind, storeValue: sku });
      await graphql(MAP_PRODUCT_MUTATION, { kind, storeValue: sku, itemName: name });
      onSaved(`Mapped ${kind === 'PRODUCT' ? 'SKU' : 'shipping method'} “${sku}” to “${name}”. Click “Resync mapped orders” to post its orders.`);
    } catch (err) {
      const e2 = toGraphQLError(err);
      const field = e2.errors[0]?.extensions?.field;
      if (e2.code === 'BAD_USER_INPUT' && field === 'itemName') setError(e2.message);
      else setFormError(e2.message || 'Something went wrong.');
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!current) return;
    setBusy(true);
    setFormError(null);
    try {
      await graphql(UNMAP_PRODUCT_MUTATION, { kind: current.kind, storeValue: sku });
      onSaved(`Removed the mapping of “${sku}”.`);
    } catch (err) {
      setFormError(toGraphQLError(err).message || 'Something went wrong.');
      setBusy(false);
    }
  };

  return (
    <form className="mapping-editor" onSubmit={save} noValidate aria-label={`Map ${sku}`} data-testid="mapping-editor">
      <div className="inline-form-row">
        {companies.length > 1 && (
          <div className="field">
            <label htmlFor={ids.company}>QuickBooks company</label>
            <select id={ids.company} value={company} onChange={(e) => setCompany(e.target.value)}>
              {companies.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <span className="field-hint">Suggestions come from this company’s item list.</span>
          </div>
        )}
        <div className="field field-grow">
          <label htmlFor={ids.item}>QuickBooks item</label>
          <ItemAutocomplete
            id={ids.item}
            testId="map-item-input"
            connectionId={company || null}
            value={itemName}
            onChange={setItemName}
            invalid={!!error}
            describedBy={error ? `${ids.item}-error` : undefined}
            placeholder="Start typing an item name"
            disabled={busy}
          />
          <FieldError error={error} id={ids.item} />
        </div>
        <div className="field">
          <label htmlFor={ids.kind}>Item type</label>
          <select id={ids.kind} value={kind} disabled={busy} onChange={(e) => setKind(e.target.value as MappingKind)}>
            <option value="PRODUCT">{KIND_LABEL.PRODUCT}</option>
            <option value="SHIPPING_METHOD">{KIND_LABEL.SHIPPING_METHOD}</option>
          </select>
          <span className="field-hint">Mapping a shipping method? Choose “Shipping method”. Mapping a SKU? Choose “Product”.</span>
        </div>
      </div>
      <FormAlert message={formError} />
      <div className="form-actions">
        <button type="submit" className="button button-primary button-small" data-testid="map-save" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : 'Save mapping'}
        </button>
        {current && (
          <button type="button" className="button button-small button-danger-outline" disabled={busy} onClick={remove}>
            Remove mapping
          </button>
        )}
        <button type="button" className="button button-small button-link" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------

interface UnmappedRow {
  value: string;
  orders: number;
  exampleOrderId: string;
  mapping: MappingRow | null;
}

/** A missing SKU or shipping method as its table lists it: `value` is the SKU or the method. */
function unmappedRow(value: string, m: Omit<UnmappedRow, 'value'>): UnmappedRow {
  return { value, orders: m.orders, exampleOrderId: m.exampleOrderId, mapping: m.mapping };
}

const TABLE_TEXT: Record<MappingKind, { header: string; orders: string; testId: string; link: (v: string) => string; empty: string; emptyTestId: string }> = {
  PRODUCT: {
    header: 'SKU',
    orders: 'Orders held',
    testId: 'missing-row-',
    link: (v) => `View order held by ${v}`,
    empty: EMPTY_MISSING,
    emptyTestId: 'empty-state',
  },
  SHIPPING_METHOD: {
    header: 'Shipping method',
    orders: 'Orders',
    testId: 'missing-shipping-',
    link: (v) => `View order shipped with ${v}`,
    empty: EMPTY_SHIPPING,
    emptyTestId: 'shipping-empty-state',
  },
};

/** The SKUs (or shipping methods) without a QuickBooks item, each with an editor to map it; once loaded, says when there are none. */
function MissingTable({
  kind,
  loaded,
  rows,
  canEdit,
  companies,
  editing,
  onEdit,
  onSaved,
}: {
  kind: MappingKind;
  loaded: boolean;
  rows: UnmappedRow[];
  canEdit: boolean;
  companies: { id: string; name: string }[];
  editing: string | null;
  onEdit: (key: string | null) => void;
  onSaved: (message: string) => void;
}) {
  const text = TABLE_TEXT[kind];
  if (loaded && rows.length === 0) {
    return (
      <p className="empty" data-testid={text.emptyTestId}>
        {text.empty}
      </p>
    );
  }
  return (
    <DataTable
      rows={rows}
      className="table table-missing"
      testId={kind === 'PRODUCT' ? 'missing-skus' : 'missing-shipping-methods'}
      region={kind === 'PRODUCT' ? 'Missing products' : 'Shipping methods without an item'}
      columns={[text.header, { label: text.orders, className: 'num' }, 'Example order', 'Mapped to', { label: 'Actions', hidden: true }]}
    >
      {(row) => {
        const key = `${kind}:${row.value}`;
        const open = editing === key;
        return (
          <Fragment key={row.value}>
            <tr data-testid={text.testId + row.value}>
              <th scope="row">{kind === 'PRODUCT' ? <code>{row.value}</code> : row.value}</th>
              <td className="num">{formatCount(row.orders)}</td>
              <td>
                <Link to={`/orders/${encodeURIComponent(row.exampleOrderId)}`} aria-label={text.link(row.value)}>
                  View order
                </Link>
              </td>
              <td data-testid="current-mapping">
                {row.mapping ? (
                  <>
                    {row.mapping.itemName} <span className="badge badge-info">{KIND_LABEL[row.mapping.kind]}</span>
                    <span className="muted small"> · waiting for resync</span>
                  </>
                ) : (
                  <span className="muted">Not mapped</span>
                )}
              </td>
              <td className="actions">
                {canEdit && (
                  <button type="button" className="button button-small" aria-expanded={open} onClick={() => onEdit(open ? null : key)}>
                    {open ? 'Close' : 'Edit'}
                  </button>
                )}
              </td>
            </tr>
            {open && (
              <tr className="editor-row">
                <td colSpan={5}>
                  <MappingEditor
                    value={row.value}
                    defaultKind={kind}
                    current={row.mapping}
                    companies={companies}
                    onCancel={() => onEdit(null)}
                    onSaved={onSaved}
                  />
                </td>
              </tr>
            )}
          </Fragment>
        );
      }}
    </DataTable>
  );
}

// ---------------------------------------------------------------------------

export function MissingProductsPage() {
  useTitle('Missing Product Mapping');
  const session = useSignedIn();
  const canEdit = session.user.role !== 'SUPPORT';
  const { data, error, loading, refetch } = useMissingData();
  const companiesQuery = useQuery<MappingCompaniesQuery>(MAPPING_COMPANIES_QUERY);
  const companies = useMemo(() => companiesByUse(companiesQuery.data), [companiesQuery.data]);
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const [applied, setApplied] = useState<ApplyProductMappingsMutation['applyProductMappings'] | null>(null);
  /** The mapping being resynced on its own ("kind:value"), or "all". */
  const [applyingWhat, setApplyingWhat] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const missing = data?.missingProducts ?? [];
  const shipping = data?.missingShippingMethods ?? [];
  const mappings = data?.productMappings ?? [];

  /** Resyncs every mapping, or only m (its rule made, the orders its SKU holds up sent again). */
  const apply = async (m?: MappingRow) => {
    setApplying(true);
    setApplyingWhat(m ? `${m.kind}:${m.storeValue}` : 'all');
    setActionError(null);
    setMessage(null);
    try {
      const res = await graphql<ApplyProductMappingsMutation>(APPLY_MAPPINGS_MUTATION, m ? { kind: m.kind, storeValue: m.storeValue } : {});
      setApplied(res.applyProductMappings);
      setEditing(null);
      refetch();
    } catch (err) {
      setActionError(toGraphQLError(err).message || 'Something went wrong.');
    } finally {
      setApplying(false);
      setApplyingWhat(null);
    }
  };

  const tableProps = {
    loaded: !!data,
    canEdit,
    companies,
    editing,
    onEdit: (key: string | null) => {
      setMessage(null);
      setEditing(key);
    },
    onSaved: (text: string) => {
      setEditing(null);
      setMessage(text);
      setApplied(null);
      refetch();
    },
  };

  const unmap = async (m: MappingRow) => {
    setActionError(null);
    try {
      await graphql(UNMAP_PRODUCT_MUTATION, { kind: m.kind, storeValue: m.storeValue });
      setMessage(`Removed the mapping of “${m.storeValue}”.`);
      refetch();
    } catch (err) {
      setActionError(toGraphQLError(err).message || 'Something went wrong.');
    }
  };

  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to="/products">Products</Link> › Missing Product Mapping
        </p>
        <div className="page-header-actions">
          <div>
            <h1>Missing Product Mapping</h1>
            <p className="muted">
              SKUs QuickBooks has no item for. Their orders wait in{' '}
              <Link to="/orders?state=NEEDS_MAPPING">Needs mapping</Link> until you map each SKU to a QuickBooks item and resync.
              Shipping methods without a mapping post their shipping to the store’s default shipping item.
            </p>
          </div>
          {canEdit && (
            <button
              type="button"
              className="button button-primary"
              data-testid="apply-mappings"
              disabled={applying || (data !== null && mappings.length === 0 && missing.length === 0)}
              aria-busy={applying}
              onClick={() => void apply()}
            >
              {applyingWhat === 'all' ? 'Resyncing…' : 'Resync mapped orders'}
            </button>
          )}
        </div>
      </header>

      {applied && (
        <div className="result-box" role="status" data-testid="apply-result">
          <p>
            <strong>{applyResultText(applied)}.</strong>{' '}
            {applied.ordersResynced > applied.ordersQueued &&
              `${plural(applied.ordersResynced - applied.ordersQueued, 'order was', 'orders were')} processed again but not queued: see Orders for why.`}
          </p>
          {applied.orderIds.length > 0 && (
            <p>
              <Link to={resyncedOrdersHref(applied.orderIds)} data-testid="resynced-orders-link">
                {applied.orderIds.length === 1 ? 'See the resynced order' : `See the ${formatCount(applied.orderIds.length)} resynced orders`}
              </Link>{' '}
              <span className="muted small">on the Orders page, with their state as they go to QuickBooks.</span>
            </p>
          )}
          <p className="small">
            Each mapping became a “Map SKU …” rule (“Map shipping method …” for shipping methods) and left this list. To change a
            mapping later, edit its rule on the <Link to="/rules">Rules</Link> page.
          </p>
        </div>
      )}
      {message && (
        <p className="status-line" role="status" data-testid="mapping-status">
          {message}
        </p>
      )}
      <FormAlert message={actionError} />

      <section className="panel" aria-labelledby="missing-heading">
        <h2 id="missing-heading">SKUs without a QuickBooks item</h2>
        <LoadStatus error={error} loading={loading} loaded={!!data} onRetry={refetch} prefix={data ? 'Could not refresh:' : 'Could not load the missing products:'} />
        <MissingTable kind="PRODUCT" rows={missing.map((m) => unmappedRow(m.sku, m))} {...tableProps} />
      </section>

      <section className="panel" aria-labelledby="shipping-heading">
        <h2 id="shipping-heading">Shipping methods without a QuickBooks item</h2>
        <p className="muted small">
          Shipping methods your stores charged for that no rule maps to a QuickBooks item. Until you map one, its shipping lines post to the
          store’s default shipping item.
        </p>
        <MissingTable kind="SHIPPING_METHOD" rows={shipping.map((m) => unmappedRow(m.method, m))} {...tableProps} />
      </section>

      <section className="panel" aria-labelledby="mappings-heading">
        <h2 id="mappings-heading">Mappings waiting for a resync</h2>
        <p className="muted small">
          “Resync mapped orders” turns these into rules and sends the orders waiting in Needs mapping to QuickBooks again; “Resync this
          one” does it for one mapping and the orders its SKU holds up.
        </p>
        {data && mappings.length === 0 && <p className="empty">No mappings waiting. Edit a SKU above to map it.</p>}
        <DataTable
          rows={mappings}
          testId="pending-mappings"
          region="Pending mappings"
          columns={['Store value', 'Type', 'QuickBooks item', 'Mapped by', { label: 'Actions', hidden: true }]}
        >
          {(m) => (
            <tr key={m.id} data-testid={`mapping-${m.id}`}>
              <th scope="row">
                <code>{m.storeValue}</code>
              </th>
              <td>{KIND_LABEL[m.kind]}</td>
              <td>{m.itemName}</td>
              <td>
                {m.createdBy} <span className="muted small">· {formatDateTime(m.createdAt)}</span>
              </td>
              <td className="actions">
                {canEdit && (
                  <>
                    <button
                      type="button"
                      className="button button-small"
                      disabled={applying}
                      aria-busy={applyingWhat === `${m.kind}:${m.storeValue}`}
                      aria-label={`Resync ${m.storeValue} only`}
                      onClick={() => void apply(m)}
                    >
                      {applyingWhat === `${m.kind}:${m.storeValue}` ? 'Resyncing…' : 'Resync this one'}
                    </button>{' '}
                    <button type="button" className="button button-small button-danger-outline" onClick={() => unmap(m)}>
                      Remove
                    </button>
                  </>
                )}
              </td>
            </tr>
          )}
        </DataTable>
      </section>
    </div>
  );
}
