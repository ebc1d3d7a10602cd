// The GraphQL documents of a ShipStation connection's "Sync Orders from QuickBooks" section:
// the store drop-down, the test sales, the sales sent to ShipStation and the shipments back.
import { gql } from './gql';

export const SHIPSTATION_STORES_QUERY = gql`query ShipStationStores($connectionId: ID!) {
  shipStationStores(connectionId: $connectionId) { id name marketplace active }
}`;

const TEST_SALE_FIELDS = 'refNumber state result requestedAt doneAt';

export const SHIPSTATION_TEST_SALES_QUERY = gql`query ShipStationTestSales($connectionId: ID!) {
  shipStationTestSales(connectionId: $connectionId) { ${TEST_SALE_FIELDS} }
}`;

export const SEND_SHIPSTATION_TEST_SALES_MUTATION = gql`mutation SendShipStationTestSales($connectionId: ID!, $refNumbers: [String!]!) {
  sendShipStationTestSales(connectionId: $connectionId, refNumbers: $refNumbers) { ${TEST_SALE_FIELDS} }
}`;

const EXPORT_FIELDS =
  'id txnType txnId refNumber txnDate customer orderKey shipStationOrderId shipStationStoreId shipStationStatus state result test sentAt updatedAt';

export const SHIPSTATION_EXPORTS_QUERY = gql`query ShipStationExports($connectionId: ID!, $state: String, $search: String, $first: Int, $after: String) {
  shipStationExports(connectionId: $connectionId, state: $state, search: $search, first: $first, after: $after) {
    edges { cursor node { ${EXPORT_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const RESEND_SHIPSTATION_EXPORT_MUTATION = gql`mutation ResendShipStationExport($id: ID!) {
  resendShipStationExport(id: $id) { ${EXPORT_FIELDS} }
}`;

const SHIPMENT_FIELDS =
  'id source sourceId orderNumber quickBooksTxnType quickBooksTxnId trackingNumber carrier service shipDate cost status message hint createdAt appliedAt voidedAt';

export const SHIPMENTS_BACK_QUERY = gql`query ShipmentsBack($storeConnectionId: ID!, $status: ShipmentBackStatus, $first: Int, $after: String) {
  shipmentsBack(storeConnectionId: $storeConnectionId, status: $status, first: $first, after: $after) {
    edges { cursor node { ${SHIPMENT_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
  shipmentsBackState(storeConnectionId: $storeConnectionId) { on offReason webhookRegistered webhookError lastWebhookAt lastPollAt lastPollError }
}`;
