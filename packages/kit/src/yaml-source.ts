// Parses a YAML config file (gate file, expectations, training checks, canary file) into plain data while
// keeping enough of the document to point at the line of a mistake:
// "gate.yml line 4: metrics.roc_acu: unknown metric (did you mean 'roc_auc'?)". The parser itself is loaded
// by loadYamlParser when a file is about to be read, so an action loads it only when it reads YAML.

import type * as Yaml from 'yaml';
import type { Node } from 'yaml';
import { UserError } from './errors.ts';

/**
 * Where the loaded parser is kept: on the global object, not in this module. An action's start file bundles
 * its own copy of this module (scripts/build.mjs), so the parser the action's main loads must be found by the
 * copy its logic parses with (evaluate-gate, canary-analysis and validate-training load it in one and parse
 * in the other).
 */
const PARSER = Symbol.for('mlops.yaml-parser');
const loaded = globalThis as { [PARSER]?: typeof Yaml };

/**
 * Loads the YAML parser on first need rather than at every action's start (it is the largest module a
 * config-reading action loads). Await it once before parseYamlSource; later calls return at once.
 */
export async function loadYamlParser(): Promise<void> {
  // The CommonJS package's exports object: a bundle's dynamic import of it yields only `default`.
  const module = (await import('yaml')) as typeof Yaml & { default?: typeof Yaml };
  loaded[PARSER] ??= module.default ?? module;
}

function loadedParser(): typeof Yaml {
  const parser = loaded[PARSER];
  if (!parser) throw new Error('the YAML parser is not loaded: await loadYamlParser() before parsing');
  return parser;
}

/** yaml's own `parse`, for files read as plain data (GTO's `.gto`, a params file). */
export async function parsePlainYaml(text: string): Promise<unknown> {
  await loadYamlParser();
  return loadedParser().parse(text);
}

export type PathSegment = string | number;

export interface YamlSource {
  /** The file name as the user wrote it, for messages. */
  name: string;
  data: unknown;
  /** 1-based line of the key (or item) at `path`, when it can be found. */
  lineOf(path: readonly PathSegment[]): number | undefined;
}

/** Aliases expand in place; a handful is normal, thousands is a "billion laughs" file. */
const MAX_ALIAS_COUNT = 100;

/** Needs the parser loaded (`await loadYamlParser()`); parsing itself stays synchronous. */
export function parseYamlSource(text: string, name: string): YamlSource {
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = loadedParser();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const line = problem.pos ? lineCounter.linePos(problem.pos[0]).line : undefined;
    throw new UserError(
      `${name}${line ? ` line ${line}` : ''}: not valid YAML: ${firstLine(problem.message)}`,
    );
  }
  // Custom tags such as !!python/object are not ours to interpret; refuse rather than guess.
  let tagged: string | undefined;
  const visit = (node: unknown): void => {
    if (tagged) return;
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      const tag = (node as Node).tag;
      if (tag && !/^tag:yaml\.org,2002:(str|int|float|bool|null|map|seq)$/.test(tag)) tagged = tag;
    }
    if (isMap(node) || isSeq(node)) for (const item of node.items) visit(item);
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
    }
  };
  visit(document.contents);
  if (tagged) throw new UserError(`${name}: YAML tag '${tagged}' is not supported (plain values only)`);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new UserError(`${name}: ${firstLine((error as Error).message)} (too many YAML aliases?)`);
  }
  return {
    name,
    data,
    lineOf(path) {
      let node: unknown = document.contents;
      let line: number | undefined;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (item) => isScalar(item.key) && String(item.key.value) === String(segment),
          );
          if (!pair) return line;
          const key = pair.key as Node;
          if (key.range) line = lineCounter.linePos(key.range[0]).line;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment] as Node | undefined;
          if (!item) return line;
          if (item.range) line = lineCounter.linePos(item.range[0]).line;
          node = item;
        } else {
          return line;
        }
      }
      return line;
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
