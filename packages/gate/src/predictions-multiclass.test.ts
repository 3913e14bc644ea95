import type { Cell, Table } from '@mlops/data';
import { describe, expect, it } from 'vitest';
import { loadPredictions } from './predictions.ts';

function table(columns: Record<string, Cell[]>): Table {
  const names = Object.keys(columns);
  return { columns: names, rowCount: columns[names[0]!]!.length, data: columns, types: {} };
}

const columns = { label: 'label', challenger: 'challenger', champion: 'champion' };

describe('multiclass per-class probability columns', () => {
  it('reads one column per class, predicts the first largest, keeps classes absent from the labels', () => {
    const t = table({
      label: ['b', 'a', 'b'],
      challenger_a: [0.2, 0.5, 0.1],
      challenger_b: [0.7, 0.5, 0.3],
      challenger_c: [0.1, 0, 0.6],
    });
    const loaded = loadPredictions(t, { file: 'p.csv', columns });
    expect(loaded.task).toBe('multiclass');
    expect(loaded.classes).toEqual(['a', 'b', 'c']);
    expect(Array.from(loaded.labels)).toEqual([1, 0, 1]);
    // Row 2 ties a and b at 0.5: the first wins, as numpy argmax.
    expect(Array.from(loaded.challenger)).toEqual([1, 0, 2]);
    expect(loaded.champion).toBeUndefined();
    expect(loaded.championMissing).toMatch(/no 'champion_<class>' columns/);
  });

  it('a label class without a probability column is refused, naming the column', () => {
    const t = table({ label: ['a', 'b', 'c'], challenger_a: [0.5, 0.2, 0.3], challenger_b: [0.5, 0.8, 0.7] });
    expect(() => loadPredictions(t, { file: 'p.csv', columns })).toThrow(
      /no probability column 'challenger_c' for class 'c'/,
    );
  });

  it('probabilities outside [0, 1] are refused', () => {
    const t = table({ label: ['a', 'b'], challenger_a: [1.5, 0.2], challenger_b: [0.5, 0.8] });
    expect(() => loadPredictions(t, { file: 'p.csv', columns })).toThrow(
      /'challenger_a' row 1 is 1\.5, outside \[0, 1\]/,
    );
  });
});
