import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeMarkdown,
  inlineCode,
  safeLink,
  stripControl,
  truncateText,
  ZWJ,
} from './escape.ts';
import { elements, htmlText, renderHtml } from './test-support/render-html.ts';

/** One table cell holding `cell`, rendered; returns the elements inside <td> and the cell's text. */
function renderCell(cell: string): { tags: string[]; text: string; cells: number } {
  const html = renderHtml(`| h |\n|---|\n| ${cell} |\n`);
  const body = html.slice(html.indexOf('<tbody>'));
  const tags = elements(body).filter((tag) => !['tbody', 'tr', 'td'].includes(tag));
  const cells = (body.match(/<td>/g) ?? []).length;
  const match = /<td>([\s\S]*?)<\/td>/.exec(body);
  return { tags, cells, text: htmlText(match?.[1] ?? '') };
}

/** What a reader should see for `input`: controls stripped, whitespace runs folded, no joiners. */
function expectedText(input: string): string {
  // Markdown trims ASCII spaces around a cell or paragraph, not Unicode spaces as String#trim does.
  return stripControl(input)
    .replace(/ {2,}/g, ' ')
    .replace(/^ +| +$/g, '');
}

const ATTACKS = [
  '[click](https://evil.example)',
  '![pixel](https://evil.example/p.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '</details><details open><summary>owned</summary>',
  '<!-- mlops-sticky:mlops -->',
  'a | b | c',
  '@octo-org/admins please merge',
  'fixes #123 and GH-45 and octo/repo#9',
  'see https://evil.example and www.evil.example',
  '**bold** _em_ ~~gone~~ `code`',
  '$\\color{red}{\\text{alert}}$',
  '&lt;b&gt; &#64;bob &amp;',
  '[^1] footnote\n\n[^1]: https://evil.example',
  'line one\nline two\r\n# heading\n- item',
  '\u202eevil\u202c tail\u0000\u0007',
  '<https://evil.example>',
  '[ref]\n\n[ref]: https://evil.example',
  '\\| escaped pipe \\',
];

describe('escapeMarkdown', () => {
  it.each(ATTACKS)('renders %j as exactly its text in a table cell', (attack) => {
    const { tags, text, cells } = renderCell(escapeMarkdown(attack));
    expect(cells).toBe(1);
    expect(tags).toEqual([]);
    expect(text.replaceAll(ZWJ, '')).toBe(expectedText(attack));
  });

  it.each(ATTACKS)('renders %j as exactly its text in a paragraph', (attack) => {
    const html = renderHtml(`Column ${escapeMarkdown(attack)} drifted.`);
    expect(elements(html)).toEqual(['p']);
    expect(htmlText(html).replaceAll(ZWJ, '').trim()).toBe(`Column ${expectedText(attack)} drifted.`);
  });

  it('breaks mentions, issue references and bare URLs for GitHub', () => {
    const out = escapeMarkdown('@alice @octo-org/team #12 GH-7 https://x.io www.x.io');
    expect(out).not.toMatch(/@[A-Za-z]/);
    expect(out).not.toMatch(/#\d/);
    expect(out).not.toMatch(/GH-\d/i);
    expect(out).not.toContain('://');
    expect(out).not.toMatch(/www\./);
    // Joiners are invisible: the reader still sees the original text.
    expect(htmlText(renderHtml(out)).replaceAll(ZWJ, '').trim()).toBe(
      '@alice @octo-org/team #12 GH-7 https://x.io www.x.io',
    );
  });

  it('property: any text renders to its own characters in one cell with no elements', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(...'[]()<>!|*_`~#@$\\&;:/.-+= \n\r\t\u0000\u202e'.split('')),
        fc.constantFrom('http://', 'www.', '&amp;', '&#35;', '<b>', '</td>', 'GH-1', '#1', '@a'),
        fc.string({ unit: 'grapheme', maxLength: 3 }),
      ),
      maxLength: 40,
    });
    fc.assert(
      fc.property(text, (input) => {
        const { tags, text: shown, cells } = renderCell(escapeMarkdown(input));
        expect(cells).toBe(1);
        expect(tags).toEqual([]);
        expect(shown.replaceAll(ZWJ, '')).toBe(expectedText(input));
      }),
      { numRuns: 300 },
    );
  });

  it('truncates long text at a code point with an ellipsis', () => {
    expect(escapeMarkdown('abcdefghij', { maxLength: 5 })).toBe('abcd…');
    expect(truncateText('ab😀cd', 4)).toBe('ab…');
  });

  it('prints non-strings readably', () => {
    expect(escapeMarkdown(42)).toBe('42');
    expect(escapeMarkdown(null)).toBe('');
    expect(escapeMarkdown({ a: [1] })).toBe('\\{"a":\\[1\\]\\}');
  });
});

describe('inlineCode', () => {
  it('fences backticks with a longer run', () => {
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('``')).toBe('``` `` ```');
    expect(inlineCode('')).toBe('` `');
  });

  it('property: the code span shows exactly the text, in a table cell and in a paragraph', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(...'`|<>&@#[]()\\ *_\n'.split('')),
        fc.string({ unit: 'grapheme', maxLength: 2 }),
      ),
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(text, (input) => {
        const visible = stripControl(input);
        fc.pre(visible.trim() !== '');
        const cell = renderCell(inlineCode(input, { table: true }));
        expect(cell.cells).toBe(1);
        expect(cell.tags).toEqual(['code']);
        const paragraph = renderHtml(`x ${inlineCode(input)} y`);
        expect(elements(paragraph)).toEqual(['p', 'code']);
        // CommonMark strips one leading and trailing space of padded spans.
        const code = htmlText(/<code>([\s\S]*)<\/code>/.exec(paragraph)![1]!);
        expect(code).toBe(visible);
        expect(cell.text.replaceAll(ZWJ, '')).toBe(visible.replaceAll(ZWJ, ''));
      }),
      { numRuns: 300 },
    );
  });
});

describe('escapeHtml', () => {
  it('keeps raw-HTML context text inert', () => {
    const html = renderHtml(
      `<details><summary>${escapeHtml('</summary></details><img src=x> @bob #1')}</summary>\n\nbody\n\n</details>`,
    );
    expect(elements(html)).toEqual(['details', 'summary', 'p']);
    expect(html).not.toMatch(/@bob|#1/);
  });
});

describe('safeLink', () => {
  it('links only http(s) URLs on allowed hosts', () => {
    expect(safeLink('run', 'https://github.com/o/r/actions/runs/1', ['github.com'])).toBe(
      '[run](https://github.com/o/r/actions/runs/1)',
    );
    expect(safeLink('run', 'javascript:alert(1)')).toBe('run');
    expect(safeLink('run', 'https://evil.example/x', ['github.com'])).toBe('run');
    expect(safeLink('run', 'not a url')).toBe('run');
    const link = safeLink('[x]', 'https://github.com/a)(b "c"');
    expect(elements(renderHtml(link))).toEqual(['p', 'a']);
    expect(renderHtml(link)).toContain('href="https://github.com/a%29%28b%20%22c%22"');
  });
});
