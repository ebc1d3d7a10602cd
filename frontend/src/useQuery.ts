import { useCallback, useEffect, useRef, useState } from 'react';
import { graphql, GraphQLError } from './api';

export interface QueryResult<T> {
  data: T | null;
  error: GraphQLError | null;
  /** True until the first answer (or error) arrives. */
  loading: boolean;
  /** Runs the query again, keeping the current data on screen meanwhile. */
  refetch: () => void;
}

export function toGraphQLError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  return new GraphQLError(err instanceof Error ? err.message : String(err), 'INTERNAL', 0);
}

/**
 * Runs a query when mounted and whenever its variables change; with pollMs,
 * again every pollMs milliseconds (never two at once).
 */
export function useQuery<T>(
  query: string,
  variables?: Record<string, unknown>,
  options: { pollMs?: number; /** Changing it runs the query again. */ key?: string } = {},
): QueryResult<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<GraphQLError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const varsKey = JSON.stringify(variables ?? {});
  const inFlight = useRef(false);
  const extraKey = options.key ?? '';

  useEffect(() => {
    const controller = new AbortController();
    inFlight.current = true;
    graphql<T>(query, JSON.parse(varsKey) as Record<string, unknown>, { signal: controller.signal })
      .then((result) => {
        setData(result);
        setError(null);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setError(toGraphQLError(err));
      })
      .finally(() => {
        if (controller.signal.aborted) return;
        inFlight.current = false;
        setLoading(false);
      });
    return () => {
      inFlight.current = false;
      controller.abort();
    };
  }, [query, varsKey, extraKey, tick]);

  const refetch = useCallback(() => setTick((n) => n + 1), []);

  const { pollMs } = options;
  useEffect(() => {
    if (!pollMs) return;
    const id = window.setInterval(() => {
      if (!inFlight.current) refetch();
    }, pollMs);
    return () => window.clearInterval(id);
  }, [pollMs, refetch]);

  return { data, error, loading, refetch };
}
