import type { Cell, ColumnType } from './types.ts';
import { decodeUtf8 } from './utf8.ts';

/**
 * Text read as missing, as pandas' `read_csv` default `na_values`, so a file means the same thing here as in
 * the notebook it came from.
 */
export const NULL_TOKENS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

const TRUE_TOKENS: ReadonlySet<string> = new Set(['true', 'True', 'TRUE']);
const FALSE_TOKENS: ReadonlySet<string> = new Set(['false', 'False', 'FALSE']);
const INTEGER = /^[+-]?\d+$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/;

/** Returned by a codec when the text does not fit the column's type. */
export const MISMATCH: unique symbol = Symbol('mismatch');

export function isNullToken(raw: string): boolean {
  return raw.length <= 8 && NULL_TOKENS.has(raw);
}

/**
 * Parses decimal text to a number: the common `-123.456` shape by hand (exact: an integer mantissa below
 * 2^53 divided by a power of ten up to 1e22 is one correctly rounded IEEE division, Clinger's fast path),
 * anything else (exponents, long mantissas, inf) through `Number`. NaN when the text is not a number.
 */
export function parseNumber(raw: string): number {
  const value = parseNumberSpan(raw, 0, raw.length);
  return Number.isNaN(value) ? slowNumber(raw) : value;
}

/** Powers of ten a double holds exactly (10^22 is the largest). */
const EXACT_POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Digits of a mantissa that is certainly below 2^53, so exact in a double. */
const MAX_EXACT_DIGITS = 15;

/**
 * The double of a plain decimal read as its digits without the point (`mantissa`, `digits` of them,
 * `decimals` after the point), exact by Clinger's fast path: up to MAX_EXACT_DIGITS digits the mantissa and
 * the power of ten are exact doubles, so the one division rounds once, as `Number` does. NaN when there are
 * no digits or too many. Every reader of plain decimals ends here (small enough to be inlined in their scans).
 */
export function exactDecimal(mantissa: number, digits: number, decimals: number, negative: boolean): number {
  if (digits === 0 || digits > MAX_EXACT_DIGITS) return Number.NaN;
  const value = decimals === 0 ? mantissa : mantissa / EXACT_POWERS_OF_TEN[decimals]!;
  return negative ? -value : value;
}

/**
 * Of the four bytes of `word` (read little-endian: its low byte comes first in the text), how many leading
 * ones are ASCII digits: 0 to 4. A number's digits read a word at a time are a shorter dependency chain
 * than one multiply-add per digit. Exact for the leading bytes: a byte's `+ 6` carries only out of a byte
 * of 0xfa or more, which is itself no digit, so it can only mislabel bytes after the first non-digit.
 */
export function leadingDigits(word: number): number {
  const notDigit = ((word & 0xf0f0f0f0) ^ 0x30303030) | (((word + 0x06060606) & 0xf0f0f0f0) ^ 0x30303030);
  if (notDigit === 0) return 4;
  return (31 - Math.clz32(notDigit & -notDigit)) >>> 3;
}

/** 10^run for the digit runs of leadingDigits (0 to 4). */
const TEN_TO = new Int32Array([1, 10, 100, 1000, 10000]);

/**
 * The mantissa `mantissa` (up to 9 - run digits) followed by the first `run` bytes of `word`, digits
 * (leadingDigits): one multiply-add per word. The digits are moved to the word's top bytes (the bytes after
 * them, and any borrow from them, shifted out), then combined in pairs.
 */
export function appendDigits(mantissa: number, word: number, run: number): number {
  const shift = 16 - 4 * run; // applied twice: a shift by 32 is no shift in JavaScript
  const digits = ((word - 0x30303030) << shift) << shift;
  const pairs = (Math.imul(digits, 10) + (digits >>> 8)) | 0;
  return (Math.imul(mantissa, TEN_TO[run]!) + Math.imul(pairs & 0xff, 100) + ((pairs >>> 16) & 0xff)) | 0;
}

function slowNumber(raw: string): number {
  const trimmed = raw.trim();
  if (trimmed === '' || /^[+-]?0[xXbBoO]/.test(trimmed)) return Number.NaN;
  const lower = trimmed.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return Number(trimmed);
}

/** ISO 8601 date or date-time to epoch milliseconds; a time without a zone is read as UTC. NaN otherwise. */
export function parseDatetime(raw: string): number {
  if (!ISO_DATETIME.test(raw)) return Number.NaN;
  let text = raw.length > 10 ? `${raw.slice(0, 10)}T${raw.slice(11)}` : raw;
  if (raw.length > 10 && !HAS_ZONE.test(text)) text += 'Z';
  return Date.parse(text);
}

/** Converts one text value to the column's type; null for missing, MISMATCH when it does not fit. */
export function parseCell(raw: string, type: ColumnType): Cell | typeof MISMATCH {
  if (raw.length === 0) return null;
  if (type === 'string') return isNullToken(raw) ? null : raw;
  switch (type) {
    case 'number': {
      const value = parseNumber(raw);
      return Number.isNaN(value) ? (isNullToken(raw) ? null : MISMATCH) : value;
    }
    case 'integer': {
      const value = parseNumber(raw);
      return Number.isInteger(value) ? value : isNullToken(raw) ? null : MISMATCH;
    }
    case 'boolean':
      return TRUE_TOKENS.has(raw) ? true : FALSE_TOKENS.has(raw) ? false : isNullToken(raw) ? null : MISMATCH;
    case 'datetime': {
      const value = parseDatetime(raw);
      return Number.isNaN(value) ? (isNullToken(raw) ? null : MISMATCH) : value;
    }
  }
}

/**
 * parseNumber over `text[start, end)` without making a string: the plain decimal shape only (exact by the
 * same fast path); NaN for anything else, which the caller then reads the slow way (exponents, 'NA', ...).
 */
export function parseNumberSpan(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === 0x2d || c === 0x2b) {
    negative = c === 0x2d;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2e && point === -1) {
      point = i;
    } else {
      return Number.NaN;
    }
  }
  return exactDecimal(mantissa, digits, point === -1 ? 0 : end - point - 1, negative);
}

/**
 * parseNumberSpan over UTF-8 bytes `bytes[start, end)` (the CSV parser's fields): the same shape, the same
 * exact double, NaN for anything else.
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  let c = bytes[i];
  if (c === 0x2d || c === 0x2b) {
    negative = c === 0x2d;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (; i < end; i++) {
    c = bytes[i]!;
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2e && point === -1) {
      point = i;
    } else {
      return Number.NaN;
    }
  }
  return exactDecimal(mantissa, digits, point === -1 ? 0 : end - point - 1, negative);
}

/** Converts a JSON value (JSON Lines) to the column's type. */
export function convertJsonValue(value: unknown, type: ColumnType): Cell | typeof MISMATCH {
  if (value === null || value === undefined) return null;
  // JSON has real nulls: a JSON string in a string column is kept as written ("NA" stays "NA").
  if (typeof value === 'string') return type === 'string' ? value : parseCell(value, type);
  switch (type) {
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'number':
      return typeof value === 'number' ? value : MISMATCH;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : MISMATCH;
    case 'boolean':
      return typeof value === 'boolean' ? value : MISMATCH;
    case 'datetime':
      return typeof value === 'number' ? value : MISMATCH;
  }
}

/**
 * The narrowest type every non-missing value fits, tried in the order boolean, integer, number, datetime,
 * string. A column with no values at all is a string column (the type that accepts anything later).
 *
 * @example inferType(['1', '2', 'NA']); // => 'integer'
 */
export function inferType(values: readonly unknown[]): ColumnType {
  const inference = new TypeInference();
  for (const value of values) {
    inference.observe(value);
    if (inference.settled) break;
  }
  return inference.type();
}

/**
 * Incremental type inference over one column (see {@link inferType}): values are observed one at a time,
 * CSV fields straight from the parser's text span, so inferring from the first rows keeps no strings.
 */
export class TypeInference {
  private boolean = true;
  private integer = true;
  private number = true;
  private datetime = true;
  private seen = 0;

  /** True once only 'string' remains: later values cannot change the answer. */
  get settled(): boolean {
    return !this.boolean && !this.number && !this.datetime;
  }

  /**
   * A CSV field `bytes[start, end)` whose plain-decimal reading (parseNumberBytes) is `parsed`: a number is
   * decided in place, anything else as text.
   */
  observeField(bytes: Buffer, start: number, end: number, parsed: number): void {
    if (start === end || this.settled) return;
    if (Number.isNaN(parsed)) {
      this.observe(decodeUtf8(bytes, start, end));
      return;
    }
    this.seen++;
    this.boolean = false;
    this.datetime = false;
    if (this.integer && (hasDecimalPoint(bytes, start, end) || !Number.isSafeInteger(parsed)))
      this.integer = false;
  }

  /** A text or JSON value. */
  observe(value: unknown): void {
    if (value === null || value === undefined || this.settled) return;
    if (typeof value === 'string') {
      if (isNullToken(value)) return;
      this.seen++;
      if (this.boolean && !TRUE_TOKENS.has(value) && !FALSE_TOKENS.has(value)) this.boolean = false;
      if (this.number && Number.isNaN(parseNumber(value))) this.number = false;
      if (this.integer && (!this.number || !INTEGER.test(value) || !Number.isSafeInteger(Number(value))))
        this.integer = false;
      if (this.datetime && (this.number || Number.isNaN(parseDatetime(value)))) this.datetime = false;
      return;
    }
    this.seen++;
    if (typeof value !== 'boolean') this.boolean = false;
    if (typeof value !== 'number') this.number = this.integer = this.datetime = false;
    else {
      this.datetime = false;
      if (!Number.isInteger(value)) this.integer = false;
    }
  }

  type(): ColumnType {
    if (this.seen === 0 || this.settled) return 'string';
    if (this.boolean) return 'boolean';
    if (this.integer) return 'integer';
    if (this.number) return 'number';
    if (this.datetime) return 'datetime';
    return 'string';
  }
}

function hasDecimalPoint(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === 0x2e) return true;
  return false;
}
