import { UserError } from '@mlops/kit';
import { copyKeyedByData, keyedByData } from '@mlops/kit/keyed-by-data';
import { PROFILE_SCHEMA } from '@mlops/schemas';
import {
  FrequentItems,
  type FrequentItemsJson,
  HyperLogLog,
  type HyperLogLogJson,
  type KllJson,
  KllSketch,
  Moments,
  type MomentsState,
} from '@mlops/stats';
import { ExactNumbers, type ExactNumbersJson } from './exact-numbers.ts';
import type { ColumnProfile, ColumnType, DatasetProfile } from './types.ts';
import { ValueCounts, type ValueCountsJson } from './value-counts.ts';

const COLUMN_TYPES: readonly ColumnType[] = ['number', 'integer', 'string', 'boolean', 'datetime'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Validates a parsed profile JSON (`mlops.profile/v1`, as written by JSON.stringify of a
 * {@link DatasetProfile}) and rebuilds its sketches. Anything malformed is a UserError naming `source`
 * (the file) and the offending field.
 *
 * @example parseProfile(JSON.parse(text), 'reference.profile.json').rows; // => 1000
 */
export function parseProfile(json: unknown, source: string): DatasetProfile {
  const fail = (what: string): never => {
    throw new UserError(`${source}: not a valid ${PROFILE_SCHEMA} profile: ${what}`);
  };
  if (!isObject(json)) return fail('expected a JSON object');
  if (json.schema !== PROFILE_SCHEMA) {
    return fail(`schema is ${JSON.stringify(json.schema)}, expected ${JSON.stringify(PROFILE_SCHEMA)}`);
  }
  if (!isCount(json.rows)) return fail('"rows" must be a non-negative integer');
  if (!isObject(json.columns)) return fail('"columns" must be an object');
  const columns = keyedByData<ColumnProfile>();
  for (const [name, raw] of Object.entries(json.columns)) {
    const at = (field: string) => `columns.${JSON.stringify(name)}.${field}`;
    if (!isObject(raw)) return fail(`columns.${JSON.stringify(name)} must be an object`);
    if (!COLUMN_TYPES.includes(raw.type as ColumnType)) {
      return fail(`${at('type')} must be one of ${COLUMN_TYPES.join(', ')}`);
    }
    for (const field of ['count', 'null_count', 'infinite_count', 'invalid_count']) {
      if (!isCount(raw[field])) return fail(`${at(field)} must be a non-negative integer`);
    }
    if (typeof raw.exact !== 'boolean') return fail(`${at('exact')} must be true or false`);
    try {
      const column: ColumnProfile = {
        type: raw.type as ColumnType,
        count: raw.count as number,
        null_count: raw.null_count as number,
        infinite_count: raw.infinite_count as number,
        invalid_count: raw.invalid_count as number,
        exact: raw.exact,
        distinct: HyperLogLog.fromJSON(raw.distinct as HyperLogLogJson),
      };
      if (raw.moments !== undefined) column.moments = Moments.fromJSON(raw.moments as MomentsState);
      if (raw.quantiles !== undefined) column.quantiles = KllSketch.fromJSON(raw.quantiles as KllJson);
      if (raw.values !== undefined) {
        column.values = ExactNumbers.fromJSON(raw.values as ExactNumbersJson);
        column.values.sortedView();
      }
      if (raw.value_counts !== undefined)
        column.value_counts = ValueCounts.fromJSON(raw.value_counts as ValueCountsJson);
      if (raw.frequent !== undefined)
        column.frequent = FrequentItems.fromJSON(raw.frequent as FrequentItemsJson);
      if (raw.categories !== undefined) {
        if (!isObject(raw.categories) || !Object.values(raw.categories).every(isCount)) {
          return fail(`${at('categories')} must map categories to counts`);
        }
        column.categories = copyKeyedByData(raw.categories as Record<string, number>);
      }
      const numeric = column.type !== 'string' && column.type !== 'boolean';
      if (numeric && (!column.moments || !column.quantiles))
        return fail(`${at('moments')} and quantiles are required`);
      if (column.exact && (numeric ? !column.values : !column.categories)) {
        return fail(`${at('exact')} is true but the exact ${numeric ? 'values' : 'categories'} are missing`);
      }
      columns[name] = column;
    } catch (error) {
      if (error instanceof UserError) throw error;
      return fail(`${at('*')}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { schema: PROFILE_SCHEMA, rows: json.rows, columns };
}
