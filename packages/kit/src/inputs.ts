import path from 'node:path';
import { InputError } from './errors.ts';

/** Reads one raw input as the runner passes it: the string value, or undefined / '' when not given. */
export type RawInputSource = (name: string) => string | undefined;

const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'no', 'off', '0']);
const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Typed readers over the raw inputs. Every reader fails with an InputError that names the input and says
 * what was expected, so a typo in a workflow reads as a one-line error, never a stack trace.
 * Defaults live in action.yml only (the runner and the CLI both pass them), so there is one source of truth.
 */
export class Inputs {
  constructor(
    private readonly raw: RawInputSource,
    /** Absolute workspace root; relative paths resolve against it. */
    readonly workspace: string,
  ) {}

  /** The trimmed value, or undefined when empty. */
  optional(name: string): string | undefined {
    const value = this.raw(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new InputError(name, 'is required but was not given');
    return value;
  }

  /** YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput, plus yes/no/on/off/1/0. */
  boolean(name: string, fallback = false): boolean {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    if (TRUE_WORDS.has(value)) return true;
    if (FALSE_WORDS.has(value)) return false;
    throw new InputError(name, `expected true or false, got '${value}'`);
  }

  number(name: string, options: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new InputError(name, `expected a number, got '${value}'`);
    if (options.integer && !Number.isInteger(parsed)) {
      throw new InputError(name, `expected a whole number, got '${value}'`);
    }
    if (options.min !== undefined && parsed < options.min) {
      throw new InputError(name, `must be at least ${options.min}, got ${value}`);
    }
    if (options.max !== undefined && parsed > options.max) {
      throw new InputError(name, `must be at most ${options.max}, got ${value}`);
    }
    return parsed;
  }

  /** One of a fixed set of words, e.g. `fail-on: error | drift | both | none`. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) {
      throw new InputError(name, `expected one of ${choices.join(', ')}, got '${value}'`);
    }
    return value as T;
  }

  /** A choice whose default is in action.yml: always given by the runner and the CLI, so empty is an error. */
  requiredChoice<T extends string>(name: string, choices: readonly T[]): T {
    const value = this.choice(name, choices);
    if (value === undefined) throw new InputError(name, `is required: one of ${choices.join(', ')}`);
    return value;
  }

  /** A number whose default is in action.yml (see requiredChoice). */
  requiredNumber(name: string, options: { min?: number; max?: number; integer?: boolean } = {}): number {
    const value = this.number(name, options);
    if (value === undefined) throw new InputError(name, 'is required but was not given');
    return value;
  }

  /** A duration such as `90s`, `30m`, `24h`, `7d`, `1h30m`; returns milliseconds. */
  duration(name: string): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const parsed = parseDuration(value);
    if (parsed === undefined) {
      throw new InputError(name, `expected a duration such as 30m, 24h or 7d, got '${value}'`);
    }
    return parsed;
  }

  /** A duration whose default is in action.yml (see requiredChoice). */
  requiredDuration(name: string): number {
    const value = this.duration(name);
    if (value === undefined) throw new InputError(name, 'is required but was not given');
    return value;
  }

  /** A newline- or comma-separated list, blank entries dropped. */
  list(name: string): string[] {
    const value = this.optional(name);
    if (value === undefined) return [];
    return value
      .split(/[\n,]/)
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
  }

  /** A JSON value. */
  json(name: string): unknown {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value);
    } catch (error) {
      throw new InputError(name, `expected JSON: ${(error as Error).message}`);
    }
  }

  /**
   * A path input: relative paths resolve against the workspace, absolute ones are used as given. The workflow
   * author sets path inputs (and can `run:` anything), so a path outside the checkout (`${{ runner.temp }}`,
   * a self-hosted runner's data disk) is theirs to choose; only content an action discovers itself in an
   * untrusted place (a glob over a downloaded artifact) is kept from escaping through links (see isInside).
   */
  path(name: string): string | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    return resolveInputPath(this.workspace, value, name);
  }

  requiredPath(name: string): string {
    const resolved = this.path(name);
    if (resolved === undefined) throw new InputError(name, 'is required but was not given');
    return resolved;
  }
}

/** The one path rule of every action (see Inputs.path); `input` names the input in the error. */
export function resolveInputPath(workspace: string, value: string, input: string): string {
  if (value.includes('\0')) throw new InputError(input, 'path contains a NUL byte');
  return path.resolve(workspace, value);
}

/** True when `candidate` is `root` or below it (both taken as given: resolve links first where it matters). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(candidate));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** `1h30m` -> 5_400_000; a bare number is seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const pattern = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(pattern)) {
    total += Number(match[1]) * DURATION_UNITS[match[2]!]!;
    consumed += match[0].length;
  }
  return consumed === trimmed.length && consumed > 0 ? total : undefined;
}
