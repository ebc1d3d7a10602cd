// The GraphQL documents of the rules area: the list, the editor and its preview, the history.
import { gql } from './gql';

const GRID_FIELDS = 'id name enabled position pipelines version updatedAt';

export const RULES_QUERY = gql`query Rules($filter: RuleFilter, $first: Int, $after: String) {
  rules(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${GRID_FIELDS} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

/** Every rule id in position order, page by page: reorderRules needs all of them. */
export const RULE_IDS_QUERY = gql`query RuleIds($first: Int, $after: String) {
  rules(first: $first, after: $after) {
    edges { node { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const REORDER_RULES_MUTATION = gql`mutation ReorderRules($ids: [ID!]!) {
  reorderRules(ids: $ids) { id position version updatedAt }
}`;

export const SET_RULE_ENABLED_MUTATION = gql`mutation SetRuleEnabled($id: ID!, $enabled: Boolean!) {
  setRuleEnabled(id: $id, enabled: $enabled) { ${GRID_FIELDS} }
}`;

export const DELETE_RULE_MUTATION = gql`mutation DeleteRule($id: ID!) {
  deleteRule(id: $id) { id name }
}`;

const CONDITION_FIELDS = 'field operator value values caseSensitive';
const ACTION_FIELDS = 'type field value from table { key value } default caseSensitive reason';
const RULE_BODY_FIELDS = `name enabled pipelines match conditions { ${CONDITION_FIELDS} } actions { ${ACTION_FIELDS} }`;

export const RULE_TEMPLATES_QUERY = gql`query RuleTemplates {
  ruleTemplates { key name description draft { ${RULE_BODY_FIELDS} } }
}`;

export const EXPORT_RULES_QUERY = gql`query ExportRules { exportRules }`;

export const IMPORT_RULES_MUTATION = gql`mutation ImportRules($document: String!, $replace: Boolean) {
  importRules(document: $document, replace: $replace) { deleted rules { id } }
}`;


// The rule editor

export const RULE_QUERY = gql`query Rule($id: ID!) {
  rule(id: $id) { id position version createdAt updatedAt ${RULE_BODY_FIELDS} }
}`;

export const RULE_FIELDS_QUERY = gql`query RuleFields($pipeline: RulePipeline) {
  ruleFields(pipeline: $pipeline) { path label group type writable enumValues operators list pipelines description }
}`;

const SAVED_FIELDS = `id position version createdAt updatedAt ${RULE_BODY_FIELDS}`;

export const CREATE_RULE_MUTATION = gql`mutation CreateRule($input: RuleInput!) {
  createRule(input: $input) { ${SAVED_FIELDS} }
}`;

export const UPDATE_RULE_MUTATION = gql`mutation UpdateRule($id: ID!, $input: RuleInput!, $expectedVersion: Int) {
  updateRule(id: $id, input: $input, expectedVersion: $expectedVersion) { ${SAVED_FIELDS} }
}`;

export const PREVIEW_ORDERS_QUERY = gql`query PreviewOrders($filter: OrderFilter, $first: Int) {
  orders(filter: $filter, first: $first) { edges { node { id number customerName channel connectionId } } }
}`;

export const PREVIEW_RULES_QUERY = gql`query PreviewRules($orderId: ID!, $draft: RuleInput, $pipeline: RulePipeline!) {
  previewRules(orderId: $orderId, draft: $draft, pipeline: $pipeline) {
    changes { ruleId ruleName ruleVersion fromDraft field before after }
    draftMatched excluded excludeReason before after
  }
}`;

// A rule's history

export const RULE_HISTORY_QUERY = gql`query RuleHistory($id: ID!, $first: Int, $after: String) {
  ruleHistory(id: $id, first: $first, after: $after) {
    edges { cursor node { id ruleId version change actor createdAt before after } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const RESTORE_RULE_VERSION_MUTATION = gql`mutation RestoreRuleVersion($id: ID!, $version: Int!) {
  restoreRuleVersion(id: $id, version: $version) { id name version }
}`;
