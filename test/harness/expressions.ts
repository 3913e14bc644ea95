// GitHub's expression language for the harnesses that play the runner (a composite's steps, a workflow's
// jobs and steps), evaluated by GitHub's own engine (@actions/expressions): `if:` conditions with the status
// functions and the implicit success(), and the `${{ }}` templates of `with:`, `env:` and outputs.
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';

/** What success() and failure() answer where the expression is evaluated (a job's needs, a job's steps). */
export interface Status {
  success: boolean;
  failure: boolean;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;

/** A plain object (contexts as JSON) as the engine's data. */
export function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'string') return new data.StringData(value);
  if (Array.isArray(value)) {
    const array = new data.Array();
    for (const item of value) array.add(toData(item));
    return array;
  }
  const dictionary = new data.Dictionary();
  for (const [key, item] of Object.entries(value as Record<string, unknown>))
    dictionary.add(key, toData(item));
  return dictionary;
}

export function evaluate(
  expression: string,
  contexts: Record<string, unknown>,
  status: Status,
): data.ExpressionData {
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(
    lexed.tokens,
    Object.keys(contexts),
    STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
  ).parse();
  const constant = (value: boolean) => () => new data.BooleanData(value);
  const functions = new Map([
    ['success', { name: 'success', minArgs: 0, maxArgs: 0, call: constant(status.success) }],
    ['failure', { name: 'failure', minArgs: 0, maxArgs: 0, call: constant(status.failure) }],
    ['always', { name: 'always', minArgs: 0, maxArgs: 0, call: constant(true) }],
    ['cancelled', { name: 'cancelled', minArgs: 0, maxArgs: 0, call: constant(false) }],
  ]);
  return new Evaluator(parsed, toData(contexts) as data.Dictionary, functions).evaluate();
}

/** `a ${{ x }} b`, as the runner expands `with:`, `env:` and output values. */
export function expand(template: string, contexts: Record<string, unknown>, status: Status): string {
  return template.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) =>
    evaluate(expression.trim(), contexts, status).coerceString(),
  );
}

/** An `if:` may be bare or wrapped in ${{ }}; without a status function, success() applies first. */
export function condition(
  text: string | boolean | undefined,
  contexts: Record<string, unknown>,
  status: Status,
): boolean {
  if (text === undefined) return status.success;
  if (typeof text === 'boolean') return text && status.success;
  const expression = text.trim().replace(/^\$\{\{(.*)\}\}$/s, '$1');
  const guarded = STATUS_FUNCTIONS.some((name) => expression.includes(`${name}(`))
    ? expression
    : `success() && (${expression})`;
  return truthy(evaluate(guarded, contexts, status));
}
