// A line diff for the rule preview's before/after order JSON: longest common subsequence,
// laid out side by side, with long unchanged stretches folded away.

export type DiffOp = { kind: 'same'; left: string; right: string } | { kind: 'del'; left: string } | { kind: 'add'; right: string };

/** Past this many line pairs the LCS table is too big; lines are then compared by position. */
const MAX_CELLS = 4_000_000;

export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  // Common head and tail first: a rule changes a few lines of a long document.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffOp[] = a.slice(0, head).map((line) => ({ kind: 'same', left: line, right: line }));

  const n = midA.length;
  const m = midB.length;
  if (n * m > MAX_CELLS) {
    for (let i = 0; i < Math.max(n, m); i++) {
      const l = midA[i];
      const r = midB[i];
      if (l !== undefined && r !== undefined && l === r) out.push({ kind: 'same', left: l, right: r });
      else {
        if (l !== undefined) out.push({ kind: 'del', left: l });
        if (r !== undefined) out.push({ kind: 'add', right: r });
      }
    }
  } else {
    // lcs[i][j]: length of the LCS of midA[i..] and midB[j..].
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ kind: 'same', left: midA[i]!, right: midB[j]! });
        i++;
        j++;
      } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
        out.push({ kind: 'add', right: midB[j]! });
        j++;
      } else {
        out.push({ kind: 'del', left: midA[i]! });
        i++;
      }
    }
  }
  for (const line of a.slice(a.length - tail)) out.push({ kind: 'same', left: line, right: line });
  return out;
}

/** One row of the side-by-side view; a side is null where that version has no line. */
export interface SideBySideRow {
  left: { no: number; text: string; changed: boolean } | null;
  right: { no: number; text: string; changed: boolean } | null;
}

/** Pairs deletions with the additions that follow them, so a changed line sits next to its new version. */
export function sideBySide(ops: readonly DiffOp[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let ln = 0;
  let rn = 0;
  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if (op.kind === 'same') {
      rows.push({ left: { no: ++ln, text: op.left, changed: false }, right: { no: ++rn, text: op.right, changed: false } });
      i++;
      continue;
    }
    const dels: string[] = [];
    const adds: string[] = [];
    while (i < ops.length && ops[i]!.kind !== 'same') {
      const o = ops[i]!;
      if (o.kind === 'del') dels.push(o.left);
      else if (o.kind === 'add') adds.push(o.right);
      i++;
    }
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
      const d = dels[k];
      const a = adds[k];
      rows.push({
        left: d === undefined ? null : { no: ++ln, text: d, changed: true },
        right: a === undefined ? null : { no: ++rn, text: a, changed: true },
      });
    }
  }
  return rows;
}

/** Rows to show: changed rows with `context` rows around them; each gap becomes { skipped: n }. */
export function foldUnchanged(rows: readonly SideBySideRow[], context = 3): (SideBySideRow | { skipped: number })[] {
  const changed = (r: SideBySideRow) => Boolean(r.left?.changed || r.right?.changed);
  const keep = new Array<boolean>(rows.length).fill(false);
  rows.forEach((r, idx) => {
    if (!changed(r)) return;
    for (let k = Math.max(0, idx - context); k <= Math.min(rows.length - 1, idx + context); k++) keep[k] = true;
  });
  const out: (SideBySideRow | { skipped: number })[] = [];
  let skipped = 0;
  rows.forEach((r, idx) => {
    if (keep[idx]) {
      if (skipped) out.push({ skipped });
      skipped = 0;
      out.push(r);
    } else {
      skipped++;
    }
  });
  if (skipped) out.push({ skipped });
  return out;
}
