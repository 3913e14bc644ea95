import type { StringCodes } from '@mlops/data';
import type { RowEvaluator } from './row-evaluators.ts';

/** A code's verdict under one check: not decided yet, passes, fails. */
const UNDECIDED = 0;
const PASSES = 1;
const FAILS = 2;

/**
 * What a string column's checks remember per dictionary code (see Table.codes), so that a value met in a
 * million rows is tested once: a row check's verdict per code, and which codes have already gone into
 * the distinct set and the contains lookup (both only ever answer whether a value was met). A code keeps
 * its meaning for the whole read, so the memory holds across batches; a batch with another dictionary
 * (another read) starts it afresh.
 */
export class CodedColumn {
  private dictionary: readonly string[] | undefined;
  private readonly verdicts = new Map<RowEvaluator, Int8Array>();
  private met = new Uint8Array(0);
  /** Scratch per batch: rows per code, and the codes met in the batch in order of first appearance. */
  private counts = new Int32Array(0);
  private touched = new Int32Array(0);
  /** Codes met in the current batch (the first `touchedCount` of `touched`). */
  touchedCount = 0;

  /**
   * Counts a batch's codes (rows per code, codes met) and answers the batch's missing rows. Must come
   * before the other calls of the batch.
   */
  countBatch(coded: StringCodes, rowCount: number): number {
    this.adopt(coded.dictionary);
    const codes = coded.codes;
    const counts = this.counts;
    const touched = this.touched;
    let touchedCount = 0;
    let missing = 0;
    for (let r = 0; r < rowCount; r++) {
      const code = codes[r]!;
      if (code < 0) missing++;
      else if (counts[code]!++ === 0) touched[touchedCount++] = code;
    }
    this.touchedCount = touchedCount;
    return missing;
  }

  /** The t-th code met in the batch. */
  touchedCode(t: number): number {
    return this.touched[t]!;
  }

  /** Rows of the batch holding the value of `code` (after countBatch). */
  rowsOf(code: number): number {
    return this.counts[code]!;
  }

  /** Rows of the batch whose value fails the evaluator's test, each value tested once per read. */
  failingRows(evaluator: RowEvaluator): number {
    const verdicts = this.verdictsOf(evaluator);
    const dictionary = this.dictionary!;
    let failing = 0;
    for (let t = 0; t < this.touchedCount; t++) {
      const code = this.touched[t]!;
      let verdict = verdicts[code]!;
      if (verdict === UNDECIDED) {
        verdict = evaluator.test(dictionary[code]!) ? PASSES : FAILS;
        verdicts[code] = verdict;
      }
      if (verdict === FAILS) failing += this.counts[code]!;
    }
    return failing;
  }

  /**
   * The evaluator's failing values in row order, up to `limit` calls of `take` (after failingRows, which
   * decided every code of the batch): the row-order examples the string path would have kept.
   */
  eachFailing(
    evaluator: RowEvaluator,
    coded: StringCodes,
    rowCount: number,
    take: (value: string) => boolean,
  ): void {
    const verdicts = this.verdictsOf(evaluator);
    const dictionary = this.dictionary!;
    const codes = coded.codes;
    for (let r = 0; r < rowCount; r++) {
      const code = codes[r]!;
      if (code >= 0 && verdicts[code] === FAILS && !take(dictionary[code]!)) return;
    }
  }

  /** Whether the value of `code` is met for the first time in this read (and marks it met). */
  firstMet(code: number): boolean {
    if (this.met[code] === 1) return false;
    this.met[code] = 1;
    return true;
  }

  /** The value of a code. */
  valueOf(code: number): string {
    return this.dictionary![code]!;
  }

  /** Clears the per-batch counts (after the batch's last call). */
  endBatch(): void {
    for (let t = 0; t < this.touchedCount; t++) this.counts[this.touched[t]!] = 0;
    this.touchedCount = 0;
  }

  /** Takes the batch's dictionary: the same one grown since (room for its new codes), or another read's. */
  private adopt(dictionary: readonly string[]): void {
    if (dictionary !== this.dictionary) {
      this.dictionary = dictionary;
      this.verdicts.clear();
      this.met = new Uint8Array(this.counts.length);
    }
    const size = dictionary.length;
    if (this.counts.length >= size) return;
    const capacity = Math.max(size, this.counts.length * 2);
    this.counts = new Int32Array(capacity);
    this.touched = new Int32Array(capacity);
    const met = new Uint8Array(capacity);
    met.set(this.met);
    this.met = met;
    for (const [evaluator, verdicts] of this.verdicts) {
      const more = new Int8Array(capacity);
      more.set(verdicts);
      this.verdicts.set(evaluator, more);
    }
  }

  private verdictsOf(evaluator: RowEvaluator): Int8Array {
    let verdicts = this.verdicts.get(evaluator);
    if (verdicts === undefined) {
      verdicts = new Int8Array(this.counts.length);
      this.verdicts.set(evaluator, verdicts);
    }
    return verdicts;
  }
}
