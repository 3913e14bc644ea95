// Adjusted p-values across columns, so that testing 200 columns at 0.05 does not flag ten of them by
// chance (evidently#238). Same results as statsmodels.stats.multitest.multipletests; NaN entries are
// left out of the family and stay NaN.

function family(pValues: readonly number[]): number[] {
  const idx: number[] = [];
  pValues.forEach((p, i) => {
    if (!Number.isNaN(p)) idx.push(i);
  });
  return idx.sort((a, b) => pValues[a]! - pValues[b]!);
}

/**
 * Holm's step-down adjustment (controls the family-wise error rate): for ascending p_(i),
 * adj_(i) = max_{j<=i} min(1, (m - j + 1) p_(j)).
 * Source: Holm (1979); statsmodels multipletests(method='holm').
 *
 * @example holmAdjust([0.01, 0.04, 0.03]); // => [0.03, 0.06, 0.06]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = family(pValues);
  const m = order.length;
  const out = pValues.map(() => Number.NaN);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    out[index] = running;
  });
  return out;
}

/**
 * Benjamini-Hochberg step-up adjustment (controls the false discovery rate): for ascending p_(i),
 * adj_(i) = min_{j>=i} min(1, m p_(j) / j).
 * Source: Benjamini & Hochberg (1995); statsmodels multipletests(method='fdr_bh').
 *
 * @example benjaminiHochbergAdjust([0.01, 0.04, 0.03]); // => [0.03, 0.04, 0.04]
 */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  const order = family(pValues);
  const m = order.length;
  const out = pValues.map(() => Number.NaN);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank]!;
    running = Math.min(running, (m * pValues[index]!) / (rank + 1));
    out[index] = Math.min(1, running);
  }
  return out;
}
