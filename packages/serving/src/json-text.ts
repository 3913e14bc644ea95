// Reading what a server sent. Python's json module (MLflow, MLServer, KServe) writes NaN / Infinity as bare
// tokens, which is not JSON: read them as non-finite numbers, so a NaN prediction is reported as one and
// not as an unreadable body.

const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};
const SENTINEL = '\u0000mlops-non-finite:';

/**
 * JSON.parse that also accepts the bare NaN, Infinity and -Infinity tokens Python writes (outside strings),
 * returning them as numbers. Throws SyntaxError for anything else that is not JSON.
 * @example parseJsonLenient('{"p": [0.5, NaN]}') // => { p: [0.5, NaN] }
 */
export function parseJsonLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      const end = stringEnd(text, index);
      out += text.slice(index, end);
      index = end;
      continue;
    }
    const token = /^(-Infinity|Infinity|NaN)/.exec(text.slice(index, index + 9))?.[1];
    if (token) {
      out += JSON.stringify(SENTINEL + token);
      index += token.length;
      continue;
    }
    out += char;
    index++;
  }
  return JSON.parse(out, (_key, value) =>
    typeof value === 'string' && value.startsWith(SENTINEL)
      ? NON_FINITE[value.slice(SENTINEL.length)]
      : value,
  );
}

function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    if (text[index] === '\\') index += 2;
    else if (text[index] === '"') return index + 1;
    else index++;
  }
  return text.length;
}

/** The start of a body for a report: at most `max` characters, cut at a code point, with the length said. */
export function bodyExcerpt(text: string, max = 300): string {
  if (text.length <= max) return text;
  const chars = [...text.slice(0, max + 1)].slice(0, max).join('');
  return `${chars}… (${text.length} characters)`;
}
