// Bad logs and bad check files: every mistake is a UserError naming the file, the line (or log_history
// index) and the key, and saying what was expected.
import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { checkedMetrics, parseTrainingConfig } from './config.ts';
import { autoMode } from './mode.ts';
import { numberOf, parseLog, quoteNonFinite } from './read-log.ts';
import type { LogFormat } from './types.ts';
import { validateTraining } from './validate.ts';

const CHECKS = parseTrainingConfig(
  'checks:\n  - { metric: loss, finite: true }\n  - { metric: val_loss, max_rise_from_best: 0.3 }\n',
  'training.yml',
);

function validate(
  text: string,
  file = 'metrics.csv',
  format: Exclude<LogFormat, 'mlflow'> = 'csv',
  config = CHECKS,
) {
  return validateTraining(parseLog(text, file, format), config);
}

function userError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('bad logs', () => {
  it('an empty log and a header-only log', () => {
    expect(userError(() => validate(''))).toBe('metrics.csv: the log is empty (expected a metrics history)');
    expect(userError(() => validate('epoch,loss,val_loss\n'))).toBe(
      'metrics.csv: the log has a header but no rows (no metrics were logged)',
    );
    expect(userError(() => validate('\n\n', 'log.jsonl', 'jsonl'))).toMatch(/log\.jsonl: the log is empty/);
    expect(userError(() => validate('{"log_history": []}', 'trainer_state.json', 'trainer-state'))).toBe(
      "trainer_state.json: 'log_history' is empty (no metrics were logged)",
    );
  });

  it('a non-numeric value in a checked metric names the line and the key', () => {
    const csv = 'epoch,loss,val_loss\n0,0.9,1.0\n1,oops,0.8\n';
    expect(userError(() => validate(csv))).toBe(
      "metrics.csv line 3: 'loss' must be a number (or nan / inf), got 'oops'",
    );
    const jsonl = '{"epoch": 1, "loss": 0.9, "val_loss": 1}\n{"epoch": 2, "loss": 0.5, "val_loss": "n/a"}\n';
    expect(userError(() => validate(jsonl, 'log.jsonl', 'jsonl'))).toBe(
      "log.jsonl line 2: 'val_loss' must be a number (or nan / inf), got 'n/a'",
    );
    const state = JSON.stringify({
      log_history: [
        { step: 1, loss: 1 },
        { step: 2, loss: [1] },
      ],
    });
    expect(userError(() => validate(state, 'trainer_state.json', 'trainer-state'))).toMatch(
      /^trainer_state\.json line 1 \(log_history\[1\]\): 'loss' must be a number/,
    );
    // Pretty-printed as Hugging Face writes it: the line where that log_history entry starts.
    const pretty = JSON.stringify(
      {
        best_metric: null,
        log_history: [
          { step: 1, loss: 1 },
          { step: 2, loss: 'x', note: '{[' },
        ],
        global_step: 2,
      },
      null,
      2,
    );
    const line = pretty.split('\n').findIndex((text) => text.includes('"loss": "x"')) - 1; // its `{`, 1-based
    expect(userError(() => validate(pretty, 'trainer_state.json', 'trainer-state'))).toMatch(
      new RegExp(`^trainer_state\\.json line ${line} \\(log_history\\[1\\]\\): 'loss' must be a number`),
    );
    // A text column no check reads is simply not a metric.
    const extra = 'epoch,loss,val_loss,note\n0,0.9,1.0,warm-up\n1,0.5,0.8,\n';
    expect(validate(extra).metrics).toEqual(['loss', 'val_loss']);
  });

  it('steps out of order or a metric repeated at one step', () => {
    const backwards = 'epoch,loss,val_loss\n0,0.9,1.0\n1,0.5,0.8\n0,0.95,1.1\n';
    expect(userError(() => validate(backwards))).toBe(
      'metrics.csv line 4: epoch 0 comes after epoch 1 (metrics.csv line 3); steps must not go backwards (two runs appended to one log?)',
    );
    const repeated = 'epoch,loss,val_loss\n0,0.9,1.0\n1,0.5,0.8\n1,0.4,0.7\n';
    expect(userError(() => validate(repeated))).toBe(
      "metrics.csv line 4: 'loss' is logged twice at epoch 1 with different values (also metrics.csv line 3); steps must not repeat a metric (two runs in one log?)",
    );
    expect(userError(() => validate('epoch,loss,val_loss\n0,0.9,1.0\n,0.5,0.8\n'))).toBe(
      "metrics.csv line 3: no value for the step key 'epoch'",
    );
    expect(userError(() => validate('epoch,loss,val_loss\n0,0.9,1.0\nx,0.5,0.8\n'))).toMatch(
      /^metrics\.csv line 3: 'epoch' must be a finite number/,
    );
  });

  it('a metric the log does not have names the check, the nearest metric and the metrics it has', () => {
    const config = parseTrainingConfig(
      'checks:\n  - { metric: loss, finite: true }\n  - { metric: val_los, min: 0.1 }\n',
      'training.yml',
    );
    expect(userError(() => validate('epoch,loss,val_loss\n0,0.9,1.0\n', 'metrics.csv', 'csv', config))).toBe(
      "training.yml line 3: checks[1]: metric 'val_los' is not in metrics.csv (did you mean 'val_loss'?); the log has 'loss', 'val_loss'",
    );
  });

  it('a ragged CSV row and a bad JSON line', () => {
    expect(userError(() => validate('epoch,loss,val_loss\n0,0.9\n'))).toBe(
      'metrics.csv line 2: 2 fields, but the header (line 1) has 3',
    );
    expect(
      userError(() => validate('{"epoch": 1, "loss": 0.9}\n{"epoch": 2,\n', 'log.jsonl', 'jsonl')),
    ).toMatch(/^log\.jsonl line 2: not valid JSON/);
    expect(userError(() => validate('{"epochs": []}', 'state.json', 'trainer-state'))).toMatch(
      /^state\.json: expected a Hugging Face trainer_state\.json with a 'log_history' list/,
    );
  });
});

describe('bad check files', () => {
  const parse = (text: string) => userError(() => parseTrainingConfig(text, 'training.yml'));

  it('an unknown check suggests the nearest one, with its line', () => {
    expect(
      parse('checks:\n  - { metric: loss, finite: true }\n  - { metric: val_loss, max_rise: 0.3 }\n'),
    ).toBe(
      "training.yml line 3: checks[1].max_rise: unknown check 'max_rise' (did you mean 'max_rise_from_best'?); checks are finite, min_decrease, max_rise_from_best, gap, percentile, plateau, min, max",
    );
    expect(parse('checks:\n  - metric: loss\n    min_decrase: 0.1\n')).toMatch(
      /^training\.yml line 3: checks\[0\]\.min_decrase: unknown check 'min_decrase' \(did you mean 'min_decrease'\?\)/,
    );
    expect(parse('step: epoch\nchecs: []\n')).toBe(
      "training.yml line 2: checs: unknown key (did you mean 'checks'?); expected step, checks",
    );
  });

  it('wrong values are named with their key and line', () => {
    expect(parse('checks:\n  - { metric: loss, min_decrease: "ten percent" }\n')).toBe(
      'training.yml line 2: checks[0].min_decrease: expected a number, got "ten percent"',
    );
    expect(parse('checks:\n  - { metric: loss, finite: false }\n')).toMatch(/finite: expected true/);
    expect(parse('checks:\n  - { metric: loss, mode: down, min_decrease: 0.1 }\n')).toBe(
      'training.yml line 2: checks[0].mode: expected one of auto, min, max, got "down"',
    );
    expect(parse('checks:\n  - { metric: loss, finite: true, min_decrease: 0.1 }\n')).toMatch(
      /one check per item; this one has finite and min_decrease: split it/,
    );
    expect(parse('checks:\n  - { metric: grad_norm, percentile: 99 }\n')).toMatch(
      /'percentile' needs 'max' and \/ or 'min'/,
    );
    expect(parse('checks:\n  - { gap: { train: accuracy, valid: val_accuracy }, max: 0.05 }\n')).toMatch(
      /checks\[0\]\.gap\.valid: unknown key \(did you mean 'validation'\?\)/,
    );
    expect(parse('checks:\n  - { metric: val_loss, plateau: { patience: 0 } }\n')).toMatch(
      /plateau\.patience: expected a whole number of steps >= 1/,
    );
    expect(parse('checks:\n  - { metric: loss }\n')).toMatch(
      /^training\.yml line 2: checks\[0\]: no check in this item/,
    );
    expect(parse('')).toBe("training.yml: the file is empty; expected a 'checks' list");
    expect(parse('checks: [\n')).toMatch(/^training\.yml line \d+: not valid YAML/);
  });

  it('every checked metric gets a finite check, implied when not configured', () => {
    const config = parseTrainingConfig(
      'checks:\n  - { metric: loss, min_decrease: 0.1 }\n  - { gap: { train: accuracy, validation: val_accuracy }, max: 0.05 }\n',
      'training.yml',
    );
    expect(checkedMetrics(config.checks)).toEqual(['loss', 'accuracy', 'val_accuracy']);
    const implied = config.checks.filter((check) => check.kind === 'finite');
    expect(implied.map((check) => [check.kind === 'finite' && check.metric, check.configured])).toEqual([
      ['loss', false],
      ['accuracy', false],
      ['val_accuracy', false],
    ]);
  });
});

describe('values and directions', () => {
  it("reads Python's non-finite spellings and the protobuf strings", () => {
    expect(numberOf('nan')).toBeNaN();
    expect(numberOf('NaN')).toBeNaN();
    expect(numberOf('inf')).toBe(Number.POSITIVE_INFINITY);
    expect(numberOf('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(numberOf('1e-3')).toBe(0.001);
    expect(numberOf('0x10')).toBeUndefined();
    expect(numberOf('')).toBeUndefined();
    expect(
      JSON.parse(quoteNonFinite('{"a": NaN, "b": -Infinity, "c": "NaN Infinity", "d": [Infinity]}')),
    ).toEqual({
      a: 'NaN',
      b: '-Infinity',
      c: 'NaN Infinity',
      d: ['Infinity'],
    });
  });

  it('mode auto as Keras decides it: accuracy-like names go up, the rest down', () => {
    expect(
      ['val_accuracy', 'eval_accuracy', 'acc', 'val_auc', 'f1', 'val_precision', 'recall'].map(autoMode),
    ).toEqual(Array(7).fill('max'));
    expect(['loss', 'val_loss', 'eval_loss', 'grad_norm', 'mae'].map(autoMode)).toEqual(Array(5).fill('min'));
  });

  it('a metric that improves upwards: min_decrease reads as "improved by", max_rise as "fell from the best"', () => {
    const config = parseTrainingConfig(
      'checks:\n  - { metric: val_accuracy, min_decrease: 0.5 }\n  - { metric: val_accuracy, max_rise_from_best: 0.1 }\n',
      'c.yml',
    );
    const report = validate('epoch,val_accuracy\n0,0.5\n1,0.9\n2,0.72\n', 'm.csv', 'csv', config);
    const [decrease, rise] = report.checks;
    expect(decrease!.observed).toBeCloseTo(0.8, 12);
    expect(decrease!.passed).toBe(true);
    expect(rise!.observed).toBeCloseTo(0.2, 12);
    expect(rise!.passed).toBe(false);
    expect(rise!.step).toBe(2);
  });

  it('rows ordered by position when the log has neither step nor epoch', () => {
    const report = validate(
      '{"loss": 1, "val_loss": 1}\n{"loss": 0.5, "val_loss": 0.6}\n',
      'l.jsonl',
      'jsonl',
    );
    expect(report.step_key).toBe('');
    expect(report.steps).toBe(2);
    expect(report.passed).toBe(true);
  });
});
