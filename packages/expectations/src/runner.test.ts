import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readBatches } from '@mlops/data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExpectations } from './load.ts';
import { ExpectationRunner } from './runner.ts';
import type { CheckResult } from './types.ts';

// Reference values from pandas: test/fixtures/validate-data/generate_checks.py.
const fixtures = path.join(__dirname, '../../../test/fixtures/validate-data');
const expected = JSON.parse(readFileSync(path.join(fixtures, 'checks.expected.json'), 'utf8'));
const data = path.join(fixtures, 'pima-checks.csv');

async function run(yaml: string, batchSize = 17, exactLimit?: number): Promise<CheckResult[]> {
  const runner = new ExpectationRunner(
    parseExpectations(yaml, 'e.yml'),
    exactLimit === undefined ? {} : { exactLimit },
  );
  for await (const batch of readBatches([data], { batchSize })) runner.add(batch);
  return runner.finish();
}

function find(results: CheckResult[], column: string | null, check: string): CheckResult {
  const result = results.find((r) => r.column === column && r.check === check);
  if (result === undefined)
    throw new Error(
      `no ${column}.${check} in ${JSON.stringify(results.map((r) => `${r.column}.${r.check}`))}`,
    );
  return result;
}

describe('ExpectationRunner against pandas', () => {
  it('row checks count what pandas counts, with GE mostly semantics (nulls excluded)', async () => {
    const results = await run(`
columns:
  glu: { min: 100 }
  bmi: { max: { value: 40, mostly: 0.5 } }
  bp: { min: 60, max: 90, nullable: false }
  npreg: { allowed_values: [0, 1, 2] }
  type:
    allowed_values: ["Yes"]
    regex: "Ye"
    length: 3
    not_null: { mostly: 0.9 }
`);
    const c = expected.columns;
    expect(find(results, 'glu', 'min')).toMatchObject({ passed: false, unexpected: c.glu.below_100 });
    expect(find(results, 'glu', 'min').unexpected_share).toBeCloseTo(c.glu.below_100 / expected.rows, 12);
    const bmi = find(results, 'bmi', 'max');
    expect(bmi.unexpected).toBe(c.bmi.above_40);
    expect(bmi.passed).toBe((expected.rows - c.bmi.above_40) / expected.rows >= 0.5);
    expect(find(results, 'bp', 'min').unexpected + find(results, 'bp', 'max').unexpected).toBe(
      c.bp.between_60_90_fail,
    );
    expect(find(results, 'bp', 'min').unexpected_share).toBeCloseTo(
      find(results, 'bp', 'min').unexpected / (expected.rows - c.bp.nulls),
      12,
    );
    expect(find(results, 'bp', 'not_null')).toMatchObject({ passed: false, unexpected: c.bp.nulls });
    expect(find(results, 'npreg', 'allowed_values').unexpected).toBe(c.npreg.not_in_0_1_2_fail);
    expect(find(results, 'type', 'allowed_values').unexpected).toBe(c.type.allowed_yes_fail);
    expect(find(results, 'type', 'regex').unexpected).toBe(c.type.regex_full_Ye_fail);
    expect(find(results, 'type', 'length').unexpected).toBe(c.type.length_3_fail);
    const notNull = find(results, 'type', 'not_null');
    expect(notNull.unexpected).toBe(c.type.nulls);
    expect(notNull.passed).toBe(1 - c.type.nulls / expected.rows >= 0.9);
    expect(find(results, 'type', 'allowed_values').examples).toEqual(['No']);
  });

  it('strict bounds and search-mode regex', async () => {
    const results = await run(`
columns:
  glu: { min: { value: 100, strict: true } }
  type: { regex: { pattern: "e", match: search } }
`);
    expect(find(results, 'glu', 'min').unexpected).toBe(expected.columns.glu.at_most_100_strict_fail);
    expect(find(results, 'type', 'regex').unexpected).toBe(expected.columns.type.regex_search_e_fail);
  });

  it('aggregates equal pandas (exact and past the exact limit with no sketch)', async () => {
    const results = await run(`
columns:
  glu: { mean: { min: 0 }, stdev: { min: 0 }, sum: { min: 0 }, median: { min: 0 }, min_value: { min: 0 }, max_value: { min: 0 }, quantiles: [{ quantile: 0.9, min: 0 }, { quantile: 0.1, min: 0 }], distinct_count: { min: 0 } }
  bp: { mean: { min: 0 }, stdev: { min: 0 }, median: { min: 0 }, distinct_count: { min: 0 } }
  type: { distinct_count: { min: 3 } }
`);
    for (const column of ['glu', 'bp']) {
      const c = expected.columns[column];
      expect(find(results, column, 'mean').observed as number).toBeCloseTo(c.mean, 10);
      expect(find(results, column, 'stdev').observed as number).toBeCloseTo(c.stdev, 10);
      expect(find(results, column, 'median').observed).toBe(c.median);
      expect(find(results, column, 'distinct_count').observed).toBe(c.distinct);
    }
    expect(find(results, 'glu', 'sum').observed).toBe(expected.columns.glu.sum);
    expect(find(results, 'glu', 'min_value').observed).toBe(expected.columns.glu.min);
    expect(find(results, 'glu', 'max_value').observed).toBe(expected.columns.glu.max);
    expect(find(results, 'glu', 'quantile_0.9').observed).toBeCloseTo(
      expected.columns.glu['quantile_0.9'],
      10,
    );
    expect(find(results, 'glu', 'quantile_0.1').observed).toBeCloseTo(
      expected.columns.glu['quantile_0.1'],
      10,
    );
    expect(find(results, 'type', 'distinct_count')).toMatchObject({
      passed: false,
      observed: expected.columns.type.distinct,
    });

    const limited = await run('columns:\n  glu: { median: { min: 0 } }\n', 17, 50);
    expect(find(limited, 'glu', 'median')).toMatchObject({ passed: false });
    expect(find(limited, 'glu', 'median').message).toMatch(/not available/);
  });

  it('uniqueness counts every copy of a duplicate, as GE; compound uniqueness as pandas duplicated(keep=False)', async () => {
    const results = await run(`
columns:
  glu: { unique: true }
  bmi: { unique: { mostly: 0.01 } }
compound_unique: [[npreg, glu, bmi], [type, npreg]]
`);
    expect(find(results, 'glu', 'unique')).toMatchObject({
      passed: false,
      unexpected: expected.columns.glu.duplicated,
    });
    expect(find(results, 'glu', 'unique').examples!.length).toBeGreaterThan(0);
    expect(find(results, 'bmi', 'unique').passed).toBe(true);
    expect(find(results, 'npreg, glu, bmi', 'compound_unique').unexpected).toBe(
      expected.compound_unique['npreg,glu,bmi'],
    );
    expect(find(results, 'type, npreg', 'compound_unique').unexpected).toBe(
      expected.compound_unique['type,npreg'],
    );
  });

  it('a column named in the expectations but absent is a UserError with its line and a suggestion', async () => {
    await expect(run('columns:\n  gluc: { not_null: true }\n')).rejects.toThrow(
      /^e\.yml line 2: columns\.gluc: column 'gluc' named in the expectations is not in the data \(did you mean 'glu'\?\)/,
    );
  });

  it('table checks and type checks', async () => {
    const results = await run(`
row_count: { min: 1, max: 100 }
strict_columns: true
columns:
  glu: { type: integer }
  bmi: { type: integer }
  ped: { type: number }
`);
    expect(find(results, null, 'row_count')).toMatchObject({ passed: false, observed: expected.rows });
    expect(find(results, 'glu', 'type').passed).toBe(true);
    expect(find(results, 'ped', 'type').passed).toBe(true);
    expect(find(results, 'bmi', 'type').passed).toBe(false);
    expect(find(results, null, 'columns_match').message).toMatch(
      /columns differ: unexpected \{npreg, bp, skin, age, type\}/,
    );
  });

  it('reports column presence only when asked for explicitly (GE expect_column_to_exist)', async () => {
    expect((await run('columns:\n  glu: { min: 0 }\n')).map((r) => r.check)).toEqual(['min']);
    const runner = new ExpectationRunner(
      parseExpectations(
        JSON.stringify({
          expectations: [{ expectation_type: 'expect_column_to_exist', kwargs: { column: 'glu' } }],
        }),
        'ge.json',
      ),
    );
    for await (const batch of readBatches([data])) runner.add(batch);
    expect(runner.finish()).toEqual([
      expect.objectContaining({ column: 'glu', check: 'exists', passed: true }),
    ]);
  });

  it('per-column drift overrides', () => {
    const runner = new ExpectationRunner(
      parseExpectations(
        'columns:\n  a: { drift: { method: ks, threshold: 0.01 } }\n  b: { drift: false }\n',
        'e.yml',
      ),
    );
    expect(runner.driftOverrides()).toEqual({ a: { method: 'ks', threshold: 0.01 }, b: { enabled: false } });
  });
});

describe('numeric columns in bulk', () => {
  it('a Float64Array column gives the results of the same values as cells, batch skips included (property)', () => {
    const suite = parseExpectations(
      `
columns:
  x:
    min: { value: -50, mostly: 0.9 }
    max: { value: 60, strict: true }
    mean: { min: -5, max: 5 }
    stdev: { max: 40 }
    median: { min: -10, max: 10 }
    unique: { mostly: 0.5 }
    distinct_count: { max: 1000 }
    not_null: { mostly: 0.9 }
`,
      'e.yml',
    );
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: -130, max: 130 }).map((v) => v / 2) },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 6 }),
        (blocks) => {
          const typed = new ExpectationRunner(suite);
          const cells = new ExpectationRunner(suite);
          for (const block of blocks) {
            const numbers = Float64Array.from(block);
            const batch = (data: Float64Array | (number | null)[]) => ({
              columns: ['x'],
              rowCount: block.length,
              data: { x: data },
              types: { x: 'number' as const },
            });
            typed.add(batch(numbers));
            cells.add(batch(block.map((v) => (Number.isNaN(v) ? null : v))));
          }
          const a = typed.finish();
          const b = cells.finish();
          // Aggregates may differ in the last bits (block sums); everything else is identical.
          const exact = ({ observed: _o, message: _m, ...rest }: CheckResult) => rest;
          expect(a.map(exact)).toEqual(b.map(exact));
          a.forEach((result, i) => {
            const other = b[i]!.observed;
            if (typeof result.observed === 'number' && !Number.isNaN(result.observed))
              expect(result.observed).toBeCloseTo(other as number, 10);
            else expect(result.observed).toEqual(other);
          });
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});
