// @mlops/report: pure functions from the suite's JSON reports to GitHub-flavoured markdown, for job summaries
// and the pull-request comment. No I/O, no @actions/*: every function takes a report and returns a string.
export { canaryAnalysisSection, renderCanaryAnalysisMarkdown } from './canary-analysis.ts';
export * from './compose.ts';
export * from './escape.ts';
export { evaluateGateSection, renderGateMarkdown } from './evaluate-gate.ts';
export {
  formatInterval,
  formatNumber,
  formatPercent,
  formatPValue,
  formatSigned,
  VERDICT_ICON,
  type Verdict,
} from './format.ts';
export { lineageSection, lookupSection, renderLineageMarkdown, renderLookupMarkdown } from './lineage.ts';
export {
  curveChart,
  histogramChart,
  interpolateAt,
  MAX_BARS,
  mermaidLabel,
  xyChart,
} from './mermaid.ts';
export { dispatchSection, promoteSection, renderDispatchMarkdown, renderPromoteMarkdown } from './promote.ts';
export { type ReleaseAssetsView, releaseAssetsMarkdown } from './release.ts';
export { isMlopsReport, KNOWN_SCHEMAS, reportSchema, reportSection } from './render.ts';
export { type DetailOptions, FULL_DETAIL, type Section, sectionMarkdown, verdictLine } from './section.ts';
export { renderServingCheckMarkdown, servingCheckSection } from './serving-check.ts';
export { stickyHeader } from './sticky-header.ts';
export { markdownTable } from './table.ts';
export { renderValidateDataMarkdown, validateDataSection } from './validate-data.ts';
export { renderValidateTrainingMarkdown, validateTrainingSection } from './validate-training.ts';
