// Every string that comes from a report is untrusted: column names, category values, model and branch names,
// messages. In a fork pull request all of it is chosen by whoever opened the PR, and the comment is posted
// with a write token, so the text must render as exactly the characters it holds: no links, images, HTML,
// mentions that notify people, issue cross-references, math, or table / <details> breakouts.

/** Zero-width joiner: invisible, but it splits `@user`, `#123` and `GH-123` so GitHub links none of them. */
export const ZWJ = '\u200d';

/**
 * C0 / C1 control characters (tab and newlines are handled separately) and the bidirectional overrides used
 * by "Trojan Source" text, which make a cell read differently from what it holds.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const LINE_BREAKS = /\r\n|[\r\n\t\u2028\u2029\u0085\f\v]/g;

/**
 * ASCII punctuation GitHub's markdown would act on inside a line: emphasis, code, links, images, footnotes,
 * strikethrough, math (`$`), table pipes, the backslash itself. CommonMark lets any ASCII punctuation be
 * backslash-escaped, so over-escaping is harmless. `<`, `>` and `&` become entities instead, because a
 * backslash does not stop an entity reference or every HTML construct.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+!|~$^]/g;

export interface EscapeOptions {
  /** Longer text is cut (at a code point) and ends with an ellipsis. Default: no limit. */
  maxLength?: number;
}

/** Any report value as plain text: strings as they are, numbers and booleans printed, objects as JSON. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** Removes control and bidi-override characters and folds every kind of line break into one space. */
export function stripControl(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROL, '');
}

/** Cuts to at most `maxLength` UTF-16 units without splitting a surrogate pair, ending with `…`. */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 1) return '…'.slice(0, Math.max(0, maxLength));
  let cut = text.slice(0, maxLength - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Breaks the patterns GitHub turns into links or notifications after rendering: `@user` / `@org/team`
 * mentions, `#123`, `GH-123`, `owner/repo#123`, and bare-URL autolinks (`https://`, `www.`). These are found
 * in the rendered text, so entity-encoding the `@` would not help; an invisible joiner does.
 */
export function neutraliseReferences(text: string): string {
  return text
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/(GH)-(?=\d)/gi, `$1${ZWJ}-`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/(www)\./gi, `$1${ZWJ}.`);
}

/**
 * Untrusted text made inert for a table cell or inline markdown: one line, no control characters, HTML and
 * entities shown literally, markdown punctuation escaped, mentions / issue references / autolinks broken.
 *
 * @example escapeMarkdown('[x](https://evil) | @alice <b>') // => '\\[x\\]\\(https:‍//evil\\) \\| @‍alice &lt;b&gt;'
 */
export function escapeMarkdown(value: unknown, options: EscapeOptions = {}): string {
  let text = stripControl(toText(value));
  if (options.maxLength !== undefined) text = truncateText(text, options.maxLength);
  text = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, (character) => `\\${character}`);
  // A run of spaces at the start of a line could make an indented code block; inside a cell it is trimmed
  // anyway, so collapse runs to keep the output compact and predictable.
  return neutraliseReferences(text.replace(/ {2,}/g, ' '));
}

/**
 * Untrusted text inside raw HTML (a `<summary>`), where markdown backslash escapes would show literally:
 * entities for `& < >` (it is
 * element text, never an attribute value), one line, mentions and references broken.
 *
 * @example escapeHtml('<img src=x> @bob') // => '&lt;img src=x&gt; @‍bob'
 */
export function escapeHtml(value: unknown, options: EscapeOptions = {}): string {
  let text = stripControl(toText(value));
  if (options.maxLength !== undefined) text = truncateText(text, options.maxLength);
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return neutraliseReferences(escaped);
}

export interface InlineCodeOptions extends EscapeOptions {
  /**
   * The span sits in a table cell: GitHub splits cells on `|` even inside code spans, so pipes are escaped
   * (the table parser removes the backslash). Outside tables the backslash would show, so it is off.
   */
  table?: boolean;
}

/**
 * Untrusted text as a code span: fenced by one more backtick than its longest backtick run, padded when it
 * starts or ends with a backtick, one line, no control characters. Inside a code span GitHub renders no
 * markdown, HTML, entities or mentions.
 *
 * @example inlineCode('a`b') // => '``a`b``'
 */
export function inlineCode(value: unknown, options: InlineCodeOptions = {}): string {
  let text = stripControl(toText(value));
  if (options.maxLength !== undefined) text = truncateText(text, options.maxLength);
  // A backslash right before a pipe would escape our escaping backslash (`\\|` splits the cell), and no
  // escape inside a code span can say "backslash, then pipe": an invisible joiner keeps them apart.
  if (options.table) text = text.replace(/\\(?=\|)/g, `\\${ZWJ}`).replace(/\|/g, '\\|');
  if (text === '') return '` `';
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark strips one space from both ends when both are present, so pad whenever an edge could merge
  // with the fence or lose a meaningful space.
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A link only when the URL is http(s) and, when hosts are given, on one of them; otherwise the escaped text
 * alone. Reports can carry URLs (a dispatched run's URL), and a fork's report could point anywhere.
 */
export function safeLink(text: string, url: unknown, allowedHosts?: readonly string[]): string {
  const label = escapeMarkdown(text, { maxLength: 200 });
  if (typeof url !== 'string') return label;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return label;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return label;
  if (allowedHosts && !allowedHosts.includes(parsed.host)) return label;
  // Parentheses, spaces and angle brackets would end or break the link destination; percent-encode them.
  const href = parsed.href.replace(
    /[()<> "'`|\\]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${label}](${href})`;
}
