// Key-value rendering for the registry-side reports (lineage, promote, dispatch, lookup), whose exact fields
// evolve with their actions: known fields are shown by name, and any other scalar fields still appear under
// their own (escaped) key, so a new field is visible without a renderer change.
import { escapeMarkdown } from './escape.ts';
import { formatValue, isRecord } from './format.ts';
import { markdownTable } from './table.ts';

export type Field = [label: string, cell: string | undefined];

/** A two-column table of the fields that have a value. */
export function fieldsTable(fields: readonly Field[]): string {
  const present = fields.filter(
    (field): field is [string, string] => field[1] !== undefined && field[1] !== '',
  );
  if (present.length === 0) return '';
  return markdownTable(
    [{ header: 'Field' }, { header: 'Value' }],
    present.map(([label, cell]) => [label, cell]),
  );
}

/**
 * Scalar fields of `record` not in `known`, flattened one level (`trigger.actor`), at most `limit`, as
 * fields with escaped keys and values.
 */
export function otherFields(
  record: Record<string, unknown>,
  known: ReadonlySet<string>,
  limit = 15,
): Field[] {
  const fields: Field[] = [];
  const visit = (prefix: string, value: unknown, depth: number) => {
    if (fields.length >= limit) return;
    if (isRecord(value)) {
      if (depth >= 1) return;
      for (const [key, inner] of Object.entries(value)) visit(`${prefix}.${key}`, inner, depth + 1);
      return;
    }
    if (Array.isArray(value) || value === undefined || value === null || value === '') return;
    fields.push([escapeMarkdown(prefix, { maxLength: 60 }), formatValue(value, 200)]);
  };
  for (const [key, value] of Object.entries(record)) {
    if (key === 'schema' || known.has(key)) continue;
    visit(key, value, 0);
  }
  return fields;
}

/** A report's `warnings` (strings or `{message}` objects) as a short escaped list; empty when none. */
export function warningsList(warnings: unknown, limit = 10): string {
  if (!Array.isArray(warnings) || warnings.length === 0) return '';
  const texts = warnings
    .map((warning) => (isRecord(warning) ? (warning.message ?? warning.text) : warning))
    .filter((text) => text !== undefined && text !== null && text !== '');
  if (texts.length === 0) return '';
  const lines = texts.slice(0, limit).map((text) => `- ⚠️ ${formatValue(text, 300)}`);
  if (texts.length > limit) lines.push(`- _…and ${texts.length - limit} more warnings._`);
  return lines.join('\n');
}
