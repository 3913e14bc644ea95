// The `mlops` command: every action's main, runnable outside GitHub with the same inputs and reports.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@mlops/kit/cli-runner';
import { main as dispatchRetrain } from './dispatch-retrain/src/main.ts';
import { main as evaluateGate } from './evaluate-gate/src/main.ts';
import { main as lookupModel } from './lookup-model/src/main.ts';
import { main as prComment } from './pr-comment/src/main.ts';
import { main as promote } from './promote/src/main.ts';
import { main as registerModel } from './register-model/src/main.ts';
import { main as validateData } from './validate-data/src/main.ts';

// The bundle lives at dist/cli/index.mjs; action.yml files (inputs and defaults) are two levels up.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

process.exitCode = await runCli(
  process.argv.slice(2),
  {
    'validate-data': validateData,
    'evaluate-gate': evaluateGate,
    'register-model': registerModel,
    promote,
    'lookup-model': lookupModel,
    'dispatch-retrain': dispatchRetrain,
    'pr-comment': prComment,
  },
  repoRoot,
);
