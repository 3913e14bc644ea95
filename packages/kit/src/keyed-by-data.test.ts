import { describe, expect, it } from 'vitest';
import { copyKeyedByData, keyedByData, ownEntry } from './keyed-by-data.ts';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('keyedByData', () => {
  it('keeps every string as an ordinary key and writes the same JSON as a plain object', () => {
    const table = keyedByData<number>(NAMES.map((name, i) => [name, i]));
    expect(Object.keys(table)).toEqual(NAMES);
    expect(ownEntry(table, '__proto__')).toBe(0);
    expect(JSON.stringify(table)).toBe(
      '{"__proto__":0,"constructor":1,"toString":2,"hasOwnProperty":3,"valueOf":4}',
    );
    expect(keyedByData<number>().constructor).toBeUndefined();
  });

  it('copies a parsed table and finds only its own entries', () => {
    const parsed = JSON.parse('{"__proto__":1,"x":2}') as Record<string, number>;
    const copy = copyKeyedByData(parsed);
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect(ownEntry(copy, '__proto__')).toBe(1);
    expect(ownEntry(parsed, 'constructor')).toBeUndefined();
    expect(ownEntry(undefined, 'x')).toBeUndefined();
  });
});
