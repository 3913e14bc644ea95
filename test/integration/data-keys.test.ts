// Data whose own strings are the names of Object.prototype's members: column names, category values and
// slice / fairness groups `__proto__`, `constructor`, `toString`, `hasOwnProperty`. On a plain object such a
// key sets the prototype or reads an inherited function, so a column or a group vanished from the reports
// (Formula 1 data has a `constructor` column). Every one must be kept, through the bundles users run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, runBundledAction } from '../harness/runner.ts';

const WORDS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const;
const ROWS = 200;

/**
 * Columns named WORDS plus `x`: `__proto__` integers (shifted in the current data), `constructor` categories
 * that are the same words (mostly `__proto__` in the current data), `toString` numbers with a null every
 * tenth row, `hasOwnProperty` categories distributed alike in both.
 */
function dataCsv(current: boolean): string {
  const lines = [`${WORDS.join(',')},x`];
  for (let i = 0; i < ROWS; i++) {
    const proto = (i % 50) + (current ? 30 : 0);
    const category = current && i % 4 !== 0 ? '__proto__' : WORDS[i % 4]!;
    const number = current && i % 10 === 0 ? '' : String(i / 10);
    lines.push(`${proto},${category},${number},${WORDS[(i * 3) % 4]},${i % 7}`);
  }
  return `${lines.join('\n')}\n`;
}

const EXPECTATIONS = `columns:
  __proto__: { type: integer, nullable: false, min: 0, max: 100 }
  constructor: { type: string, nullable: false, allowed_values: [__proto__, constructor, toString, hasOwnProperty] }
  toString: { type: number, max_null_share: 0.05 }
  hasOwnProperty: { type: string, nullable: false, allowed_values: [constructor, toString] }
`;

interface Check {
  check: string;
  column?: string;
  passed: boolean;
}

let workspace: string;

/** A key of a parsed report, which must be the report's own (a `__proto__` key read as data, not the prototype). */
// biome-ignore lint/suspicious/noExplicitAny: report JSON, read loosely
function own(record: Record<string, any>, key: string): any {
  expect(Object.hasOwn(record, key), key).toBe(true);
  return record[key];
}

function readJson(file: string) {
  return JSON.parse(readFileSync(path.join(workspace, file), 'utf8'));
}

beforeAll(() => {
  workspace = makeWorkspace('mlops-keys-');
  mkdirSync(path.join(workspace, 'data'));
  writeFileSync(path.join(workspace, 'data', 'reference.csv'), dataCsv(false));
  writeFileSync(path.join(workspace, 'data', 'current.csv'), dataCsv(true));
  writeFileSync(path.join(workspace, 'expectations.yml'), EXPECTATIONS);
});

describe('column names, categories and groups that are Object.prototype member names', () => {
  it('validate-data keeps every column: types, nulls, checks, drift and a saved profile', async () => {
    const saved = await runBundledAction('validate-data', {
      workspace,
      inputs: {
        data: 'data/reference.csv',
        'profile-out': 'profiles/reference.profile.json',
        report: 'mlops-reports/reference.json',
      },
    });
    expect(saved.errors).toEqual([]);
    expect(saved.exitCode).toBe(0);
    const profile = readJson('profiles/reference.profile.json');
    expect(Object.keys(profile.columns)).toEqual([...WORDS, 'x']);
    // JSON.parse, not a literal: `{ __proto__: 50 }` in source sets (here: ignores) the prototype.
    expect(profile.columns.constructor.categories).toEqual(
      JSON.parse('{"__proto__":50,"constructor":50,"toString":50,"hasOwnProperty":50}'),
    );
    expect(Object.hasOwn(profile.columns.constructor.categories, '__proto__')).toBe(true);

    const run = await runBundledAction('validate-data', {
      workspace,
      inputs: {
        data: 'data/current.csv',
        reference: 'data/reference.csv',
        expectations: 'expectations.yml',
        'fail-on': 'none',
      },
    });
    // The two failing checks are annotated under their columns' names.
    expect(run.errors.map((message) => message.split(':')[0])).toEqual(['hasOwnProperty', 'toString']);
    expect(run.exitCode).toBe(0);
    const report = readJson('mlops-reports/validate-data.json');
    expect(report.columns).toEqual(
      JSON.parse(
        '{"__proto__":"integer","constructor":"string","toString":"number","hasOwnProperty":"string","x":"integer"}',
      ),
    );
    expect(Object.keys(report.columns)).toEqual([...WORDS, 'x']);

    // Every column's checks ran, each with the verdict its data gives.
    const checks = report.checks as Check[];
    const verdicts = (column: string) =>
      checks.filter((c) => c.column === column).map((c) => [c.check, c.passed]);
    for (const column of WORDS) expect(verdicts(column).length, column).toBeGreaterThan(0);
    expect(verdicts('__proto__').every(([, passed]) => passed)).toBe(true);
    expect(verdicts('constructor').every(([, passed]) => passed)).toBe(true);
    expect(verdicts('toString')).toContainEqual(['max_null_share', false]); // 20 nulls in 200 rows
    expect(verdicts('hasOwnProperty')).toContainEqual(['allowed_values', false]);

    // Drift on every column: the shifted integers and categories drift, the others do not.
    const drift = report.drift;
    expect(Object.keys(drift.columns)).toEqual([...WORDS, 'x']);
    expect(drift.skipped).toEqual([]);
    expect(own(drift.columns, '__proto__').drift).toBe(true);
    expect(own(drift.columns, 'constructor').drift).toBe(true);
    expect(drift.columns.constructor.histogram.categories).toEqual(expect.arrayContaining([...WORDS]));
    expect(own(drift.columns, 'hasOwnProperty').drift).toBe(false);
    expect(own(drift.columns, 'toString').kind).toBe('numeric');

    // The saved profile as the reference gives the same drift as the reference data.
    const fromProfile = await runBundledAction('validate-data', {
      workspace,
      inputs: {
        data: 'data/current.csv',
        reference: 'profiles/reference.profile.json',
        'fail-on': 'none',
        report: 'mlops-reports/from-profile.json',
      },
    });
    expect(fromProfile.errors).toEqual([]);
    expect(readJson('mlops-reports/from-profile.json').drift.columns).toEqual(drift.columns);
  });

  it('evaluate-gate reports every group of a slice column named constructor', async () => {
    // Two groups named __proto__ and toString; a challenger that ranks well, a champion that ranks less well.
    const lines = ['id,label,challenger,champion,constructor'];
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 400; i++) {
      const label = i % 2;
      const challenger = Math.min(0.99, Math.max(0.01, 0.3 + 0.4 * label + 0.4 * (random() - 0.5)));
      const champion = Math.min(0.99, Math.max(0.01, 0.4 + 0.2 * label + 0.6 * (random() - 0.5)));
      const group = i % 3 === 0 ? 'toString' : '__proto__';
      lines.push(`r${i},${label},${challenger.toFixed(6)},${champion.toFixed(6)},${group}`);
    }
    const gateWorkspace = makeWorkspace('mlops-keys-gate-');
    writeFileSync(path.join(gateWorkspace, 'predictions.csv'), `${lines.join('\n')}\n`);
    writeFileSync(
      path.join(gateWorkspace, 'gate.yml'),
      `task: binary
metrics:
  roc_auc: { min: 0.5 }
slices:
  - { column: constructor, metrics: { roc_auc: { min: 0.5 } }, min_support: 20 }
fairness:
  - { column: constructor, metric: demographic_parity_ratio, min: 0.1 }
`,
    );
    const run = await runBundledAction('evaluate-gate', {
      workspace: gateWorkspace,
      inputs: { predictions: 'predictions.csv', config: 'gate.yml' },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(
      readFileSync(path.join(gateWorkspace, 'mlops-reports', 'evaluate-gate.json'), 'utf8'),
    );
    const slices = report.slices as { column: string; group: string; n: number; passed: boolean }[];
    expect(slices.map((s) => [s.column, s.group, s.n]).sort()).toEqual([
      ['constructor', '__proto__', 266],
      ['constructor', 'toString', 134],
    ]);
    expect(slices.every((s) => s.passed)).toBe(true);
    const fairness = report.fairness[0];
    expect(Object.keys(fairness.groups).sort()).toEqual(['__proto__', 'toString']);
    expect(own(fairness.groups, '__proto__').n).toBe(266);
    expect(own(fairness.groups, 'toString').n).toBe(134);
    const gateNames = (report.gates as { name: string }[]).map((g) => g.name);
    expect(gateNames).toEqual(
      expect.arrayContaining([
        expect.stringContaining('constructor=__proto__'),
        expect.stringContaining('constructor=toString'),
      ]),
    );
  });
});
