/**
 * The mark kit's UserError recognises (`Symbol.for('mlops.user-error')`): stats stays a pure package with no
 * dependency on the action kit, and the actions still print a StatsError as the user's mistake, one line, no stack.
 */
const USER_ERROR_MARK = Symbol.for('mlops.user-error');

/**
 * How packages/stats answers invalid input — one rule for the whole package:
 *
 * **Invalid input throws a {@link StatsError}** (marked as a user error, so actions print its message as one
 * `::error::` line, never a stack) whose message names the argument and what was expected. Invalid means:
 * - arrays of different lengths (`yTrue` has 10 values, `yScore` has 9);
 * - empty input where a statistic needs at least one row;
 * - a non-finite score / label / weight (NaN, ±Infinity) — we never drop rows silently, because a gate that
 *   quietly ignores rows can pass a model that fails on exactly those rows; clean or impute upstream;
 * - binary labels that are not 0/1, multiclass labels that are not integers in [0, K);
 * - a statistic that needs both classes (roc_auc, average_precision, DeLong) given only one;
 * - negative sample weights, or weights summing to zero.
 *
 * A result that is *mathematically* undefined for valid input is returned as a documented value, not thrown:
 * precision / recall / f1 with a zero denominator are 0 (scikit-learn's `zero_division` default outcome),
 * a fairness rate with an empty denominator is NaN and its group is listed as insufficient, and a bootstrap
 * resample whose statistic is undefined is counted in `nonFinite` and left out of the interval.
 */
export class StatsError extends Error {
  override name = 'StatsError';
  readonly [USER_ERROR_MARK] = true;
}

/** Throws unless `values` is non-empty. */
export function assertNonEmpty(values: ArrayLike<unknown>, name: string): void {
  if (values.length === 0) throw new StatsError(`${name} is empty: at least one value is needed`);
}

/** Throws unless every array has the same length as the first. */
export function assertSameLength(arrays: Record<string, ArrayLike<unknown> | undefined>): number {
  let expected: number | undefined;
  let first = '';
  for (const [name, values] of Object.entries(arrays)) {
    if (values === undefined) continue;
    if (expected === undefined) {
      expected = values.length;
      first = name;
    } else if (values.length !== expected) {
      throw new StatsError(
        `length mismatch: ${first} has ${expected} values but ${name} has ${values.length}`,
      );
    }
  }
  return expected ?? 0;
}

/** Throws on the first NaN or infinite value, naming its index. */
export function assertFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new StatsError(
        `${name}[${i}] is ${v}: values must be finite numbers (drop or impute them first)`,
      );
    }
  }
}

/** Throws unless every label is exactly 0 or 1; returns the number of positives. */
export function assertBinaryLabels(yTrue: ArrayLike<number>, name = 'yTrue'): number {
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const v = yTrue[i];
    if (v === 1) positives++;
    else if (v !== 0) throw new StatsError(`${name}[${i}] is ${v}: binary labels must be 0 or 1`);
  }
  return positives;
}

/** Throws unless both classes are present (statistics that rank positives against negatives). */
export function assertBothClasses(positives: number, total: number, what: string): void {
  if (positives === 0 || positives === total) {
    const only = positives === 0 ? 0 : 1;
    throw new StatsError(
      `${what} is undefined when yTrue has only one class (all ${total} labels are ${only}); both 0 and 1 are needed`,
    );
  }
}

/** Validates sample weights (finite, non-negative, positive total); returns the total. */
export function assertWeights(weights: ArrayLike<number>, name = 'sampleWeight'): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!Number.isFinite(w) || w < 0) {
      throw new StatsError(`${name}[${i}] is ${w}: sample weights must be finite and non-negative`);
    }
    total += w;
  }
  if (!(total > 0)) throw new StatsError(`${name} sums to 0: at least one row needs a positive weight`);
  return total;
}

/** Throws unless `value` is in the open interval (0, 1) — confidences, probabilities of a test. */
export function assertOpenUnit(value: number, name: string): void {
  if (!(value > 0 && value < 1))
    throw new StatsError(`${name} is ${value}: expected a number strictly between 0 and 1`);
}
