// canary-analysis over a request log (source: file) through the bundle: the same counts and decision from
// CSV, JSON Lines and Parquet, counted independently here; rows of other versions or outside the window are
// ignored; bad logs name the file, the row and the column.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CanaryReport } from '@mlops/canary';
import { createRandom } from '@mlops/stats';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, runBundledAction } from '../harness/runner.ts';

const START = Date.UTC(2026, 10, 3, 9, 0, 0);
const NOW = START + 40 * 60_000;
const CONFIG = `source: file
version_label: version
timestamp_column: timestamp
traffic: { canary_percent: 10 }
soak: 30m
step: 1m
metrics:
  - name: errors
    events: status >= 500
    max_increase: 0.25
  - name: slow
    events: latency_ms > 100
    max_increase: 0.25
  - name: flagged
    events: error
    max_increase: 0.25
  - name: latency
    kind: mean
    value: latency_ms
    max_difference: 5
predictions: { score: latency_ms, threshold: 100 }
`;

interface Row {
  version: string;
  timestamp: number;
  latency_ms: number;
  status: number;
  error: boolean;
}

let workspace: string;
const rows: Row[] = [];

beforeAll(() => {
  const random = createRandom(1103);
  // Before, during and after the window; v3 is some other deployment the log also holds.
  for (let index = 0; index < 30_000; index++) {
    const timestamp = START - 5 * 60_000 + Math.floor(random.nextDouble() * 50 * 60_000);
    const draw = random.nextDouble();
    const version = draw < 0.095 ? 'v2' : draw < 0.95 ? 'v1' : 'v3';
    const errorRate = version === 'v2' ? 0.06 : 0.03;
    const failed = random.nextDouble() < errorRate;
    rows.push({
      version,
      timestamp,
      latency_ms: Math.round(20 + random.nextDouble() * 100),
      status: failed ? 503 : 200,
      error: failed,
    });
  }
  workspace = makeWorkspace('mlops-canary-file-');
  writeFileSync(path.join(workspace, 'canary.yml'), CONFIG);
  const iso = (ms: number) => new Date(ms).toISOString();
  writeFileSync(
    path.join(workspace, 'requests.csv'),
    `version,timestamp,latency_ms,status,error\n${rows.map((row) => `${row.version},${iso(row.timestamp)},${row.latency_ms},${row.status},${row.error}`).join('\n')}\n`,
  );
  writeFileSync(
    path.join(workspace, 'requests.jsonl'),
    `${rows.map((row) => JSON.stringify({ ...row, timestamp: iso(row.timestamp) })).join('\n')}\n`,
  );
  writeFileSync(
    path.join(workspace, 'requests.parquet'),
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'version', data: rows.map((row) => row.version), type: 'STRING' },
          { name: 'timestamp', data: rows.map((row) => row.timestamp / 1000), type: 'DOUBLE' },
          { name: 'latency_ms', data: rows.map((row) => row.latency_ms), type: 'DOUBLE' },
          { name: 'status', data: rows.map((row) => row.status), type: 'INT32' },
          { name: 'error', data: rows.map((row) => row.error), type: 'BOOLEAN' },
        ],
      }),
    ),
  );
});

function truth(version: string) {
  const inWindow = rows.filter(
    (row) => row.version === version && row.timestamp > START && row.timestamp <= NOW,
  );
  return {
    requests: inWindow.length,
    errors: inWindow.filter((row) => row.status >= 500).length,
    slow: inWindow.filter((row) => row.latency_ms > 100).length,
  };
}

async function judge(log: string, config = 'canary.yml') {
  const run = await runBundledAction('canary-analysis', {
    workspace,
    inputs: {
      config,
      log,
      baseline: 'v1',
      canary: 'v2',
      'started-at': new Date(START).toISOString(),
      now: new Date(NOW).toISOString(),
      report: `out/${log}.json`,
      'fail-on-rollback': 'false',
    },
  });
  return run;
}

describe('canary-analysis over a request log', () => {
  it.each(['requests.csv', 'requests.jsonl', 'requests.parquet'])(
    '%s: exact counts and a rollback',
    async (log) => {
      const run = await judge(log);
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs.decision).toBe('rollback');
      const report: CanaryReport = JSON.parse(
        readFileSync(path.join(workspace, 'out', `${log}.json`), 'utf8'),
      );
      const [errors, slow, flagged, latency] = report.metrics;
      for (const [arm, version] of [
        ['baseline', 'v1'],
        ['canary', 'v2'],
      ] as const) {
        const expected = truth(version);
        expect(errors![arm]).toMatchObject({ requests: expected.requests, events: expected.errors });
        expect(slow![arm]).toMatchObject({ requests: expected.requests, events: expected.slow });
        expect(flagged![arm]).toMatchObject({ requests: expected.requests, events: expected.errors });
      }
      const mean = (version: string) => {
        const values = rows
          .filter((row) => row.version === version && row.timestamp > START && row.timestamp <= NOW)
          .map((row) => row.latency_ms);
        return values.reduce((sum, value) => sum + value, 0) / values.length;
      };
      expect(latency!.baseline.mean).toBeCloseTo(mean('v1'), 9);
      expect(latency!.canary.mean).toBeCloseTo(mean('v2'), 9);
      expect(latency!.status).toBe('within');
      expect(run.summary).toMatch(/mean of `latency_ms`/);
      expect(report.method).toMatch(
        /^rates: exact conditional .*; means: normal-mixture confidence sequence/,
      );
      expect(report.source).toMatchObject({ kind: 'file', file: log });
      // Both latencies are uniform on 20-120 ms: the same distribution, a small PSI.
      expect(report.predictions).toMatchObject({
        baseline_n: truth('v1').requests,
        canary_n: truth('v2').requests,
        bins: 10,
      });
      expect(report.predictions!.psi).toBeLessThan(0.05);
      expect(run.summary).toMatch(
        /\*\*Predictions\*\* \(`latency_ms`; descriptive, not part of the decision\): PSI 0\.0/,
      );
      expect(errors!.status).toBe('regressed');
    },
  );

  it('names the file and the column that is missing, and a timestamp it cannot read', async () => {
    writeFileSync(path.join(workspace, 'typo.yml'), CONFIG.replace('latency_ms > 100', 'latency > 100'));
    const missing = await judge('requests.csv', 'typo.yml');
    expect(missing.exitCode).toBe(1);
    expect(missing.errors[0]).toMatch(
      /slow: requests\.csv has no column 'latency' \(events: latency > 100\)/,
    );
    writeFileSync(
      path.join(workspace, 'bad-time.csv'),
      'version,timestamp,latency_ms,status,error\nv1,yesterday,10,200,false\n',
    );
    const badTime = await judge('bad-time.csv');
    expect(badTime.exitCode).toBe(1);
    expect(badTime.errors[0]).toMatch(
      /bad-time\.csv row 1: column 'timestamp' holds "yesterday", expected an RFC 3339 time/,
    );
  });
});
