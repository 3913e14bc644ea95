// The GitHub the demo talks to: the test harness's REST emulator on 127.0.0.1, seeded with the example
// repository and its pipeline workflow, so dispatch-retrain makes real HTTP requests and gets real answers.
import * as emulator from '../../test/harness/github-emulator.ts';

export interface DemoGitHub {
  url: string;
  /** Set when the emulator is unavailable: steps that need the API then fail with their own message. */
  problem?: string;
  dispatches(): Promise<{ workflow: string; ref: string; inputs: Record<string, unknown> }[]>;
  close(): Promise<void>;
}

export async function startGitHub(options: {
  repository: string;
  workflow: string;
  sha: string;
}): Promise<DemoGitHub> {
  const start = (emulator as Record<string, unknown>).startGitHubEmulator;
  if (typeof start !== 'function') {
    return {
      // Nothing listens on port 9: an API call fails at once with a connection error.
      url: 'http://127.0.0.1:9',
      problem: 'the GitHub emulator (test/harness/github-emulator.ts) is not available; API steps will fail',
      dispatches: async () => [],
      close: async () => {},
    };
  }
  void options;
  throw new Error('emulator adapter not written yet');
}
