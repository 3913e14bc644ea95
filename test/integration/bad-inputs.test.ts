// The bad-input corpus: every action's bundle, run as the runner runs it, must answer each mistake with
// exit 1, exactly one `::error::` line that names the problem, no stack trace, no outputs, no registry
// change, and within a time bound. Files live in test/fixtures/bad/; large ones are generated here.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

interface BadCase {
  name: string;
  action: string;
  inputs: Record<string, string>;
  /** What the one error line must say (file, column, input, expectation). */
  expect: RegExp;
  event?: unknown;
  eventName?: string;
  /** The case needs a git repository workspace; its tags must be unchanged afterwards. */
  git?: boolean;
}

// Bad input must fail promptly, never hang (a FIFO, an endless line): a bound with room for a loaded 2-core
// machine (the slowest case, the 10,000-column file, is measured in bench/validate-data.md).
const TIME_BOUND_MS = 45_000;
const corpus = path.join(repoRoot, 'test', 'fixtures', 'bad');
const vd = (name: string, inputs: Record<string, string>, expect: RegExp): BadCase => ({
  name,
  action: 'validate-data',
  inputs,
  expect,
});
const gate = (name: string, inputs: Record<string, string>, expect: RegExp): BadCase => ({
  name,
  action: 'evaluate-gate',
  inputs,
  expect,
});
const dispatch = (name: string, inputs: Record<string, string>, expect: RegExp): BadCase => ({
  name,
  action: 'dispatch-retrain',
  inputs: { workflow: 'train.yml', 'dry-run': 'true', ...inputs },
  expect,
});

const cases: BadCase[] = [
  // data files
  vd('missing data file', { data: 'does-not-exist.csv' }, /data file not found: does-not-exist\.csv/),
  vd('empty file', { data: 'empty.csv' }, /empty\.csv.*empty|empty\.csv.*no (header|rows|data)/i),
  vd('header only', { data: 'header-only.csv' }, /header-only\.csv.*(no (data )?rows|only a header|empty)/i),
  vd('ragged rows', { data: 'ragged.csv' }, /ragged\.csv.*line 3/i),
  vd(
    'wrong delimiter',
    { data: 'semicolon.csv', expectations: 'missing-column.yml' },
    /semicolon\.csv: line 1: .*the delimiter looks like ';'/,
  ),
  vd('invalid UTF-8', { data: 'invalid-utf8.csv' }, /invalid-utf8\.csv.*(UTF-8|utf-8|encoding)/i),
  vd(
    'unterminated quote',
    { data: 'unterminated-quote.csv' },
    /unterminated-quote\.csv.*(quote|unterminated|unclosed)/i,
  ),
  vd('truncated gzip', { data: 'truncated.csv.gz' }, /truncated\.csv\.gz: gzip data is corrupt or truncated/),
  vd('not parquet', { data: 'not-parquet.parquet' }, /not-parquet\.parquet is not a readable Parquet file/),
  vd(
    'truncated parquet',
    { data: 'generated/truncated.parquet' },
    /truncated\.parquet is not a readable Parquet file; it is truncated or corrupt/,
  ),
  vd('broken JSON line', { data: 'broken.jsonl' }, /broken\.jsonl: line 3, column \d+: not valid JSON$/),
  vd(
    'JSON lines that are not objects',
    { data: 'arrays.jsonl' },
    /arrays\.jsonl: line 1: expected a JSON object per line, got an array$/,
  ),
  vd('duplicate header', { data: 'duplicate-header.csv' }, /duplicate-header\.csv.*(duplicate|'a')/i),
  vd('junk after a closing quote', { data: 'junk-after-quote.csv' }, /junk-after-quote\.csv.*line 2/i),
  vd(
    'non-numeric value in a forced number column',
    { data: 'not-numeric-forced.csv', 'column-types': 'amount:number' },
    /not-numeric-forced\.csv.*amount.*abc|amount.*'abc'/i,
  ),
  vd(
    'a 10,000-column file with a missing expected column',
    { data: 'generated/wide.csv', expectations: 'missing-column.yml' },
    /column 'missing_col' named in the expectations is not in the data/,
  ),
  vd(
    'a 16 MB line',
    { data: 'generated/huge-line.csv' },
    /huge-line\.csv: line 2: a quoted field is never closed/,
  ),
  vd('a byte-order mark and nothing else', { data: 'bom-only.csv' }, /bom-only\.csv is empty/),
  vd(
    'a non-ASCII delimiter (the parser reads bytes)',
    { data: 'crlf-ragged.csv', delimiter: '§' },
    /delimiter.*expected one ASCII character \(or 'tab'\), got '§'/,
  ),
  vd('only blank lines', { data: 'only-newlines.csv' }, /only-newlines\.csv is empty/),
  vd('ragged rows with CRLF endings', { data: 'crlf-ragged.csv' }, /crlf-ragged\.csv.*line 3/i),
  vd('a NUL byte', { data: 'nul-byte.csv' }, /nul-byte\.csv: line 2 contains a NUL byte/),
  vd(
    'NaN literal in JSON lines',
    { data: 'nan-literal.jsonl' },
    /nan-literal\.jsonl: line 2, column 6: not valid JSON$/,
  ),
  vd(
    'missing reference',
    { data: 'ok-small.csv', reference: 'nope/*.csv' },
    /no file matches 'nope\/\*\.csv'/,
  ),
  // expectations files
  vd(
    'unparseable YAML',
    { data: 'ok-small.csv', expectations: 'unparseable.yml' },
    /unparseable\.yml line 3: not valid YAML: Flow sequence/,
  ),
  vd(
    'unknown check name',
    { data: 'ok-small.csv', expectations: 'unknown-check.yml' },
    /not_nul.*did you mean 'not_null'/,
  ),
  vd(
    'column absent from the data',
    { data: 'ok-small.csv', expectations: 'missing-column.yml' },
    /column 'missing_col' named in the expectations is not in the data \(columns: x, y\)/,
  ),
  vd(
    'YAML alias bomb',
    { data: 'ok-small.csv', expectations: 'alias-bomb.yml' },
    /alias-bomb\.yml: Excessive alias count .*too many YAML aliases/,
  ),
  vd(
    'YAML custom tag',
    { data: 'ok-small.csv', expectations: 'custom-tag.yml' },
    /custom-tag\.yml line 1: not valid YAML: Unresolved tag: tag:yaml\.org,2002:python/,
  ),
  vd(
    'expectations not a mapping',
    { data: 'ok-small.csv', expectations: 'not-a-mapping.yml' },
    /not-a-mapping\.yml: expected a mapping with 'columns' .*got a list/,
  ),
  vd(
    'wrong value type',
    { data: 'ok-small.csv', expectations: 'wrong-type.yml' },
    /wrong-type\.yml line 3: columns\.x\.min: expected a number/,
  ),
  vd(
    'contradictory bounds',
    { data: 'ok-small.csv', expectations: 'contradictory.yml' },
    /contradictory\.yml line 2: columns\.x: min \(10\) is greater than max \(1\)/,
  ),
  vd(
    'invalid regex',
    { data: 'ok-small.csv', expectations: 'bad-regex.yml' },
    /bad-regex\.yml line 3: columns\.x\.regex: expected a valid regular expression/,
  ),
  vd(
    'mostly out of range',
    { data: 'ok-small.csv', expectations: 'bad-mostly.yml' },
    /bad-mostly\.yml line 3: columns\.x\.mostly: expected a share between 0 and 1.*1\.5/,
  ),
  vd(
    'unknown GE expectation',
    { data: 'ok-small.csv', expectations: 'ge-unknown-expectation.json' },
    /unknown expectation 'expect_column_values_to_be_frobnicated'/,
  ),
  vd(
    'malformed GE suite',
    { data: 'ok-small.csv', expectations: 'ge-malformed.json' },
    /ge-malformed\.json line 1: expectations: expected a Great Expectations suite/,
  ),
  vd(
    'profile with a foreign schema',
    { data: 'ok-small.csv', reference: 'wrong-schema.profile.json' },
    /wrong-schema\.profile\.json: not a valid mlops\.profile\/v1 profile: schema is "something-else"/,
  ),
  vd(
    'profile that is not JSON',
    { data: 'ok-small.csv', reference: 'not-json.profile.json' },
    /not-json\.profile\.json line 1, column 2: not valid JSON/,
  ),
  vd(
    'fail-on typo',
    { data: 'ok-small.csv', 'fail-on': 'sometimes' },
    /input 'fail-on': expected one of error, drift, both, none, got 'sometimes'/,
  ),
  vd(
    'drift-share out of range',
    { data: 'ok-small.csv', 'drift-share': '1.5' },
    /input 'drift-share': must be at most 1, got 1\.5/,
  ),
  vd(
    'unknown drift method',
    { data: 'ok-small.csv', reference: 'ok-small.csv', 'drift-method': 'ks2' },
    /input 'drift-method': expected one of .*got 'ks2'/,
  ),
  // Absolute paths are used as given (one path rule for every action): a missing one is named.
  vd(
    'absolute path that does not exist',
    { data: '/nonexistent-mlops/data.csv' },
    /data file not found: \/nonexistent-mlops\/data\.csv/,
  ),
  // evaluate-gate
  gate(
    'labels not binary',
    { predictions: 'labels-not-binary.csv', metric: 'roc_auc' },
    /label.*(binary|0 and 1|'2'|2)/i,
  ),
  gate(
    'scores outside [0, 1]',
    { predictions: 'scores-out-of-range.csv', metric: 'roc_auc' },
    /challenger.*(\[0, ?1\]|between 0 and 1|probabilit)/i,
  ),
  gate(
    'NaN scores',
    { predictions: 'nan-scores.csv', metric: 'roc_auc' },
    /challenger.*(NaN|missing|not a number)/i,
  ),
  gate(
    'empty scores',
    { predictions: 'empty-scores.csv', metric: 'roc_auc' },
    /challenger.*(empty|missing|null)/i,
  ),
  gate(
    'infinite scores',
    { predictions: 'infinite-scores.csv', metric: 'roc_auc' },
    /(challenger|champion).*(Infinity|finite|\[0, ?1\]|between 0 and 1)/i,
  ),
  gate(
    'text scores',
    { predictions: 'text-scores.csv', metric: 'roc_auc' },
    /challenger.*(high|number|numeric)/i,
  ),
  gate(
    'missing label column',
    { predictions: 'missing-label-column.csv', metric: 'roc_auc' },
    /no label column 'label'; columns: y, challenger, champion/,
  ),
  gate(
    'one class only',
    { predictions: 'one-class.csv', metric: 'roc_auc' },
    /(one class|both classes|only one|single class)/i,
  ),
  gate(
    'missing predictions file',
    { predictions: 'nope.csv', metric: 'roc_auc' },
    /data file not found: \S*nope\.csv/,
  ),
  gate(
    'unknown metric in the config',
    { predictions: 'good-predictions.csv', config: 'gate-unknown-metric.yml' },
    /roc_acu.*did you mean 'roc_auc'/,
  ),
  gate(
    'unknown metric input',
    { predictions: 'good-predictions.csv', metric: 'f1score', min: '0.5' },
    /input 'metric': unknown metric 'f1score'/,
  ),
  gate(
    'contradictory thresholds',
    { predictions: 'good-predictions.csv', config: 'gate-contradictory.yml' },
    /gate-contradictory\.yml line 2: metrics\.roc_auc: min 0\.9 is above max 0\.8/,
  ),
  gate(
    'slice column absent',
    { predictions: 'good-predictions.csv', config: 'gate-missing-slice-column.yml' },
    /no slice column 'country'/,
  ),
  gate(
    'confidence out of range',
    { predictions: 'good-predictions.csv', config: 'gate-bad-confidence.yml' },
    /gate-bad-confidence\.yml line 1: confidence: must be less than 1, got 1\.5/,
  ),
  gate(
    'unknown top-level key',
    { predictions: 'good-predictions.csv', config: 'gate-unknown-key.yml' },
    /metrcs.*did you mean 'metrics'/,
  ),
  gate(
    'unknown task',
    { predictions: 'good-predictions.csv', config: 'gate-unknown-task.yml' },
    /task: expected one of binary, multiclass, regression, got 'ranking'/,
  ),
  gate(
    'unknown comparison method',
    { predictions: 'good-predictions.csv', config: 'gate-unknown-method.yml' },
    /metrics\.roc_auc\.method: expected one of delong, bootstrap, mcnemar, got 'magic'/,
  ),
  gate(
    'metrics not a mapping',
    { predictions: 'good-predictions.csv', config: 'gate-metrics-not-mapping.yml' },
    /gate-metrics-not-mapping\.yml line 1: metrics: expected a mapping \(key: value\), got a list/,
  ),
  gate(
    'negative resamples',
    { predictions: 'good-predictions.csv', config: 'gate-negative-resamples.yml' },
    /bootstrap\.resamples: must be at least 100, got -5/,
  ),
  gate(
    'unknown fairness metric',
    { predictions: 'good-predictions.csv', config: 'gate-unknown-fairness-metric.yml' },
    /fairness\[0\]\.metric: expected one of .*got 'demographic_parity_sparkle'/,
  ),
  gate(
    'gate file alias bomb',
    { predictions: 'good-predictions.csv', config: 'gate-alias-bomb.yml' },
    /gate-alias-bomb\.yml: Excessive alias count .*too many YAML aliases/,
  ),
  gate(
    'confidence input not a number',
    { predictions: 'good-predictions.csv', metric: 'roc_auc', confidence: 'high' },
    /input 'confidence': expected a number, got 'high'/,
  ),
  // registry
  {
    name: 'invalid model name',
    action: 'register-model',
    inputs: { name: '-bad name!', 'model-path': 'ok-small.csv', remote: '' },
    expect: /name '-bad name!' is not a valid artifact name/,
    git: true,
  },
  {
    name: 'invalid semver',
    action: 'register-model',
    inputs: { name: 'churn', 'model-path': 'ok-small.csv', version: '1.2', remote: '' },
    expect: /input 'version' '1\.2' is not a semantic version/,
    git: true,
  },
  {
    name: 'missing model files',
    action: 'register-model',
    inputs: { name: 'churn', 'model-path': 'model/nope.bin', remote: '' },
    expect: /input 'model-path': 'model\/nope\.bin' does not exist/,
    git: true,
  },
  {
    name: 'truncated metrics JSON',
    action: 'register-model',
    inputs: { name: 'churn', 'model-path': 'ok-small.csv', metrics: 'metrics-truncated.json', remote: '' },
    expect: /input 'metrics': 'metrics-truncated\.json' line 1, column 29: not valid JSON/,
    git: true,
  },
  {
    name: 'unparseable params',
    action: 'register-model',
    inputs: { name: 'churn', 'model-path': 'ok-small.csv', params: 'params-unparseable.yml', remote: '' },
    expect: /input 'params': 'params-unparseable\.yml' is not YAML or JSON: line 2, column 1: Flow sequence/,
    git: true,
  },
  {
    name: 'unknown bump',
    action: 'register-model',
    inputs: { name: 'churn', 'model-path': 'ok-small.csv', bump: 'huge', remote: '' },
    expect: /input 'bump': expected one of major, minor, patch, got 'huge'/,
    git: true,
  },
  {
    name: 'unknown backend',
    action: 'register-model',
    inputs: { name: 'churn', 'model-path': 'ok-small.csv', backend: 'postgres', remote: '' },
    expect: /input 'backend': expected one of git, mlflow, got 'postgres'/,
    git: true,
  },
  {
    name: 'unreachable MLflow',
    action: 'register-model',
    inputs: {
      name: 'churn',
      'model-path': 'ok-small.csv',
      backend: 'mlflow',
      'mlflow-tracking-uri': 'http://127.0.0.1:9',
      // A source MLflow can load: the default (the GitHub tree URL) is refused before any request.
      'artifact-uri': 's3://models/churn/1',
    },
    expect: /cannot reach the MLflow server at http:\/\/127\.0\.0\.1:9/,
    git: true,
  },
  {
    name: 'promote an unknown version',
    action: 'promote',
    inputs: { name: 'churn', stage: 'production', version: 'v9.9.9', remote: '' },
    expect: /cannot promote churn v9\.9\.9 to production: model 'churn' has no registered versions/,
    git: true,
  },
  {
    name: 'promote to a stage not allowed',
    action: 'promote',
    inputs: {
      name: 'churn',
      stage: 'prod-ish',
      version: 'latest',
      'allowed-stages': 'staging,production',
      remote: '',
    },
    expect: /stage 'prod-ish' is not allowed \(allowed: staging, production\)/,
    git: true,
  },
  {
    name: 'rollback with no history',
    action: 'promote',
    inputs: { name: 'churn', stage: 'production', rollback: 'true', remote: '' },
    expect: /cannot roll back churn production \(no history to roll back to\)/,
    git: true,
  },
  {
    name: 'lookup of an unassigned stage',
    action: 'lookup-model',
    inputs: { name: 'churn', stage: 'production', remote: '' },
    expect: /no version of 'churn' holds stage 'production'/,
    git: true,
  },
  // dispatch-retrain
  dispatch(
    'drift report that is not JSON',
    { 'drift-report': 'drift-report-not-json.json' },
    /drift report drift-report-not-json\.json line 1, column 2: not valid JSON/,
  ),
  dispatch(
    'report of another kind',
    { 'drift-report': 'drift-report-wrong-kind.json' },
    /drift-report-wrong-kind\.json.*(validate-data|evaluate-gate)/,
  ),
  dispatch(
    'report without a drift section',
    { 'drift-report': 'drift-report-no-drift-section.json' },
    /drift-report-no-drift-section\.json has no 'drift' section/,
  ),
  dispatch(
    'report with wrong types',
    { 'drift-report': 'drift-report-wrong-types.json' },
    /drift-report-wrong-types\.json: 'drift\.detected' must be true or false, got "yes"/,
  ),
  dispatch('missing drift report', { 'drift-report': 'nope.json' }, /drift report nope\.json does not exist/),
  dispatch('inputs not JSON', { 'drift-detected': 'true', inputs: '{oops' }, /input 'inputs': expected JSON/),
  dispatch(
    'too many workflow inputs',
    {
      'drift-detected': 'true',
      inputs: JSON.stringify(Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, 'v']))),
    },
    /input 'inputs': workflow_dispatch takes at most 25 inputs; 26 given/,
  ),
  dispatch(
    'event type too long',
    { workflow: '', 'event-type': 'x'.repeat(101), 'drift-detected': 'true' },
    /event-type.*100/,
  ),
  dispatch(
    'neither workflow nor event type',
    { workflow: '', 'drift-detected': 'true' },
    /workflow.*event-type/,
  ),
  dispatch(
    'cooldown typo',
    { 'drift-detected': 'true', cooldown: 'tomorrow' },
    /input 'cooldown': expected a duration such as 30m, 24h or 7d, got 'tomorrow'/,
  ),
  // pr-comment
  {
    name: 'malformed report JSON',
    action: 'pr-comment',
    inputs: { reports: 'reports-malformed/*.json', 'dry-run': 'true' },
    expect: /report reports-malformed\/broken\.json line 1, column 38: not valid JSON/,
  },
  {
    name: 'unknown mode',
    action: 'pr-comment',
    inputs: { reports: 'reports-malformed/*.json', mode: 'shout', 'dry-run': 'true' },
    expect: /input 'mode': expected one of upsert, .*got 'shout'/,
  },
  {
    name: 'no pull request in the event',
    action: 'pr-comment',
    inputs: { reports: 'drift-report-wrong-kind.json', token: 'ghs_test' },
    // A pull_request event whose payload lacks the pull request (a push run is skipped with a notice instead).
    event: JSON.parse(readFileSync(path.join(corpus, 'event-without-pr.json'), 'utf8')),
    eventName: 'pull_request',
    expect: /input 'pr-number': the pull_request event payload names no pull request/,
  },
  {
    name: 'pr-number not a number',
    action: 'pr-comment',
    inputs: { reports: 'reports-malformed/*.json', 'pr-number': 'twelve' },
    expect: /input 'pr-number': expected a pull request number in decimal digits, got 'twelve'/,
  },
];

let workspaceTemplate: string;

beforeAll(() => {
  workspaceTemplate = makeWorkspace('mlops-bad-');
  cpSync(corpus, workspaceTemplate, { recursive: true });
  const generated = path.join(workspaceTemplate, 'generated');
  execFileSync('mkdir', ['-p', generated]);
  const columns = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
  writeFileSync(
    path.join(generated, 'wide.csv'),
    `${columns.join(',')}\n${columns.map((_, i) => i).join(',')}\n`,
  );
  writeFileSync(path.join(generated, 'huge-line.csv'), `a,b\n1,"${'x'.repeat(16 * 2 ** 20)}\n`);
  // A real Parquet file cut in half: the footer (and its magic bytes) are gone.
  const parquet = readFileSync(path.join(corpus, 'valid.parquet'));
  writeFileSync(
    path.join(generated, 'truncated.parquet'),
    parquet.subarray(0, Math.floor(parquet.length / 2)),
  );
});

function prepareWorkspace(needsGit: boolean): string {
  const workspace = makeWorkspace('mlops-bad-case-');
  cpSync(workspaceTemplate, workspace, { recursive: true });
  if (needsGit) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '--allow-empty', '-m', 'init');
  }
  return workspace;
}

const tags = (workspace: string) => execFileSync('git', ['tag', '-l'], { cwd: workspace, encoding: 'utf8' });

describe('bad-input corpus', () => {
  // A guard on the table itself (not behaviour): a refactor that drops cases or an action fails here.
  it('guard: the corpus keeps at least 60 cases over every action', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.action)).size).toBe(7);
  });

  for (const badCase of cases) {
    it(`${badCase.action}: ${badCase.name}`, async () => {
      const workspace = prepareWorkspace(badCase.git ?? false);
      const before = badCase.git ? tags(workspace) : '';
      const result = await runBundledAction(badCase.action, {
        inputs: badCase.inputs,
        workspace,
        event: badCase.event,
        ...(badCase.eventName ? { eventName: badCase.eventName } : {}),
        timeoutMs: TIME_BOUND_MS,
      });
      const context = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
      expect(result.exitCode, context).toBe(1);
      expect(result.errors, context).toHaveLength(1);
      expect(result.errors[0], context).toMatch(new RegExp(`^${badCase.action}: `));
      expect(result.errors[0], context).not.toMatch(/internal error|not yet implemented/);
      expect(result.errors[0], context).toMatch(badCase.expect);
      expect(`${result.stdout}${result.stderr}`, context).not.toMatch(/\n\s+at .+\(?.+:\d+:\d+\)?/);
      expect(result.outputs, context).toEqual({});
      expect(result.durationMs).toBeLessThan(TIME_BOUND_MS);
      if (badCase.git) expect(tags(workspace)).toBe(before);
    });
  }
});
