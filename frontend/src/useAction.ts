// The busy flag and error message of an action the user starts (a mutation and what follows it),
// so every button that runs one disables itself and shows why it failed the same way.
import { useState } from 'react';
import type { GraphQLError } from './api';
import { toGraphQLError } from './useQuery';

export interface Action {
  busy: boolean;
  /** What the last run's failure said, or null. */
  error: string | null;
  /** For a problem found before running (e.g. a form check). */
  setError: (message: string | null) => void;
  /** Runs fn with busy set and the error cleared; a failure's message comes from the hook's `message`. Returns whether fn succeeded. */
  run: (fn: () => Promise<void>) => Promise<boolean>;
}

/** `message` words a failure (an error of the API, or any other turned into one). */
export function useAction(message: (e: GraphQLError) => string): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(message(toGraphQLError(err)));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
