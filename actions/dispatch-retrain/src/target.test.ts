import { InputError, Inputs } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { clientPayload, FINGERPRINT_INPUT, readTarget, workflowInputs } from './target.ts';

const inputsOf = (values: Record<string, string>) => new Inputs((name) => values[name], '/work/repo');
const message = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('readTarget', () => {
  it('reads a workflow_dispatch target and adds the fingerprint and title inputs', () => {
    const target = readTarget(inputsOf({ workflow: 'train.yml', inputs: '{"epochs": 20}' }), true);
    expect(target).toEqual({ kind: 'workflow_dispatch', workflow: 'train.yml', userInputs: { epochs: 20 } });
    if (target.kind !== 'workflow_dispatch') throw new Error('unreachable');
    expect(workflowInputs(target, true, 'abc', 'Retrain: x [mlops:abc]')).toEqual({
      epochs: 20,
      mlops_fingerprint: 'abc',
      mlops_reason: 'Retrain: x [mlops:abc]',
    });
    expect(workflowInputs(target, false, 'abc', 't')).toEqual({ epochs: 20 });
  });

  it('refuses what GitHub would refuse, naming the input (25 inputs, 10 payload keys, 100-character event type)', () => {
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`i${i}`, i])));
    expect(message(() => readTarget(inputsOf({ workflow: 'w.yml', inputs: many }), true))).toMatch(
      /at most 25 inputs; 24 given plus .* is 26/,
    );
    expect(readTarget(inputsOf({ workflow: 'w.yml', inputs: many }), false).kind).toBe('workflow_dispatch');
    const keys = JSON.stringify(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i])));
    expect(message(() => readTarget(inputsOf({ 'event-type': 'retrain', inputs: keys }), true))).toMatch(
      /at most 10 top-level keys .* give at most 9, got 10/,
    );
    expect(message(() => readTarget(inputsOf({ 'event-type': 'x'.repeat(101) }), true))).toMatch(
      /at most 100 characters/,
    );
    expect(
      message(() =>
        readTarget(inputsOf({ workflow: 'w.yml', inputs: `{"${FINGERPRINT_INPUT}": "x"}` }), true),
      ),
    ).toMatch(/set by this action/);
    expect(message(() => readTarget(inputsOf({ workflow: 'w.yml', inputs: '[1]' }), true))).toMatch(
      /expected a JSON object/,
    );
    expect(message(() => readTarget(inputsOf({}), true))).toMatch(/give workflow .* or event-type/);
  });

  it("builds a repository_dispatch payload with the user's keys and ours under 'mlops'", () => {
    const target = readTarget(inputsOf({ 'event-type': 'retrain', inputs: '{"model": "churn"}' }), true);
    if (target.kind !== 'repository_dispatch') throw new Error('unreachable');
    const columns = Array.from({ length: 60 }, (_, i) => ({ name: `c${i}` }));
    const payload = clientPayload(target, {
      fingerprint: 'f',
      reason: 'drift in 60 columns',
      title: 't',
      signal: { share: 0.5, columns } as never,
      ref: undefined,
      sourceRunUrl: 'https://github.com/o/r/actions/runs/1',
    });
    expect(payload.model).toBe('churn');
    const ours = payload.mlops as Record<string, unknown>;
    expect(ours.drifted_columns).toHaveLength(50);
    expect(ours.source_run_url).toBe('https://github.com/o/r/actions/runs/1');
    expect('ref' in ours).toBe(false);
  });
});
