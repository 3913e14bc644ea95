// The decision: counts per look in, an mlops.canary-analysis/v1 report out. Every look since started-at is
// re-judged on each run, so the verdict is anytime-valid without any state between workflow runs.
import { CANARY_ANALYSIS_SCHEMA } from '@mlops/schemas';
import { type CanaryConfig, nextStep } from './config.ts';
import { type KayentaResult, kayentaJudge } from './kayenta-judge.ts';
import { mixturePrecision, normalMixtureRadius } from './normal-mixture.ts';
import { moreCanaryRequestsToPromote, plannedInformation, plannedInformationFor } from './planning.ts';
import type { PredictionsReport } from './predictions.ts';
import { canaryEventShare, logMixtureEValue, ratioInterval } from './proportion-test.ts';
import { chiSquareSrm, type SrmResult, sequentialSrm } from './srm.ts';

/** Cumulative counts of one version at each look (grid time). */
export interface ArmCounts {
  trials: Float64Array;
  events: Float64Array;
  /** kind: mean: cumulative sums of the values and of their squares. */
  sum?: Float64Array;
  sumSquares?: Float64Array;
}

export interface MetricCounts {
  name: string;
  /** Undefined: the trials query returned no series for that version. */
  baseline?: ArmCounts;
  canary?: ArmCounts;
  /** Counter resets seen in this metric's series (reported, not an error). */
  resets?: number;
  /** True when the events query returned no series for either version (zero events, or a wrong query). */
  eventsEmpty?: boolean;
}

export interface AnalysisInput {
  config: CanaryConfig;
  baseline: string;
  canary: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  now: number;
  /** The look times (ms), ascending; counts are cumulative from startedAt to each. */
  times: readonly number[];
  metrics: readonly MetricCounts[];
  /** Source description for the report (kind, url or file, queries). */
  source: Record<string, unknown>;
  /** File source: the predictions comparison (descriptive), carried into the report. */
  predictions?: PredictionsReport;
}

export type Decision = 'promote' | 'continue' | 'rollback' | 'inconclusive';
export type MetricStatus = 'regressed' | 'within' | 'undecided' | 'no-data';

export interface ArmSummary {
  requests: number;
  events: number;
  rate: number | null;
  /** kind: mean: the mean and standard deviation of the values. */
  mean?: number | null;
  sd?: number | null;
}

export interface MetricResult {
  name: string;
  kind: 'proportion' | 'mean';
  status: MetricStatus;
  events_query: string;
  trials_query: string;
  baseline: ArmSummary;
  canary: ArmSummary;
  /** Observed rate ratio canary / baseline (null without baseline events). */
  ratio: number | null;
  /** Anytime-valid interval for the ratio at the last look (1 − 2·alpha_side). */
  ratio_bounds: [number | null, number | null];
  max_increase: number;
  rollback_margin: number;
  alpha_side: number;
  /** Largest e-value over the looks against "canary rate <= (1 + rollback_margin) × baseline" (null for the normal method). */
  rollback_e_value: number | null;
  promote_e_value: number | null;
  e_value_threshold: number;
  /** Minutes since started-at of the first look that proved the regression / the limit, else null. */
  rollback_at_minutes: number | null;
  within_at_minutes: number | null;
  /** Canary requests still needed to prove the limit if the canary is as good as the baseline. */
  needs_canary_requests: number | null;
  counter_resets: number;
  /** On a rollback: the lower bound (ratio, or difference) at the look that proved it. */
  rollback_bound?: number | null;
  /** kind: mean: the value column, the canary's mean minus the baseline's in the worse direction, its bounds and limits. */
  value_column?: string;
  worse?: 'higher' | 'lower';
  difference?: number | null;
  difference_bounds?: [number | null, number | null];
  max_difference?: number;
  rollback_difference?: number;
}

export interface Look {
  minutes: number;
  canary_requests: number;
  baseline_requests: number;
  bounds: Record<string, [number | null, number | null]>;
}

export interface CanaryReport {
  schema: typeof CANARY_ANALYSIS_SCHEMA;
  decision: Decision;
  reason: string;
  passed: boolean;
  next_traffic_percent: number;
  baseline: string;
  canary: string;
  started_at: string;
  now: string;
  elapsed_minutes: number;
  soak_minutes: number;
  alpha: number;
  method: string;
  source: Record<string, unknown>;
  traffic: {
    expected_canary_percent: number;
    observed_canary_percent: number | null;
    baseline_requests: number;
    canary_requests: number;
    srm: SrmResult & { threshold: number; broken: boolean; metric: string };
  };
  judge: 'sequential' | 'kayenta';
  /** judge: kayenta: the NetflixACAJudge-style scoring that made the decision. */
  kayenta?: KayentaReport;
  metrics: MetricResult[];
  /** File source with `predictions:`: how the two versions' predictions compare (descriptive). */
  predictions?: PredictionsReport;
  needs: { canary_requests: number | null; minutes: number | null };
  looks: Look[];
  warnings: string[];
}

/** How kind: mean metrics are judged (named in the report when the config has one). */
export const MEAN_METHOD_TEXT =
  'means: normal-mixture confidence sequence on the difference of means with plug-in variances (asymptotic, anytime-valid at every look)';

export const METHOD_TEXT = {
  exact:
    'exact conditional binomial test with a beta-mixture e-process per side (anytime-valid at every look)',
  normal:
    'normal-mixture confidence sequence on the log rate ratio (asymptotic, anytime-valid at every look)',
} as const;

const MAX_CHART_LOOKS = 24;

export function analyseCanary(input: AnalysisInput): CanaryReport {
  const { config, times } = input;
  const last = times.length - 1;
  const alphaSide = config.alpha / (2 * config.metrics.length);
  const threshold = Math.log(1 / alphaSide);
  const minutesAt = (k: number) => (times[k]! - input.startedAt) / 60_000;
  const elapsedMinutes = (input.now - input.startedAt) / 60_000;
  const warnings: string[] = [];

  const chartLooks = pickChartLooks(times.length);
  const looks: Look[] = chartLooks.map((k) => ({
    minutes: round(minutesAt(k), 3),
    canary_requests: 0,
    baseline_requests: 0,
    bounds: {},
  }));

  const metrics = config.metrics.map((metric, index): MetricResult => {
    const counts = input.metrics[index];
    const base: MetricResult = {
      name: metric.name,
      kind: metric.kind,
      status: 'no-data',
      events_query: metric.events,
      trials_query: metric.trials,
      baseline: { requests: 0, events: 0, rate: null },
      canary: { requests: 0, events: 0, rate: null },
      ratio: null,
      ratio_bounds: [null, null],
      max_increase: metric.max_increase,
      rollback_margin: metric.rollback_margin,
      alpha_side: alphaSide,
      rollback_e_value: null,
      promote_e_value: null,
      e_value_threshold: 1 / alphaSide,
      rollback_at_minutes: null,
      within_at_minutes: null,
      needs_canary_requests: null,
      counter_resets: counts?.resets ?? 0,
    };
    if (counts?.eventsEmpty)
      warnings.push(
        `${metric.name}: the events query returned no series for either version (no events yet, or a query that matches nothing): ${metric.events}`,
      );
    if (!counts?.baseline || !counts.canary || last < 0) return base;
    const summary = (arm: ArmCounts): ArmSummary => {
      const requests = arm.trials[last]!;
      const events = arm.events[last]!;
      return { requests, events, rate: requests > 0 ? events / requests : null };
    };
    base.baseline = summary(counts.baseline);
    base.canary = summary(counts.canary);
    if (base.baseline.requests <= 0 || base.canary.requests <= 0) return base;
    if (metric.kind === 'mean') {
      const result = judgeMean(base, metric, counts.baseline, counts.canary, {
        last,
        alphaSide,
        minutesAt,
        chartLooks,
      });
      chartLooks.forEach((_, position) => {
        looks[position]!.bounds[metric.name] = result.chartBounds[position]!;
      });
      return result.metric;
    }
    for (const arm of [counts.baseline, counts.canary]) {
      for (let k = 0; k <= last; k++) {
        if (arm.events[k]! > arm.trials[k]! + 1e-9) {
          throw new EventsExceedTrials(metric.name, minutesAt(k), arm.events[k]!, arm.trials[k]!);
        }
      }
    }
    base.ratio =
      base.baseline.rate && base.baseline.rate > 0 && base.canary.rate !== null
        ? base.canary.rate / base.baseline.rate
        : null;
    const rollbackRatio = 1 + metric.rollback_margin;
    const limitRatio = 1 + metric.max_increase;
    const precision = mixturePrecision(plannedInformation(limitRatio, alphaSide), 2 * alphaSide);
    let maxRollback = Number.NEGATIVE_INFINITY;
    let maxPromote = Number.NEGATIVE_INFINITY;
    let previousKey = '';
    let rollbackLook = -1;
    for (let k = 0; k <= last; k++) {
      const nb = counts.baseline.trials[k]!;
      const nc = counts.canary.trials[k]!;
      const eb = counts.baseline.events[k]!;
      const ec = counts.canary.events[k]!;
      if (nb <= 0 || nc <= 0) continue;
      const key = `${nb}:${nc}:${eb}:${ec}`;
      if (key === previousKey) continue; // nothing new at this look
      previousKey = key;
      const rho = nc / (nc + nb);
      let rollback: boolean;
      let promote: boolean;
      if (config.method === 'exact') {
        const total = ec + eb;
        const eRollback = logMixtureEValue(ec, total, canaryEventShare(rollbackRatio, rho), 'greater');
        const ePromote = logMixtureEValue(ec, total, canaryEventShare(limitRatio, rho), 'less');
        maxRollback = Math.max(maxRollback, eRollback);
        maxPromote = Math.max(maxPromote, ePromote);
        rollback = eRollback >= threshold;
        promote = ePromote >= threshold;
      } else {
        const bounds = normalBounds(ec, nc, eb, nb, alphaSide, precision);
        rollback = bounds[0] !== null && bounds[0] > rollbackRatio;
        promote = bounds[1] !== null && bounds[1] < limitRatio;
      }
      if (rollback && base.rollback_at_minutes === null) {
        base.rollback_at_minutes = round(minutesAt(k), 3);
        rollbackLook = k;
      }
      if (promote && base.within_at_minutes === null) base.within_at_minutes = round(minutesAt(k), 3);
    }
    if (config.method === 'exact') {
      base.rollback_e_value = Number.isFinite(maxRollback) ? Math.exp(Math.min(maxRollback, 700)) : null;
      base.promote_e_value = Number.isFinite(maxPromote) ? Math.exp(Math.min(maxPromote, 700)) : null;
    }
    const boundsAt = (k: number): [number | null, number | null] => {
      const nb = counts.baseline!.trials[k]!;
      const nc = counts.canary!.trials[k]!;
      if (nb <= 0 || nc <= 0) return [null, null];
      const eb = counts.baseline!.events[k]!;
      const ec = counts.canary!.events[k]!;
      if (config.method === 'normal') return normalBounds(ec, nc, eb, nb, alphaSide, precision);
      const [lower, upper] = ratioInterval(ec, eb, nc / (nc + nb), alphaSide);
      return [lower, Number.isFinite(upper) ? upper : null];
    };
    chartLooks.forEach((k, position) => {
      looks[position]!.bounds[metric.name] = boundsAt(k);
    });
    base.ratio_bounds =
      chartLooks[chartLooks.length - 1] === last
        ? looks[looks.length - 1]!.bounds[metric.name]!
        : boundsAt(last);
    // The look that proved the regression: its lower bound is what the reason quotes (later looks may be wider).
    if (rollbackLook >= 0) base.rollback_bound = boundsAt(rollbackLook)[0];
    base.status =
      base.rollback_at_minutes !== null
        ? 'regressed'
        : base.within_at_minutes !== null
          ? 'within'
          : 'undecided';
    if (base.status === 'undecided') {
      const more = moreCanaryRequestsToPromote({
        canaryRequests: base.canary.requests,
        canaryEvents: base.canary.events,
        baselineRequests: base.baseline.requests,
        baselineEvents: base.baseline.events,
        limitRatio,
        alphaSide,
        method: config.method,
      });
      base.needs_canary_requests = Number.isFinite(more) ? more : null;
    }
    return base;
  });

  // Traffic: the first metric's trials are the requests of each version.
  const first = input.metrics[0];
  const baselineRequests = first?.baseline?.trials[last] ?? 0;
  const canaryRequests = first?.canary?.trials[last] ?? 0;
  chartLooks.forEach((k, position) => {
    looks[position]!.baseline_requests = first?.baseline?.trials[k] ?? 0;
    looks[position]!.canary_requests = first?.canary?.trials[k] ?? 0;
  });
  const shares = [1 - config.canary_percent / 100, config.canary_percent / 100];
  let srm: SrmResult;
  if (config.srm.test === 'chi-square') srm = chiSquareSrm([baselineRequests, canaryRequests], shares);
  else {
    // Anytime-valid: the largest Bayes factor over the looks.
    srm = sequentialSrm([0, 0], shares);
    for (let k = 0; k <= last; k++) {
      const at = sequentialSrm([first?.baseline?.trials[k] ?? 0, first?.canary?.trials[k] ?? 0], shares);
      if (at.statistic > srm.statistic) srm = at;
    }
  }
  const totalRequests = baselineRequests + canaryRequests;
  const observedPercent = totalRequests > 0 ? (100 * canaryRequests) / totalRequests : null;
  const srmBroken = totalRequests > 0 && srm.p_value < config.srm.p_value;

  const canaryPerMinute = elapsedMinutes > 0 ? canaryRequests / elapsedMinutes : 0;
  const undecided = metrics.filter((metric) => metric.status === 'undecided');
  const neededRequests = undecided.some((metric) => metric.needs_canary_requests === null)
    ? null
    : undecided.length === 0
      ? 0
      : Math.max(...undecided.map((metric) => metric.needs_canary_requests!));
  const neededMinutes =
    neededRequests === null || canaryPerMinute <= 0 ? null : Math.ceil(neededRequests / canaryPerMinute);

  const kayenta = config.judge === 'kayenta' ? judgeKayenta(config, input, last) : undefined;
  if (kayenta) warnings.push(KAYENTA_NOTE);

  const { decision, reason } = decide({
    kayenta,
    config,
    input,
    metrics,
    srm,
    srmBroken,
    observedPercent,
    baselineRequests,
    canaryRequests,
    elapsedMinutes,
    neededRequests,
    neededMinutes,
  });
  return {
    schema: CANARY_ANALYSIS_SCHEMA,
    decision,
    reason,
    passed: decision === 'promote',
    next_traffic_percent:
      decision === 'promote'
        ? nextStep(config.steps, config.canary_percent)
        : decision === 'rollback'
          ? 0
          : config.canary_percent,
    baseline: input.baseline,
    canary: input.canary,
    started_at: new Date(input.startedAt).toISOString(),
    now: new Date(input.now).toISOString(),
    elapsed_minutes: round(elapsedMinutes, 3),
    soak_minutes: config.soak_ms / 60_000,
    alpha: config.alpha,
    method:
      config.judge === 'kayenta'
        ? 'Kayenta-style NetflixACAJudge: two-sided Mann-Whitney (0.98) on time buckets, group-weighted score (does not control repeated looks)'
        : config.metrics.some((metric) => metric.kind === 'mean')
          ? config.metrics.some((metric) => metric.kind === 'proportion')
            ? `rates: ${METHOD_TEXT[config.method]}; ${MEAN_METHOD_TEXT}`
            : MEAN_METHOD_TEXT
          : METHOD_TEXT[config.method],
    source: input.source,
    traffic: {
      expected_canary_percent: config.canary_percent,
      observed_canary_percent: observedPercent,
      baseline_requests: baselineRequests,
      canary_requests: canaryRequests,
      srm: { ...srm, threshold: config.srm.p_value, broken: srmBroken, metric: config.metrics[0]!.name },
    },
    judge: config.judge,
    ...(kayenta ? { kayenta } : {}),
    metrics,
    ...(input.predictions ? { predictions: input.predictions } : {}),
    needs: { canary_requests: neededRequests, minutes: neededMinutes },
    looks,
    warnings,
  };
}

export interface KayentaReport extends KayentaResult {
  pass_score: number;
  marginal_score: number;
  buckets: number;
  bucket_minutes: number;
}

export const KAYENTA_NOTE =
  'judge: kayenta re-runs a fixed-horizon Mann-Whitney test on time buckets at every look: it does not control the false-alarm rate over repeated looks, and its n is the number of buckets, not requests (bench/canary.md measures it).';

/** One value per time bucket per version (a rate, or a mean), and the NetflixACAJudge-style scoring. */
function judgeKayenta(config: CanaryConfig, input: AnalysisInput, last: number): KayentaReport {
  const settings = config.kayenta!;
  const per = Math.max(1, Math.round(settings.bucket_ms / config.step_ms));
  const edges: number[] = [];
  for (let k = 0; k <= last; k += per) edges.push(k);
  const values = (arm: ArmCounts | undefined, mean: boolean): number[] => {
    if (!arm) return [];
    const out: number[] = [];
    for (let index = 1; index < edges.length; index++) {
      const [from, to] = [edges[index - 1]!, edges[index]!];
      const n = arm.trials[to]! - arm.trials[from]!;
      const numerator = mean
        ? (arm.sum?.[to] ?? 0) - (arm.sum?.[from] ?? 0)
        : arm.events[to]! - arm.events[from]!;
      out.push(n > 0 ? numerator / n : Number.NaN);
    }
    return out;
  };
  const result = kayentaJudge(
    config.metrics.map((metric, index) => {
      const counts = input.metrics[index];
      const mean = metric.kind === 'mean';
      return {
        name: metric.name,
        group: metric.group,
        critical: metric.critical,
        direction: mean && metric.worse === 'lower' ? 'decrease' : 'increase',
        canary: values(counts?.canary, mean),
        baseline: values(counts?.baseline, mean),
      };
    }),
    { passScore: settings.pass_score, marginalScore: settings.marginal_score, groupWeights: settings.groups },
  );
  return {
    ...result,
    pass_score: settings.pass_score,
    marginal_score: settings.marginal_score,
    buckets: Math.max(0, edges.length - 1),
    bucket_minutes: settings.bucket_ms / 60_000,
  };
}

interface DecideInput {
  kayenta: KayentaReport | undefined;
  config: CanaryConfig;
  input: AnalysisInput;
  metrics: MetricResult[];
  srm: SrmResult;
  srmBroken: boolean;
  observedPercent: number | null;
  baselineRequests: number;
  canaryRequests: number;
  elapsedMinutes: number;
  neededRequests: number | null;
  neededMinutes: number | null;
}

/** The order matters: no data and a broken split come before any metric, and nothing promotes early. */
function decide(d: DecideInput): { decision: Decision; reason: string } {
  const { config, input, metrics } = d;
  const missing = metrics.find((metric) => metric.status === 'no-data');
  if (missing) {
    const arm = missing.canary.requests <= 0 ? 'canary' : 'baseline';
    const version = arm === 'canary' ? input.canary : input.baseline;
    return {
      decision: 'inconclusive',
      reason: `The ${arm} (${version}) has no requests in ${missing.name}'s trials since started-at, so there is nothing to judge yet.`,
    };
  }
  if (d.srmBroken) {
    return {
      decision: 'inconclusive',
      reason: `The traffic split is broken (sample ratio mismatch): the canary got ${pct(d.observedPercent)} of requests where ${config.canary_percent} % was expected (${d.srm.test} p ${pValue(d.srm.p_value)} < ${config.srm.p_value}), so no metric can be trusted.`,
    };
  }
  if (d.kayenta) return decideKayenta(d, d.kayenta);
  const regressed = metrics.filter((metric) => metric.status === 'regressed');
  if (regressed.length > 0) {
    const worst = regressed[0]!;
    return {
      decision: 'rollback',
      reason: `${worst.name} is worse on the canary: ${regressionText(worst)}, first shown ${sig(worst.rollback_at_minutes ?? 0)} min after the start${regressed.length > 1 ? `, and ${regressed.length - 1} more metric${regressed.length > 2 ? 's' : ''} too` : ''}.`,
    };
  }
  const fewest = Math.min(d.baselineRequests, d.canaryRequests);
  if (fewest < config.min_requests) {
    return {
      decision: 'inconclusive',
      reason: `Too few requests to judge: the canary has ${d.canaryRequests} and the baseline ${d.baselineRequests} (at least ${config.min_requests} each are needed).`,
    };
  }
  const undecided = metrics.filter((metric) => metric.status === 'undecided');
  const soakMinutes = config.soak_ms / 60_000;
  if (undecided.length === 0) {
    if (d.elapsedMinutes < soakMinutes) {
      return {
        decision: 'continue',
        reason: `Every metric is proven within its limit, but the soak time is not over (${sig(d.elapsedMinutes)} of ${sig(soakMinutes)} minutes).`,
      };
    }
    return {
      decision: 'promote',
      reason: `Every metric is proven within its limit (${metrics.map(limitText).join(', ')}) after ${sig(d.elapsedMinutes)} minutes: advance to ${nextStep(config.steps, config.canary_percent)} %.`,
    };
  }
  const needs =
    d.neededRequests === null
      ? 'at the rates observed so far it may never be proven (no events yet, or a canary rate already at its limit)'
      : `needs about ${Math.ceil(d.neededRequests).toLocaleString('en-US')} more canary requests${d.neededMinutes === null ? '' : ` (about ${d.neededMinutes} minutes at the current traffic)`}`;
  return {
    decision: 'continue',
    reason: `No metric is proven worse, but ${undecided.length > 1 ? `${undecided.map((metric) => metric.name).join(', ')} are not yet proven within their limits (${undecided.map(limitText).join(', ')})` : `${undecided[0]!.name} is not yet proven within its limit (${limitText(undecided[0]!)})`}: ${needs}.`,
  };
}

/** judge: kayenta: Fail rolls back, Pass promotes after the soak and the minimum counts, Marginal holds. */
function decideKayenta(d: DecideInput, result: KayentaReport): { decision: Decision; reason: string } {
  const { config } = d;
  const score = result.score === null ? 'no score' : `score ${sig(result.score)}`;
  const failed = result.metrics.filter((metric) => metric.failed);
  const failedText = failed
    .map((metric) => `${metric.name} ${metric.classification}${metric.critical ? ', critical' : ''}`)
    .join(', ');
  const caveat = ' (Kayenta-style judge: it does not control the false-alarm rate over repeated looks)';
  if (result.verdict === 'Fail')
    return {
      decision: 'rollback',
      reason: `The Kayenta-style judge fails the canary: ${score} below the marginal threshold ${config.kayenta!.marginal_score}${failedText ? ` (${failedText})` : ''}${caveat}.`,
    };
  if (result.verdict === 'Nodata')
    return {
      decision: 'inconclusive',
      reason: `The Kayenta-style judge has no complete time bucket with data for both versions yet (${result.buckets} bucket(s) of ${sig(result.bucket_minutes)} min).`,
    };
  const fewest = Math.min(d.baselineRequests, d.canaryRequests);
  if (fewest < config.min_requests)
    return {
      decision: 'inconclusive',
      reason: `Too few requests to judge: the canary has ${d.canaryRequests} and the baseline ${d.baselineRequests} (at least ${config.min_requests} each are needed).`,
    };
  if (result.verdict === 'Marginal')
    return {
      decision: 'continue',
      reason: `The Kayenta-style judge calls the canary marginal: ${score}, between ${config.kayenta!.marginal_score} and ${config.kayenta!.pass_score}${failedText ? ` (${failedText})` : ''}${caveat}.`,
    };
  const soakMinutes = config.soak_ms / 60_000;
  if (d.elapsedMinutes < soakMinutes)
    return {
      decision: 'continue',
      reason: `The Kayenta-style judge passes the canary (${score}), but the soak time is not over (${sig(d.elapsedMinutes)} of ${sig(soakMinutes)} minutes).`,
    };
  return {
    decision: 'promote',
    reason: `The Kayenta-style judge passes the canary: ${score} of at least ${config.kayenta!.pass_score} over ${result.buckets} bucket(s) after ${sig(d.elapsedMinutes)} minutes${caveat}: advance to ${nextStep(config.steps, config.canary_percent)} %.`,
  };
}

function regressionText(metric: MetricResult): string {
  if (metric.kind === 'mean') {
    const direction = metric.worse === 'lower' ? 'lower' : 'higher';
    return `its mean ${sig(metric.canary.mean ?? Number.NaN)} is proven ${direction} than the baseline's ${sig(metric.baseline.mean ?? Number.NaN)} by more than ${sig(metric.rollback_difference ?? 0)} (by at least ${sig(metric.rollback_bound ?? metric.difference_bounds?.[0] ?? 0)} when first shown)`;
  }
  return `its rate ${rate(metric.canary.rate)} is proven above ${sig(1 + metric.rollback_margin)}× the baseline's ${rate(metric.baseline.rate)} (ratio at least ${sig(metric.rollback_bound ?? metric.ratio_bounds[0] ?? 0)} when first shown)`;
}

function limitText(metric: MetricResult): string {
  if (metric.kind === 'mean')
    return `${metric.name} mean ${metric.worse === 'lower' ? '>=' : '<='} baseline ${metric.worse === 'lower' ? '-' : '+'} ${sig(metric.max_difference ?? 0)}`;
  return `${metric.name} <= ${sig(1 + metric.max_increase)}× baseline`;
}

interface MeanContext {
  last: number;
  alphaSide: number;
  minutesAt: (k: number) => number;
  chartLooks: number[];
}

/**
 * kind: mean. θ = (canary mean − baseline mean), signed so that positive is worse, with the plug-in
 * variance se² = s_c²/n_c + s_b²/n_b; the normal-mixture confidence sequence (asymptotic) at every look:
 * rollback when its lower end passes rollback_difference, within when its upper end is below max_difference.
 */
function judgeMean(
  base: MetricResult,
  metric: CanaryConfig['metrics'][number],
  baseline: ArmCounts,
  canary: ArmCounts,
  context: MeanContext,
): { metric: MetricResult; chartBounds: [number | null, number | null][] } {
  const { last, alphaSide } = context;
  const sign = metric.worse === 'lower' ? -1 : 1;
  const maxDifference = metric.max_difference!;
  const rollbackDifference = metric.rollback_difference ?? 0;
  const precision = mixturePrecision(plannedInformationFor(maxDifference, alphaSide), 2 * alphaSide);
  const moments = (arm: ArmCounts, k: number) => {
    const n = arm.trials[k]!;
    const sum = arm.sum?.[k] ?? 0;
    const mean = n > 0 ? sum / n : Number.NaN;
    const variance = n > 1 ? Math.max(0, ((arm.sumSquares?.[k] ?? 0) - sum * mean) / (n - 1)) : Number.NaN;
    return { n, mean, variance };
  };
  const boundsAt = (k: number): [number | null, number | null] => {
    const b = moments(baseline, k);
    const c = moments(canary, k);
    const se2 = c.variance / c.n + b.variance / b.n;
    if (!(b.n > 1 && c.n > 1) || !(se2 > 0)) return [null, null];
    const estimate = sign * (c.mean - b.mean);
    const radius = normalMixtureRadius(1 / se2, 2 * alphaSide, precision);
    return [estimate - radius, estimate + radius];
  };
  const result: MetricResult = {
    ...base,
    kind: 'mean',
    events_query: '',
    trials_query: '',
    value_column: metric.value!,
    worse: metric.worse ?? 'higher',
    max_difference: maxDifference,
    rollback_difference: rollbackDifference,
  };
  for (let k = 0; k <= last; k++) {
    const [lower, upper] = boundsAt(k);
    if (lower !== null && lower > rollbackDifference && result.rollback_at_minutes === null) {
      result.rollback_at_minutes = round(context.minutesAt(k), 3);
      result.rollback_bound = lower;
    }
    if (upper !== null && upper < maxDifference && result.within_at_minutes === null)
      result.within_at_minutes = round(context.minutesAt(k), 3);
  }
  const b = moments(baseline, last);
  const c = moments(canary, last);
  const finite = (value: number) => (Number.isFinite(value) ? value : null);
  result.baseline = {
    ...result.baseline,
    events: 0,
    rate: null,
    mean: finite(b.mean),
    sd: finite(Math.sqrt(b.variance)),
  };
  result.canary = {
    ...result.canary,
    events: 0,
    rate: null,
    mean: finite(c.mean),
    sd: finite(Math.sqrt(c.variance)),
  };
  result.difference = finite(sign * (c.mean - b.mean));
  result.difference_bounds = boundsAt(last);
  result.status =
    result.rollback_at_minutes !== null
      ? 'regressed'
      : result.within_at_minutes !== null
        ? 'within'
        : 'undecided';
  if (result.status === 'undecided') {
    // More canary requests (and the baseline's in proportion) at the same means and variances.
    const estimate = result.difference;
    const proven = (more: number) => {
      const nc = c.n + more;
      const nb = b.n + (more * b.n) / c.n;
      const se2 = c.variance / nc + b.variance / nb;
      return (
        estimate !== null &&
        se2 > 0 &&
        estimate + normalMixtureRadius(1 / se2, 2 * alphaSide, precision) < maxDifference
      );
    };
    let needed: number | null = null;
    if (estimate !== null && estimate < maxDifference) {
      let high = Math.max(1, c.n / 16);
      while (!proven(high) && high < 1e13) high *= 2;
      if (proven(high)) {
        let low = 0;
        while (high - low > Math.max(1, high * 1e-3)) {
          const mid = (low + high) / 2;
          if (proven(mid)) high = mid;
          else low = mid;
        }
        needed = Math.ceil(high);
      }
    }
    result.needs_canary_requests = needed;
  }
  return { metric: result, chartBounds: context.chartLooks.map(boundsAt) };
}

/** A count exceeded its trials: the events and trials queries do not describe the same requests. */
export class EventsExceedTrials extends Error {
  constructor(
    readonly metric: string,
    readonly minutes: number,
    readonly events: number,
    readonly trials: number,
  ) {
    super(`${metric}: ${events} events but only ${trials} trials at ${sig(minutes)} min`);
  }
}

function normalBounds(
  ec: number,
  nc: number,
  eb: number,
  nb: number,
  alphaSide: number,
  precision: number,
): [number | null, number | null] {
  if (ec <= 0 || eb <= 0) return [null, null];
  const estimate = Math.log(ec / nc / (eb / nb));
  const radius = normalMixtureRadius(1 / (1 / ec + 1 / eb), 2 * alphaSide, precision);
  return [Math.exp(estimate - radius), Math.exp(estimate + radius)];
}

function pickChartLooks(count: number): number[] {
  if (count <= 0) return [];
  if (count <= MAX_CHART_LOOKS) return Array.from({ length: count }, (_, k) => k);
  const picked = new Set<number>();
  for (let i = 0; i < MAX_CHART_LOOKS; i++) picked.add(Math.round(((count - 1) * (i + 1)) / MAX_CHART_LOOKS));
  return [...picked].sort((a, b) => a - b);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
function sig(value: number): string {
  return String(Number(value.toPrecision(3)));
}
function pValue(value: number): string {
  if (value < 1e-300) return '< 1e-300';
  return `= ${value < 0.001 ? value.toExponential(2) : sig(value)}`;
}
function pct(value: number | null): string {
  return value === null ? 'n/a' : `${sig(value)} %`;
}
function rate(value: number | null): string {
  return value === null ? 'n/a' : `${sig(100 * value)} %`;
}
