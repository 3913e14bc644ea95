// validate-data's bundle on Great Expectations suites the way a team brings them (issue 14 §2): a missing
// column is a failed check, row_condition restricts a check, an empty table is evaluated, and a mistake in
// the suite names the file, its line and the key path.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

let workspace: string;

beforeAll(() => {
  workspace = makeWorkspace('mlops-vd-gx-');
  cpSync(path.join(repoRoot, 'examples', 'data'), path.join(workspace, 'data'), { recursive: true });
  writeFileSync(path.join(workspace, 'data', 'empty.csv'), 'npreg,glu,type\n');
});

function suite(name: string, expectations: object[]): string {
  writeFileSync(path.join(workspace, name), JSON.stringify({ name: 'pima', expectations }, null, 2));
  return name;
}

function report(file: string) {
  return JSON.parse(readFileSync(path.join(workspace, file), 'utf8'));
}

/** Counted from examples/data/current.csv directly: rows with type == "Yes" (and of those, glu < 100). */
function pandasCounts() {
  const lines = readFileSync(path.join(workspace, 'data', 'current.csv'), 'utf8')
    .trim()
    .split('\n');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((line) => line.split(','));
  const at = (row: string[], name: string) => row[header.indexOf(name)]!;
  return {
    yesBelow100: rows.filter((row) => at(row, 'type') === 'Yes' && Number(at(row, 'glu')) < 100).length,
    yes: rows.filter((row) => at(row, 'type') === 'Yes').length,
  };
}

describe('validate-data with Great Expectations suites', () => {
  it('a missing column is one failed check and the rest of the suite runs; row_condition restricts a check', async () => {
    const file = suite('gx-suite.json', [
      { expectation_type: 'expect_column_to_exist', kwargs: { column: 'gluc' } },
      { expectation_type: 'expect_column_to_exist', kwargs: { column: 'glu', column_index: 1 } },
      {
        expectation_type: 'expect_column_values_to_be_between',
        kwargs: { column: 'glu', min_value: 100, row_condition: 'type == "Yes"', condition_parser: 'pandas' },
      },
      { expectation_type: 'expect_column_mean_to_be_between', kwargs: { column: 'glu' } },
      {
        expectation_type: 'expect_table_row_count_to_be_between',
        kwargs: { row_condition: 'type == "Yes"', condition_parser: 'pandas' },
      },
    ]);
    const result = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'data/current.csv', expectations: file, report: 'r/gx.json' },
    });
    const json = report('r/gx.json');
    const counts = pandasCounts();
    expect(json.checks).toEqual([
      expect.objectContaining({ column: 'gluc', check: 'exists', passed: false }),
      expect.objectContaining({ column: 'glu', check: 'exists', passed: true }),
      // checks under a row_condition are a group of their own, after the column's other checks
      expect.objectContaining({ column: 'glu', check: 'mean', passed: true }),
      expect.objectContaining({
        column: 'glu',
        check: 'between',
        passed: counts.yesBelow100 === 0,
        unexpected: counts.yesBelow100,
        row_condition: 'type == "Yes"',
      }),
      expect.objectContaining({ column: null, check: 'row_count', passed: true, observed: counts.yes }),
    ]);
    expect(json.checks[0].message).toBe("column 'gluc' is not in the data (did you mean 'glu'?)");
    expect(result.exitCode).toBe(1);
  });

  it('an empty table (header, no rows) is evaluated: row counts fail, value checks pass', async () => {
    const file = suite('gx-empty.json', [
      { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1 } },
      { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'glu' } },
      {
        expectation_type: 'expect_column_values_to_be_in_set',
        kwargs: { column: 'type', value_set: ['Yes', 'No'] },
      },
    ]);
    const result = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'data/empty.csv', expectations: file, report: 'r/empty.json' },
    });
    const json = report('r/empty.json');
    expect(json.rows.current).toBe(0);
    expect(json.passed).toBe(false);
    expect(json.checks.map((c: { check: string; passed: boolean }) => [c.check, c.passed])).toEqual([
      ['not_null', true],
      ['allowed_values', true],
      ['row_count', false],
    ]);
    expect(result.exitCode).toBe(1);
  });

  it('an empty table against a reference is refused: there is no drift to measure', async () => {
    const file = suite('gx-rows.json', [
      { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1 } },
    ]);
    const result = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'data/empty.csv', reference: 'data/reference.csv', expectations: file },
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors.join('\n')).toMatch(
      /data\/empty\.csv: no data rows, so there is no drift to measure/,
    );
    // Without a suite there is nothing to evaluate on it at all.
    const bare = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'data/empty.csv', reference: 'data/reference.csv' },
    });
    expect(bare.exitCode).not.toBe(0);
    expect(bare.errors.join('\n')).toMatch(
      /data\/empty\.csv has a header \(npreg,glu,type\) but no data rows/,
    );
  });

  it('a mistake in the suite names the file, the line and the key path', async () => {
    const file = suite('gx-bad.json', [
      {
        expectation_type: 'expect_compound_columns_to_be_unique',
        kwargs: { column_list: ['glu', 'bmi'], mostly: 1.1 },
      },
    ]);
    const result = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'data/current.csv', expectations: file },
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors.join('\n')).toContain(
      'gx-bad.json line 11: expectations[0].kwargs.mostly (expect_compound_columns_to_be_unique): expected a number between 0 and 1, got number 1.1',
    );
  });
});
