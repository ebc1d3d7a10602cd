// The GraphQL documents of QuickBooks Online connections (Connections page).
import { gql } from './gql';

const QBO_FIELDS =
  'id name realmId companyName status accessTokenExpiresAt refreshTokenExpiresAt lastRefreshAt lastError warning createdAt updatedAt';

export const QBO_CONNECTIONS_QUERY = gql`query QboConnections {
  quickBooksOnlineConnections(first: 100) {
    edges { cursor node { ${QBO_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

/** Intuit's sign-in page for a new company; the browser comes back to /connections. */
export const START_QBO_CONNECT_MUTATION = gql`mutation StartQboConnect($name: String) {
  startQuickBooksOnlineConnect(name: $name) { authorizeUrl }
}`;

export const RECONNECT_QBO_MUTATION = gql`mutation ReconnectQbo($id: ID!) {
  reconnectQuickBooksOnline(id: $id) { authorizeUrl }
}`;

export const DISCONNECT_QBO_MUTATION = gql`mutation DisconnectQbo($id: ID!) {
  disconnectQuickBooksOnline(id: $id) { ${QBO_FIELDS} }
}`;
