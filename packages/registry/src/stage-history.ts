import type { StageEvent } from './types.ts';

/**
 * The version a stage held before the current holder's tenure began: walking back through the holder after
 * each event, the first holder that differs from the current one. Rolling back twice therefore undoes the
 * rollback, as an operator expects from "go back to what was there before".
 */
export function previousHolder(holders: readonly (string | undefined)[]): string | undefined {
  const current = holders.at(-1);
  for (let index = holders.length - 2; index >= 0; index--) {
    if (holders[index] !== current) return holders[index];
  }
  return undefined;
}

/** Audit-trail lines for reports and summaries, oldest first. */
export function describeEvent(event: StageEvent): string {
  const from = event.previousVersion ?? '(none)';
  const to = event.version ?? '(unassigned)';
  const who = event.actor ? ` by ${event.actor}` : '';
  return `${event.at} ${event.action} ${event.name} ${event.stage}: ${from} -> ${to}${who}`;
}
