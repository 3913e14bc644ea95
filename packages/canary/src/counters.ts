// Exact counts from cumulative counters (reference/online-gate.md "Counts from Prometheus counters"):
// the increase over [started-at, t] is the sum of the positive steps between consecutive values, where a
// drop is a counter reset (the new value itself is then the step). Not Prometheus' increase(), which
// extrapolates to the window's edges and returns fractions.

/**
 * Cumulative increase of one counter at each grid time. `values[k]` is the counter's value at `grid[k]`,
 * NaN where the series has no value at that time (a gap: the count carries over). A series that first
 * appears after the first grid time was born during the rollout (a new version's counter starts at 0), so
 * its first value counts in full; one present at the first grid time starts the count there.
 *
 * @example cumulativeIncrease([5, 7, 2, 4]); // => [0, 2, 4, 6] (a reset between 7 and 2)
 */
export function cumulativeIncrease(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let previous = Number.NaN;
  let total = 0;
  for (let k = 0; k < values.length; k++) {
    const value = values[k]!;
    if (!Number.isNaN(value)) {
      if (Number.isNaN(previous)) total += k === 0 ? 0 : value;
      else total += value >= previous ? value - previous : value;
      previous = value;
    }
    out[k] = total;
  }
  return out;
}

/** How many drops (resets) a counter's values show, for the report. */
export function countResets(values: ArrayLike<number>): number {
  let previous = Number.NaN;
  let resets = 0;
  for (let k = 0; k < values.length; k++) {
    const value = values[k]!;
    if (Number.isNaN(value)) continue;
    if (!Number.isNaN(previous) && value < previous) resets++;
    previous = value;
  }
  return resets;
}
