// A small JSON path for the `json` protocol's predictions: `$.predictions`, `$.outputs[0].data`,
// `$.results[*].score`, `$['odd key'][1]`. Enough to point at an array in any answer; no filters or slices.
import { UserError } from '@mlops/kit';

type Step = { key: string } | { index: number } | { wildcard: true };

/** Parses a path; throws a UserError naming the input and the position of the first bad character. */
export function parseJsonPath(path: string, input = 'predictions-path'): Step[] {
  const steps: Step[] = [];
  let rest = path.trim();
  const fail = (why: string): never => {
    throw new UserError(
      `input '${input}': '${path}' is not a JSON path (${why}); expected e.g. $.predictions or $.outputs[0].data`,
    );
  };
  if (rest.startsWith('$')) rest = rest.slice(1);
  else if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  const patterns: [RegExp, (match: RegExpExecArray) => Step][] = [
    [/^\.([A-Za-z_$][\w$-]*)/, (match) => ({ key: match[1]! })],
    [/^\[(\d+)\]/, (match) => ({ index: Number(match[1]) })],
    [/^(?:\[\*\]|\.\*)/, () => ({ wildcard: true })],
    [
      /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/,
      (match) => ({ key: (match[1] ?? match[2]!).replace(/\\(.)/g, '$1') }),
    ],
  ];
  while (rest !== '') {
    let consumed = 0;
    for (const [pattern, step] of patterns) {
      const match = pattern.exec(rest);
      if (!match) continue;
      steps.push(step(match));
      consumed = match[0].length;
      break;
    }
    if (consumed === 0)
      fail(`unexpected '${rest.slice(0, 12)}' at position ${path.length - rest.length + 1}`);
    rest = rest.slice(consumed);
  }
  return steps;
}

/**
 * The value at a path: with a wildcard, the list of every match; otherwise the one value. undefined when
 * the path leads nowhere (a missing key, an index past the end, a wildcard over a non-array).
 */
export function selectJsonPath(value: unknown, steps: readonly Step[]): unknown {
  let current: unknown[] = [value];
  let many = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if ('wildcard' in step) {
        if (Array.isArray(node)) next.push(...node);
        else if (node !== null && typeof node === 'object') next.push(...Object.values(node));
        else return undefined;
        many = true;
      } else if ('index' in step) {
        if (!Array.isArray(node) || step.index >= node.length) return undefined;
        next.push(node[step.index]);
      } else {
        if (node === null || typeof node !== 'object' || Array.isArray(node) || !(step.key in node))
          return undefined;
        next.push((node as Record<string, unknown>)[step.key]);
      }
    }
    current = next;
  }
  return many ? current : current[0];
}
