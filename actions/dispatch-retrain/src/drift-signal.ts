import { parseJsonText, readUserFile, UserError } from '@mlops/kit';
import { VALIDATE_DATA_SCHEMA } from '@mlops/schemas';

/** One drifted column as validate-data reports it (mlops.validate-data/v1 `drift.columns.<name>`). */
export interface DriftedColumn {
  name: string;
  method?: string;
  score?: number;
  /** The current data's histogram (counts or shares per bin), when the report carries one. */
  histogram?: number[];
}

/** What the decision needs to know about drift, from a report or from the drift-detected / drift-share inputs. */
export interface DriftSignal {
  detected: boolean;
  /** Share of columns that drifted, 0..1; undefined when only drift-detected was given. */
  share?: number;
  /** The report's own dataset rule (drift.threshold_share), for the reason sentence. */
  thresholdShare?: number;
  /** Drifted columns only, sorted by name. Empty when the signal came from inputs. */
  columns: DriftedColumn[];
  /** How many columns were tested (drifted or not); undefined from inputs. */
  columnsTested?: number;
  /** 'none': forced without any drift information. */
  source: 'report' | 'inputs' | 'none';
  /** For 'none': what identifies the data instead (the commit), so a forced dispatch is de-duplicated per commit. */
  identity?: string;
}

/** Reads validate-data's JSON report. Every malformed field is a UserError naming the file and the field. */
export async function readDriftReport(file: string, shownAs: string): Promise<DriftSignal> {
  const text = (
    await readUserFile(file, (problem, reason) =>
      problem === 'missing'
        ? `drift report ${shownAs} does not exist (run validate-data first, or give drift-detected / drift-share)`
        : `cannot read drift report ${shownAs}: ${reason}`,
    )
  ).toString('utf8');
  return driftSignalFromReport(parseJsonText(text, `drift report ${shownAs}`), shownAs);
}

export function driftSignalFromReport(report: unknown, shownAs: string): DriftSignal {
  if (!isRecord(report)) throw new UserError(`drift report ${shownAs}: expected a JSON object`);
  if (report.schema !== VALIDATE_DATA_SCHEMA) {
    throw new UserError(
      `drift report ${shownAs}: expected schema '${VALIDATE_DATA_SCHEMA}' (validate-data's report), got ${JSON.stringify(report.schema ?? null)}`,
    );
  }
  const drift = report.drift;
  if (drift === undefined || drift === null) {
    throw new UserError(
      `drift report ${shownAs} has no 'drift' section: run validate-data with a reference (the 'reference' input)`,
    );
  }
  if (!isRecord(drift)) throw new UserError(`drift report ${shownAs}: 'drift' must be an object`);
  if (typeof drift.detected !== 'boolean') {
    throw new UserError(
      `drift report ${shownAs}: 'drift.detected' must be true or false, got ${JSON.stringify(drift.detected ?? null)}`,
    );
  }
  const share = optionalShare(drift.share, `drift report ${shownAs}: 'drift.share'`);
  const thresholdShare = optionalShare(
    drift.threshold_share,
    `drift report ${shownAs}: 'drift.threshold_share'`,
  );
  const rawColumns = drift.columns ?? {};
  if (!isRecord(rawColumns))
    throw new UserError(`drift report ${shownAs}: 'drift.columns' must be an object keyed by column name`);
  const columns: DriftedColumn[] = [];
  for (const [name, value] of Object.entries(rawColumns)) {
    if (!isRecord(value))
      throw new UserError(`drift report ${shownAs}: 'drift.columns.${name}' must be an object`);
    if (value.drift !== true) continue;
    const column: DriftedColumn = { name };
    if (typeof value.method === 'string') column.method = value.method;
    if (typeof value.score === 'number' && Number.isFinite(value.score)) column.score = value.score;
    const histogram = isRecord(value.histogram) ? value.histogram.current : undefined;
    if (
      Array.isArray(histogram) &&
      histogram.every((entry) => typeof entry === 'number' && Number.isFinite(entry))
    ) {
      column.histogram = histogram as number[];
    }
    columns.push(column);
  }
  columns.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    detected: drift.detected,
    ...(share !== undefined ? { share } : {}),
    ...(thresholdShare !== undefined ? { thresholdShare } : {}),
    columns,
    columnsTested: Object.keys(rawColumns).length,
    source: 'report',
  };
}

/** No drift information (force: true alone): the commit stands in for the data's identity. */
export function noDriftSignal(identity: string): DriftSignal {
  return { detected: false, columns: [], source: 'none', identity };
}

/** The drift-detected / drift-share inputs: detected defaults to share >= threshold when only a share is given. */
export function driftSignalFromInputs(detected: boolean | undefined, share: number | undefined): DriftSignal {
  return {
    detected: detected ?? (share !== undefined && share > 0),
    ...(share !== undefined ? { share } : {}),
    columns: [],
    source: 'inputs',
  };
}

function optionalShare(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UserError(`${what} must be a number between 0 and 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
