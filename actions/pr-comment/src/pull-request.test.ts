import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError, Inputs } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { shortLabels } from './load-reports.ts';
import { retireMarker } from './publish.ts';
import { eventHeadSha, resolvePullRequest } from './pull-request.ts';

const workspace = mkdtempSync(path.join(tmpdir(), 'prc-unit-'));
const inputs = (values: Record<string, string>) => new Inputs((name) => values[name], workspace);
const sha = 'a'.repeat(40);

describe('resolvePullRequest', () => {
  it('prefers the input, then the file, then the event', async () => {
    writeFileSync(path.join(workspace, 'pr'), '12\n');
    const event = { pull_request: { number: 3, head: { sha } } };
    expect(
      await resolvePullRequest(inputs({ 'pr-number': '5', 'pr-number-file': 'pr' }), event, 'pull_request'),
    ).toEqual({
      kind: 'found',
      number: 5,
      source: 'input',
      headSha: sha,
    });
    expect(await resolvePullRequest(inputs({ 'pr-number-file': 'pr' }), event, 'pull_request')).toMatchObject(
      { number: 12, source: 'file' },
    );
    expect(await resolvePullRequest(inputs({}), event, 'pull_request')).toMatchObject({
      number: 3,
      source: 'event',
    });
  });

  it('parses the artifact file strictly', async () => {
    for (const content of ['12 13', '0', '-1', '1e3', '12; rm -rf /', '', '99999999999']) {
      writeFileSync(path.join(workspace, 'bad'), content);
      await expect(
        resolvePullRequest(inputs({ 'pr-number-file': 'bad' }), {}, 'workflow_run'),
      ).rejects.toThrow(InputError);
    }
    await expect(
      resolvePullRequest(inputs({ 'pr-number-file': 'missing' }), {}, 'workflow_run'),
    ).rejects.toThrow(/pr-number-file.*cannot read/);
  });

  it('skips quietly outside pull-request events and errs inside them', async () => {
    expect(await resolvePullRequest(inputs({}), {}, 'push')).toMatchObject({ kind: 'none', isError: false });
    expect(await resolvePullRequest(inputs({}), {}, 'schedule')).toMatchObject({
      kind: 'none',
      isError: false,
    });
    expect(await resolvePullRequest(inputs({}), { action: 'opened' }, 'pull_request')).toMatchObject({
      kind: 'none',
      isError: true,
    });
    expect(
      await resolvePullRequest(inputs({}), { workflow_run: { pull_requests: [] } }, 'workflow_run'),
    ).toMatchObject({
      kind: 'none',
      isError: true,
      reason: expect.stringMatching(/pr-number-file/),
    });
  });

  it('reads the head commit from pull_request and workflow_run payloads only when it looks like a sha', () => {
    expect(eventHeadSha({ workflow_run: { head_sha: sha } })).toBe(sha);
    expect(eventHeadSha({ pull_request: { head: { sha: 'not a sha' } } })).toBeUndefined();
  });
});

describe('retireMarker', () => {
  it('changes only the first line', () => {
    expect(retireMarker('<!-- mlops-sticky:a -->\nbody <!-- mlops-sticky:a -->')).toBe(
      '<!-- mlops-sticky-hidden:a -->\nbody <!-- mlops-sticky:a -->',
    );
    expect(retireMarker('<!-- mlops-sticky:a -->')).toBe('<!-- mlops-sticky-hidden:a -->');
  });
});

describe('shortLabels', () => {
  it('drops the directories every report shares', () => {
    expect(shortLabels(['r/a.json', 'r/x/b.json'])).toEqual(['a.json', 'x/b.json']);
    expect(shortLabels(['.mlops-pr-report/validate-data.json'])).toEqual(['validate-data.json']);
    expect(shortLabels(['a.json', 'r/b.json'])).toEqual(['a.json', 'r/b.json']);
    expect(shortLabels(['r/x/a.json', 'r/x/b.json'])).toEqual(['a.json', 'b.json']);
  });
});
