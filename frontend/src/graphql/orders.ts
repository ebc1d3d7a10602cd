// The GraphQL documents of orders: the list, the state counts, resync and one order.
import { gql } from './gql';

export const ORDERS_QUERY = gql`query Orders($filter: OrderFilter, $first: Int, $after: String) {
  orders(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id number channel connectionId customerName total currency state stateReason storeCreatedAt changedAfterPost } }
    pageInfo { hasNextPage endCursor totalCountCapped }
    totalCount
  }
}`;

export const ORDER_STATE_COUNTS_QUERY = gql`query OrderStateCounts {
  orderStateCounts { pending ready sent posted error needsMapping skippedDuplicate excluded }
}`;

export const RESYNC_MUTATION = gql`mutation ResyncOrders($ids: [ID!]!) {
  resyncOrders(ids: $ids) { id state stateReason }
}`;

export const ORDER_QUERY = gql`query Order($id: ID!) {
  order(id: $id) {
    id channel connectionId externalId number state stateReason customerName total currency
    storeCreatedAt storeUpdatedAt changedAfterPost createdAt updatedAt normalized raw
    events { id kind message details createdAt }
    refunds { id externalId seq refNumber state stateReason total restocked applied refunded creditTxnId storeCreatedAt updatedAt }
  }
}`;

export const WORK_ITEM_QUERY = gql`query WorkItem($id: ID!) {
  workItem(id: $id) { id kind status statusCode statusMessage quickBooksId request response updatedAt }
}`;
