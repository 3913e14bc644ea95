import { UserError } from '@mlops/kit';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Receives each record's fields (the array is reused: copy what you keep) and its first physical line. */
export type RecordHandler = (fields: string[], line: number) => void;

/**
 * A streaming RFC 4180 parser over decoded text chunks: quoted fields with doubled quotes, delimiters and
 * newlines inside quotes, CRLF / LF / CR line ends. Chunks may split a record anywhere; the unfinished
 * record is carried into the next chunk, so the parser holds at most one record besides the current chunk.
 *
 * Hand-written over `charCodeAt` rather than a generic tokenizer: unquoted fields, by far the common case,
 * are one tight scan and one `slice`, and nothing is allocated per character.
 */
export class CsvParser {
  private carry = '';
  /** Physical line (1-based) where the carried, unfinished record starts. */
  private line = 1;
  private readonly fields: string[] = [];
  private readonly delimiter: number;

  constructor(
    private readonly file: string,
    delimiter: string,
    private readonly onRecord: RecordHandler,
  ) {
    if (delimiter.length !== 1) throw new UserError(`delimiter must be one character, got '${delimiter}'`);
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Parses every complete record of `chunk` (plus what was carried); keeps the unfinished tail. */
  push(chunk: string): void {
    this.parse(this.carry.length === 0 ? chunk : this.carry + chunk, false);
  }

  /** End of input: the carried tail is the last record (a missing final newline is fine). */
  end(): void {
    if (this.carry.length > 0) this.parse(this.carry, true);
    this.carry = '';
  }

  private parse(text: string, final: boolean): void {
    const n = text.length;
    const delimiter = this.delimiter;
    const fields = this.fields;
    fields.length = 0;
    let i = 0;
    let recordStart = 0;
    let line = this.line;
    let recordLine = line;
    scan: while (i < n) {
      let c = text.charCodeAt(i);
      if (c === QUOTE) {
        let value = '';
        let segment = i + 1;
        let j = segment;
        for (;;) {
          const quote = text.indexOf('"', j);
          if (quote === -1) {
            if (!final) break scan;
            throw new UserError(
              `${this.file}: line ${recordLine}: a quoted field is never closed (a '"' is missing or unescaped; write "" inside quotes)`,
            );
          }
          if (quote + 1 >= n && !final) break scan; // cannot tell `"` from `""` yet
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += text.slice(segment, quote + 1);
            j = quote + 2;
            segment = j;
            continue;
          }
          value += text.slice(segment, quote);
          i = quote + 1;
          break;
        }
        if (value.indexOf('\n') !== -1) line += countLineFeeds(value);
        fields.push(value);
        if (i < n) {
          c = text.charCodeAt(i);
          if (c !== delimiter && c !== LF && c !== CR) {
            throw new UserError(
              `${this.file}: line ${line}, field ${fields.length}: unexpected text after a closing quote (quotes inside a quoted field must be doubled: "")`,
            );
          }
        }
      } else {
        let j = i;
        while (j < n) {
          c = text.charCodeAt(j);
          if (c === delimiter || c === LF || c === CR) break;
          j++;
        }
        if (j >= n && !final) break;
        fields.push(text.slice(i, j));
        i = j;
      }
      if (i >= n) break; // final: last record without a newline
      c = text.charCodeAt(i);
      if (c === delimiter) {
        i++;
        if (i >= n) {
          if (!final) break;
          fields.push('');
        }
        continue;
      }
      if (c === CR) {
        if (i + 1 >= n && !final) break; // a CRLF may be split across chunks
        i++;
        if (i < n && text.charCodeAt(i) === LF) i++;
      } else {
        i++; // LF
      }
      this.onRecord(fields, recordLine);
      fields.length = 0;
      line++;
      recordStart = i;
      recordLine = line;
    }
    if (final && fields.length > 0) {
      this.onRecord(fields, recordLine);
      recordStart = n;
    }
    fields.length = 0;
    this.carry = recordStart >= n ? '' : text.slice(recordStart);
    this.line = recordLine;
  }
}

function countLineFeeds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
