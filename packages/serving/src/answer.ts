// Turning one answer's predictions into numbers, the same way for every protocol.

/** A response that does not say what the check needs (wrong shape, no predictions): a failed request. */
export class AnswerError extends Error {
  override name = 'AnswerError';
}

/**
 * One prediction per row from a list whose items are numbers, or per-row lists (class probabilities: the
 * `column` entry, default the last, the positive class of a binary classifier), or one-entry lists.
 * Anything that is not a number becomes NaN, which the answers check reports as not finite.
 */
export function rowPredictions(
  items: readonly unknown[],
  rows: number,
  column: number | undefined,
): number[] {
  if (items.length !== rows) {
    throw new AnswerError(`${items.length} predictions for ${rows} rows`);
  }
  return items.map((item, row) => {
    if (Array.isArray(item)) {
      if (item.length === 0) throw new AnswerError(`row ${row + 1}: an empty list instead of a prediction`);
      const at = column === undefined ? item.length - 1 : column;
      if (at >= item.length)
        throw new AnswerError(`row ${row + 1}: ${item.length} values per row, no column ${at}`);
      return toNumber(item[at]);
    }
    return toNumber(item);
  });
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  // "NaN" / "Infinity" as strings are how some encoders escape non-finite floats.
  if (typeof value === 'string' && /^(NaN|[+-]?Infinity|[+-]?inf|nan)$/i.test(value.trim()))
    return value.trim().toLowerCase().startsWith('-')
      ? Number.NEGATIVE_INFINITY
      : /inf/i.test(value)
        ? Number.POSITIVE_INFINITY
        : Number.NaN;
  return Number.NaN;
}

/** Nested lists flattened row-major (OIP data may be nested or flat). */
export function flatten(data: unknown): unknown[] {
  if (!Array.isArray(data)) return [data];
  return data.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}
