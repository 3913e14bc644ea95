// The demo's closing screen: what each stage decided, where each report is, and whether the pull-request
// comment would render on GitHub. Reads only the steps' outputs and the reports they wrote.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkCommentMarkdown } from './markdown-check.ts';
import type { StepRecord } from './steps.ts';

export interface SummaryInput {
  records: StepRecord[];
  workspace: string;
  outDir: string;
  /** Registry tags, oldest first. */
  tags: string[];
  /** workflow_dispatch requests the GitHub emulator received. */
  dispatches: { workflow: string; ref: string; inputs: Record<string, unknown> }[];
  /** Comments on the demo pull request in the emulator. */
  comments: number;
  /** Requests the emulator found in breach of GitHub's OpenAPI description. */
  violations: string[];
  seconds: number;
}

export function renderSummary(input: SummaryInput): { text: string; markdown: string; violations: number } {
  const { records, workspace } = input;
  const byId = new Map(records.map((record) => [record.step.id, record]));
  const out = (id: string, name: string) => byId.get(id)?.outputs[name];
  const failed = records.filter((record) => record.status !== 'passed');
  const skipped = records.filter((record) => record.status === 'skipped');
  const lines: string[] = [];

  const validate = byId.get('validate');
  if (validate?.status === 'passed') {
    const report = readValidateReport(path.join(workspace, 'mlops-reports/pr/validate-data.json'));
    const failedChecks = report.checks.filter((check) => check.passed === false);
    const errors = failedChecks.filter((check) => check.severity !== 'warning').length;
    const warnings = failedChecks.length - errors;
    const drifted = Object.entries(report.drift?.columns ?? {})
      .filter(([, column]) => column.drift === true)
      .map(([name]) => name);
    lines.push(
      `data      ${report.checks.length} checks: ${errors} failed, ${warnings} warning(s); ` +
        `drift ${out('validate', 'drift-detected') === 'true' ? 'DETECTED' : 'not detected'}, share ${fixed(out('validate', 'drift-share'), 2)}` +
        (drifted.length > 0 ? ` (${drifted.join(', ')})` : ''),
      ...failedChecks
        .slice(0, 2)
        .map(
          (check) =>
            `          ${check.severity ?? 'error'}: ${check.column ?? 'table'} ${check.check}: ${check.message ?? ''}`,
        ),
    );
  }
  if (byId.get('gate')?.status === 'passed') {
    lines.push(
      `gate      ${out('gate', 'decision') ?? 'passed'}: challenger ${fixed(out('gate', 'challenger'), 3)} vs champion ${fixed(out('gate', 'champion'), 3)}, ` +
        `difference ${signed(out('gate', 'difference'))}, 95% CI [${fixed(out('gate', 'ci-lower'), 3)}, ${fixed(out('gate', 'ci-upper'), 3)}]`,
    );
  }
  if (input.tags.length > 0) {
    const production = out('lookup-production', 'version');
    const rolledBackFrom = out('rollback', 'previous-version');
    const staging = out('promote-v2-staging', 'version');
    lines.push(
      `registry  ${input.tags.length} GTO tags pushed to the bare remote; production ${production ?? '?'}` +
        (rolledBackFrom ? ` (rolled back from ${rolledBackFrom})` : '') +
        (staging ? `, staging ${staging}` : ''),
    );
  }
  const body = path.join(workspace, 'mlops-reports/pr/comment.md');
  if (existsSync(body)) {
    const check = checkCommentMarkdown(readFileSync(body, 'utf8'));
    lines.push(
      `comment   ${check.problems.length === 0 ? 'renders' : `${check.problems.length} rendering problem(s)`}: ` +
        `${check.tables} tables, ${check.charts} Mermaid xychart-beta charts in ${path.relative(process.cwd(), body)}` +
        (check.problems.length > 0 ? `\n          ${check.problems.slice(0, 3).join('\n          ')}` : ''),
    );
  }
  if (byId.get('pr-comment-post')?.status === 'passed') {
    lines.push(
      `          posted as comment ${out('pr-comment-post', 'comment-id') ?? '?'}; the pull request has ${input.comments} comment(s)`,
    );
  }
  for (const id of ['dispatch', 'dispatch-again']) {
    if (byId.get(id)?.status !== 'passed') continue;
    const dispatched = out(id, 'dispatched') === 'true';
    lines.push(`retrain   ${dispatched ? 'DISPATCHED' : 'not dispatched'}: ${out(id, 'reason') ?? ''}`);
  }
  if (input.dispatches.length > 0) {
    lines.push(
      `          GitHub received ${input.dispatches.length} workflow_dispatch(es) of ${input.dispatches[0]!.workflow}`,
    );
  }

  if (input.violations.length > 0) {
    lines.push(`github    ${input.violations.length} request(s) broke GitHub's OpenAPI description:`);
    lines.push(...input.violations.slice(0, 3).map((violation) => `          ${violation}`));
  }
  const reports = listReports(path.join(workspace, 'mlops-reports'));
  const status =
    failed.length === 0 ? 'all steps passed' : `${failed.length} of ${records.length} steps did not pass`;
  const text = [
    `── summary: ${status} in ${input.seconds.toFixed(1)} s ${'─'.repeat(Math.max(0, 50 - status.length))}`,
    ...lines,
    ...failed
      .filter((record) => record.status === 'failed')
      .map((record) => `FAILED    ${record.step.title}: ${record.message ?? ''}`),
    ...(skipped.length > 0
      ? [
          `skipped   ${skipped.length} steps that need a failed one: ${skipped.map((r) => r.step.id).join(', ')}`,
        ]
      : []),
    `reports   ${path.relative(process.cwd(), path.join(workspace, 'mlops-reports'))}/ (${reports.length} files)`,
    ...groupByFolder(reports).map((line) => `          ${line}`),
    `overview  ${path.relative(process.cwd(), path.join(input.outDir, 'summary.md'))}`,
  ].join('\n');

  const markdown = [
    `# mlops demo: ${status}`,
    '',
    '| step | action | result | time |',
    '|---|---|---|---|',
    ...records.map(
      (record) =>
        `| ${record.step.title} | \`${record.step.action}\` | ${record.status === 'passed' ? '✅' : record.status === 'skipped' ? '⏭️ skipped' : `❌ ${escapeCell(record.message ?? '')}`} | ${(record.durationMs / 1000).toFixed(2)} s |`,
    ),
    '',
    '```',
    text,
    '```',
    '',
  ].join('\n');
  return { text, markdown, violations: input.violations.length };
}

interface ValidateReport {
  checks: { column?: string; check: string; passed: boolean; severity?: string; message?: string }[];
  drift?: { columns?: Record<string, { drift?: boolean }> };
}

function readValidateReport(reportFile: string): ValidateReport {
  if (!existsSync(reportFile)) return { checks: [] };
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Partial<ValidateReport>;
  return { checks: report.checks ?? [], ...(report.drift ? { drift: report.drift } : {}) };
}

function listReports(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return files;
}

/** `pr/: comment.md, evaluate-gate.json, ...` one line per folder: the list stays on one screen. */
function groupByFolder(files: string[]): string[] {
  const folders = new Map<string, string[]>();
  for (const file of files) {
    const folder = path.dirname(file) === '.' ? '' : `${path.dirname(file)}/`;
    folders.set(folder, [...(folders.get(folder) ?? []), path.basename(file)]);
  }
  return [...folders].map(([folder, names]) => `${folder.padEnd(10)}${names.join(', ')}`);
}

function fixed(value: string | undefined, digits: number): string {
  const number = Number(value);
  return value === undefined || value === '' || !Number.isFinite(number) ? '–' : number.toFixed(digits);
}

function signed(value: string | undefined): string {
  const number = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(number)) return '–';
  return `${number >= 0 ? '+' : ''}${number.toFixed(3)}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
