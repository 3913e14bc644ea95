import { describe, expect, it } from 'vitest';
import { activeVersions, auditTrail, buildGtoState, holderSequence, stageHolders } from './gto-state.ts';
import type { TagRecord } from './tag-record.ts';

let clock = 1_000;
const tag = (name: string, target: string, message = ''): TagRecord => ({
  name,
  target,
  date: clock++,
  message,
});

describe('registry state rebuilt from tags with GTO rules', () => {
  it('one version per stage, latest assignment wins; unassigning the holder falls back as GTO does', () => {
    const tags = [
      tag('churn@v1.0.0', 'c1'),
      tag('churn@v1.1.0', 'c2'),
      tag('churn#prod#1', 'c1'),
      tag('churn#prod#2', 'c2'),
      tag('churn#staging#3', 'c2'),
      tag('other@v0.0.1', 'c9'),
    ];
    const before = buildGtoState(tags).get('churn')!;
    expect(Object.fromEntries(stageHolders(before))).toEqual({ prod: 'v1.1.0', staging: 'v1.1.0' });
    const after = buildGtoState([...tags, tag('churn#prod!#4', 'c2')]).get('churn')!;
    // v1.1.0 left prod; v1.0.0's assignment there is still active, so GTO shows it again.
    expect(stageHolders(after).get('prod')).toBe('v1.0.0');
    expect(holderSequence(after, 'prod')).toEqual(['v1.0.0', 'v1.1.0', 'v1.0.0']);
  });

  it('orders equal dates by counter, ignores deregistered versions and foreign tags', () => {
    const same = 5_000;
    const state = buildGtoState([
      { name: 'churn@v1.0.0', target: 'c1', date: same, message: '' },
      { name: 'churn@v2.0.0', target: 'c2', date: same, message: '' },
      { name: 'churn#prod#10', target: 'c1', date: same, message: '' },
      { name: 'churn#prod#9', target: 'c2', date: same, message: '' },
      { name: 'churn@v3.0.0', target: 'c3', date: same, message: '' },
      { name: 'churn@v3.0.0!', target: 'c3', date: same + 1, message: '' },
      { name: 'v1.0.0', target: 'c1', date: same, message: '' },
      { name: 'release-2026', target: 'c1', date: same, message: '' },
    ]);
    const artifact = state.get('churn')!;
    expect(stageHolders(artifact).get('prod')).toBe('v1.0.0');
    expect(activeVersions(artifact).map((version) => version.version)).toEqual(['v2.0.0', 'v1.0.0']);
    expect([...state.keys()]).toEqual(['churn']);
  });

  it('a stage tag on an unregistered commit becomes a version named by the commit, as in GTO', () => {
    const artifact = buildGtoState([tag('churn#dev#1', 'abc123')]).get('churn')!;
    expect(stageHolders(artifact).get('dev')).toBe('abc123');
    expect(activeVersions(artifact)).toEqual([]);
  });

  it('reads the audit record from stage tag messages', () => {
    const record = {
      schema: 'mlops.stage-event/v1',
      name: 'churn',
      stage: 'prod',
      action: 'rollback',
      version: 'v1.0.0',
      previous_version: 'v1.1.0',
      at: '2026-11-22T03:00:00.000Z',
      actor: 'octocat',
      run_id: '9',
    };
    const artifact = buildGtoState([
      tag('churn@v1.0.0', 'c1'),
      tag('churn#prod#1', 'c1', `Roll back churn prod to v1.0.0 (was v1.1.0)\n\n${JSON.stringify(record)}\n`),
      tag('churn#prod#2', 'c1', 'made by gto assign'),
    ]).get('churn')!;
    const [ours, theirs] = auditTrail(artifact, 'prod');
    expect(ours).toMatchObject({
      action: 'rollback',
      previousVersion: 'v1.1.0',
      actor: 'octocat',
      runId: '9',
      ref: 'churn#prod#1',
    });
    // A tag written by GTO itself still reads as an assignment, dated by its tag.
    expect(theirs).toMatchObject({ action: 'promote', version: 'v1.0.0', ref: 'churn#prod#2' });
  });
});
