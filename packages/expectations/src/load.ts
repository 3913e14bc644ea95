import { readUserFile } from '@mlops/kit';
import { loadYamlParser, parseYamlSource } from '@mlops/kit/yaml-source';
import { suiteFromConfig } from './config.ts';
import { suiteFromGreatExpectations } from './great-expectations.ts';
import type { ExpectationSuite } from './types.ts';

/**
 * Reads an expectations file: our YAML (docs/expectations.md) or a Great Expectations suite JSON (told
 * apart by its `expectations` list). YAML is parsed safely (the gate file's loader: no custom tags,
 * duplicate keys refused, alias expansion capped so a "billion laughs" file fails fast), and it keeps the
 * document so every refusal names the line of the key it is about.
 */
export async function loadExpectations(file: string): Promise<ExpectationSuite> {
  const text = await readUserFile(file, (problem, reason) =>
    problem === 'missing' ? `expectations file not found: ${file}` : `cannot read ${file}: ${reason}`,
  );
  await loadYamlParser();
  return parseExpectations(text.toString('utf8'), file);
}

export function parseExpectations(text: string, source: string): ExpectationSuite {
  // YAML 1.2 is a superset of JSON, so one parser reads both, with lines for either.
  const yaml = parseYamlSource(text, source);
  const document = yaml.data;
  const lineOf = yaml.lineOf;
  if (
    document !== null &&
    typeof document === 'object' &&
    !Array.isArray(document) &&
    ('expectations' in document ||
      'expectation_suite_name' in document ||
      ('name' in document && !('columns' in document)))
  ) {
    return suiteFromGreatExpectations(document, source, lineOf);
  }
  return suiteFromConfig(document, source, lineOf);
}
