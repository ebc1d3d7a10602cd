// The GraphQL documents of a store connection's order webhooks (issue #16).
import { gql } from './gql';

const WEBHOOK_FIELDS = 'topic state message deliveries refused lastDeliveryAt updatedAt';

/** Registers a store's webhooks again; the answer shows them as registering until the worker is done. */
export const REGISTER_STORE_WEBHOOKS_MUTATION = gql`mutation RegisterStoreWebhooks($id: ID!) {
  registerStoreWebhooks(id: $id) { id enabled webhooks { ${WEBHOOK_FIELDS} } }
}`;
