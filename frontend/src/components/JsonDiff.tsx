// A side-by-side line diff of two JSON (or any text) documents, unchanged stretches folded away
// unless the reader asks for the whole document: the rule preview's order before and after, and
// a rule's history from one version to the next.
import { useMemo, useState, type ReactNode } from 'react';
import { diffLines, foldUnchanged, sideBySide } from '../jsonDiff';

export function JsonDiff({
  before,
  after,
  heading,
  wholeLabel,
  unchanged,
  testId,
  leftLabel = 'Before',
  rightLabel = 'After',
}: {
  before: string;
  after: string;
  heading?: ReactNode;
  /** The checkbox that unfolds the unchanged lines. */
  wholeLabel: string;
  /** Said when the two documents are the same. */
  unchanged: string;
  testId?: string;
  leftLabel?: string;
  rightLabel?: string;
}) {
  const [whole, setWhole] = useState(false);
  const rows = useMemo(() => sideBySide(diffLines(before.split('\n'), after.split('\n'))), [before, after]);
  const shown = whole ? rows : foldUnchanged(rows);
  const changed = rows.some((r) => r.left?.changed || r.right?.changed);
  return (
    <div className="preview-diff">
      <div className="panel-head">
        {heading}
        <label className="checkbox small">
          <input type="checkbox" checked={whole} onChange={(e) => setWhole(e.target.checked)} /> {wholeLabel}
        </label>
      </div>
      {!changed && !whole && <p className="muted small">{unchanged}</p>}
      <div className="diff-wrap">
        <table className="diff" data-testid={testId}>
          <colgroup>
            <col className="diff-no-col" />
            <col />
            <col className="diff-no-col" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col" colSpan={2}>
                {leftLabel}
              </th>
              <th scope="col" colSpan={2}>
                {rightLabel}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row, i) =>
              'skipped' in row ? (
                <tr key={i} className="diff-skip">
                  <td colSpan={4}>… {row.skipped} unchanged {row.skipped === 1 ? 'line' : 'lines'}</td>
                </tr>
              ) : (
                <tr key={i}>
                  <td className="diff-no">{row.left?.no ?? ''}</td>
                  <td className={row.left?.changed ? 'diff-line diff-del' : 'diff-line'} data-changed={row.left?.changed || undefined}>
                    {row.left?.text ?? ''}
                  </td>
                  <td className="diff-no">{row.right?.no ?? ''}</td>
                  <td className={row.right?.changed ? 'diff-line diff-add' : 'diff-line'} data-changed={row.right?.changed || undefined}>
                    {row.right?.text ?? ''}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
