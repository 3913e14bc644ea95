import type { Table } from '@mlops/data';
import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { AnswerError } from './answer.ts';
import { edgeCaseRequests, judgeEdgeCase } from './edge-cases.ts';
import { buildGoldenSet, targetKind } from './golden.ts';
import { parseJsonPath, selectJsonPath } from './json-path.ts';
import { bodyExcerpt, parseJsonLenient } from './json-text.ts';
import { summariseLatency } from './latency.ts';
import { checkOipMetadata } from './metadata.ts';
import { agreement, parity } from './parity.ts';
import { fillTemplate, jsonCodec, mlflowCodec, oipCodec } from './protocols.ts';
import type { GoldenSet } from './types.ts';
import { buildServingReport, type Observations } from './verdict.ts';

function table(columns: Record<string, (string | number | null)[]>): Table {
  const names = Object.keys(columns);
  return {
    columns: names,
    rowCount: columns[names[0]!]!.length,
    data: Object.fromEntries(
      names.map((name) => {
        const cells = columns[name]!;
        return [
          name,
          cells.every((cell) => typeof cell !== 'string')
            ? Float64Array.from(cells.map((cell) => (cell === null ? Number.NaN : (cell as number))))
            : cells,
        ];
      }),
    ),
    types: Object.fromEntries(
      names.map((name) => [
        name,
        columns[name]!.some((cell) => typeof cell === 'string') ? 'string' : 'number',
      ]),
    ),
  };
}

const requests = table({ id: ['a', 'b', 'c'], x: [1, 2, 3], y: [0.5, 0.25, 4] });
const expected = table({ id: ['c', 'a', 'b'], prediction: [0.9, 0.1, 0.6] });
const files = { requestsFile: 'golden.csv', expectedFile: 'expected.csv', predictionColumn: 'prediction' };

function golden(): GoldenSet {
  return buildGoldenSet(requests, expected, { ...files, idColumn: 'id' });
}

describe('golden set', () => {
  it('joins expected predictions by id, features in file order without the id', () => {
    const set = golden();
    expect(set.features).toEqual(['x', 'y']);
    expect(set.rows.map((row) => [row.id, row.expected])).toEqual([
      ['a', 0.1],
      ['b', 0.6],
      ['c', 0.9],
    ]);
    expect(set.rows[2]!.values).toEqual([3, 4]);
    expect(set.target).toBe('probability');
    expect(set.joinedBy).toBe('id');
  });

  it('joins by row order without an id, and refuses different row counts', () => {
    const set = buildGoldenSet(table({ x: [1, 2, 3] }), expected, files);
    expect(set.rows.map((row) => row.expected)).toEqual([0.9, 0.1, 0.6]);
    expect(() => buildGoldenSet(table({ x: [1, 2] }), expected, files)).toThrow(
      /3 rows but the requests have 2/,
    );
  });

  it('names the file, column and ids for bad input', () => {
    expect(() => buildGoldenSet(requests, expected, { ...files, idColumn: 'ID' })).toThrow(
      /golden.csv: no id column 'ID' \(did you mean 'id'\?\)/,
    );
    expect(() => buildGoldenSet(requests, expected, { ...files, predictionColumn: 'pred' })).toThrow(
      /expected.csv: no prediction column 'pred'/,
    );
    const partial = table({ id: ['a', 'b'], prediction: [0.1, 0.2] });
    expect(() => buildGoldenSet(requests, partial, { ...files, idColumn: 'id' })).toThrow(
      /request id\(s\).*'c'/,
    );
    const nan = table({ id: ['a', 'b', 'c'], prediction: [0.1, null, 0.2] });
    expect(() => buildGoldenSet(requests, nan, { ...files, idColumn: 'id' })).toThrow(
      /expected.csv: column 'prediction' row 2/,
    );
    const duplicate = table({ id: ['a', 'a', 'c'], x: [1, 2, 3] });
    expect(() => buildGoldenSet(duplicate, expected, { ...files, idColumn: 'id' })).toThrow(/rows 1 and 2/);
  });

  it('tells probabilities, classes and values apart', () => {
    expect(targetKind([{ expected: 0 }, { expected: 0.3 }])).toBe('probability');
    expect(targetKind([{ expected: 0 }, { expected: 1 }])).toBe('class');
    expect(targetKind([{ expected: 2 }, { expected: 7 }])).toBe('class');
    expect(targetKind([{ expected: 2.5 }, { expected: -1 }])).toBe('value');
  });
});

describe('Open Inference Protocol bodies and answers', () => {
  it('one [rows, features] FP64 tensor, row-major', () => {
    const codec = oipCodec(golden(), { model: 'pima', layout: 'tensor', inputName: 'input-0' });
    expect(codec.predictPath).toBe('/v2/models/pima/infer');
    expect(codec.body(golden().rows.slice(0, 2))).toEqual({
      inputs: [{ name: 'input-0', shape: [2, 2], datatype: 'FP64', data: [1, 0.5, 2, 0.25] }],
    });
  });

  it('one tensor per column, BYTES for text', () => {
    const set = buildGoldenSet(table({ id: ['a'], x: [1], city: ['Oslo'] }), table({ p: [0.2] }), {
      ...files,
      predictionColumn: 'p',
      idColumn: 'id',
    });
    const codec = oipCodec(set, { model: 'm', layout: 'columns', inputName: 'input-0', outputName: 'proba' });
    expect(codec.body(set.rows)).toEqual({
      inputs: [
        { name: 'x', shape: [1, 1], datatype: 'FP64', data: [1] },
        { name: 'city', shape: [1, 1], datatype: 'BYTES', data: ['Oslo'] },
      ],
      outputs: [{ name: 'proba' }],
    });
    expect(() => oipCodec(set, { model: 'm', layout: 'tensor', inputName: 'input-0' })).toThrow(
      /column 'city' holds text.*oip-layout: columns/,
    );
  });

  it('reads [rows], [rows, 1] and [rows, k] outputs (the last column by default), flat or nested', () => {
    const codec = oipCodec(golden(), { model: 'm', layout: 'tensor', inputName: 'input-0' });
    const answer = (shape: number[], data: unknown[], extra = {}) => ({
      model_name: 'm',
      outputs: [{ name: 'out', shape, datatype: 'FP64', data }],
      ...extra,
    });
    expect(codec.parse(answer([2], [0.1, 0.2]), 2).values).toEqual([0.1, 0.2]);
    expect(codec.parse(answer([2, 1], [[0.1], [0.2]]), 2).values).toEqual([0.1, 0.2]);
    expect(codec.parse(answer([2, 2], [0.9, 0.1, 0.8, 0.2], { model_version: '3' }), 2)).toEqual({
      values: [0.1, 0.2],
      version: '3',
    });
    const first = oipCodec(golden(), { model: 'm', layout: 'tensor', inputName: 'input-0', outputIndex: 0 });
    expect(first.parse(answer([2, 2], [0.9, 0.1, 0.8, 0.2]), 2).values).toEqual([0.9, 0.8]);
  });

  it('refuses answers of the wrong shape or type, naming what is wrong', () => {
    const codec = oipCodec(golden(), { model: 'm', layout: 'tensor', inputName: 'input-0' });
    const parse = (body: unknown) => () => codec.parse(body, 2);
    expect(parse({ outputs: [] })).toThrow(AnswerError);
    expect(parse({ outputs: [{ name: 'o', shape: [3], datatype: 'FP64', data: [1, 2, 3] }] })).toThrow(
      /shape \[3\] for 2 rows/,
    );
    expect(parse({ outputs: [{ name: 'o', shape: [2, 2], datatype: 'FP64', data: [1, 2, 3] }] })).toThrow(
      /shape \[2, 2\] but 3 values/,
    );
    expect(parse({ outputs: [{ name: 'o', shape: [2], datatype: 'BYTES', data: ['a', 'b'] }] })).toThrow(
      /datatype BYTES/,
    );
    expect(parse([1, 2])).toThrow(/expected an inference response object, got a list/);
  });

  it('refuses a tensor with a missing value at build time, naming the row and column', () => {
    const set = buildGoldenSet(table({ id: ['a', 'b'], x: [1, null] }), table({ p: [0.1, 0.2] }), {
      ...files,
      predictionColumn: 'p',
      idColumn: 'id',
    });
    expect(() => oipCodec(set, { model: 'm', layout: 'tensor', inputName: 'input-0' })).toThrow(
      /row 'b' has no value in column 'x'/,
    );
  });

  it('metadata: inputs, datatypes, shapes, outputs against the requests', () => {
    const set = golden();
    const good = checkOipMetadata(
      {
        name: 'm',
        versions: ['7'],
        platform: 'node',
        inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, 2] }],
        outputs: [{ name: 'proba', datatype: 'FP64', shape: [-1, 2] }],
      },
      set,
      { model: 'm', layout: 'tensor', inputName: 'input-0' },
    );
    expect(good.problems).toEqual([]);
    expect(good.datatype).toBe('FP32');
    expect(good.versions).toEqual(['7']);
    const bad = checkOipMetadata(
      { name: 'other', inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 5] }], outputs: [] },
      set,
      { model: 'm', layout: 'tensor', inputName: 'x', outputName: 'proba' },
    );
    expect(bad.problems.join('\n')).toMatch(/names model 'other'/);
    expect(bad.problems.join('\n')).toMatch(/shape \[-1, 5\] but the requests have 2 features/);
    expect(bad.problems.join('\n')).toMatch(/no output named 'proba'/);
  });
});

describe('MLflow scoring and plain JSON', () => {
  it('MLflow: dataframe_split in, predictions out (numbers, per-class lists, records)', () => {
    const codec = mlflowCodec(golden());
    expect(codec.body(golden().rows.slice(0, 1))).toEqual({
      dataframe_split: { columns: ['x', 'y'], data: [[1, 0.5]] },
    });
    expect(codec.parse({ predictions: [0.1, 0.2] }, 2).values).toEqual([0.1, 0.2]);
    expect(
      codec.parse(
        {
          predictions: [
            [0.9, 0.1],
            [0.8, 0.2],
          ],
        },
        2,
      ).values,
    ).toEqual([0.1, 0.2]);
    expect(codec.parse([0.3, 0.4], 2).values).toEqual([0.3, 0.4]);
    expect(codec.parse({ predictions: [{ score: 0.3 }, { score: 0.4 }] }, 2).values).toEqual([0.3, 0.4]);
    expect(() => codec.parse({ predictions: [0.1] }, 2)).toThrow(/1 predictions for 2 rows/);
    expect(() => codec.parse({ result: [] }, 2)).toThrow(/no 'predictions'/);
    expect(codec.parse({ predictions: [Number.NaN, 'NaN'] }, 2).values.every(Number.isNaN)).toBe(true);
  });

  it('JSON: a template with placeholders and a JSON path to the predictions', () => {
    const codec = jsonCodec(golden(), {
      path: '/predict',
      template: '{"instances": "{{records}}", "meta": {"cols": "{{columns}}"}}',
      predictionsPath: '$.result[*].p',
    });
    expect(codec.body(golden().rows.slice(0, 1))).toEqual({
      instances: [{ x: 1, y: 0.5 }],
      meta: { cols: ['x', 'y'] },
    });
    expect(codec.parse({ result: [{ p: 0.1 }, { p: 0.2 }] }, 2).values).toEqual([0.1, 0.2]);
    expect(() => codec.parse({ other: 1 }, 2)).toThrow(/nothing at '\$.result\[\*\].p'/);
    expect(() => jsonCodec(golden(), { path: '/', template: '{"a": 1}', predictionsPath: '$' })).toThrow(
      /no placeholder/,
    );
    expect(() => jsonCodec(golden(), { path: '/', template: '{', predictionsPath: '$' })).toThrow(UserError);
    expect(fillTemplate(['{{values}}'], ['x'], [{ values: [3] }])).toEqual([[[3]]]);
  });

  it('JSON path: keys, indexes, quoted keys, wildcards; bad paths are user errors', () => {
    const value = { a: { 'b c': [{ d: 1 }, { d: 2 }] } };
    expect(selectJsonPath(value, parseJsonPath("$.a['b c'][1].d"))).toBe(2);
    expect(selectJsonPath(value, parseJsonPath("a['b c'][*].d"))).toEqual([1, 2]);
    expect(selectJsonPath(value, parseJsonPath('$.a.x'))).toBeUndefined();
    expect(() => parseJsonPath('$.a[?(@.x)]')).toThrow(/input 'predictions-path'.*position 4/);
  });

  it("reads Python's NaN / Infinity tokens, only outside strings", () => {
    const parsed = parseJsonLenient('{"p": [0.5, NaN, -Infinity], "s": "NaN, Infinity"}') as {
      p: number[];
      s: string;
    };
    expect(parsed.p[0]).toBe(0.5);
    expect(Number.isNaN(parsed.p[1])).toBe(true);
    expect(parsed.p[2]).toBe(Number.NEGATIVE_INFINITY);
    expect(parsed.s).toBe('NaN, Infinity');
    expect(() => parseJsonLenient('<html>NaN</html>')).toThrow(SyntaxError);
    expect(bodyExcerpt('x'.repeat(500), 10)).toBe('xxxxxxxxxx… (500 characters)');
  });
});

describe('parity and agreement', () => {
  it('lists mismatches first, worst first, and counts unanswered rows as mismatches', () => {
    const set = golden(); // expected 0.1, 0.6, 0.9
    const result = parity(set.rows, [0.1, 0.75, Number.NaN], { atol: 0.01, rtol: 0 });
    expect(result.mismatches).toBe(2);
    expect(result.compared).toBe(2);
    expect(result.max_abs_diff).toBeCloseTo(0.15, 12);
    expect(result.worst.map((row) => row.id)).toEqual(['c', 'b', 'a']);
    expect(result.worst[0]!.served).toBeNull();
  });

  it('agreement over every row, by the class threshold', () => {
    const set = golden();
    expect(agreement(set, [0.4, 0.51, 0.2], 0.5)).toMatchObject({ agree: 2, compared: 3, share: 2 / 3 });
    expect(agreement(set, [0.4, Number.NaN, 0.95], 0.5)).toMatchObject({
      agree: 2,
      compared: 2,
      share: 2 / 3,
    });
    expect(agreement({ ...set, target: 'value' }, [1, 2, 3], 0.5)).toBeUndefined();
  });
});

describe('edge cases', () => {
  it('builds an empty batch, a missing feature and a wrong type with the protocol codec', () => {
    const set = golden();
    const probes = edgeCaseRequests(set, (s) =>
      oipCodec(s, { model: 'm', layout: 'tensor', inputName: 'input-0' }),
    );
    expect(probes.map((probe) => probe.case)).toEqual(['empty batch', 'missing feature', 'wrong type']);
    expect(probes[0]!.body).toMatchObject({ inputs: [{ shape: [0, 2], data: [] }] });
    expect(probes[1]!.body).toMatchObject({ inputs: [{ shape: [1, 1], data: [1] }] });
    expect(probes[2]!.body).toMatchObject({ inputs: [{ shape: [1, 2], data: ['not-a-number', 0.5] }] });
    expect(judgeEdgeCase(400).passed).toBe(true);
    expect(judgeEdgeCase(200)).toMatchObject({ passed: false, message: expect.stringMatching(/accepted/) });
    expect(judgeEdgeCase(500)).toMatchObject({
      passed: false,
      message: expect.stringMatching(/server error/),
    });
  });
});

describe('verdict', () => {
  function observations(overrides: Partial<Observations> = {}): Observations {
    const set = golden();
    return {
      protocol: 'oip',
      url: 'http://127.0.0.1:1',
      model: 'm',
      requestsFile: 'golden.csv',
      expectedFile: 'expected.csv',
      set,
      readiness: { ready: true, attempts: 1, waitedMs: 3, message: '' },
      metadata: { problems: [], versions: ['1'], summary: 'inputs ok' },
      versions: [{ source: 'model_version', value: '1', request: 'POST /infer (rows 1-3)' }],
      served: [0.1, 0.6, 0.9],
      problems: [],
      failedRows: new Set(),
      atol: 1e-6,
      rtol: 0,
      threshold: 0.5,
      ...overrides,
    };
  }

  it('passes a server that answers every row within tolerance', () => {
    const report = buildServingReport(observations({ expectedVersion: '1' }));
    expect(report.passed).toBe(true);
    expect(report.served_version).toBe('1');
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['readiness', 'passed'],
      ['metadata', 'passed'],
      ['version', 'passed'],
      ['answers', 'passed'],
      ['parity', 'passed'],
      ['agreement', 'skipped'],
      ['latency', 'skipped'],
      ['edge-cases', 'skipped'],
    ]);
  });

  it('fails on a skewed answer, a changed version, NaN or out-of-range values, never passing on missing rows', () => {
    const skew = buildServingReport(observations({ served: [0.1, 0.99, 0.9] }));
    expect(skew.passed).toBe(false);
    expect(skew.checks.find((check) => check.name === 'parity')!.message).toMatch(
      /1 of 3 rows differ.*row 'b'/,
    );

    const changed = buildServingReport(
      observations({
        versions: [
          { source: 'model_version', value: '1', request: 'POST a' },
          { source: 'model_version', value: '2', request: 'POST b' },
        ],
      }),
    );
    expect(changed.passed).toBe(false);
    expect(changed.checks.find((check) => check.name === 'version')!.message).toMatch(
      /changed.*'1'.*then '2'.*POST b/,
    );

    const nan = buildServingReport(observations({ served: [0.1, Number.NaN, 1.5] }));
    expect(nan.passed).toBe(false);
    expect(nan.checks.find((check) => check.name === 'answers')!.message).toMatch(
      /1 row answered with a non-finite value; 1 probability outside \[0, 1\]/,
    );

    const failedRequest = buildServingReport(
      observations({
        served: [Number.NaN, Number.NaN, Number.NaN],
        failedRows: new Set([0, 1, 2]),
        problems: [{ phase: 'predict', request: 'POST /infer (rows 1-3)', problem: 'connection reset' }],
      }),
    );
    expect(failedRequest.passed).toBe(false);
    expect(failedRequest.checks.find((check) => check.name === 'answers')!.message).toMatch(
      /1 request failed \(first: POST \/infer \(rows 1-3\): connection reset\)/,
    );

    const notReady = buildServingReport(
      observations({
        readiness: { ready: false, attempts: 5, waitedMs: 1000, message: 'not ready after 1 s' },
      }),
    );
    expect(notReady.passed).toBe(false);
    expect(notReady.checks.filter((check) => check.status === 'skipped')).toHaveLength(7);
  });

  it('an expected version the protocol cannot report is "not possible", which fails', () => {
    const report = buildServingReport(
      observations({
        protocol: 'mlflow',
        metadata: undefined,
        versions: [],
        expectedVersion: '3',
        versionUnavailable: "MLflow's scoring server reports no model version (set 'version-header')",
      }),
    );
    expect(report.passed).toBe(false);
    expect(report.checks.find((check) => check.name === 'version')).toMatchObject({ status: 'not-possible' });
  });

  it('latency ceilings are judged on the upper end of the bootstrap interval; agreement on min-agreement', () => {
    const samples = Array.from({ length: 60 }, (_, index) => 10 + (index % 10));
    const latency = summariseLatency(samples, {
      warmup: 1,
      repeats: 30,
      concurrency: 2,
      rowsPerRequest: 1,
      confidence: 0.95,
      resamples: 500,
      seed: 42,
      max: { p95_ms: 19.5, p99_ms: 18.5 },
    });
    const p95 = latency.percentiles.find((entry) => entry.key === 'p95_ms')!;
    expect(p95).toMatchObject({ passed: true });
    expect(latency.percentiles.find((entry) => entry.key === 'p99_ms')).toMatchObject({ passed: false });
    const report = buildServingReport(observations({ latency, minAgreement: 0.9, served: [0.1, 0.4, 0.9] }));
    expect(report.checks.find((check) => check.name === 'latency')).toMatchObject({ status: 'failed' });
    expect(report.checks.find((check) => check.name === 'agreement')).toMatchObject({ status: 'failed' });
  });
});
