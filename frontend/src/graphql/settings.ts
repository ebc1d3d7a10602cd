// The GraphQL documents of settings: the viewer and API keys.
import { gql } from './gql';

const API_KEY_FIELDS = 'id name prefix createdAt lastUsedAt revokedAt createdBy { id name email }';

export const SETTINGS_QUERY = gql`query Settings {
  viewer { role user { id name email role } account { id name } }
  apiKeys(first: 100) {
    edges { cursor node { ${API_KEY_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const API_KEYS_PAGE_QUERY = gql`query ApiKeysPage($after: String) {
  apiKeys(first: 100, after: $after) {
    edges { cursor node { ${API_KEY_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const CREATE_API_KEY_MUTATION = gql`mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { ${API_KEY_FIELDS} } }
}`;

export const REVOKE_API_KEY_MUTATION = gql`mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) { ${API_KEY_FIELDS} }
}`;

/** The Settings page's list of each connection, linking to its settings on the Connections page. */
export const SETTINGS_CONNECTIONS_QUERY = gql`query SettingsConnections {
  storeConnections(first: 100) {
    edges { node { id channel name enabled quickBooksConnectionId settings { transactionType missingProductAction statuses } } }
    totalCount
  }
  quickBooksDesktopConnections(first: 100) {
    edges { node { id name lastContactAt } }
    totalCount
  }
}`;
