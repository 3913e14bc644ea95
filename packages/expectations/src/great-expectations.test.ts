// Great Expectations' verdicts, case by case, from its own test definitions: the repository
// great-expectations/great_expectations, tests/test_definitions/<group>/<expectation>.json (read at commit
// ce78204d6d659caf676ccdcaec0a3184bb95445f). Each case below names the file and the test title it comes from;
// the data, the arguments and the expected success / observed value are GX's. Only the pandas cases apply.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readBatches, type Table } from '@mlops/data';
import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { parseExpectations } from './load.ts';
import { ExpectationRunner } from './runner.ts';
import type { CheckResult } from './types.ts';

type Data = Record<string, unknown[]>;

const dir = mkdtempSync(path.join(tmpdir(), 'gx-cases-'));
let files = 0;

/** GX's dataset as a CSV file, read by our reader (so column types are inferred as for a user's file). */
function csv(data: Data): string {
  const names = Object.keys(data);
  const rows = Math.max(...names.map((name) => data[name]!.length));
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [names.join(',')];
  for (let r = 0; r < rows; r++) lines.push(names.map((name) => cell(data[name]![r])).join(','));
  const file = path.join(dir, `data-${files++}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function run(data: Data, expectations: object[]): Promise<CheckResult[]> {
  const suite = parseExpectations(JSON.stringify({ name: 'gx', expectations }), 'suite.json');
  const runner = new ExpectationRunner(suite);
  for await (const batch of readBatches([csv(data)], { batchSize: 3 })) runner.add(batch);
  return runner.finish();
}

/** One expectation's results (0.x form: expectation_type + kwargs) and GX's `success`: all of them passed. */
async function gx(data: Data, type: string, kwargs: Record<string, unknown>) {
  const results = await run(data, [{ expectation_type: type, kwargs }]);
  return { results, success: results.length > 0 && results.every((r) => r.passed), first: results[0]! };
}

function refusal(expectations: object[] | string): string {
  try {
    parseExpectations(
      typeof expectations === 'string' ? expectations : JSON.stringify({ name: 'gx', expectations }),
      'suite.json',
    );
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected the suite to be refused');
}

describe('expect_compound_columns_to_be_unique (multicolumn_map_expectations/expect_compound_columns_to_be_unique.json)', () => {
  const one = { a: [1, 2, 3, 4], b: [1, 2, 3, 1], c: [1, 2, 3, 1] };
  const two = {
    w: [2, 3, 4, 5, 6, 7, 8, 9, 10, null],
    x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    a: [1, 1, 1, 1, 1, 2, 2, 2, 2, null],
    b: [1, 2, 1, 2, 1, 2, 1, 2, 1, null],
  };
  const type = 'expect_compound_columns_to_be_unique';

  it.each([
    ['mostly_default_successful_expectation', { column_list: ['a', 'b'] }, true],
    ['mostly_default_fails_expectation', { column_list: ['b', 'c'] }, false],
    ['mostly_set_successful_expectation', { column_list: ['b', 'c'], mostly: 0.4 }, true],
    ['mostly_set_fails_expectation', { column_list: ['b', 'c'], mostly: 0.9 }, false],
  ])('%s', async (_title, kwargs, success) => {
    expect((await gx(one, type, kwargs)).success).toBe(success);
  });

  it('mostly_set_incorrectly: mostly 1.1 is refused, naming the key and its line', () => {
    const text = JSON.stringify(
      {
        name: 'gx',
        expectations: [{ expectation_type: type, kwargs: { column_list: ['a', 'b'], mostly: 1.1 } }],
      },
      null,
      2,
    );
    expect(refusal(text)).toBe(
      'suite.json line 11: expectations[0].kwargs.mostly (expect_compound_columns_to_be_unique): expected a number between 0 and 1, got number 1.1',
    );
  });

  it('basic_test_ignore_if_all_are_missing_the_default_behavior / basic_test_ignore_if_any_are_missing', async () => {
    expect((await gx(two, type, { column_list: ['w', 'x'] })).success).toBe(true);
    const any = await gx(two, type, { column_list: ['w', 'x'], ignore_row_if: 'any_value_is_missing' });
    expect(any.success).toBe(true);
  });

  it('row_condition_with_ignore_if_any_are_missing: 8 rows where x!=1 & w!=6, 1 missing, success', async () => {
    const { first, success } = await gx(two, type, {
      column_list: ['w', 'x'],
      row_condition: 'x!=1 & w!=6',
      condition_parser: 'pandas',
      ignore_row_if: 'any_value_is_missing',
    });
    expect(success).toBe(true);
    // element_count 8, missing_count 1: 7 rows considered.
    expect(first.message).toMatch(/^where x!=1 & w!=6: all 7 \(w, x\) combinations are distinct$/);
    expect(first.row_condition).toBe('x!=1 & w!=6');
  });

  it('unexpected_values_exact_match_out_without_unexpected_index_list: 9 unexpected, 100% of the non-missing rows', async () => {
    const { first, success } = await gx(two, type, { column_list: ['a', 'b'] });
    expect(success).toBe(false);
    expect(first).toMatchObject({ unexpected: 9, unexpected_share: 1 });
  });

  it("ignore_row_if 'never' keeps the all-missing row (GX's pandas engine drops nothing)", async () => {
    const { first } = await gx(two, type, { column_list: ['a', 'b'], ignore_row_if: 'never' });
    expect(first.message).toMatch(/9 of 10 rows/);
  });
});

describe('expect_select_column_values_to_be_unique_within_record (multicolumn_map_expectations/expect_select_column_values_to_be_unique_within_record.json)', () => {
  const one = { a: [1, 2, 3, 4], b: [5, 6, 7, 8], c: [1, 4, 2, 3] };
  const two = {
    w: [2, 3, 4, 5, 6, 7, 8, 9, 10, null],
    x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    a: [1, 1, 1, 1, 1, 2, 2, 2, 2, null],
    b: [1, 2, 1, 2, 1, 2, 1, 2, 1, null],
  };
  const type = 'expect_select_column_values_to_be_unique_within_record';

  it.each([
    ['mostly_default_successful_expectation', { column_list: ['a', 'b'] }, true],
    ['mostly_default_fails_expectation', { column_list: ['a', 'c'] }, false],
    ['mostly_set_successful_expectation', { column_list: ['a', 'c'], mostly: 0.7 }, true],
    ['mostly_set_fails_expectation', { column_list: ['a', 'c'], mostly: 0.8 }, false],
  ])('%s', async (_title, kwargs, success) => {
    expect((await gx(one, type, kwargs)).success).toBe(success);
  });

  it('mostly_set_incorrectly: mostly -0.3 is refused', () => {
    expect(refusal([{ expectation_type: type, kwargs: { column_list: ['a', 'c'], mostly: -0.3 } }])).toMatch(
      /expectations\[0\]\.kwargs\.mostly \(expect_select_column_values_to_be_unique_within_record\): expected a number between 0 and 1, got number -0\.3$/,
    );
  });

  it('basic_test_ignore_if_all_are_missing_the_default_behavior / basic_test_ignore_if_any_are_missing', async () => {
    expect((await gx(two, type, { column_list: ['w', 'x'] })).success).toBe(true);
    expect(
      (await gx(two, type, { column_list: ['w', 'x'], ignore_row_if: 'any_value_is_missing' })).success,
    ).toBe(true);
  });

  it('unexpected_values_exact_match_out_without_unexpected_index_list: 5 of 9 rows (55.6%)', async () => {
    const { first, success } = await gx(two, type, { column_list: ['a', 'b'] });
    expect(success).toBe(false);
    expect(first.unexpected).toBe(5);
    expect(first.unexpected_share).toBeCloseTo(0.5555555555555556, 15);
    expect(first.examples).toEqual([
      { a: 1, b: 1 },
      { a: 1, b: 1 },
      { a: 1, b: 1 },
      { a: 2, b: 2 },
      { a: 2, b: 2 },
    ]);
  });
});

describe('expect_column_to_exist (other_expectations/expect_column_to_exist.json)', () => {
  const data = { c1: [4, 5, 6, 7], c2: ['a', 'b', 'c', 'd'], c3: [null, null, null, null] };
  const type = 'expect_column_to_exist';

  it.each([
    ['basic_positive_test', { column: 'c1' }, true],
    ['basic_negative_test', { column: 'covfefe' }, false],
    ['positive_test_with_column_order', { column: 'c2', column_index: 1 }, true],
    ['column_exists_but_wrong_index', { column: 'c3', column_index: 4 }, false],
  ])('%s', async (_title, kwargs, success) => {
    expect((await gx(data, type, kwargs)).success).toBe(success);
  });

  it('a missing column is one failed check with a suggestion, and the rest of the suite still runs', async () => {
    const results = await run(data, [
      { expectation_type: type, kwargs: { column: 'c4' } },
      { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'c1' } },
    ]);
    expect(results).toEqual([
      expect.objectContaining({
        column: 'c4',
        check: 'exists',
        passed: false,
        message: "column 'c4' is not in the data (did you mean 'c1'?)",
      }),
      expect.objectContaining({ column: 'c1', check: 'not_null', passed: true }),
    ]);
  });

  it('column_exists_but_wrong_index says where the column is', async () => {
    const { first } = await gx(data, type, { column: 'c3', column_index: 4 });
    expect(first.message).toBe('present at index 2, expected at index 4 (counting from 0)');
  });
});

describe('aggregates with neither bound report the value and succeed', () => {
  it('expect_column_mean_to_be_between.json vacuously_true_missing_min_and_max: observed 3.5', async () => {
    const { first, success } = await gx({ x: [2.0, 5.0] }, 'expect_column_mean_to_be_between', {
      column: 'x',
      min_value: null,
      max_value: null,
    });
    expect(success).toBe(true);
    expect(first.observed).toBe(3.5);
    expect(first.message).toBe('mean is 3.5; no bounds given (reported, not checked)');
  });

  it('expect_column_median_to_be_between.json vacuously_true_both_min_and_max_null', async () => {
    const { first, success } = await gx({ c: [5, 7, 6, null] }, 'expect_column_median_to_be_between', {
      column: 'c',
      min_value: null,
      max_value: null,
    });
    expect(success).toBe(true);
    expect(first.observed).toBe(6);
  });

  it('expect_column_stdev_to_be_between.json vacuously_true: observed 1.1547005383792517', async () => {
    const { first, success } = await gx({ dist1: [1, 1, 3] }, 'expect_column_stdev_to_be_between', {
      column: 'dist1',
    });
    expect(success).toBe(true);
    expect(first.observed).toBeCloseTo(1.1547005383792517, 14);
  });

  const dists = { dist1: [1, 2, 3, 4, 5, 6, 7, 8] };
  it('expect_column_proportion_of_unique_values_to_be_between.json vacuously_true_null_min_and_max', async () => {
    const { first, success } = await gx(dists, 'expect_column_proportion_of_unique_values_to_be_between', {
      column: 'dist1',
      min_value: null,
      max_value: null,
    });
    expect(success).toBe(true);
    expect(first.observed).toBe(1);
  });

  it('expect_column_unique_value_count_to_be_between.json vacuously_true_null_min_and_max', async () => {
    const { first, success } = await gx(dists, 'expect_column_unique_value_count_to_be_between', {
      column: 'dist1',
      min_value: null,
      max_value: null,
    });
    expect(success).toBe(true);
    expect(first.observed).toBe(8);
  });

  it('expect_table_row_count_to_be_between.json vacuously_true: observed 4', async () => {
    const data = { c1: [4, 5, 6, 7], c2: ['a', 'b', 'c', 'd'] };
    const { first, success } = await gx(data, 'expect_table_row_count_to_be_between', {});
    expect(success).toBe(true);
    expect(first.observed).toBe(4);
  });

  it('expect_column_sum_to_be_between.json raise_valueerror_with_both_max_and_min_are_missing: refused', () => {
    expect(refusal([{ expectation_type: 'expect_column_sum_to_be_between', kwargs: { column: 'y' } }])).toBe(
      'suite.json line 1: expectations[0].kwargs.min_value (expect_column_sum_to_be_between): expected min_value or max_value (or both), got nothing',
    );
  });

  it('expect_table_row_count_to_be_between.json test_error_handling_for_min_greater_than_max: refused', () => {
    expect(
      refusal([
        { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1, max_value: 0 } },
      ]),
    ).toMatch(
      /kwargs\.min_value \(expect_table_row_count_to_be_between\): expected min_value at most max_value \(0\), got number 1$/,
    );
  });
});

describe('null arguments GX reads as "no constraint"', () => {
  it('expect_column_values_to_be_in_type_list.json positive_test_placeholder_expectation (type_list: null)', async () => {
    const { first, success } = await gx(
      { s: ['hello', 'jello', 1] },
      'expect_column_values_to_be_in_type_list',
      {
        column: 's',
        type_list: null,
      },
    );
    expect(success).toBe(true);
    expect(first.message).toMatch(/^type_list is null: Great Expectations reads that as no constraint/);
  });

  it('expect_column_values_to_be_of_type with type_: null (GX _validate_pandas: expected_type None is success)', async () => {
    expect(
      (await gx({ x: [1, 2, 4] }, 'expect_column_values_to_be_of_type', { column: 'x', type_: null }))
        .success,
    ).toBe(true);
  });

  it('expect_column_values_to_be_in_set with value_set: null (GX ColumnValuesInSet._pandas: vacuously true)', async () => {
    const data = { z: ['hello', 'jello', 'mello'] };
    expect(
      (await gx(data, 'expect_column_values_to_be_in_set', { column: 'z', value_set: null })).success,
    ).toBe(true);
    // An empty list is not null: isin([]) holds for no value.
    expect(
      (await gx(data, 'expect_column_values_to_be_in_set', { column: 'z', value_set: [] })).success,
    ).toBe(false);
  });

  it('expect_column_distinct_values_to_be_in_set.json vacuously_true_universal_set', async () => {
    const data = { dist1: [1, 2, 3, 4, 5, 6, 7, 8] };
    expect(
      (await gx(data, 'expect_column_distinct_values_to_be_in_set', { column: 'dist1', value_set: null }))
        .success,
    ).toBe(true);
  });

  it('expect_table_columns_to_match_set.json negative_test_null_set_exact_match_true / positive_test_vacuously_true_null_set_exact_match_false', async () => {
    const data = { c1: [4, 5, 6, 7], c2: ['a', 'b', 'c', 'd'], c3: [null, null, null, null] };
    const exact = await gx(data, 'expect_table_columns_to_match_set', {
      column_set: null,
      exact_match: true,
    });
    expect(exact.success).toBe(false);
    expect(exact.first.message).toBe('columns differ: unexpected {c1, c2, c3}');
    const loose = await gx(data, 'expect_table_columns_to_match_set', {
      column_set: null,
      exact_match: false,
    });
    expect(loose.success).toBe(true);
  });

  it('expect_column_values_to_not_be_in_set.json raise_typeerror_when_values_set_is_missing: still refused', () => {
    expect(
      refusal([
        {
          expectation_type: 'expect_column_values_to_not_be_in_set',
          kwargs: { column: 'z', value_set: null },
        },
      ]),
    ).toBe(
      'suite.json line 1: expectations[0].kwargs.value_set (expect_column_values_to_not_be_in_set): expected a list, got null',
    );
  });
});

describe('type spellings (column_map_expectations/expect_column_values_to_be_of_type.json, _in_type_list.json)', () => {
  const data = {
    x: [1, 2, 4],
    y: [1.0, 2.2, 5.3],
    z: ['hello', 'jello', 'mello'],
    b: [false, true, false],
    s: [2.1, 3.1, 4.1],
    s1: [1, 2, 3],
  };
  it.each([
    ['basic_python_int_positive_test', 'x', 'int', true],
    ['negative_test_python_ints_are_not_string', 'x', 'string', false],
    ['positive_test_pandas_floats', 'y', 'float', true],
    ['positive_test_pandas_strings', 'z', 'str', true],
    ['negative_test_python_floats_are_not_python_bools', 'b', 'bool', true],
    ['dtype_object_and_type_object_still_has_aggregate_semantics', 'z', 'object', true],
    ['dtype_object_and_type_object_still_has_aggregate_semantics_object_underscore', 'z', 'object_', true],
    ['dtype_object_and_type_object_still_has_aggregate_semantics_big_o', 'z', 'O', true],
    // numpy dtype names of the same columns (GX passes type_ to np.dtype).
    ['float64 (schema of s)', 's', 'float64', true],
    ['int64 (schema of s1)', 's1', 'int64', true],
    ['bool_', 'b', 'bool_', true],
    ['int64 on a float column', 'y', 'int64', false],
    ['object on an integer column (int64 dtype is not object)', 'x', 'O', false],
  ])('of_type %s: %s is %s -> %s', async (_title, column, type_, success) => {
    expect((await gx(data, 'expect_column_values_to_be_of_type', { column, type_ })).success).toBe(success);
  });

  it('positive_pandas_datetime_no_timezone: datetime64 and datetime64[ns]', async () => {
    const dates = { datetime: ['2016-01-01T12:34:56', '2016-01-02T11:59:58', null] };
    for (const type_ of ['datetime64', 'datetime64[ns]'])
      expect(
        (await gx(dates, 'expect_column_values_to_be_of_type', { column: 'datetime', type_ })).success,
      ).toBe(true);
  });

  const mixed = {
    x: [1, 2, 4],
    y: [1.0, 2.2, 5.3],
    z: ['hello', 'jello', 'mello'],
    b: [false, true, false],
    s: ['hello', 'jello', 1],
  };
  it.each([
    ['positive_test_pandas_integer_column', 'x', ['int'], true],
    ['negative_test_pandas_float_values_are_not_strings', 'x', ['string'], false],
    ['positive_test_float_values', 'y', ['float'], true],
    ['positive_test_string_values', 'z', ['str'], true],
    ['positive_test_boolean_values', 'b', ['bool'], true],
    ['positive_test_string_and_int_values', 's', ['str', 'int'], true],
    ['an integer column against [str, int]', 'x', ['str', 'int'], true],
    ['negative_test_string_and_int_values_summary_output', 's', ['bool'], false],
  ])('in_type_list %s', async (_title, column, type_list, success) => {
    expect((await gx(mixed, 'expect_column_values_to_be_in_type_list', { column, type_list })).success).toBe(
      success,
    );
  });

  it('negative_test_string_and_int_values_complete_output: unexpected hello, jello, 1', async () => {
    const { first } = await gx(mixed, 'expect_column_values_to_be_in_type_list', {
      column: 's',
      type_list: ['bool'],
    });
    expect(first).toMatchObject({ unexpected: 3, examples: ['hello', 'jello', '1'] });
  });

  it('an unknown spelling is refused with the nearest one, at its key path', () => {
    expect(
      refusal([
        {
          expectation_type: 'expect_column_values_to_be_in_type_list',
          kwargs: { column: 'x', type_list: ['int', 'flaot64'] },
        },
      ]),
    ).toMatch(
      /^suite\.json line 1: expectations\[0\]\.kwargs\.type_list\[1\] \(expect_column_values_to_be_in_type_list\): expected a type we can check .*\(did you mean 'float64'\?\), got string "flaot64"$/,
    );
  });
});

describe('the mean of a boolean column is the share of True (column_aggregate_expectations/expect_column_mean_to_be_between.json)', () => {
  const data = { s: ['s', null, null, null], b: [true, false, false, true], x: [true, null, false, null] };
  it('coerced_types_true_false_values: 0.5', async () => {
    const { first, success } = await gx(data, 'expect_column_mean_to_be_between', {
      column: 'b',
      min_value: 0,
      max_value: 1,
    });
    expect(success).toBe(true);
    expect(first.observed).toBe(0.5);
  });
  it('coerced_types_true_false_and_null: 0.5 over the non-missing values', async () => {
    const { first } = await gx(data, 'expect_column_mean_to_be_between', {
      column: 'x',
      min_value: 0,
      max_value: 1,
    });
    expect(first.observed).toBe(0.5);
  });
  it('type_mismatch_null_observed_value: a text column has no mean (failed)', async () => {
    const { first, success } = await gx(data, 'expect_column_mean_to_be_between', {
      column: 's',
      min_value: 0,
      max_value: 0,
    });
    expect(success).toBe(false);
    expect(first.message).toMatch(/not numeric/);
  });
});

describe('an empty table (a header, no rows) is evaluated', () => {
  async function onEmpty(expectations: object[]): Promise<CheckResult[]> {
    const suite = parseExpectations(JSON.stringify({ name: 'gx', expectations }), 'suite.json');
    const runner = new ExpectationRunner(suite);
    const empty: Table = {
      columns: ['empty_column'],
      rowCount: 0,
      data: { empty_column: [] },
      types: { empty_column: 'string' },
    };
    runner.add(empty);
    return runner.finish();
  }

  it('expect_column_mean_to_be_between.json test_empty_column_should_be_false_no_observed_value_with_which_to_compare', async () => {
    const [result] = await onEmpty([
      {
        expectation_type: 'expect_column_mean_to_be_between',
        kwargs: { column: 'empty_column', min_value: 0, max_value: 1 },
      },
    ]);
    expect(result!.passed).toBe(false);
  });

  it('expect_column_values_to_be_in_set.json test_empty_column_should_be_vacuously_true', async () => {
    const [result] = await onEmpty([
      {
        expectation_type: 'expect_column_values_to_be_in_set',
        kwargs: { column: 'empty_column', value_set: ['cat', 'dog'] },
      },
    ]);
    expect(result!.passed).toBe(true);
  });

  it('row counts fail, value checks pass vacuously', async () => {
    const results = await onEmpty([
      { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1 } },
      { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'empty_column' } },
      { expectation_type: 'expect_column_values_to_be_unique', kwargs: { column: 'empty_column' } },
    ]);
    expect(results.map((r) => [r.check, r.passed])).toEqual([
      ['not_null', true],
      ['unique', true],
      ['row_count', false],
    ]);
  });
});

describe('row_condition (condition_parser: pandas)', () => {
  const data = { w: ['AK', 'HI', 'PR'], x: [1, 2, 4], y: [1.1, 2.2, 5.5], z: ['hello', 'jello', 'mello'] };
  it('expect_column_values_to_be_in_set.json test_conditional_expectation_passes (x == "1" matches no row)', async () => {
    const { first, success } = await gx(data, 'expect_column_values_to_be_in_set', {
      column: 'z',
      value_set: ['hello'],
      row_condition: 'x == "1"',
      condition_parser: 'pandas',
    });
    expect(success).toBe(true);
    expect(first.message).toBe('where x == "1": all 0 non-null values are in {hello}');
  });

  it('test_conditional_expectation_fails (x == 1: hello is unexpected)', async () => {
    const { first, success } = await gx(data, 'expect_column_values_to_be_in_set', {
      column: 'z',
      value_set: ['jello'],
      row_condition: 'x == 1',
      condition_parser: 'pandas',
    });
    expect(success).toBe(false);
    expect(first).toMatchObject({ unexpected: 1, examples: ['hello'], row_condition: 'x == 1' });
  });

  it('test_conditional_expectation_parser_errors: another condition_parser is refused', () => {
    expect(
      refusal([
        {
          expectation_type: 'expect_column_values_to_be_in_set',
          kwargs: {
            column: 'z',
            value_set: ['hello'],
            row_condition: 'x == 1',
            condition_parser: 'bad_parser',
          },
        },
      ]),
    ).toBe(
      `suite.json line 1: expectations[0].kwargs.condition_parser (expect_column_values_to_be_in_set): expected 'pandas' for row_condition "x == 1" (conditions in pandas query syntax are supported; rewrite it that way), got string "bad_parser"`,
    );
  });

  it('checks with and without a condition on one column are counted apart', async () => {
    const results = await run(data, [
      { expectation_type: 'expect_column_values_to_be_between', kwargs: { column: 'x', max_value: 2 } },
      {
        expectation_type: 'expect_column_values_to_be_between',
        kwargs: { column: 'x', max_value: 2, row_condition: 'w in ["AK", "HI"]', condition_parser: 'pandas' },
      },
      {
        type: 'expect_table_row_count_to_equal',
        value: 2,
        row_condition: 'y > 2 & z.notnull()',
        condition_parser: 'pandas',
      },
    ]);
    expect(results.map((r) => [r.passed, r.unexpected])).toEqual([
      [false, 1],
      [true, 0],
      [true, 0],
    ]);
    expect(results[2]!.observed).toBe(2);
  });

  it("past the exact limit a conditioned median is not taken from the whole column's sketch", async () => {
    const suite = parseExpectations(
      JSON.stringify({
        name: 'gx',
        expectations: [
          {
            type: 'expect_column_median_to_be_between',
            column: 'x',
            min_value: 0,
            row_condition: 'x >= 1',
            condition_parser: 'pandas',
          },
          { type: 'expect_column_median_to_be_between', column: 'x', min_value: 0 },
        ],
      }),
      'suite.json',
    );
    const runner = new ExpectationRunner(suite, { exactLimit: 2 });
    for await (const batch of readBatches([csv(data)])) runner.add(batch);
    const [conditioned, whole] = runner.finish(() => ({ approximate: true, quantile: () => 999 }));
    expect(conditioned!.message).toMatch(/^where x >= 1: quantile 0\.5 not available/);
    expect(whole!).toMatchObject({ observed: 999, approximate: true });
  });

  it('a condition outside the supported language is refused, naming the expectation, the key and the condition', () => {
    const text = `{
  "name": "gx",
  "expectations": [
    {
      "type": "expect_column_values_to_not_be_null",
      "column": "z",
      "row_condition": "x.str.contains('a')",
      "condition_parser": "pandas"
    }
  ]
}`;
    expect(refusal(text)).toBe(
      `suite.json line 7: expectations[0].row_condition (expect_column_values_to_not_be_null): expected a pandas condition (==, !=, <, <=, >, >=, in, not in, &, |, ~, .isnull(), .notnull(), parentheses), got "x.str.contains('a')": unsupported method 'x.str' at position 2 (supported: .isnull(), .notnull(), .isna(), .notna())`,
    );
  });

  it('a condition naming a column the data lacks fails its checks (GX: the expectation raises)', async () => {
    const { first, success } = await gx(data, 'expect_column_values_to_not_be_null', {
      column: 'z',
      row_condition: 'q == 1',
      condition_parser: 'pandas',
    });
    expect(success).toBe(false);
    expect(first.message).toBe(
      `where q == 1: row_condition "q == 1" names {q}, not in the data (did you mean 'w'?); not evaluated`,
    );
  });
});

describe('refusals name the file, the line, the key path, what was expected and what was found', () => {
  const suite = (kwargs: string) => `{
  "expectation_suite_name": "s",
  "expectations": [
    { "expectation_type": "expect_column_values_to_not_be_null", "kwargs": { "column": "a" } },
    {
      "expectation_type": "expect_column_values_to_be_between",
      "kwargs": ${kwargs}
    }
  ]
}`;
  it.each([
    [
      '{ "column": "a" }',
      'suite.json line 7: expectations[1].kwargs.min_value (expect_column_values_to_be_between): expected min_value or max_value (or both), got nothing',
    ],
    [
      '{ "column": "a", "min_value": [1] }',
      'suite.json line 7: expectations[1].kwargs.min_value (expect_column_values_to_be_between): expected a number or an ISO date, got a list of 1 item',
    ],
    [
      '{ "column": 3, "min_value": 1 }',
      'suite.json line 7: expectations[1].kwargs.column (expect_column_values_to_be_between): expected a column name, got number 3',
    ],
    [
      '{ "column": "a", "min_value": 1, "mostly": "most" }',
      'suite.json line 7: expectations[1].kwargs.mostly (expect_column_values_to_be_between): expected a number, got string "most"',
    ],
  ])('%s', (kwargs, message) => {
    expect(refusal(suite(kwargs))).toBe(message);
  });
});

describe('a bound that does not fit the column is refused when the data is read, with its line', () => {
  it('a date bound on a numeric column', async () => {
    const text = `{
  "name": "gx",
  "expectations": [
    { "type": "expect_column_values_to_be_between", "column": "x", "min_value": "2024-01-01" }
  ]
}`;
    const runner = new ExpectationRunner(parseExpectations(text, 'suite.json'));
    const batches = readBatches([csv({ x: [1, 2, 3] })]);
    await expect(
      (async () => {
        for await (const batch of batches) runner.add(batch);
      })(),
    ).rejects.toThrow(
      'suite.json line 4: expectations[0] (expect_column_values_to_be_between): expected a number (the column is integer), got "2024-01-01"',
    );
  });
});
