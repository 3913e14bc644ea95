// Metrics histories as the tools users train with write them, read into rows that remember their place in
// the file. Three formats:
// - CSV as Keras' CSVLogger (`epoch` then one column per metric, one row per epoch) and Lightning's CSVLogger
//   (`metrics.csv`: `step`, `epoch`, one column per metric, train and validation on different, sparse rows);
// - JSON Lines, one object per logged step;
// - Hugging Face's `trainer_state.json`, whose `log_history` holds training rows {loss, grad_norm,
//   learning_rate, epoch, step} and evaluation rows {eval_loss, eval_<metric>, epoch, step}.
// Python's csv and json modules write non-finite floats as `nan` / `inf` and `NaN` / `Infinity` (json.dumps
// allows them by default): both are read as the values they stand for, since finding them is the point.
import path from 'node:path';
import { CsvParser } from '@mlops/data';
import { UserError } from '@mlops/kit';
import type { LogFormat, LogRecord, RawLog, SourcePlace } from './types.ts';

/** The format from the file name (and, for `.json`, its content); undefined when it cannot be told. */
export function detectLogFormat(file: string): LogFormat | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  const extension = path.extname(name);
  if (extension === '.csv' || extension === '.tsv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.json') return 'trainer-state';
  return undefined;
}

/** Reads a log's text in the given format (file = the name shown in messages). */
export function parseLog(text: string, file: string, format: Exclude<LogFormat, 'mlflow'>): RawLog {
  if (text.trim() === '') throw new UserError(`${file}: the log is empty (expected a metrics history)`);
  if (format === 'csv') return parseCsvLog(text, file);
  if (format === 'jsonl') return parseJsonLinesLog(text, file);
  return parseTrainerState(text, file);
}

function parseCsvLog(text: string, file: string): RawLog {
  const delimiter = file.toLowerCase().replace(/\.gz$/, '').endsWith('.tsv') ? '\t' : ',';
  let header: string[] | undefined;
  let headerLine = 1;
  const records: LogRecord[] = [];
  const parser = new CsvParser(file, delimiter, (record) => {
    if (record.isBlank()) return;
    const fields = record.fields();
    if (header === undefined) {
      header = fields.map((field) => field.trim());
      headerLine = record.line;
      const seen = new Set<string>();
      header.forEach((name, index) => {
        if (name === '')
          throw new UserError(`${file} line ${record.line}: column ${index + 1} of the header has no name`);
        if (seen.has(name))
          throw new UserError(`${file} line ${record.line}: column '${name}' appears twice`);
        seen.add(name);
      });
      return;
    }
    if (fields.length !== header.length) {
      throw new UserError(
        `${file} line ${record.line}: ${fields.length} fields, but the header (line ${headerLine}) has ${header.length}`,
      );
    }
    const values = new Map<string, unknown>();
    fields.forEach((field, index) => {
      const value = field.trim();
      if (value !== '') values.set(header![index]!, value);
    });
    records.push({ place: { file, line: record.line }, values });
  });
  parser.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  parser.end();
  if (header === undefined) throw new UserError(`${file}: the log is empty (expected a header row)`);
  if (records.length === 0)
    throw new UserError(`${file}: the log has a header but no rows (no metrics were logged)`);
  return { file, format: 'csv', records, keys: header };
}

function parseJsonLinesLog(text: string, file: string): RawLog {
  const records: LogRecord[] = [];
  const keys = new KeyList();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(quoteNonFinite(raw));
    } catch (error) {
      throw new UserError(`${file} line ${line}: not valid JSON (${(error as Error).message})`);
    }
    if (!isPlainObject(parsed)) throw new UserError(`${file} line ${line}: expected a JSON object per line`);
    records.push(recordOf(parsed, { file, line }, keys));
  });
  if (records.length === 0) throw new UserError(`${file}: the log is empty (no JSON objects)`);
  return { file, format: 'jsonl', records, keys: keys.list };
}

function parseTrainerState(text: string, file: string): RawLog {
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteNonFinite(text));
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed) || !('log_history' in parsed)) {
    throw new UserError(
      `${file}: expected a Hugging Face trainer_state.json with a 'log_history' list (for one JSON object per line, name the file .jsonl or set format: jsonl)`,
    );
  }
  const history = parsed.log_history;
  if (!Array.isArray(history)) throw new UserError(`${file}: 'log_history' must be a list`);
  if (history.length === 0) throw new UserError(`${file}: 'log_history' is empty (no metrics were logged)`);
  const keys = new KeyList();
  const lines = logHistoryLines(text);
  const records = history.map((entry, index) => {
    const place: SourcePlace = { file, index, ...(lines[index] === undefined ? {} : { line: lines[index] }) };
    if (!isPlainObject(entry)) throw new UserError(`${describePlace(place)} is not an object`);
    return recordOf(entry, place, keys);
  });
  return { file, format: 'trainer-state', records, keys: keys.list };
}

/**
 * The 1-based line where each element of the top-level `log_history` list starts, found by scanning the text
 * (strings skipped), so a bad value is named by line as in the other formats. Empty when the list is not found.
 */
function logHistoryLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  /** Depth of the log_history array's elements, once its `[` is seen. */
  let elementDepth = -1;
  let lastKey = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '\n') line++;
    else if (character === '"') {
      const start = index + 1;
      index++;
      while (index < text.length && text[index] !== '"') {
        if (text[index] === '\\') index++;
        else if (text[index] === '\n') line++;
        index++;
      }
      lastKey = text.slice(start, index);
    } else if (character === '{' || character === '[') {
      if (depth === 1 && character === '[' && lastKey === 'log_history' && elementDepth === -1)
        elementDepth = depth + 1;
      else if (depth === elementDepth) lines.push(line);
      depth++;
    } else if (character === '}' || character === ']') {
      depth--;
      if (elementDepth !== -1 && depth < elementDepth - 1) break;
    } else if (depth === elementDepth && !/[\s,]/.test(character)) {
      lines.push(line); // a scalar element: not an object, but it has a line too
      while (index + 1 < text.length && !/[\s,\]]/.test(text[index + 1]!)) index++;
    }
  }
  return lines;
}

/** Keys in first-seen order. */
class KeyList {
  readonly list: string[] = [];
  private readonly seen = new Set<string>();
  add(key: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(key);
  }
}

function recordOf(object: Record<string, unknown>, place: SourcePlace, keys: KeyList): LogRecord {
  const values = new Map<string, unknown>();
  for (const [key, value] of Object.entries(object)) {
    if (value === null || value === undefined) continue;
    keys.add(key);
    values.set(key, value);
  }
  return { place, values };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Python's json writes NaN, Infinity and -Infinity bare, which JSON.parse refuses: quote them (outside
 * strings only), so they arrive as the strings MLflow's protobuf JSON also uses, and numberOf reads them.
 */
export function quoteNonFinite(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = '';
  let index = 0;
  let copied = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (character === '"') {
      index++;
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
      index++;
      continue;
    }
    const match = /^(-?Infinity|NaN)/.exec(text.slice(index, index + 9));
    if (match) {
      out += `${text.slice(copied, index)}"${match[1]}"`;
      index += match[1]!.length;
      copied = index;
      continue;
    }
    index++;
  }
  return out + text.slice(copied);
}

const NON_FINITE: Record<string, number> = {
  nan: Number.NaN,
  '-nan': Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A logged value as a number (NaN and infinities included), or undefined when it is not a number at all. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const nonFinite = NON_FINITE[text.toLowerCase()];
  if (nonFinite !== undefined) return nonFinite;
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/** "metrics.csv line 7" / "trainer_state.json log_history[3]". */
export function describePlace(place: SourcePlace): string {
  if (place.line !== undefined && place.index !== undefined)
    return `${place.file} line ${place.line} (log_history[${place.index}])`;
  if (place.line !== undefined) return `${place.file} line ${place.line}`;
  if (place.index !== undefined) return `${place.file} log_history[${place.index}]`;
  return place.file;
}
