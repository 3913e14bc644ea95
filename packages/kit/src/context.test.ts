import { describe, expect, it } from 'vitest';
import { type ActionHost, runWithHost } from './context.ts';
import { didYouMean, InputError, UserError } from './errors.ts';
import { Inputs } from './inputs.ts';
import { RecordingLogger } from './logger.ts';

function recordingHost() {
  const record = {
    outputs: new Map<string, string>(),
    summary: '',
    failed: [] as string[],
    bugs: [] as string[],
  };
  const host: ActionHost = {
    io: {
      inputs: new Inputs(() => undefined, '/ws'),
      logger: new RecordingLogger(),
      env: {
        workspace: '/ws',
        tempDir: '/tmp',
        apiUrl: 'http://127.0.0.1:9',
        serverUrl: 'https://github.com',
      },
      setSecret() {},
    },
    async writeOutputs(outputs) {
      record.outputs = new Map(outputs);
    },
    async writeSummary(markdown) {
      record.summary += markdown;
    },
    setFailed: (message) => record.failed.push(message),
    reportBug: (detail) => record.bugs.push(detail),
  };
  return { host, record };
}

describe('runWithHost', () => {
  it('writes outputs and summary on success', async () => {
    const { host, record } = recordingHost();
    const code = await runWithHost(
      'demo',
      async (io) => {
        io.setOutput('passed', true);
        io.appendSummary('# ok');
      },
      host,
    );
    expect(code).toBe(0);
    expect(Object.fromEntries(record.outputs)).toEqual({ passed: 'true' });
    expect(record.summary).toBe('# ok');
    expect(record.failed).toEqual([]);
  });

  it('a user error fails with one message, no stack, and no partial outputs', async () => {
    const { host, record } = recordingHost();
    const code = await runWithHost(
      'demo',
      async (io) => {
        io.setOutput('half', 'written');
        throw new InputError('data', 'file not found');
      },
      host,
    );
    expect(code).toBe(1);
    expect(record.failed).toEqual(["demo: input 'data': file not found"]);
    expect(record.bugs).toEqual([]);
    expect(record.outputs.size).toBe(0);
  });

  it('a bug is reported with its stack and marked internal', async () => {
    const { host, record } = recordingHost();
    await runWithHost(
      'demo',
      async () => {
        (undefined as unknown as { x: number }).x;
      },
      host,
    );
    expect(record.failed[0]).toMatch(/^demo: internal error/);
    expect(record.bugs[0]).toMatch(/TypeError/);
  });

  it('a verdict failure still writes outputs, then fails', async () => {
    const { host, record } = recordingHost();
    const code = await runWithHost(
      'gate',
      async (io) => {
        io.setOutput('passed', false);
        io.fail('the challenger is worse than the champion');
      },
      host,
    );
    expect(code).toBe(1);
    expect(record.outputs.get('passed')).toBe('false');
    expect(record.failed).toEqual(['gate: the challenger is worse than the champion']);
  });

  it('caps an oversized summary below the runner limit', async () => {
    const { host, record } = recordingHost();
    await runWithHost('demo', async (io) => io.appendSummary('x'.repeat(2_000_000)), host);
    expect(Buffer.byteLength(record.summary)).toBeLessThanOrEqual(1_000_000);
    expect(record.summary).toMatch(/truncated/);
  });
});

describe('didYouMean', () => {
  it('suggests the nearest name and stays quiet when nothing is close', () => {
    expect(didYouMean('roc_acu', ['roc_auc', 'accuracy'])).toBe(" (did you mean 'roc_auc'?)");
    expect(didYouMean('zzzzzz', ['roc_auc', 'accuracy'])).toBe('');
    expect(new UserError('x').name).toBe('UserError');
  });
});

describe('errors from packages that do not import kit', () => {
  it('an error carrying USER_ERROR_MARK is a UserError (one line, no stack), and only a UserError', async () => {
    const mark = Symbol.for('mlops.user-error');
    class MarkedError extends Error {
      readonly [mark] = true;
    }
    const marked = new MarkedError('yTrue has 10 values, yScore has 9');
    expect(marked).toBeInstanceOf(UserError);
    expect(marked).not.toBeInstanceOf(InputError);
    expect(new Error('plain')).not.toBeInstanceOf(UserError);
    expect(new InputError('data', 'x')).toBeInstanceOf(UserError);
    const { host, record } = recordingHost();
    await runWithHost(
      'demo',
      async () => {
        throw marked;
      },
      host,
    );
    expect(record.failed).toEqual(['demo: yTrue has 10 values, yScore has 9']);
    expect(record.bugs).toEqual([]);
  });

  it("another copy of kit's UserError (an action's start file and its logic each bundle kit) is a UserError", async () => {
    // A query makes it another module instance, as a second bundled copy is.
    const copy: typeof import('./errors.ts') = await import('./errors.ts?another-copy' as string);
    expect(copy.UserError).not.toBe(UserError);
    const theirs = new copy.UserError('gate.yml line 4: unknown metric');
    expect(theirs).toBeInstanceOf(UserError);
    expect(new UserError('x')).toBeInstanceOf(copy.UserError);
    expect(new copy.InputError('data', 'x')).toBeInstanceOf(UserError);
    expect(new Error('plain')).not.toBeInstanceOf(copy.UserError);
    const { host, record } = recordingHost();
    await runWithHost(
      'demo',
      async () => {
        throw theirs;
      },
      host,
    );
    expect(record.failed).toEqual(['demo: gate.yml line 4: unknown metric']);
    expect(record.bugs).toEqual([]);
  });
});
