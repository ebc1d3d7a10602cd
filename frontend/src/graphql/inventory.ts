// The GraphQL documents of the Inventory page and the dashboard's inventory lists.
import { gql } from './gql';

const UPDATE_FIELDS =
  'id sku storeConnectionId storeConnectionName channel quickBooksItem quickBooksQuantity quickBooksOnSalesOrder storeQuantity pushedQuantity status attempts lastPushAt nextAttemptAt reason updatedAt';

const PUSH_FIELDS = 'id sku storeConnectionId storeConnectionName channel quantity outcome reason createdAt';

export const INVENTORY_UPDATES_QUERY = gql`query InventoryUpdates($filter: InventoryUpdateFilter, $first: Int, $after: String) {
  inventoryUpdates(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${UPDATE_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const INVENTORY_PUSH_LOG_QUERY = gql`query InventoryPushLog($filter: InventoryPushLogFilter, $first: Int, $after: String) {
  inventoryPushLog(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${PUSH_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

/**
 * The stores of the filter and of "Push all", with whether inventory sync is on for each and the
 * QuickBooks company each posts to (its quantities come from there), with the account's companies.
 */
export const INVENTORY_STORES_QUERY = gql`query InventoryStores {
  storeConnections(first: 100) {
    edges { node { id name channel quickBooksConnectionId quickBooksOnlineConnectionId settings { inventory { enabled } } } }
  }
  quickBooksDesktopConnections(first: 100) { edges { node { id name } } }
  quickBooksOnlineConnections(first: 100) { edges { node { id name } } }
}`;

export const PUSH_INVENTORY_NOW_MUTATION = gql`mutation PushInventoryNow($storeConnectionId: ID!, $skus: [String!]) {
  pushInventoryNow(storeConnectionId: $storeConnectionId, skus: $skus) { queued message }
}`;
