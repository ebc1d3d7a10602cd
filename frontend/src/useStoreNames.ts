import { useMemo } from 'react';
import type { StoreNamesQuery } from './graphql/operations';
import { STORE_NAMES_QUERY } from './graphql/storeNames';
import { useQuery } from './useQuery';

/**
 * The account's store connection names by id (up to 100 stores, the Connections page's limit),
 * so orders of different stores with the same number can be told apart. A store not (yet)
 * known reads "Store <id>".
 */
export function useStoreNames(): (connectionId: string) => string {
  const { data } = useQuery<StoreNamesQuery>(STORE_NAMES_QUERY);
  return useMemo(() => {
    const names = new Map((data?.storeConnections.edges ?? []).map((e) => [e.node.id, e.node.name]));
    return (id: string) => names.get(id) ?? `Store ${id}`;
  }, [data]);
}
