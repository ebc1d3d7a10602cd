// The second step of a destructive button: the question, "Yes, …" and Cancel.
import { useState, type ReactNode } from 'react';
import { toGraphQLError } from '../useQuery';

export function ConfirmActions({
  question,
  yes,
  busy,
  onYes,
  onCancel,
  block = false,
}: {
  question: ReactNode;
  /** The confirming button's words, e.g. "Yes, reset". */
  yes: string;
  busy: boolean;
  onYes: () => void;
  onCancel: () => void;
  /** A block of its own (under a header) rather than inline beside other buttons. */
  block?: boolean;
}) {
  return (
    <div className={block ? 'confirm confirm-block' : 'confirm'}>
      <span>{question}</span>
      <button type="button" className="button button-small button-danger" disabled={busy} onClick={onYes}>
        {yes}
      </button>
      <button type="button" className="button button-small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** State of one confirmable action: confirming, busy, the last error, and run(fn) that tracks them. */
export function useConfirmAction(forbidden: string) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Runs fn; a FORBIDDEN answer shows `forbidden`, any other error its message. Returns whether fn succeeded. */
  const run = async (fn: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setConfirming(false);
      return true;
    } catch (err) {
      const e = toGraphQLError(err);
      setError(e.code === 'FORBIDDEN' ? forbidden : e.message || 'Something went wrong.');
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { confirming, setConfirming, busy, error, run };
}
