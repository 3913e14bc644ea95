// GitHub-flavoured markdown tables. Cells must already be escaped (escapeMarkdown / inlineCode with
// table: true): this module only lays them out, so one escaping rule lives in one place.

export type Align = 'left' | 'right' | 'center';

export interface Column {
  header: string;
  align?: Align;
}

const SEPARATOR: Record<Align, string> = { left: ':---', right: '---:', center: ':---:' };

/** A table; an empty cell becomes a space so a row never collapses. */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) =>
    `| ${columns.map((_, index) => (cells[index] ?? '').replace(/\n/g, ' ') || ' ').join(' | ')} |`;
  return [
    line(columns.map((column) => column.header)),
    `|${columns.map((column) => SEPARATOR[column.align ?? 'left']).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
