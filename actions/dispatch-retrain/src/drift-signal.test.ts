import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { driftSignalFromReport, readDriftReport } from './drift-signal.ts';

describe('reading validate-data reports', () => {
  it('keeps drifted columns sorted, with their method, score and current histogram', () => {
    const signal = driftSignalFromReport(
      {
        schema: 'mlops.validate-data/v1',
        drift: {
          detected: true,
          share: 0.5,
          threshold_share: 0.5,
          columns: {
            b: { method: 'ks', score: 0.3, drift: true, histogram: { current: [1, 2] } },
            a: { method: 'psi', score: 0.4, drift: true },
            c: { method: 'ks', score: 0.01, drift: false },
            d: { method: 'ks', score: 0.2, drift: true, histogram: { current: [1, 'x'] } },
          },
        },
      },
      'r.json',
    );
    expect(signal).toEqual({
      detected: true,
      share: 0.5,
      thresholdShare: 0.5,
      columns: [
        { name: 'a', method: 'psi', score: 0.4 },
        { name: 'b', method: 'ks', score: 0.3, histogram: [1, 2] },
        { name: 'd', method: 'ks', score: 0.2 },
      ],
      columnsTested: 4,
      source: 'report',
    });
  });

  it('names the file and the field when the report is not what validate-data writes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-signal-'));
    const write = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    await expect(readDriftReport(path.join(dir, 'missing.json'), 'missing.json')).rejects.toThrow(
      /drift report missing.json does not exist \(run validate-data first/,
    );
    await expect(readDriftReport(write('bad.json', '{'), 'bad.json')).rejects.toThrow(
      'drift report bad.json line 1, column 2: not valid JSON (the text ends early)',
    );
    await expect(
      readDriftReport(write('gate.json', '{"schema":"mlops.evaluate-gate/v1"}'), 'gate.json'),
    ).rejects.toThrow(
      `drift report gate.json: expected schema 'mlops.validate-data/v1' (validate-data's report), got "mlops.evaluate-gate/v1"`,
    );
    await expect(
      readDriftReport(
        write('nodrift.json', '{"schema":"mlops.validate-data/v1","passed":true}'),
        'nodrift.json',
      ),
    ).rejects.toThrow(/has no 'drift' section: run validate-data with a reference/);
    await expect(
      readDriftReport(
        write('share.json', '{"schema":"mlops.validate-data/v1","drift":{"detected":true,"share":1.5}}'),
        'share.json',
      ),
    ).rejects.toThrow(/'drift.share' must be a number between 0 and 1, got 1.5/);
    await expect(
      readDriftReport(
        write('det.json', '{"schema":"mlops.validate-data/v1","drift":{"detected":"yes"}}'),
        'det.json',
      ),
    ).rejects.toThrow(/'drift.detected' must be true or false, got "yes"/);
  });
});
