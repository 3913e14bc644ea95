import { type Cell, type ColumnType, cellAt, parseDatetime, type Table } from '@mlops/data';
import { ownEntry } from '@mlops/kit/keyed-by-data';
import type { ConditionLiteral, ConditionNode, ConditionOperand } from './types.ts';

/**
 * Great Expectations' conditional expectations with `condition_parser: pandas` hand the row_condition to
 * `DataFrame.query(row_condition, parser="pandas")`. This reads the part of that language people write in
 * suites: column names (bare or `back-quoted`), numbers, strings, True / False, lists; `==`, `!=`, `<`,
 * `<=`, `>`, `>=` (chained as in Python), `in` / `not in`, `&` / `and`, `|` / `or`, `~` / `not`,
 * parentheses, `.isnull()` / `.notnull()` / `.isna()` / `.notna()`, and a boolean column on its own.
 * Anything else (arithmetic, `@variables`, `.str` methods) is refused rather than guessed.
 *
 * As pandas evaluates it: a comparison with a missing value is false except `!=` (true); `in` never holds
 * for a missing value and `not in` always does; `&` and `|` bind looser than comparisons (the pandas
 * parser's rule, unlike Python's).
 */
export class ConditionSyntaxError extends Error {}

type Token =
  | { type: 'name'; text: string; at: number; quoted?: boolean }
  | { type: 'number'; value: number; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'op'; text: string; at: number }
  | { type: 'end'; at: number };

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '&', '|', '~', '(', ')', '[', ']', ',', '.', '-'];
const NULL_METHODS: Record<string, boolean> = { isnull: false, isna: false, notnull: true, notna: true };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new ConditionSyntaxError(`unclosed \` at position ${i}`);
      tokens.push({ type: 'name', text: text.slice(i + 1, end), at: i, quoted: true });
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) {
        if (text[j] === '\\' && j + 1 < text.length) {
          j++;
          value += ({ n: '\n', t: '\t' } as Record<string, string>)[text[j]!] ?? text[j];
        } else value += text[j];
      }
      if (j >= text.length) throw new ConditionSyntaxError(`unclosed string at position ${i}`);
      tokens.push({ type: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ type: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (op === undefined) throw new ConditionSyntaxError(`unsupported character '${c}' at position ${i}`);
    tokens.push({ type: 'op', text: op, at: i });
    i += op.length;
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}

type Term = { node: ConditionNode } | { operand: ConditionOperand } | { list: ConditionLiteral[] };

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'True', 'False', 'None', 'is']);

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.position]!;
  }
  private next(): Token {
    return this.tokens[this.position++]!;
  }
  private isOp(text: string): boolean {
    const token = this.peek();
    return token.type === 'op' && token.text === text;
  }
  private isWord(text: string): boolean {
    const token = this.peek();
    return token.type === 'name' && token.text === text && token.quoted !== true;
  }
  private expectOp(text: string): void {
    if (!this.isOp(text)) this.unexpected(`'${text}'`);
    this.position++;
  }
  private unexpected(wanted: string): never {
    const token = this.peek();
    const found =
      token.type === 'end'
        ? 'the end'
        : `'${token.type === 'name' || token.type === 'op' ? token.text : token.type === 'string' ? token.value : token.value}'`;
    throw new ConditionSyntaxError(`expected ${wanted} at position ${token.at}, found ${found}`);
  }

  parse(): ConditionNode {
    const node = this.or();
    if (this.peek().type !== 'end') this.unexpected("'&', '|' or the end");
    return node;
  }

  private or(): ConditionNode {
    let left = this.and();
    while (this.isOp('|') || this.isWord('or')) {
      this.position++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): ConditionNode {
    let left = this.not();
    while (this.isOp('&') || this.isWord('and')) {
      this.position++;
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): ConditionNode {
    if (this.isWord('not')) {
      this.position++;
      return { kind: 'not', operand: this.not() };
    }
    return this.comparison();
  }

  /** A term, or a chain `a < b <= c` read as `a < b and b <= c`, as Python reads it. */
  private comparison(): ConditionNode {
    let left = this.term();
    let result: ConditionNode | undefined;
    for (;;) {
      const op = this.comparisonOperator();
      if (op === undefined) break;
      const right = this.term();
      const step = this.compare(op, left, right);
      result = result === undefined ? step : { kind: 'and', left: result, right: step };
      left = right;
    }
    if (result !== undefined) return result;
    return this.asCondition(left);
  }

  private comparisonOperator(): string | undefined {
    const token = this.peek();
    if (token.type === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.position++;
      return token.text;
    }
    if (this.isWord('in')) {
      this.position++;
      return 'in';
    }
    if (this.isWord('not') && this.tokens[this.position + 1]?.type === 'name') {
      const after = this.tokens[this.position + 1] as { text: string };
      if (after.text === 'in') {
        this.position += 2;
        return 'not in';
      }
    }
    return undefined;
  }

  private compare(op: string, left: Term, right: Term): ConditionNode {
    if (op === 'in' || op === 'not in') {
      const column = 'operand' in left && 'column' in left.operand ? left.operand.column : undefined;
      const values =
        'list' in right
          ? right.list
          : 'operand' in right && 'value' in right.operand
            ? [right.operand.value]
            : undefined;
      if (column === undefined || values === undefined)
        throw new ConditionSyntaxError(
          `'${op}' needs a column on its left and a list of values on its right`,
        );
      return { kind: 'in', negate: op === 'not in', column, values };
    }
    if (!('operand' in left) || !('operand' in right))
      throw new ConditionSyntaxError(
        `'${op}' compares a column with a value or another column (put conditions in parentheses and join them with & or |)`,
      );
    return { kind: 'compare', op: op as '==', left: left.operand, right: right.operand };
  }

  private asCondition(term: Term): ConditionNode {
    if ('node' in term) return term.node;
    if ('operand' in term && 'column' in term.operand) return { kind: 'truthy', column: term.operand.column };
    if ('operand' in term && 'value' in term.operand && typeof term.operand.value === 'boolean')
      return { kind: 'literal', value: term.operand.value };
    throw new ConditionSyntaxError('a value on its own is not a condition (compare it with a column)');
  }

  private term(): Term {
    const token = this.peek();
    if (token.type === 'op') {
      if (token.text === '(') {
        this.position++;
        const node = this.or();
        this.expectOp(')');
        return { node };
      }
      if (token.text === '~') {
        this.position++;
        return { node: { kind: 'not', operand: this.asCondition(this.term()) } };
      }
      if (token.text === '[') return { list: this.list() };
      if (token.text === '-') {
        this.position++;
        const number = this.next();
        if (number.type !== 'number') {
          this.position--;
          this.unexpected('a number after -');
        }
        return { operand: { value: -number.value } };
      }
      this.unexpected('a column, a value or (');
    }
    if (token.type === 'number' || token.type === 'string') {
      this.position++;
      return { operand: { value: token.value } };
    }
    if (token.type === 'end') this.unexpected('a column, a value or (');
    const name = token.text;
    if (!token.quoted) {
      if (name === 'True') return this.literal(true);
      if (name === 'False') return this.literal(false);
      if (name === 'None') return this.literal(null);
      if (KEYWORDS.has(name)) this.unexpected('a column, a value or (');
    }
    this.position++;
    if (this.isOp('.')) {
      this.position++;
      const method = this.next();
      if (method.type !== 'name' || !Object.hasOwn(NULL_METHODS, method.text) || !this.isOp('(')) {
        throw new ConditionSyntaxError(
          `unsupported method '${name}.${method.type === 'name' ? method.text : '…'}' at position ${method.at} (supported: .isnull(), .notnull(), .isna(), .notna())`,
        );
      }
      this.expectOp('(');
      this.expectOp(')');
      return { node: { kind: 'null', negate: NULL_METHODS[method.text]!, column: name } };
    }
    if (this.isOp('('))
      throw new ConditionSyntaxError(`unsupported function call '${name}(' at position ${token.at}`);
    return { operand: { column: name } };
  }

  private literal(value: boolean | null): Term {
    this.position++;
    return { operand: { value } };
  }

  private list(): ConditionLiteral[] {
    this.expectOp('[');
    const values: ConditionLiteral[] = [];
    while (!this.isOp(']')) {
      const item = this.term();
      if (!('operand' in item) || !('value' in item.operand)) this.unexpected('a value in the list');
      values.push((item.operand as { value: ConditionLiteral }).value);
      if (!this.isOp(',')) break;
      this.position++;
    }
    this.expectOp(']');
    return values;
  }
}

/** Parses a pandas-style row condition; a ConditionSyntaxError says what and where (0-based position). */
export function parseRowCondition(text: string): ConditionNode {
  if (text.trim() === '') throw new ConditionSyntaxError('the condition is empty');
  return new Parser(tokenize(text)).parse();
}

/** The columns a condition reads, for checking them against the data before the first batch. */
export function conditionColumns(node: ConditionNode): string[] {
  const out = new Set<string>();
  const visit = (n: ConditionNode): void => {
    switch (n.kind) {
      case 'and':
      case 'or':
        visit(n.left);
        visit(n.right);
        break;
      case 'not':
        visit(n.operand);
        break;
      case 'compare':
        for (const side of [n.left, n.right]) if ('column' in side) out.add(side.column);
        break;
      case 'in':
      case 'null':
      case 'truthy':
        out.add(n.column);
        break;
      case 'literal':
        break;
    }
  };
  visit(node);
  return [...out];
}

/** A condition that cannot be applied to these column types (pandas raises on it). */
export class ConditionTypeError extends Error {}

type Value = Exclude<Cell, null>;

/** A literal in a column's representation: dates as epoch ms for datetime columns; otherwise as written. */
function literalFor(value: ConditionLiteral, type: ColumnType): ConditionLiteral {
  if (type === 'datetime' && typeof value === 'string') {
    const time = parseDatetime(value);
    return Number.isNaN(time) ? value : time;
  }
  return value;
}

function kind(value: Value | ConditionLiteral): 'number' | 'string' | 'boolean' | 'null' {
  if (value === null) return 'null';
  return typeof value === 'number' ? 'number' : typeof value === 'string' ? 'string' : 'boolean';
}

function compareValues(op: string, a: Value | null, b: Value | null): boolean {
  if (a === null || b === null) return op === '!=';
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  if (kind(a) !== kind(b)) {
    throw new ConditionTypeError(`cannot order a ${kind(a)} against a ${kind(b)} with '${op}'`);
  }
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/**
 * Which rows of a batch satisfy the condition (1 = keep). Throws ConditionTypeError when an ordering
 * compares a column with a value of another kind (a text column against a number), as pandas does.
 */
export function evaluateCondition(node: ConditionNode, batch: Table): Uint8Array {
  const n = batch.rowCount;
  const out = new Uint8Array(n);
  const column = (name: string) => {
    const values = ownEntry(batch.data, name);
    if (values === undefined) throw new ConditionTypeError(`column '${name}' is not in the data`);
    return values;
  };
  const typeOf = (name: string): ColumnType => ownEntry(batch.types, name) ?? 'string';
  switch (node.kind) {
    case 'and':
    case 'or': {
      const left = evaluateCondition(node.left, batch);
      const right = evaluateCondition(node.right, batch);
      for (let r = 0; r < n; r++) out[r] = node.kind === 'and' ? left[r]! & right[r]! : left[r]! | right[r]!;
      return out;
    }
    case 'not': {
      const inner = evaluateCondition(node.operand, batch);
      for (let r = 0; r < n; r++) out[r] = inner[r]! ^ 1;
      return out;
    }
    case 'literal':
      out.fill(node.value ? 1 : 0);
      return out;
    case 'null': {
      const values = column(node.column);
      for (let r = 0; r < n; r++) out[r] = (cellAt(values, r) === null) !== node.negate ? 1 : 0;
      return out;
    }
    case 'truthy': {
      const values = column(node.column);
      if (typeOf(node.column) !== 'boolean')
        throw new ConditionTypeError(
          `column '${node.column}' on its own is a condition only when it is boolean`,
        );
      for (let r = 0; r < n; r++) out[r] = cellAt(values, r) === true ? 1 : 0;
      return out;
    }
    case 'in': {
      const values = column(node.column);
      const type = typeOf(node.column);
      const set = new Set(node.values.filter((v) => v !== null).map((v) => literalFor(v, type)));
      for (let r = 0; r < n; r++) {
        const cell = cellAt(values, r);
        const member = cell !== null && set.has(cell);
        out[r] = member !== node.negate ? 1 : 0;
      }
      return out;
    }
    case 'compare': {
      const { left, right, op } = node;
      const leftColumn = 'column' in left ? column(left.column) : undefined;
      const rightColumn = 'column' in right ? column(right.column) : undefined;
      // A literal takes the other side's type (a date string against a datetime column).
      const leftValue =
        'value' in left ? literalFor(left.value, 'column' in right ? typeOf(right.column) : 'string') : null;
      const rightValue =
        'value' in right ? literalFor(right.value, 'column' in left ? typeOf(left.column) : 'string') : null;
      for (let r = 0; r < n; r++) {
        const a = leftColumn === undefined ? leftValue : cellAt(leftColumn, r);
        const b = rightColumn === undefined ? rightValue : cellAt(rightColumn, r);
        out[r] = compareValues(op, a, b) ? 1 : 0;
      }
      return out;
    }
  }
}
