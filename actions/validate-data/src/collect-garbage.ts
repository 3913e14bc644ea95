import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * Collects this thread's whole heap now. A column-by-column Parquet pass lets go of every numeric column's
 * exact values within one row group, once they pass the exact limit: buffers that were promoted to the old
 * generation as they filled, whose memory V8 returns only at the next mark-compact, which a pass that keeps
 * little on the JS heap reaches late; with both threads at that point at once, it was the action's peak
 * (bench/parquet.md). Freeing them otherwise costs more: detaching a buffer (a transfer) makes every
 * typed-array access in optimised code check for detachment from then on, and a resizable buffer's typed
 * arrays run the sketches about twice as slowly. Node has no API for a collection; the --expose-gc flag,
 * which a runner does not pass, set at run time gives the contexts made afterwards a `gc`, which collects
 * the isolate (as Jest's leak detector does).
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
