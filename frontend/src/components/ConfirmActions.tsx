// The second step of a destructive button: the question, "Yes, …" and Cancel.
import type { ReactNode } from 'react';

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
