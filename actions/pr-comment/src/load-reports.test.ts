import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RecordingLogger, UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { loadReports, NoReportsError } from './load-reports.ts';

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'prc-load-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const promote = JSON.stringify({ schema: 'mlops.promote/v1', name: 'm' });

describe('loadReports', () => {
  it('skips reports beyond the total size cap with a warning, keeping those read before it', async () => {
    const root = workspace({ 'r/a.json': promote, 'r/b.json': promote, 'r/c.json': promote });
    const logger = new RecordingLogger();
    const loaded = await loadReports(['r/*.json'], root, logger, { maxTotalBytes: promote.length * 2 });
    expect(loaded.map((entry) => entry.file)).toEqual(['r/a.json', 'r/b.json']);
    expect(logger.messages('warning')).toEqual([
      `skipping r/c.json: the reports read so far and this one exceed ${promote.length * 2} bytes in all`,
    ]);
  });

  it('treats matches of which none is usable as nothing found, saying why each was skipped', async () => {
    const outside = workspace({ 'secret.json': promote });
    const root = workspace({ 'r/package.json': '{"name": "x"}' });
    symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'r', 'link.json'));
    const error = await loadReports(['r/*.json'], root, new RecordingLogger()).catch((caught) => caught);
    expect(error).toBeInstanceOf(NoReportsError);
    expect(error.message).toBe(
      "input 'reports': 2 file(s) matched but none is a usable report (r/link.json links outside the workspace; r/package.json is not an mlops report)",
    );
  });

  it('reads every matched report in path order, skipping foreign JSON and other files', async () => {
    const root = workspace({
      'r/b.json': promote,
      'r/a.json': JSON.stringify({ schema: 'mlops.validate-data/v1' }),
      'r/package.json': '{"name": "x"}',
      'r/notes.md': '# hi',
    });
    const logger = new RecordingLogger();
    const loaded = await loadReports(['r/*'], root, logger);
    expect(loaded.map((entry) => entry.file)).toEqual(['r/a.json', 'r/b.json']);
    expect(logger.messages('warning')).toEqual([
      expect.stringMatching(/^skipping r\/package\.json: not an mlops report/),
    ]);
  });

  it('skips a symlink that leads outside the workspace', async () => {
    const outside = workspace({ 'secret.json': promote });
    const root = workspace({ 'r/a.json': promote });
    symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'r', 'link.json'));
    const logger = new RecordingLogger();
    const loaded = await loadReports(['r/*.json'], root, logger);
    expect(loaded.map((entry) => entry.file)).toEqual(['r/a.json']);
    expect(logger.messages('warning')).toEqual(['skipping r/link.json: it links outside the workspace']);
  });

  it('names the file with malformed JSON, and the globs when nothing matched', async () => {
    const root = workspace({ 'r/bad.json': '{"schema": ' });
    await expect(loadReports(['r/*.json'], root, new RecordingLogger())).rejects.toThrow(
      'report r/bad.json line 1, column 12: not valid JSON (the text ends early)',
    );
    await expect(loadReports(['nope/*.json', 'x.json'], root, new RecordingLogger())).rejects.toThrow(
      UserError,
    );
    await expect(loadReports(['nope/*.json'], root, new RecordingLogger())).rejects.toThrow(
      /no file matches 'nope\/\*\.json'/,
    );
  });

  it('warns about a pattern that matched nothing when another did', async () => {
    const root = workspace({ 'r/a.json': promote });
    const logger = new RecordingLogger();
    expect(await loadReports(['r/*.json', 'missing/*.json'], root, logger)).toHaveLength(1);
    expect(logger.messages('warning')).toEqual(["input 'reports': no file matches 'missing/*.json'"]);
  });
});
