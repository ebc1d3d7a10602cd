// The second step of a destructive button: the question, "Yes, …" and Cancel.
import { useState, type ReactNode } from 'react';
import { useAction } from '../useAction';
import { FormAlert } from './ErrorNotice';

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
  const action = useAction((e) => (e.code === 'FORBIDDEN' ? forbidden : e.message || 'Something went wrong.'));
  /** Runs fn; a FORBIDDEN answer shows `forbidden`, any other error its message. Returns whether fn succeeded. */
  const run = (fn: () => Promise<void>): Promise<boolean> =>
    action.run(async () => {
      await fn();
      setConfirming(false);
    });
  return { confirming, setConfirming, busy: action.busy, error: action.error, run };
}

export type ConfirmAction = ReturnType<typeof useConfirmAction>;

/**
 * Under a card's header: the confirmation block while `action` is confirming (and `allowed`),
 * then the action's last error.
 */
export function ConfirmBlock({
  action,
  allowed,
  question,
  yes,
  onYes,
}: {
  action: ConfirmAction;
  allowed: boolean;
  question: ReactNode;
  yes: string;
  onYes: () => void;
}) {
  return (
    <>
      {allowed && action.confirming && (
        <ConfirmActions block question={question} yes={yes} busy={action.busy} onYes={onYes} onCancel={() => action.setConfirming(false)} />
      )}
      <FormAlert message={action.error} />
    </>
  );
}
