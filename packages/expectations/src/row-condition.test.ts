import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readBatches } from '@mlops/data';
import { describe, expect, it } from 'vitest';
import {
  ConditionSyntaxError,
  ConditionTypeError,
  evaluateCondition,
  parseRowCondition,
} from './row-condition.ts';

// The rows pandas' DataFrame.query keeps (what GX's pandas engine runs for a row_condition):
// test/fixtures/validate-data/generate_row_conditions.py.
const fixtures = path.join(__dirname, '../../../test/fixtures/validate-data');
const expected = JSON.parse(readFileSync(path.join(fixtures, 'row-conditions.expected.json'), 'utf8')) as {
  rows: number;
  conditions: Record<string, number[]>;
};

async function kept(condition: string): Promise<number[]> {
  const expression = parseRowCondition(condition);
  const rows: number[] = [];
  let offset = 0;
  // Small batches: a condition is evaluated batch by batch, as the runner streams.
  for await (const batch of readBatches([path.join(fixtures, 'pima-checks.csv')], { batchSize: 17 })) {
    const mask = evaluateCondition(expression, batch);
    mask.forEach((keep, r) => {
      if (keep) rows.push(offset + r);
    });
    offset += batch.rowCount;
  }
  expect(offset).toBe(expected.rows);
  return rows;
}

describe('row_condition against pandas DataFrame.query', () => {
  it.each(Object.keys(expected.conditions))('%s', async (condition) => {
    expect(await kept(condition)).toEqual(expected.conditions[condition]);
  });
});

describe('what is refused', () => {
  it.each([
    ['glu + 1 > 2', /unsupported character '\+' at position 4/],
    ['@threshold < glu', /unsupported character '@' at position 0/],
    ['type.str.startswith("Y")', /unsupported method 'type\.str'/],
    ['len(type) > 2', /unsupported function call 'len\('/],
    ['glu >', /expected a column, a value or \( at position 5, found the end/],
    ['(glu > 1', /expected '\)' at position 8, found the end/],
    ['glu > 1 2', /expected '&', '\|' or the end at position 8, found '2'/],
    ['"Yes"', /a value on its own is not a condition/],
    ['type == "Yes', /unclosed string at position 8/],
    ['', /the condition is empty/],
  ])('%s', (condition, message) => {
    expect(() => parseRowCondition(condition)).toThrow(ConditionSyntaxError);
    expect(() => parseRowCondition(condition)).toThrow(message);
  });
});

it('ordering a text column against a number fails as pandas does (TypeError), not silently', async () => {
  await expect(kept('type > 5')).rejects.toThrow(ConditionTypeError);
  await expect(kept('type > 5')).rejects.toThrow("cannot order a string against a number with '>'");
});
