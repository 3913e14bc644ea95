import type { Cell, Table } from '@mlops/data';
import { describe, expect, it } from 'vitest';
import { inferTask, loadPredictions } from './predictions.ts';

function table(columns: Record<string, Cell[]>): Table & { file: string } {
  const names = Object.keys(columns);
  return { file: 'p.csv', columns: names, rowCount: columns[names[0]!]!.length, data: columns, types: {} };
}

const columns = { label: 'label', challenger: 'challenger', champion: 'champion' };

describe('inferTask', () => {
  it('two label values are binary, whatever the scores', () => {
    expect(inferTask([0, 1, 1], [0.2, 0.9, 0.7])).toBe('binary');
    expect(inferTask(['yes', 'no'], [0.2, 0.9])).toBe('binary');
    expect(inferTask([0, 1, 1], [0.2, 1.9, 0.7])).toBe('binary');
  });
  it('predictions that are labels are multiclass; real-valued labels are regression', () => {
    expect(inferTask(['cat', 'dog', 'eel'], ['cat', 'eel', 'eel'])).toBe('multiclass');
    expect(inferTask([0, 1, 2], [0, 2, 2])).toBe('multiclass');
    expect(inferTask([1.5, 2.25, 3], [1.4, 2.2, 3.3])).toBe('regression');
    expect(inferTask([10, 20, 35], [12.5, 19, 30])).toBe('regression');
  });
});

describe('loadPredictions', () => {
  it('text labels: the positive class from common words, or from positive_label', () => {
    const t = table({ label: ['yes', 'no', 'yes'], challenger: [0.9, 0.2, 0.6], champion: [0.8, 0.1, 0.4] });
    expect(Array.from(loadPredictions(t, { file: 'p.csv', columns }).labels)).toEqual([1, 0, 1]);
    const odd = table({ label: ['malignant', 'benign', 'benign'], challenger: [0.9, 0.2, 0.6] });
    expect(() => loadPredictions(odd, { file: 'p.csv', columns })).toThrow(
      /set positive_label in the gate file/,
    );
    const loaded = loadPredictions(odd, { file: 'p.csv', columns, positiveLabel: 'malignant' });
    expect(Array.from(loaded.labels)).toEqual([1, 0, 0]);
    expect(loaded.classes).toEqual(['benign', 'malignant']);
    expect(loaded.championMissing).toMatch(/no 'champion' column in p\.csv: absolute gates only/);
  });

  it('names the column and row of a missing score, and suggests a near column name', () => {
    const t = table({ label: [0, 1], challenger: [0.1, null], champion: [0.2, 0.3] });
    expect(() => loadPredictions(t, { file: 'p.csv', columns })).toThrow(
      /p\.csv: column 'challenger' row 2 is empty \(or NaN\)/,
    );
    const typo = table({ label: [0, 1], challenjer: [0.1, 0.4] });
    expect(() => loadPredictions(typo, { file: 'p.csv', columns })).toThrow(
      /no challenger column 'challenger' \(did you mean 'challenjer'\?\)/,
    );
  });

  it('joins a champion file by id, and refuses ids it does not have', () => {
    const main = table({ id: ['a', 'b', 'c'], label: [0, 1, 1], challenger: [0.1, 0.8, 0.7] });
    const champion = { ...table({ id: ['c', 'a', 'b'], champion: [0.3, 0.2, 0.9] }), file: 'champ.csv' };
    const loaded = loadPredictions(main, {
      file: 'p.csv',
      columns: { ...columns, id: 'id' },
      championTable: champion,
    });
    expect(Array.from(loaded.champion!)).toEqual([0.2, 0.9, 0.3]);
    const other = { ...table({ id: ['c', 'a', 'x'], champion: [0.3, 0.2, 0.9] }), file: 'champ.csv' };
    expect(() =>
      loadPredictions(main, { file: 'p.csv', columns: { ...columns, id: 'id' }, championTable: other }),
    ).toThrow(/champ\.csv: no row with id 'b' \(row 2 of p\.csv\)/);
  });

  it('a champion file in another row order is caught by its labels', () => {
    const main = table({ label: [0, 1, 1], challenger: [0.1, 0.8, 0.7] });
    const champion = { ...table({ label: [1, 0, 1], champion: [0.3, 0.2, 0.9] }), file: 'champ.csv' };
    expect(() => loadPredictions(main, { file: 'p.csv', columns, championTable: champion })).toThrow(
      /disagree on the label of row 1/,
    );
  });

  it('multiclass predictions of a class no label has are refused', () => {
    const t = table({ label: ['a', 'b', 'c'], challenger: ['a', 'b', 'd'] });
    expect(() => loadPredictions(t, { file: 'p.csv', columns, task: 'multiclass' })).toThrow(
      /row 3 predicts class 'd', which no label has/,
    );
  });

  it('negative weights are refused', () => {
    const t = table({ label: [0, 1], challenger: [0.1, 0.9], w: [1, -2] });
    expect(() => loadPredictions(t, { file: 'p.csv', columns: { ...columns, weight: 'w' } })).toThrow(
      /row 2: negative weight -2/,
    );
  });
});
