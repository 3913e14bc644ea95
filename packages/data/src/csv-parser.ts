import { UserError } from '@mlops/kit';
import { exactDecimal, parseNumberBytes } from './cell-codec.ts';
import { decodeUtf8 } from './utf8.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const POINT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;
const EMPTY = Buffer.alloc(0);

/**
 * One record as spans over the UTF-8 bytes being parsed, valid only during the callback: field k is
 * `bytes[starts[k], ends[k])`, unless a quoted field contained doubled quotes, in which case its unescaped
 * value is `escaped[k]`. `numbers[k]` is the field read as a plain decimal (see cell-codec's
 * `parseNumberBytes`), NaN when it is not one: numeric fields are never decoded, and their bytes are read
 * once, by the scan that finds the field's end.
 */
export class RecordView {
  bytes: Buffer = EMPTY;
  count = 0;
  line = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  numbers = new Float64Array(64);
  escaped: (string | undefined)[] = [];
  hasEscaped = false;

  /** Field k as a string (allocates). */
  field(k: number): string {
    const value = this.hasEscaped ? this.escaped[k] : undefined;
    return value ?? decodeUtf8(this.bytes, this.starts[k]!, this.ends[k]!);
  }

  /** All fields as strings (for the header and the inference sample). */
  fields(): string[] {
    const out = new Array<string>(this.count);
    for (let k = 0; k < this.count; k++) out[k] = this.field(k);
    return out;
  }

  /** A blank line parses as one empty field. */
  isBlank(): boolean {
    return this.count === 1 && this.starts[0] === this.ends[0] && !this.hasEscaped;
  }

  push(start: number, end: number, escaped: string | undefined, number = Number.NaN): void {
    const k = this.count++;
    if (k === this.starts.length) {
      const starts = new Int32Array(k * 2);
      starts.set(this.starts);
      this.starts = starts;
      const ends = new Int32Array(k * 2);
      ends.set(this.ends);
      this.ends = ends;
      const numbers = new Float64Array(k * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    this.starts[k] = start;
    this.ends[k] = end;
    this.numbers[k] = number;
    if (escaped !== undefined) {
      this.hasEscaped = true;
      this.escaped[k] = escaped;
    } else if (this.hasEscaped) this.escaped[k] = undefined;
  }

  reset(): void {
    this.count = 0;
    if (this.hasEscaped) {
      this.hasEscaped = false;
      this.escaped.length = 0;
    }
  }
}

/** A text a parser parsed: a chunk, or an unfinished record joined to the bytes that end it. */
export interface ParsedText {
  text: Buffer;
  /** The input's last text (parsed by end()). */
  final: boolean;
  /** False for input that came after stop(): pushed, not parsed, by parseAgain. */
  parsed: boolean;
}

/** Receives each record (the view is reused: copy what you keep). */
export type RecordHandler = (record: RecordView) => void;

/**
 * A consumer that can take common records straight from the bytes (the batch assembler, once it knows the
 * column types), instead of as RecordViews: asked at each record's start, it reads as many whole records
 * from `text[start, end)` as it can and returns the position after them, having set `scanned` to their
 * count; returning `start` leaves the next record to the parser (and its handler). Those records are not
 * handed to the RecordHandler.
 */
export interface RecordScanner {
  scanned: number;
  scanRecords(
    text: Buffer,
    start: number,
    end: number,
    firstLine: number,
    delimiter: number,
    maxRecordBytes: number,
  ): number;
}

/** Default bound on one record: far above any real row, low enough that one line cannot exhaust memory. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

// Where a boundary scan of an unfinished record stands (see CsvParser.scanForEnd).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: `""` (escaped) or the closing quote, decided by the next character. */
const QUOTE_SEEN = 3;
/** The record can end (or fail) inside what is held: parse it. */
const CAN_END = 4;

/**
 * A streaming RFC 4180 parser over chunks of UTF-8 bytes: quoted fields with doubled quotes, delimiters
 * and newlines inside quotes, CRLF / LF / CR line ends. Chunks may split a record anywhere (a multi-byte
 * character too: only ASCII bytes are structure, and the bytes of a multi-byte character are all above
 * 0x7f); the unfinished record is carried into the next chunk, so the parser holds at most one record
 * besides the current chunk.
 *
 * Hand-written over bytes rather than decoded text or a generic tokenizer: a field is a span (two
 * integers), not a string, until a consumer asks for one; a numeric field is read as a number by the same
 * scan that finds its end, and is never decoded.
 *
 * A record longer than a chunk is not re-parsed from its start on every chunk (which made one 40 MB cell
 * cost a minute, issue 20): the chunks of an unfinished record are held, and a boundary scan that keeps its
 * state across chunks looks only at each new chunk for the record's end; the record is parsed once, when
 * its end has arrived. A record longer than `maxRecordBytes` (an unclosed quote makes the rest of the file
 * one record) is a UserError naming the line where it starts.
 */
export class CsvParser {
  private carry: Buffer = EMPTY;
  /** Chunks after `carry` that have not completed the carried record yet. */
  private held: Buffer[] = [];
  /** Bytes of carry + held. */
  private heldBytes = 0;
  /** The boundary scan's state at the end of carry + held. */
  private scan = FIELD_START;
  /** Physical line (1-based) where the carried, unfinished record starts. */
  private line = 1;
  private readonly record = new RecordView();
  private readonly delimiter: number;
  /** Takes records before the handler sees them, once set (see RecordScanner). */
  scanner: RecordScanner | undefined;
  /** Set by stop(): nothing more is parsed. */
  private stopped = false;
  /**
   * When set, every text parsed is added to it, and any input pushed after stop() (see ParsedText): for
   * another parser to read the same input again (parseAgain).
   */
  parsedTexts: ParsedText[] | undefined;

  constructor(
    private readonly file: string,
    delimiter: string,
    private readonly onRecord: RecordHandler,
    private readonly maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
  ) {
    if (delimiter.length !== 1) throw new UserError(`delimiter must be one character, got '${delimiter}'`);
    // The parser reads bytes: a delimiter is one byte, and a non-ASCII character is several.
    if (delimiter.charCodeAt(0) > 0x7f)
      throw new UserError(`delimiter must be one ASCII character, got '${delimiter}'`);
    this.delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Parses every complete record of `chunk` (plus what was carried); keeps the unfinished tail. Bytes must
   * be valid UTF-8 (see utf8Chunks) and are not copied: the caller must not change them while the parser
   * holds them (holdsInput). Text is encoded first.
   */
  push(chunk: Uint8Array | string): void {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.stopped) {
      // The rest of a chunk whose head ended the carried record: not looked at, but part of the input.
      this.parsedTexts?.push({ text: bytes, final: false, parsed: false });
      return;
    }
    if (this.carry.length === 0) {
      this.parse(bytes, false);
      return;
    }
    const end = this.scanForEnd(bytes);
    if (end === -1) {
      this.held.push(bytes);
      this.heldBytes += bytes.length;
      if (this.heldBytes > this.maxRecordBytes) throw this.tooLong(this.line);
      return;
    }
    // Only the carried record's end is joined to it: the rest of the chunk is parsed where it lies, not
    // copied behind the carry (which copied the whole file once more, chunk by chunk).
    const head = end + (bytes[end] === CR && bytes[end + 1] === LF ? 2 : 1);
    const text = Buffer.concat([this.carry, ...this.held, bytes.subarray(0, head)]);
    this.held = [];
    this.parse(text, false);
    // The rest, after a carry of at most the byte joined past a record that a lone CR had ended.
    if (head < bytes.length) this.push(bytes.subarray(head));
  }

  /** End of input: the carried tail is the last record (a missing final newline is fine). */
  end(): void {
    if (this.stopped) return;
    const tail = this.held.length === 0 ? this.carry : Buffer.concat([this.carry, ...this.held]);
    this.held = [];
    if (tail.length > 0) this.parse(tail, true);
    this.carry = EMPTY;
  }

  /**
   * Whether the parser still refers to the bytes last pushed (a record not ended in them, or a parsedTexts
   * list): until then the caller must not change them. Otherwise it keeps no part of any chunk given.
   */
  get holdsInput(): boolean {
    return this.held.length > 0 || this.parsedTexts !== undefined;
  }

  /**
   * Reads the input another parser was given, from its parsedTexts: the texts it parsed, parsed as it
   * parsed them (the same records at the same lines, the same unfinished record carried after them),
   * without finding the records' ends in the chunks or joining them again. The parser must be new.
   */
  parseAgain(texts: readonly ParsedText[]): void {
    for (const { text, final, parsed } of texts) {
      if (parsed) this.parse(text, final);
      else this.push(text);
    }
  }

  /**
   * Called by the handler: the record it was given is the last one parsed, and nothing after it is looked at
   * (a reader that wants only the first records must not meet a later record's error first).
   */
  stop(): void {
    this.stopped = true;
  }

  private tooLong(line: number): UserError {
    return new UserError(
      `${this.file}: line ${line}: one record is longer than ${this.maxRecordBytes} bytes (the max-record-bytes bound); a '"' that opens a field and is never closed makes the rest of the file one record`,
    );
  }

  /**
   * Advances the boundary scan over `chunk`; the index in it of the byte at which the carried record can end
   * (or is malformed), -1 when it cannot end in it. Follows the parser's own field rules, so a quote inside
   * an unquoted field is text, as there.
   */
  private scanForEnd(chunk: Buffer): number {
    let state = this.scan;
    if (state === CAN_END) return 0;
    const delimiter = this.delimiter;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (state === QUOTED) {
        const quote = chunk.indexOf(QUOTE, i);
        if (quote === -1) break;
        state = QUOTE_SEEN;
        i = quote + 1;
        continue;
      }
      const c = chunk[i]!;
      if (state === QUOTE_SEEN) {
        if (c === QUOTE) state = QUOTED;
        else if (c === delimiter) state = FIELD_START;
        else return i; // a line end, or text after a closing quote (which the parse reports)
      } else if (c === delimiter) state = FIELD_START;
      else if (c === LF || c === CR) return i;
      else if (state === FIELD_START) state = c === QUOTE ? QUOTED : UNQUOTED;
      i++;
    }
    this.scan = state;
    return -1;
  }

  private parse(text: Buffer, final: boolean): void {
    this.parsedTexts?.push({ text, final, parsed: true });
    const n = text.length;
    const delimiter = this.delimiter;
    const record = this.record;
    record.reset();
    record.bytes = text;
    let i = 0;
    let recordStart = 0;
    let line = this.line;
    let recordLine = line;
    /** Where the scanner last declined a record: the parser reads that one. */
    let declined = -1;
    scan: while (i < n) {
      const scanner = this.scanner;
      if (scanner !== undefined && record.count === 0 && i !== declined) {
        const at = scanner.scanRecords(text, i, n, line, delimiter, this.maxRecordBytes);
        if (at === i) declined = i;
        else {
          line += scanner.scanned;
          recordLine = line;
          recordStart = at;
          i = at;
          continue;
        }
      }
      let c = text[i]!;
      if (c === QUOTE) {
        const open = i;
        let value: string | undefined;
        let segment = i + 1;
        let j = segment;
        let end: number;
        for (;;) {
          const quote = text.indexOf(QUOTE, j);
          if (quote === -1) {
            if (!final) break scan;
            throw new UserError(
              `${this.file}: line ${recordLine}: a quoted field is never closed (a '"' is missing or unescaped; write "" inside quotes)`,
            );
          }
          if (quote + 1 >= n && !final) break scan; // cannot tell `"` from `""` yet
          if (text[quote + 1] === QUOTE) {
            value = (value ?? '') + decodeUtf8(text, segment, quote + 1);
            j = quote + 2;
            segment = j;
            continue;
          }
          if (value !== undefined) value += decodeUtf8(text, segment, quote);
          end = quote;
          i = quote + 1;
          break;
        }
        for (let at = text.indexOf(LF, open + 1); at !== -1 && at < end; at = text.indexOf(LF, at + 1))
          line++;
        if (value === undefined) record.push(segment, end, undefined, parseNumberBytes(text, segment, end));
        else record.push(0, 0, value);
        if (i < n) {
          c = text[i]!;
          if (c !== delimiter && c !== LF && c !== CR) {
            throw new UserError(
              `${this.file}: line ${line}, field ${record.count}: unexpected text after a closing quote (quotes inside a quoted field must be doubled: "")`,
            );
          }
        }
      } else {
        // The scan for the field's end also reads it as a plain decimal (parseNumberBytes, inlined): the
        // bytes of a numeric field are visited once. A sign is only a sign when it is not the delimiter.
        let j = i;
        let negative = false;
        if ((c === MINUS || c === PLUS) && c !== delimiter) {
          negative = c === MINUS;
          j++;
        }
        // The mantissa's first nine digits in int32 arithmetic, the rest (rare) in a double: the chain of a
        // multiply and an add per digit is the scan's critical path, and an integer one is the shorter.
        let mantissa = 0;
        let long = 0;
        let digits = 0;
        let point = -1;
        let plain = true;
        while (j < n) {
          c = text[j]!;
          if (c === delimiter || c === LF || c === CR) break;
          const digit = c - ZERO;
          if (digit >= 0 && digit <= 9) {
            if (digits < 9) mantissa = (Math.imul(mantissa, 10) + digit) | 0;
            else long = (digits === 9 ? mantissa : long) * 10 + digit;
            digits++;
          } else if (c === POINT && point === -1) point = j;
          else plain = false;
          j++;
        }
        if (j >= n && !final) break;
        const number = plain
          ? exactDecimal(digits > 9 ? long : mantissa, digits, point === -1 ? 0 : j - point - 1, negative)
          : Number.NaN;
        record.push(i, j, undefined, number);
        i = j;
      }
      if (i >= n) break; // final: last record without a newline
      c = text[i]!;
      if (c === delimiter) {
        i++;
        if (i >= n) {
          if (!final) break;
          record.push(i, i, undefined);
        }
        continue;
      }
      if (c === CR) {
        if (i + 1 >= n && !final) break; // a CRLF may be split across chunks
        i++;
        if (i < n && text[i] === LF) i++;
      } else {
        i++; // LF
      }
      // Only a bound smaller than a chunk is met here.
      if (i - recordStart > this.maxRecordBytes) throw this.tooLong(recordLine);
      record.line = recordLine;
      this.onRecord(record);
      if (this.stopped) return;
      record.reset();
      line++;
      recordStart = i;
      recordLine = line;
    }
    if (final && record.count > 0) {
      record.line = recordLine;
      this.onRecord(record);
      recordStart = n;
    }
    record.reset();
    record.bytes = EMPTY;
    // A copy: the chunk's buffer may be read into again once the parser no longer holds it (holdsInput).
    this.carry = recordStart >= n ? EMPTY : Buffer.from(text.subarray(recordStart));
    this.line = recordLine;
    this.heldBytes = this.carry.length;
    if (this.heldBytes > this.maxRecordBytes) throw this.tooLong(this.line);
    this.scan = FIELD_START;
    if (this.carry.length > 0 && this.scanForEnd(this.carry) !== -1) this.scan = CAN_END;
  }
}
