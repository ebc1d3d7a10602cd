/**
 * Marks a GraphQL document the SPA sends and returns its text as written (interpolated field
 * lists included). graph/tsgen reads every `gql`-tagged constant in src/graphql/*.ts, checks it
 * against graph/schema and writes its result and variables types to src/graphql/operations.ts;
 * a document anywhere else fails that check.
 */
export function gql(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((text, part, i) => text + part + (i < values.length ? values[i] : ''), '');
}
