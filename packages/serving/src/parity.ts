// Parity: does the endpoint serve what was evaluated? Row by row, served against offline.
import type { AgreementResult, GoldenRow, GoldenSet, ParityResult, WorstRow } from './types.ts';

/**
 * A row matches when |served − offline| <= atol + rtol·|offline| (numpy.isclose's rule, asymmetric in the
 * offline value, which is the reference). A row with no usable answer (NaN) never matches.
 * @example withinTolerance(0.5001, 0.5, 1e-3, 0) // => true
 */
export function withinTolerance(served: number, offline: number, atol: number, rtol: number): boolean {
  if (!Number.isFinite(served)) return false;
  return Math.abs(served - offline) <= atol + rtol * Math.abs(offline);
}

/**
 * Parity over every golden row. `served[i]` belongs to `rows[i]` (NaN when that row got no usable answer).
 * The worst rows are the mismatches by how far beyond their tolerance they are, then unanswered rows, then
 * (to show the margin when all match) the largest differences.
 */
export function parity(
  rows: readonly GoldenRow[],
  served: readonly number[],
  options: { atol: number; rtol: number; worst?: number },
): ParityResult {
  const { atol, rtol } = options;
  const entries: (WorstRow & { excess: number })[] = rows.map((row, index) => {
    const value = served[index] ?? Number.NaN;
    const tolerance = atol + rtol * Math.abs(row.expected);
    const answered = Number.isFinite(value);
    const diff = answered ? Math.abs(value - row.expected) : null;
    return {
      id: row.id,
      offline: row.expected,
      served: answered ? value : null,
      abs_diff: diff,
      tolerance,
      match: withinTolerance(value, row.expected, atol, rtol),
      excess: diff === null ? Number.POSITIVE_INFINITY : diff - tolerance,
    };
  });
  const compared = entries.filter((entry) => entry.served !== null).length;
  const mismatches = entries.filter((entry) => !entry.match).length;
  let maxAbsDiff: number | null = null;
  for (const entry of entries)
    if (entry.abs_diff !== null && (maxAbsDiff === null || entry.abs_diff > maxAbsDiff))
      maxAbsDiff = entry.abs_diff;
  const worst = [...entries]
    .sort((a, b) => (a.match === b.match ? b.excess - a.excess : a.match ? 1 : -1))
    .slice(0, options.worst ?? 10)
    .map(({ excess: _excess, ...entry }) => entry);
  return { atol, rtol, rows: rows.length, compared, mismatches, max_abs_diff: maxAbsDiff, worst };
}

/**
 * Share of golden rows whose predicted class is the offline one: probabilities are classes at
 * `>= threshold`, class labels compare after rounding the served value. undefined for regression values.
 */
export function agreement(
  set: Pick<GoldenSet, 'rows' | 'target'>,
  served: readonly number[],
  threshold: number,
): AgreementResult | undefined {
  if (set.target === 'value') return undefined;
  const toClass =
    set.target === 'probability'
      ? (value: number) => Number(value >= threshold)
      : (value: number) => Math.round(value);
  let compared = 0;
  let agree = 0;
  set.rows.forEach((row, index) => {
    const value = served[index] ?? Number.NaN;
    if (!Number.isFinite(value)) return;
    compared++;
    if (toClass(value) === toClass(row.expected)) agree++;
  });
  return {
    rule: set.target === 'probability' ? `class = probability >= ${threshold}` : 'class = rounded value',
    compared,
    agree,
    // Over every golden row: a row with no usable answer does not agree.
    share: set.rows.length === 0 ? null : agree / set.rows.length,
  };
}
