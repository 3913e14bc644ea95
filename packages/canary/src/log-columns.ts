// A request log's columns, looked up by the names the canary file gives them.
import type { Table } from '@mlops/data';
import { UserError } from '@mlops/kit';
import { ownEntry } from '@mlops/kit/keyed-by-data';

/**
 * A `column(name, purpose)` reader for one log file: a missing column is the user's mistake, named with what it
 * was for and the columns the file does have.
 */
export function logColumns(table: Table, file: string) {
  return (name: string, purpose: string) => {
    const data = ownEntry(table.data, name);
    if (!data)
      throw new UserError(
        `${file}: no column '${name}' (${purpose}); columns are ${table.columns.slice(0, 20).join(', ')}`,
      );
    return data;
  };
}
