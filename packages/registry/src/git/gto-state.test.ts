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

  // GTO's tests/test_api.py test_deprecate and tests/test_cli.py test_deprecate_unassign_and_artifact: after
  // `gto deprecate`, `gto show` lists nothing for the artifact; Artifact.is_active reads the latest event.
  it('a deprecated artifact has no versions and no stage holders until a later event revives it', () => {
    const base = [tag('m3@v0.0.1', 'c1'), tag('m3#prod#1', 'c1'), tag('m3#prod!#2', 'c1')];
    const assigned = buildGtoState(base.slice(0, 2)).get('m3')!;
    expect(Object.fromEntries(stageHolders(assigned))).toEqual({ prod: 'v0.0.1' });

    const deprecated = buildGtoState([...base, tag('m3@deprecated', 'c1')]).get('m3')!;
    expect(deprecated.deprecated).toBe(true);
    expect(deprecated.deprecation).toEqual({ tag: 'm3@deprecated', date: clock - 1 });
    expect(activeVersions(deprecated)).toEqual([]);
    expect(stageHolders(deprecated).size).toBe(0);
    // The history stays readable (gto history shows deprecated artifacts).
    expect(auditTrail(deprecated).map((event) => event.ref)).toEqual(['m3#prod#1', 'm3#prod!#2']);

    // A later registration revives it, with everything it had before.
    const revived = buildGtoState([
      tag('m3@v0.0.1', 'c1'),
      tag('m3#prod#1', 'c1'),
      tag('m3@deprecated', 'c1'),
      tag('m3@v0.0.2', 'c2'),
    ]).get('m3')!;
    expect(revived.deprecated).toBe(false);
    expect(activeVersions(revived).map((version) => version.version)).toEqual(['v0.0.2', 'v0.0.1']);
    expect(stageHolders(revived).get('prod')).toBe('v0.0.1');

    // So does a later assignment.
    const reassigned = buildGtoState([
      tag('m3@v0.0.1', 'c1'),
      tag('m3@deprecated#2', 'c1'),
      tag('m3#staging#3', 'c1'),
    ]).get('m3')!;
    expect(reassigned.deprecated).toBe(false);
    expect(stageHolders(reassigned).get('staging')).toBe('v0.0.1');
  });

  it('a deprecation only wins when it is strictly the latest event (GTO puts equal-dated version events after it)', () => {
    const at = 9_000;
    const tie = buildGtoState([
      { name: 'nn@v1.0.0', target: 'c1', date: at, message: '' },
      { name: 'nn@deprecated', target: 'c1', date: at, message: '' },
    ]).get('nn')!;
    expect(tie.deprecated).toBe(false);
    const later = buildGtoState([
      { name: 'nn@v1.0.0', target: 'c1', date: at, message: '' },
      { name: 'nn@deprecated', target: 'c1', date: at + 1, message: '' },
    ]).get('nn')!;
    expect(later.deprecated).toBe(true);
    // A deprecation tag alone is an artifact with one event, and not active (gto show with --deprecated only).
    expect(
      buildGtoState([{ name: 'solo@deprecated', target: 'c1', date: at, message: '' }]).get('solo')!
        .deprecated,
    ).toBe(true);
  });
});
