// The GraphQL documents of the support account picker.
import { gql } from './gql';

export const ACCOUNT_PICKER_QUERY = gql`query AccountPicker($search: String) {
  viewer { account { id name } }
  accounts(first: 50, search: $search) { edges { node { id name } } totalCount }
}`;
