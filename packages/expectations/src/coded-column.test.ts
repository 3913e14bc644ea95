import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readBatches, type StringCodes, type Table } from '@mlops/data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExpectations } from './load.ts';
import { ExpectationRunner } from './runner.ts';
import type { ExpectationSuite } from './types.ts';

// The runner checks a coded string column by its codes (see Table.codes): every result must be the one the
// cells give, whatever the codes' dictionary does during the read.

const ours = parseExpectations(
  `
columns:
  s:
    allowed_values: { values: [a, b, "12", long value past sixteen characters], mostly: 0.5 }
    not_allowed_values: [zz]
    regex: '[a-z]+'
    not_regex: { pattern: '\\d', mostly: 0.1 }
    length: { min: 1, max: 2 }
    type: integer
    min: 10
    unique: { mostly: 0.1 }
    distinct_count: { max: 3 }
    proportion_unique: { max: 0.5 }
    contains_values: [a, "12", never]
    not_null: { mostly: 0.9 }
  t:
    allowed_values: [a, b]
    distinct_count: { max: 3 }
`,
  'e.yml',
);

/** The same checks on s, under a row condition on g (a Great Expectations suite). */
const conditioned = parseExpectations(
  JSON.stringify({
    expectation_suite_name: 'coded',
    expectations: [
      ['expect_column_values_to_be_in_set', { value_set: ['a', 'b'] }],
      ['expect_column_values_to_match_regex', { regex: '^[a-z]+$' }],
      ['expect_column_unique_value_count_to_be_between', { min_value: 0, max_value: 2 }],
      ['expect_column_values_to_be_unique', {}],
      ['expect_column_values_to_not_be_null', { mostly: 0.5 }],
    ].map(([type, kwargs]) => ({
      expectation_type: type,
      kwargs: { column: 's', row_condition: 'g > 0', condition_parser: 'pandas', ...(kwargs as object) },
    })),
  }),
  'suite.json',
);

const POOL = ['a', 'b', '12', 'zz', 'long value past sixteen characters', 'é', '', 'x9', '7', 'b'];

/** Batches of s (coded while the dictionary is open), t (never coded) and g, as a reader would give them. */
function batches(blocks: (string | null)[][], closeAt: number, switchAt: number): Table[] {
  let dictionary: string[] = ['NA']; // a null token's entry: no code points at it
  const tables: Table[] = [];
  // Built up front, so that a batch's dictionary already holds the later batches' values (as when the
  // reader runs ahead of the consumer).
  blocks.forEach((block, b) => {
    if (b === switchAt) dictionary = ['NA'];
    const codes = Int32Array.from(block, (value) => {
      if (value === null) return -1;
      let code = dictionary.indexOf(value);
      if (code < 0) code = dictionary.push(value) - 1;
      return code;
    });
    const table: Table = {
      columns: ['s', 't', 'g'],
      rowCount: block.length,
      data: { s: block, t: [...block], g: block.map((_, r) => ((r + b) % 3) - 1) },
      types: { s: 'string', t: 'string', g: 'integer' },
    };
    if (b < closeAt) table.codes = { s: { codes, dictionary } satisfies StringCodes };
    tables.push(table);
  });
  return tables;
}

function run(suite: ExpectationSuite, tables: Table[], withCodes: boolean): string {
  const runner = new ExpectationRunner(suite);
  for (const table of tables) {
    if (withCodes) runner.add(table);
    else {
      const { codes: _codes, ...plain } = table;
      runner.add(plain);
    }
  }
  return JSON.stringify(runner.finish());
}

describe('a string column checked by its codes', () => {
  const block = fc.array(
    fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...POOL) }, { weight: 1, arbitrary: fc.constant(null) }),
    { minLength: 1, maxLength: 30 },
  );

  it('gives the results of its cells: dictionary closing mid-read, nulls, row conditions (property)', () => {
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        (blocks, closeAt, switchAt) => {
          const tables = batches(blocks, closeAt, switchAt);
          for (const suite of [ours, conditioned])
            expect(run(suite, tables, true)).toBe(run(suite, tables, false));
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('keeps the first offending values in row order, across batches', () => {
    const tables = batches(
      [
        ['a', 'zz', 'b', 'zz', '7'],
        ['x9', 'é', null, '12', 'x9', 'long value past sixteen characters', '', 'zz'],
      ],
      9,
      9,
    );
    const coded = JSON.parse(run(ours, tables, true));
    expect(JSON.stringify(coded)).toBe(run(ours, tables, false));
    const allowed = coded.find((r: { column: string; check: string }) => r.check === 'allowed_values');
    expect(allowed).toMatchObject({ unexpected: 8, examples: ['zz', '7', 'x9', 'é', ''] });
  });

  it('a CSV read whose dictionary closes mid-read gives the results of the same batches without codes', async () => {
    // 5,000 distinct values after 2,000 rows of few: the dictionary (4,096 values) closes in the read.
    const rows = ['s,t,g'];
    for (let r = 0; r < 2000; r++)
      rows.push(`${POOL[r % 7] === '' ? 'NA' : POOL[r % 7]},${POOL[r % 3]},${r % 3}`);
    for (let r = 0; r < 5000; r++) rows.push(`v${r},${r % 2 ? 'a' : 'b'},${r % 3}`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'coded-')), 'data.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const runners = [new ExpectationRunner(ours), new ExpectationRunner(ours)];
    let coded = 0;
    let plain = 0;
    for await (const batch of readBatches([file], { batchSize: 500 })) {
      if (batch.codes?.['s'] === undefined) plain++;
      else coded++;
      runners[0]!.add(batch);
      const { codes: _codes, ...withoutCodes } = batch;
      runners[1]!.add(withoutCodes);
    }
    expect(coded).toBeGreaterThan(0);
    expect(plain).toBeGreaterThan(0);
    expect(JSON.stringify(runners[0]!.finish())).toBe(JSON.stringify(runners[1]!.finish()));
  });
});
