// Typed reads of an untrusted parsed YAML value. Every failure is a UserError that names the file, the
// line, the key path and what was expected, with a "did you mean" for near-miss keys and words.
import { didYouMean, UserError } from './errors.ts';
import type { PathSegment, YamlSource } from './yaml-source.ts';

export interface NumberRule {
  min?: number;
  max?: number;
  /** Strictly greater than `min` / less than `max`. */
  exclusive?: boolean;
  integer?: boolean;
  /** Why the bounds are what they are, appended to a refusal ("roc_auc lies in [0, 1]"). */
  why?: string;
}

export class ConfigChecker {
  constructor(private readonly source: YamlSource) {}

  /** A UserError pointing at `path`. */
  error(path: readonly PathSegment[], message: string): UserError {
    return new UserError(`${this.where(path)}: ${message}`);
  }

  /** `file line N: key.path`, the prefix of every message about `path` (also for later, data-time refusals). */
  where(path: readonly PathSegment[]): string {
    const line = this.source.lineOf(path);
    const file = `${this.source.name}${line ? ` line ${line}` : ''}`;
    return path.length === 0 ? file : `${file}: ${formatPath(path)}`;
  }

  /** A mapping whose keys are all in `allowed`. */
  mapping(
    path: readonly PathSegment[],
    value: unknown,
    allowed?: readonly string[],
  ): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.error(path, `expected a mapping (key: value), got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    if (allowed) {
      for (const key of Object.keys(record)) {
        if (!allowed.includes(key)) {
          throw this.error(
            [...path, key],
            `unknown key${didYouMean(key, allowed)}; allowed: ${allowed.join(', ')}`,
          );
        }
      }
    }
    return record;
  }

  list(path: readonly PathSegment[], value: unknown): unknown[] {
    if (!Array.isArray(value)) throw this.error(path, `expected a list, got ${describe(value)}`);
    return value;
  }

  number(path: readonly PathSegment[], value: unknown, rule: NumberRule = {}): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.error(path, `expected a number, got ${describe(value)}`);
    }
    if (rule.integer && !Number.isInteger(value))
      throw this.error(path, `expected a whole number, got ${value}`);
    const why = rule.why ? `: ${rule.why}` : '';
    if (rule.min !== undefined && (rule.exclusive ? value <= rule.min : value < rule.min)) {
      throw this.error(
        path,
        `must be ${rule.exclusive ? 'greater than' : 'at least'} ${rule.min}, got ${value}${why}`,
      );
    }
    if (rule.max !== undefined && (rule.exclusive ? value >= rule.max : value > rule.max)) {
      throw this.error(
        path,
        `must be ${rule.exclusive ? 'less than' : 'at most'} ${rule.max}, got ${value}${why}`,
      );
    }
    return value;
  }

  optionalNumber(path: readonly PathSegment[], value: unknown, rule: NumberRule = {}): number | undefined {
    return value === undefined || value === null ? undefined : this.number(path, value, rule);
  }

  boolean(path: readonly PathSegment[], value: unknown): boolean {
    if (typeof value !== 'boolean') throw this.error(path, `expected true or false, got ${describe(value)}`);
    return value;
  }

  string(path: readonly PathSegment[], value: unknown): string {
    // Column names and labels may look like numbers in YAML (`column: 2024`): take them as written.
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string' || value.trim() === '') {
      throw this.error(path, `expected a non-empty string, got ${describe(value)}`);
    }
    return value;
  }

  choice<T extends string>(path: readonly PathSegment[], value: unknown, choices: readonly T[]): T {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      const word = typeof value === 'string' ? `'${value}'${didYouMean(value, choices)}` : describe(value);
      throw this.error(path, `expected one of ${choices.join(', ')}, got ${word}`);
    }
    return value as T;
  }
}

export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return String(value);
}
