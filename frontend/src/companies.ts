// The QuickBooks Desktop companies of the account, for pages that work on one at a time
// (Products, Missing Product Mapping): the company most stores post to comes first, so it is
// the one chosen until the user picks another.

export interface Company {
  id: string;
  name: string;
}

export interface CompanyChoiceData {
  quickBooksDesktopConnections: { edges: { node: Company }[] };
  storeConnections?: { edges: { node: { quickBooksConnectionId: string | null } }[] } | null;
}

/** The companies, those most stores post to first (otherwise in the server's order). */
export function companiesByUse(data: CompanyChoiceData | null): Company[] {
  if (!data) return [];
  const uses = new Map<string, number>();
  for (const { node } of data.storeConnections?.edges ?? []) {
    if (node.quickBooksConnectionId) uses.set(node.quickBooksConnectionId, (uses.get(node.quickBooksConnectionId) ?? 0) + 1);
  }
  return data.quickBooksDesktopConnections.edges
    .map((e, i) => ({ company: e.node, i }))
    .sort((a, b) => (uses.get(b.company.id) ?? 0) - (uses.get(a.company.id) ?? 0) || a.i - b.i)
    .map((x) => x.company);
}
