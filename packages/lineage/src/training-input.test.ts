// register-model's training-report input: the validate-training verdict and the digest of the exact bytes.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { buildLineage } from './lineage-builder.ts';
import { readTrainingReport } from './training-input.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mlops-training-input-'));
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};

describe('readTrainingReport', () => {
  it('records the verdict, the failed checks and the sha256 of the report bytes', async () => {
    const text = `${JSON.stringify({
      schema: 'mlops.validate-training/v1',
      passed: false,
      failed_checks: ['val_loss:max_rise_from_best'],
      checks: [],
    })}\n`;
    const verdict = await readTrainingReport(file('failed.json', text), 'failed.json');
    expect(verdict).toEqual({
      passed: false,
      report_sha256: createHash('sha256').update(text).digest('hex'),
      report_schema: 'mlops.validate-training/v1',
      failed_checks: ['val_loss:max_rise_from_best'],
    });
    const model = file('model.json', '{}');
    const lineage = await buildLineage({
      name: 'm',
      workspace: dir,
      model: { absolute: model, shownAs: 'model.json' },
      data: [],
      commit: 'abc',
      trigger: {},
      training: verdict,
    });
    expect(lineage.training).toEqual(verdict);
  });

  it('refuses another report or one without a verdict, naming the input and file', async () => {
    await expect(
      readTrainingReport(
        file('gate.json', '{"schema": "mlops.evaluate-gate/v1", "passed": true}'),
        'gate.json',
      ),
    ).rejects.toThrow(
      new UserError(
        "input 'training-report': 'gate.json' is not a validate-training report (expected schema mlops.validate-training/v1, got \"mlops.evaluate-gate/v1\")",
      ),
    );
    await expect(
      readTrainingReport(file('nopass.json', '{"schema": "mlops.validate-training/v1"}'), 'nopass.json'),
    ).rejects.toThrow("input 'training-report': 'nopass.json' has no boolean 'passed' field");
    await expect(readTrainingReport(path.join(dir, 'missing.json'), 'missing.json')).rejects.toThrow(
      "input 'training-report': file 'missing.json' does not exist or cannot be read",
    );
  });
});
