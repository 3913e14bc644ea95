import { createHash } from 'node:crypto';
import type { DriftSignal } from './drift-signal.ts';

/** Written into the dispatched run's title (via `run-name`) so later runs of this action can find it. */
export const MARKER_PATTERN = /\[mlops:([0-9a-f]{16})\]/;

export function fingerprintMarker(fingerprint: string): string {
  return `[mlops:${fingerprint}]`;
}

/** The fingerprint a run's title or name carries, if any. */
export function markerOf(run: { display_title?: string; name?: string }): string | undefined {
  return MARKER_PATTERN.exec(run.display_title ?? '')?.[1] ?? MARKER_PATTERN.exec(run.name ?? '')?.[1];
}

/**
 * A digest of what drifted, so the same drift is retrained once: sha256 (first 16 hex digits) over a canonical
 * text of the drifted columns, sorted by name, each with its method, its score to 3 significant digits and its
 * current histogram as shares to 2 decimals. Rounding absorbs float noise between runs on the same data while
 * a real change in what drifted, or how much, gives a new fingerprint. From the drift-share input alone the
 * digest covers only the share (rounded to 2 decimals): a weaker identity, said so in the README. Forced
 * without any drift information, it covers the commit, so the same commit is not retrained twice.
 * @example driftFingerprint({ detected: true, share: 0.5, columns: [{ name: 'age', method: 'ks', score: 0.31234 }], source: 'report' }) // => '8bc8127e791716f2'
 */
export function driftFingerprint(signal: DriftSignal): string {
  const lines = ['mlops-drift-fingerprint/v1'];
  if (signal.columns.length > 0) {
    for (const column of signal.columns) {
      lines.push(
        [
          column.name,
          column.method ?? '',
          column.score === undefined ? '' : roundSignificant(column.score, 3),
          column.histogram === undefined ? '' : histogramShares(column.histogram),
        ].join('\t'),
      );
    }
  } else if (signal.source === 'none') {
    lines.push(`forced\t${signal.identity ?? ''}`);
  } else {
    lines.push(
      `share\t${signal.share === undefined ? (signal.detected ? 'detected' : 'none') : signal.share.toFixed(2)}`,
    );
  }
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

function roundSignificant(value: number, digits: number): string {
  if (value === 0) return '0';
  // toPrecision then Number drops the exponent noise: 0.31234 -> "0.312", 1234.5 -> "1230".
  return String(Number(value.toPrecision(digits)));
}

function histogramShares(counts: number[]): string {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total > 0 ? (count / total).toFixed(2) : '0.00')).join(',');
}
