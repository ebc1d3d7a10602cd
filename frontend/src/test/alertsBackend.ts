// A fake account's alert settings answering the Settings page's alert operations, for the
// Settings page tests (the section loads with the page).
import type { AlertSettingsQuery, SendTestAlertMutation } from '../graphql/operations';
import { json, operationName, variablesOf, type Call } from './helpers';

type Settings = AlertSettingsQuery['alertSettings'];

export const DEFAULT_ALERT_SETTINGS: Settings = {
  kinds: ['ORDER_FAILED', 'ORDER_WAITING', 'QBD_SILENT', 'STORE_AUTH', 'INVENTORY_FAILED', 'SWEEP_GAP'],
  recipients: [],
  webhookUrl: '',
  webhookSecretSet: false,
  digestMinutes: 60,
  waitingHours: 24,
  emailAvailable: true,
  lastDigestAt: null,
  deliveries: [],
};

export const WEBHOOK_SECRET = 'whsec_only-shown-once-9Qx';

/**
 * Answers AlertSettings, UpdateAlertSettings (a first webhook URL gets WEBHOOK_SECRET),
 * RotateAlertWebhookSecret and SendTestAlert (with testResults); undefined for other calls.
 */
export function alertsBackend(opts: { settings?: Partial<Settings>; testResults?: SendTestAlertMutation['sendTestAlert'] } = {}) {
  let settings: Settings = { ...DEFAULT_ALERT_SETTINGS, ...opts.settings };
  return (call: Call): Response | undefined => {
    switch (operationName(call)) {
      case 'AlertSettings':
        return json({ data: { alertSettings: settings, alerts: { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 } } });
      case 'UpdateAlertSettings': {
        const input = variablesOf(call).input as Pick<Settings, 'kinds' | 'recipients' | 'webhookUrl' | 'digestMinutes' | 'waitingHours'>;
        const newSecret = input.webhookUrl !== '' && !settings.webhookSecretSet;
        settings = { ...settings, ...input, webhookSecretSet: settings.webhookSecretSet || newSecret };
        return json({ data: { updateAlertSettings: { webhookSecret: newSecret ? WEBHOOK_SECRET : null, settings } } });
      }
      case 'RotateAlertWebhookSecret':
        return json({ data: { rotateAlertWebhookSecret: { webhookSecret: WEBHOOK_SECRET + '-2', settings } } });
      case 'SendTestAlert':
        return json({ data: { sendTestAlert: opts.testResults ?? [] } });
    }
    return undefined;
  };
}
