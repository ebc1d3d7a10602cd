// Missing Product Mapping (seed 000, steps 9–10): the SKUs QuickBooks has no item for, which
// park their orders in Needs mapping when a store's Missing Product Action is "Flag order as
// error and map". Map each to a QuickBooks item, then "Resync mapped orders" turns the mappings
// into "Map SKU" rules and sends the parked orders again.
import { Fragment, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { graphql } from '../api';
import { COMPANY_CHOICE_FIELDS, companiesByUse, type CompanyChoiceData } from '../companies';
import { ErrorNotice } from '../components/ErrorNotice';
import { ItemAutocomplete } from '../components/ItemAutocomplete';
import { FieldError } from '../components/PostingSettingsFields';
import { formatCount, formatDateTime } from '../format';
import type { ApplyMappingsResult, MappingKind, MissingProduct, ProductMapping } from '../graphql/schema';
import { Link } from '../router';
import { useSignedIn } from '../session';
import { toGraphQLError, useQuery } from '../useQuery';
import { useTitle } from '../useTitle';

const MAPPING_FIELDS = 'id kind storeValue itemName createdBy createdAt';

export const MISSING_PRODUCTS_QUERY = `query MissingProducts {
  missingProducts { sku orders exampleOrderId mapping { ${MAPPING_FIELDS} } }
  productMappings { ${MAPPING_FIELDS} }
}`;

export const MAPPING_COMPANIES_QUERY = `query MappingCompanies {
  ${COMPANY_CHOICE_FIELDS}
}`;

export const MAP_PRODUCT_MUTATION = `mutation MapProduct($kind: MappingKind!, $storeValue: String!, $itemName: String!) {
  mapProduct(kind: $kind, storeValue: $storeValue, itemName: $itemName) { ${MAPPING_FIELDS} }
}`;

export const UNMAP_PRODUCT_MUTATION = `mutation UnmapProduct($kind: MappingKind!, $storeValue: String!) {
  unmapProduct(kind: $kind, storeValue: $storeValue)
}`;

export const APPLY_MAPPINGS_MUTATION = `mutation ApplyProductMappings {
  applyProductMappings { rulesCreated ordersResynced ordersQueued }
}`;

export const MISSING_REFRESH_MS = 15_000;
export const EMPTY_MISSING =
  'No missing products. Orders whose SKUs have no QuickBooks item appear here when the Missing Product Action is “Flag order as error and map”.';

type MappingRow = Pick<ProductMapping, 'id' | 'kind' | 'storeValue' | 'itemName' | 'createdBy' | 'createdAt'>;
type MissingRow = Pick<MissingProduct, 'sku' | 'orders' | 'exampleOrderId'> & { mapping: MappingRow | null };
interface MissingData {
  missingProducts: MissingRow[];
  productMappings: MappingRow[];
}

export const KIND_LABEL: Record<MappingKind, string> = { PRODUCT: 'Product', SHIPPING_METHOD: 'Shipping method' };

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** "2 rules created, 5 orders queued". */
export function applyResultText(r: ApplyMappingsResult): string {
  return `${plural(r.rulesCreated, 'rule', 'rules')} created, ${plural(r.ordersQueued, 'order', 'orders')} queued`;
}

// ---------------------------------------------------------------------------

function MappingEditor({
  sku,
  current,
  companies,
  onSaved,
  onCancel,
}: {
  sku: string;
  current: MappingRow | null;
  companies: { id: string; name: string }[];
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const [itemName, setItemName] = useState(current?.itemName ?? '');
  const [kind, setKind] = useState<MappingKind>(current?.kind ?? 'PRODUCT');
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
      setError('Enter the QuickBooks item this SKU is sold as.');
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
      {formError && (
        <p className="alert alert-error" role="alert">
          {formError}
        </p>
      )}
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

export function MissingProductsPage() {
  useTitle('Missing Product Mapping');
  const session = useSignedIn();
  const canEdit = session.user.role !== 'SUPPORT';
  const { data, error, loading, refetch } = useQuery<MissingData>(MISSING_PRODUCTS_QUERY, undefined, { pollMs: MISSING_REFRESH_MS });
  const companiesQuery = useQuery<CompanyChoiceData>(MAPPING_COMPANIES_QUERY);
  const companies = useMemo(() => companiesByUse(companiesQuery.data), [companiesQuery.data]);
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const [applied, setApplied] = useState<ApplyMappingsResult | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const missing = data?.missingProducts ?? [];
  const mappings = data?.productMappings ?? [];

  const apply = async () => {
    setApplying(true);
    setActionError(null);
    setMessage(null);
    try {
      const res = await graphql<{ applyProductMappings: ApplyMappingsResult }>(APPLY_MAPPINGS_MUTATION);
      setApplied(res.applyProductMappings);
      setEditing(null);
      refetch();
    } catch (err) {
      setActionError(toGraphQLError(err).message || 'Something went wrong.');
    } finally {
      setApplying(false);
    }
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
            </p>
          </div>
          {canEdit && (
            <button
              type="button"
              className="button button-primary"
              data-testid="apply-mappings"
              disabled={applying || (data !== null && mappings.length === 0 && missing.length === 0)}
              aria-busy={applying}
              onClick={apply}
            >
              {applying ? 'Resyncing…' : 'Resync mapped orders'}
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
      {actionError && (
        <p className="alert alert-error" role="alert">
          {actionError}
        </p>
      )}

      <section className="panel" aria-labelledby="missing-heading">
        <h2 id="missing-heading">SKUs without a QuickBooks item</h2>
        {error && <ErrorNotice error={error} onRetry={refetch} prefix={data ? 'Could not refresh:' : 'Could not load the missing products:'} />}
        {loading && !data && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {data && missing.length === 0 && (
          <p className="empty" data-testid="empty-state">
            {EMPTY_MISSING}
          </p>
        )}
        {missing.length > 0 && (
          <div className="table-wrap">
            <table className="table table-missing">
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col" className="num">
                    Orders held
                  </th>
                  <th scope="col">Example order</th>
                  <th scope="col">Mapped to</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {missing.map((row) => {
                  const open = editing === row.sku;
                  return (
                    <Fragment key={row.sku}>
                      <tr data-testid={`missing-row-${row.sku}`}>
                        <th scope="row">
                          <code>{row.sku}</code>
                        </th>
                        <td className="num">{formatCount(row.orders)}</td>
                        <td>
                          <Link to={`/orders/${encodeURIComponent(row.exampleOrderId)}`} aria-label={`An order held by ${row.sku}`}>
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
                            <button
                              type="button"
                              className="button button-small"
                              aria-expanded={open}
                              onClick={() => {
                                setMessage(null);
                                setEditing(open ? null : row.sku);
                              }}
                            >
                              {open ? 'Close' : 'Edit'}
                            </button>
                          )}
                        </td>
                      </tr>
                      {open && (
                        <tr className="editor-row">
                          <td colSpan={5}>
                            <MappingEditor
                              sku={row.sku}
                              current={row.mapping}
                              companies={companies}
                              onCancel={() => setEditing(null)}
                              onSaved={(text) => {
                                setEditing(null);
                                setMessage(text);
                                setApplied(null);
                                refetch();
                              }}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="mappings-heading">
        <h2 id="mappings-heading">Mappings waiting for a resync</h2>
        <p className="muted small">
          “Resync mapped orders” turns these into rules and sends the orders waiting in Needs mapping to QuickBooks again.
        </p>
        {data && mappings.length === 0 && <p className="empty">No mappings waiting. Edit a SKU above to map it.</p>}
        {mappings.length > 0 && (
          <div className="table-wrap">
            <table className="table" data-testid="pending-mappings">
              <thead>
                <tr>
                  <th scope="col">Store value</th>
                  <th scope="col">Type</th>
                  <th scope="col">QuickBooks item</th>
                  <th scope="col">Mapped by</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {mappings.map((m) => (
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
                        <button type="button" className="button button-small button-danger-outline" onClick={() => unmap(m)}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
