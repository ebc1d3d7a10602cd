// The GraphQL documents of QuickBooks Desktop connections, their work queues, and stores.
import { gql } from './gql';

const CONNECTION_FIELDS =
  'id name webConnectorUsername companyFile runEveryMinutes qbxmlVersion lastContactAt createdAt qwc work { queued inFlight inDoubt done failed }';

export const CONNECTIONS_QUERY = gql`query QbdConnections {
  quickBooksDesktopConnections(first: 100) {
    edges { cursor node { ${CONNECTION_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const CREATE_CONNECTION_MUTATION = gql`mutation CreateQbdConnection($input: CreateQuickBooksDesktopConnectionInput!) {
  createQuickBooksDesktopConnection(input: $input) { password connection { ${CONNECTION_FIELDS} } }
}`;

export const RESET_PASSWORD_MUTATION = gql`mutation ResetWebConnectorPassword($id: ID!) {
  resetWebConnectorPassword(id: $id) { password connection { ${CONNECTION_FIELDS} } }
}`;

export const WORK_ITEMS_QUERY = gql`query QbdWorkItems($id: ID!, $status: WorkItemStatus, $first: Int, $after: String) {
  quickBooksDesktopConnection(id: $id) {
    id
    workItems(status: $status, first: $first, after: $after) {
      edges { cursor node { id docKey kind status attempts statusCode statusMessage quickBooksId request response createdAt updatedAt } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
}`;

const SYNC_FIELDS = 'state from to pages orders newOrders queued errors error startedAt finishedAt';

const SETTINGS_FIELDS =
  'transactionType refPrefix depositAccount shippingItem discountItem taxItem roundingItem incomeAccount cogsAccount assetAccount newItemType class customerMatch singleCustomer createMissingCustomers missingProductAction statuses inventory { enabled basis location excludeSkus safetyStock } quickbooksToShipStation { enabled txnTypes classFilter allSales storeId orderStatus testOrderNumbers addTracking addShippingCost shippingCostAs shippingItem shippedStatuses }';

const STORE_FIELDS = `id channel name baseUrl quickBooksConnectionId quickBooksOnlineConnectionId syncEveryMinutes enabled syncedThrough lastSyncAt lastSyncError createdAt settings { ${SETTINGS_FIELDS} } sync { ${SYNC_FIELDS} } numberClash { otherStores suggestedPrefix message } webhooks { topic state message deliveries refused lastDeliveryAt updatedAt }`;

export const STORES_QUERY = gql`query StoreConnections {
  storeConnections(first: 100) {
    edges { cursor node { ${STORE_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const CREATE_STORE_MUTATION = gql`mutation CreateStoreConnection($input: CreateStoreConnectionInput!) {
  createStoreConnection(input: $input) { ${STORE_FIELDS} }
}`;

export const UPDATE_STORE_MUTATION = gql`mutation UpdateStoreConnection($id: ID!, $input: UpdateStoreConnectionInput!) {
  updateStoreConnection(id: $id, input: $input) { ${STORE_FIELDS} }
}`;

export const SYNC_STORE_MUTATION = gql`mutation SyncStoreConnection($id: ID!, $from: Time, $to: Time, $statuses: [String!]) {
  syncStoreConnection(id: $id, from: $from, to: $to, statuses: $statuses) { ${SYNC_FIELDS} }
}`;

/** The Add store wizard's connection test: which field is wrong, in plain words. */
export const CHECK_STORE_CREDENTIALS_MUTATION = gql`mutation CheckStoreCredentials($input: CheckStoreCredentialsInput!) {
  checkStoreCredentials(input: $input) { ok field message }
}`;

/** The demo's simulated stores with their credentials (empty outside demo mode). */
export const DEMO_STORE_PRESETS_QUERY = gql`query DemoStorePresets {
  demoStorePresets { channel name baseUrl accessToken webhookSecret consumerKey consumerSecret apiKey apiSecret }
}`;

/** When a connection's Web Connector last called: the set-up wizard polls it while pairing. */
export const CONNECTION_CONTACT_QUERY = gql`query QbdConnectionContact($id: ID!) {
  quickBooksDesktopConnection(id: $id) { id name lastContactAt qbxmlVersion qwc }
}`;
