// A ShipStation connection's "Sync Orders from QuickBooks" section (issue 13, seed 004): whether
// the QuickBooks company's sales become ShipStation orders, which ones, where they go, and what
// comes back when they ship. A form of its own, saved with updateStoreConnection's
// settings.quickbooksToShipStation, so the posting settings' Save never touches it. Test sales
// are queued with their own button (sendShipStationTestSales), not by saving.
import { useId, useState, type FormEvent } from 'react';
import { graphql, type GraphQLError } from '../../api';
import type { SendShipStationTestSalesMutation, ShipStationTestSalesQuery } from '../../graphql/operations';
import type { QuickBooksToShipStationSettings } from '../../graphql/schema';
import { SEND_SHIPSTATION_TEST_SALES_MUTATION, SHIPSTATION_TEST_SALES_QUERY } from '../../graphql/shipstation';
import { formatDateTimeShort } from '../../format';
import { Link } from '../../router';
import { useAction } from '../../useAction';
import { useQuery } from '../../useQuery';
import { SaveBar, TextField, useSettingsForm } from '../settings/SettingsKit';
import { updateStoreConnection, type UpdatedStore, type StoreSectionProps } from '../settings/storeSection';
import {
  orderNumbersProblem,
  parseOrderNumbers,
  serverField,
  serverMessage,
  toShipStationForm,
  toShipStationInput,
  toShipStationProblems,
  type ToShipStationField,
  type ToShipStationForm,
} from './form';
import { DirectionField, OrderStatusField, SalesFilterFields, StoreField, TrackingFields, TxnTypesField } from './ShipStationSyncFields';

export const OWNER_ONLY_TO_SHIPSTATION = 'Only the account owner can change Sync Orders from QuickBooks.';

type Props = StoreSectionProps<{ quickBooksConnectionId?: string | null; settings: { quickbooksToShipStation?: QuickBooksToShipStationSettings | null } }>;

/** Saves the direction's settings on a ShipStation connection; returns the form as saved and what to say. */
export async function saveToShipStation(connectionId: string, form: ToShipStationForm): Promise<{ row: UpdatedStore; form: ToShipStationForm; saved: string }> {
  const row = await updateStoreConnection(connectionId, { settings: { quickbooksToShipStation: toShipStationInput(form) } });
  return {
    row,
    form: toShipStationForm(row.settings.quickbooksToShipStation),
    saved: row.settings.quickbooksToShipStation.enabled
      ? 'Saved. QuickBooks sales are sent to ShipStation on the next Web Connector run.'
      : 'Saved: off. No QuickBooks sales are sent to ShipStation and nothing is written back.',
  };
}

/** A refusal of quickbooksToShipStation.<field> as the field and the message to show under it. */
export function refusedToShipStationField(g: GraphQLError): { field: ToShipStationField; message: string } | null {
  const field = serverField(g.errors[0]?.extensions?.field, g.message);
  return field ? { field, message: serverMessage(g.message) } : null;
}

export function ShipStationSyncSettings({ store, onSaved }: Props) {
  const settings = useSettingsForm<ToShipStationForm, ToShipStationField>({
    initial: () => toShipStationForm(store.settings.quickbooksToShipStation),
    problems: toShipStationProblems,
    save: async (f) => {
      const done = await saveToShipStation(store.id, f);
      onSaved(done.row);
      return done;
    },
    refusedField: refusedToShipStationField,
    forbidden: OWNER_ONLY_TO_SHIPSTATION,
  });
  const { busy, formError, saved, submit } = settings;

  return (
    <section className="inventory-sync-settings" aria-label="Sync Orders from QuickBooks" data-testid="shipstation-sync-settings">
      <form onSubmit={submit} noValidate aria-label="Sync Orders from QuickBooks settings">
        <h4>Sync Orders from QuickBooks</h4>
        <p className="muted">
          The QuickBooks company of this connection sends its sales to ShipStation as orders on every Web Connector run; when ShipStation ships them,
          the tracking number and shipping cost come back into the QuickBooks sale. Sales Ledgerlink itself posted from a store are never sent back.
          Exclude sales or pick a store per sale with a <Link to="/rules/new">QuickBooks → ShipStation rule</Link>.
        </p>
        <div className="field-grid">
          <DirectionField {...settings} hasCompany={!!store.quickBooksConnectionId} />
          <TxnTypesField {...settings} />
          <SalesFilterFields {...settings} />
          <StoreField {...settings} connectionId={store.id} />
          <OrderStatusField {...settings} />
        </div>

        <h5>Tracking details back to QuickBooks</h5>
        <div className="field-grid">
          <TrackingFields {...settings} />
        </div>
        <SaveBar formError={formError} status={saved} statusTestId="shipstation-sync-status" busy={busy} label="Save Sync Orders from QuickBooks" />
      </form>
      <ShipStationTestSales connectionId={store.id} />
    </section>
  );
}

const TEST_STATE_LABEL: Record<string, string> = {
  pending: 'Waiting for the next Web Connector run',
  sent: 'Sent',
  not_found: 'Not found in QuickBooks',
  failed: 'Failed',
  parked: 'Not sent',
};

/** The QuickBooks order numbers of test sales, comma-separated (the set-up wizard's last step uses it too). */
export function TestSaleNumbersField({ id, value, onChange, error }: { id: string; value: string; onChange: (v: string) => void; error?: string | null }) {
  return (
    <TextField
      id={id}
      label="QuickBooks order numbers"
      value={value}
      placeholder="1001, 1002"
      onChange={onChange}
      hint="Separate them with commas."
      error={error ?? undefined}
    />
  );
}

/**
 * Test sales: QuickBooks order numbers sent on the next Web Connector run whatever their class,
 * and how each went, read again every pollMs.
 */
export function ShipStationTestSales({ connectionId, pollMs = 15000 }: { connectionId: string; pollMs?: number }) {
  const [text, setText] = useState('');
  const { busy, error, setError, run } = useAction((g) =>
    g.code === 'FORBIDDEN' ? 'Only members of the account can send test sales.' : g.message || 'Something went wrong.',
  );
  const [queued, setQueued] = useState<string | null>(null);
  const uid = useId();
  const results = useQuery<ShipStationTestSalesQuery>(SHIPSTATION_TEST_SALES_QUERY, { connectionId }, { pollMs });

  const send = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setQueued(null);
    const problem = orderNumbersProblem(text);
    setError(problem);
    if (problem) return;
    await run(async () => {
      const refNumbers = parseOrderNumbers(text);
      await graphql<SendShipStationTestSalesMutation>(SEND_SHIPSTATION_TEST_SALES_MUTATION, { connectionId, refNumbers });
      setQueued(`${refNumbers.length === 1 ? 'Order' : 'Orders'} ${refNumbers.join(', ')} will be sent on the next Web Connector run.`);
      setText('');
      results.refetch();
    });
  };

  const rows = results.data?.shipStationTestSales ?? [];
  return (
    <form onSubmit={send} noValidate aria-label="Test sales" data-testid="shipstation-test-sales">
      <h5>Test sales</h5>
      <p className="muted">Try a few QuickBooks sales first: they are sent whatever their class, and the result shows below.</p>
      <TestSaleNumbersField id={`${uid}-refs`} value={text} onChange={setText} error={error} />
      <p className="status-line" role="status">
        {queued}
      </p>
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy} aria-busy={busy}>
          {busy ? 'Sending…' : 'Send on the next Web Connector run'}
        </button>
      </div>
      {results.error && <p className="muted">The test results could not be read: {results.error.message}</p>}
      {rows.length > 0 && (
        <table className="table" data-testid="shipstation-test-sale-rows">
          <thead>
            <tr>
              <th>Order</th>
              <th>State</th>
              <th>Result</th>
              <th>Asked</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.refNumber}-${r.requestedAt}`} data-state={r.state}>
                <td>{r.refNumber}</td>
                <td>{TEST_STATE_LABEL[r.state] ?? r.state}</td>
                <td>{r.result}</td>
                <td>{formatDateTimeShort(r.requestedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  );
}
