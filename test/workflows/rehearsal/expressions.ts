/**
 * GitHub Actions expressions (`${{ … }}`), as much of the language as the workflows use: literals, context
 * property and index access, `!`, `==`, `!=`, `<`, `>`, `&&`, `||` (which return an operand, as GitHub's
 * do), parentheses, and the functions contains, startsWith, endsWith, format, join, toJSON, fromJSON,
 * hashFiles, success, failure, cancelled and always. Anything else throws, so a workflow using more than
 * the rehearsal understands fails loudly instead of being misread.
 */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | undefined;

export interface Status {
  /** Whether every earlier step (or every needed job) succeeded. */
  success: boolean;
  /** Whether an earlier step (or a needed job) failed. */
  failure: boolean;
}

export interface ExpressionContext {
  contexts: Record<string, Value>;
  status: Status;
  hashFiles?: (patterns: string[]) => string;
}

type Token = { kind: 'op' | 'id' | 'str' | 'num'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (['==', '!=', '&&', '||', '<=', '>='].includes(two)) {
      tokens.push({ kind: 'op', text: two });
      i += 2;
    } else if ('!()[].,<>'.includes(c)) {
      tokens.push({ kind: 'op', text: c });
      i++;
    } else if (c === "'") {
      let text = '';
      i++;
      while (i < source.length) {
        if (source[i] === "'" && source[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (source[i] === "'") break;
        else text += source[i++];
      }
      i++;
      tokens.push({ kind: 'str', text });
    } else if (/[0-9]/.test(c)) {
      const match = /^[0-9.]+/.exec(source.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'num', text: match });
      i += match.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'id', text: match });
      i += match.length;
    } else throw new Error(`expression: unexpected "${c}" in ${source}`);
  }
  return tokens;
}

const truthy = (value: Value): boolean =>
  !(value === undefined || value === null || value === false || value === 0 || value === '');

const text = (value: Value): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' || typeof b === 'object') return a === b;
  if (typeof a === typeof b) return a === b;
  return Number(a ?? 0) === Number(b ?? 0);
}

/** Evaluates one expression (the text inside `${{ }}`). */
export function evaluate(source: string, ctx: ExpressionContext): Value {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (text?: string): Token => {
    const token = tokens[pos++];
    if (!token || (text !== undefined && token.text !== text))
      throw new Error(`expression: expected ${text ?? 'more'} in ${source}`);
    return token;
  };

  const call = (name: string, args: Value[]): Value => {
    switch (name.toLowerCase()) {
      case 'contains': {
        const [haystack, needle] = args;
        if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle));
        return text(haystack).toLowerCase().includes(text(needle).toLowerCase());
      }
      case 'startswith':
        return text(args[0]).toLowerCase().startsWith(text(args[1]).toLowerCase());
      case 'endswith':
        return text(args[0]).toLowerCase().endsWith(text(args[1]).toLowerCase());
      case 'format':
        return text(args[0]).replace(/\{(\d+)\}/g, (_, n: string) => text(args[Number(n) + 1]));
      case 'join':
        return Array.isArray(args[0]) ? args[0].map(text).join(text(args[1] ?? ',')) : text(args[0]);
      case 'tojson':
        return JSON.stringify(args[0] ?? null, null, 2);
      case 'fromjson':
        return JSON.parse(text(args[0])) as Value;
      case 'hashfiles':
        if (!ctx.hashFiles) throw new Error('expression: hashFiles is not available here');
        return ctx.hashFiles(args.map(text));
      case 'success':
        return ctx.status.success;
      case 'failure':
        return ctx.status.failure;
      case 'cancelled':
        return false;
      case 'always':
        return true;
      default:
        throw new Error(`expression: unknown function ${name} in ${source}`);
    }
  };

  const primary = (): Value => {
    const token = take();
    let value: Value;
    if (token.kind === 'str') value = token.text;
    else if (token.kind === 'num') value = Number(token.text);
    else if (token.text === '(') {
      value = or();
      take(')');
    } else if (token.text === '!') return !truthy(primary());
    else if (token.kind === 'id') {
      if (token.text === 'true' || token.text === 'false') return token.text === 'true';
      if (token.text === 'null') return null;
      if (peek()?.text === '(') {
        take('(');
        const args: Value[] = [];
        while (peek()?.text !== ')') {
          args.push(or());
          if (peek()?.text === ',') take(',');
        }
        take(')');
        value = call(token.text, args);
      } else value = ctx.contexts[token.text];
    } else throw new Error(`expression: unexpected "${token.text}" in ${source}`);
    for (;;) {
      if (peek()?.text === '.') {
        take('.');
        const key = take().text;
        value = member(value, key);
      } else if (peek()?.text === '[') {
        take('[');
        const key = or();
        take(']');
        value = member(value, key);
      } else return value;
    }
  };

  const comparison = (): Value => {
    let left = primary();
    for (;;) {
      const op = peek()?.text;
      if (op !== '==' && op !== '!=' && op !== '<' && op !== '>' && op !== '<=' && op !== '>=') return left;
      take();
      const right = primary();
      if (op === '==') left = equal(left, right);
      else if (op === '!=') left = !equal(left, right);
      else {
        const [a, b] = [Number(left), Number(right)];
        left = op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      }
    }
  };

  const and = (): Value => {
    let left = comparison();
    while (peek()?.text === '&&') {
      take();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };

  const or = (): Value => {
    let left = and();
    while (peek()?.text === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };

  const result = or();
  if (pos !== tokens.length) throw new Error(`expression: trailing input in ${source}`);
  return result;
}

function member(value: Value, key: Value): Value {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return typeof key === 'number' ? value[key] : undefined;
  const wanted = text(key).toLowerCase();
  const found = Object.keys(value).find((k) => k.toLowerCase() === wanted);
  return found === undefined ? undefined : value[found];
}

/**
 * A value as the runner passes it on: a string holding only one expression keeps the expression's type
 * (a matrix from fromJSON stays an array), anything else is text with each expression substituted.
 */
export function interpolate(template: unknown, ctx: ExpressionContext): Value {
  if (typeof template !== 'string') return template as Value;
  const whole = /^\$\{\{([\s\S]*?)\}\}$/.exec(template.trim());
  if (whole && !whole[1]?.includes('}}')) return evaluate(whole[1] ?? '', ctx);
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    text(evaluate(expression, ctx)),
  );
}

/** Text of a value as a step input or an env variable receives it. */
export const asText = text;

/** An `if:` condition: `${{ }}` optional, and success() implied unless a status function is used. */
export function condition(source: string | boolean | undefined, ctx: ExpressionContext): boolean {
  if (source === undefined) return ctx.status.success;
  if (typeof source === 'boolean') return source && ctx.status.success;
  const expression = source.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const value = truthy(evaluate(expression, ctx));
  return /\b(success|failure|cancelled|always)\(/.test(expression) ? value : value && ctx.status.success;
}

export const isTruthy = truthy;
