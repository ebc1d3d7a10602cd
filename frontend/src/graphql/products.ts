// The GraphQL documents of QuickBooks items, the company choice, and product/shipping mappings.
import { gql } from './gql';

/** GraphQL selection: the companies and which company each store posts to. */
const COMPANY_CHOICE_FIELDS = `quickBooksDesktopConnections(first: 100) { edges { node { id name } } }
  storeConnections(first: 100) { edges { node { quickBooksConnectionId } } }`;

export const ITEM_LIST_COMPANIES_QUERY = gql`query ItemListCompanies {
  ${COMPANY_CHOICE_FIELDS}
}`;

export const ITEMS_QUERY = gql`query QuickBooksItems($quickBooksConnectionId: ID!, $search: String, $first: Int, $after: String) {
  quickBooksItems(quickBooksConnectionId: $quickBooksConnectionId, search: $search, first: $first, after: $after) {
    edges { cursor node { id fullName type description price quantityOnHand active source updatedAt } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const UPLOAD_ITEM_LIST_MUTATION = gql`mutation UploadItemList($quickBooksConnectionId: ID!, $csv: String!) {
  uploadItemList(quickBooksConnectionId: $quickBooksConnectionId, csv: $csv) { created updated skipped { row problem } }
}`;

export const ITEM_LIST_READ_QUERY = gql`query ItemListRead($quickBooksConnectionId: ID!) {
  itemListRead(quickBooksConnectionId: $quickBooksConnectionId) { state page startedAt message }
}`;

export const REFRESH_ITEM_LIST_MUTATION = gql`mutation RefreshItemList($quickBooksConnectionId: ID!) {
  refreshItemList(quickBooksConnectionId: $quickBooksConnectionId)
}`;

export const ITEM_SUGGESTIONS_QUERY = gql`query QuickBooksItemSuggestions($quickBooksConnectionId: ID!, $search: String!, $first: Int) {
  quickBooksItemSuggestions(quickBooksConnectionId: $quickBooksConnectionId, search: $search, first: $first) {
    items { id fullName type description active }
    totalCount
  }
}`;

const MAPPING_FIELDS = 'id kind storeValue itemName createdBy createdAt';

export const MISSING_PRODUCTS_QUERY = gql`query MissingProducts {
  missingProducts { sku orders exampleOrderId mapping { ${MAPPING_FIELDS} } }
}`;

export const MISSING_SHIPPING_QUERY = gql`query MissingShippingMethods {
  missingShippingMethods { method orders exampleOrderId mapping { ${MAPPING_FIELDS} } }
}`;

export const PRODUCT_MAPPINGS_QUERY = gql`query ProductMappings {
  productMappings { ${MAPPING_FIELDS} }
}`;

export const MAPPING_COMPANIES_QUERY = gql`query MappingCompanies {
  ${COMPANY_CHOICE_FIELDS}
}`;

export const MAP_PRODUCT_MUTATION = gql`mutation MapProduct($kind: MappingKind!, $storeValue: String!, $itemName: String!) {
  mapProduct(kind: $kind, storeValue: $storeValue, itemName: $itemName) { ${MAPPING_FIELDS} }
}`;

export const UNMAP_PRODUCT_MUTATION = gql`mutation UnmapProduct($kind: MappingKind!, $storeValue: String!) {
  unmapProduct(kind: $kind, storeValue: $storeValue)
}`;

export const APPLY_MAPPINGS_MUTATION = gql`mutation ApplyProductMappings($kind: MappingKind, $storeValue: String) {
  applyProductMappings(kind: $kind, storeValue: $storeValue) { rulesCreated ordersResynced ordersQueued orderIds }
}`;
