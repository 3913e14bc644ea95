import { describe, expect, it } from 'vitest';
import { driftSignalFromInputs, driftSignalFromReport, noDriftSignal } from './drift-signal.ts';
import { driftFingerprint, fingerprintMarker, markerOf } from './fingerprint.ts';

function report(columns: Record<string, unknown>) {
  return { schema: 'mlops.validate-data/v1', drift: { detected: true, share: 0.5, columns } };
}

const BASE = {
  income: { method: 'psi', score: 0.2, drift: true },
  age: {
    method: 'ks',
    score: 0.31234,
    drift: true,
    histogram: { reference: [5, 5, 5], current: [10, 30, 60] },
  },
  city: { method: 'chisquare', score: 0.01, drift: false },
};

describe('driftFingerprint', () => {
  it('is the sha256 of the documented canonical text', () => {
    // Reference digest from Python: hashlib.sha256('mlops-drift-fingerprint/v1\nage\tks\t0.312\t0.10,0.30,0.60\nincome\tpsi\t0.2\t'.encode()).hexdigest()[:16]
    expect(driftFingerprint(driftSignalFromReport(report(BASE), 'r.json'))).toBe('a41560652a858c8a');
    // hashlib.sha256('mlops-drift-fingerprint/v1\nshare\t0.40'.encode()).hexdigest()[:16]
    expect(driftFingerprint(driftSignalFromInputs(true, 0.4))).toBe('ec431c3be59dff9f');
    // hashlib.sha256('mlops-drift-fingerprint/v1\nforced\tabc123'.encode()).hexdigest()[:16]
    expect(driftFingerprint(noDriftSignal('abc123'))).toBe('f3050cfa8e8d1314');
  });

  it('ignores column order, float noise, histogram scale and undrifted columns', () => {
    const reference = driftFingerprint(driftSignalFromReport(report(BASE), 'r.json'));
    const reordered = {
      city: { ...BASE.city, score: 0.09 },
      age: { ...BASE.age, score: 0.312349, histogram: { current: [1, 3, 6] } },
      income: BASE.income,
    };
    expect(driftFingerprint(driftSignalFromReport(report(reordered), 'r.json'))).toBe(reference);
  });

  it('changes when what drifted, or how much, changes', () => {
    const reference = driftFingerprint(driftSignalFromReport(report(BASE), 'r.json'));
    const variants = [
      { ...BASE, age: { ...BASE.age, score: 0.33 } },
      { ...BASE, city: { ...BASE.city, drift: true } },
      { ...BASE, age: { ...BASE.age, histogram: { current: [20, 30, 50] } } },
      { ...BASE, income: { ...BASE.income, method: 'wasserstein' } },
    ];
    const digests = variants.map((columns) =>
      driftFingerprint(driftSignalFromReport(report(columns), 'r.json')),
    );
    expect(new Set([reference, ...digests]).size).toBe(5);
  });
});

describe('markers', () => {
  it('round-trips through a run title or name', () => {
    const marker = fingerprintMarker('0123456789abcdef');
    expect(markerOf({ display_title: `Retrain: drift detected ${marker}` })).toBe('0123456789abcdef');
    expect(markerOf({ display_title: 'Train', name: `x ${marker}` })).toBe('0123456789abcdef');
    expect(markerOf({ display_title: 'Train [mlops:XYZ]' })).toBeUndefined();
  });
});
