// The check file: YAML in, validated checks out, every mistake named with the file, line and key before the
// log is read. Parsing reuses the gate's YAML reader (line numbers, no custom tags, alias limit).

import { nearest, UserError } from '@mlops/kit';
import { type PathSegment, parseYamlSource } from '@mlops/kit/yaml-source';
import { autoMode } from './mode.ts';
import type { CheckConfig, Mode, TrainingConfig } from './types.ts';

const TOP_KEYS = ['step', 'checks'] as const;
/** The keys that name a check; an item has exactly one of them (or min / max alone). */
const KIND_KEYS = ['finite', 'min_decrease', 'max_rise_from_best', 'gap', 'percentile', 'plateau'] as const;
const ITEM_KEYS = ['metric', 'mode', ...KIND_KEYS, 'min', 'max', 'relative'] as const;
const MODES = ['auto', 'min', 'max'] as const;

export function parseTrainingConfig(text: string, file: string): TrainingConfig {
  const source = parseYamlSource(text, file);
  const at = (path: readonly PathSegment[]) => {
    const line = source.lineOf(path);
    const key = path
      .map((segment, index) =>
        typeof segment === 'number' ? `[${segment}]` : `${index > 0 ? '.' : ''}${segment}`,
      )
      .join('');
    return `${file}${line ? ` line ${line}` : ''}${key ? `: ${key}` : ''}`;
  };
  const fail = (path: readonly PathSegment[], message: string): never => {
    throw new UserError(`${at(path)}: ${message}`);
  };

  const data = source.data;
  if (data === null || data === undefined) fail([], "the file is empty; expected a 'checks' list");
  if (typeof data !== 'object' || Array.isArray(data)) fail([], "expected a mapping with a 'checks' list");
  const top = data as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!(TOP_KEYS as readonly string[]).includes(key))
      fail([key], `unknown key${suggest(key, TOP_KEYS)}; expected ${TOP_KEYS.join(', ')}`);
  }
  let step: string | undefined;
  if (top.step !== undefined) {
    if (typeof top.step !== 'string' || top.step.trim() === '')
      fail(['step'], 'expected the name of the key that orders rows (epoch or step)');
    step = (top.step as string).trim();
  }
  if (!Array.isArray(top.checks) || top.checks.length === 0)
    fail(['checks'], 'expected a non-empty list of checks');

  const checks: CheckConfig[] = [];
  (top.checks as unknown[]).forEach((raw, index) => {
    const base: PathSegment[] = ['checks', index];
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      fail(base, 'expected a mapping such as { metric: loss, finite: true }');
    const item = raw as Record<string, unknown>;
    for (const key of Object.keys(item)) {
      if (!(ITEM_KEYS as readonly string[]).includes(key)) {
        fail(
          [...base, key],
          `unknown check '${key}'${suggest(key, ITEM_KEYS)}; checks are ${[...KIND_KEYS, 'min', 'max'].join(', ')}`,
        );
      }
    }
    checks.push(...parseItem(item, base, at(base), fail));
  });

  // Every checked metric is also checked for NaN / inf, as Lightning's EarlyStopping does by default
  // (check_finite=True): the other checks judge finite values only, so without this a NaN could pass.
  const finite = new Set(checks.filter((check) => check.kind === 'finite').map((check) => check.metric));
  for (const metric of checkedMetrics(checks)) {
    if (finite.has(metric)) continue;
    finite.add(metric);
    checks.push({ kind: 'finite', metric, where: `${file} (implied)`, configured: false });
  }
  return { file, ...(step === undefined ? {} : { step }), checks };
}

/** The metrics the checks read, in order, each once. */
export function checkedMetrics(checks: readonly CheckConfig[]): string[] {
  const names: string[] = [];
  for (const check of checks) {
    for (const name of check.kind === 'gap' ? [check.train, check.validation] : [check.metric]) {
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

type Fail = (path: readonly PathSegment[], message: string) => never;

function parseItem(
  item: Record<string, unknown>,
  base: PathSegment[],
  where: string,
  fail: Fail,
): CheckConfig[] {
  const kinds = KIND_KEYS.filter((key) => item[key] !== undefined);
  if (kinds.length > 1)
    fail([...base, kinds[1]!], `one check per item; this one has ${kinds.join(' and ')}: split it`);
  const kind = kinds[0];
  const number = (key: string, options: { min?: number; max?: number; integer?: boolean } = {}) => {
    const value = item[key];
    if (typeof value !== 'number' || !Number.isFinite(value))
      fail([...base, key], `expected a number, got ${JSON.stringify(value)}`);
    const numeric = value as number;
    if (options.integer && !Number.isInteger(numeric))
      fail([...base, key], `expected a whole number, got ${numeric}`);
    if (options.min !== undefined && numeric < options.min)
      fail([...base, key], `must be at least ${options.min}, got ${numeric}`);
    if (options.max !== undefined && numeric > options.max)
      fail([...base, key], `must be at most ${options.max}, got ${numeric}`);
    return numeric;
  };
  const optionalNumber = (key: string) => (item[key] === undefined ? undefined : number(key));
  const name = (value: unknown, path: PathSegment[]): string => {
    if (typeof value !== 'string' || value.trim() === '') fail(path, 'expected a metric name');
    return (value as string).trim();
  };
  const metric = () => {
    if (item.metric === undefined) fail(base, `'${kind ?? 'min / max'}' needs 'metric: <name>'`);
    return name(item.metric, [...base, 'metric']);
  };
  const mode = (metricName: string): Mode => {
    if (item.mode === undefined || item.mode === 'auto') return autoMode(metricName);
    if (item.mode !== 'min' && item.mode !== 'max')
      fail([...base, 'mode'], `expected one of ${MODES.join(', ')}, got ${JSON.stringify(item.mode)}`);
    return item.mode as Mode;
  };
  const refuse = (keys: readonly string[], allowed: string) => {
    for (const key of keys) {
      if (item[key] !== undefined) fail([...base, key], `not used by ${allowed}; remove it`);
    }
  };
  const common = { where, configured: true };

  switch (kind) {
    case 'finite': {
      if (item.finite !== true) fail([...base, 'finite'], 'expected true (finite: false checks nothing)');
      refuse(['min', 'max', 'mode', 'relative'], "'finite'");
      return [{ ...common, kind, metric: metric() }];
    }
    case 'min_decrease':
    case 'max_rise_from_best': {
      refuse(['min', 'max', 'relative'], `'${kind}'`);
      const metricName = metric();
      return [
        { ...common, kind, metric: metricName, threshold: number(kind, { min: 0 }), mode: mode(metricName) },
      ];
    }
    case 'gap': {
      refuse(['metric', 'min'], "'gap' (it names its two metrics under gap: { train, validation })");
      const gap = item.gap;
      if (gap === null || typeof gap !== 'object' || Array.isArray(gap))
        fail([...base, 'gap'], 'expected { train: <metric>, validation: <metric> }');
      const pair = gap as Record<string, unknown>;
      for (const key of Object.keys(pair)) {
        if (key !== 'train' && key !== 'validation')
          fail(
            [...base, 'gap', key],
            `unknown key${suggest(key, ['train', 'validation'])}; expected train, validation`,
          );
      }
      if (item.max === undefined) fail(base, "'gap' needs 'max: <largest allowed gap>'");
      if (item.relative !== undefined && typeof item.relative !== 'boolean')
        fail([...base, 'relative'], 'expected true or false');
      const train = name(pair.train, [...base, 'gap', 'train']);
      const validation = name(pair.validation, [...base, 'gap', 'validation']);
      return [
        {
          ...common,
          kind,
          train,
          validation,
          threshold: number('max'),
          mode: mode(train),
          relative: item.relative === true,
        },
      ];
    }
    case 'percentile': {
      refuse(['mode', 'relative'], "'percentile'");
      const min = optionalNumber('min');
      const max = optionalNumber('max');
      if (min === undefined && max === undefined) fail(base, "'percentile' needs 'max' and / or 'min'");
      if (min !== undefined && max !== undefined && min > max)
        fail([...base, 'min'], `min ${min} is above max ${max}: no value can pass`);
      return [
        {
          ...common,
          kind,
          metric: metric(),
          percentile: number('percentile', { min: 0, max: 100 }),
          ...(min === undefined ? {} : { min }),
          ...(max === undefined ? {} : { max }),
        },
      ];
    }
    case 'plateau': {
      refuse(['min', 'max', 'relative'], "'plateau'");
      const plateau = item.plateau;
      if (plateau === null || typeof plateau !== 'object' || Array.isArray(plateau))
        fail([...base, 'plateau'], 'expected { patience: <steps>, min_delta: <smallest improvement> }');
      const settings = plateau as Record<string, unknown>;
      for (const key of Object.keys(settings)) {
        if (key !== 'patience' && key !== 'min_delta')
          fail(
            [...base, 'plateau', key],
            `unknown key${suggest(key, ['patience', 'min_delta'])}; expected patience, min_delta`,
          );
      }
      const patience = settings.patience;
      if (typeof patience !== 'number' || !Number.isInteger(patience) || patience < 1)
        fail(
          [...base, 'plateau', 'patience'],
          `expected a whole number of steps >= 1, got ${JSON.stringify(patience)}`,
        );
      const minDelta = settings.min_delta ?? 0;
      if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0)
        fail([...base, 'plateau', 'min_delta'], `expected a number >= 0, got ${JSON.stringify(minDelta)}`);
      const metricName = metric();
      return [
        {
          ...common,
          kind,
          metric: metricName,
          patience: patience as number,
          minDelta: minDelta as number,
          mode: mode(metricName),
        },
      ];
    }
    default: {
      if (item.min === undefined && item.max === undefined) {
        fail(base, `no check in this item; expected one of ${[...KIND_KEYS, 'min', 'max'].join(', ')}`);
      }
      refuse(['mode', 'relative'], "'min' / 'max'");
      const metricName = metric();
      const min = optionalNumber('min');
      const max = optionalNumber('max');
      if (min !== undefined && max !== undefined && min > max)
        fail([...base, 'min'], `min ${min} is above max ${max}: no value can pass`);
      return [
        ...(min === undefined
          ? []
          : [{ ...common, kind: 'min' as const, metric: metricName, threshold: min }]),
        ...(max === undefined
          ? []
          : [{ ...common, kind: 'max' as const, metric: metricName, threshold: max }]),
      ];
    }
  }
}

/**
 * " (did you mean 'x'?)": the nearest by edit distance, else the one the word begins (a shortened
 * `max_rise` for `max_rise_from_best`, `valid` for `validation`), else nothing.
 */
export function suggest(word: string, candidates: readonly string[]): string {
  const lower = word.toLowerCase();
  const match =
    nearest(word, candidates) ??
    (lower.length >= 3
      ? candidates.find((candidate) => candidate.toLowerCase().startsWith(lower))
      : undefined);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}
