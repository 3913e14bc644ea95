import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { parseExpectations } from './load.ts';
import { ExpectationRunner } from './runner.ts';

const bad = (name: string) => path.join(__dirname, '../../../test/fixtures/bad', name);

function error(text: string, source = 'e.yml'): string {
  try {
    parseExpectations(text, source);
  } catch (caught) {
    expect(caught).toBeInstanceOf(UserError);
    return (caught as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('expectations YAML', () => {
  it('reads the example project file', () => {
    const file = path.join(__dirname, '../../../examples/expectations.yml');
    const suite = parseExpectations(readFileSync(file, 'utf8'), file);
    expect(suite.columns.map((c) => c.name)).toContain('glu');
    const skin = suite.columns.find((c) => c.name === 'skin')!;
    expect(skin.checks.map((c) => c.check)).toEqual(['exists', 'type', 'min', 'max', 'max_null_share']);
    expect(skin.checks.every((c) => c.severity === 'warning')).toBe(true);
    expect(suite.table).toEqual([expect.objectContaining({ check: 'row_count', range: { min: 100 } })]);
  });

  it('long forms carry mostly, severity and strict bounds', () => {
    const suite = parseExpectations(
      `columns:
  x:
    mostly: 0.9
    min: { value: 0, strict: true, severity: warning }
    regex: { pattern: "[a-z]+", match: search, mostly: 0.5 }
    quantiles: [{ quantile: 0.9, max: 10 }]
    drift: { method: psi, threshold: 0.2 }
compound_unique: [[a, b]]
`,
      'e.yml',
    );
    const checks = suite.columns[0]!.checks;
    expect(checks[1]).toMatchObject({
      check: 'min',
      bound: 0,
      strict: true,
      severity: 'warning',
      mostly: 0.9,
    });
    expect(checks[2]).toMatchObject({ check: 'regex', match: 'search', mostly: 0.5 });
    expect(checks[3]).toMatchObject({ check: 'quantile', quantile: 0.9, range: { max: 10 } });
    expect(suite.columns[0]!.drift).toEqual({ method: 'psi', threshold: 0.2 });
    expect(suite.table[0]).toMatchObject({ check: 'compound_unique', columns: ['a', 'b'] });
  });

  it.each([
    [
      'unknown-check.yml',
      /^unknown-check\.yml line 3: columns\.x\.not_nul: unknown check 'not_nul' \(did you mean 'not_null'\?\); expected one of type, /,
    ],
    [
      'bad-mostly.yml',
      /^bad-mostly\.yml line 3: columns\.x\.mostly: expected a share between 0 and 1 .*, got number 1\.5$/,
    ],
    [
      'bad-regex.yml',
      /^bad-regex\.yml line 3: columns\.x\.regex: expected a valid regular expression, got "\(\[a-z"/,
    ],
    ['contradictory.yml', /^contradictory\.yml line 2: columns\.x: min \(10\) is greater than max \(1\)/],
    ['wrong-type.yml', /^wrong-type\.yml line 3: columns\.x\.min: expected a number .*got string "abc"$/],
    ['not-a-mapping.yml', /expected a mapping with 'columns'/],
    ['unparseable.yml', /^unparseable\.yml line 3: not valid YAML/],
    ['custom-tag.yml', /^custom-tag\.yml line 1: not valid YAML: Unresolved tag/],
    ['alias-bomb.yml', /alias/i],
  ])('%s is a UserError naming the place', (name, pattern) => {
    expect(error(readFileSync(bad(name), 'utf8'), name)).toMatch(pattern);
  });

  it('suggests the nearest type and top-level key', () => {
    expect(error('columns: { x: { type: integr } }')).toMatch(
      /^e\.yml line 1: columns\.x\.type: unknown type 'integr' \(did you mean 'integer'\?\)/,
    );
    expect(error('row_cont: 5\ncolumns: {}')).toMatch(
      /^e\.yml line 1: row_cont: unknown top-level key 'row_cont' \(did you mean 'row_count'\?\)/,
    );
  });
});

describe('every refusal names the line, the key path, what was expected and what was found', () => {
  it.each([
    ['version: 2\ncolumns:\n  x: { not_null: true }\n', 'e.yml line 1: version: expected 1, got number 2'],
    [
      'severity: fatal\ncolumns:\n  x: { not_null: true }\n',
      `e.yml line 1: severity: expected 'error' or 'warning', got string "fatal"`,
    ],
    [
      'columns:\n  x:\n    drift: { method: kss }\n',
      "e.yml line 3: columns.x.drift.method: unknown drift method 'kss' (did you mean 'ks'?); expected one of auto, ks, chisquare, z, wasserstein, jensenshannon, psi, kl, hellinger",
    ],
    [
      'columns:\n  x:\n    drift: { threshold: -1 }\n',
      'e.yml line 3: columns.x.drift.threshold: expected at least 0, got number -1',
    ],
    [
      'columns:\n  x:\n    quantiles:\n      - { quantile: 1.5, max: 3 }\n',
      'e.yml line 4: columns.x.quantiles[0].quantile: expected a share between 0 and 1 (0.95 is 95%), got number 1.5',
    ],
    [
      'columns:\n  x:\n    quantiles:\n      - { quantile: 0.5 }\n',
      'e.yml line 4: columns.x.quantiles[0]: expected at least one of min, max, got an empty mapping',
    ],
    [
      'columns:\n  x:\n    allowed_values: []\n',
      'e.yml line 3: columns.x.allowed_values: expected a non-empty list, got an empty list',
    ],
    [
      'compound_unique:\n  - [a]\n',
      'e.yml line 2: compound_unique[0]: expected a list of two or more column names, got a list of 1 item',
    ],
    ['row_count: -3\n', 'e.yml line 1: row_count: expected at least 0, got number -3'],
    [
      'row_count: { min: 5, max: 1 }\n',
      'e.yml line 1: row_count: min (5) is greater than max (1); no value can pass',
    ],
    [
      'columns:\n  x:\n    length: 2.5\n',
      'e.yml line 3: columns.x.length: expected a whole number, got number 2.5',
    ],
    [
      'columns:\n  x:\n    regex: { pattern: "a", match: partial }\n',
      `e.yml line 3: columns.x.regex.match: expected 'full' or 'search', got string "partial"`,
    ],
    [
      'columns:\n  x:\n    mean: { min: 1, maximum: 3 }\n',
      "e.yml line 3: columns.x.mean.maximum: unknown range key 'maximum'; expected one of min, max, strict_min, strict_max, severity, mostly",
    ],
    [
      'columns:\n  x:\n    min: { value: 1, strict: yes please }\n',
      'e.yml line 3: columns.x.min.strict: expected true or false, got string "yes please"',
    ],
    [
      'columns:\n  x: { not_null: true }\n  x: { unique: true }\n',
      'e.yml line 3: not valid YAML: Map keys must be unique',
    ],
  ])('%j', (text, message) => {
    expect(error(text)).toBe(message);
  });
});

it('a date bound on a numeric column is refused when the data is read, with its line and key path', () => {
  const suite = parseExpectations('columns:\n  x:\n    min: 2024-01-31\n', 'e.yml');
  const runner = new ExpectationRunner(suite);
  expect(() =>
    runner.add({ columns: ['x'], rowCount: 1, data: { x: new Float64Array([1]) }, types: { x: 'number' } }),
  ).toThrow('e.yml line 3: columns.x.min: expected a number (the column is number), got "2024-01-31"');
});

describe('Great Expectations suites', () => {
  it('imports the common expectations with their kwargs', () => {
    const suite = parseExpectations(
      JSON.stringify({
        expectation_suite_name: 's',
        expectations: [
          { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a', mostly: 0.95 } },
          {
            expectation_type: 'expect_column_values_to_be_between',
            kwargs: { column: 'a', min_value: 0, max_value: 5, strict_max: true },
          },
          {
            expectation_type: 'expect_column_values_to_match_regex',
            kwargs: { column: 'b', regex: '^(?P<x>a)' },
            meta: { severity: 'warning' },
          },
          { type: 'expect_table_row_count_to_be_between', min_value: 1 },
          { expectation_type: 'expect_column_values_to_be_increasing', kwargs: { column: 'a' } },
        ],
      }),
      'suite.json',
    );
    expect(suite.columns[0]!.checks.map((c) => c.check)).toEqual(['exists', 'not_null', 'between']);
    expect(suite.columns[0]!.checks[1]).toMatchObject({ mostly: 0.95 });
    expect(suite.columns[1]!.checks[1]).toMatchObject({
      check: 'regex',
      match: 'search',
      pattern: '^(?<x>a)',
      severity: 'warning',
    });
    expect(suite.table[0]).toMatchObject({ check: 'row_count', range: { min: 1 } });
    expect(suite.warnings[0]).toMatch(/expect_column_values_to_be_increasing is not supported/);
  });

  it('rejects unknown expectations with a suggestion, and malformed suites', () => {
    expect(error(readFileSync(bad('ge-unknown-expectation.json'), 'utf8'), 'ge.json')).toMatch(
      /^ge\.json line 1: expectations\[0\]\.expectation_type: unknown expectation 'expect_column_values_to_be_frobnicated' \(did you mean/,
    );
    expect(error(readFileSync(bad('ge-malformed.json'), 'utf8'), 'ge.json')).toMatch(
      /^ge\.json line 1: expectations: expected a Great Expectations suite .*, got string "nope"$/,
    );
  });
});
