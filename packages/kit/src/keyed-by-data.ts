/**
 * Tables keyed by the data's own strings (column names, category values, slice and fairness groups).
 *
 * On a plain object such a key is not always an ordinary key: `obj['__proto__'] = v` sets the prototype (the
 * entry vanishes), and `obj['constructor']`, `obj['toString']` or `'hasOwnProperty' in obj` find inherited
 * members for keys that were never set. A table without a prototype has none of that: every string is a key
 * like any other, and JSON.stringify writes it the same as a plain object.
 */

/** An empty table with no prototype, optionally filled from entries (later entries win, as with assignment). */
export function keyedByData<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const table = Object.create(null) as Record<string, T>;
  if (entries) for (const [key, value] of entries) table[key] = value;
  return table;
}

/** A prototype-less copy of a table that may have come from JSON.parse or a plain object literal. */
export function copyKeyedByData<T>(from: Readonly<Record<string, T>> | undefined): Record<string, T> {
  const table = Object.create(null) as Record<string, T>;
  if (from) for (const key of Object.keys(from)) table[key] = from[key] as T;
  return table;
}

/** The entry for a data-derived key, or undefined when the table has no own entry of that name. */
export function ownEntry<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
