// The GraphQL documents of the Web Connector health page and the dashboard's missed-order list.
import { gql } from './gql';

export const WEB_CONNECTOR_HEALTH_QUERY = gql`query WebConnectorHealth($id: ID!) {
  quickBooksDesktopConnection(id: $id) {
    id name runEveryMinutes companyFile lastContactAt
    work { queued inFlight inDoubt failed }
    health {
      status since summary lastAuthenticateAt lastFinishedAt lateAfterMinutes failingAfterMinutes authFailures
      problems { kind title evidence fix at }
      runs(first: 20) { startedAt endedAt durationSeconds outcome messageSets requestsSent requestsDone hresult message companyFile qbxmlVersion }
    }
  }
}`;

export const MISSED_ORDERS_QUERY = gql`query MissedOrders($first: Int, $after: String) {
  missedOrders(first: $first, after: $after) {
    edges { cursor node { id day externalId number cause storeCreatedAt foundAt resyncRequestedAt store { id name } order { id state } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const RESYNC_MISSED_ORDERS_MUTATION = gql`mutation ResyncMissedOrders($ids: [ID!]!) {
  resyncMissedOrders(ids: $ids)
}`;

export const SWEEP_MISSED_ORDERS_MUTATION = gql`mutation SweepMissedOrders($storeConnectionId: ID!) {
  sweepMissedOrders(storeConnectionId: $storeConnectionId)
}`;
