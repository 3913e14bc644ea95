import { readUserFile, UserError } from '@mlops/kit';
import { parseDocument } from 'yaml';
import { suiteFromConfig } from './config.ts';
import { suiteFromGreatExpectations } from './great-expectations.ts';
import type { ExpectationSuite } from './types.ts';

/**
 * Reads an expectations file: our YAML (docs/expectations.md) or a Great Expectations suite JSON (told
 * apart by its `expectations` list). YAML is parsed safely: no custom tags, duplicate keys refused, and
 * alias expansion capped so a "billion laughs" file fails fast instead of exhausting memory.
 */
export async function loadExpectations(file: string): Promise<ExpectationSuite> {
  const text = await readUserFile(file, (problem, reason) =>
    problem === 'missing' ? `expectations file not found: ${file}` : `cannot read ${file}: ${reason}`,
  );
  return parseExpectations(text.toString('utf8'), file);
}

export function parseExpectations(text: string, source: string): ExpectationSuite {
  const document = parseYaml(text, source);
  if (
    document !== null &&
    typeof document === 'object' &&
    Array.isArray((document as { expectations?: unknown }).expectations)
  ) {
    return suiteFromGreatExpectations(document, source);
  }
  if (
    document !== null &&
    typeof document === 'object' &&
    ('expectation_suite_name' in document ||
      'expectations' in document ||
      ('name' in document && !('columns' in document)))
  ) {
    return suiteFromGreatExpectations(document, source);
  }
  return suiteFromConfig(document, source);
}

/** YAML 1.2 is a superset of JSON, so one parser reads both, with line numbers in its errors. */
function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem !== undefined) {
    const where = problem.linePos?.[0]
      ? `line ${problem.linePos[0].line}, column ${problem.linePos[0].col}: `
      : '';
    const message = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(`${source}: ${where}cannot parse: ${message}`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new UserError(`${source}: cannot parse: ${(error as Error).message}`);
  }
}
