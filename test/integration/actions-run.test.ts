import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadActionMetadata } from '@mlops/kit/action-metadata';
import { describe, expect, it } from 'vitest';
import { listActions } from '../../scripts/docs.mjs';
import { repoRoot, runBundledAction } from '../harness/runner.ts';

// Every JavaScript action in the repository (the composite `gate` runs these bundles).
const actions = listActions().filter((action) =>
  loadActionMetadata(repoRoot, action).runs.using.startsWith('node'),
);

describe('every bundled action runs as the runner runs it', () => {
  for (const action of actions) {
    it(`${action}: a missing required input fails with one ::error:: line, no stack trace, no outputs`, async () => {
      const metadata = loadActionMetadata(repoRoot, action);
      expect(existsSync(path.join(repoRoot, 'actions', action, metadata.runs.main))).toBe(true);
      const required = Object.entries(metadata.inputs)
        .filter(([, input]) => input.required)
        .map(([name]) => name);
      const result = await runBundledAction(action, {
        inputs: Object.fromEntries(required.map((name) => [name, ''])),
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(new RegExp(`^${action}: `));
      expect(result.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(result.outputs).toEqual({});
    });
  }
});
