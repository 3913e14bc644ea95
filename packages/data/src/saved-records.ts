import { parseNumberBytes } from './cell-codec.ts';
import { RecordView } from './csv-parser.ts';

/**
 * CSV records kept while column types are being inferred, as spans over the parser's byte chunks rather
 * than one string per field: the first 65,536 rows of a 12-column file would otherwise be ~800,000
 * strings that live long enough to be promoted to the old generation and then die there (tens of MB of
 * heap that a streamed read never gives back). Replayed through the typed path once the types are known.
 */
export class SavedRecords {
  private readonly texts: Buffer[] = [];
  private textOf = new Int32Array(1024);
  private lines = new Int32Array(1024);
  private starts: Int32Array;
  private ends: Int32Array;
  /** Unescaped values of quoted fields with doubled quotes, by record * width + field. */
  private readonly escaped = new Map<number, string>();
  count = 0;

  constructor(private readonly width: number) {
    this.starts = new Int32Array(1024 * width);
    this.ends = new Int32Array(1024 * width);
  }

  save(record: RecordView): void {
    const r = this.count;
    if (r === this.lines.length) this.grow();
    if (this.texts[this.texts.length - 1] !== record.bytes) this.texts.push(record.bytes);
    this.textOf[r] = this.texts.length - 1;
    this.lines[r] = record.line;
    const width = this.width;
    const base = r * width;
    this.starts.set(record.starts.subarray(0, width), base);
    this.ends.set(record.ends.subarray(0, width), base);
    if (record.hasEscaped) {
      for (let k = 0; k < width; k++) {
        const value = record.escaped[k];
        if (value !== undefined) this.escaped.set(base + k, value);
      }
    }
    this.count++;
  }

  /** Hands every saved record to `visit` in order (one reused view), then forgets them. */
  replay(visit: (record: RecordView) => void): void {
    const view = new RecordView();
    const width = this.width;
    for (let r = 0; r < this.count; r++) {
      view.reset();
      view.bytes = this.texts[this.textOf[r]!]!;
      view.line = this.lines[r]!;
      const base = r * width;
      for (let k = 0; k < width; k++) {
        const start = this.starts[base + k]!;
        const end = this.ends[base + k]!;
        const escaped = this.escaped.get(base + k);
        view.push(
          start,
          end,
          escaped,
          escaped === undefined ? parseNumberBytes(view.bytes, start, end) : Number.NaN,
        );
      }
      visit(view);
    }
    this.texts.length = 0;
    this.escaped.clear();
    this.count = 0;
  }

  private grow(): void {
    const rows = this.lines.length * 2;
    const widen = (array: Int32Array, size: number) => {
      const grown = new Int32Array(size);
      grown.set(array);
      return grown;
    };
    this.textOf = widen(this.textOf, rows);
    this.lines = widen(this.lines, rows);
    this.starts = widen(this.starts, rows * this.width);
    this.ends = widen(this.ends, rows * this.width);
  }
}
