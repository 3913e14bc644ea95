import { UserError } from '@mlops/kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumberBytes, parseNumberSpan } from './cell-codec.ts';
import { CsvParser } from './csv-parser.ts';

interface Parsed {
  fields: string[];
  numbers: number[];
  line: number;
}

/** Feeds `bytes` to a parser in pieces cut at `cuts` (any byte, inside a character too). */
function parse(bytes: Buffer, cuts: number[] = [], delimiter = ','): Parsed[] {
  const out: Parsed[] = [];
  const parser = new CsvParser('t.csv', delimiter, (record) => {
    out.push({
      fields: record.fields(),
      numbers: Array.from(record.numbers.subarray(0, record.count)),
      line: record.line,
    });
  });
  let at = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    parser.push(bytes.subarray(at, cut));
    at = cut;
  }
  parser.push(bytes.subarray(at));
  parser.end();
  return out;
}

/** RFC 4180 serialisation: fields with a quote, delimiter or line end are quoted, quotes doubled. */
function toCsv(rows: string[][], newline: string): string {
  const cell = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  return rows.map((row) => row.map(cell).join(',')).join(newline) + newline;
}

const fieldText = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '"', ',', '\n', '\r', ' ', '1', '.', '-') }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
);

describe('CsvParser over bytes', () => {
  it('gives back the fields of any table, however the bytes are cut (inside a character too)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fieldText, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(400)),
        (rows, newline, cuts) => {
          // A lone empty field is a blank line, not a record: give every row a second field.
          const bytes = Buffer.from(toCsv(rows, newline), 'utf8');
          const parsed = parse(bytes, cuts);
          expect(parsed.map((record) => record.fields)).toEqual(rows);
          expect(parse(bytes).map((record) => record.line)).toEqual(parsed.map((record) => record.line));
        },
      ),
    );
  });

  it('reads each plain decimal field as the same double as Number, and only those', () => {
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^[0-9]{0,18}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,18}$/)),
      )
      .map(([sign, whole, fraction]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}`);
    const text = fc.oneof(
      decimal,
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => x.toFixed(5)),
      fc.constantFrom('1e5', '0x10', 'NA', '1.2.3', ' 1', '-', '.', '+.5', '-0', '-0.000'),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 2, maxLength: 6 }), fc.array(fc.nat(120)), (fields, cuts) => {
        const [record] = parse(Buffer.from(`${fields.join(',')}\n`), cuts);
        fields.forEach((field, k) => {
          const bytes = Buffer.from(field);
          const fromBytes = parseNumberBytes(bytes, 0, bytes.length);
          expect(Object.is(record!.numbers[k], fromBytes)).toBe(true);
          expect(Object.is(parseNumberSpan(field, 0, field.length), fromBytes)).toBe(true);
          const plain = /^[+-]?(?=\.?\d)\d*\.?\d*$/.test(field) && field.replace(/\D/g, '').length <= 15;
          if (plain) expect(Object.is(fromBytes, Number(field))).toBe(true);
          else expect(fromBytes).toBeNaN();
        });
      }),
    );
  });

  it('reads quoted numbers, keeps a leading sign that is the delimiter as one', () => {
    const [record] = parse(Buffer.from('"12.5",-3\n'));
    expect(record!.numbers).toEqual([12.5, -3]);
    const [dashed] = parse(Buffer.from('-1-2\n'), [], '-');
    expect(dashed!.fields).toEqual(['', '1', '2']);
    expect(dashed!.numbers.slice(1)).toEqual([1, 2]);
  });

  it('counts lines across quoted newlines and names them in errors', () => {
    const records = parse(Buffer.from('a,b\n"x\ny",1\r\nz,2\n'), [5, 9]);
    expect(records.map((record) => record.line)).toEqual([1, 2, 4]);
    expect(() => parse(Buffer.from('a,b\n1,"2\n3,4\n'))).toThrow(/line 2: a quoted field is never closed/);
    expect(() => parse(Buffer.from('a,b\n1,"2"x\n'))).toThrow(/line 2, field 2: unexpected text/);
  });

  it('refuses a delimiter that is not one ASCII byte', () => {
    expect(() => new CsvParser('t.csv', '§', () => undefined)).toThrow(UserError);
  });
});
