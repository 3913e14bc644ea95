// Behavioral tests from a file (CheckList, Ribeiro et al. ACL 2020; marcotcr/checklist expect.py): one row per
// model input with both models' scores. A test case is an original (variant 0) and its perturbations; it
// passes only if every perturbation passes (CheckList's agg_fn 'all_except_first'):
//   minimum (MFT)      every row predicts its label;
//   invariance (INV)   every perturbation keeps the original's predicted label (and |Δscore| <= tolerance when
//                      a tolerance is given);
//   directional (DIR)  every perturbation moves the score the expected way: Δ + tol >= 0 for increase,
//                      Δ - tol <= 0 for decrease. A case that cannot fail (increase with an original score <=
//                      tol, decrease with one >= 1 - tol, on probabilities) is left out and counted apart.
// fail rate = failed cases / evaluated cases (cases, not rows: Giskard counts rows). Champion and challenger
// are compared on the same cases by exact McNemar on the discordant outcomes.
import { type Cell, type Table, toCells } from '@mlops/data';
import { didYouMean, UserError } from '@mlops/kit';
import { mcnemarTest } from '@mlops/stats';
import {
  BEHAVIORAL_TYPES,
  type BehavioralBounds,
  type BehavioralConfig,
  type BehavioralType,
  type Task,
} from './config-types.ts';
import { fmt } from './format.ts';
import type { BehavioralTestReport, GateResult } from './report-types.ts';

const EXPECTATIONS = ['increase', 'decrease'] as const;
type Expectation = (typeof EXPECTATIONS)[number];

/** One model input of a behavioral file. */
interface BehavioralInput {
  /** 1-based data row (header not counted), for messages. */
  row: number;
  variant: number;
  expect?: Expectation;
  label?: number;
  tolerance?: number;
  challenger: number;
  champion?: number;
}

interface BehavioralCase {
  id: string;
  /** Variant 0 first, then the perturbations in variant order. */
  inputs: BehavioralInput[];
}

export interface BehavioralTest {
  name: string;
  type: BehavioralType;
  cases: BehavioralCase[];
}

/** A behavioral file read and checked: its tests in order of first appearance. */
export interface BehavioralSuite {
  file: string;
  tests: BehavioralTest[];
  hasChampion: boolean;
}

export interface BehavioralLoadOptions {
  file: string;
  /** The predictions file's score columns: the behavioral file uses the same names. */
  columns: { challenger: string; champion: string };
  task: Task;
  /** Class names (binary: [negative, positive]), to read labels and predicted classes written as names. */
  classes?: readonly string[];
}

/**
 * Reads a behavioral file.
 * @throws UserError naming the file, row and column of every malformed input: a missing column, an unknown
 * type or expectation, a case without its original (variant 0), a repeated variant.
 */
export function loadBehavioral(table: Table, options: BehavioralLoadOptions): BehavioralSuite {
  const { file } = options;
  if (table.rowCount === 0)
    throw new UserError(`${file}: no rows: a behavioral file needs at least one case`);
  const column = (name: string, required: boolean): Cell[] | undefined => {
    const values = table.data[name];
    if (values) return toCells(values);
    if (!required) return undefined;
    throw new UserError(
      `${file}: no column '${name}'${didYouMean(name, table.columns)}; a behavioral file has test, type, case, variant, expect, label, tolerance and the score columns (${options.columns.challenger}, ${options.columns.champion}); columns: ${table.columns.join(', ')}`,
    );
  };
  const cells = {
    test: column('test', true)!,
    type: column('type', true)!,
    case: column('case', true)!,
    variant: column('variant', true)!,
    expect: column('expect', false),
    label: column('label', false),
    tolerance: column('tolerance', false),
    challenger: column(options.columns.challenger, true)!,
    champion: column(options.columns.champion, false),
  };
  const reader = new RowReader(options);
  const tests = new Map<string, BehavioralTest>();
  const caseMaps = new Map<string, Map<string, BehavioralCase>>();
  for (let i = 0; i < table.rowCount; i++) {
    const at = `${file} row ${i + 1}`;
    const name = reader.text(at, 'test', cells.test[i]);
    const type = reader.choice(at, 'type', cells.type[i], BEHAVIORAL_TYPES);
    let test = tests.get(name);
    if (!test) {
      test = { name, type, cases: [] };
      tests.set(name, test);
      caseMaps.set(name, new Map());
    } else if (test.type !== type) {
      throw new UserError(
        `${at}: column 'type': test '${name}' is ${test.type} on its first row, ${type} here`,
      );
    }
    const input: BehavioralInput = {
      row: i + 1,
      variant: reader.variant(at, cells.variant[i]),
      challenger: reader.score(at, options.columns.challenger, cells.challenger[i]),
    };
    if (cells.champion) input.champion = reader.score(at, options.columns.champion, cells.champion[i]);
    const tolerance = reader.optionalNumber(at, 'tolerance', cells.tolerance?.[i]);
    if (tolerance !== undefined) input.tolerance = tolerance;
    if (type === 'directional' && input.variant > 0)
      input.expect = reader.choice(at, 'expect', cells.expect?.[i] ?? null, EXPECTATIONS);
    if (type === 'minimum') input.label = reader.label(at, cells.label?.[i] ?? null);
    const id = reader.text(at, 'case', cells.case[i]);
    const cases = caseMaps.get(name)!;
    let entry = cases.get(id);
    if (!entry) {
      entry = { id, inputs: [] };
      cases.set(id, entry);
      test.cases.push(entry);
    }
    const twin = entry.inputs.find((other) => other.variant === input.variant);
    if (twin) {
      throw new UserError(
        `${at}: test '${name}' case '${id}' has variant ${input.variant} twice (rows ${twin.row} and ${input.row}): each perturbation needs its own variant number`,
      );
    }
    entry.inputs.push(input);
  }
  for (const test of tests.values()) checkCases(file, test);
  return { file, tests: [...tests.values()], hasChampion: cells.champion !== undefined };
}

/** Every case has its original (variant 0) and, unless it is a minimum test, a perturbation. */
function checkCases(file: string, test: BehavioralTest): void {
  for (const entry of test.cases) {
    entry.inputs.sort((a, b) => a.variant - b.variant);
    if (entry.inputs[0]!.variant !== 0) {
      throw new UserError(
        `${file} row ${entry.inputs[0]!.row}: test '${test.name}' case '${entry.id}' has no original (variant 0); variants found: ${entry.inputs.map((input) => input.variant).join(', ')}`,
      );
    }
    if (test.type !== 'minimum' && entry.inputs.length < 2) {
      throw new UserError(
        `${file} row ${entry.inputs[0]!.row}: ${test.type} test '${test.name}' case '${entry.id}' has an original and no perturbation (variant 1 or more)`,
      );
    }
  }
}

/** Typed reads of one row's cells, each refusal naming the row and column. */
class RowReader {
  constructor(private readonly options: BehavioralLoadOptions) {}

  text(at: string, name: string, cell: Cell | undefined): string {
    if (cell === null || cell === undefined || String(cell).trim() === '')
      throw new UserError(`${at}: column '${name}' is empty`);
    return String(cell);
  }

  choice<T extends string>(at: string, name: string, cell: Cell | undefined, choices: readonly T[]): T {
    const value = cell === null || cell === undefined ? '' : String(cell).trim();
    if (!(choices as readonly string[]).includes(value)) {
      throw new UserError(
        `${at}: column '${name}': expected one of ${choices.join(', ')}, got ${value === '' ? 'nothing' : `'${value}'${didYouMean(value, choices)}`}`,
      );
    }
    return value as T;
  }

  variant(at: string, cell: Cell | undefined): number {
    const value = typeof cell === 'number' ? cell : Number(cell);
    if (cell === null || cell === undefined || !Number.isInteger(value) || value < 0)
      throw new UserError(
        `${at}: column 'variant': expected a whole number >= 0 (0 = the original), got '${cell}'`,
      );
    return value;
  }

  optionalNumber(at: string, name: string, cell: Cell | undefined): number | undefined {
    if (cell === null || cell === undefined || cell === '') return undefined;
    const value = Number(cell);
    if (!Number.isFinite(value) || value < 0)
      throw new UserError(`${at}: column '${name}': expected a number >= 0, got '${cell}'`);
    return value;
  }

  /** A score: a probability (binary), a class (multiclass, by name or index) or a prediction (regression). */
  score(at: string, name: string, cell: Cell | undefined): number {
    if (this.options.task === 'multiclass') return this.classIndex(at, name, cell);
    const value = typeof cell === 'number' ? cell : Number(cell);
    if (cell === null || cell === undefined || cell === '' || !Number.isFinite(value))
      throw new UserError(`${at}: column '${name}': expected a number, got '${cell ?? ''}'`);
    if (this.options.task === 'binary' && (value < 0 || value > 1))
      throw new UserError(`${at}: column '${name}' is ${value}: binary scores are probabilities in [0, 1]`);
    return value;
  }

  label(at: string, cell: Cell | null): number {
    if (cell === null || cell === '')
      throw new UserError(`${at}: column 'label' is empty: a minimum test row needs its expected label`);
    if (this.options.task === 'regression') return this.score(at, 'label', cell);
    if (this.options.task === 'multiclass') return this.classIndex(at, 'label', cell);
    const text = String(cell).trim().toLowerCase();
    const [negative, positive] = this.options.classes ?? [];
    if (['1', 'true', 'yes', positive?.toLowerCase()].includes(text)) return 1;
    if (['0', 'false', 'no', negative?.toLowerCase()].includes(text)) return 0;
    throw new UserError(
      `${at}: column 'label': expected ${positive ?? 1} or ${negative ?? 0}, got '${cell}'`,
    );
  }

  private classIndex(at: string, name: string, cell: Cell | undefined): number {
    const classes = this.options.classes ?? [];
    const index = classes.indexOf(String(cell));
    if (index >= 0) return index;
    throw new UserError(
      `${at}: column '${name}': expected one of the classes ${classes.join(', ')}, got '${cell ?? ''}'`,
    );
  }
}

/** One model's outcome of one case: passed, failed, or left out (a directional case that cannot fail). */
type Outcome = 'pass' | 'fail' | 'excluded';

interface JudgeContext {
  task: Task;
  threshold: number;
}

function judgeCase(
  type: BehavioralType,
  entry: BehavioralCase,
  model: 'challenger' | 'champion',
  context: JudgeContext,
): Outcome {
  const score = (input: BehavioralInput) => input[model]!;
  const predicted = (value: number) =>
    context.task === 'binary' ? (value >= context.threshold ? 1 : 0) : value;
  // Regression has no predicted label: "the same label" is "within the tolerance".
  const sameLabel = (a: number, b: number, tolerance: number) =>
    context.task === 'regression' ? Math.abs(a - b) <= tolerance : predicted(a) === predicted(b);
  const [original, ...perturbations] = entry.inputs;
  const base = original!.tolerance ?? 0;
  if (type === 'minimum') {
    return entry.inputs.every((input) => sameLabel(score(input), input.label!, input.tolerance ?? 0))
      ? 'pass'
      : 'fail';
  }
  const origin = score(original!);
  if (type === 'invariance') {
    const kept = perturbations.every((input) => {
      const tolerance = input.tolerance ?? original!.tolerance;
      return (
        sameLabel(origin, score(input), tolerance ?? 0) &&
        (tolerance === undefined || Math.abs(score(input) - origin) <= tolerance)
      );
    });
    return kept ? 'pass' : 'fail';
  }
  const probabilities = context.task === 'binary';
  const direction = perturbations[0]!.expect;
  if (probabilities && perturbations.every((input) => input.expect === direction)) {
    if (direction === 'increase' && origin <= base) return 'excluded';
    if (direction === 'decrease' && origin >= 1 - base) return 'excluded';
  }
  const moved = perturbations.every((input) => {
    const tolerance = input.tolerance ?? base;
    const delta = score(input) - origin;
    return input.expect === 'increase' ? delta + tolerance >= 0 : delta - tolerance <= 0;
  });
  return moved ? 'pass' : 'fail';
}

/** Every test of the suite judged for both models, and its gates. */
export function evaluateBehavioral(
  suite: BehavioralSuite,
  config: BehavioralConfig,
  context: JudgeContext,
): { reports: BehavioralTestReport[]; gates: GateResult[] } {
  const reports: BehavioralTestReport[] = [];
  const gates: GateResult[] = [];
  for (const test of suite.tests) {
    const bounds: BehavioralBounds = { ...pick(config), ...config.tests[test.name] };
    const judged = (model: 'challenger' | 'champion') =>
      test.cases.map((entry) => judgeCase(test.type, entry, model, context));
    const challenger = judged('challenger');
    const champion = suite.hasChampion ? judged('champion') : undefined;
    const report = testReport(test, challenger, champion, bounds);
    reports.push(report);
    if (bounds.max_fail_rate !== undefined || bounds.max_regression !== undefined) {
      gates.push({
        name: `behavioral ${test.name}`,
        kind: 'behavioral',
        passed: report.passed,
        severity: 'error',
        observed: report.fail_rate.challenger,
        threshold: report.threshold,
        message: `behavioral test '${test.name}' (${test.type}): ${report.message}`,
      });
    }
  }
  return { reports, gates };
}

function pick(config: BehavioralConfig): BehavioralBounds {
  return {
    ...(config.max_fail_rate !== undefined ? { max_fail_rate: config.max_fail_rate } : {}),
    ...(config.max_regression !== undefined ? { max_regression: config.max_regression } : {}),
  };
}

const EXAMPLES = 10;

function testReport(
  test: BehavioralTest,
  challenger: Outcome[],
  champion: Outcome[] | undefined,
  bounds: BehavioralBounds,
): BehavioralTestReport {
  const tally = (outcomes: Outcome[]) => {
    const failed = outcomes.filter((outcome) => outcome === 'fail').length;
    const excluded = outcomes.filter((outcome) => outcome === 'excluded').length;
    const evaluated = outcomes.length - excluded;
    return { failed, excluded, rate: evaluated === 0 ? null : failed / evaluated };
  };
  const a = tally(challenger);
  const b = champion ? tally(champion) : undefined;
  // Discordant cases for McNemar; a case that cannot fail for a model counts as a pass for it.
  let onlyChallengerFails = 0;
  let onlyChampionFails = 0;
  if (champion) {
    challenger.forEach((outcome, index) => {
      const failA = outcome === 'fail';
      const failB = champion[index] === 'fail';
      if (failA && !failB) onlyChallengerFails++;
      else if (failB && !failA) onlyChampionFails++;
    });
  }
  const threshold: Record<string, number> = {};
  if (bounds.max_fail_rate !== undefined) threshold.max_fail_rate = bounds.max_fail_rate;
  if (bounds.max_regression !== undefined) threshold.max_regression = bounds.max_regression;
  const problems: string[] = [];
  if (a.rate === null && Object.keys(threshold).length > 0) problems.push('no case could be evaluated');
  if (a.rate !== null && bounds.max_fail_rate !== undefined && a.rate > bounds.max_fail_rate)
    problems.push(`fail rate ${fmt(a.rate)} is above ${bounds.max_fail_rate}`);
  if (a.rate !== null && bounds.max_regression !== undefined && b?.rate !== null && b !== undefined) {
    const regression = a.rate - b.rate!;
    if (regression > bounds.max_regression)
      problems.push(
        `fails ${fmt(regression)} more of the cases than the champion (allowed ${bounds.max_regression})`,
      );
  }
  const examples = test.cases
    .filter((_, index) => challenger[index] === 'fail')
    .slice(0, EXAMPLES)
    .map((entry) => entry.id);
  const summary = `${a.failed} of ${test.cases.length - a.excluded} cases failed${a.excluded ? ` (${a.excluded} that cannot fail left out)` : ''}${b ? `, the champion ${b.failed}` : ''}`;
  return {
    test: test.name,
    type: test.type,
    cases: test.cases.length,
    excluded: { challenger: a.excluded, ...(b ? { champion: b.excluded } : {}) },
    failed: { challenger: a.failed, ...(b ? { champion: b.failed } : {}) },
    fail_rate: { challenger: a.rate, ...(b ? { champion: b.rate } : {}) },
    mcnemar_p: champion ? mcnemarTest(onlyChampionFails, onlyChallengerFails, { exact: true }).pValue : null,
    threshold,
    passed: problems.length === 0,
    examples,
    message:
      problems.length > 0
        ? `${problems.join('; ')}: ${summary}`
        : Object.keys(threshold).length === 0
          ? `${summary} (reported only: no bound set)`
          : summary,
  };
}
