// The GraphQL documents of the sync log.
import { gql } from './gql';

export const LOGS_QUERY = gql`query Logs($filter: LogFilter, $first: Int, $after: String) {
  logs(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id level source message hint orderId createdAt } }
    pageInfo { hasNextPage endCursor totalCountCapped }
    totalCount
  }
}`;
