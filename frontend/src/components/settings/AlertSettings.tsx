// Settings → Alerts (issue 16): which events the account is told about, who hears them (e-mail
// recipients, a signed webhook whose secret is shown once), how often the digest may go, and a
// "Send test alert" button that says how each channel went. Below: the latest deliveries and
// the latest alerts, each linking to where to look.
import { useState } from 'react';
import { graphql, type GraphQLError } from '../../api';
import { ALERT_SETTINGS_QUERY, ROTATE_ALERT_WEBHOOK_SECRET_MUTATION, SEND_TEST_ALERT_MUTATION, UPDATE_ALERT_SETTINGS_MUTATION } from '../../graphql/alerts';
import type {
  AlertSettingsQuery,
  RotateAlertWebhookSecretMutation,
  SendTestAlertMutation,
  UpdateAlertSettingsMutation,
} from '../../graphql/operations';
import { AlertKindValues, type AlertKind } from '../../graphql/schema';
import { formatDateTime } from '../../format';
import { Link } from '../../router';
import { useSignedIn } from '../../session';
import { useAction } from '../../useAction';
import { useQuery } from '../../useQuery';
import { ConfirmActions } from '../ConfirmActions';
import { FormAlert, LoadStatus } from '../ErrorNotice';
import { DataTable } from '../list/ListKit';
import { SecretShownOnce } from '../SecretValue';
import { Checkbox, SaveBar, TextField, useSettingsForm, type FieldErrors } from './SettingsKit';

export const OWNER_ONLY_ALERTS = 'Only the account owner can change alerts.';

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  ORDER_FAILED: 'An order fails (its first failure)',
  ORDER_WAITING: 'An order waits longer than the waiting threshold',
  QBD_SILENT: 'A Web Connector is silent for 3 × its schedule, or keeps failing',
  STORE_AUTH: 'A store rejects its credentials',
  INVENTORY_FAILED: 'An inventory push fails',
  SWEEP_GAP: "The daily check finds an order missing from Ledgerlink or QuickBooks",
};

type Settings = AlertSettingsQuery['alertSettings'];
type AlertRow = AlertSettingsQuery['alerts']['edges'][number]['node'];

export interface AlertForm {
  kinds: AlertKind[];
  /** E-mail addresses, separated by commas or spaces. */
  recipients: string;
  webhookUrl: string;
  digestMinutes: string;
  waitingHours: string;
}
type AlertField = keyof AlertForm;

export function toAlertForm(s: Settings): AlertForm {
  return {
    kinds: s.kinds,
    recipients: s.recipients.join(', '),
    webhookUrl: s.webhookUrl,
    digestMinutes: String(s.digestMinutes),
    waitingHours: String(s.waitingHours),
  };
}

export function splitRecipients(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function wholeIn(text: string, min: number, max: number): boolean {
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && n >= min && n <= max;
}

/** What the form would be refused for, by field. */
export function alertProblems(f: AlertForm): FieldErrors<AlertField> {
  const out: FieldErrors<AlertField> = {};
  const bad = splitRecipients(f.recipients).filter((r) => !EMAIL.test(r));
  if (bad.length > 0) out.recipients = `Not an e-mail address: ${bad.join(', ')}.`;
  else if (splitRecipients(f.recipients).length > 20) out.recipients = 'At most 20 recipients; use a mailing list for more.';
  if (f.webhookUrl.trim() && !/^https?:\/\/[^\s/]+/.test(f.webhookUrl.trim())) out.webhookUrl = 'Enter an http(s) address like https://example.com/hooks/ledgerlink.';
  if (!wholeIn(f.digestMinutes, 5, 1440)) out.digestMinutes = 'Enter whole minutes from 5 to 1440 (a day).';
  if (!wholeIn(f.waitingHours, 1, 720)) out.waitingHours = 'Enter whole hours from 1 to 720 (30 days).';
  return out;
}

function refusedAlertField(g: GraphQLError): { field: AlertField; message: string } | null {
  const field = g.errors[0]?.extensions?.field;
  const known: AlertField[] = ['recipients', 'webhookUrl', 'digestMinutes', 'waitingHours'];
  return typeof field === 'string' && (known as string[]).includes(field) ? { field: field as AlertField, message: g.message } : null;
}

function NewWebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <SecretShownOnce label="New webhook secret" value={secret} noun="secret" testId="alert-webhook-secret" onDone={onDone}>
      <strong>Webhook secret.</strong> Copy it now into the receiver: it signs every alert webhook (<code>X-Ledgerlink-Signature</code>) and
      cannot be shown again.
    </SecretShownOnce>
  );
}

function KindsField({ form, set, id, disabled }: { form: AlertForm; set: <K extends AlertField>(f: K, v: AlertForm[K]) => void; id: (f: string) => string; disabled: boolean }) {
  const toggle = (kind: AlertKind, on: boolean) =>
    set('kinds', on ? AlertKindValues.filter((k) => k === kind || form.kinds.includes(k)) : form.kinds.filter((k) => k !== kind));
  return (
    <fieldset className="field-group" disabled={disabled}>
      <legend>Tell me when</legend>
      {AlertKindValues.map((kind) => (
        <Checkbox key={kind} id={id(`kind-${kind}`)} checked={form.kinds.includes(kind)} onChange={(on) => toggle(kind, on)}>
          {ALERT_KIND_LABELS[kind]}
        </Checkbox>
      ))}
    </fieldset>
  );
}

function AlertSettingsForm({ settings, canManage, onSaved }: { settings: Settings; canManage: boolean; onSaved: (secret: string | null) => void }) {
  const form = useSettingsForm<AlertForm, AlertField>({
    initial: () => toAlertForm(settings),
    problems: alertProblems,
    save: async (f) => {
      const data = await graphql<UpdateAlertSettingsMutation>(UPDATE_ALERT_SETTINGS_MUTATION, {
        input: {
          kinds: f.kinds,
          recipients: splitRecipients(f.recipients),
          webhookUrl: f.webhookUrl.trim(),
          digestMinutes: Number(f.digestMinutes),
          waitingHours: Number(f.waitingHours),
        },
      });
      onSaved(data.updateAlertSettings.webhookSecret);
      const s = data.updateAlertSettings.settings;
      return {
        form: toAlertForm(s),
        saved:
          s.kinds.length === 0
            ? 'Saved: no alerts are sent.'
            : `Saved. New alerts are sent at most every ${s.digestMinutes} minutes.`,
      };
    },
    refusedField: refusedAlertField,
    forbidden: OWNER_ONLY_ALERTS,
  });
  const { errors, id, busy, formError, saved, submit } = form;
  const bind = (field: Exclude<AlertField, 'kinds'>) => ({
    id: id(field),
    value: form.form[field],
    onChange: (v: string) => form.set(field, v),
    error: errors[field],
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Alert settings" data-testid="alert-settings-form">
      <fieldset className="plain-fieldset" disabled={!canManage}>
        <KindsField form={form.form} set={form.set} id={id} disabled={!canManage} />
        <div className="field-grid">
          <TextField
            {...bind('recipients')}
            label="E-mail recipients"
            placeholder="ops@example.com, owner@example.com"
            hint={settings.emailAvailable ? 'Separate addresses with commas.' : 'This server has no e-mail set up (LEDGERLINK_SMTP_URL); use the webhook, or ask the operator.'}
          />
          <TextField {...bind('webhookUrl')} label="Webhook URL" type="url" placeholder="https://example.com/hooks/ledgerlink" hint="Each digest is POSTed here as JSON, signed with the secret." />
          <TextField {...bind('digestMinutes')} className="field-narrow" label="Digest at most every (minutes)" type="number" inputMode="numeric" min={5} max={1440} />
          <TextField {...bind('waitingHours')} className="field-narrow" label="Order waiting threshold (hours)" type="number" inputMode="numeric" min={1} max={720} />
        </div>
      </fieldset>
      {canManage && <SaveBar formError={formError} status={saved} statusTestId="alert-settings-status" busy={busy} label="Save alerts" />}
    </form>
  );
}

function RotateSecret({ onRotated }: { onRotated: (secret: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction((e) => e.message);
  const rotate = () =>
    run(async () => {
      const data = await graphql<RotateAlertWebhookSecretMutation>(ROTATE_ALERT_WEBHOOK_SECRET_MUTATION);
      setConfirming(false);
      onRotated(data.rotateAlertWebhookSecret.webhookSecret);
    });
  return (
    <div className="form-actions">
      {!confirming ? (
        <button type="button" className="button button-small" onClick={() => setConfirming(true)}>
          Rotate webhook secret
        </button>
      ) : (
        <ConfirmActions
          question="Make a new secret? The old one stops signing at once."
          yes="Yes, rotate"
          busy={busy}
          onYes={rotate}
          onCancel={() => setConfirming(false)}
        />
      )}
      <FormAlert message={error} />
    </div>
  );
}

const CHANNEL_LABEL = { EMAIL: 'E-mail', WEBHOOK: 'Webhook' } as const;

function TestAlert({ onSent }: { onSent: () => void }) {
  const { busy, error, run } = useAction((e) => e.message);
  const [results, setResults] = useState<SendTestAlertMutation['sendTestAlert'] | null>(null);
  const send = () => {
    setResults(null);
    return run(async () => {
      const data = await graphql<SendTestAlertMutation>(SEND_TEST_ALERT_MUTATION);
      setResults(data.sendTestAlert);
      onSent();
    });
  };
  return (
    <div className="alert-test">
      <button type="button" className="button" disabled={busy} aria-busy={busy} onClick={send}>
        {busy ? 'Sending…' : 'Send test alert'}
      </button>
      <FormAlert message={error} />
      <div role="status" data-testid="alert-test-results">
        <ul className="plain-list">
        {results?.map((r) => (
          <li key={r.channel} data-channel={r.channel} data-ok={r.ok}>
            <span className={r.ok ? 'status status-ok' : 'status status-bad'}>{r.ok ? 'Delivered' : 'Failed'}</span> {CHANNEL_LABEL[r.channel]}:{' '}
            {r.message}
          </li>
        ))}
        </ul>
      </div>
    </div>
  );
}

const STATE_LABEL = { PENDING: 'Retrying', SENT: 'Sent', FAILED: 'Failed' } as const;

function Deliveries({ rows }: { rows: Settings['deliveries'] }) {
  return (
    <DataTable rows={rows} testId="alert-deliveries" region="Alert deliveries" columns={['What', 'Channel', 'State', 'Attempts', 'When', 'Last error']}>
      {(d) => (
        <tr key={d.id} data-testid="alert-delivery-row" data-state={d.state}>
          <td>{d.test ? 'Test alert' : 'Digest'}</td>
          <td>{CHANNEL_LABEL[d.channel]}</td>
          <td>
            <span className={d.state === 'SENT' ? 'status status-ok' : d.state === 'FAILED' ? 'status status-bad' : 'status status-muted'}>{STATE_LABEL[d.state]}</span>
          </td>
          <td>{d.attempts}</td>
          <td className="nowrap">{formatDateTime(d.sentAt ?? d.updatedAt)}</td>
          <td>{d.lastError}</td>
        </tr>
      )}
    </DataTable>
  );
}

function RecentAlerts({ rows }: { rows: AlertRow[] }) {
  return (
    <DataTable rows={rows} testId="recent-alerts" region="Recent alerts" columns={['Raised', 'Alert', 'Status']}>
      {(a) => (
        <tr key={a.id} data-testid="alert-row" data-kind={a.kind}>
          <td className="nowrap">{formatDateTime(a.raisedAt)}</td>
          <td>{a.link ? <Link to={a.link}>{a.message}</Link> : a.message}</td>
          <td>
            {a.resolvedAt ? (
              <span className="status status-muted" title={`Cleared ${formatDateTime(a.resolvedAt)}`}>Cleared</span>
            ) : (
              <span className="status status-bad">Open</span>
            )}{' '}
            {a.sent ? 'sent' : 'not sent yet'}
          </td>
        </tr>
      )}
    </DataTable>
  );
}

/** The Alerts section of the Settings page. */
export function AlertSettingsSection() {
  const session = useSignedIn();
  const canManage = session.user.role === 'OWNER';
  const q = useQuery<AlertSettingsQuery>(ALERT_SETTINGS_QUERY);
  const [secret, setSecret] = useState<string | null>(null);
  const settings = q.data?.alertSettings;
  const alerts = q.data?.alerts.edges.map((e) => e.node) ?? [];

  return (
    <section className="panel" id="alerts" aria-labelledby="settings-alerts" data-testid="alert-settings">
      <h2 id="settings-alerts">Alerts</h2>
      <p className="muted">
        Ledgerlink tells you when something needs you: one message lists everything new since the last one, and the same problem is not sent
        again while it lasts. Every alert is also in the <Link to="/logs">log</Link>.
      </p>
      {!canManage && <p className="notice">{OWNER_ONLY_ALERTS}</p>}
      <LoadStatus error={q.error} loading={q.loading} loaded={!!q.data} onRetry={q.refetch} prefix="Could not load alert settings:" />
      {settings && (
        <>
          <AlertSettingsForm
            settings={settings}
            canManage={canManage}
            onSaved={(s) => {
              if (s) setSecret(s);
              q.refetch();
            }}
          />
          {secret && <NewWebhookSecret secret={secret} onDone={() => setSecret(null)} />}
          {canManage && settings.webhookSecretSet && settings.webhookUrl && (
            <RotateSecret
              onRotated={(s) => {
                setSecret(s);
                q.refetch();
              }}
            />
          )}
          {canManage && (
            <TestAlert onSent={q.refetch} />
          )}
          <h3>Latest deliveries</h3>
          {settings.deliveries.length === 0 ? <p className="empty">Nothing sent yet.</p> : <Deliveries rows={settings.deliveries} />}
          <h3>Latest alerts</h3>
          {alerts.length === 0 ? <p className="empty">No alerts yet.</p> : <RecentAlerts rows={alerts} />}
        </>
      )}
    </section>
  );
}
