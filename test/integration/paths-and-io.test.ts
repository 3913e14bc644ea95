// The kit's path and I/O rules, through the bundles as the runner runs them: one path rule for every action
// (relative paths against the workspace, absolute paths as given), log lines that cannot inject workflow
// commands, outputs that replace a link instead of writing through it, and user files that must be regular
// files and are never quoted in an error (issue 14 item 1, issue 20 items 3-5; docs/reliability.md).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

const examples = path.join(repoRoot, 'examples');

/** Any line the runner would read as a workflow command other than the ones our hosts write on purpose. */
function injectedCommands(stdout: string): string[] {
  return stdout.split(/\r?\n/).filter((line) => /^\s*(::|##\[)/.test(line) && /pwned/.test(line));
}

describe('one path rule: every path under a directory outside the workspace', () => {
  it('validate-data, evaluate-gate and pr-comment read and write there', async () => {
    const workspace = makeWorkspace('mlops-paths-ws-');
    const outside = mkdtempSync(path.join(tmpdir(), 'mlops-paths-outside-'));
    cpSync(path.join(examples, 'data'), path.join(outside, 'data'), { recursive: true });
    cpSync(path.join(examples, 'expectations.yml'), path.join(outside, 'expectations.yml'));
    // The example's gate without the files it names itself (those resolve against the workspace too).
    writeFileSync(
      path.join(outside, 'gate.yml'),
      'task: binary\nmetrics:\n  roc_auc: { min: 0.8, max_regression: 0.02, method: delong }\nslices:\n  - { column: age_group, metrics: { roc_auc: { min: 0.7 } }, min_support: 30 }\n',
    );
    const at = (file: string) => path.join(outside, file);

    const data = await runBundledAction('validate-data', {
      workspace,
      inputs: {
        data: at('data/current.csv'),
        reference: at('data/*ference.csv'),
        expectations: at('expectations.yml'),
        report: at('reports/validate-data.json'),
        'html-report': at('reports/validate-data.html'),
        'profile-out': at('reports/current.profile.json'),
        'fail-on': 'none',
      },
    });
    expect(data.errors).toEqual([]);
    expect(data.exitCode).toBe(0);
    expect(data.outputs.report).toBe(at('reports/validate-data.json'));
    const dataReport = JSON.parse(readFileSync(at('reports/validate-data.json'), 'utf8'));
    expect(dataReport.data.files).toEqual([at('data/current.csv')]);
    expect(dataReport.drift.detected).toBe(true);
    expect(existsSync(at('reports/validate-data.html'))).toBe(true);
    expect(existsSync(at('reports/current.profile.json'))).toBe(true);

    const gate = await runBundledAction('evaluate-gate', {
      workspace,
      inputs: {
        predictions: at('data/predictions.csv'),
        config: at('gate.yml'),
        report: at('reports/evaluate-gate.json'),
      },
    });
    expect(gate.errors).toEqual([]);
    expect(gate.outputs.passed).toBe('true');
    expect(JSON.parse(readFileSync(at('reports/evaluate-gate.json'), 'utf8')).passed).toBe(true);

    const comment = await runBundledAction('pr-comment', {
      workspace,
      inputs: {
        reports: at('reports/*.json'),
        'pr-number': '7',
        'dry-run': 'true',
        'body-file': at('reports/comment.md'),
      },
    });
    expect(comment.errors).toEqual([]);
    expect(comment.exitCode).toBe(0);
    const body = readFileSync(at('reports/comment.md'), 'utf8');
    expect(body).toContain('**Data validation**');
    expect(body).toContain('**Model gate**');
    // Nothing was written into the workspace.
    expect(existsSync(path.join(workspace, 'mlops-reports'))).toBe(false);
  });

  it("pr-comment still skips a discovered report that links out of its pattern's directory", async () => {
    const workspace = makeWorkspace('mlops-paths-ws-');
    const artifact = mkdtempSync(path.join(tmpdir(), 'mlops-paths-artifact-'));
    const secret = mkdtempSync(path.join(tmpdir(), 'mlops-paths-secret-'));
    writeFileSync(
      path.join(secret, 'promote.json'),
      readFileSync(path.join(repoRoot, 'test/fixtures/reports/promote.json')),
    );
    cpSync(path.join(repoRoot, 'test/fixtures/reports/lineage.json'), path.join(artifact, 'lineage.json'));
    symlinkSync(path.join(secret, 'promote.json'), path.join(artifact, 'promote.json'));
    const result = await runBundledAction('pr-comment', {
      workspace,
      inputs: { reports: `${artifact}/*.json`, 'pr-number': '7', 'dry-run': 'true' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([`skipping ${artifact}/promote.json: it links outside ${artifact}`]);
    const body = readFileSync(path.join(workspace, 'mlops-reports/pr-comment.md'), 'utf8');
    expect(body).toContain('**Model version**');
    expect(body).not.toContain('**Promotion**');
  });
});

describe('log lines cannot inject workflow commands', () => {
  it('a data file named "x\\n::error::pwned.csv" is logged as one escaped line', async () => {
    const workspace = makeWorkspace('mlops-inject-');
    const name = 'x\n::error::pwned\n##[error]pwned.csv';
    cpSync(path.join(examples, 'data/current.csv'), path.join(workspace, name));
    const result = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'x*.csv', 'fail-on': 'none' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(injectedCommands(result.stdout)).toEqual([]);
    expect(result.stdout).toContain('x%0A::error::pwned%0A##[error]pwned.csv');
  });
});

describe('outputs replace a link at their path instead of writing through it', () => {
  it('validate-data report, html-report and profile-out, and pr-comment body-file', async () => {
    const workspace = makeWorkspace('mlops-links-');
    const victims = mkdtempSync(path.join(tmpdir(), 'mlops-victims-'));
    cpSync(path.join(examples, 'data/current.csv'), path.join(workspace, 'current.csv'));
    mkdirSync(path.join(workspace, 'mlops-reports'));
    const targets = {
      report: 'mlops-reports/validate-data.json',
      'html-report': 'mlops-reports/validate-data.html',
      'profile-out': 'mlops-reports/current.profile.json',
      'body-file': 'mlops-reports/pr-comment.md',
    };
    for (const [input, target] of Object.entries(targets)) {
      writeFileSync(path.join(victims, input), 'precious');
      symlinkSync(path.join(victims, input), path.join(workspace, target));
    }
    const data = await runBundledAction('validate-data', {
      workspace,
      inputs: {
        data: 'current.csv',
        report: targets.report,
        'html-report': targets['html-report'],
        'profile-out': targets['profile-out'],
      },
    });
    expect(data.exitCode).toBe(0);
    const comment = await runBundledAction('pr-comment', {
      workspace,
      inputs: {
        reports: targets.report,
        'pr-number': '7',
        'dry-run': 'true',
        'body-file': targets['body-file'],
      },
    });
    expect(comment.exitCode).toBe(0);
    for (const [input, target] of Object.entries(targets)) {
      expect(readFileSync(path.join(victims, input), 'utf8'), input).toBe('precious');
      expect(lstatSync(path.join(workspace, target)).isFile(), input).toBe(true);
    }
    expect(JSON.parse(readFileSync(path.join(workspace, targets.report), 'utf8')).passed).toBe(true);
  });
});

describe('user files: regular files only, never quoted in an error', () => {
  it('a FIFO as data fails at once with a clear error instead of blocking the job', async () => {
    const workspace = makeWorkspace('mlops-fifo-');
    execFileSync('mkfifo', [path.join(workspace, 'data.csv')]);
    const result = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'data.csv' },
      timeoutMs: 20_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "validate-data: input 'data': data.csv: not a regular file: it is a named pipe (FIFO)",
    ]);
  });

  it('a link to /dev/stdin is refused without a stack', async () => {
    const workspace = makeWorkspace('mlops-stdin-');
    symlinkSync('/dev/stdin', path.join(workspace, 'data.csv'));
    const result = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'data.csv' },
      timeoutMs: 20_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^validate-data: input 'data': data\.csv: not a regular file: it leads to \/dev\/\S+, which is a (device|named pipe \(FIFO\))$/,
    );
    expect(result.stdout).not.toMatch(/internal error|at \w+ \(/);
  });

  it('a link to a credentials file is named, its content never printed', async () => {
    const workspace = makeWorkspace('mlops-creds-');
    const secrets = mkdtempSync(path.join(tmpdir(), 'mlops-secrets-'));
    const token = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
    writeFileSync(path.join(secrets, 'credentials'), `${token}\npassword: hunter2\n`);
    cpSync(path.join(examples, 'data/current.csv'), path.join(workspace, 'current.csv'));
    symlinkSync(path.join(secrets, 'credentials'), path.join(workspace, 'reference.profile.json'));
    symlinkSync(path.join(secrets, 'credentials'), path.join(workspace, 'drift.json'));
    const data = await runBundledAction('validate-data', {
      workspace,
      inputs: { data: 'current.csv', reference: 'reference.profile.json' },
    });
    expect(data.exitCode).toBe(1);
    expect(data.errors).toEqual([
      `validate-data: ${path.join(workspace, 'reference.profile.json')} line 1, column 1: not valid JSON (unexpected character)`,
    ]);
    const dispatch = await runBundledAction('dispatch-retrain', {
      workspace,
      inputs: { 'drift-report': 'drift.json', workflow: 'train.yml', 'dry-run': 'true' },
    });
    expect(dispatch.exitCode).toBe(1);
    expect(dispatch.errors).toEqual([
      'dispatch-retrain: drift report drift.json line 1, column 1: not valid JSON (unexpected character)',
    ]);
    for (const result of [data, dispatch]) {
      expect(result.stdout + result.stderr).not.toContain(token);
      expect(result.stdout + result.stderr).not.toContain('hunter2');
    }
  });
});
