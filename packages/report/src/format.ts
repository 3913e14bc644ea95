// Numbers and verdicts as a reviewer reads them. Report values are untrusted too: a field that should be a
// number may be a string or an object in a hand-edited or foreign report, so every formatter accepts unknown
// and falls back to escaped text rather than throwing.
import { escapeMarkdown, inlineCode } from './escape.ts';

export type Verdict = 'pass' | 'fail' | 'warn' | 'info' | 'skip';

export const VERDICT_ICON: Record<Verdict, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  info: 'ℹ️',
  skip: '⏭️',
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * A number with four significant digits (integers in full with thousands separators, tiny or huge values in
 * scientific notation); anything else escaped. Missing -> an em dash.
 *
 * @example formatNumber(0.123456) // => '0.1235'
 * @example formatNumber(1234567) // => '1,234,567'
 */
export function formatNumber(value: unknown, digits = 4): string {
  if (value === undefined || value === null) return '—';
  if (typeof value !== 'number') return escapeMarkdown(value, { maxLength: 40 });
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return groupThousands(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e9)) return value.toExponential(digits - 1);
  return String(Number(value.toPrecision(digits)));
}

/** A signed difference: `+0.0123`, `-0.0045` (ASCII minus, as formatNumber, so values copy into code). */
export function formatSigned(value: unknown, digits = 4): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return formatNumber(value, digits);
  if (value === 0) return '0';
  return value > 0 ? `+${formatNumber(value, digits)}` : formatNumber(value, digits);
}

/**
 * A share in [0, 1] as a percentage with up to one decimal.
 *
 * @example formatPercent(0.125) // => '12.5%'
 */
export function formatPercent(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return formatNumber(value);
  const percent = value * 100;
  const rounded = Math.round(percent * 10) / 10;
  // Never print 0% or 100% for a share that is not exactly that: a reviewer reads "0%" as "none".
  if (rounded === 0 && value !== 0) return '<0.1%';
  if (rounded === 100 && value !== 1) return '>99.9%';
  return `${rounded}%`;
}

/**
 * A p-value: four significant digits, or `<0.0001`.
 *
 * @example formatPValue(0.00001) // => '<0.0001'
 */
export function formatPValue(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return formatNumber(value);
  if (value < 1e-4) return '<0.0001';
  return formatNumber(value, 3);
}

/** `[lo, hi]` as `0.012 to 0.034`; anything else `—`. */
export function formatInterval(value: unknown, digits = 4): string {
  if (!Array.isArray(value) || value.length !== 2) return '—';
  const [low, high] = value;
  if (typeof low !== 'number' && typeof high !== 'number') return '—';
  return `${formatSigned(low, digits)} to ${formatSigned(high, digits)}`;
}

/** A cell that shows any report value: numbers formatted, booleans as yes/no, text escaped and capped. */
export function formatValue(value: unknown, maxLength = 120): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === undefined || value === null || value === '') return '—';
  return escapeMarkdown(value, { maxLength });
}

/** An identifier-like value (model, version, column, commit) as a table-safe code span. */
export function code(value: unknown, maxLength = 100): string {
  if (value === undefined || value === null || value === '') return '—';
  return inlineCode(value, { maxLength, table: true });
}

export function passIcon(passed: unknown): string {
  if (passed === true) return VERDICT_ICON.pass;
  if (passed === false) return VERDICT_ICON.fail;
  return VERDICT_ICON.skip;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  const shown = Number.isInteger(count) ? groupThousands(count) : count.toLocaleString('en-US');
  return `${shown} ${count === 1 ? one : many}`;
}

/**
 * An integer with thousands separators, as `toLocaleString('en-US')` writes it, without calling it below
 * 1e21: that call's first use loads ICU's number formatting, tens of milliseconds and megabytes at the end
 * of a run that prints one report. Below 1e21, String() gives every digit (no exponent).
 *
 * @example groupThousands(-1234567) // => '-1,234,567'
 */
export function groupThousands(integer: number): string {
  if (!(Math.abs(integer) < 1e21)) return integer.toLocaleString('en-US');
  const digits = String(Math.abs(integer));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = grouped.length; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`;
  return integer < 0 || Object.is(integer, -0) ? `-${grouped}` : grouped;
}
