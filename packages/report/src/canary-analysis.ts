// mlops.canary-analysis/v1: the online gate's verdict first (promote / continue / rollback / inconclusive and
// why), then the traffic split, one table per metric, and the ratio's anytime-valid bounds over the looks.
import { CANARY_ANALYSIS_SCHEMA } from '@mlops/schemas';
import { escapeMarkdown, inlineCode } from './escape.ts';
import { warningsList } from './fields.ts';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  code,
  formatNumber,
  formatPercent,
  formatPValue,
  type Verdict,
} from './format.ts';
import { REFERENCE_COLOUR, SERIES_COLOURS, xyChart } from './mermaid.ts';
import { blocks, type DetailOptions, FULL_DETAIL, type Section, sectionMarkdown } from './section.ts';
import { markdownTable } from './table.ts';

const VERDICTS: Record<string, Verdict> = {
  promote: 'pass',
  rollback: 'fail',
  continue: 'info',
  inconclusive: 'warn',
};

const STATUS_TEXT: Record<string, string> = {
  regressed: '❌ proven worse',
  within: '✅ proven within limit',
  undecided: '⏳ not yet decided',
  'no-data': '⚠️ no data',
};

export function canaryAnalysisSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(report);
  const decision = asString(data.decision) ?? 'unknown';
  const next = asNumber(data.next_traffic_percent);
  const action =
    decision === 'promote'
      ? `**promote** to ${next === 100 ? 'full rollout (100 %)' : `${formatNumber(next)} %`}`
      : decision === 'rollback'
        ? '**roll back** (canary traffic to 0 %)'
        : `**${escapeMarkdown(decision, { maxLength: 20 })}**`;
  const versions = `${code(data.canary, 60)} vs ${code(data.baseline, 60)}`;
  const headline = `${action}: ${versions}. ${escapeMarkdown(asString(data.reason) ?? '', { maxLength: 600 })}`;
  const metrics = asArray(data.metrics).map(asRecord);
  const body = blocks(
    trafficLine(data),
    settingsLine(data, metrics.length),
    kayentaLine(data),
    ...metrics.map(metricTable),
    predictionsBlock(data),
    detail.charts ? boundsChart(data, metrics) : undefined,
    warningsList(data.warnings),
  );
  return {
    schema: CANARY_ANALYSIS_SCHEMA,
    title: 'Canary analysis',
    verdict: VERDICTS[decision] ?? 'skip',
    headline,
    body,
  };
}

export function renderCanaryAnalysisMarkdown(report: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(canaryAnalysisSection(report, detail));
}

function trafficLine(data: Record<string, unknown>): string {
  const traffic = asRecord(data.traffic);
  const srm = asRecord(traffic.srm);
  const observed = asNumber(traffic.observed_canary_percent);
  const broken = srm.broken === true;
  const canaryRequests = asNumber(traffic.canary_requests) ?? 0;
  const baselineRequests = asNumber(traffic.baseline_requests) ?? 0;
  return (
    `**Traffic split:** the canary got ${observed === undefined ? '—' : formatPercent(observed / 100)} of ` +
    `${formatNumber(canaryRequests + baselineRequests)} requests (${formatNumber(canaryRequests)} canary, ` +
    `${formatNumber(baselineRequests)} baseline), ${formatNumber(asNumber(traffic.expected_canary_percent))} % expected. ` +
    `SRM (${escapeMarkdown(asString(srm.test) ?? '?', { maxLength: 20 })}): p = ${formatPValue(srm.p_value)} ` +
    `${broken ? `❌ below ${formatNumber(srm.threshold)}: the split is broken` : `✅ not below ${formatNumber(srm.threshold)}`}.`
  );
}

function settingsLine(data: Record<string, unknown>, metricCount: number): string {
  const elapsed = asNumber(data.elapsed_minutes);
  const soak = asNumber(data.soak_minutes);
  const alpha = asNumber(data.alpha);
  const needs = asRecord(data.needs);
  const needed = asNumber(needs.canary_requests);
  const minutes = asNumber(needs.minutes);
  const parts = [
    `**Elapsed:** ${formatNumber(elapsed, 3)} min of a ${formatNumber(soak)} min soak since ${escapeMarkdown(asString(data.started_at) ?? '?', { maxLength: 40 })}`,
    `**alpha** ${formatNumber(alpha)} over ${metricCount} metric${metricCount === 1 ? '' : 's'} and both sides (${formatNumber(alpha === undefined ? undefined : alpha / (2 * Math.max(1, metricCount)))} each)`,
    `**test:** ${escapeMarkdown(asString(data.method) ?? '?', { maxLength: 200 })}`,
  ];
  if (needed !== undefined && needed > 0)
    parts.push(
      `**needs** about ${formatNumber(Math.ceil(needed))} more canary requests${minutes === undefined ? '' : ` (about ${formatNumber(minutes)} min)`}`,
    );
  return `${parts.join('; ')}.`;
}

/** judge: kayenta: the score that decided, its thresholds and what failed. */
function kayentaLine(data: Record<string, unknown>): string | undefined {
  if (data.judge !== 'kayenta') return undefined;
  const kayenta = asRecord(data.kayenta);
  const groups = asArray(kayenta.groups)
    .map(asRecord)
    .map(
      (group) =>
        `${inlineCode(group.name, { maxLength: 60 })} ${formatNumber(group.score, 3)} (weight ${formatNumber(group.weight, 3)})`,
    );
  const failed = asArray(kayenta.metrics)
    .map(asRecord)
    .filter((metric) => metric.failed === true)
    .map(
      (metric) =>
        `${inlineCode(metric.name, { maxLength: 60 })} ${escapeMarkdown(metric.classification, { maxLength: 10 })}`,
    );
  return (
    `**Kayenta-style judge:** ${escapeMarkdown(asString(kayenta.verdict) ?? '?', { maxLength: 10 })}, score ${formatNumber(kayenta.score, 3)} ` +
    `(pass at ${formatNumber(kayenta.pass_score)}, marginal at ${formatNumber(kayenta.marginal_score)}) over ${formatNumber(kayenta.buckets)} ` +
    `bucket(s) of ${formatNumber(kayenta.bucket_minutes, 3)} min; groups: ${groups.join(', ') || '—'}` +
    `${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}${kayenta.critical_failure === true ? ' (a critical metric failed: score 0)' : ''}. ` +
    'This judge does not control the false-alarm rate over repeated looks.'
  );
}

/** The request log's predictions compared (descriptive): distributions, quality, shadow pairs. */
function predictionsBlock(data: Record<string, unknown>): string | undefined {
  if (data.predictions === undefined) return undefined;
  const predictions = asRecord(data.predictions);
  const parts = [
    `**Predictions** (${inlineCode(predictions.score_column, { maxLength: 60 })}; descriptive, not part of the decision): ` +
      `PSI ${formatNumber(predictions.psi, 3)}, Jensen-Shannon distance ${formatNumber(predictions.jensen_shannon, 3)} ` +
      `over ${formatNumber(predictions.bins)} bins of the baseline's deciles (${formatNumber(predictions.baseline_n)} baseline, ${formatNumber(predictions.canary_n)} canary scores).`,
  ];
  const quality = asRecord(predictions.quality);
  if (predictions.quality !== undefined) {
    const row = (label: string, value: unknown) => {
      const record = asRecord(value);
      return [
        label,
        formatNumber(record.n),
        formatNumber(record.roc_auc),
        formatNumber(record.accuracy),
        formatNumber(record.log_loss),
      ];
    };
    parts.push(
      markdownTable(
        [
          { header: `labelled rows (${inlineCode(quality.label_column, { maxLength: 60, table: true })})` },
          { header: 'n', align: 'right' },
          { header: 'roc_auc', align: 'right' },
          { header: `accuracy at ${formatNumber(quality.threshold)}`, align: 'right' },
          { header: 'log_loss', align: 'right' },
        ],
        [row('baseline', quality.baseline), row('canary', quality.canary)],
      ),
    );
  }
  if (predictions.paired !== undefined) {
    const paired = asRecord(predictions.paired);
    parts.push(
      `Shadow pairs (same ${inlineCode(paired.request_id_column, { maxLength: 60 })}): ${formatNumber(paired.pairs)}; ` +
        `the versions disagree on ${formatPercent(paired.disagreement_rate)} of them; mean score difference canary − baseline ` +
        `${formatNumber(paired.mean_score_difference, 3)} (mean absolute ${formatNumber(paired.mean_abs_score_difference, 3)}).`,
    );
  }
  return parts.join('\n\n');
}

function metricTable(metric: Record<string, unknown>): string {
  const name = inlineCode(metric.name, { maxLength: 80 });
  const status = STATUS_TEXT[asString(metric.status) ?? ''] ?? '—';
  if (metric.kind === 'mean') return meanTable(metric, name, status);
  const arm = (label: string, value: unknown) => {
    const record = asRecord(value);
    return [label, formatNumber(record.requests), formatNumber(record.events), rate(record.rate)];
  };
  const bounds = asArray(metric.ratio_bounds);
  const rollbackAbove = 1 + (asNumber(metric.rollback_margin) ?? 0);
  const promoteBelow = 1 + (asNumber(metric.max_increase) ?? 0);
  const table = markdownTable(
    [
      { header: 'version' },
      { header: 'requests', align: 'right' },
      { header: 'events', align: 'right' },
      { header: 'rate', align: 'right' },
    ],
    [arm('baseline', metric.baseline), arm('canary', metric.canary)],
  );
  const evidence = [
    `ratio canary / baseline ${formatNumber(metric.ratio, 3)}, anytime-valid bounds ${formatNumber(bounds[0], 3)} to ${bounds[1] === null ? '∞' : formatNumber(bounds[1], 3)}`,
    `rolled back when proven above ${formatNumber(rollbackAbove, 3)}, promotable when proven below ${formatNumber(promoteBelow, 3)}`,
  ];
  const threshold = asNumber(metric.e_value_threshold);
  if (threshold !== undefined && (metric.rollback_e_value !== null || metric.promote_e_value !== null))
    evidence.push(
      `largest e-values ${formatNumber(metric.rollback_e_value, 3)} (worse) / ${formatNumber(metric.promote_e_value, 3)} (within), threshold ${formatNumber(threshold, 3)}`,
    );
  const resets = asNumber(metric.counter_resets);
  if (resets)
    evidence.push(`${formatNumber(resets)} counter reset${resets === 1 ? '' : 's'} counted as restarts`);
  return `${name} — ${status}\n\n${table}\n\n<sub>${evidence.join('; ')}.</sub>`;
}

/** kind: mean: requests, mean and sd per version; the difference (positive = worse) and its bounds. */
function meanTable(metric: Record<string, unknown>, name: string, status: string): string {
  const arm = (label: string, value: unknown) => {
    const record = asRecord(value);
    return [label, formatNumber(record.requests), formatNumber(record.mean), formatNumber(record.sd)];
  };
  const table = markdownTable(
    [
      { header: 'version' },
      { header: 'requests', align: 'right' },
      {
        header: `mean of ${inlineCode(metric.value_column, { maxLength: 60, table: true })}`,
        align: 'right',
      },
      { header: 'sd', align: 'right' },
    ],
    [arm('baseline', metric.baseline), arm('canary', metric.canary)],
  );
  const bounds = asArray(metric.difference_bounds);
  const worse = metric.worse === 'lower' ? 'lower' : 'higher';
  const evidence = [
    `difference canary − baseline (${worse} is worse) ${formatNumber(metric.difference, 3)}, anytime-valid bounds ${formatNumber(bounds[0], 3)} to ${formatNumber(bounds[1], 3)}`,
    `rolled back when proven worse by more than ${formatNumber(metric.rollback_difference, 3)}, promotable when proven worse by less than ${formatNumber(metric.max_difference, 3)}`,
  ];
  return `${name} — ${status}\n\n${table}\n\n<sub>${evidence.join('; ')}.</sub>`;
}

function rate(value: unknown): string {
  const number = asNumber(value);
  return number === undefined ? '—' : `${formatNumber(number * 100, 3)} %`;
}

/** The ratio's lower and upper bounds per look for each metric, with the two limits as reference lines. */
function boundsChart(data: Record<string, unknown>, metrics: Record<string, unknown>[]): string | undefined {
  const looks = asArray(data.looks).map(asRecord);
  if (looks.length < 2 || metrics.length === 0) return undefined;
  const charts: string[] = [];
  for (const metric of metrics.slice(0, 4)) {
    const name = asString(metric.name) ?? '?';
    const isMean = metric.kind === 'mean';
    const promoteBelow = isMean
      ? (asNumber(metric.max_difference) ?? 0)
      : 1 + (asNumber(metric.max_increase) ?? 0);
    const rollbackAbove = isMean
      ? (asNumber(metric.rollback_difference) ?? 0)
      : 1 + (asNumber(metric.rollback_margin) ?? 0);
    const cap = isMean ? Math.max(promoteBelow * 3, 1e-9) : Math.max(3, promoteBelow * 2);
    const floor = isMean ? -cap : 0;
    const series = looks.map((look) => asArray(asRecord(look.bounds)[name]));
    if (series.every((bounds) => bounds[0] === null || bounds[0] === undefined)) continue;
    const clamp = (value: unknown, fallback: number) => {
      const number = asNumber(value);
      return number === undefined ? fallback : Math.min(cap, Math.max(floor, number));
    };
    const [lowerColour, upperColour] = [SERIES_COLOURS[0], SERIES_COLOURS[1]];
    charts.push(
      xyChart({
        title: `${name} ${isMean ? 'difference of means' : 'rate ratio'} bounds - lower (${lowerColour.name}), upper (${upperColour.name}), limits (${REFERENCE_COLOUR.name})`,
        xLabels: looks.map((look) => formatNumber(asNumber(look.minutes) ?? 0, 3)),
        xTitle: 'minutes since started-at',
        yTitle: isMean ? 'canary - baseline (worse is up)' : 'canary / baseline rate',
        yRange: [floor, cap],
        lines: [
          {
            name: 'lower bound',
            values: series.map((bounds) => clamp(bounds[0], floor)),
            colour: lowerColour,
          },
          {
            name: `upper bound (capped at ${cap})`,
            values: series.map((bounds) => clamp(bounds[1], cap)),
            colour: upperColour,
          },
          {
            name: `promote limit ${promoteBelow}`,
            values: looks.map(() => promoteBelow),
            colour: REFERENCE_COLOUR,
          },
          {
            name: `rollback limit ${rollbackAbove}`,
            values: looks.map(() => rollbackAbove),
            colour: REFERENCE_COLOUR,
          },
        ],
      }),
    );
  }
  return charts.length > 0 ? charts.join('\n\n') : undefined;
}
