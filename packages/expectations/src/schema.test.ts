import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COLUMN_KEYS, TABLE_KEYS } from './config.ts';
import { parseExpectations } from './load.ts';

const root = path.join(__dirname, '../../..');
const schema = JSON.parse(readFileSync(path.join(root, 'docs/expectations.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const docExample = /```yaml\n(version: 1[\s\S]*?)```/.exec(
  readFileSync(path.join(root, 'docs/expectations.md'), 'utf8'),
)![1]!;

describe('docs/expectations.schema.json', () => {
  it('knows exactly the keys the parser knows', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...TABLE_KEYS].sort());
    expect(Object.keys(schema.definitions.column.properties).sort()).toEqual([...COLUMN_KEYS].sort());
  });

  it.each([
    ['examples/expectations.yml', readFileSync(path.join(root, 'examples/expectations.yml'), 'utf8')],
    ['the example in docs/expectations.md', docExample],
  ])('accepts %s, which the parser accepts too', (_name, text) => {
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(() => parseExpectations(text, 'e.yml')).not.toThrow();
  });

  it.each(['unknown-check.yml', 'bad-mostly.yml', 'wrong-type.yml', 'not-a-mapping.yml'])(
    'rejects %s',
    (name) => {
      expect(validate(parse(readFileSync(path.join(root, 'test/fixtures/bad', name), 'utf8')))).toBe(false);
    },
  );
});
