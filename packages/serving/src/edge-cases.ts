// Malformed requests a well-behaved server refuses with a 4xx: an answer of 200 means it guessed (and will
// guess in production), a 5xx means it crashed on a client's mistake.
import type { ProtocolCodec } from './protocols.ts';
import type { GoldenRow, GoldenSet } from './types.ts';

export interface EdgeCaseRequest {
  case: 'empty batch' | 'missing feature' | 'wrong type';
  body: unknown;
}

/** The three probes, built by the protocol's own codec so only the defect differs from a good request. */
export function edgeCaseRequests(
  set: GoldenSet,
  makeCodec: (set: GoldenSet) => ProtocolCodec,
): EdgeCaseRequest[] {
  const codec = makeCodec(set);
  const first = set.rows[0]!;
  const probes: EdgeCaseRequest[] = [{ case: 'empty batch', body: codec.body([]) }];
  if (set.features.length > 1) {
    const reduced: GoldenSet = {
      ...set,
      features: set.features.slice(0, -1),
      kinds: set.kinds.slice(0, -1),
      rows: set.rows.slice(0, 1).map((row) => ({ ...row, values: row.values.slice(0, -1) })),
    };
    probes.push({ case: 'missing feature', body: makeCodec(reduced).body(reduced.rows) });
  }
  const numeric = set.kinds.indexOf('number');
  if (numeric >= 0) {
    const wrong: GoldenRow = {
      ...first,
      values: first.values.map((value, f) => (f === numeric ? 'not-a-number' : value)),
    };
    probes.push({ case: 'wrong type', body: codec.body([wrong]) });
  }
  return probes;
}

/** A probe passes on a 4xx only. */
export function judgeEdgeCase(status: number | null): { passed: boolean; message: string } {
  if (status === null) return { passed: false, message: 'no answer' };
  if (status >= 400 && status < 500) return { passed: true, message: `refused with ${status}` };
  if (status >= 500)
    return { passed: false, message: `server error ${status} on a client's mistake (expected a 4xx)` };
  return {
    passed: false,
    message: `answered ${status}: the server accepted a malformed request (expected a 4xx)`,
  };
}
