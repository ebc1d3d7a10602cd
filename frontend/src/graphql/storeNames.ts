// The names of the account's store connections, for pages that show whose an order is.
import { gql } from './gql';

export const STORE_NAMES_QUERY = gql`query StoreNames {
  storeConnections(first: 100) { edges { node { id name channel } } }
}`;
