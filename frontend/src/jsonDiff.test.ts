import { describe, expect, it } from 'vitest';
import { diffLines, foldUnchanged, sideBySide } from './jsonDiff';

describe('json diff', () => {
  it('finds changed, added and removed lines', () => {
    const ops = diffLines(['{', '  "a": 1,', '  "b": 2', '}'], ['{', '  "a": 1,', '  "b": 3,', '  "c": 4', '}']);
    expect(ops).toEqual([
      { kind: 'same', left: '{', right: '{' },
      { kind: 'same', left: '  "a": 1,', right: '  "a": 1,' },
      { kind: 'add', right: '  "b": 3,' },
      { kind: 'add', right: '  "c": 4' },
      { kind: 'del', left: '  "b": 2' },
      { kind: 'same', left: '}', right: '}' },
    ]);
  });

  it('lays a changed line next to its new version, numbering both sides', () => {
    const rows = sideBySide(diffLines(['x', 'old', 'y'], ['x', 'new', 'extra', 'y']));
    expect(rows).toEqual([
      { left: { no: 1, text: 'x', changed: false }, right: { no: 1, text: 'x', changed: false } },
      { left: { no: 2, text: 'old', changed: true }, right: { no: 2, text: 'new', changed: true } },
      { left: null, right: { no: 3, text: 'extra', changed: true } },
      { left: { no: 3, text: 'y', changed: false }, right: { no: 4, text: 'y', changed: false } },
    ]);
  });

  it('folds long unchanged stretches', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[10] = 'changed';
    const shown = foldUnchanged(sideBySide(diffLines(a, b)), 2);
    expect(shown[0]).toEqual({ skipped: 8 });
    expect(shown.length).toBe(7);
    expect(shown.at(-1)).toEqual({ skipped: 7 });
    expect(foldUnchanged(sideBySide(diffLines(a, a)))).toEqual([{ skipped: 20 }]);
  });
});
