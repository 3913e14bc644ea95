// Structural checks that a pull-request comment body renders on GitHub as intended: GitHub-flavoured tables
// whose delimiter row matches the header (otherwise GitHub shows the pipes as text), closed code fences,
// balanced <details>, Mermaid xychart-beta blocks whose series match their x-axis, and the REST size limit.
// Not a full Markdown or Mermaid parser: it catches the mistakes that turn a report into a wall of text.

/** GitHub rejects a longer issue-comment body with 422 (REST docs, "Create an issue comment"). */
export const COMMENT_BODY_LIMIT = 65_536;

export interface MarkdownCheck {
  tables: number;
  charts: number;
  mermaidBlocks: number;
  problems: string[];
}

export function checkCommentMarkdown(body: string): MarkdownCheck {
  const problems: string[] = [];
  const lines = body.split(/\r?\n/);
  let tables = 0;
  let charts = 0;
  let mermaidBlocks = 0;

  if (body.length > COMMENT_BODY_LIMIT) {
    problems.push(`body is ${body.length} characters; GitHub accepts at most ${COMMENT_BODY_LIMIT}`);
  }

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const fence = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence) {
      const [, marker, language] = fence;
      const start = index;
      const block: string[] = [];
      index++;
      while (index < lines.length && !lines[index]!.trim().startsWith(marker!)) block.push(lines[index++]!);
      if (index >= lines.length) {
        problems.push(`line ${start + 1}: code fence ${marker} is never closed`);
        break;
      }
      if (language === 'mermaid') {
        mermaidBlocks++;
        // A `%%{init}%%` directive (the chart's palette) may stand before the diagram type.
        const statement = block.find((text) => text.trim() !== '' && !text.trim().startsWith('%%'));
        if (statement?.trim() === 'xychart-beta') {
          charts++;
          problems.push(...checkXyChart(block, start + 2));
        }
      }
      continue;
    }
    if (isTableRow(line) && index + 1 < lines.length && isDelimiterRow(lines[index + 1]!)) {
      tables++;
      const columns = cells(line).length;
      const delimiter = cells(lines[index + 1]!).length;
      if (delimiter !== columns) {
        problems.push(
          `line ${index + 2}: table delimiter row has ${delimiter} cells, header has ${columns}: GitHub will not render the table`,
        );
      }
      index += 2;
      while (index < lines.length && isTableRow(lines[index]!)) {
        const count = cells(lines[index]!).length;
        if (count > columns) {
          problems.push(
            `line ${index + 1}: table row has ${count} cells, header has ${columns} (extra cells are dropped; an unescaped | in a value?)`,
          );
        }
        index++;
      }
      index--;
    } else if (isDelimiterRow(line) && (index === 0 || !isTableRow(lines[index - 1]!))) {
      problems.push(`line ${index + 1}: table delimiter row without a header row`);
    }
  }

  const opened = (body.match(/<details\b/gi) ?? []).length;
  const closed = (body.match(/<\/details>/gi) ?? []).length;
  if (opened !== closed) problems.push(`${opened} <details> opened but ${closed} closed`);

  return { tables, charts, mermaidBlocks, problems };
}

function isTableRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

function isDelimiterRow(line: string): boolean {
  return /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(line);
}

/** Cells of a row, honouring `\|` escapes (GitHub's rule for a pipe inside a cell). */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/);
}

/** xychart-beta: https://mermaid.js.org/syntax/xyChart.html — a categorical x-axis fixes the series length. */
function checkXyChart(block: string[], firstLine: number): string[] {
  const problems: string[] = [];
  let categories: number | undefined;
  const series: { line: number; length: number }[] = [];
  for (const [offset, raw] of block.entries()) {
    const line = raw.trim();
    const where = `line ${firstLine + offset}`;
    if (line === '' || line === 'xychart-beta' || line.startsWith('%%')) continue;
    if (/^(title|x-axis|y-axis|bar|line)\b/.test(line) === false && line !== 'horizontal') {
      problems.push(`${where}: unknown xychart-beta statement '${line.slice(0, 40)}'`);
      continue;
    }
    const list = /\[(.*)\]\s*$/.exec(line);
    if (line.startsWith('x-axis') && list) categories = splitList(list[1]!).length;
    if (/^(bar|line)\b/.test(line)) {
      if (!list) {
        problems.push(`${where}: ${line.split(' ')[0]} series without [values]`);
        continue;
      }
      const values = splitList(list[1]!);
      const bad = values.find((value) => !Number.isFinite(Number(value)));
      if (bad !== undefined) problems.push(`${where}: series value '${bad}' is not a number`);
      series.push({ line: firstLine + offset, length: values.length });
    }
    if (line.startsWith('y-axis') && !list) {
      const range = /(-?[\d.e+-]+)\s*-->\s*(-?[\d.e+-]+)\s*$/.exec(line);
      if (range && !(Number(range[1]) < Number(range[2]))) {
        problems.push(`${where}: y-axis range ${range[1]} --> ${range[2]} is empty`);
      }
    }
  }
  if (series.length === 0) problems.push(`line ${firstLine - 1}: xychart-beta without a bar or line series`);
  if (categories !== undefined) {
    for (const { line, length } of series) {
      if (length !== categories) {
        problems.push(`line ${line}: series has ${length} values for ${categories} x-axis categories`);
      }
    }
  }
  return problems;
}

/** Splits `"a", "b, c", 3` on commas outside double quotes. */
function splitList(text: string): string[] {
  return (text.match(/"[^"]*"|[^,]+/g) ?? []).map((item) => item.trim()).filter((item) => item !== '');
}
