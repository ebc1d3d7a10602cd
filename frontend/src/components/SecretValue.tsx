// A secret shown once (a Web Connector password, an API key) with its Copy button: where the
// page may not use the clipboard (plain HTTP, a denied permission) the text is selected instead,
// so Ctrl+C still works, and the status line says which happened.
import { useRef, useState, type ReactNode } from 'react';

/**
 * The secret in a <code> element, a Copy button and a live status line. `noun` names the
 * secret in the "is selected" hint ("the password is selected, press Ctrl+C").
 */
export function SecretValue({ value, noun, testId }: { value: string; noun: string; testId: string }) {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const codeRef = useRef<HTMLElement>(null);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setCopyState('copied');
    } catch {
      // No clipboard access (e.g. plain HTTP): select the text so Ctrl+C works.
      const el = codeRef.current;
      const selection = window.getSelection();
      if (el && selection) {
        const range = document.createRange();
        range.selectNodeContents(el);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopyState('manual');
    }
  };

  return (
    <>
      <div className="secret-row">
        <code ref={codeRef} className="secret" data-testid={testId}>
          {value}
        </code>
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p className="secret-status" role="status">
        {copyState === 'copied' && 'Copied to the clipboard.'}
        {copyState === 'manual' && `Copying is blocked here; the ${noun} is selected, press Ctrl+C (⌘C on a Mac).`}
      </p>
    </>
  );
}

/**
 * A secret shown once in its own region: what it is (children), the secret with Copy, and the
 * button that dismisses it for good.
 */
export function SecretShownOnce({
  label,
  value,
  noun,
  testId,
  onDone,
  children,
}: {
  label: string;
  value: string;
  noun: string;
  testId: string;
  onDone: () => void;
  children: ReactNode;
}) {
  return (
    <div className="secret-box" role="region" aria-label={label}>
      <p>{children}</p>
      <SecretValue value={value} noun={noun} testId={testId} />
      <button type="button" className="button button-small" onClick={onDone}>
        I have stored the {noun}
      </button>
    </div>
  );
}
