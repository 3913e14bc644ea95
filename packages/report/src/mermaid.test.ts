import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { curveChart, histogramChart, interpolateAt, MAX_BARS, mermaidLabel, toShares } from './mermaid.ts';

/**
 * The statements of a fenced chart, checked for shape: nothing but the statements we write, our own palette
 * directive (built from constants: hex colours and a width only) and the colour caption after the fence.
 */
function statements(chart: string): string[] {
  const lines = chart.split('\n');
  expect(lines[0]).toBe('```mermaid');
  expect(lines[1]).toMatch(
    /^%%\{init: \{"xyChart":\{"width":\d+\},"themeVariables":\{"xyChart":\{"plotColorPalette":"#[0-9A-F]{6}(, #[0-9A-F]{6})*"\}\}\}\}%%$/,
  );
  expect(lines[2]).toBe('xychart-beta');
  expect(lines.at(-2)).toBe('```');
  expect(lines.at(-1)).toMatch(/^<sub>Colours: [\p{L}\p{N} ._+\-/=()–,]+\.<\/sub>$/u);
  const body = lines.slice(3, -2);
  for (const line of body) {
    expect(line).toMatch(
      /^ {2}(title "[^"`%]*"|x-axis ("[^"`%]*" )?\[("[^"`%]*"(, )?)*\]|y-axis "[^"`%]*"( [\d.]+ --> [\d.]+)?|bar \[[-\d., ]*\]|line \[[-\d., ]*\])$/u,
    );
  }
  return body;
}

describe('mermaidLabel', () => {
  it('keeps a whitelist and removes directive, quote and fence characters', () => {
    expect(mermaidLabel('%%{init: {"theme":"dark"}}%%')).toBe('___init_ __theme___dark_____');
    expect(mermaidLabel('age (years)')).toBe('age (years)');
    expect(mermaidLabel('```')).toBe('___');
    expect(mermaidLabel('')).toBe('_');
    expect(mermaidLabel('a\nb')).toBe('a b');
    expect([...mermaidLabel('x'.repeat(100))].length).toBe(30);
  });

  it('property: output is whitelisted, one line, non-empty', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const label = mermaidLabel(text);
        expect(label).toMatch(/^[\p{L}\p{N} ._+\-/=()–]+$/u);
        expect(label).not.toContain('%%');
      }),
      { numRuns: 200 },
    );
  });
});

describe('histogramChart', () => {
  it('draws reference shares as bars and current shares as a line', () => {
    const chart = histogramChart('age', { edges: [0, 10, 20], reference: [30, 10], current: [1, 3] })!;
    const body = statements(chart);
    expect(body).toContain('  x-axis "bin (lower edge)" ["0", "10"]');
    expect(chart).toContain('"plotColorPalette":"#0072B2, #E69F00"');
    expect(chart.split('\n').at(-1)).toBe(
      '<sub>Colours: blue bars = reference, orange line = current.</sub>',
    );
    expect(body).toContain('  bar [0.75, 0.25]');
    expect(body).toContain('  line [0.25, 0.75]');
    expect(body).toContain('  y-axis "share of rows" 0 --> 0.825');
  });

  it('keeps injected category names inside their quotes', () => {
    const chart = histogramChart('col"]\n%%{init:{}}%%', {
      categories: ['a"] \n%%{init: {"theme": "forest"}}%%\nbar [1]', '```', '<b>x</b>'],
      reference: [1, 2, 3],
      current: [3, 2, 1],
    })!;
    const body = statements(chart);
    expect(body).toHaveLength(5);
    expect(chart.match(/```/g)).toHaveLength(2);
    // The only directive is our palette: report data never reaches a `%%` line.
    expect(chart.match(/%%/g)).toHaveLength(2);
  });

  it('merges numeric bins and folds categories beyond the bar limit', () => {
    const edges = Array.from({ length: 101 }, (_, index) => index);
    const counts = Array.from({ length: 100 }, () => 1);
    const numeric = statements(histogramChart('x', { edges, reference: counts, current: counts })!);
    const bars = numeric.find((line) => line.startsWith('  bar'))!;
    expect(bars.split(',').length).toBeLessThanOrEqual(MAX_BARS);
    const categories = Array.from({ length: 40 }, (_, index) => `c${index}`);
    const reference = categories.map((_, index) => index);
    const categorical = statements(histogramChart('y', { categories, reference, current: reference })!);
    const axis = categorical.find((line) => line.startsWith('  x-axis'))!;
    expect(axis.split(',').length).toBe(MAX_BARS);
    expect(axis).toContain('"other"');
    expect(axis).toContain('"c39"');
  });

  it('returns undefined for malformed histograms', () => {
    expect(histogramChart('x', { edges: [0, 1], reference: [1, 2], current: [1, 2] })).toBeUndefined();
    expect(histogramChart('x', { categories: ['a'], reference: [1], current: [1, 2] })).toBeUndefined();
    expect(histogramChart('x', { reference: [], current: [] })).toBeUndefined();
  });

  it('normalises counts to shares', () => {
    expect(toShares([1, 3])).toEqual([0.25, 0.75]);
    expect(toShares([0, 0])).toEqual([0, 0]);
    expect(toShares([Number.NaN, 2, -1])).toEqual([0, 1, 0]);
  });
});

describe('curves', () => {
  it('interpolates between points and takes the upper point on vertical ROC segments', () => {
    expect(interpolateAt([0, 1], [0, 1], 0.25)).toBeCloseTo(0.25);
    expect(interpolateAt([0, 0, 0.5, 1], [0, 0.6, 0.8, 1], 0)).toBe(0.6);
    expect(interpolateAt([0.2, 0.8], [0.1, 0.9], 0)).toBe(0.1);
    expect(interpolateAt([0.2, 0.8], [0.1, 0.9], 1)).toBe(0.9);
  });

  it('draws each model and the diagonal on an even grid', () => {
    const chart = curveChart('ROC', 'false positive rate', 'true positive rate', [
      { name: 'challenger', x: [0, 0, 1], y: [0, 0.5, 1] },
      { name: 'champion', x: [0, 1], y: [0, 1] },
    ]);
    const body = statements(chart);
    expect(body.filter((line) => line.startsWith('  line'))).toEqual([
      '  line [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1]',
      '  line [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]',
      '  line [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]',
    ]);
    expect(body[0]).toBe('  title "ROC - challenger (blue) vs champion (orange)"');
    expect(chart).toContain('"plotColorPalette":"#0072B2, #E69F00, #7F7F7F"');
    expect(chart.split('\n').at(-1)).toBe(
      '<sub>Colours: blue line = challenger, orange line = champion, grey line = diagonal.</sub>',
    );
  });

  it('widens charts with many categories so that axis labels do not collide', () => {
    const categories = Array.from({ length: 24 }, (_, index) => `category-${index}`);
    const counts = categories.map(() => 1);
    const chart = histogramChart('c', { categories, reference: counts, current: counts })!;
    expect(chart).toContain('"width":1152');
    expect(histogramChart('x', { edges: [0, 1, 2], reference: [1, 1], current: [1, 1] })).toContain(
      '"width":700',
    );
  });
});
