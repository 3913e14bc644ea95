/**
 * The mark of an error that is the user's to fix, for error classes outside kit. `Symbol.for`, so the mark is
 * the same symbol in every module and every bundle chunk without an import.
 */
export const USER_ERROR_MARK: unique symbol = Symbol.for('mlops.user-error') as never;
type Marked = { [USER_ERROR_MARK]?: unknown };

/**
 * Errors that are the user's to fix (a bad input, a malformed file, a gate that cannot be evaluated as
 * configured). The top-level handler prints their message as one `::error::` line and no stack trace;
 * anything else is our bug and is reported with its stack so it can be filed.
 */
export class UserError extends Error {
  override name = 'UserError';
}

// A UserError carries the mark too: an action's start file bundles its own copy of kit (scripts/build.mjs),
// and the UserError its logic throws comes from the logic's copy, another class.
Object.defineProperty(UserError.prototype, USER_ERROR_MARK, { value: true });

// `instanceof UserError` also holds for an error carrying USER_ERROR_MARK: a pure package that does not depend
// on kit (packages/stats) marks its own error class instead of extending this one, and another copy of kit
// marks its own UserError. `this` is the class asked about, so a subclass (InputError) keeps the plain
// prototype check.
Object.defineProperty(UserError, Symbol.hasInstance, {
  value(this: unknown, value: unknown): boolean {
    if (this === UserError && value instanceof Error && (value as Marked)[USER_ERROR_MARK] === true)
      return true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  },
});

/** An action input that is missing or malformed; the message always names the input. */
export class InputError extends UserError {
  override name = 'InputError';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`input '${input}': ${message}`);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** " (did you mean 'x'?)" or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = nearest(word, candidates);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
