// validate-data through its bundle (dist/validate-data/index.cjs), as the runner runs it, on real files:
// the example project's Pima data (MASS::Pima.tr / Pima.te) as CSV, gzip, TSV, Parquet and JSON Lines.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

const examples = path.join(repoRoot, 'examples');
let workspace: string;

function csvRows(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((line) => line.split(',')) };
}

function report(ws: string, file = 'mlops-reports/validate-data.json') {
  return JSON.parse(readFileSync(path.join(ws, file), 'utf8'));
}

beforeAll(() => {
  workspace = makeWorkspace('mlops-vd-');
  cpSync(path.join(examples, 'data'), path.join(workspace, 'data'), { recursive: true });
  cpSync(path.join(examples, 'expectations.yml'), path.join(workspace, 'expectations.yml'));
  const current = path.join(workspace, 'data', 'current.csv');
  const text = readFileSync(current, 'utf8');
  writeFileSync(path.join(workspace, 'data', 'current.csv.gz'), gzipSync(text));
  writeFileSync(path.join(workspace, 'data', 'current.tsv'), text.replaceAll(',', '\t'));
  const { header, rows } = csvRows(current);
  const column = (name: string) => rows.map((row) => row[header.indexOf(name)]!);
  const numberOrNull = (value: string) => (value === '' || value === 'NA' ? null : Number(value));
  const columnData = header.map((name) =>
    name === 'type'
      ? { name, data: column(name), type: 'STRING' as const }
      : ['bmi', 'ped'].includes(name)
        ? { name, data: column(name).map(numberOrNull), type: 'DOUBLE' as const }
        : { name, data: column(name).map(numberOrNull), type: 'INT32' as const },
  );
  writeFileSync(
    path.join(workspace, 'data', 'current.parquet'),
    new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 64 })),
  );
  const jsonl = rows
    .map((row) =>
      JSON.stringify(
        Object.fromEntries(header.map((name, j) => [name, name === 'type' ? row[j] : numberOrNull(row[j]!)])),
      ),
    )
    .join('\n');
  writeFileSync(path.join(workspace, 'data', 'current.jsonl'), `${jsonl}\n`);
});

const base = { reference: 'data/reference.csv', expectations: 'expectations.yml' };

describe('validate-data bundle', () => {
  it('checks and drift on the example project: report contract, outputs, summary, annotations', async () => {
    const result = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'data/current.csv', ...base },
    });
    const json = report(workspace);
    expect(json.schema).toBe('mlops.validate-data/v1');
    expect(json.rows).toEqual({ current: 190, reference: 200 });
    for (const check of json.checks) {
      expect(Object.keys(check)).toEqual(
        expect.arrayContaining([
          'column',
          'check',
          'passed',
          'unexpected',
          'unexpected_share',
          'message',
          'severity',
        ]),
      );
    }
    expect(Object.keys(json.drift)).toEqual(
      expect.arrayContaining(['detected', 'share', 'threshold_share', 'columns']),
    );
    for (const column of Object.values(json.drift.columns) as Record<string, unknown>[]) {
      expect(Object.keys(column)).toEqual(expect.arrayContaining(['method', 'score', 'threshold', 'drift']));
    }
    // Evidently's rules for a reference of 200 rows: KS for numeric columns, chi-square / z for `type`.
    expect(json.drift.columns.glu.method).toBe('ks');
    expect(json.drift.columns.type.method).toBe('z');
    expect(result.outputs.report).toBe(path.join(workspace, 'mlops-reports/validate-data.json'));
    expect(result.outputs['drift-detected']).toBe(String(json.drift.detected));
    expect(Number(result.outputs['drift-share'])).toBeCloseTo(json.drift.share, 12);
    expect(result.outputs['failed-checks']).toBe(String(json.summary.failed));
    expect(result.outputs.passed).toBe(String(json.passed));
    expect(result.exitCode).toBe(json.passed ? 0 : 1);
    // The skin-fold null share is a warning in the example: annotated as a warning, not an error.
    expect(result.warnings.some((w) => /skin: max_null_share/.test(w))).toBe(true);
    const firstLine = result.summary.trim().split('\n')[0]!;
    expect(firstLine).toMatch(/Data validation/);
    if (json.drift.detected) expect(result.summary).toMatch(/```mermaid/);
  });

  it('drift equals scipy on the example data (KS and two-proportion z, Evidently rules for 200 reference rows)', async () => {
    // test/fixtures/validate-data/generate_drift.py writes the reference values.
    const expected = JSON.parse(
      readFileSync(path.join(repoRoot, 'test/fixtures/validate-data/drift.expected.json'), 'utf8'),
    );
    await runBundledAction('validate-data', {
      workspace,
      inputs: {
        data: 'data/current.csv',
        reference: 'data/reference.csv',
        'fail-on': 'none',
        report: 'r/drift.json',
      },
    });
    const drift = report(workspace, 'r/drift.json').drift;
    for (const [name, want] of Object.entries(expected.columns) as [
      string,
      { method: string; p_value: number; statistic: number; drift: boolean },
    ][]) {
      const got = drift.columns[name];
      expect(got.method, name).toBe(want.method);
      expect(Math.abs(got.p_value - want.p_value) / Math.max(want.p_value, 1e-300), name).toBeLessThan(1e-6);
      expect(Math.abs(got.statistic), name).toBeCloseTo(Math.abs(want.statistic), 10);
      expect(got.drift, name).toBe(want.drift);
    }
    expect(drift.share).toBeCloseTo(expected.share, 12);
    expect(drift.detected).toBe(expected.detected);
  });

  it.each(['data/current.csv.gz', 'data/current.tsv', 'data/current.parquet', 'data/current.jsonl'])(
    '%s gives the same checks and drift as the CSV',
    async (data) => {
      const ws = workspace;
      await runBundledAction('validate-data', {
        workspace: ws,
        inputs: { data: 'data/current.csv', ...base, report: 'r/csv.json' },
      });
      const other = await runBundledAction('validate-data', {
        workspace: ws,
        inputs: { data, ...base, report: `r/${path.basename(data)}.json` },
      });
      expect(other.errors.filter((e) => /internal error/.test(e))).toEqual([]);
      const a = report(ws, 'r/csv.json');
      const b = report(ws, `r/${path.basename(data)}.json`);
      expect(b.rows).toEqual(a.rows);
      const strip = (checks: Record<string, unknown>[]) => checks.map(({ message: _m, ...rest }) => rest);
      expect(strip(b.checks)).toEqual(strip(a.checks));
      for (const [name, column] of Object.entries(a.drift.columns) as [
        string,
        { score: number; drift: boolean },
      ][]) {
        expect(b.drift.columns[name].drift).toBe(column.drift);
        expect(b.drift.columns[name].score).toBeCloseTo(column.score, 10);
      }
    },
  );

  it('a saved profile (and two shard profiles, merged) stands in for the reference data', async () => {
    const ws = workspace;
    await runBundledAction('validate-data', {
      workspace: ws,
      inputs: {
        data: 'data/reference.csv',
        'profile-out': 'profiles/reference.profile.json',
        'fail-on': 'none',
        report: 'r/ref.json',
      },
    });
    const { header, rows } = csvRows(path.join(ws, 'data', 'reference.csv'));
    writeFileSync(
      path.join(ws, 'data', 'shard-1.csv'),
      `${header.join(',')}\n${rows
        .slice(0, 120)
        .map((r) => r.join(','))
        .join('\n')}\n`,
    );
    writeFileSync(
      path.join(ws, 'data', 'shard-2.csv'),
      `${header.join(',')}\n${rows
        .slice(120)
        .map((r) => r.join(','))
        .join('\n')}\n`,
    );
    for (const shard of [1, 2]) {
      const run = await runBundledAction('validate-data', {
        workspace: ws,
        inputs: {
          data: `data/shard-${shard}.csv`,
          'profile-out': `profiles/shard-${shard}.profile.json`,
          'fail-on': 'none',
          report: `r/s${shard}.json`,
        },
      });
      expect(run.outputs.profile).toBe(path.join(ws, `profiles/shard-${shard}.profile.json`));
    }
    const fromData = await runBundledAction('validate-data', {
      workspace: ws,
      inputs: {
        data: 'data/current.csv',
        reference: 'data/reference.csv',
        'fail-on': 'none',
        report: 'r/d.json',
      },
    });
    const fromProfile = await runBundledAction('validate-data', {
      workspace: ws,
      inputs: {
        data: 'data/current.csv',
        reference: 'profiles/reference.profile.json',
        'fail-on': 'none',
        report: 'r/p.json',
      },
    });
    const fromShards = await runBundledAction('validate-data', {
      workspace: ws,
      inputs: {
        data: 'data/current.csv',
        reference: 'profiles/shard-*.profile.json',
        'fail-on': 'none',
        report: 'r/s.json',
      },
    });
    expect([fromData.exitCode, fromProfile.exitCode, fromShards.exitCode]).toEqual([0, 0, 0]);
    const d = report(ws, 'r/d.json');
    for (const other of [report(ws, 'r/p.json'), report(ws, 'r/s.json')]) {
      expect(other.reference.kind).toBe('profile');
      expect(other.rows.reference).toBe(200);
      for (const [name, column] of Object.entries(d.drift.columns) as [
        string,
        { score: number; method: string },
      ][]) {
        expect(other.drift.columns[name].method).toBe(column.method);
        expect(other.drift.columns[name].score).toBeCloseTo(column.score, 10);
      }
    }
  });

  it('fail-on decides what fails the step', async () => {
    const ws = workspace;
    const run = (failOn: string) =>
      runBundledAction('validate-data', {
        workspace: ws,
        inputs: {
          data: 'data/current.csv',
          reference: 'data/reference.csv',
          'fail-on': failOn,
          report: `r/f-${failOn}.json`,
        },
      });
    const drifted = report(ws, 'mlops-reports/validate-data.json').drift.detected as boolean;
    const [none, error, drift] = [await run('none'), await run('error'), await run('drift')];
    expect(none.exitCode).toBe(0);
    expect(none.outputs.passed).toBe('true');
    expect(error.exitCode).toBe(0); // no expectations: nothing to fail
    expect(drift.exitCode).toBe(drifted ? 1 : 0);
    if (drifted)
      expect(drift.errors.at(-1)).toMatch(/validate-data: dataset drift: \d+ of \d+ columns drifted/);
    expect(drift.outputs.passed).toBe(String(!drifted));
  });

  it('failed checks: at most 10 annotations, most severe first; escaped examples; an HTML report', async () => {
    const ws = workspace;
    const columns = ['npreg', 'glu', 'bp', 'skin', 'bmi', 'ped', 'age'];
    writeFileSync(
      path.join(ws, 'strict.yml'),
      `columns:\n${columns.map((c) => `  ${c}: { mean: { max: 1, severity: warning }, min: { value: 1000, severity: error } }`).join('\n')}\n  type: { allowed_values: ["<b>|x"] }\n`,
    );
    const result = await runBundledAction('validate-data', {
      workspace: ws,
      inputs: {
        data: 'data/current.csv',
        expectations: 'strict.yml',
        'html-report': 'r/report.html',
        report: 'r/strict.json',
      },
    });
    expect(result.exitCode).toBe(1);
    const json = report(ws, 'r/strict.json');
    expect(json.summary.failed).toBe(14); // 7 min (error) + 1 allowed_values (error) + 6 means (warning; ped has a mean below 1)
    const annotations = [...result.errors, ...result.warnings].filter(
      (line) => !line.startsWith('validate-data: '),
    );
    expect(annotations.length).toBe(10);
    expect(result.errors.length).toBe(8 + 1); // 8 error checks first (7 min + allowed_values), then the verdict line
    expect(result.errors.at(-1)).toMatch(/^validate-data: 8 error checks failed/);
    expect(result.summary).not.toContain('<b>|x');
    const html = readFileSync(path.join(ws, 'r/report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<b>\|x/);
    expect(html).toContain('&lt;b&gt;|x');
  });

  it('imports a Great Expectations suite', async () => {
    const ws = workspace;
    writeFileSync(
      path.join(ws, 'suite.json'),
      JSON.stringify({
        expectation_suite_name: 'pima',
        expectations: [
          {
            expectation_type: 'expect_column_values_to_be_between',
            kwargs: { column: 'glu', min_value: 100, mostly: 0.5 },
          },
          {
            expectation_type: 'expect_column_values_to_be_in_set',
            kwargs: { column: 'type', value_set: ['Yes', 'No'] },
          },
          { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1000 } },
        ],
      }),
    );
    const result = await runBundledAction('validate-data', {
      workspace: ws,
      inputs: { data: 'data/current.csv', expectations: 'suite.json', report: 'r/ge.json' },
    });
    const json = report(ws, 'r/ge.json');
    const byCheck = Object.fromEntries(json.checks.map((c: { check: string }) => [c.check, c]));
    expect(byCheck.between.passed).toBe(true);
    expect(byCheck.allowed_values.passed).toBe(true);
    expect(byCheck.row_count).toMatchObject({ passed: false, observed: 190 });
    expect(result.exitCode).toBe(1);
  });
});
