// Security properties that hold for the whole code base, checked statically.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/runner.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const productionSources = [
  ...sources(path.join(repoRoot, 'packages')),
  ...sources(path.join(repoRoot, 'actions')),
];

describe('no shell command is ever built from input', () => {
  it('child processes are started with execFile/spawn and an argument array, never a shell', () => {
    const offenders: string[] = [];
    for (const file of productionSources) {
      const text = readFileSync(file, 'utf8');
      const importsShellExec =
        /import\s*\{[^}]*\b(exec|execSync)\b[^}]*\}\s*from\s*['"](node:)?child_process['"]/.test(text);
      const namespaceExec = /\b(child_process|childProcess|cp)\.(exec|execSync)\s*\(/.test(text);
      if (importsShellExec || namespaceExec || /shell\s*:\s*true/.test(text)) {
        offenders.push(path.relative(repoRoot, file));
      }
    }
    expect(offenders).toEqual([]);
  });

  it('library packages never import @actions/* (only the kit runner host does)', () => {
    const offenders = productionSources
      .filter((file) => file.includes(`${path.sep}packages${path.sep}`))
      .filter((file) => !file.endsWith(path.join('kit', 'src', 'github-runner.ts')))
      .filter((file) => /from ['"]@actions\//.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });

  it('no code evaluates strings, apart from the two reviewed constant texts', () => {
    const found = productionSources.flatMap((file) =>
      stringEvaluations(readFileSync(file, 'utf8')).map(
        (kind) => `${path.relative(repoRoot, file)}: ${kind}`,
      ),
    );
    // Reviewed: the AUC bootstrap starts its threads from the source text of its own kernel functions
    // (docs/reliability.md); validate-data's Parquet thread takes V8's `gc` from a new context by the
    // constant text 'gc' (collect-garbage.ts). No input reaches either text. Any other evaluation of a
    // string fails here.
    expect(found.sort()).toEqual([
      'actions/validate-data/src/collect-garbage.ts: vm.run*',
      'packages/stats/src/compare/auc-bootstrap.ts: Worker eval: true',
    ]);
  });

  it('the scanner itself finds every form it looks for', () => {
    expect(stringEvaluations('const x = eval(code);')).toEqual(['eval(']);
    expect(stringEvaluations('new Function("a", body)')).toEqual(['new Function(']);
    expect(stringEvaluations('new Worker(src, {\n  eval: true,\n})')).toEqual(['Worker eval: true']);
    expect(stringEvaluations('vm.runInNewContext(s); new vm.Script(s)')).toEqual(['vm.run*', 'vm.Script']);
    expect(stringEvaluations('setTimeout("alert(1)", 5)')).toEqual(['timer with a string']);
    expect(stringEvaluations('// no eval here: evaluate(x); medieval(y)')).toEqual([]);
  });
});

/** The ways JavaScript turns a string into code, found in a source text (comments included: be strict). */
function stringEvaluations(text: string): string[] {
  const kinds: [string, RegExp][] = [
    ['eval(', /(?<![\w.$])eval\s*\(/],
    ['new Function(', /new\s+Function\s*\(/],
    ['Worker eval: true', /\beval\s*:\s*true\b/],
    ['vm.run*', /\brunIn(New|This)?Context\s*\(/],
    ['vm.Script', /new\s+(vm\.)?Script\s*\(/],
    ['timer with a string', /\bset(Timeout|Interval|Immediate)\s*\(\s*['"`]/],
  ];
  return kinds.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind);
}

describe('workflows never hand a write token to untrusted pull-request code', () => {
  const workflowDir = path.join(repoRoot, '.github', 'workflows');
  const workflows = readdirSync(workflowDir).filter((file) => /\.ya?ml$/.test(file));

  it('no workflow uses pull_request_target (it runs with a write token on fork PRs)', () => {
    for (const file of workflows) {
      expect(readFileSync(path.join(workflowDir, file), 'utf8'), file).not.toMatch(/pull_request_target/);
    }
  });

  it('a job that can run on pull_request holds at most pull-requests: write (read-only on forks)', () => {
    const dangerous = ['contents', 'actions', 'deployments', 'packages', 'id-token', 'statuses', 'checks'];
    for (const file of workflows) {
      const workflow = parse(readFileSync(path.join(workflowDir, file), 'utf8')) as {
        on: Record<string, unknown> | string | string[];
        jobs: Record<
          string,
          { if?: string; needs?: string | string[]; permissions?: Record<string, string> | string }
        >;
      };
      const triggers =
        typeof workflow.on === 'string'
          ? [workflow.on]
          : Array.isArray(workflow.on)
            ? workflow.on
            : Object.keys(workflow.on);
      if (!triggers.includes('pull_request')) continue;
      // A job never sees pull_request code when its own `if` excludes the event, or when it needs such a job
      // and does not opt into always() (a skipped dependency skips it).
      const guarded = (name: string): boolean => {
        const job = workflow.jobs[name]!;
        if (
          job.if &&
          /github\.event_name\s*!=\s*'pull_request'|github\.event_name\s*==\s*'(schedule|push|workflow_dispatch)'/.test(
            job.if,
          )
        )
          return true;
        const needs = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
        return !/always\(\)/.test(job.if ?? '') && needs.some(guarded);
      };
      for (const [name, job] of Object.entries(workflow.jobs)) {
        if (guarded(name)) continue;
        const permissions = typeof job.permissions === 'object' ? job.permissions : {};
        const writes = Object.entries(permissions).filter(
          ([scope, level]) => level === 'write' && dangerous.includes(scope),
        );
        expect(writes, `${file}: job ${name}`).toEqual([]);
        expect(job.permissions, `${file}: job ${name} must declare its permissions`).not.toBe('write-all');
      }
    }
  });
});
