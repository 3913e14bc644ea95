// The behavioral file: CheckList semantics on small hand cases, and every malformed input refused with the
// file, row and column. (The example project's real file is checked against the Python reference in
// test/integration/evaluate-gate.test.ts.)
import type { Table } from '@mlops/data';
import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { type BehavioralLoadOptions, evaluateBehavioral, loadBehavioral } from './behavioral.ts';

/** A table of text cells from CSV-like rows (the first row is the header). */
function table(rows: string[]): Table {
  const [header, ...body] = rows.map((row) => row.split(','));
  const data = Object.fromEntries(
    header!.map((name, index) => [name, body.map((cells) => (cells[index] === '' ? null : cells[index]!))]),
  );
  return { columns: header!, rowCount: body.length, data, types: {} };
}

const options: BehavioralLoadOptions = {
  file: 'behavior.csv',
  columns: { challenger: 'challenger', champion: 'champion' },
  task: 'binary',
  classes: ['No', 'Yes'],
};
const HEADER = 'test,type,case,variant,expect,label,tolerance,challenger,champion';

function refusal(rows: string[]): string {
  try {
    loadBehavioral(table([HEADER, ...rows]), options);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('CheckList semantics', () => {
  const suite = loadBehavioral(
    table([
      HEADER,
      // invariance: c1 keeps its label for both; c2 flips for the challenger only.
      'noise,invariance,c1,0,,,,0.7,0.7',
      'noise,invariance,c1,1,,,,0.6,0.8',
      'noise,invariance,c2,0,,,,0.55,0.7',
      'noise,invariance,c2,1,,,,0.45,0.6',
      // directional increase: d1 passes only within the tolerance; d2 cannot fail for the challenger (0.01 <= tol).
      'up,directional,d1,0,,,0.05,0.5,0.5',
      'up,directional,d1,1,increase,,,0.46,0.6',
      'up,directional,d2,0,,,0.05,0.01,0.3',
      'up,directional,d2,1,increase,,,0.0,0.2',
      'down,directional,e1,0,,,,0.9,0.9',
      'down,directional,e1,1,decrease,,,0.95,0.8',
      // minimum: m1 needs every row to predict Yes.
      'clear,minimum,m1,0,,Yes,,0.9,0.4',
      'clear,minimum,m2,0,,No,,0.1,0.2',
    ]),
    options,
  );
  const { reports, gates } = evaluateBehavioral(
    suite,
    { file: 'behavior.csv', tests: { up: { max_fail_rate: 0 } }, max_fail_rate: 0.5 },
    { task: 'binary', threshold: 0.5 },
  );
  const of = (test: string) => reports.find((report) => report.test === test)!;

  it('a case passes only if every perturbation passes', () => {
    expect(of('noise')).toMatchObject({ cases: 2, failed: { challenger: 1, champion: 0 }, examples: ['c2'] });
    expect(of('noise').fail_rate).toEqual({ challenger: 0.5, champion: 0 });
  });

  it('directional: within the tolerance passes, a case that cannot fail is counted apart', () => {
    expect(of('up')).toMatchObject({
      cases: 2,
      excluded: { challenger: 1, champion: 0 },
      failed: { challenger: 0, champion: 1 },
      fail_rate: { challenger: 0, champion: 0.5 },
    });
    expect(of('down')).toMatchObject({ failed: { challenger: 1, champion: 0 }, examples: ['e1'] });
  });

  it('minimum: every row predicts its label', () => {
    expect(of('clear')).toMatchObject({ failed: { challenger: 0, champion: 1 } });
  });

  it('per-test bounds win over the file default; McNemar on the discordant cases', () => {
    expect(gates.map((gate) => [gate.name, gate.passed])).toEqual([
      ['behavioral noise', true],
      ['behavioral up', true],
      ['behavioral down', false],
      ['behavioral clear', true],
    ]);
    expect(of('down').mcnemar_p).toBe(1);
    expect(gates[2]!.message).toMatch(/^behavioral test 'down' \(directional\): fail rate 1 is above 0\.5/);
  });
});

describe('malformed behavioral files name the file, row and column', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'a case without its original',
      ['noise,invariance,c1,1,,,,0.7,0.7', 'noise,invariance,c1,2,,,,0.7,0.7'],
      /^behavior\.csv row 1: test 'noise' case 'c1' has no original \(variant 0\); variants found: 1, 2$/,
    ],
    [
      'a repeated variant',
      [
        'noise,invariance,c1,0,,,,0.7,0.7',
        'noise,invariance,c1,1,,,,0.7,0.7',
        'noise,invariance,c1,1,,,,0.6,0.7',
      ],
      /^behavior\.csv row 3: test 'noise' case 'c1' has variant 1 twice \(rows 2 and 3\)/,
    ],
    [
      'an unknown type',
      ['noise,invariant,c1,0,,,,0.7,0.7'],
      /^behavior\.csv row 1: column 'type': expected one of invariance, directional, minimum, got 'invariant' \(did you mean 'invariance'\?\)$/,
    ],
    [
      'an unknown expectation',
      ['up,directional,d1,0,,,,0.5,0.5', 'up,directional,d1,1,increasing,,,0.6,0.6'],
      /^behavior\.csv row 2: column 'expect': expected one of increase, decrease, got 'increasing'/,
    ],
    [
      'a directional perturbation without an expectation',
      ['up,directional,d1,0,,,,0.5,0.5', 'up,directional,d1,1,,,,0.6,0.6'],
      /^behavior\.csv row 2: column 'expect': expected one of increase, decrease, got nothing$/,
    ],
    [
      'a minimum row without a label',
      ['clear,minimum,m1,0,,,,0.9,0.9'],
      /^behavior\.csv row 1: column 'label' is empty: a minimum test row needs its expected label$/,
    ],
    [
      'a test that changes type',
      [
        'noise,invariance,c1,0,,,,0.7,0.7',
        'noise,invariance,c1,1,,,,0.7,0.7',
        'noise,minimum,c2,0,,Yes,,0.7,0.7',
      ],
      /^behavior\.csv row 3: column 'type': test 'noise' is invariance on its first row, minimum here$/,
    ],
    [
      'a variant that is not a whole number',
      ['noise,invariance,c1,0.5,,,,0.7,0.7'],
      /^behavior\.csv row 1: column 'variant': expected a whole number >= 0 \(0 = the original\), got '0\.5'$/,
    ],
    [
      'a score outside [0, 1]',
      ['noise,invariance,c1,0,,,,1.7,0.7'],
      /^behavior\.csv row 1: column 'challenger' is 1\.7: binary scores are probabilities in \[0, 1\]$/,
    ],
    [
      'an invariance case with no perturbation',
      ['noise,invariance,c1,0,,,,0.7,0.7'],
      /^behavior\.csv row 1: invariance test 'noise' case 'c1' has an original and no perturbation/,
    ],
  ];
  for (const [what, rows, message] of cases) it(what, () => expect(refusal(rows)).toMatch(message));

  it('a missing column', () => {
    expect(() =>
      loadBehavioral(table(['test,type,case,challenger', 'noise,invariance,c1,0.7']), options),
    ).toThrow(/^behavior\.csv: no column 'variant'; a behavioral file has test, type, case, variant/);
  });
});

describe('other tasks', () => {
  it('multiclass: classes by name, a label kept or not', () => {
    const suite = loadBehavioral(
      table([
        'test,type,case,variant,label,model',
        'swap,invariance,c1,0,,setosa',
        'swap,invariance,c1,1,,setosa',
        'swap,invariance,c2,0,,virginica',
        'swap,invariance,c2,1,,versicolor',
        'clear,minimum,m1,0,virginica,virginica',
      ]),
      {
        file: 'b.csv',
        columns: { challenger: 'model', champion: 'old' },
        task: 'multiclass',
        classes: ['setosa', 'versicolor', 'virginica'],
      },
    );
    expect(suite.hasChampion).toBe(false);
    const { reports } = evaluateBehavioral(
      suite,
      { file: 'b.csv', tests: {} },
      { task: 'multiclass', threshold: 0.5 },
    );
    expect(reports.map((report) => [report.test, report.failed, report.mcnemar_p])).toEqual([
      ['swap', { challenger: 1 }, null],
      ['clear', { challenger: 0 }, null],
    ]);
    expect(() =>
      loadBehavioral(table(['test,type,case,variant,model', 'swap,invariance,c1,0,rose']), {
        file: 'b.csv',
        columns: { challenger: 'model', champion: 'old' },
        task: 'multiclass',
        classes: ['setosa'],
      }),
    ).toThrow(/^b\.csv row 1: column 'model': expected one of the classes setosa, got 'rose'$/);
  });

  it('regression: invariance within the tolerance, directional on the prediction (nothing left out)', () => {
    const suite = loadBehavioral(
      table([
        'test,type,case,variant,expect,tolerance,challenger,champion',
        'noise,invariance,c1,0,,5,100,100',
        'noise,invariance,c1,1,,,104,110',
        'up,directional,d1,0,,,100,100',
        'up,directional,d1,1,increase,,120,90',
      ]),
      { ...options, task: 'regression' },
    );
    const { reports } = evaluateBehavioral(
      suite,
      { file: 'b.csv', tests: {} },
      { task: 'regression', threshold: 0.5 },
    );
    expect(reports.map((report) => [report.test, report.failed])).toEqual([
      ['noise', { challenger: 0, champion: 1 }],
      ['up', { challenger: 0, champion: 1 }],
    ]);
  });
});
