// The GraphQL documents of Settings → Alerts.
import { gql } from './gql';

const ALERT_SETTINGS_FIELDS = `kinds recipients webhookUrl webhookSecretSet digestMinutes waitingHours emailAvailable lastDigestAt
  deliveries { id channel state test attempts lastError sentAt updatedAt }`;

export const ALERT_SETTINGS_QUERY = gql`query AlertSettings {
  alertSettings { ${ALERT_SETTINGS_FIELDS} }
  alerts(first: 20) {
    edges { cursor node { id kind message link raisedAt resolvedAt sent } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const UPDATE_ALERT_SETTINGS_MUTATION = gql`mutation UpdateAlertSettings($input: AlertSettingsInput!) {
  updateAlertSettings(input: $input) { webhookSecret settings { ${ALERT_SETTINGS_FIELDS} } }
}`;

export const ROTATE_ALERT_WEBHOOK_SECRET_MUTATION = gql`mutation RotateAlertWebhookSecret {
  rotateAlertWebhookSecret { webhookSecret settings { ${ALERT_SETTINGS_FIELDS} } }
}`;

export const SEND_TEST_ALERT_MUTATION = gql`mutation SendTestAlert {
  sendTestAlert { channel ok message }
}`;
